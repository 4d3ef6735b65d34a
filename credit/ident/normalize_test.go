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
		// Fullwidth forms (Chinese and Japanese input methods) for every scheme:
		// digits, letters of either case, fullwidth separators and U+3000.
		{SchemeUSCC, "9135０100M000100Y43", "91350100M000100Y43"},
		{SchemeUSCC, "９１３５０１００ｍ０００１００ｙ４３", "91350100M000100Y43"},
		{SchemeUSCC, "91350100\u3000M000100Y43", "91350100M000100Y43"},
		{SchemeUSCC, "913501００－M000100Y43", "91350100M000100Y43"},
		// A fullwidth colon becomes ':', which is not a separator and is kept.
		{SchemeBIN, "ＢＩＮ：９４０１\u3000４０００．０３８５", ":940140000385"},
		{SchemeBIN, "ＢＩＮ ９４０１\u3000４０００．０３８５", "940140000385"},
		{SchemeUNP, "ｕｎｐ　５９１７０５５８２", "591705582"},
		{SchemeIRNC, "６８４１５９４１", "0068415941"},
		{SchemeLEI, "５４９３００１ｋｊｔｉｉｇｃ８ｙ１ｒ１２", "5493001KJTIIGC8Y1R12"},
		// Cyrillic look-alikes (either case) in every Latin-letter scheme.
		{SchemeGSTIN, "27ААPFU0939F1ZV", "27AAPFU0939F1ZV"},
		{SchemeGSTIN, "27ааpfu0939f1zv", "27AAPFU0939F1ZV"},
		{SchemeUSCC, "91350100М000100У43", "91350100M000100Y43"},
		{SchemePAN, "АСUРА7085R", "ACUPA7085R"},
		{SchemeCIN, "L17110МН1973РLС019786", "L17110MH1973PLC019786"},
		{SchemeLEI, "969500ZАUC3Z50DNZV77", "969500ZAUC3Z50DNZV77"},
		{SchemeLEI, "5493001кJтIIGс8у1R12", "5493001KJTIIGC8Y1R12"},
		{SchemeKPP, "0108Х4934", "0108X4934"},
		{SchemeUNP, "ВК1953684", "BK1953684"},
		// Both mappings together.
		{SchemeLEI, "５４９３００１КＪТＩＩＧС８У１Ｒ１２", "5493001KJTIIGC8Y1R12"},
		// Cyrillic letters that are not look-alikes are kept (and reported), and
		// digit-only schemes do not map look-alikes: an О typed for 0 is an error.
		{SchemeGSTIN, "27ББPFU0939F1ZV", "27ББPFU0939F1ZV"},
		{SchemeBIN, "94О140000385", "94О140000385"},
		// Characters next to the fullwidth block are not mapped.
		{SchemeBIN, "\uff00940140000385\uff5f", "\uff00940140000385\uff5f"},
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
