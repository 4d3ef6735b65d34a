package ident

import "time"

// Kazakhstan: BIN (БИН, business identification number) and IIN (ИИН,
// individual identification number). Both are 12 digits with the same check
// digit (government decree P070000406, cited by valery1707/kaz-person-id):
//
//  1. weights 1..11 on digits 1–11, sum mod 11;
//  2. if that is 10, weights 3..11,1,2 instead, sum mod 11;
//  3. if that is 10 again the number is never issued: invalid here (as in
//     valery1707, identique and nmibragimov; stella/stdnum maps it to 0);
//  4. otherwise the result must equal digit 12.

var (
	kzWeights1 = [11]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	kzWeights2 = [11]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}
)

// kzCheckDigit returns the check digit of the first 11 digits, or -1 when both
// passes give 10.
func kzCheckDigit(s string) int {
	if r := weightedDigits(s, kzWeights1[:]) % 11; r != 10 {
		return r
	}
	if r := weightedDigits(s, kzWeights2[:]) % 11; r != 10 {
		return r
	}
	return -1
}

func kzChecksum(name, s string) error {
	c := kzCheckDigit(s)
	if c < 0 {
		return &Error{Scheme: name, Kind: ErrChecksum, Detail: "both check passes give remainder 10: such a number is never issued"}
	}
	if byte('0'+c) != s[11] {
		return checksumError(name, "check digit", string(byte('0'+c)))
	}
	return nil
}

func twoDigits(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// checkBIN validates a BIN: YYMM of registration, entity type (4 resident, 5
// non-resident, 6 joint individual entrepreneurship), attribute (0 head unit,
// 1 branch, 2 representative office, 3 peasant farm), serial, check digit.
func checkBIN(s string) error {
	const name = SchemeBIN
	if err := digitsCheck(name, s, 12); err != nil {
		return err
	}
	if m := twoDigits(s[2:4]); m < 1 || m > 12 {
		return componentError(name, "month "+s[2:4]+" (digits 3-4) is not 01-12")
	}
	if s[4] < '4' || s[4] > '6' {
		return componentError(name, "entity type "+s[4:5]+" (digit 5) is not 4, 5 or 6")
	}
	if s[5] > '3' {
		return componentError(name, "attribute "+s[5:6]+" (digit 6) is not 0-3")
	}
	return kzChecksum(name, s)
}

// iinDate decodes the birth date of an IIN, reporting ok=false for an invalid
// century digit or calendar date.
func iinDate(s string) (time.Time, bool) {
	if s[6] < '1' || s[6] > '6' {
		return time.Time{}, false
	}
	year := 1800 + 100*int((s[6]-'1')/2) + twoDigits(s[0:2])
	month, day := twoDigits(s[2:4]), twoDigits(s[4:6])
	if month < 1 || month > 12 || day < 1 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day { // day past the end of the month rolled over
		return time.Time{}, false
	}
	return t, true
}

// checkIIN validates an IIN: YYMMDD birth date, century/sex digit (1–6),
// serial, check digit.
func checkIIN(s string) error {
	const name = SchemeIIN
	if err := digitsCheck(name, s, 12); err != nil {
		return err
	}
	if s[6] < '1' || s[6] > '6' {
		return componentError(name, "century/sex digit "+s[6:7]+" (digit 7) is not 1-6")
	}
	if _, ok := iinDate(s); !ok {
		return componentError(name, "digits 1-6 are not a valid YYMMDD birth date")
	}
	return kzChecksum(name, s)
}

// BINParts is the decoded structure of a KZ-BIN.
type BINParts struct {
	Year          int    // two-digit registration year as written (the century is not encoded)
	Month         int    // registration month, 1–12
	EntityType    string // digit 5
	EntityName    string // "resident legal entity", "non-resident legal entity", "joint individual entrepreneurship"
	Attribute     string // digit 6
	AttributeName string // "head unit", "branch", "representative office", "peasant (farm) enterprise"
}

// SchemeName returns "KZ-BIN".
func (BINParts) SchemeName() string { return SchemeBIN }

var (
	binEntityNames    = [...]string{"resident legal entity", "non-resident legal entity", "joint individual entrepreneurship"}
	binAttributeNames = [...]string{"head unit", "branch", "representative office", "peasant (farm) enterprise"}
)

// IINParts is the decoded structure of a KZ-IIN.
type IINParts struct {
	BirthDate time.Time // UTC midnight
	Male      bool      // odd century/sex digit
}

// SchemeName returns "KZ-IIN".
func (IINParts) SchemeName() string { return SchemeIIN }

func newBIN() Scheme {
	return &decodingScheme{
		scheme: &scheme{
			name: SchemeBIN, country: "KZ", title: "Business identification number (БИН / БСН)",
			hasCheck: true, norm: newNormalizer(false, false, "БИН", "BIN"), check: checkBIN,
		},
		decode: func(s string) Parts {
			return BINParts{
				Year: twoDigits(s[0:2]), Month: twoDigits(s[2:4]),
				EntityType: s[4:5], EntityName: binEntityNames[s[4]-'4'],
				Attribute: s[5:6], AttributeName: binAttributeNames[s[5]-'0'],
			}
		},
	}
}

func newIIN() Scheme {
	return &decodingScheme{
		scheme: &scheme{
			name: SchemeIIN, country: "KZ", title: "Individual identification number (ИИН / ЖСН)",
			hasCheck: true, norm: newNormalizer(false, false, "ИИН", "IIN"), check: checkIIN,
		},
		decode: func(s string) Parts {
			d, _ := iinDate(s)
			return IINParts{BirthDate: d, Male: (s[6]-'0')%2 == 1}
		},
	}
}
