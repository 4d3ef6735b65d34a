package credit

import (
	"bytes"
	"os"
	"path/filepath"
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
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := LoadRuleSet(bytes.NewReader(data))
		if err != nil {
			if ps, ok := err.(Problems); ok {
				for _, p := range ps {
					if p.Code == "" {
						t.Fatalf("problem without a code: %+v", p)
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
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := LoadRates(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, c := range r.Currencies() {
			if v, ok := r.Rate(c); !ok || !v.IsPositive() {
				t.Fatalf("accepted rate %s for %s", v, c)
			}
		}
	})
}
