package credit

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func nd(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }

func datep(s string) *Date { d := MustParseDate(s); return &d }

// baseStatement is a plain annual statement: TA 1000, TL 600, equity 400,
// revenue 2000, net income 50, CA 500, CL 400, RE 200, EBIT 80, interest
// 20, OCF 90.
func baseStatement(end string) Statement {
	return Statement{
		PeriodEnd: MustParseDate(end), PeriodMonths: 12, Currency: "CNY",
		TotalAssets: dec("1000"), TotalLiabilities: dec("600"), Equity: dec("400"),
		Revenue: dec("2000"), NetIncome: dec("50"),
		CurrentAssets: nd("500"), CurrentLiabilities: nd("400"), RetainedEarnings: nd("200"),
		EBIT: nd("80"), InterestExpense: nd("20"), OperatingCashFlow: nd("90"),
	}
}

func baseRecord() *Record {
	return &Record{
		SchemaVersion: "1.0", RecordID: "t-1", AsOf: MustParseDate("2026-06-30"),
		Enterprise: Enterprise{Country: "CN", LegalName: "Test", RegisteredOn: MustParseDate("2018-01-15"), Status: StatusActive},
		Financials: []Statement{baseStatement("2025-12-31")},
	}
}

func testRates(t *testing.T) *Rates {
	t.Helper()
	r, err := NewRates("USD", MustParseDate("2025-12-31"), "test", map[string]decimal.Decimal{"CNY": dec("8"), "EUR": dec("0.5")})
	require.NoError(t, err)
	return r
}

func TestIndicators(t *testing.T) {
	params := map[string]decimal.Decimal{"payment_grace_days": dec("5"), "expected_inflation": dec("0.05")}
	pay := func(due, paid string, amount string) Payment {
		p := Payment{CreditorType: CreditorSupplier, Amount: dec(amount), Currency: "CNY", DueDate: MustParseDate(due)}
		if paid != "" {
			p.PaidDate = datep(paid)
		}
		return p
	}
	pub := func(typ PublicRecordType, date, resolved string) PublicRecord {
		p := PublicRecord{Type: typ, Date: MustParseDate(date)}
		if resolved != "" {
			p.ResolvedOn = datep(resolved)
		}
		return p
	}
	tests := []struct {
		name    string
		id      string
		modify  func(*Record)
		want    string // value, or "" when missing
		missing string // expected missing reason (prefix)
	}{
		// EMS = 3.25 + 6.56*0.1 + 3.26*0.2 + 6.72*0.08 + 1.05*(400/600) = 5.7956
		{"ems", "fin.ems", nil, "5.7956", ""},
		{"ems no statement", "fin.ems", func(r *Record) { r.Financials = nil }, "", MissingNoStatement},
		{"ems field missing", "fin.ems", func(r *Record) { r.Financials[0].RetainedEarnings = decimal.NullDecimal{} }, "", MissingField},
		// An insolvent shell (no assets, positive liabilities) gets the
		// lowest value, whatever else it reports.
		{"ems zero assets, liabilities", "fin.ems", func(r *Record) { r.Financials[0].TotalAssets = decimal.Zero }, "-100.0000", ""},
		{"ems zero assets, liabilities, fields missing", "fin.ems", func(r *Record) {
			r.Financials[0].TotalAssets = decimal.Zero
			r.Financials[0].RetainedEarnings = decimal.NullDecimal{}
		}, "-100.0000", ""},
		{"ems zero assets and liabilities", "fin.ems", func(r *Record) {
			r.Financials[0].TotalAssets = decimal.Zero
			r.Financials[0].TotalLiabilities = decimal.Zero
		}, "", MissingZeroDenominator},
		{"ems clamped", "fin.ems", func(r *Record) {
			r.Financials[0].TotalAssets = dec("0.01")
			r.Financials[0].CurrentAssets = nd("0")
		}, "-100.0000", ""}, // WC/TA = -40000
		{"ems negative assets", "fin.ems", func(r *Record) { r.Financials[0].TotalAssets = dec("-1") }, "", MissingNegativeDenom},
		{"ems no liabilities caps X4", "fin.ems", func(r *Record) { r.Financials[0].TotalLiabilities = decimal.Zero }, "15.5956", ""},
		{"ems half year annualises EBIT", "fin.ems", func(r *Record) { r.Financials[0].PeriodMonths = 6; r.Financials[0].EBIT = nd("40") }, "5.7956", ""},
		{"ems future statement ignored", "fin.ems", func(r *Record) { r.Financials[0].PeriodEnd = MustParseDate("2026-12-31") }, "", MissingNoStatement},
		{"ems no liabilities, negative equity caps X4", "fin.ems", func(r *Record) {
			r.Financials[0].TotalLiabilities = decimal.Zero
			r.Financials[0].Equity = dec("-1")
		}, "15.5956", ""}, // BVE/TL is the cap whatever the equity
		{"equity ratio", "fin.equity_ratio", nil, "0.4000", ""},
		{"equity ratio no assets", "fin.equity_ratio", func(r *Record) { r.Financials[0].TotalAssets = decimal.Zero }, "100.0000", ""},
		{"equity ratio no assets, negative equity", "fin.equity_ratio", func(r *Record) {
			r.Financials[0].TotalAssets = decimal.Zero
			r.Financials[0].Equity = dec("-600")
		}, "-100.0000", ""},
		{"equity ratio 0/0", "fin.equity_ratio", func(r *Record) {
			r.Financials[0].TotalAssets = decimal.Zero
			r.Financials[0].Equity = decimal.Zero
		}, "", MissingZeroDenominator},
		{"equity ratio negative assets", "fin.equity_ratio", func(r *Record) { r.Financials[0].TotalAssets = dec("-1") }, "", MissingNegativeDenom},
		{"equity ratio clamped", "fin.equity_ratio", func(r *Record) { r.Financials[0].Equity = dec("-200000") }, "-100.0000", ""},
		{"equity ratio no statement", "fin.equity_ratio", func(r *Record) { r.Financials = nil }, "", MissingNoStatement},
		{"current ratio", "fin.current_ratio", nil, "1.2500", ""},
		{"current ratio no CL", "fin.current_ratio", func(r *Record) { r.Financials[0].CurrentLiabilities = nd("0") }, "100.0000", ""},
		{"current ratio 0/0", "fin.current_ratio", func(r *Record) {
			r.Financials[0].CurrentLiabilities = nd("0")
			r.Financials[0].CurrentAssets = nd("0")
		}, "", MissingZeroDenominator},
		{"current ratio negative CL", "fin.current_ratio", func(r *Record) { r.Financials[0].CurrentLiabilities = nd("-1") }, "", MissingNegativeDenom},
		{"current ratio field missing", "fin.current_ratio", func(r *Record) { r.Financials[0].CurrentAssets = decimal.NullDecimal{} }, "", MissingField},
		{"roa", "fin.roa", nil, "0.0500", ""},
		{"roa no assets, loss", "fin.roa", func(r *Record) {
			r.Financials[0].TotalAssets = decimal.Zero
			r.Financials[0].NetIncome = dec("-1")
		}, "-100.0000", ""},
		{"roa 0/0", "fin.roa", func(r *Record) {
			r.Financials[0].TotalAssets = decimal.Zero
			r.Financials[0].NetIncome = decimal.Zero
		}, "", MissingZeroDenominator},
		{"roa clamped", "fin.roa", func(r *Record) { r.Financials[0].TotalAssets = dec("0.01") }, "100.0000", ""},
		{"ebit margin", "fin.ebit_margin", nil, "0.0400", ""},
		{"ebit margin zero revenue", "fin.ebit_margin", func(r *Record) { r.Financials[0].Revenue = decimal.Zero }, "100.0000", ""},
		{"ebit margin zero revenue, loss", "fin.ebit_margin", func(r *Record) {
			r.Financials[0].Revenue = decimal.Zero
			r.Financials[0].EBIT = nd("-80")
		}, "-100.0000", ""},
		{"ebit margin 0/0", "fin.ebit_margin", func(r *Record) {
			r.Financials[0].Revenue = decimal.Zero
			r.Financials[0].EBIT = nd("0")
		}, "", MissingZeroDenominator},
		{"interest coverage", "fin.interest_coverage", nil, "4.0000", ""},
		{"interest coverage no interest", "fin.interest_coverage", func(r *Record) { r.Financials[0].InterestExpense = nd("0") }, "100.0000", ""},
		{"interest coverage no interest, loss", "fin.interest_coverage", func(r *Record) {
			r.Financials[0].InterestExpense = nd("0")
			r.Financials[0].EBIT = nd("-5")
		}, "-100.0000", ""},
		{"interest coverage 0/0", "fin.interest_coverage", func(r *Record) {
			r.Financials[0].InterestExpense = nd("0")
			r.Financials[0].EBIT = nd("0")
		}, "", MissingZeroDenominator},
		{"interest coverage negative interest", "fin.interest_coverage", func(r *Record) { r.Financials[0].InterestExpense = nd("-1") }, "", MissingNegativeDenom},
		{"interest coverage clamped", "fin.interest_coverage", func(r *Record) { r.Financials[0].InterestExpense = nd("0.0001") }, "100.0000", ""},
		{"ocf to liabilities", "fin.ocf_to_liabilities", nil, "0.1500", ""},
		{"ocf to liabilities no liabilities", "fin.ocf_to_liabilities", func(r *Record) { r.Financials[0].TotalLiabilities = decimal.Zero }, "100.0000", ""},
		// A cash outflow with no liabilities is the bottom of the range, as
		// a loss with no interest is (it was missing before cappedRatio).
		{"ocf to liabilities no liabilities, outflow", "fin.ocf_to_liabilities", func(r *Record) {
			r.Financials[0].TotalLiabilities = decimal.Zero
			r.Financials[0].OperatingCashFlow = nd("-90")
		}, "-100.0000", ""},
		{"ocf to liabilities 0/0", "fin.ocf_to_liabilities", func(r *Record) {
			r.Financials[0].TotalLiabilities = decimal.Zero
			r.Financials[0].OperatingCashFlow = nd("0")
		}, "", MissingZeroDenominator},
		{"ocf to liabilities negative liabilities", "fin.ocf_to_liabilities", func(r *Record) { r.Financials[0].TotalLiabilities = dec("-1") }, "", MissingNegativeDenom},
		{"ocf to liabilities half year annualised", "fin.ocf_to_liabilities", func(r *Record) {
			r.Financials[0].PeriodMonths = 6
			r.Financials[0].OperatingCashFlow = nd("45")
		}, "0.1500", ""},
		{"statement age no statement", "fin.statement_age_months", func(r *Record) { r.Financials = nil }, "", MissingNoStatement},
		{"audited no statement", "fin.audited", func(r *Record) { r.Financials = nil }, "", MissingNoStatement},
		{"size no statement", "fin.size_usd", func(r *Record) { r.Financials = nil }, "", MissingNoStatement},
		{"revenue growth no statement", "fin.revenue_growth_real", func(r *Record) { r.Financials = nil }, "", MissingNoStatement},
		{"revenue growth no prior", "fin.revenue_growth_real", nil, "", MissingNoPriorStatement},
		{"revenue growth real", "fin.revenue_growth_real", func(r *Record) {
			p := baseStatement("2024-12-31")
			p.Revenue = dec("1600")
			r.Financials = append(r.Financials, p)
		}, "0.1905", ""}, // 2000/1600/1.05 - 1
		{"revenue growth, currency changed, no rates", "fin.revenue_growth_real", func(r *Record) {
			p := baseStatement("2024-12-31")
			p.Currency = "EUR"
			r.Financials = append(r.Financials, p)
		}, "", MissingNoRate},
		{"revenue growth prior zero", "fin.revenue_growth_real", func(r *Record) {
			p := baseStatement("2024-12-31")
			p.Revenue = decimal.Zero
			r.Financials = append(r.Financials, p)
		}, "", MissingZeroDenominator},
		{"loss years", "fin.loss_years_3y", func(r *Record) {
			a, b, c := baseStatement("2024-12-31"), baseStatement("2023-12-31"), baseStatement("2022-12-31")
			a.NetIncome, c.NetIncome = dec("-1"), dec("-1")
			r.Financials = append(r.Financials, a, b, c)
		}, "1", ""}, // 2022 is outside the 36-month window
		{"loss years none full", "fin.loss_years_3y", func(r *Record) { r.Financials[0].PeriodMonths = 6 }, "", MissingNoFullYear},
		{"statement age", "fin.statement_age_months", nil, "6", ""},
		{"audited", "fin.audited", nil, "false", ""},
		{"on time share by amount", "pay.on_time_share", func(r *Record) {
			r.Payments = []Payment{pay("2026-01-10", "2026-01-14", "300"), pay("2026-02-10", "2026-03-20", "100"), pay("2024-01-01", "", "999")}
		}, "0.7500", ""},
		{"on time share no payments", "pay.on_time_share", nil, "", MissingNoPayments},
		{"on time share none in window", "pay.on_time_share", func(r *Record) { r.Payments = []Payment{pay("2020-01-01", "2020-01-01", "1")} }, "", MissingNoPaymentsInWindow},
		{"max dpd unpaid counts to as_of", "pay.max_dpd_12m", func(r *Record) {
			r.Payments = []Payment{pay("2026-06-20", "", "1"), pay("2026-01-01", "2026-01-31", "1")}
		}, "30", ""},
		{"max dpd 24m", "pay.max_dpd_24m", func(r *Record) { r.Payments = []Payment{pay("2025-01-01", "2025-05-01", "1")} }, "120", ""},
		{"dpd90 count", "pay.dpd90_count_24m", func(r *Record) {
			r.Payments = []Payment{pay("2025-01-01", "2025-05-01", "1"), pay("2025-03-01", "2025-05-29", "1"), pay("2025-03-01", "2025-05-30", "1")}
		}, "2", ""},
		{"open overdue to revenue", "pay.open_overdue_to_revenue", func(r *Record) {
			r.Payments = []Payment{pay("2026-06-01", "", "100"), pay("2026-06-28", "", "500"), pay("2026-01-01", "2026-05-01", "700")}
		}, "0.0500", ""}, // only the first is open and past the grace days
		{"open overdue, half year annualises revenue", "pay.open_overdue_to_revenue", func(r *Record) {
			r.Financials[0].PeriodMonths = 6
			r.Financials[0].Revenue = dec("1000")
			r.Payments = []Payment{pay("2026-06-01", "", "100")}
		}, "0.0500", ""},
		{"open overdue, not yet due", "pay.open_overdue_to_revenue", func(r *Record) {
			r.Payments = []Payment{pay("2026-07-01", "", "100"), pay("2026-05-01", "2026-07-15", "100")}
		}, "0.0500", ""}, // only the second: paid after as_of, so open at as_of and 60 days past due
		{"open overdue, no revenue", "pay.open_overdue_to_revenue", func(r *Record) {
			r.Financials[0].Revenue = decimal.Zero
			r.Payments = []Payment{pay("2026-06-01", "", "100")}
		}, "100.0000", ""},
		{"open overdue, no revenue, nothing overdue", "pay.open_overdue_to_revenue", func(r *Record) {
			r.Financials[0].Revenue = decimal.Zero
			r.Payments = []Payment{}
		}, "", MissingZeroDenominator},
		{"written off", "pay.written_off_count_36m", func(r *Record) {
			p := pay("2025-01-01", "", "1")
			p.WrittenOff = true
			r.Payments = []Payment{p}
		}, "1", ""},
		{"tax arrears open", "pub.tax_arrears_open", func(r *Record) {
			r.PublicRecords = []PublicRecord{pub(PublicTaxArrears, "2026-01-01", ""), pub(PublicTaxArrears, "2025-01-01", "2025-02-01"), pub(PublicTaxArrears, "2026-01-01", "2026-07-01")}
		}, "2", ""},
		{"public records missing", "pub.enforcement_open", nil, "", MissingNoPublicRecords},
		{"judgments window", "pub.judgments_36m", func(r *Record) {
			r.PublicRecords = []PublicRecord{pub(PublicCourtJudgment, "2023-07-01", "2023-08-01"), pub(PublicCourtJudgment, "2023-06-30", "")}
		}, "1", ""},
		{"sanction active", "pub.sanction", func(r *Record) { r.PublicRecords = []PublicRecord{pub(PublicSanction, "2026-01-01", "")} }, "active", ""},
		{"sanction past", "pub.sanction", func(r *Record) { r.PublicRecords = []PublicRecord{pub(PublicSanction, "2020-01-01", "2021-01-01")} }, "past", ""},
		{"sanction future-dated only", "pub.sanction", func(r *Record) { r.PublicRecords = []PublicRecord{pub(PublicSanction, "2026-07-01", "")} }, "none", ""},
		{"sanction none", "pub.sanction", func(r *Record) { r.PublicRecords = []PublicRecord{pub(PublicTaxArrears, "2020-01-01", "")} }, "none", ""},
		{"age years", "ops.age_years", nil, "8.42", ""}, // 101 months
		{"age registered after as_of", "ops.age_years", func(r *Record) { r.Enterprise.RegisteredOn = MustParseDate("2027-01-01") }, "", MissingDateOrder},
		{"status", "ops.status", func(r *Record) { r.Enterprise.Status = StatusLiquidating }, "liquidating", ""},
		{"customs no trade", "trade.customs_status", nil, "", MissingNoTrade},
		{"customs", "trade.customs_status", func(r *Record) { r.Trade = &Trade{CustomsStatus: CustomsAEOAdvanced} }, "aeo_advanced", ""},
		{"years trading", "trade.years_trading", func(r *Record) { r.Trade = &Trade{TradingSince: datep("2020-06-30")} }, "6.00", ""},
		{"partner countries distinct", "trade.partner_countries", func(r *Record) { r.Trade = &Trade{PartnerCountries: []string{"RU", "KZ", "RU"}} }, "2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := baseRecord()
			if tt.modify != nil {
				tt.modify(rec)
			}
			v, _, ok := ComputeIndicator(tt.id, rec, params, nil)
			require.True(t, ok)
			if tt.missing != "" {
				assert.True(t, v.IsMissing(), "want missing, got %s%s", v.Num, v.Cat)
				assert.Contains(t, v.Missing, tt.missing)
				return
			}
			require.False(t, v.IsMissing(), "missing: %s", v.Missing)
			got := v.Cat
			if info, _ := Indicator(tt.id); info.Kind == Numeric {
				got = v.Num.StringFixed(info.Scale)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestIndicatorSizeUSD(t *testing.T) {
	rec := baseRecord()
	v, ws, _ := ComputeIndicator("fin.size_usd", rec, nil, testRates(t))
	require.False(t, v.IsMissing())
	assert.Equal(t, "125", v.Num.String()) // 1000 CNY at 8 per USD
	assert.Empty(t, ws)

	v, ws, _ = ComputeIndicator("fin.size_usd", rec, nil, nil)
	assert.Equal(t, MissingNoRate, v.Missing)
	require.Len(t, ws, 1)
	assert.Equal(t, "FX_RATE_MISSING", ws[0].Code)
	assert.Equal(t, SeverityWarning, ws[0].Severity)
	assert.Equal(t, "/financials/0/currency", ws[0].Path)
}

func TestIndicatorsNeverPanic(t *testing.T) {
	// Degenerate records: everything zero, negative or absent.
	recs := []*Record{
		{AsOf: MustParseDate("2026-01-01")},
		{AsOf: MustParseDate("2026-01-01"), Financials: []Statement{{PeriodEnd: MustParseDate("2025-12-31"), PeriodMonths: 12}}},
		{AsOf: MustParseDate("2026-01-01"), Financials: []Statement{{PeriodEnd: MustParseDate("2025-12-31"), PeriodMonths: 0}}},
		{AsOf: MustParseDate("2026-01-01"), Financials: []Statement{{PeriodEnd: MustParseDate("2025-12-31"), PeriodMonths: 12,
			TotalAssets: dec("-5"), TotalLiabilities: dec("-1"), CurrentAssets: nd("0"), CurrentLiabilities: nd("-3"),
			RetainedEarnings: nd("0"), EBIT: nd("0"), InterestExpense: nd("-2"), OperatingCashFlow: nd("0")}},
			Payments: []Payment{{Amount: decimal.Zero, Currency: "CNY", DueDate: MustParseDate("2025-12-01")}}, Trade: &Trade{}},
	}
	for _, rec := range recs {
		for _, id := range IndicatorIDs() {
			assert.NotPanics(t, func() { ComputeIndicator(id, rec, nil, nil) }, id)
		}
	}
}

// TestIndicatorRevenueGrowthCurrencyChange: a change of reporting currency
// between the two statements is converted with the caller's rates, and
// without them the indicator is missing for want of a rate (with a
// warning at the prior statement's currency), not for want of a prior
// statement.
func TestIndicatorRevenueGrowthCurrencyChange(t *testing.T) {
	params := map[string]decimal.Decimal{"expected_inflation": dec("0.05")}
	rec := baseRecord()
	prior := baseStatement("2024-12-31")
	prior.Currency = "EUR"
	prior.Revenue = dec("100") // 100 EUR = 1600 CNY at 8 CNY and 0.5 EUR per USD
	rec.Financials = append(rec.Financials, prior)
	for _, tc := range []struct {
		name     string
		rates    *Rates
		want     string
		missing  string
		warnings []string
	}{
		{"converted", testRates(t), "0.1905", "", nil}, // 2000/1600/1.05 - 1, as in the same-currency case
		{"no rates", nil, "", MissingNoRate, []string{"/financials/1/currency " + CodeFXRateMissing}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, ws, ok := ComputeIndicator("fin.revenue_growth_real", rec, params, tc.rates)
			require.True(t, ok)
			assert.Equal(t, tc.missing, v.Missing)
			if tc.missing == "" {
				assert.Equal(t, tc.want, v.Num.StringFixed(4))
			}
			var got []string
			for _, w := range ws {
				got = append(got, w.Path+" "+w.Code)
			}
			assert.Equal(t, tc.warnings, got)
		})
	}
}

// TestCappedRatio pins the one rule of the ratio indicators.
func TestCappedRatio(t *testing.T) {
	for _, tc := range []struct{ num, den, want, missing string }{
		{"1", "4", "0.25", ""},
		{"-1", "4", "-0.25", ""},
		{"1", "3", "0.3333333333333333", ""},
		{"1000", "1", "100", ""},
		{"-1000", "1", "-100", ""},
		{"5", "0", "100", ""},
		{"-5", "0", "-100", ""},
		{"0", "0", "", MissingZeroDenominator},
		{"0", "-1", "", MissingNegativeDenom},
		{"5", "-1", "", MissingNegativeDenom},
		{"0", "7", "0", ""},
	} {
		v := cappedRatio(dec(tc.num), dec(tc.den))
		assert.Equal(t, tc.missing, v.Missing, "%s/%s", tc.num, tc.den)
		if tc.missing == "" {
			assert.Equal(t, tc.want, v.Num.String(), "%s/%s", tc.num, tc.den)
		}
	}
}

// TestNegativeGraceDays: grace days below zero, which no rule set can
// give, count as zero, so a payment not yet due is never overdue.
func TestNegativeGraceDays(t *testing.T) {
	rec := baseRecord()
	rec.Payments = []Payment{{CreditorType: CreditorSupplier, Amount: dec("100"), Currency: "CNY", DueDate: MustParseDate("2026-07-01")}}
	v, _, _ := ComputeIndicator("pay.open_overdue_to_revenue", rec, map[string]decimal.Decimal{"payment_grace_days": dec("-5")}, nil)
	require.False(t, v.IsMissing(), v.Missing)
	assert.True(t, v.Num.IsZero(), v.Num.String())
}
