package ident

import "strconv"

// Russian identifiers: INN (ИНН), OGRN (ОГРН), OGRNIP (ОГРНИП) and KPP (КПП).

var (
	innWeights10 = [9]int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	innWeights11 = [10]int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	innWeights12 = [11]int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
)

// weightedDigits returns the weighted sum of the leading len(w) digits of s.
func weightedDigits(s string, w []int) int {
	sum := 0
	for i, wi := range w {
		sum += int(s[i]-'0') * wi
	}
	return sum
}

// checkRUINN validates a 10-digit (organisation) or 12-digit (individual,
// including individual entrepreneurs) INN. Each check digit is a weighted sum
// mod 11 then mod 10, so a remainder of 10 becomes 0.
func checkRUINN(s string) error {
	const name = SchemeRUINN
	if n := charCount(s); n != 10 && n != 12 {
		return lengthError(name, "want 10 digits (organisation) or 12 digits (individual), got "+strconv.Itoa(n)+" characters")
	}
	if err := asciiOnly(name, s); err != nil {
		return err
	}
	if !allDigits(s) {
		return formatError(name, "only digits are allowed")
	}
	if len(s) == 10 {
		c := byte('0' + weightedDigits(s, innWeights10[:])%11%10)
		if c != s[9] {
			return checksumError(name, "check digit", string(c))
		}
		return nil
	}
	c1 := byte('0' + weightedDigits(s, innWeights11[:])%11%10)
	// The second digit is computed over the first ten plus the correct first
	// check digit, so a wrong digit 11 is reported with both expected digits.
	sum2 := weightedDigits(s, innWeights12[:10]) + int(c1-'0')*innWeights12[10]
	c2 := byte('0' + sum2%11%10)
	if c1 != s[10] || c2 != s[11] {
		return checksumError(name, "check digits", string([]byte{c1, c2}))
	}
	return nil
}

// INNParts is the decoded structure of an RU-INN.
type INNParts struct {
	Region     string // digits 1–2: region (subject of the Federation) of the assigning tax office
	TaxOffice  string // digits 1–4: code of the assigning tax office
	Individual bool   // true for the 12-digit form (individuals, individual entrepreneurs)
}

// SchemeName returns "RU-INN".
func (INNParts) SchemeName() string { return SchemeRUINN }

func newRUINN() Scheme {
	return &decodingScheme{
		scheme: &scheme{
			name: SchemeRUINN, country: "RU", title: "Taxpayer identification number (ИНН)",
			hasCheck: true, norm: newNormalizer(false, false, "ИНН", "INN"), check: checkRUINN,
		},
		decode: func(s string) Parts {
			return INNParts{Region: s[:2], TaxOffice: s[:4], Individual: len(s) == 12}
		},
	}
}

// modDigits returns the decimal number in s modulo m without overflow concerns
// (s is at most 14 digits here, but the running form works for any length).
func modDigits(s string, m int) int {
	r := 0
	for i := 0; i < len(s); i++ {
		r = (r*10 + int(s[i]-'0')) % m
	}
	return r
}

// checkOGRN validates the 13-digit OGRN of a legal entity: digit 1 is the
// record-type sign (1 or 5 for a primary registration number; other signs belong
// to other register records and are not an OGRN), then the check digit is the
// first 12 digits as a number mod 11, mod 10.
func checkOGRN(s string) error {
	const name = SchemeOGRN
	if err := digitsCheck(name, s, 13); err != nil {
		return err
	}
	if s[0] != '1' && s[0] != '5' {
		return componentError(name, "record-type sign "+s[0:1]+" is not a primary registration number of a legal entity (1 or 5)")
	}
	if c := byte('0' + modDigits(s[:12], 11)%10); c != s[12] {
		return checksumError(name, "check digit", string(c))
	}
	return nil
}

// checkOGRNIP validates the 15-digit OGRNIP: digit 1 is 3, and the check digit is
// the last decimal digit of (first 14 digits mod 13). Remainders 10, 11 and 12
// therefore give 0, 1 and 2. python-stdnum compares the whole remainder and so
// rejects those numbers; the rule here follows the other validators (asiniy,
// perevoshchikov, russian-requisites-validator) and the text "last digit".
func checkOGRNIP(s string) error {
	const name = SchemeOGRNIP
	if err := digitsCheck(name, s, 15); err != nil {
		return err
	}
	if s[0] != '3' {
		return componentError(name, "record-type sign "+s[0:1]+" is not an OGRNIP (3)")
	}
	if c := byte('0' + modDigits(s[:14], 13)%10); c != s[14] {
		return checksumError(name, "check digit", string(c))
	}
	return nil
}

// OGRNParts is the decoded structure of an RU-OGRN or RU-OGRNIP.
type OGRNParts struct {
	Scheme     string // SchemeOGRN or SchemeOGRNIP
	RecordType string // digit 1: 1 or 5 (OGRN), 3 (OGRNIP)
	Year       int    // digits 2–3 as a year of the 2000s: the register started in 2002
	Region     string // digits 4–5: region code
	Individual bool   // true for OGRNIP
}

// SchemeName returns SchemeOGRN or SchemeOGRNIP.
func (p OGRNParts) SchemeName() string { return p.Scheme }

func decodeOGRN(name string) func(string) Parts {
	return func(s string) Parts {
		return OGRNParts{
			Scheme: name, RecordType: s[:1], Year: 2000 + int(s[1]-'0')*10 + int(s[2]-'0'),
			Region: s[3:5], Individual: len(s) == 15,
		}
	}
}

func newOGRN() Scheme {
	return &decodingScheme{
		scheme: &scheme{
			name: SchemeOGRN, country: "RU", title: "Primary state registration number (ОГРН)",
			hasCheck: true, norm: newNormalizer(false, false, "ОГРН", "OGRN"), check: checkOGRN,
		},
		decode: decodeOGRN(SchemeOGRN),
	}
}

func newOGRNIP() Scheme {
	return &decodingScheme{
		scheme: &scheme{
			name: SchemeOGRNIP, country: "RU", title: "Primary state registration number of an individual entrepreneur (ОГРНИП)",
			hasCheck: true, norm: newNormalizer(false, false, "ОГРНИП", "OGRNIP"), check: checkOGRNIP,
		},
		decode: decodeOGRN(SchemeOGRNIP),
	}
}

// checkKPP validates the format of a KPP: 4 digits (tax office), 2 digits or
// Latin capitals (reason code; letters since 2013), 3 digits (serial). No check
// digit exists.
func checkKPP(s string) error {
	const name = SchemeKPP
	if n := charCount(s); n != 9 {
		return lengthError(name, "want 9 characters, got "+strconv.Itoa(n))
	}
	if err := asciiOnly(name, s); err != nil {
		return err
	}
	for i := 0; i < 9; i++ {
		c := s[i]
		if i == 4 || i == 5 {
			if !isDigit(c) && !isUpper(c) {
				return formatError(name, "positions 5-6 (reason code) must be digits or Latin capitals")
			}
		} else if !isDigit(c) {
			return formatError(name, "positions 1-4 and 7-9 must be digits")
		}
	}
	return nil
}

func newKPP() Scheme {
	// Cyrillic look-alikes are mapped because KPP reason letters are Latin but
	// often typed on a Cyrillic keyboard.
	return &scheme{
		name: SchemeKPP, country: "RU", title: "Tax registration reason code (КПП)",
		norm: newNormalizer(true, false, "КПП", "KPP"), check: checkKPP,
	}
}
