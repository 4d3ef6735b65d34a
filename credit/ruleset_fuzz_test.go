package credit

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creditsco/creditsco/credit/rulesets"
)

// FuzzLoadRuleSet feeds arbitrary bytes to the rule-set loader, seeded with
// the built-in and example rule sets. A user's rule set file is input like
// any other: the loader must never panic and must report problems with
// codes. (Building an engine from an accepted rule set precomputes the PD
// of every score, too slow for a fuzz body; TestBuiltinRuleSets covers it.)
func FuzzLoadRuleSet(f *testing.F) {
	for _, name := range []string{"sco-base.json", "kz.json", "in.json"} { // the baseline and country parts
		if data, err := rulesets.Files.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	if data, err := os.ReadFile(filepath.Join("..", "testdata", "rulesets", "kz-example.json")); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"id":"X","version":"1","description":"d","sources":[]}`))
	// Numbers that crashed (a nil big.Rat in gojsonschema), took minutes,
	// or turned into 0 in the digest before the loader bounded them.
	for _, n := range []string{"1e-9999999", "1e-999999", "1e-400", "1e400", "-0.0000000000000000000000001"} {
		f.Add([]byte(`{"id":"X","version":"1.0.0","extends":"SCO-BASE","description":"d","sources":[],"pd_floor":{"value":` + n + `,"source":"s"}}`))
	}
	f.Add([]byte(`{"id":"X","version":"1.0.0","description":"d\udfff","sources":[{},{},{}],"reasons":{"a":{}},"x":1,"x":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := LoadRuleSet(bytes.NewReader(data))
		if err != nil {
			if ps, ok := err.(Problems); ok {
				if len(ps) > MaxProblems+1 {
					t.Fatalf("%d problems", len(ps))
				}
				for _, p := range ps {
					if p.Code == "" || p.Message == "" {
						t.Fatalf("problem without a code or message: %+v", p)
					}
					if strings.Contains(p.Message, "record standard") {
						t.Fatalf("rule-set problem worded as a record problem: %v", p)
					}
				}
			}
			return
		}
		if rs.ID == "" || (rs.Extends == "" && rs.Digest() == "") {
			t.Fatalf("accepted rule set without id or digest")
		}
	})
}

// FuzzLoadRates checks that the FX-rates loader never panics and never
// accepts a rate that is not positive.
func FuzzLoadRates(f *testing.F) {
	if data, err := os.ReadFile(filepath.Join("..", "testdata", "fx", "rates-2025-12-31.json")); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"date":"2025-12-31","base":"USD","source":"s","rates":{"KZT":"0"}}`))
	// Files accepted before the loader was made strict.
	f.Add([]byte(`{"date":"2025-12-31","base":"USD","rates":{"KZT":"505","KZT":"5050"}}`))
	f.Add([]byte(`{"date":"2025-12-31","base":"USD"}`))
	f.Add([]byte(`{"date":"2025-12-31","base":"USD","rates":{"KZT":1e400,"CNY":"1e400"}}`))
	f.Add([]byte(`{"date":"2025-12-31","base":"USD","RATES":{"KZT":"505"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := LoadRates(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrInvalidRates) {
				t.Fatalf("error %v does not wrap ErrInvalidRates", err)
			}
			return
		}
		if len(r.Currencies()) < 2 {
			t.Fatalf("accepted a table without rates: %q", data)
		}
		for _, c := range r.Currencies() {
			if v, ok := r.Rate(c); !ok || v.Cmp(minRate) < 0 || v.Cmp(maxRate) > 0 {
				t.Fatalf("accepted rate %s for %s", v, c)
			}
		}
	})
}
