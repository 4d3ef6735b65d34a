package ident

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ scheme, in, want string }{
		{SchemeUNP, "унп 591-705-582", "591705582"},
		{SchemeUNP, "UNP UNP 591705582", "591705582"},
		{SchemeUNP, "ма1953684", "MA1953684"},
		{SchemeOGRNIP, "ОГРНИП 315850060115169", "315850060115169"},
		{SchemeGSTIN, "27\u00a0AAPFU–0939F1ZV", "27AAPFU0939F1ZV"},
		{SchemeIRNC, "۰۴۹۹۳۷۰۸۹۹", "0499370899"},
		{SchemeIRNC, "684-159-41", "0068415941"},
		// Cyrillic look-alikes are NOT mapped for schemes where they are not
		// expected, so the mistake is reported instead of silently fixed.
		{SchemeGSTIN, "27ААPFU0939F1ZV", "27ААPFU0939F1ZV"},
		// Turkish dotless i is not upper-cased to I.
		{SchemePAN, "ıCUPA7085R", "ıCUPA7085R"},
	} {
		s := mustScheme(t, c.scheme)
		got := s.Normalize(c.in)
		assert.Equal(t, c.want, got, c.in)
		assert.Equal(t, got, s.Normalize(got), "idempotent")
	}
}

func TestValidCompactDoesNotAllocate(t *testing.T) {
	for name, seeds := range seedsByScheme {
		s := mustScheme(t, name)
		v := s.Normalize(seeds[0])
		if s.Validate(v) != nil {
			t.Fatalf("%s: seed %q invalid", name, v)
		}
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := Validate(name, v); err != nil {
				t.Fatal(err)
			}
		})
		assert.Zero(t, allocs, "%s allocates on valid compact input", name)
	}
}
