package credit

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIndicatorsDistress covers the ratios of indicator_fin_distress.go on
// the base statement (TA 1000, TL 600, RE 200, CL 400, OCF 90) and their
// degenerate cases.
func TestIndicatorsDistress(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		modify  func(*Statement)
		want    string // value, or "" when missing
		missing string // expected missing reason (prefix)
	}{
		{"RE/TA", "fin.retained_earnings_to_assets", nil, "0.2000", ""},
		{"RE/TA accumulated losses", "fin.retained_earnings_to_assets", func(s *Statement) { s.RetainedEarnings = nd("-350") }, "-0.3500", ""},
		{"RE/TA not reported", "fin.retained_earnings_to_assets", func(s *Statement) { s.RetainedEarnings = decimal.NullDecimal{} }, "", MissingField + ":retained_earnings"},
		{"RE/TA no assets, losses", "fin.retained_earnings_to_assets", func(s *Statement) {
			s.TotalAssets = decimal.Zero
			s.RetainedEarnings = nd("-1")
		}, "-100.0000", ""},
		{"RE/TA 0/0", "fin.retained_earnings_to_assets", func(s *Statement) {
			s.TotalAssets = decimal.Zero
			s.RetainedEarnings = nd("0")
		}, "", MissingZeroDenominator},
		{"RE/TA negative assets", "fin.retained_earnings_to_assets", func(s *Statement) { s.TotalAssets = dec("-1") }, "", MissingNegativeDenom},
		{"RE/TA clamped", "fin.retained_earnings_to_assets", func(s *Statement) { s.RetainedEarnings = nd("-500000") }, "-100.0000", ""},
		{"RE/TA rounded", "fin.retained_earnings_to_assets", func(s *Statement) { s.TotalAssets = dec("3"); s.RetainedEarnings = nd("2") }, "0.6667", ""},

		{"TL/TA", "fin.liabilities_to_assets", nil, "0.6000", ""},
		{"TL/TA liabilities above assets", "fin.liabilities_to_assets", func(s *Statement) { s.TotalLiabilities = dec("1500") }, "1.5000", ""},
		{"TL/TA no liabilities", "fin.liabilities_to_assets", func(s *Statement) { s.TotalLiabilities = decimal.Zero }, "0.0000", ""},
		// Debts and nothing to pay them with: the riskiest end.
		{"TL/TA insolvent shell", "fin.liabilities_to_assets", func(s *Statement) { s.TotalAssets = decimal.Zero }, "100.0000", ""},
		{"TL/TA empty balance sheet", "fin.liabilities_to_assets", func(s *Statement) {
			s.TotalAssets = decimal.Zero
			s.TotalLiabilities = decimal.Zero
		}, "", MissingZeroDenominator},
		{"TL/TA negative assets", "fin.liabilities_to_assets", func(s *Statement) { s.TotalAssets = dec("-1") }, "", MissingNegativeDenom},
		{"TL/TA clamped", "fin.liabilities_to_assets", func(s *Statement) { s.TotalAssets = dec("0.01") }, "100.0000", ""},

		{"OCF/CL", "fin.ocf_to_current_liabilities", nil, "0.2250", ""},
		{"OCF/CL outflow", "fin.ocf_to_current_liabilities", func(s *Statement) { s.OperatingCashFlow = nd("-60") }, "-0.1500", ""},
		{"OCF/CL half year annualised", "fin.ocf_to_current_liabilities", func(s *Statement) {
			s.PeriodMonths = 6
			s.OperatingCashFlow = nd("45")
		}, "0.2250", ""},
		{"OCF/CL no current liabilities", "fin.ocf_to_current_liabilities", func(s *Statement) { s.CurrentLiabilities = nd("0") }, "100.0000", ""},
		{"OCF/CL no current liabilities, outflow", "fin.ocf_to_current_liabilities", func(s *Statement) {
			s.CurrentLiabilities = nd("0")
			s.OperatingCashFlow = nd("-1")
		}, "-100.0000", ""},
		{"OCF/CL 0/0", "fin.ocf_to_current_liabilities", func(s *Statement) {
			s.CurrentLiabilities = nd("0")
			s.OperatingCashFlow = nd("0")
		}, "", MissingZeroDenominator},
		{"OCF/CL negative current liabilities", "fin.ocf_to_current_liabilities", func(s *Statement) { s.CurrentLiabilities = nd("-1") }, "", MissingNegativeDenom},
		{"OCF/CL cash flow not reported", "fin.ocf_to_current_liabilities", func(s *Statement) { s.OperatingCashFlow = decimal.NullDecimal{} }, "", MissingField + ":operating_cash_flow"},
		{"OCF/CL current liabilities not reported", "fin.ocf_to_current_liabilities", func(s *Statement) { s.CurrentLiabilities = decimal.NullDecimal{} }, "", MissingField + ":current_liabilities"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := baseRecord()
			if tt.modify != nil {
				tt.modify(&rec.Financials[0])
			}
			v, ws, ok := ComputeIndicator(tt.id, rec, nil, nil)
			require.True(t, ok)
			assert.Empty(t, ws)
			if tt.missing != "" {
				assert.True(t, v.IsMissing(), "want missing, got %s", v.Num)
				assert.Equal(t, tt.missing, v.Missing)
				return
			}
			require.False(t, v.IsMissing(), "missing: %s", v.Missing)
			assert.Equal(t, tt.want, v.Num.StringFixed(4))
		})
	}
	// Without a statement dated on or before as_of each is missing.
	for _, id := range []string{"fin.retained_earnings_to_assets", "fin.liabilities_to_assets", "fin.ocf_to_current_liabilities"} {
		rec := baseRecord()
		rec.Financials[0].PeriodEnd = MustParseDate("2026-12-31")
		v, _, ok := ComputeIndicator(id, rec, nil, nil)
		require.True(t, ok)
		assert.Equal(t, MissingNoStatement, v.Missing, id)
		info, ok := Indicator(id)
		require.True(t, ok)
		assert.Equal(t, Numeric, info.Kind, id)
		assert.Equal(t, int32(4), info.Scale, id)
	}
}
