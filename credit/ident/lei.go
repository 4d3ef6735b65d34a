package ident

import "strconv"

// LEI: Legal Entity Identifier, ISO 17442. 20 characters: 18 alphanumeric (LOU
// prefix and entity part) and 2 numeric check digits under ISO 7064 MOD 97-10:
// with letters replaced by 10..35, the whole number is 1 mod 97. Normalize maps
// fullwidth forms to ASCII and Cyrillic look-alike letters to Latin (an LEI
// typed on a Cyrillic keyboard, e.g. by a Kazakh partner).

// mod97 returns the ISO 7064 MOD 97-10 remainder of s, letters expanded to two
// digits, computed incrementally so it never overflows or allocates.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	return r
}

func checkLEI(s string) error {
	const name = SchemeLEI
	if n := charCount(s); n != 20 {
		return lengthError(name, "want 20 characters, got "+strconv.Itoa(n))
	}
	if err := asciiOnly(name, s); err != nil {
		return err
	}
	for i := 0; i < 18; i++ {
		if c := s[i]; !isDigit(c) && !isUpper(c) {
			return formatError(name, "positions 1-18 must be digits or A-Z")
		}
	}
	if !isDigit(s[18]) || !isDigit(s[19]) {
		return formatError(name, "positions 19-20 (check digits) must be digits")
	}
	if mod97(s) != 1 {
		// Expected digits: 98 - (base + "00") mod 97.
		c := 98 - (mod97(s[:18])*100)%97
		return checksumError(name, "check digits", string([]byte{byte('0' + c/10), byte('0' + c%10)}))
	}
	return nil
}

func newLEI() Scheme {
	return &scheme{
		name: SchemeLEI, title: "Legal Entity Identifier (ISO 17442)",
		hasCheck: true, norm: newNormalizer(true, false), check: checkLEI,
	}
}
