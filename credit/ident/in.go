package ident

import "strconv"

// India: PAN (Permanent Account Number) and CIN (Corporate Identity Number).
// Neither has a public check algorithm (the PAN's last letter is a check
// character computed by an unpublished algorithm), so both are format only.
// Normalize maps fullwidth forms to ASCII and Cyrillic look-alike letters to
// Latin for both.

// panHolderTypes maps PAN position 4 to the holder type (python-stdnum table).
var panHolderTypes = map[byte]string{
	'A': "association of persons", 'B': "body of individuals", 'C': "company",
	'F': "firm or LLP", 'G': "government agency", 'H': "Hindu undivided family",
	'J': "artificial juridical person", 'K': "krish (trust krish)", 'L': "local authority",
	'P': "individual", 'T': "trust",
}

// panFormat checks the shape of a PAN (5 letters, 4 digits, 1 letter); offset is
// its position inside the enclosing value, for messages.
func panFormat(name, p string, offset int) error {
	for i := 0; i < 10; i++ {
		c := p[i]
		if i >= 5 && i <= 8 {
			if !isDigit(c) {
				return formatError(name, "position "+strconv.Itoa(offset+i+1)+" must be a digit (PAN pattern AAAAA9999A)")
			}
		} else if !isUpper(c) {
			return formatError(name, "position "+strconv.Itoa(offset+i+1)+" must be a letter (PAN pattern AAAAA9999A)")
		}
	}
	return nil
}

// panComponents checks the holder type and the serial, which runs 0001–9999.
func panComponents(name, p string, offset int) error {
	if _, ok := panHolderTypes[p[3]]; !ok {
		return componentError(name, "PAN holder type "+p[3:4]+" (position "+strconv.Itoa(offset+4)+") is not assigned")
	}
	if p[5:9] == "0000" {
		return componentError(name, "PAN serial 0000 is not issued")
	}
	return nil
}

func checkPAN(s string) error {
	const name = SchemePAN
	if n := charCount(s); n != 10 {
		return lengthError(name, "want 10 characters, got "+strconv.Itoa(n))
	}
	if err := asciiOnly(name, s); err != nil {
		return err
	}
	if err := panFormat(name, s, 0); err != nil {
		return err
	}
	return panComponents(name, s, 0)
}

// PANParts is the decoded structure of an IN-PAN.
type PANParts struct {
	HolderType     string // position 4, e.g. "C"
	HolderTypeName string // e.g. "company"
	Initial        string // position 5: first letter of the surname or entity name
}

// SchemeName returns "IN-PAN".
func (PANParts) SchemeName() string { return SchemePAN }

func newPAN() Scheme {
	return &decodingScheme{
		scheme: &scheme{
			name: SchemePAN, country: "IN", title: "Permanent Account Number (PAN)",
			norm: newNormalizer(true, false), check: checkPAN,
		},
		decode: func(s string) Parts {
			return PANParts{HolderType: s[3:4], HolderTypeName: panHolderTypes[s[3]], Initial: s[4:5]}
		},
	}
}

// cinClasses are the ownership classes of CIN positions 13–15.
var cinClasses = map[string]string{
	"PLC": "public limited company", "PTC": "private limited company",
	"GOI": "company owned by the Government of India", "SGC": "state government company",
	"FLC": "foreign company (public)", "FTC": "foreign company (private)",
	"NPL": "not-for-profit licence company", "OPC": "one person company",
	"ULL": "public unlimited company", "ULT": "private unlimited company",
	"GAP": "public company limited by guarantee", "GAT": "private company limited by guarantee",
}

// checkCIN validates the structure [LU] 5 digits (industry), 2 letters (state),
// 4 digits (year), 3 letters (class), 6 digits (registration number). No check
// digit exists.
func checkCIN(s string) error {
	const name = SchemeCIN
	if n := charCount(s); n != 21 {
		return lengthError(name, "want 21 characters, got "+strconv.Itoa(n))
	}
	if err := asciiOnly(name, s); err != nil {
		return err
	}
	for i := 0; i < 21; i++ {
		c := s[i]
		letter := i == 0 || i == 6 || i == 7 || (i >= 12 && i <= 14)
		if letter && !isUpper(c) {
			return formatError(name, "position "+strconv.Itoa(i+1)+" must be a letter (pattern L99999AA9999AAA999999)")
		}
		if !letter && !isDigit(c) {
			return formatError(name, "position "+strconv.Itoa(i+1)+" must be a digit (pattern L99999AA9999AAA999999)")
		}
	}
	if s[0] != 'L' && s[0] != 'U' {
		return componentError(name, "listing status "+s[:1]+" is not L (listed) or U (unlisted)")
	}
	if _, ok := cinClasses[s[12:15]]; !ok {
		return componentError(name, "ownership class "+s[12:15]+" is not assigned")
	}
	return nil
}

// CINParts is the decoded structure of an IN-CIN.
type CINParts struct {
	Listed   bool   // position 1: L listed, U unlisted
	Industry string // positions 2–6: NIC industry code
	State    string // positions 7–8: state code, e.g. "MH"
	Year     int    // positions 9–12: year of incorporation
	Class    string // positions 13–15: ownership class, e.g. "PLC"
	Number   string // positions 16–21: registration number at the Registrar of Companies
}

// SchemeName returns "IN-CIN".
func (CINParts) SchemeName() string { return SchemeCIN }

func newCIN() Scheme {
	return &decodingScheme{
		scheme: &scheme{
			name: SchemeCIN, country: "IN", title: "Corporate Identity Number (CIN)",
			norm: newNormalizer(true, false, "CIN"), check: checkCIN,
		},
		decode: func(s string) Parts {
			return CINParts{
				Listed: s[0] == 'L', Industry: s[1:6], State: s[6:8],
				Year: twoDigits(s[8:10])*100 + twoDigits(s[10:12]), Class: s[12:15], Number: s[15:21],
			}
		},
	}
}
