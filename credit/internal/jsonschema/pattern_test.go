package jsonschema

import (
	"encoding/json"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/creditsco/creditsco/schema"
)

// schemaPatterns returns every "pattern" of the module's schemas.
func schemaPatterns(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, src := range [][]byte{schema.EnterpriseRecord, schema.CreditCertificate, ruleSetSchema(t)} {
		var doc any
		if err := json.Unmarshal(src, &doc); err != nil {
			t.Fatal(err)
		}
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, x := range v {
					if s, ok := x.(string); ok && k == "pattern" {
						out = append(out, s)
					}
					walk(x)
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			}
		}
		walk(doc)
	}
	return out
}

// morePatterns exercise what the schemas do not: unanchored searches,
// empty matches, $ inside, alternation of anchors, and patterns the DFA
// leaves to the regexp (non-ASCII classes, case folding, word boundaries).
var morePatterns = []string{
	`abc`, `a*`, `^$`, `$`, `^`, `^a|b$`, `(^a|b)c$`, `x$|^y`, `a$b`, `^(ab)*$`, `[0-9]+\.[0-9]*`, `^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`,
	`(?i)^abc$`, `^[а-я]+$`, `\bword\b`, `^.$`, `^\p{Lu}`, `[^a]`, `^[\x00-\x7f]*$`, `^a{2,5}b?$`, `(a|ab)(c|bcd)(d*)`,
}

func patternInputs(rng *rand.Rand, n int) []string {
	alphabet := []string{"a", "b", "c", "d", "x", "y", "A", "Z", "z", "0", "1", "5", "9", "-", ".", "_", "+", "e", "E", ":", " ", "\n",
		"я", "Ж", "中", "\xff", "\x00", "urn:uuid:", "sha256:", "ISIC4", "CN-USCC", "2024-02-29", "123", "word"}
	out := []string{"", "a", "0", "-", "A", "ab", "abc", "1.5", "-0", "12.123456", "1234567890123456789", "2024-02-29", "CN", "CNY",
		"CN-USCC", "A--B", "C", "2822", "urn:uuid:01234567-89ab-cdef-0123-456789abcdef", "sha256:" + strings.Repeat("0a", 32), "z6Mk"}
	for range n {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		out = append(out, b.String())
	}
	return out
}

// TestPatternDFAEqualsRegexp holds each compiled pattern to the regexp
// that gojsonschema matches with, on fixed and random strings.
func TestPatternDFAEqualsRegexp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	inputs := patternInputs(rng, 20000)
	dfas := 0
	for _, p := range append(schemaPatterns(t), morePatterns...) {
		re := regexp.MustCompile(p)
		m, err := compilePattern(p)
		if err != nil {
			t.Fatal(p, err)
		}
		if _, ok := m.(*dfa); ok {
			dfas++
		}
		for _, s := range inputs {
			if got, want := m.MatchString(s), re.MatchString(s); got != want {
				t.Fatalf("pattern %q on %q: %v, regexp says %v", p, s, got, want)
			}
		}
	}
	for _, p := range schemaPatterns(t) {
		if _, ok := compileDFAOK(p); !ok {
			t.Errorf("pattern %q of a schema is not compiled to a DFA", p)
		}
	}
	t.Logf("%d patterns, %d as DFAs", len(schemaPatterns(t))+len(morePatterns), dfas)
}

func compileDFAOK(p string) (*dfa, bool) { return compileDFA(p) }

// FuzzPatternDFA compares the DFA of every schema pattern with its
// regexp on arbitrary strings.
func FuzzPatternDFA(f *testing.F) {
	for _, s := range patternInputs(rand.New(rand.NewPCG(3, 4)), 50) {
		f.Add(s)
	}
	ps := append(schemaPatterns(f), morePatterns...)
	type pair struct {
		re *regexp.Regexp
		m  pattern
	}
	var pairs []pair
	for _, p := range ps {
		m, err := compilePattern(p)
		if err != nil {
			f.Fatal(err)
		}
		pairs = append(pairs, pair{regexp.MustCompile(p), m})
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range pairs {
			if got, want := p.m.MatchString(s), p.re.MatchString(s); got != want {
				t.Fatalf("pattern %q on %q: %v, regexp says %v", p.re, s, got, want)
			}
		}
	})
}

func BenchmarkPattern(b *testing.B) {
	const p, s = `^-?[0-9]{1,18}(\.[0-9]{1,6})?$`, "1284000000.00"
	re := regexp.MustCompile(p)
	d, _ := compileDFA(p)
	b.Run("regexp", func(b *testing.B) {
		for b.Loop() {
			re.MatchString(s)
		}
	})
	b.Run("dfa", func(b *testing.B) {
		for b.Loop() {
			d.MatchString(s)
		}
	})
}

func ruleSetSchema(t testing.TB) []byte {
	data, err := schema.Files.ReadFile("ruleset.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}
