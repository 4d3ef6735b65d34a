package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xeipuuv/gojsonschema"

	"github.com/creditsco/creditsco/credit/internal/jsontree"
	"github.com/creditsco/creditsco/schema"
)

// keywordSchema uses every keyword that CompileFast implements, in the
// combinations where gojsonschema's semantics are easiest to get wrong.
const keywordSchema = `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://example.test/keywords",
  "type": "object",
  "properties": {
    "a": {"type": ["integer", "null"], "minimum": -2, "maximum": 12, "multipleOf": 2},
    "b": {"type": "number", "exclusiveMinimum": 0.5, "exclusiveMaximum": 1e2},
    "c": {"enum": ["x", 1, 1.5, null, true, {"k": [1, "v"]}, [2]]},
    "d": {"const": {"k": 1.0}},
    "e": {"type": "array", "items": [{"const": "first"}, {"type": "integer"}], "additionalItems": false, "minItems": 1},
    "f": {"type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "boolean"}, "uniqueItems": true},
    "g": {"type": "array", "contains": {"enum": ["needle", 7]}, "maxItems": 4, "uniqueItems": true},
    "h": {"oneOf": [{"type": "string", "maxLength": 3}, {"type": "string", "pattern": "^a"}]},
    "i": {"anyOf": [{"type": "integer"}, {"type": "string", "minLength": 2}], "not": {"const": 5}},
    "j": {"if": {"type": "string"}, "then": {"format": "date"}, "else": {"type": "number", "format": "date"}},
    "k": {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}, "additionalProperties": {"type": "string"}, "minProperties": 1, "maxProperties": 2},
    "l": {"allOf": [{"$ref": "#/definitions/short"}, {"pattern": "[0-9]"}]},
    "m": {"type": "string", "format": "date-time"},
    "n": {"$ref": "#/definitions/tree"},
    "o": false,
    "p": true,
    "q": {"type": "string", "format": "email"},
    "r": {"enum": ["<&>", "é", "\u2028"], "const": "é"},
    "s": {"type": "array", "items": true, "uniqueItems": true}
  },
  "required": ["a"],
  "additionalProperties": false,
  "definitions": {
    "short": {"type": "string", "maxLength": 4, "minLength": 1},
    "tree": {"type": "object", "properties": {"child": {"$ref": "#/definitions/tree"}, "v": {"type": "integer"}}, "additionalProperties": false}
  }
}`

func testSchemas(t testing.TB) map[string][]byte {
	return map[string][]byte{
		"record":      schema.EnterpriseRecord,
		"certificate": schema.CreditCertificate,
		"ruleset":     ruleSetSchema(t),
		"keywords":    []byte(keywordSchema),
	}
}

type schemaPair struct {
	name string
	slow *gojsonschema.Schema
	fast *Fast
}

func compilePairs(t testing.TB) []schemaPair {
	t.Helper()
	var out []schemaPair
	for name, src := range testSchemas(t) {
		slow, err := Compile(src)
		if err != nil {
			t.Fatal(name, err)
		}
		fast, err := CompileFast(src)
		if err != nil {
			t.Fatal(name, err)
		}
		out = append(out, schemaPair{name, slow, fast})
	}
	slices.SortFunc(out, func(a, b schemaPair) int { return strings.Compare(a.name, b.name) })
	return out
}

func slowValid(t testing.TB, s *gojsonschema.Schema, doc any) bool {
	res, err := s.Validate(gojsonschema.NewRawLoader(doc))
	if err != nil {
		t.Fatal(err)
	}
	return res.Valid()
}

// treeGen makes random JSON trees from the words of the schemas, so that
// most of them reach deep into the schemas before they fail, and many do
// not fail at all.
type treeGen struct {
	rng   *rand.Rand
	keys  []string
	words []any
}

func newTreeGen(t testing.TB, seed uint64) *treeGen {
	g := &treeGen{rng: rand.New(rand.NewPCG(seed, 7))}
	keys, words := map[string]bool{}, map[string]bool{}
	for _, src := range testSchemas(t) {
		var doc any
		if err := json.Unmarshal(src, &doc); err != nil {
			t.Fatal(err)
		}
		var walk func(v any, parent string)
		walk = func(v any, parent string) {
			switch v := v.(type) {
			case map[string]any:
				for k, x := range v {
					if parent == "properties" {
						keys[k] = true
					}
					walk(x, k)
				}
			case []any:
				for _, x := range v {
					walk(x, parent)
				}
			case string:
				if parent == "enum" || parent == "const" || parent == "required" {
					words[v] = true
				}
			}
		}
		walk(doc, "")
	}
	for k := range keys {
		g.keys = append(g.keys, k)
		g.words = append(g.words, k)
	}
	for w := range words {
		g.words = append(g.words, w)
	}
	slices.Sort(g.keys)
	slices.SortFunc(g.words, func(a, b any) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	g.words = append(g.words, "", "a", "ab", "a1", "abcde", "é", "<&>", "\u2028", "1.0", "-12.50", "1e5", "2024-02-29", "2023-02-29",
		"2026-10-01T09:00:00Z", "2026-10-01T09:00:00+01:00", "09:00:00", "2026-10-01T09:00:00.5Z", "x@y.z", "needle", "first",
		"CN", "CNY", "KZ-BIN", "9132050669332578XY", "urn:uuid:01234567-89ab-cdef-0123-456789abcdef",
		"sha256:"+strings.Repeat("ab", 32), "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "0.000500", "1.0", "AAA", "R01_X",
		strings.Repeat("x", 64), strings.Repeat("ж", 129), strings.Repeat("y", 513), "\xff")
	return g
}

var numbers = []json.Number{"0", "-0", "1", "2", "5", "7", "12", "13", "-2", "-3", "0.5", "0.50", "1.5", "1.0", "1e0", "10e-1",
	"100", "1e2", "99.99", "1E+7", "10000000", "10000001", "4.0", "-1", "9007199254740993", "1e99", "0.1", "3.000", "20"}

func (g *treeGen) value(depth int) any {
	switch r := g.rng.IntN(10); {
	case r < 3 || depth > 4:
		return g.words[g.rng.IntN(len(g.words))]
	case r < 5:
		return numbers[g.rng.IntN(len(numbers))]
	case r == 5:
		return []any{nil, true, false}[g.rng.IntN(3)]
	case r < 8:
		m := map[string]any{}
		for range g.rng.IntN(6) {
			k := g.keys[g.rng.IntN(len(g.keys))]
			if g.rng.IntN(8) == 0 {
				k = []string{"extra", "A", "@context", "x y"}[g.rng.IntN(4)]
			}
			m[k] = g.value(depth + 1)
		}
		return m
	default:
		a := make([]any, g.rng.IntN(5))
		for i := range a {
			if i > 0 && g.rng.IntN(4) == 0 {
				a[i] = a[g.rng.IntN(i)] // repeats, for uniqueItems
			} else {
				a[i] = g.value(depth + 1)
			}
		}
		return a
	}
}

// seedDocuments returns valid documents of each schema, from testdata
// and the built-in rule sets, which the comparison mutates.
func seedDocuments(t testing.TB) map[string][]any {
	t.Helper()
	out := map[string][]any{}
	for name, pattern := range map[string]string{
		"record":      "../../../testdata/records/*.ndjson",
		"certificate": "../../../testdata/golden/certificates/*.ndjson",
		"ruleset":     "../../rulesets/*.json",
	} {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatal(pattern, err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			for {
				var v any
				if err := dec.Decode(&v); err != nil {
					break
				}
				out[name] = append(out[name], v)
			}
		}
	}
	for _, c := range keywordCases {
		if c.valid {
			out["keywords"] = append(out["keywords"], decode(t, c.doc))
		}
	}
	return out
}

// keywordCases are documents of keywordSchema, valid and not.
var keywordCases = []struct {
	doc   string
	valid bool
}{
	{`{"a": 2}`, true},
	{`{"a": 2.0}`, true},
	{`{"a": 3}`, false},
	{`{"a": null}`, true},
	{`{}`, false},
	{`{"a": 2, "b": 0.5}`, false},
	{`{"a": 2, "b": 99.9}`, true},
	{`{"a": 2, "c": 1.0}`, true},
	{`{"a": 2, "c": {"k": [1.0, "v"]}}`, true},
	{`{"a": 2, "c": "y"}`, false},
	{`{"a": 2, "d": {"k": 1}}`, true},
	{`{"a": 2, "e": ["first", 1, 2]}`, false},
	{`{"a": 2, "e": ["first", 1]}`, true},
	{`{"a": 2, "f": ["s", true, false]}`, true},
	{`{"a": 2, "f": ["s", true, true]}`, false},
	{`{"a": 2, "g": ["x", "needle"]}`, true},
	{`{"a": 2, "g": ["x"]}`, false},
	{`{"a": 2, "h": "abcd"}`, true},
	{`{"a": 2, "h": "abc"}`, false},
	{`{"a": 2, "i": 5}`, false},
	{`{"a": 2, "j": "2024-02-29"}`, true},
	{`{"a": 2, "j": 3}`, false},
	{`{"a": 2, "k": {"ab": "x"}}`, true},
	{`{"a": 2, "k": {"Ab": "x"}}`, false},
	{`{"a": 2, "l": "ab1"}`, true},
	{`{"a": 2, "m": "2026-10-01T09:00:00Z"}`, true},
	{`{"a": 2, "n": {"child": {"child": {"v": 1}}}}`, true},
	{`{"a": 2, "n": {"child": {"child": {"v": "1"}}}}`, false},
	{`{"a": 2, "o": 1}`, false},
	{`{"a": 2, "r": "é"}`, true},
	{`{"a": 2, "r": "<&>"}`, false},
	{`{"a": 2, "s": [1, 1.0]}`, false},
	{`{"a": 2, "s": [{"x": 1}, {"x": 1e0}]}`, false},
}

// mutate changes one to three nodes of a copy of doc: a value replaced,
// a member deleted or added, an array item repeated.
func (g *treeGen) mutate(doc any) any {
	doc = jsontree.Copy(doc)
	for range 1 + g.rng.IntN(3) {
		slots := jsontree.Slots(doc)
		if len(slots) == 0 {
			return g.value(0)
		}
		s := slots[g.rng.IntN(len(slots))]
		switch r := g.rng.IntN(8); {
		case r >= 5:
			// Another value of the same kind from the document, which
			// often keeps it valid: the comparison needs valid
			// documents near the invalid ones.
			for range 20 {
				if x := slots[g.rng.IntN(len(slots))].Get(); fmt.Sprintf("%T", x) == fmt.Sprintf("%T", s.Get()) {
					s.Set(jsontree.Copy(x))
					break
				}
			}
		case s.InObject() && r == 0:
			s.Delete()
		case s.InObject() && r == 1:
			s.Add(g.keys[g.rng.IntN(len(g.keys))], g.value(2))
		case s.InObject():
			s.Set(g.value(2))
		case r < 3:
			s.Set(jsontree.Copy(s.Neighbour()))
		default:
			s.Set(g.value(2))
		}
	}
	return doc
}

// TestFastEqualsGojsonschema compares Fast with gojsonschema for the
// module's schemas and one that uses every keyword, on their valid
// documents mutated at random and on random documents.
func TestFastEqualsGojsonschema(t *testing.T) {
	pairs := compilePairs(t)
	seeds := seedDocuments(t)
	g := newTreeGen(t, 1)
	valid, total := map[string]int{}, map[string]int{}
	for _, p := range pairs {
		docs := seeds[p.name]
		for i := range 10000 {
			doc := g.value(0)
			switch {
			case i < len(docs):
				doc = docs[i] // each valid document as it is
			case i%10 != 0:
				doc = g.mutate(docs[g.rng.IntN(len(docs))])
			}
			want := slowValid(t, p.slow, doc)
			if got := p.fast.Valid(doc); got != want {
				j, _ := json.Marshal(doc)
				t.Fatalf("%s schema: Fast says %v, gojsonschema %v, for %s", p.name, got, want, j)
			}
			total[p.name]++
			if want {
				valid[p.name]++
			}
		}
	}
	t.Logf("documents valid per schema: %v of %v", valid, total)
	for _, p := range pairs {
		if v := valid[p.name]; v < total[p.name]/20 || v > total[p.name]*19/20 {
			t.Errorf("%s schema: %d of %d documents valid; the comparison needs both kinds", p.name, v, total[p.name])
		}
	}
}

// TestFastKeywords checks the keyword schema on hand-picked documents,
// valid and not, with both validators.
func TestFastKeywords(t *testing.T) {
	pairs := compilePairs(t)
	var kw schemaPair
	for _, p := range pairs {
		if p.name == "keywords" {
			kw = p
		}
	}
	for _, c := range keywordCases {
		doc := decode(t, c.doc)
		if got := slowValid(t, kw.slow, doc); got != c.valid {
			t.Fatalf("%s: gojsonschema says %v, the test %v", c.doc, got, c.valid)
		}
		if got := kw.fast.Valid(doc); got != c.valid {
			t.Errorf("%s: Fast says %v, want %v", c.doc, got, c.valid)
		}
	}
}

func decode(t testing.TB, s string) any {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCompileFastRefuses(t *testing.T) {
	for _, s := range []string{
		`{"patternProperties": {"^a": {}}}`,
		`{"dependencies": {"a": ["b"]}}`,
		`{"$ref": "https://elsewhere.example/schema"}`,
		`{"$ref": "#/definitions/missing"}`,
		`{"properties": {"a": {"$id": "https://x.example/a"}}}`,
		`{"type": "thing"}`,
		`{"pattern": "("}`,
		`[]`,
	} {
		_, err := CompileFast([]byte(s))
		if err == nil {
			t.Errorf("%s: compiled", s)
		}
	}
}

// FuzzFast compares Fast with gojsonschema on any JSON document, for each
// schema of TestFastEqualsGojsonschema.
func FuzzFast(f *testing.F) {
	g := newTreeGen(f, 2)
	for range 40 {
		b, _ := json.Marshal(g.value(0))
		f.Add(b)
	}
	f.Add([]byte(`{"a": 2, "e": ["first", 1]}`))
	pairs := compilePairs(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var doc any
		if dec.Decode(&doc) != nil || len(data) > 4096 {
			return
		}
		if n, ok := doc.(json.Number); ok && len(n) > 30 {
			return // gojsonschema's big.Rat would be slow, and crashes beyond float64
		}
		for _, p := range pairs {
			want := slowValid(t, p.slow, doc)
			if got := p.fast.Valid(doc); got != want {
				t.Fatalf("%s schema: Fast says %v, gojsonschema %v, for %s", p.name, got, want, data)
			}
		}
	})
}

// FuzzIsDate holds isDate to the check of gojsonschema's date format,
// time.Parse("2006-01-02", s).
func FuzzIsDate(f *testing.F) {
	for _, s := range []string{"2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "2024-13-01", "2024-00-10", "2024-1-01",
		"2024-01-1", "+024-01-01", "2024-01-01 ", "2024-04-31", "１２３４-01-01", "2024-01-00", "abcd-ef-gh"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, err := time.Parse("2006-01-02", s)
		if got := isDate(s); got != (err == nil) {
			t.Fatalf("isDate(%q) = %v, time.Parse: %v", s, got, err)
		}
	})
}

func TestIsDate(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for range 200000 {
		b := []byte(fmt.Sprintf("%04d-%02d-%02d", rng.IntN(10000), rng.IntN(14), rng.IntN(33)))
		if rng.IntN(10) == 0 {
			b[rng.IntN(len(b))] = "0-9a+ "[rng.IntN(6)]
		}
		s := string(b)
		_, err := time.Parse("2006-01-02", s)
		if got := isDate(s); got != (err == nil) {
			t.Fatalf("isDate(%q) = %v, time.Parse: %v", s, got, err)
		}
	}
}
