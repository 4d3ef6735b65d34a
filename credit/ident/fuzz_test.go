package ident

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// seedsByScheme holds valid published vectors (see vectors_test.go for sources)
// used as fuzz seeds.
var seedsByScheme = map[string][]string{
	SchemeUSCC:   {"91350100M000100Y43", "G1610000713522976L", "Y1110000600037341Y", "91340600MA2PBM9HXD", "9115220107837941X1"},
	SchemeRUINN:  {"7830002293", "500100732259", "366220664163"},
	SchemeOGRN:   {"1027739552642", "1022500001325"},
	SchemeOGRNIP: {"315850060115169", "304770000000020"},
	SchemeKPP:    {"0108A4934", "514944513"},
	SchemeBIN:    {"940140000385", "070941024691"},
	SchemeIIN:    {"871008401427", "800416100254"},
	SchemeKGINN:  {"02507199510010"},
	SchemeTJINN:  {"020025789"},
	SchemeUZINN:  {"201234567"},
	SchemeGSTIN:  {"27AAPFU0939F1ZV", "29AAGCB7383J1Z4"},
	SchemePAN:    {"ACUPA7085R"},
	SchemeCIN:    {"L17110MH1973PLC019786"},
	SchemeNTN:    {"12345678"},
	SchemeCNIC:   {"3420108912318"},
	SchemeIRNID:  {"10380284790"},
	SchemeIRNC:   {"0499370899", "68415941"},
	SchemeUNP:    {"591705582", "MA1953684", "УНП 100217336"},
	SchemeMNREG:  {"2079615"},
	SchemeAFTIN:  {"9000082348"},
	SchemeLEI:    {"5493001KJTIIGC8Y1R12", "XNIO7KHWR2WD0BP1F484"},
}

// widen replaces the printable ASCII characters of s by their fullwidth forms
// (U+FF01..U+FF5E) and spaces by the ideographic space U+3000, as Chinese and
// Japanese input methods type them.
func widen(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ':
			return ideographicSpace
		case r >= '!' && r <= '~':
			return r + fullwidthOffset
		}
		return r
	}, s)
}

// latinToCyrillic inverts cyrillicToLatin.
var latinToCyrillic = func() map[rune]rune {
	m := make(map[rune]rune, len(cyrillicToLatin))
	for c, l := range cyrillicToLatin {
		m[l] = c
	}
	return m
}()

// toCyrillic replaces each Latin letter that has a Cyrillic look-alike by that
// look-alike of the same case, as typed on a Cyrillic keyboard.
func toCyrillic(s string) string {
	return strings.Map(func(r rune) rune {
		if c, ok := latinToCyrillic[unicode.ToUpper(r)]; ok && r < utf8.RuneSelf {
			if unicode.IsLower(r) {
				return unicode.ToLower(c)
			}
			return c
		}
		return r
	}, s)
}

// mapsLookalikes reports whether a built-in scheme maps Cyrillic look-alikes.
func mapsLookalikes(s Scheme) bool {
	switch v := s.(type) {
	case *scheme:
		return v.norm.cyrillic
	case *decodingScheme:
		return v.norm.cyrillic
	}
	return false
}

// checkInvariants asserts what must hold for any input to any scheme: no panic,
// idempotent Normalize, a consistent Validate/Format/Code, that the documented
// mappings are transparent (the fullwidth form of any input, and for the
// Latin-letter schemes its Cyrillic look-alike form, normalizes exactly like
// the input), and that changing the final check character of a valid value is
// always detected (every check algorithm here compares that character with a
// computed one).
func checkInvariants(t *testing.T, s Scheme, in string) {
	n := s.Normalize(in)
	if n2 := s.Normalize(n); n2 != n {
		t.Fatalf("%s: Normalize not idempotent: %q -> %q -> %q", s.Name(), in, n, n2)
	}
	if utf8.ValidString(in) {
		if w := s.Normalize(widen(in)); w != n {
			t.Fatalf("%s: fullwidth form of %q normalizes to %q, not %q", s.Name(), in, w, n)
		}
		if mapsLookalikes(s) {
			if c := s.Normalize(toCyrillic(in)); c != n {
				t.Fatalf("%s: Cyrillic look-alike form of %q normalizes to %q, not %q", s.Name(), in, c, n)
			}
		}
	}
	err := s.Validate(in)
	if err2 := s.Validate(n); (err == nil) != (err2 == nil) {
		t.Fatalf("%s: Validate(%q)=%v but Validate(normalized)=%v", s.Name(), in, err, err2)
	}
	if err != nil {
		if _, ok := err.(*Error); !ok || Code(err) == "" {
			t.Fatalf("%s: error %v is not a coded *Error", s.Name(), err)
		}
		return
	}
	f, ferr := s.Format(in)
	if ferr != nil || s.Validate(f) != nil || s.Normalize(f) != n {
		t.Fatalf("%s: Format(%q)=%q,%v does not round-trip to %q", s.Name(), in, f, ferr, n)
	}
	if !s.HasCheckDigit() {
		return
	}
	last := n[len(n)-1]
	for _, c := range []byte("0123456789") {
		if c != last && s.Validate(n[:len(n)-1]+string(c)) == nil {
			t.Fatalf("%s: %q valid with last character changed to %c", s.Name(), n, c)
		}
	}
}

// substitutionDetected asserts that every single-character substitution drawn
// from alphabet at any position of the valid value n fails validation. Call it
// only for algorithms that guarantee this (see each Fuzz function).
func substitutionDetected(t *testing.T, s Scheme, n string, pos int, alphabet string, sameClass bool) {
	if s.Validate(n) != nil || len(n) == 0 {
		return
	}
	pos %= len(n)
	for i := 0; i < len(alphabet); i++ {
		c := alphabet[i]
		if c == n[pos] || (sameClass && isDigit(c) != isDigit(n[pos])) {
			continue
		}
		m := n[:pos] + string(c) + n[pos+1:]
		if s.Validate(m) == nil {
			t.Fatalf("%s: substitution %q -> %q (position %d) not detected", s.Name(), n, m, pos+1)
		}
	}
}

func fuzzFamily(f *testing.F, names []string, guarantee func(t *testing.T, s Scheme, n string, pos int)) {
	schemes := make([]Scheme, len(names))
	for i, name := range names {
		schemes[i] = mustScheme(f, name)
		for _, v := range seedsByScheme[name] {
			f.Add(uint8(i), v, uint8(0))
			f.Add(uint8(i), strings.ToLower(v), uint8(5))
			// Fullwidth, Cyrillic look-alike and mixed forms of valid values.
			f.Add(uint8(i), widen(v), uint8(3))
			f.Add(uint8(i), toCyrillic(strings.ToLower(v)), uint8(7))
			f.Add(uint8(i), widen(toCyrillic(v)), uint8(11))
		}
	}
	f.Add(uint8(0), "", uint8(0))
	f.Add(uint8(0), "\xff\xfe-. /", uint8(1))
	f.Add(uint8(0), "\uff00\uff5f\u3000\u0410\u0430\u0419\u0439", uint8(2))
	f.Fuzz(func(t *testing.T, which uint8, in string, pos uint8) {
		s := schemes[int(which)%len(schemes)]
		checkInvariants(t, s, in)
		if guarantee != nil && utf8.ValidString(in) {
			guarantee(t, s, s.Normalize(in), int(pos))
		}
	})
}

// FuzzSchemes runs the general invariants over every built-in scheme.
func FuzzSchemes(f *testing.F) { fuzzFamily(f, builtinNames(), nil) }

// builtinNames returns the built-in scheme names.
func builtinNames() []string {
	var names []string
	for _, s := range Builtins() {
		names = append(names, s.Name())
	}
	return names
}

// FuzzUSCC: the outer weights 3^k mod 31 are all non-zero modulo the prime 31,
// so any substitution of a character by another alphabet character changes the
// weighted sum mod 31: every single substitution is detected (including in
// position 18 itself).
func FuzzUSCC(f *testing.F) {
	fuzzFamily(f, []string{SchemeUSCC}, func(t *testing.T, s Scheme, n string, pos int) {
		substitutionDetected(t, s, n, pos, usccAlphabet, false)
	})
}

// FuzzRU: INN and OGRN reduce mod 11 and then mod 10 (remainder 10 → 0), and
// OGRNIP keeps the last digit of a mod 13 remainder, so two different
// remainders can give the same check digit: single-digit substitutions are NOT
// guaranteed to be detected and only the general invariants are checked.
func FuzzRU(f *testing.F) {
	fuzzFamily(f, []string{SchemeRUINN, SchemeOGRN, SchemeOGRNIP, SchemeKPP}, nil)
}

// FuzzKZ: a substitution that moves the first remainder to 10 switches to the
// second weight set, whose result can equal the check digit, so detection is
// not guaranteed; general invariants only.
func FuzzKZ(f *testing.F) { fuzzFamily(f, []string{SchemeBIN, SchemeIIN}, nil) }

// FuzzGSTIN: Luhn mod 36 detects every single-character substitution (the
// doubling step is a permutation of 0..35).
func FuzzGSTIN(f *testing.F) {
	fuzzFamily(f, []string{SchemeGSTIN}, func(t *testing.T, s Scheme, n string, pos int) {
		substitutionDetected(t, s, n, pos, base36, false)
	})
}

// FuzzIndia covers the format-only Indian schemes.
func FuzzIndia(f *testing.F) { fuzzFamily(f, []string{SchemePAN, SchemeCIN}, nil) }

// FuzzLEI: MOD 97-10 detects a digit replaced by a digit (change d·10^k, d < 97
// and 10 invertible mod 97) and a letter by a letter (both expand to two digits
// at the same place, difference < 97). A letter replaced by a digit shifts the
// expansion and is not guaranteed, so it is not asserted.
func FuzzLEI(f *testing.F) {
	fuzzFamily(f, []string{SchemeLEI}, func(t *testing.T, s Scheme, n string, pos int) {
		substitutionDetected(t, s, n, pos, base36, true)
	})
}

// FuzzBY: weights 29 23 19 17 13 7 5 3 are non-zero mod 11, so replacing a
// digit by a digit changes the remainder (and a remainder of 10 is rejected).
// Letters in position 1 are valued 10..35, where B (11) and M (22) differ by 11
// and are NOT distinguished, so only digit substitutions are asserted.
func FuzzBY(f *testing.F) {
	fuzzFamily(f, []string{SchemeUNP}, func(t *testing.T, s Scheme, n string, pos int) {
		if len(n) > 0 && isDigit(n[pos%len(n)]) {
			substitutionDetected(t, s, n, pos, "0123456789", false)
		}
	})
}

// FuzzIR: the national code maps remainders 1 and 10 to the same check digit
// and the legal-entity ID maps 0 and 10 together, so substitutions are not
// guaranteed to be detected; general invariants only.
func FuzzIR(f *testing.F) { fuzzFamily(f, []string{SchemeIRNID, SchemeIRNC}, nil) }

// FuzzPK covers the format-only Pakistani schemes.
func FuzzPK(f *testing.F) { fuzzFamily(f, []string{SchemeNTN, SchemeCNIC}, nil) }
