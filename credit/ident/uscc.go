package ident

import "strconv"

import "strings"

// USCC: Unified Social Credit Code (统一社会信用代码), GB 32100-2015.
//
// Layout (1-based): 1 registration authority, 2 entity category, 3–8 GB/T 2260
// administrative-division code, 9–17 GB 11714 organisation code (with its own
// check character at 17), 18 overall check character.
//
// Deliberate differences from python-stdnum: positions 1–2 may be any character of
// the code alphabet, because the standard allows it and real codes exist (overseas
// NGO codes starting with G, e.g. G1610000713522976L; Y1110000600037341Y); and the
// inner GB 11714 check is verified too. A failing check is a hard error even though
// a few issued codes reportedly fail it (e.g. 91350211M0000XUF46): accepting them
// would accept typos in every other code.
//
// Normalize maps fullwidth digits and letters (common in Chinese input) to ASCII
// and Cyrillic look-alike letters to Latin, as documented in the package doc.

// usccAlphabet is the 31-symbol alphabet: digits and A–Z without I, O, S, V, Z.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are 3^(i-1) mod 31 for positions 1..17.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgCodeWeights are the GB 11714 weights for positions 1..8 of the organisation code.
var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// usccValue returns the value of c in usccAlphabet, or -1.
func usccValue(c byte) int {
	switch {
	case isDigit(c):
		return int(c - '0')
	case isUpper(c):
		return strings.IndexByte(usccAlphabet, c)
	}
	return -1
}

// usccCheckChar computes position 18 from the first 17 characters, which must be
// in the alphabet.
func usccCheckChar(s string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += usccValue(s[i]) * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31]
}

// orgCodeCheckChar computes the GB 11714 check character of the 9-character
// organisation code from its first 8 characters. GB 11714 values letters with
// the full alphabet (A=10 … Z=35), not the reduced USCC alphabet: with the
// reduced one, most real codes fail.
func orgCodeCheckChar(code string) byte {
	sum := 0
	for i := 0; i < 8; i++ {
		c := code[i]
		v := int(c - '0')
		if isUpper(c) {
			v = int(c-'A') + 10
		}
		sum += v * orgCodeWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

func checkUSCC(s string) error {
	const name = SchemeUSCC
	if n := charCount(s); n != 18 {
		return lengthError(name, "want 18 characters, got "+strconv.Itoa(n))
	}
	if err := asciiOnly(name, s); err != nil {
		return err
	}
	for i := 0; i < 17; i++ {
		if usccValue(s[i]) < 0 {
			return formatError(name, "character at position "+strconv.Itoa(i+1)+" is not in the code alphabet (digits and A-Z without I, O, S, V, Z)")
		}
	}
	if !allDigits(s[2:8]) {
		return formatError(name, "positions 3-8 (administrative division) must be digits")
	}
	// Any wrong last character, even one outside the alphabet (the GB text's own
	// example ends in Z), is a checksum error: the expected character is known.
	if c := usccCheckChar(s); c != s[17] {
		return checksumError(name, "check character", string(c))
	}
	if c := orgCodeCheckChar(s[8:17]); c != s[16] {
		return &Error{Scheme: name, Kind: ErrChecksum, Expected: string(c),
			Detail: "organisation code (GB 11714) check character at position 17: expected " + string(c)}
	}
	return nil
}

// USCCParts is the decoded structure of a CN-USCC code.
type USCCParts struct {
	Authority     string // position 1, registration-authority code, e.g. "9"
	AuthorityName string // English name from GB 32100's table, "" if not in the table
	Category      string // position 2, entity category within the authority
	CategoryName  string // English name, "" if not in the table
	Division      string // positions 3–8, GB/T 2260 administrative-division code
	OrgCode       string // positions 9–17, GB 11714 organisation code
}

// SchemeName returns "CN-USCC".
func (USCCParts) SchemeName() string { return SchemeUSCC }

var usccAuthorities = map[byte]string{
	'1': "institutional establishment", '2': "foreign affairs", '3': "justice administration",
	'4': "culture", '5': "civil affairs", '6': "tourism", '7': "religion", '8': "trade unions",
	'9': "industry and commerce", 'A': "Central Military Commission establishment office",
	'N': "agriculture", 'Y': "other",
}

var usccCategories = map[string]string{
	"91": "enterprise", "92": "individual business", "93": "farmers' specialised cooperative",
	"51": "social organisation", "52": "private non-enterprise unit", "53": "foundation", "59": "other",
	"11": "government organ", "12": "public institution", "13": "mass organisation", "19": "other",
	"Y1": "other",
}

func newUSCC() Scheme {
	return &decodingScheme{
		scheme: &scheme{
			name: SchemeUSCC, country: "CN", title: "Unified Social Credit Code (统一社会信用代码)",
			hasCheck: true, norm: newNormalizer(true, false), check: checkUSCC,
		},
		decode: func(s string) Parts {
			return USCCParts{
				Authority: s[0:1], AuthorityName: usccAuthorities[s[0]],
				Category: s[1:2], CategoryName: usccCategories[s[0:2]],
				Division: s[2:8], OrgCode: s[8:17],
			}
		},
	}
}
