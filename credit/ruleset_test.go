package credit

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltinRuleSets(t *testing.T) {
	g := BuiltinRuleSets()
	assert.Contains(t, g.IDs(), SCOBaseID)
	rs, ok := g.Lookup(SCOBaseID)
	require.True(t, ok)
	assert.True(t, rs.Resolved())
	assert.True(t, strings.HasPrefix(rs.Digest(), "sha256:"))
	// The digest is the sha256 of the canonical form of the embedded file.
	data, err := os.ReadFile("rulesets/sco-base.json")
	require.NoError(t, err)
	canon, err := canonicalJSON(data)
	require.NoError(t, err)
	assert.Equal(t, digestOf(canon), rs.Digest())
	// Every number has a source: the schema requires it; spot-check bins.
	for _, c := range rs.Characteristics {
		assert.NotEmpty(t, c.Source, c.ID)
		assert.NotEmpty(t, c.Missing.Source, c.ID)
		for _, b := range c.Bins {
			assert.NotEmpty(t, b.Source, c.ID)
		}
	}
	// Certification reason codes have texts.
	for _, code := range certReasons {
		assert.NotEmpty(t, rs.Reasons[code].ZH, code)
	}
}

// mutated returns the SCO-BASE file with f applied to its decoded form.
func mutated(t *testing.T, f func(m map[string]any)) []byte {
	t.Helper()
	data, err := os.ReadFile("rulesets/sco-base.json")
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	f(m)
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

func char(m map[string]any, i int) map[string]any {
	return m["characteristics"].([]any)[i].(map[string]any)
}

func bin(m map[string]any, c, b int) map[string]any {
	return char(m, c)["bins"].([]any)[b].(map[string]any)
}

func TestLoadRuleSetProblems(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(m map[string]any)
		code   string
		path   string
	}{
		{"schema: missing description", func(m map[string]any) { delete(m, "description") }, CodeRequired, "/description"},
		{"schema: bin without source", func(m map[string]any) { delete(bin(m, 0, 0), "source") }, CodeRequired, "/characteristics/0/bins/0/source"},
		{"schema: unknown field", func(m map[string]any) { m["weights"] = 1 }, CodeUnknownField, "/weights"},
		{"number beyond double precision", func(m map[string]any) {
			bin(m, 1, 1)["points"] = json.Number("1.00000000000000000001")
		}, CodeRuleSetNumberPrecision, "/characteristics/1/bins/1/points"},
		{"gap", func(m map[string]any) { bin(m, 1, 1)["lower"] = 0.9 }, CodeRuleSetBinsGap, "/characteristics/1/bins/1/lower"},
		{"overlap", func(m map[string]any) { bin(m, 1, 1)["lower"] = 0.7 }, CodeRuleSetBinsUnsorted, "/characteristics/1/bins/1/lower"},
		{"open first bin", func(m map[string]any) { bin(m, 1, 0)["lower"] = 0 }, CodeRuleSetBinsOpenEnds, "/characteristics/1/bins/0/lower"},
		{"direction", func(m map[string]any) { bin(m, 1, 4)["points"] = -100 }, CodeRuleSetDirection, "/characteristics/1/bins/4/points"},
		{"unknown indicator", func(m map[string]any) { char(m, 2)["indicator"] = "fin.magic" }, CodeRuleSetUnknownIndicator, "/characteristics/2/indicator"},
		{"unknown reason", func(m map[string]any) { char(m, 2)["reason"] = "NO_SUCH_CODE" }, CodeRuleSetUnknownReason, "/characteristics/2/reason"},
		{"reason text missing language", func(m map[string]any) {
			delete(m["reasons"].(map[string]any)["FIN_LOSSES"].(map[string]any), "ru")
		}, CodeRequired, "/reasons/FIN_LOSSES/ru"},
		{"duplicate characteristic", func(m map[string]any) {
			m["characteristics"] = append(m["characteristics"].([]any), char(m, 0))
		}, CodeRuleSetDuplicateID, ""},
		{"master scale not increasing", func(m map[string]any) {
			m["master_scale"].(map[string]any)["grades"].([]any)[2].(map[string]any)["pd_upper"] = 0.0001
		}, CodeRuleSetMasterScale, "/master_scale/grades/2/pd_upper"},
		{"cap on unknown grade", func(m map[string]any) {
			m["caps"].([]any)[0].(map[string]any)["max_grade"] = "Z"
		}, CodeRuleSetUnknownGrade, "/caps/0/max_grade"},
		{"cap on unknown category", func(m map[string]any) {
			m["caps"].([]any)[0].(map[string]any)["when"].([]any)[0].(map[string]any)["values"] = []any{"asleep"}
		}, CodeRuleSetCapCondition, "/caps/0/when/0"},
		{"category not covered", func(m map[string]any) {
			cs := char(m, 8)["categories"].([]any)
			char(m, 8)["categories"] = cs[:1]
		}, CodeRuleSetCategories, "/characteristics/8/categories"},
		{"unknown parameter", func(m map[string]any) {
			m["parameters"].(map[string]any)["magic"] = map[string]any{"value": 1, "source": "x"}
		}, CodeRuleSetParameter, "/parameters/magic"},
		{"score range", func(m map[string]any) { m["scaling"].(map[string]any)["min_score"] = 900 }, CodeRuleSetScaling, "/scaling/min_score"},
		{"stand-alone without scaling", func(m map[string]any) { delete(m, "scaling") }, CodeRuleSetMissingPart, "/scaling"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadRuleSet(bytes.NewReader(mutated(t, tt.mutate)))
			require.Error(t, err)
			var ps Problems
			require.True(t, errors.As(err, &ps), "%v", err)
			var found bool
			for _, p := range ps {
				if p.Code == tt.code && (tt.path == "" || p.Path == tt.path) {
					found = true
				}
			}
			assert.True(t, found, "want %s at %q, got:\n%v", tt.code, tt.path, err)
		})
	}
	_, err := LoadRuleSet(strings.NewReader("{"))
	assert.ErrorContains(t, err, CodeRuleSetMalformed)
	_, err = LoadRuleSet(strings.NewReader(`{"id":"X","id":"Y"}`))
	assert.ErrorContains(t, err, CodeRuleSetMalformed)
}

func TestRegistryExtends(t *testing.T) {
	g := BuiltinRuleSets()
	f, err := os.Open("../testdata/rulesets/kz-example.json")
	require.NoError(t, err)
	defer f.Close()
	child, err := LoadRuleSet(f)
	require.NoError(t, err)
	assert.False(t, child.Resolved())
	_, err = NewEngine(child, EngineOptions{})
	assert.Error(t, err, "an unresolved rule set cannot run")

	require.NoError(t, g.Register(child))
	assert.ErrorContains(t, g.Register(child), "already registered")
	kz, ok := g.Lookup("KZ-EXAMPLE")
	require.True(t, ok)
	base := DefaultRuleSet()
	assert.True(t, kz.Resolved())
	assert.NotEqual(t, base.Digest(), kz.Digest())
	// The digest is that of the JCS form of [parent file, own file], which
	// any RFC 8785 implementation can recompute from the two files.
	pair := append(append(append([]byte("["), mustRead(t, "rulesets/sco-base.json")...), ','), mustRead(t, "../testdata/rulesets/kz-example.json")...)
	canon, err := canonicalJSON(append(pair, ']'))
	require.NoError(t, err)
	assert.Equal(t, digestOf(canon), kz.Digest())
	assert.Equal(t, "10", kz.Parameters["payment_grace_days"].Value.String())
	assert.Equal(t, base.Parameters["on_time_window_months"], kz.Parameters["on_time_window_months"])
	assert.Len(t, kz.Characteristics, len(base.Characteristics), "replaced by id, not added")
	assert.Len(t, kz.Caps, len(base.Caps)+1)
	assert.Equal(t, base.MasterScale, kz.MasterScale)
	assert.Contains(t, kz.Reasons, "CAP_TAX_ARREARS")
	assert.Contains(t, kz.Reasons, "FIN_EMS_LOW")

	e, err := NewEngine(kz, EngineOptions{})
	require.NoError(t, err)
	rec := baseRecord()
	rec.PublicRecords = []PublicRecord{{Type: PublicTaxArrears, Date: MustParseDate("2026-01-01")}}
	p := scoreOf(t, e, rec)
	assert.Equal(t, "KZ-EXAMPLE", p.RuleSet.ID)
	assert.Contains(t, capIDs(p), "tax_arrears")
	for _, c := range p.Characteristics {
		if c.ID == "pub_tax_arrears" {
			assert.Equal(t, "-40", c.Points)
		}
	}

	orphan := bytes.Replace(mustRead(t, "../testdata/rulesets/kz-example.json"), []byte(`"extends": "SCO-BASE"`), []byte(`"extends": "NOPE"`), 1)
	rs, err := LoadRuleSet(bytes.NewReader(orphan))
	require.NoError(t, err)
	assert.ErrorContains(t, NewRuleSetRegistry().Register(rs), CodeRuleSetUnknownParent)
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

func TestRegistryConcurrent(t *testing.T) {
	g := NewRuleSetRegistry()
	base := DefaultRuleSet()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- g.Register(base)
			g.Lookup(SCOBaseID)
			g.IDs()
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if err == nil {
			n++
		}
	}
	assert.Equal(t, 1, n, "exactly one registration succeeds")
}

// TestCanonicalJSON checks that rule-set digests are computed over the
// RFC 8785 (JCS) form: numbers re-serialised as ECMAScript doubles, strings
// escaped as JSON.stringify does, members in UTF-16 order. The full RFC
// 8785 vectors are tested in credit/internal/jcs.
func TestCanonicalJSON(t *testing.T) {
	for in, want := range map[string]string{
		`{ "b": 1, "a": [true, null, "x<y"], "c": {"z": 1.50, "y": 1e3} }`: `{"a":[true,null,"x<y"],"b":1,"c":{"y":1000,"z":1.5}}`,
		"{\"\u00e9\":1,\"\U0001F600\":2,\"\uff5e\":3}":                     "{\"\u00e9\":1,\"\U0001F600\":2,\"\uff5e\":3}", // UTF-16: D83D < FF5E
		`"\u00e9\n\u001F\/"`:   "\"\u00e9\\n\\u001f/\"",
		`[]`:                   `[]`,
		`[0.000001, 1e21, -0]`: `[0.000001,1e+21,0]`,
	} {
		got, err := canonicalJSON([]byte(in))
		require.NoError(t, err, in)
		assert.Equal(t, want, string(got), in)
	}
	for _, bad := range []string{`{"a":1,"a":2}`, `{`, `1 2`, strings.Repeat("[", 100) + strings.Repeat("]", 100),
		"\"\xff\"", `"\ud800"`, `1e400`} {
		_, err := canonicalJSON([]byte(bad))
		assert.ErrorContains(t, err, "credit: canonical JSON: json: offset ", bad)
	}
}
