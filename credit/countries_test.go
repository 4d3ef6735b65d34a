package credit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/creditsco/creditsco/credit/ident"
	"github.com/creditsco/creditsco/credit/rulesets"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests of the shipped country rule sets: the consistency of every file,
// and one test per kind of override showing it does what its source says.
// They compare with the baseline of the same record rather than with
// absolute scores, so that they hold whatever SCO-BASE's points are.

// countryFiles returns the raw JSON of every shipped country rule set, by
// country code.
func countryFiles(t *testing.T) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, cc := range SCOCountries() {
		b, err := rulesets.Files.ReadFile(strings.ToLower(cc) + ".json")
		require.NoError(t, err, "every SCO country has a rule set file")
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&m))
		out[cc] = m
	}
	return out
}

func countryRuleSetOf(t *testing.T, cc string) *RuleSet {
	t.Helper()
	rs, ok := BuiltinRuleSets().Lookup("SCO-" + cc)
	require.True(t, ok, "SCO-%s", cc)
	return rs
}

// citation matches a bracketed source citation: [id] or [id section].
var citation = regexp.MustCompile(`\[([a-z0-9][a-z0-9-]*)(?:\]| [^\]]*\])`)

// TestCountryRuleSetsConsistent: every shipped country rule set loads and
// passes the schema and semantic checks (LoadRuleSet, at init), extends
// the baseline, states its version, date and country, has en/zh/ru texts
// for every reason code it can emit, overrides no number without a source
// citing a document of its (resolved) source list, and leaves the parts
// the recognition table relies on (scaling, master scale, PD floor,
// certification) to the baseline.
func TestCountryRuleSetsConsistent(t *testing.T) {
	base := DefaultRuleSet()
	for cc, raw := range countryFiles(t) {
		t.Run(cc, func(t *testing.T) {
			rs := countryRuleSetOf(t, cc)
			assert.Equal(t, SCOBaseID, rs.Extends)
			assert.Equal(t, cc, rs.Country)
			assert.Regexp(t, `^\d+\.\d+\.\d+$`, rs.Version)
			_, err := ParseDate(rs.EffectiveFrom)
			assert.NoError(t, err, "effective_from")
			assert.True(t, rs.Resolved())
			assert.NotEmpty(t, rs.Description)
			for _, part := range []string{"scaling", "master_scale", "pd_floor", "certification"} {
				assert.NotContains(t, raw, part, "the recognition table assumes the baseline's %s", part)
			}

			// Reason texts for every code the rule set can emit.
			codes := slices.Clone(certReasons)
			for _, c := range rs.Characteristics {
				codes = append(codes, c.Reason, c.Missing.Reason)
				for _, b := range c.Bins {
					codes = append(codes, b.Reason)
				}
				for _, b := range c.Categories {
					codes = append(codes, b.Reason)
				}
			}
			for _, cp := range rs.Caps {
				codes = append(codes, cp.Reason)
			}
			for _, code := range codes {
				if code == "" {
					continue
				}
				txt, ok := rs.Reasons[code]
				if assert.True(t, ok, "reason %s", code) {
					assert.NotEmpty(t, txt.EN, code)
					assert.NotEmpty(t, txt.ZH, code)
					assert.NotEmpty(t, txt.RU, code)
					assert.NotEqual(t, txt.EN, txt.RU, code)
				}
			}

			// Sources: every object of the file that holds a number has a
			// source, every source cites a document, and every citation
			// names a document of the resolved rule set.
			known := map[string]bool{"design": true, "derived": true}
			for _, s := range rs.Sources {
				known[s.ID] = true
			}
			var walk func(path string, v any, inheritedSource string)
			walk = func(path string, v any, src string) {
				switch x := v.(type) {
				case map[string]any:
					if s, ok := x["source"].(string); ok {
						src = s
						ids := citation.FindAllStringSubmatch(s, -1)
						assert.NotEmpty(t, ids, "%s: source %q cites no document", path, s)
						for _, id := range ids {
							assert.True(t, known[id[1]], "%s: source cites unknown document [%s]", path, id[1])
						}
					}
					for k, e := range x {
						walk(path+"/"+k, e, src)
					}
				case []any:
					for i, e := range x {
						walk(pointer(path, itoa(i)), e, src)
					}
				case json.Number:
					assert.NotEmpty(t, src, "%s: number without a source", path)
				}
			}
			walk("", raw, "")
			// The documents a country adds are its own (no id of the baseline's reused).
			for _, s := range raw["sources"].([]any) {
				id := s.(map[string]any)["id"].(string)
				assert.False(t, slices.ContainsFunc(base.Sources, func(b Source) bool { return b.ID == id }), "source id %s shadows the baseline's", id)
			}

			// Identity: every scheme of the country that credit/ident knows is accepted.
			require.NotNil(t, rs.Identity)
			for _, s := range ident.ForCountry(cc) {
				assert.Contains(t, rs.Identity.Schemes, s.Name())
			}
			assert.True(t, IsCurrency(rs.Currency))
		})
	}
}

// countryRecords returns the valid sample records of a country.
func countryRecords(t *testing.T, cc string) []*Record {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "records", strings.ToLower(cc)+".ndjson"))
	require.NoError(t, err)
	defer f.Close()
	var out []*Record
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, MaxRecordBytes+1)
	for sc.Scan() {
		res := ParseRecord(sc.Bytes())
		require.True(t, res.Valid(), "%v", res.Problems)
		out = append(out, res.Record)
	}
	require.NoError(t, sc.Err())
	return out
}

// TestSampleRecordsPerCountry: at least three sample records per country
// (a strong, a middling and a weak firm, by grade), in the country's home
// currency and with a legal name in its register's script.
func TestSampleRecordsPerCountry(t *testing.T) {
	s, err := NewScorer(BuiltinRuleSets(), EngineOptions{Rates: sampleRates(t)})
	require.NoError(t, err)
	latin := regexp.MustCompile(`^[\p{Latin}\p{N}\p{P}\p{Zs}]+$`)
	for _, cc := range SCOCountries() {
		rs := countryRuleSetOf(t, cc)
		recs := countryRecords(t, cc)
		require.GreaterOrEqual(t, len(recs), 3, cc)
		var scores []int64
		for _, r := range recs {
			for _, st := range r.Financials {
				assert.Equal(t, rs.Currency, st.Currency, "%s: statements in the home currency", r.RecordID)
			}
			// IN and PK register names in Latin script; UZ's official script is Latin.
			if !slices.Contains([]string{"IN", "PK", "UZ"}, cc) {
				assert.False(t, latin.MatchString(r.Enterprise.LegalName), "%s: legal name in the local script", r.RecordID)
			}
			p, err := s.Score(context.Background(), r)
			require.NoError(t, err)
			scores = append(scores, p.Score)
		}
		slices.Sort(scores)
		assert.Less(t, scores[0], scores[len(scores)/2], "%s: a weak and a middling firm", cc)
		assert.Less(t, scores[len(scores)/2], scores[len(scores)-1], "%s: a middling and a strong firm", cc)
	}
}

// growthRecord is a record with two annual statements whose revenue grew
// by the given nominal rate.
func growthRecord(cc, rate string) *Record {
	r := baseRecord()
	r.Enterprise.Country = cc
	prev := baseStatement("2024-12-31")
	prev.Revenue = dec("100000000")
	cur := baseStatement("2025-12-31")
	cur.Revenue = prev.Revenue.Mul(one.Add(dec(rate)))
	r.Financials = []Statement{cur, prev}
	return r
}

func realGrowth(t *testing.T, rs *RuleSet, rec *Record) decimal.Decimal {
	t.Helper()
	params := map[string]decimal.Decimal{}
	for k, v := range rs.Parameters {
		params[k] = v.Value
	}
	v, _, ok := ComputeIndicator("fin.revenue_growth_real", rec, params, nil)
	require.True(t, ok)
	require.False(t, v.IsMissing(), v.Missing)
	return v.Num
}

// TestInflationOverrides: each country deflates revenue growth by its own
// inflation figure, so growth equal to that figure is no real growth (no
// economy rewards nominal growth); the same 30 % nominal growth is lower
// in real terms in Iran than in China by exactly what the two figures
// imply; and the engine applies the figure (the profile's value equals the
// indicator under the rule set's parameters).
func TestInflationOverrides(t *testing.T) {
	base := DefaultRuleSet()
	for _, cc := range SCOCountries() {
		rs := countryRuleSetOf(t, cc)
		infl := rs.Parameters["expected_inflation"]
		require.NotEqual(t, "", infl.Source, cc)
		assert.True(t, realGrowth(t, rs, growthRecord(cc, infl.Value.String())).IsZero(), "%s: growth equal to inflation is no real growth", cc)
		// Against the baseline: a higher country figure gives lower real growth.
		rec := growthRecord(cc, "0.3")
		got, want := realGrowth(t, rs, rec), realGrowth(t, base, rec)
		assert.Equal(t, -infl.Value.Cmp(base.Parameters["expected_inflation"].Value), got.Cmp(want), "%s", cc)

		e, err := NewEngine(rs, EngineOptions{})
		require.NoError(t, err)
		p, err := e.Score(context.Background(), rec)
		require.NoError(t, err)
		for _, c := range p.Characteristics {
			if c.Indicator == "fin.revenue_growth_real" {
				assert.Equal(t, got.StringFixed(4), *c.Value, cc)
			}
		}
	}
	ir, cn := countryRuleSetOf(t, "IR"), countryRuleSetOf(t, "CN")
	rec := growthRecord("IR", "0.3")
	nominal := dec("1.3")
	wantDiff := nominal.DivRound(one.Add(cn.Parameters["expected_inflation"].Value), 16).
		Sub(nominal.DivRound(one.Add(ir.Parameters["expected_inflation"].Value), 16)).Round(4)
	diff := realGrowth(t, cn, rec).Sub(realGrowth(t, ir, rec))
	assert.True(t, diff.Sub(wantDiff).Abs().LessThanOrEqual(dec("0.0001")), "IR vs CN: %s, want %s", diff, wantDiff)
	assert.True(t, realGrowth(t, ir, rec).IsNegative(), "30 %% nominal growth is a real decline at Iran's inflation")
	assert.True(t, dec("0.3").Equal(realGrowth(t, cn, rec)), "China's 2025 inflation was 0: nominal is real")
}

// strongRecord returns the country's best-scoring sample record, with the
// registers checked and clean.
func strongRecord(t *testing.T, cc string) *Record {
	t.Helper()
	recs := countryRecords(t, cc)
	r := recs[0]
	r.PublicRecords = []PublicRecord{}
	r.Payments = nil
	return r
}

// TestRegisterCaps: an open entry of every register that names caps
// triggers each of them under the country's rule set (with the cap's grade
// limit, certifiability and reason text); the caps the country adds do not
// apply under the baseline to the same record.
func TestRegisterCaps(t *testing.T) {
	base, err := NewEngine(DefaultRuleSet(), EngineOptions{})
	require.NoError(t, err)
	for _, cc := range SCOCountries() {
		rs := countryRuleSetOf(t, cc)
		e, err := NewEngine(rs, EngineOptions{})
		require.NoError(t, err)
		for _, reg := range rs.Registers {
			if len(reg.Caps) == 0 {
				continue
			}
			rec := strongRecord(t, cc)
			rec.PublicRecords = []PublicRecord{{Type: reg.Type, Date: rec.AsOf.AddMonths(-1)}}
			p, err := e.Score(context.Background(), rec)
			require.NoError(t, err)
			bp, err := base.Score(context.Background(), rec)
			require.NoError(t, err)
			for _, id := range reg.Caps {
				cp := rs.Caps[slices.IndexFunc(rs.Caps, func(c Cap) bool { return c.ID == id })]
				k := slices.IndexFunc(p.Caps, func(a AppliedCap) bool { return a.ID == id })
				if !assert.GreaterOrEqual(t, k, 0, "%s: an open %s entry (%s) triggers cap %s", cc, reg.Type, reg.Name, id) {
					continue
				}
				ac := p.Caps[k]
				assert.Equal(t, cp.Reason, ac.Reason)
				assert.Equal(t, rs.Reasons[cp.Reason].EN, ac.Text)
				if cp.MaxGrade != "" {
					assert.LessOrEqual(t, gradePos(rs, cp.MaxGrade), gradePos(rs, p.Grade), "%s: grade %s under cap %s", cc, p.Grade, id)
				}
				if cp.Certifiable != nil && !*cp.Certifiable {
					assert.False(t, p.Certifiable)
				}
				parentHas := slices.ContainsFunc(DefaultRuleSet().Caps, func(c Cap) bool { return c.ID == id })
				assert.Equal(t, parentHas, slices.ContainsFunc(bp.Caps, func(a AppliedCap) bool { return a.ID == id }),
					"%s: cap %s under the baseline", cc, id)
			}
		}
	}
}

func gradePos(rs *RuleSet, g string) int {
	return slices.IndexFunc(rs.MasterScale.Grades, func(x Grade) bool { return x.Grade == g })
}

// TestChinaDishonestDebtorCapped: the example, spelled out.
func TestChinaDishonestDebtorCapped(t *testing.T) {
	rs := countryRuleSetOf(t, "CN")
	e, err := NewEngine(rs, EngineOptions{})
	require.NoError(t, err)
	rec := strongRecord(t, "CN")
	clean, err := e.Score(context.Background(), rec)
	require.NoError(t, err)
	rec.PublicRecords = []PublicRecord{{Type: PublicDishonestDebtor, Date: MustParseDate("2026-05-20"), Authority: "苏州市中级人民法院"}}
	p, err := e.Score(context.Background(), rec)
	require.NoError(t, err)
	assert.False(t, p.Certifiable)
	assert.Greater(t, gradePos(rs, p.Grade), gradePos(rs, clean.Grade), "the listing lowers the grade")
	assert.True(t, slices.ContainsFunc(p.Caps, func(a AppliedCap) bool { return a.ID == "dishonest_debtor" }))
}

// TestLocalLabels: a KZ profile carries its grade's label on S&P's
// Kazakhstan scale after the master grade; grades without a published
// correspondence carry none, and neither do countries without a scale.
func TestLocalLabels(t *testing.T) {
	s, err := NewScorer(BuiltinRuleSets(), EngineOptions{Rates: sampleRates(t)})
	require.NoError(t, err)
	kz := countryRuleSetOf(t, "KZ")
	for _, rec := range countryRecords(t, "KZ") {
		p, err := s.Score(context.Background(), rec)
		require.NoError(t, err)
		label, ok := kz.LocalLabel(p.Grade)
		if !ok {
			assert.Nil(t, p.LocalGrade, p.Grade)
			continue
		}
		require.NotNil(t, p.LocalGrade, p.Grade)
		assert.Equal(t, label, p.LocalGrade.Label)
		assert.Equal(t, kz.LocalScale.Name, p.LocalGrade.Scale)
		b, err := json.Marshal(p)
		require.NoError(t, err)
		assert.Less(t, bytes.Index(b, []byte(`"grade"`)), bytes.Index(b, []byte(`"local_grade"`)), "master grade first")
	}
	for _, g := range []string{"AAA", "AA", "A", "BBB"} {
		l, ok := kz.LocalLabel(g)
		assert.True(t, ok)
		assert.Equal(t, "kzAAA", l, "every grade at or above the sovereign's anchor is kzAAA")
	}
	_, ok := kz.LocalLabel("BB")
	assert.False(t, ok)
	rec := countryRecords(t, "CN")[0]
	p, err := s.Score(context.Background(), rec)
	require.NoError(t, err)
	assert.Nil(t, p.LocalGrade)
}

// TestPrimaryIdentifier: certificates name the scheme the country's
// identity part prefers: BIN for a KZ legal entity and IIN for an
// individual entrepreneur, CIN for an Indian company, INN in Russia.
func TestPrimaryIdentifier(t *testing.T) {
	for _, tc := range []struct {
		cc      string
		ids     []Identifier
		want    Identifier
		wantsOK bool
	}{
		{"KZ", []Identifier{{"LEI", "984500D3KZ71QW5MA241"}, {"KZ-BIN", "0805 4003 8178"}}, Identifier{"KZ-BIN", "080540038178"}, true},
		{"KZ", []Identifier{{"KZ-IIN", "780412300407"}}, Identifier{"KZ-IIN", "780412300407"}, true},
		{"IN", []Identifier{{"IN-GSTIN", "24AAHCV4821L1Z4"}, {"IN-PAN", "AAHCV4821L"}, {"IN-CIN", "U24230GJ2006PTC048317"}}, Identifier{"IN-CIN", "U24230GJ2006PTC048317"}, true},
		{"IN", []Identifier{{"IN-GSTIN", "24AAHCV4821L1Z4"}, {"IN-PAN", "AAHCV4821L"}}, Identifier{"IN-PAN", "AAHCV4821L"}, true},
		{"RU", []Identifier{{"RU-OGRN", "1025901584323"}, {"RU-INN", "5905128736"}}, Identifier{"RU-INN", "5905128736"}, true},
		{"RU", []Identifier{{"RU-INN", "5905128730"}}, Identifier{}, false}, // invalid check digit
	} {
		rs := countryRuleSetOf(t, tc.cc)
		id, ok := rs.PrimaryIdentifier(&Enterprise{Country: tc.cc, Identifiers: tc.ids})
		assert.Equal(t, tc.wantsOK, ok, "%v", tc.ids)
		assert.Equal(t, tc.want, id, "%v", tc.ids)
	}
	// Without an identity part: the first valid identifier of the country.
	id, ok := DefaultRuleSet().PrimaryIdentifier(&Enterprise{Country: "RU", Identifiers: []Identifier{{"LEI", "2534004XKM7QR2V1T670"}, {"RU-OGRN", "1025901584323"}, {"RU-INN", "5905128736"}}})
	assert.True(t, ok)
	assert.Equal(t, Identifier{"RU-OGRN", "1025901584323"}, id)
}

// TestLocalLanguageTexts: texts in a country's own language are used for
// that language tag, English otherwise; an engine can be asked for one.
func TestLocalLanguageTexts(t *testing.T) {
	kz := countryRuleSetOf(t, "KZ")
	txt := kz.Reasons["CAP_TAX_DEBTOR_LIST"]
	assert.Equal(t, txt.Local[0].Text, txt.Text("kk"))
	assert.Equal(t, txt.EN, txt.Text("hi"))
	assert.Equal(t, kz.Reasons["PAY_LATE"].EN, kz.Reasons["PAY_LATE"].Text("kk"), "no Kazakh text: English")

	e, err := NewEngine(kz, EngineOptions{Lang: "kk"})
	require.NoError(t, err)
	rec := strongRecord(t, "KZ")
	rec.PublicRecords = []PublicRecord{{Type: PublicTaxArrears, Date: MustParseDate("2026-06-01")}}
	p, err := e.Score(context.Background(), rec)
	require.NoError(t, err)
	k := slices.IndexFunc(p.Caps, func(a AppliedCap) bool { return a.ID == "tax_debtor_list" })
	require.GreaterOrEqual(t, k, 0)
	assert.Equal(t, txt.Local[0].Text, p.Caps[k].Text)
	_, err = NewEngine(kz, EngineOptions{Lang: "de"})
	require.Error(t, err)
}

// TestIdentityCrossChecksListed: every cross-check code a country's rule
// set lists is one the validator can report for that country's schemes,
// shown by its test record in testdata/invalid, and the codes its schemes
// can produce are listed.
func TestIdentityCrossChecksListed(t *testing.T) {
	canFire := map[string][]string{
		CodeIdentGSTINPANMismatch:   {"IN"},
		CodeIdentEntityKindConflict: {"RU", "KZ", "IN", "IR"},
		CodeIdentRegionMismatch:     {"RU"},
	}
	for _, cc := range SCOCountries() {
		rs := countryRuleSetOf(t, cc)
		for code, ccs := range canFire {
			assert.Equal(t, slices.Contains(ccs, cc), slices.Contains(rs.Identity.CrossChecks, code), "%s lists %s", cc, code)
		}
		assert.Contains(t, rs.Identity.CrossChecks, CodeIdentSecondValue, cc)
		for _, code := range rs.Identity.CrossChecks {
			_, err := os.Stat(filepath.Join("..", "testdata", "invalid", code+".json"))
			assert.NoError(t, err, code)
		}
	}
}

// TestCountryRuleSetsAsGo: a country rule set read from its file and
// written back as Go (NewRuleSet) keeps its digest, country parts
// included.
func TestCountryRuleSetsAsGo(t *testing.T) {
	for _, cc := range SCOCountries() {
		data, err := rulesets.Files.ReadFile(strings.ToLower(cc) + ".json")
		require.NoError(t, err)
		rs, err := LoadRuleSet(bytes.NewReader(data))
		require.NoError(t, err)
		again, err := NewRuleSet(*rs)
		require.NoError(t, err)
		reg := NewRuleSetRegistry()
		require.NoError(t, reg.Register(DefaultRuleSet()))
		require.NoError(t, reg.Register(again))
		got, _ := reg.Lookup("SCO-" + cc)
		assert.Equal(t, countryRuleSetOf(t, cc).Digest(), got.Digest(), cc)
	}
}
