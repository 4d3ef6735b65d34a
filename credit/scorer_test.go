package credit

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mixedBatch returns every sample record of every country, interleaved
// (one of each country in turn), as NDJSON.
func mixedBatch(t testing.TB) []byte {
	t.Helper()
	files, err := filepath.Glob("../testdata/records/*.ndjson")
	require.NoError(t, err)
	var per [][]string
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		per = append(per, strings.Split(strings.TrimSpace(string(b)), "\n"))
	}
	var out bytes.Buffer
	for i := 0; ; i++ {
		n := 0
		for _, lines := range per {
			if i < len(lines) {
				out.WriteString(lines[i] + "\n")
				n++
			}
		}
		if n == 0 {
			return out.Bytes()
		}
	}
}

func sampleRates(t testing.TB) *Rates {
	t.Helper()
	f, err := os.Open("../testdata/fx/rates-2025-12-31.json")
	require.NoError(t, err)
	defer f.Close()
	rates, err := LoadRates(f)
	require.NoError(t, err)
	return rates
}

// TestScorerMixedBatch: one call scores a mixed batch in input order, each
// record exactly as the engine of its own country's rule set scores it.
func TestScorerMixedBatch(t *testing.T) {
	reg := BuiltinRuleSets()
	opts := EngineOptions{Rates: sampleRates(t), Workers: 3}
	s, err := NewScorer(reg, opts)
	require.NoError(t, err)
	in := mixedBatch(t)
	var got []StreamResult
	require.NoError(t, s.ScoreStream(context.Background(), bytes.NewReader(in), func(r StreamResult) error {
		got = append(got, r)
		return nil
	}))
	lines := strings.Split(strings.TrimSpace(string(in)), "\n")
	require.Len(t, got, len(lines))
	engines := map[string]*Engine{}
	for i, r := range got {
		assert.Equal(t, i+1, r.Index, "input order")
		require.True(t, r.Valid(), "record %d: %v", r.Index, r.Problems)
		cc := r.Profile.Country
		if engines[cc] == nil {
			rs, ok := reg.Lookup("SCO-" + cc)
			require.True(t, ok)
			engines[cc], err = NewEngine(rs, opts)
			require.NoError(t, err)
		}
		want, err := engines[cc].ScoreJSON(context.Background(), []byte(lines[i]))
		require.NoError(t, err)
		wantJSON, _ := json.Marshal(want.Profile)
		gotJSON, _ := json.Marshal(r.Profile)
		assert.JSONEq(t, string(wantJSON), string(gotJSON), "record %s", r.RecordID)
		assert.Equal(t, "SCO-"+cc, r.Profile.RuleSet.ID)
	}
	assert.Len(t, engines, len(SCOCountries()), "every country is in the batch")
}

func TestScorerOneRecord(t *testing.T) {
	s, err := NewScorer(BuiltinRuleSets(), EngineOptions{})
	require.NoError(t, err)
	data, err := os.ReadFile("../testdata/records/kz.ndjson")
	require.NoError(t, err)
	line := bytes.SplitN(data, []byte("\n"), 2)[0]
	res, err := s.ScoreJSON(context.Background(), line)
	require.NoError(t, err)
	require.True(t, res.Valid())
	assert.Equal(t, "SCO-KZ", res.Profile.RuleSet.ID)

	v := ParseRecord(line)
	require.True(t, v.Valid())
	p, err := s.Score(context.Background(), v.Record)
	require.NoError(t, err)
	assert.Equal(t, res.Profile.Score, p.Score)
	e, err := s.Engine("KZ", v.Record.AsOf)
	require.NoError(t, err)
	assert.Equal(t, "SCO-KZ", e.RuleSet().ID)
	_, err = s.Score(context.Background(), nil)
	require.Error(t, err)

	ids := []string{}
	for _, rs := range s.RuleSets() {
		ids = append(ids, rs.ID)
	}
	assert.Contains(t, ids, SCOBaseID)
	assert.Contains(t, ids, "SCO-AF")
}

// TestScorerNoRuleSet: a valid record that no rule set covers gives a
// NO_RULESET problem and the records around it are still scored.
func TestScorerNoRuleSet(t *testing.T) {
	reg := BuiltinRuleSets()
	// RU is pinned to a rule set that takes effect only in 2030.
	require.NoError(t, reg.Register(countryRuleSet(t, "RU-LATER", "1.0.0", "RU", "2030-01-01")))
	require.NoError(t, reg.SetDefault("RU", "RU-LATER"))
	s, err := NewScorer(reg, EngineOptions{})
	require.NoError(t, err)
	var in bytes.Buffer
	for _, f := range []string{"kz", "ru"} {
		b, err := os.ReadFile("../testdata/records/" + f + ".ndjson")
		require.NoError(t, err)
		in.Write(bytes.SplitN(b, []byte("\n"), 2)[0])
		in.WriteByte('\n')
	}
	var got []StreamResult
	require.NoError(t, s.ScoreStream(context.Background(), &in, func(r StreamResult) error { got = append(got, r); return nil }))
	require.Len(t, got, 2)
	assert.True(t, got[0].Valid())
	assert.False(t, got[1].Valid())
	require.NotEmpty(t, got[1].Problems)
	assert.Equal(t, CodeNoRuleSet, got[1].Problems[0].Code)
	assert.Equal(t, "/enterprise/country", got[1].Problems[0].Path)
	assert.Equal(t, "ru-001", got[1].RecordID)
	_, err = s.Engine("RU", MustParseDate("2026-09-30"))
	require.ErrorIs(t, err, ErrNoRuleSet)
}

func TestNewScorerRefusesModifiedRuleSet(t *testing.T) {
	reg := BuiltinRuleSets()
	rs, _ := reg.Lookup("SCO-CN")
	rs.Description = "changed"
	_, err := NewScorer(reg, EngineOptions{})
	require.ErrorIs(t, err, ErrRuleSetModified)
	_, err = NewScorer(nil, EngineOptions{})
	require.Error(t, err)
	_, err = NewScorer(BuiltinRuleSets(), EngineOptions{Lang: "xx"})
	require.Error(t, err)
}

// TestOtherCountryWarning: an engine forced on a record of another
// country says so in the profile; the baseline, made for every country,
// does not.
func TestOtherCountryWarning(t *testing.T) {
	reg := BuiltinRuleSets()
	data, err := os.ReadFile("../testdata/records/kz.ndjson")
	require.NoError(t, err)
	line := bytes.SplitN(data, []byte("\n"), 2)[0]
	for _, tc := range []struct {
		id   string
		want bool
	}{{"SCO-CN", true}, {"SCO-KZ", false}, {SCOBaseID, false}} {
		rs, _ := reg.Lookup(tc.id)
		e, err := NewEngine(rs, EngineOptions{})
		require.NoError(t, err)
		res, err := e.ScoreJSON(context.Background(), line)
		require.NoError(t, err)
		var codes []string
		for _, w := range res.Profile.Warnings {
			codes = append(codes, w.Code)
			if w.Code == CodeRuleSetOtherCountry {
				assert.Equal(t, "/enterprise/country", w.Path)
				assert.Equal(t, SeverityWarning, w.Severity)
			}
		}
		assert.Equal(t, tc.want, slices.Contains(codes, CodeRuleSetOtherCountry), tc.id)
	}
}

// TestScorerSharesCompiledBins: engines of country rule sets that inherit
// the baseline's characteristics share one compiled copy (the mixed-batch
// benchmark depends on it), and the profiles are unchanged by it
// (TestScorerMixedBatch compares them with separately built engines).
func TestScorerSharesCompiledBins(t *testing.T) {
	s, err := NewScorer(BuiltinRuleSets(), EngineOptions{})
	require.NoError(t, err)
	asOf := MustParseDate("2026-09-30")
	cn, err := s.Engine("CN", asOf)
	require.NoError(t, err)
	for _, cc := range SCOCountries() {
		e, err := s.Engine(cc, asOf)
		require.NoError(t, err)
		assert.Same(t, &cn.chars[0], &e.chars[0], cc)
		assert.Same(t, cn.table, e.table, cc)
	}
	alone, err := NewEngine(countryRuleSetOf(t, "KG"), EngineOptions{})
	require.NoError(t, err)
	assert.NotSame(t, &cn.chars[0], &alone.chars[0], "engines built on their own share nothing")
}
