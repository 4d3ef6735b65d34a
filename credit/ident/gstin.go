package ident

import "strconv"

// GSTIN: India's Goods and Services Tax identification number, 15 characters:
// 2-digit state code, the holder's 10-character PAN, registration count
// (1–9, A–Z), 'Z', and a Luhn mod 36 check character. Normalize maps
// fullwidth forms to ASCII and Cyrillic look-alike letters to Latin.

const base36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// gstinStates holds python-stdnum's state table (01–37) plus 38 Ladakh (shown by
// real Indian Oil registrations) and the GST portal's special codes 97 (Other
// Territory) and 99 (Centre Jurisdiction).
var gstinStates = map[string]string{
	"01": "Jammu and Kashmir", "02": "Himachal Pradesh", "03": "Punjab", "04": "Chandigarh",
	"05": "Uttarakhand", "06": "Haryana", "07": "Delhi", "08": "Rajasthan", "09": "Uttar Pradesh",
	"10": "Bihar", "11": "Sikkim", "12": "Arunachal Pradesh", "13": "Nagaland", "14": "Manipur",
	"15": "Mizoram", "16": "Tripura", "17": "Meghalaya", "18": "Assam", "19": "West Bengal",
	"20": "Jharkhand", "21": "Odisha", "22": "Chhattisgarh", "23": "Madhya Pradesh", "24": "Gujarat",
	"25": "Daman and Diu", "26": "Dadra and Nagar Haveli and Daman and Diu", "27": "Maharashtra",
	"28": "Andhra Pradesh (before 2014)", "29": "Karnataka", "30": "Goa", "31": "Lakshadweep",
	"32": "Kerala", "33": "Tamil Nadu", "34": "Puducherry", "35": "Andaman and Nicobar Islands",
	"36": "Telangana", "37": "Andhra Pradesh", "38": "Ladakh",
	"97": "Other Territory", "99": "Centre Jurisdiction",
}

// luhn36Check computes the Luhn mod 36 check character of s: from the rightmost
// character leftwards the factors are 2, 1, 2, ...; each product p contributes
// p/36 + p%36. Luhn mod N detects every single-character substitution.
func luhn36Check(s string) byte {
	sum, factor := 0, 2
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		v := int(c - '0')
		if isUpper(c) {
			v = int(c-'A') + 10
		}
		p := v * factor
		sum += p/36 + p%36
		factor = 3 - factor
	}
	return base36[(36-sum%36)%36]
}

func checkGSTIN(s string) error {
	const name = SchemeGSTIN
	if n := charCount(s); n != 15 {
		return lengthError(name, "want 15 characters, got "+strconv.Itoa(n))
	}
	if err := asciiOnly(name, s); err != nil {
		return err
	}
	if !allDigits(s[:2]) {
		return formatError(name, "positions 1-2 (state code) must be digits")
	}
	if err := panFormat(name, s[2:12], 2); err != nil {
		return err
	}
	if c := s[12]; !(c >= '1' && c <= '9') && !isUpper(c) {
		return formatError(name, "position 13 (registration count) must be 1-9 or A-Z")
	}
	if s[13] != 'Z' {
		return formatError(name, "position 14 must be Z")
	}
	if c := s[14]; !isDigit(c) && !isUpper(c) {
		return formatError(name, "position 15 (check character) must be a digit or A-Z")
	}
	if _, ok := gstinStates[s[:2]]; !ok {
		return componentError(name, "state code "+s[:2]+" is not assigned")
	}
	if err := panComponents(name, s[2:12], 2); err != nil {
		return err
	}
	if c := luhn36Check(s[:14]); c != s[14] {
		return checksumError(name, "check character", string(c))
	}
	return nil
}

// GSTINParts is the decoded structure of an IN-GSTIN.
type GSTINParts struct {
	State        string // positions 1–2, state or union-territory code
	StateName    string // e.g. "Maharashtra"
	PAN          string // positions 3–12, the holder's PAN
	HolderType   string // PAN position 4 (see PANParts)
	Registration int    // position 13 as a number: count of registrations for this PAN in the state (1–35)
}

// SchemeName returns "IN-GSTIN".
func (GSTINParts) SchemeName() string { return SchemeGSTIN }

func newGSTIN() Scheme {
	return &decodingScheme{
		scheme: &scheme{
			name: SchemeGSTIN, country: "IN", title: "Goods and Services Tax identification number (GSTIN)",
			hasCheck: true, norm: newNormalizer(true, false, "GSTIN"), check: checkGSTIN,
		},
		decode: func(s string) Parts {
			reg := int(s[12] - '0')
			if isUpper(s[12]) {
				reg = int(s[12]-'A') + 10
			}
			return GSTINParts{State: s[:2], StateName: gstinStates[s[:2]], PAN: s[2:12], HolderType: s[5:6], Registration: reg}
		},
	}
}
