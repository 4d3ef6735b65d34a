package credit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pdInBand reports whether the reported PD text lies in the band of grade
// i: [previous pd_upper, own pd_upper), the last band including 1. The
// one documented exception is the floor: a grade whose whole band lies
// below the PD floor (AAA and AA under SCO-BASE) is taken from the model
// PD before the floor, and reports the floor.
func pdInBand(t *testing.T, e *Engine, i int, pdText string) bool {
	t.Helper()
	pd, err := decimal.NewFromString(pdText)
	require.NoError(t, err)
	grades := e.rs.MasterScale.Grades
	lower := decimal.Zero
	if i > 0 {
		lower = grades[i-1].PDUpper
	}
	upper := grades[i].PDUpper
	if upper.Cmp(e.floor) <= 0 && pd.Equal(e.floor) {
		return true
	}
	if pd.Cmp(lower) < 0 {
		return false
	}
	if i == len(grades)-1 {
		return pd.Cmp(one) <= 0
	}
	return pd.Cmp(upper) < 0
}

// TestCappedPDInBand checks, for every score of the range and a cap to
// every grade (synthetic caps, none, and each of the master scale), that
// the reported PD lies in the band of the reported grade.
func TestCappedPDInBand(t *testing.T) {
	e := baseEngine(t, EngineOptions{})
	last := len(e.rs.MasterScale.Grades) - 1
	for score := e.rs.Scaling.MinScore; score <= e.rs.Scaling.MaxScore; score++ {
		raw, text, g := e.table.at(score)
		require.True(t, pdInBand(t, e, g, text), "uncapped score %d: PD %s not in band %s", score, text, e.rs.MasterScale.Grades[g].Grade)
		for capGrade := 0; capGrade <= last; capGrade++ {
			final := max(g, capGrade)
			pd := e.cappedPD(raw, text, g, final, capGrade == last)
			require.True(t, pdInBand(t, e, final, pd), "score %d capped at %s: PD %s not in band %s",
				score, e.rs.MasterScale.Grades[capGrade].Grade, pd, e.rs.MasterScale.Grades[final].Grade)
			if final == g && capGrade != last {
				require.Equal(t, text, pd, "a cap that does not lower the grade leaves the PD")
			}
		}
	}
}

// capMutations make a record meet one SCO-BASE cap each.
var capMutations = []struct {
	name   string
	mutate func(*Record)
}{
	{"none", func(*Record) {}},
	{"bankrupt", func(r *Record) { r.Enterprise.Status = StatusBankrupt }},
	{"dissolved", func(r *Record) { r.Enterprise.Status = StatusDissolved }},
	{"liquidating", func(r *Record) { r.Enterprise.Status = StatusLiquidating }},
	{"bankruptcy filing", func(r *Record) {
		r.PublicRecords = append(r.PublicRecords, PublicRecord{Type: PublicBankruptcyFiling, Date: r.AsOf})
	}},
	{"dishonest debtor", func(r *Record) {
		r.PublicRecords = append(r.PublicRecords, PublicRecord{Type: PublicDishonestDebtor, Date: r.AsOf})
	}},
	{"enforcement", func(r *Record) {
		r.PublicRecords = append(r.PublicRecords, PublicRecord{Type: PublicEnforcement, Date: r.AsOf})
	}},
	{"customs dishonest", func(r *Record) {
		if r.Trade == nil {
			r.Trade = &Trade{}
		}
		r.Trade.CustomsStatus = CustomsDishonest
	}},
	{"written off", func(r *Record) {
		r.Payments = append(r.Payments, Payment{CreditorType: CreditorSupplier, Amount: dec("1"), Currency: "USD",
			DueDate: r.AsOf.AddMonths(-6), WrittenOff: true})
	}},
}

// sampleRecords returns the valid records of testdata/records.
func sampleRecords(t *testing.T) []*Record {
	t.Helper()
	files, err := filepath.Glob("../testdata/records/*.ndjson")
	require.NoError(t, err)
	var recs []*Record
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, MaxRecordBytes)
		for sc.Scan() {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			if v := ParseRecord(sc.Bytes()); v.Record != nil {
				recs = append(recs, v.Record)
			}
		}
		require.NoError(t, sc.Err())
	}
	return recs
}

// TestCapsPDInBandSamples scores every sample record as it is and with
// each SCO-BASE cap forced on it: the reported PD lies in the band of the
// reported grade, a cap to the default grade reports PD 1, and a cap that
// lowers the grade reports at least the capped grade's lower bound.
func TestCapsPDInBandSamples(t *testing.T) {
	recs := sampleRecords(t)
	require.NotEmpty(t, recs)
	e := baseEngine(t, EngineOptions{})
	for _, m := range capMutations {
		t.Run(m.name, func(t *testing.T) {
			for _, orig := range recs {
				data, err := json.Marshal(orig)
				require.NoError(t, err)
				v := ParseRecord(data)
				require.NotNil(t, v.Record, "%s: %v", orig.RecordID, v.Problems)
				rec := v.Record
				m.mutate(rec)
				p := scoreOf(t, e, rec)
				g := gradeIndex(t, e, p.Grade)
				assert.True(t, pdInBand(t, e, g, p.PD), "%s: PD %s not in band of %s", rec.RecordID, p.PD, p.Grade)
				if m.name == "bankrupt" || m.name == "dissolved" {
					assert.Equal(t, "C", p.Grade, rec.RecordID)
					assert.Equal(t, "1.000000", p.PD, "%s: a defaulted borrower has PD 100%%", rec.RecordID)
				}
			}
		})
	}
}

// TestCappedPD pins the reported PD of the SCO-BASE caps on a good firm
// (BBB by its score): the lower bound of the capped grade, or 1 for C.
func TestCappedPD(t *testing.T) {
	e := baseEngine(t, EngineOptions{})
	// lowers: the cap lowers the grade the score gives (a written-off
	// debt costs so many points that the score alone is worse than CCC).
	tests := []struct {
		cap, grade, pd string
		lowers         bool
	}{
		{"none", "BBB", "0.001440", false},
		{"bankrupt", "C", "1.000000", true},
		{"bankruptcy filing", "CC", "0.361400", true},
		{"liquidating", "CCC", "0.087500", true},
		{"dishonest debtor", "CCC", "0.087500", true},
		{"enforcement", "B", "0.012810", true},
		{"customs dishonest", "B", "0.012810", true},
		{"written off", "CC", "0.467866", false},
	}
	for _, tc := range tests {
		t.Run(tc.cap, func(t *testing.T) {
			rec := goodRecord()
			for _, m := range capMutations {
				if m.name == tc.cap {
					m.mutate(rec)
				}
			}
			p := scoreOf(t, e, rec)
			assert.Equal(t, tc.grade, p.Grade)
			assert.Equal(t, tc.pd, p.PD)
			if tc.lowers {
				assert.NotEmpty(t, p.Caps[0].GradeBefore, "the cap lowered the grade")
			}
		})
	}

	// A cap to C on a firm whose score is already C still reports PD 1:
	// it is in default whatever its score.
	rec := goodRecord()
	rec.Financials[0].RetainedEarnings = nd("-5000")
	rec.Financials[0].EBIT = nd("-900")
	rec.Financials[0].OperatingCashFlow = nd("-500")
	rec.Trade.CustomsStatus = CustomsDishonest
	rec.Enterprise.Status = StatusBankrupt
	p := scoreOf(t, e, rec)
	_, _, scoreGrade := e.PD(p.Score)
	require.Equal(t, "C", scoreGrade)
	assert.Equal(t, "1.000000", p.PD)
}

// goodRecord is baseRecord with enough data and evidence to score the
// best grade SCO-BASE reaches (BBB since 2.0.0): strong audited
// statements for two years, a clean payment history, public records
// checked, long history, advanced AEO with a long and diverse trade.
func goodRecord() *Record {
	rec := baseRecord()
	rec.Enterprise.Identifiers = []Identifier{{Scheme: "CN-USCC", Value: "91350100M000100Y43"}}
	rec.Enterprise.RegisteredOn = MustParseDate("2010-01-01")
	rec.Financials[0].RetainedEarnings = nd("450")
	rec.Financials[0].CurrentAssets = nd("700")
	rec.Financials[0].EBIT = nd("150")
	rec.Financials[0].OperatingCashFlow = nd("400")
	rec.Financials[0].Audited = true
	prior := baseStatement("2024-12-31")
	prior.Revenue = dec("1900")
	rec.Financials = append(rec.Financials, prior)
	rec.Payments = []Payment{{CreditorType: CreditorSupplier, Amount: dec("100"), Currency: "CNY",
		DueDate: MustParseDate("2025-12-31"), PaidDate: datep("2025-12-31")}}
	rec.PublicRecords = []PublicRecord{{Type: PublicCourtJudgment, Date: MustParseDate("2015-01-01"), ResolvedOn: datep("2015-02-01")}}
	rec.Trade = &Trade{CustomsStatus: CustomsAEOAdvanced, TradingSince: datep("2012-01-01"), PartnerCountries: []string{"KZ", "RU", "UZ", "KG", "TJ", "PK"}}
	return rec
}

// TestCertificationStatementAge: the certification rule is the
// validator's STALE_FINANCIALS rule (period end plus 18 months, month ends
// clamped, strictly before as_of), so the two never disagree.
func TestCertificationStatementAge(t *testing.T) {
	e := baseEngine(t, EngineOptions{})
	for _, tc := range []struct {
		periodEnd, asOf string
		stale           bool
	}{
		{"2025-03-31", "2026-09-30", false}, // 18 months to the day
		{"2025-03-31", "2026-10-01", true},
		{"2025-02-28", "2026-08-28", false}, // + 18 months = 2026-08-28
		{"2025-02-28", "2026-08-29", true},
		{"2024-08-31", "2026-02-28", false}, // + 18 months clamps to 2026-02-28
		{"2024-08-31", "2026-03-01", true},
		{"2025-12-31", "2026-06-30", false},
	} {
		t.Run(tc.periodEnd+"/"+tc.asOf, func(t *testing.T) {
			rec := goodRecord()
			rec.Financials = rec.Financials[:1] // the statement whose age is tested is the only one
			rec.AsOf = MustParseDate(tc.asOf)
			rec.Financials[0].PeriodEnd = MustParseDate(tc.periodEnd)
			rec.PublicRecords[0].Date = rec.AsOf.AddMonths(-60)
			rec.PublicRecords[0].ResolvedOn = datep(rec.AsOf.AddMonths(-59).String())
			assert.Equal(t, tc.stale, statementTooOld(rec.Financials[0].PeriodEnd, 18, rec.AsOf))
			p := scoreOf(t, e, rec)
			assert.Equal(t, tc.stale, slices.Contains(capIDs(p), "certification.max_statement_age_months"), "%v", capIDs(p))

			// The validator agrees.
			data, err := json.Marshal(rec)
			require.NoError(t, err)
			v := ParseRecord(data)
			require.NotNil(t, v.Record, "%v", v.Problems)
			var warned bool
			for _, w := range v.Problems.Warnings() {
				warned = warned || w.Code == CodeStaleFinancials
			}
			assert.Equal(t, tc.stale, warned, "STALE_FINANCIALS")
		})
	}
}

// overdue adds to rec a payment of amount (CNY) unpaid 100 days after
// its due date: a 90+ days past due delay with the amount still open.
func overdue(rec *Record, amount string) {
	rec.Payments = append(rec.Payments, Payment{CreditorType: CreditorSupplier, Amount: dec(amount), Currency: "CNY",
		DueDate: rec.AsOf.AddDays(-100)})
}

// TestCertificationMinGrade: SCO-BASE certifies down to CC; a C profile
// (the default grade) is not certifiable, whether a cap or the score put
// it there, and says why.
func TestCertificationMinGrade(t *testing.T) {
	e := baseEngine(t, EngineOptions{})
	assert.Equal(t, "CC", e.rs.Certification.MinGrade)

	rec := goodRecord()
	rec.Financials[0].RetainedEarnings = nd("-5000")
	rec.Financials[0].EBIT = nd("-900")
	rec.Financials[0].OperatingCashFlow = nd("-100")
	overdue(rec, "1000")
	rec.PublicRecords = append(rec.PublicRecords, PublicRecord{Type: PublicDishonestDebtor, Date: rec.AsOf})
	p := scoreOf(t, e, rec)
	require.Equal(t, "C", p.Grade)
	assert.False(t, p.Certifiable)
	require.NotEmpty(t, p.Caps)
	last := p.Caps[len(p.Caps)-1]
	assert.Equal(t, AppliedCap{ID: "certification.min_grade", Kind: "certification", Reason: ReasonCertGradeBelowMinimum,
		Text: e.rs.Reasons[ReasonCertGradeBelowMinimum].EN}, last)

	// CC is still certifiable (no other requirement fails here).
	rec = goodRecord()
	rec.Financials[0].RetainedEarnings = nd("-1500")
	rec.Financials[0].EBIT = nd("-100")
	overdue(rec, "100")
	p = scoreOf(t, e, rec)
	require.Equal(t, "CC", p.Grade)
	assert.True(t, p.Certifiable, "%v", p.Caps)

	// Without min_grade any grade may be certified.
	rs := miniRuleSet(t, func(m map[string]any) {
		delete(m["certification"].(map[string]any), "min_grade")
		m["scaling"].(map[string]any)["base_points"] = -5000
	})
	e2, err := NewEngine(rs, EngineOptions{})
	require.NoError(t, err)
	p = scoreOf(t, e2, goodRecord())
	assert.Equal(t, "C", p.Grade)
	assert.NotContains(t, capIDs(p), "certification.min_grade")

	// A min_grade that is not on the scale is a load error.
	_, err = LoadRuleSet(bytes.NewReader(mutated(t, func(m map[string]any) {
		m["certification"].(map[string]any)["min_grade"] = "D"
	})))
	assert.ErrorContains(t, err, "/certification/min_grade: "+CodeRuleSetUnknownGrade)
}

// TestEvidenceCeilings: the cap conditions missing and present test
// whether an indicator could be computed. Under a rule set that extends
// SCO-BASE with enough base points to make every record AAA, SCO-BASE's
// evidence ceilings leave AAA only to records with both a payment history
// and a register check.
func TestEvidenceCeilings(t *testing.T) {
	child, err := LoadRuleSet(strings.NewReader(`{"id": "TEST-EVIDENCE", "version": "1.0.0", "extends": "SCO-BASE",
		"description": "SCO-BASE with base points high enough for AAA", "sources": [],
		"scaling": {"base_score": 600, "base_odds": 50, "pdo": 20, "min_score": 300, "max_score": 850, "base_points": 1000, "source": "test"}}`))
	require.NoError(t, err)
	reg := BuiltinRuleSets()
	require.NoError(t, reg.Register(child))
	rs, _ := reg.Lookup("TEST-EVIDENCE")
	e, err := NewEngine(rs, EngineOptions{})
	require.NoError(t, err)
	for _, tc := range []struct {
		name     string
		pay, pub bool
		grade    string
		caps     []string
	}{
		{"both", true, true, "AAA", nil},
		{"no payment history", false, true, "BBB", []string{"evidence_no_payment_history"}},
		{"no register check", true, false, "BBB", []string{"evidence_no_register_check"}},
		{"statements only", false, false, "BB", []string{"evidence_statements_only", "evidence_no_payment_history", "evidence_no_register_check"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := goodRecord()
			if !tc.pay {
				rec.Payments = nil
			}
			if !tc.pub {
				rec.PublicRecords = nil
			}
			p := scoreOf(t, e, rec)
			assert.Equal(t, tc.grade, p.Grade)
			var got []string
			for _, c := range p.Caps {
				if c.Kind == "cap" {
					got = append(got, c.ID)
					if len(got) == 1 {
						assert.Equal(t, "AAA", c.GradeBefore, "the first cap lowers the grade, the others find it lower")
					}
				}
			}
			assert.Equal(t, tc.caps, got)
			assert.True(t, pdInBand(t, e, e.gradeIdx[p.Grade], p.PD), "PD %s in the band of %s", p.PD, p.Grade)
		})
	}
}

// TestEvidenceConditionsChecked: missing and present take no operand.
func TestEvidenceConditionsChecked(t *testing.T) {
	for _, cond := range []string{
		`{"indicator": "pay.on_time_share", "op": "missing", "value": 1}`,
		`{"indicator": "trade.customs_status", "op": "present", "values": ["dishonest"]}`,
	} {
		_, err := LoadRuleSet(strings.NewReader(`{"id": "TEST-COND", "version": "1.0.0", "extends": "SCO-BASE", "description": "d", "sources": [],
			"caps": [{"id": "c", "when": [` + cond + `], "max_grade": "B", "reason": "CAP_ENFORCEMENT", "source": "test"}]}`))
		var ps Problems
		require.ErrorAs(t, err, &ps, cond)
		assert.Equal(t, CodeRuleSetCapCondition, ps[0].Code)
		assert.Contains(t, ps[0].Message, "takes no value")
	}
}
