package credit

import (
	"bytes"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ruleSetProblems loads data and returns its problems; the load must fail
// with a Problems error.
func ruleSetProblems(t *testing.T, data []byte) Problems {
	t.Helper()
	rs, err := LoadRuleSet(bytes.NewReader(data))
	require.Error(t, err)
	require.Nil(t, rs)
	var ps Problems
	require.True(t, errors.As(err, &ps), "%v", err)
	return ps
}

// TestRuleSetNumberLimits checks the limits on numbers that the rule-set
// loader applies before the canonicaliser and the schema library see
// them: 1e-9999999 crashed gojsonschema (a nil big.Rat), 1e-999999 took
// minutes, and 1e-400 became 0 in the digest without a word.
func TestRuleSetNumberLimits(t *testing.T) {
	for _, c := range []struct{ value, msg string }{
		{"1e-9999999", "number has an exponent of 7 digits; at most 2 are accepted"},
		{"1e-999999", "number has an exponent of 6 digits; at most 2 are accepted"},
		{"1e-400", "number has an exponent of 3 digits; at most 2 are accepted"},
		{"1E+400", "number has an exponent of 3 digits; at most 2 are accepted"},
		{"0.00000000000000000000001", "number has 25 characters; at most 24 are accepted"},
	} {
		data := mutated(t, func(m map[string]any) {
			m["pd_floor"].(map[string]any)["value"] = json.Number(c.value)
		})
		ps := ruleSetProblems(t, data)
		assert.Equal(t, Problems{{Path: "/pd_floor/value", Code: CodeRuleSetNumberTooLong, Severity: SeverityError, Message: c.msg}}, ps, c.value)
	}
	// A file full of huge exponents: bounded work and problems.
	data := []byte(`{"id":"X","version":"1.0.0","description":"d","sources":[],"x":[` +
		strings.Repeat("1e-999999,", 100000) + `1]}`)
	ps := ruleSetProblems(t, data)
	require.Len(t, ps, MaxProblems+1)
	assert.Equal(t, CodeRuleSetTooManyProblems, ps[0].Code)
	assert.Equal(t, "99900 more problems (99900 errors, 0 warnings) are not listed; at most 100 are reported per rule set", ps[0].Message)
	assert.Equal(t, CodeRuleSetNumberTooLong, ps[1].Code)
}

// TestRuleSetDecodingProblems checks the other limits of the decoder, with
// rule-set codes and wording.
func TestRuleSetDecodingProblems(t *testing.T) {
	for _, c := range []struct{ doc, path, code, msg string }{
		{`{"id":"X","id":"Y"}`, "/id", CodeRuleSetMalformed, `key "id" appears more than once in the same object`},
		{`{"a":[[[[[[[[1]]]]]]]]}`, "/a/0/0/0/0/0/0/0", CodeRuleSetTooDeep, "nesting deeper than 8 levels; the rule-set schema needs no more than 6"},
		{`{"id":"X\ud800"}`, "/id", CodeRuleSetMalformed, `\ud800 at byte 8 is a lone UTF-16 surrogate, which encodes no Unicode character; write the character itself or a surrogate pair`},
		{`{"id":`, "", CodeRuleSetMalformed, "malformed JSON: the rule set ends early, after 6 bytes"},
		{"id,version\nX,1", "", CodeRuleSetMalformed, "malformed JSON at byte 0: invalid character 'i' looking for beginning of value; a rule set is one JSON object (schema/ruleset.schema.json)"},
		{"{\"id\":\"\xff\"}", "", CodeRuleSetMalformed, "invalid UTF-8 at byte 7"},
	} {
		ps := ruleSetProblems(t, []byte(c.doc))
		require.NotEmpty(t, ps, c.doc)
		assert.Equal(t, Problem{Path: c.path, Code: c.code, Severity: SeverityError, Message: c.msg}, ps[0], c.doc)
	}
	_, err := LoadRuleSet(bytes.NewReader(bytes.Repeat([]byte(" "), maxRuleSetBytes+1)))
	assert.Equal(t, CodeRuleSetTooLarge, err.(Problems)[0].Code)
}

// TestRuleSetSchemaWording checks that schema problems of a rule set speak
// of rule sets, not of records.
func TestRuleSetSchemaWording(t *testing.T) {
	for _, c := range []struct {
		name   string
		mutate func(m map[string]any)
		want   Problem
	}{
		{"unknown field", func(m map[string]any) { m["weights"] = 1 },
			Problem{Path: "/weights", Code: CodeUnknownField, Message: `field "weights" is not part of the rule-set schema (schema/ruleset.schema.json)`}},
		{"version", func(m map[string]any) { m["version"] = "1.3" },
			Problem{Path: "/version", Code: CodeInvalidFormat, Message: `"1.3" is not a version MAJOR.MINOR.PATCH, such as 1.3.0`}},
		{"id", func(m map[string]any) { m["id"] = "sco base" },
			Problem{Path: "/id", Code: CodeInvalidFormat, Message: `"sco base" is not a rule-set id: capital letters and digits in groups joined by hyphens, such as SCO-BASE or CN-2026`}},
		{"reason code key", func(m map[string]any) {
			m["reasons"].(map[string]any)["bad code"] = map[string]any{"en": "x", "zh": "x", "ru": "x"}
		}, Problem{Path: "/reasons/bad code", Code: CodeInvalidFormat, Message: `"bad code" is not a reason code: a capital letter, then capital letters, digits and underscores, such as CAP_SANCTION`}},
		{"bins and categories", func(m map[string]any) {
			char(m, 1)["categories"] = []any{map[string]any{"values": []any{"x"}, "points": 0, "source": "s"}}
		},
			Problem{Path: "/characteristics/1", Code: CodeRuleSetSchema, Message: "a characteristic gives exactly one of bins (for a numeric indicator) and categories (for a categorical one)"}},
		{"neither bins nor categories", func(m map[string]any) { delete(char(m, 1), "bins") },
			Problem{Path: "/characteristics/1", Code: CodeRuleSetSchema, Message: "a characteristic gives exactly one of bins (for a numeric indicator) and categories (for a categorical one)"}},
		{"cap that does nothing", func(m map[string]any) {
			c := m["caps"].([]any)[0].(map[string]any)
			delete(c, "max_grade")
			delete(c, "certifiable")
		}, Problem{Path: "/caps/0", Code: CodeRuleSetSchema, Message: "a cap sets max_grade, certifiable or both"}},
		{"grade", func(m map[string]any) {
			m["master_scale"].(map[string]any)["grades"].([]any)[0].(map[string]any)["grade"] = "aaa"
		}, Problem{Path: "/master_scale/grades/0/grade", Code: CodeInvalidFormat, Message: `"aaa" is not a grade symbol: a capital letter and up to 7 letters, '+' or '-', such as AAA or BB+`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ps := ruleSetProblems(t, mutated(t, c.mutate))
			c.want.Severity = SeverityError
			assert.Equal(t, Problems{c.want}, ps)
			for _, p := range ps {
				assert.NotContains(t, p.Message, "record")
			}
		})
	}
}

// TestRuleSetBounded checks that a 1 MiB rule set of empty items gives
// at most MaxProblems problems in bounded memory.
func TestRuleSetBounded(t *testing.T) {
	head := `{"id":"X","version":"1.0.0","description":"d",`
	fill := func(prefix, unit, suffix string) []byte {
		var b bytes.Buffer
		b.WriteString(head + prefix)
		for i := 0; b.Len()+len(unit)+len(suffix)+1 < maxRuleSetBytes; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strings.ReplaceAll(unit, "#", itoa(i)))
		}
		b.WriteString(suffix)
		return b.Bytes()
	}
	for name, data := range map[string][]byte{
		"sources":         fill(`"sources":[`, `{}`, `]}`),
		"characteristics": fill(`"sources":[],"characteristics":[`, `{}`, `]}`),
		"bins":            fill(`"sources":[],"characteristics":[{"bins":[`, `{}`, `]}]}`),
		"reasons":         fill(`"sources":[],"reasons":{`, `"R#":{}`, `}}`),
		"unknown members": fill(`"sources":[],`, `"k#":1`, `}`),
		// Valid for the schema, wrong for the semantic checks: 200,000
		// category values that fin.audited does not have.
		"category values": mutated(t, func(m map[string]any) {
			values := make([]any, 100)
			for i := range values {
				values[i] = "z"
			}
			cats := make([]any, 100)
			for i := range cats {
				cats[i] = map[string]any{"values": values, "points": 0, "source": "s"}
			}
			for i := range 20 {
				m["characteristics"] = append(m["characteristics"].([]any), map[string]any{
					"id": "c" + itoa(i), "indicator": "fin.audited", "pillar": "financial", "direction": "none",
					"reason": "FIN_NOT_AUDITED", "source": "s", "categories": cats, "missing": map[string]any{"points": 0, "source": "s"}})
			}
		}),
	} {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			ps := ruleSetProblems(t, data)
			runtime.ReadMemStats(&after)
			assert.LessOrEqual(t, len(ps), MaxProblems+1)
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(256<<20), "bytes allocated")
			if name == "category values" {
				assert.Len(t, ps, MaxProblems+1)
				assert.Equal(t, CodeRuleSetTooManyProblems, ps[0].Code)
				assert.Equal(t, CodeRuleSetCategories, ps[1].Code)
			}
		})
	}
}

func TestLoadRuleSetNilReader(t *testing.T) {
	_, err := LoadRuleSet(nil)
	assert.ErrorIs(t, err, ErrNilArgument)
}
