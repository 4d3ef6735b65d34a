package ident

import "strconv"

// Pakistan: NTN (National Tax Number) and CNIC (Computerised National Identity
// Card number). Neither has a public check algorithm: the NTN's eighth digit is a
// check digit, but the rule claimed online (weights 7..1 mod 11) fits only 21 of
// 202 real NTNs and no linear scheme fits them, so both are format only.

// checkNTN accepts 7 digits, or 7 digits plus the check digit (written
// NNNNNNN-N), because some systems store only the 7 digits.
func checkNTN(s string) error {
	const name = SchemeNTN
	if n := charCount(s); n != 7 && n != 8 {
		return lengthError(name, "want 7 digits, or 8 with the check digit, got "+strconv.Itoa(n)+" characters")
	}
	if err := asciiOnly(name, s); err != nil {
		return err
	}
	if !allDigits(s) {
		return formatError(name, "only digits are allowed")
	}
	return nil
}

func newNTN() Scheme {
	return &scheme{
		name: SchemeNTN, country: "PK", title: "National Tax Number (NTN)",
		norm: newNormalizer(false, true, "NTN"), check: checkNTN,
		display: func(s string) string {
			if len(s) == 8 {
				return s[:7] + "-" + s[7:]
			}
			return s
		},
	}
}

// cnicProvinces is indexed by the first digit minus 1.
var cnicProvinces = [...]string{
	"Khyber Pakhtunkhwa", "FATA", "Punjab", "Sindh", "Balochistan", "Islamabad", "Gilgit-Baltistan",
}

// checkCNIC validates 13 digits: digit 1 the province (1–7), digit 13 the sex
// (odd male, even female, 0 not used) — the python-stdnum rules.
func checkCNIC(s string) error {
	const name = SchemeCNIC
	if err := digitsCheck(name, s, 13); err != nil {
		return err
	}
	if s[0] < '1' || s[0] > '7' {
		return componentError(name, "province digit "+s[:1]+" is not 1-7")
	}
	if s[12] == '0' {
		return componentError(name, "last digit (sex) 0 is not used")
	}
	return nil
}

// CNICParts is the decoded structure of a PK-CNIC.
type CNICParts struct {
	Province     string // digit 1
	ProvinceName string // e.g. "Punjab"
	Locality     string // digits 1–5
	Female       bool   // even last digit
}

// SchemeName returns "PK-CNIC".
func (CNICParts) SchemeName() string { return SchemeCNIC }

func newCNIC() Scheme {
	return &decodingScheme{
		scheme: &scheme{
			name: SchemeCNIC, country: "PK", title: "Computerised National Identity Card number (CNIC)",
			norm: newNormalizer(false, true, "CNIC"), check: checkCNIC,
			display: func(s string) string { return s[:5] + "-" + s[5:12] + "-" + s[12:] },
		},
		decode: func(s string) Parts {
			return CNICParts{Province: s[:1], ProvinceName: cnicProvinces[s[0]-'1'], Locality: s[:5], Female: (s[12]-'0')%2 == 0}
		},
	}
}
