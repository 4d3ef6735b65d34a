package ident

import "strconv"

import "strings"

// BY-UNP: Belarus payer account number (УНП), 9 characters. Organisations: 9
// digits, the first (1–7) the region. Individual entrepreneurs: a region letter
// (A B C E H K M), a letter from A B C E H K M O P T, then 7 digits. Input may
// carry the label "УНП"/"UNP", Cyrillic look-alike letters and fullwidth
// forms; all are normalized away. Check digit (python-stdnum, citing the Belarus rules):
// position 2 as a letter is replaced by its index in "ABCEHKMOPT", position 1
// is valued in 0-9A-Z, weights 29 23 19 17 13 7 5 3, sum mod 11; 10 means no
// such number exists.

const (
	unpRegionLetters = "ABCEHKM"
	unpSecondLetters = "ABCEHKMOPT"
)

var unpWeights = [8]int{29, 23, 19, 17, 13, 7, 5, 3}

// unpCheck returns the check digit for a format-valid UNP, or -1 for remainder 10.
func unpCheck(s string) int {
	sum := 0
	for i := 0; i < 8; i++ {
		c := s[i]
		var v int
		switch {
		case isDigit(c):
			v = int(c - '0')
		case i == 1:
			v = strings.IndexByte(unpSecondLetters, c)
		default:
			v = int(c-'A') + 10
		}
		sum += v * unpWeights[i]
	}
	if r := sum % 11; r != 10 {
		return r
	}
	return -1
}

func checkUNP(s string) error {
	const name = SchemeUNP
	if n := charCount(s); n != 9 {
		return lengthError(name, "want 9 characters, got "+strconv.Itoa(n))
	}
	if err := asciiOnly(name, s); err != nil {
		return err
	}
	if !allDigits(s[2:]) {
		return formatError(name, "positions 3-9 must be digits")
	}
	switch {
	case isDigit(s[0]) && isDigit(s[1]):
		if s[0] < '1' || s[0] > '7' {
			return componentError(name, "region "+s[:1]+" is not 1-7")
		}
	case isUpper(s[0]) && isUpper(s[1]):
		if strings.IndexByte(unpRegionLetters, s[0]) < 0 {
			return componentError(name, "region letter "+s[:1]+" is not one of A B C E H K M")
		}
		if strings.IndexByte(unpSecondLetters, s[1]) < 0 {
			return componentError(name, "second letter "+s[1:2]+" is not one of A B C E H K M O P T")
		}
	default:
		return formatError(name, "positions 1-2 must be two digits or two letters")
	}
	c := unpCheck(s)
	if c < 0 {
		return &Error{Scheme: name, Kind: ErrChecksum, Detail: "weighted sum gives remainder 10: no such number exists"}
	}
	if byte('0'+c) != s[8] {
		return checksumError(name, "check digit", string(byte('0'+c)))
	}
	return nil
}

func newUNP() Scheme {
	return &scheme{
		name: SchemeUNP, country: "BY", title: "Payer account number (УНП)",
		hasCheck: true, norm: newNormalizer(true, false, "УНП", "UNP"), check: checkUNP,
	}
}
