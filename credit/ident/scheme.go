package ident

import "strconv"

import "unicode/utf8"

// Scheme is one identifier scheme, such as China's Unified Social Credit Code.
// Implementations must be safe for concurrent use; the built-in ones are
// immutable values.
type Scheme interface {
	// Name returns the fixed scheme name used in records and certificates,
	// e.g. "CN-USCC".
	Name() string
	// Country returns the ISO 3166-1 alpha-2 code of the issuing country, or ""
	// for schemes valid in every country (LEI).
	Country() string
	// Title returns a human-readable title, e.g.
	// "Unified Social Credit Code (统一社会信用代码)".
	Title() string
	// HasCheckDigit reports whether Validate verifies a published check
	// algorithm. False means format only: a wrong number with the right shape
	// passes, and no checksum is ever invented for such schemes.
	HasCheckDigit() bool
	// Normalize returns the compact canonical form: separators removed, upper
	// case, well-known prefixes dropped and documented mappings applied. The
	// built-in schemes all map fullwidth forms (U+FF01..U+FF5E to ASCII, the
	// ideographic space U+3000 to a space, which is then removed); those whose
	// letters are Latin (CN-USCC, RU-KPP, IN-GSTIN, IN-PAN, IN-CIN, BY-UNP,
	// LEI) also map the Cyrillic look-alikes А В Е К М Н О Р С Т У Х (either
	// case) to A B E K M H O P C T Y X; IR, AF and PK schemes map Persian and
	// Arabic-Indic digits. It is idempotent and returns its argument unchanged
	// (without allocating) when the value is already compact.
	Normalize(value string) string
	// Validate normalizes value and checks it, returning nil or an *Error.
	Validate(value string) error
	// Format validates value and returns the display form used in the
	// issuing country, e.g. NNNNN-NNNNNNN-N for a Pakistani CNIC.
	Format(value string) (string, error)
}

// Parts is the decoded structure of an identifier. Each scheme that implements
// Decoder returns its own concrete type (USCCParts, INNParts, OGRNParts,
// BINParts, IINParts, GSTINParts, PANParts, CINParts, CNICParts); use a type
// switch or assertion to read the fields.
type Parts interface {
	// SchemeName returns the name of the scheme that produced the parts.
	SchemeName() string
}

// Decoder is implemented by schemes whose structure carries meaning (region,
// entity type, registration year, ...). Decode validates value first and
// returns the same *Error Validate would return if it is invalid.
type Decoder interface {
	Decode(value string) (Parts, error)
}

// Scheme names of the built-in schemes. They are fixed because they appear in
// stored records and certificates.
const (
	SchemeUSCC   = "CN-USCC"
	SchemeRUINN  = "RU-INN"
	SchemeOGRN   = "RU-OGRN"
	SchemeOGRNIP = "RU-OGRNIP"
	SchemeKPP    = "RU-KPP"
	SchemeBIN    = "KZ-BIN"
	SchemeIIN    = "KZ-IIN"
	SchemeKGINN  = "KG-INN"
	SchemeTJINN  = "TJ-INN"
	SchemeUZINN  = "UZ-INN"
	SchemeGSTIN  = "IN-GSTIN"
	SchemePAN    = "IN-PAN"
	SchemeCIN    = "IN-CIN"
	SchemeNTN    = "PK-NTN"
	SchemeCNIC   = "PK-CNIC"
	SchemeIRNID  = "IR-NID"
	SchemeIRNC   = "IR-NC"
	SchemeUNP    = "BY-UNP"
	SchemeMNREG  = "MN-REG"
	SchemeAFTIN  = "AF-TIN"
	SchemeLEI    = "LEI"
)

// scheme is the table-driven implementation shared by all built-in schemes:
// the per-scheme behaviour lives in the check and format functions, so each
// scheme file only holds its algorithm and its table entry.
type scheme struct {
	name, country, title string
	hasCheck             bool
	norm                 normalizer
	// check validates an already normalized value.
	check func(s string) error
	// display turns a valid normalized value into its display form; nil means
	// the compact form is also the display form.
	display func(s string) string
}

func (s *scheme) Name() string        { return s.name }
func (s *scheme) Country() string     { return s.country }
func (s *scheme) Title() string       { return s.title }
func (s *scheme) HasCheckDigit() bool { return s.hasCheck }

// Normalize applies the mappings documented on Scheme.Normalize and on
// normalizer: fullwidth forms for every built-in scheme, Cyrillic look-alikes
// for the Latin-letter ones, Persian and Arabic-Indic digits for IR, AF and PK.
func (s *scheme) Normalize(value string) string { return s.norm.normalize(value) }

func (s *scheme) Validate(value string) error { return s.validate(s.norm.normalize(value)) }

// validate checks a normalized value: the scheme's own check, then that
// it is not a placeholder. A value of one character repeated passes the
// check digits of several schemes (RU-INN 0000000000, IR-NC 1111111111)
// and the format of every format-only scheme, but no register issues it.
func (s *scheme) validate(n string) error {
	if err := s.check(n); err != nil {
		return err
	}
	if allSame(n) {
		return &Error{Scheme: s.name, Kind: ErrPlaceholder, Detail: "every character is the same, which no register issues"}
	}
	return nil
}

func (s *scheme) Format(value string) (string, error) {
	n := s.norm.normalize(value)
	if err := s.validate(n); err != nil {
		return "", err
	}
	if s.display == nil {
		return n, nil
	}
	return s.display(n), nil
}

// decodingScheme adds Decode to a scheme whose structure can be read.
type decodingScheme struct {
	*scheme
	decode func(s string) Parts
}

func (s *decodingScheme) Decode(value string) (Parts, error) {
	n := s.norm.normalize(value)
	if err := s.validate(n); err != nil {
		return nil, err
	}
	return s.decode(n), nil
}

// Compile-time interface checks.
var (
	_ Scheme  = (*scheme)(nil)
	_ Decoder = (*decodingScheme)(nil)
)

// Builtins returns new instances of every built-in scheme, sorted by name. Use it
// to build a private Registry that does not share state with Default.
func Builtins() []Scheme {
	return []Scheme{
		newAFTIN(),
		newUNP(),
		newUSCC(),
		newCIN(), newGSTIN(), newPAN(),
		newIRNC(), newIRNID(),
		newKGINN(),
		newBIN(), newIIN(),
		newLEI(),
		newMNREG(),
		newCNIC(), newNTN(),
		newRUINN(), newKPP(), newOGRN(), newOGRNIP(),
		newTJINN(),
		newUZINN(),
	}
}

// Small helpers used by the scheme files. They work on bytes of normalized
// strings and never allocate. Lengths are counted in characters (runes), not
// bytes: a check first compares charCount with the expected length (ErrLength),
// then calls asciiOnly (ErrFormat naming the position), and only then indexes
// the string by bytes, which is safe because it is ASCII from there on.

// charCount returns the number of characters in s. Each byte of invalid UTF-8
// counts as one character (Normalize turns it into U+FFFD anyway).
func charCount(s string) int { return utf8.RuneCountInString(s) }

// asciiOnly returns a format error naming the position, in characters, of the
// first non-ASCII character of s, or nil if s is ASCII. The character itself
// is not echoed: messages never contain the value.
func asciiOnly(name, s string) error {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return formatError(name, "character at position "+strconv.Itoa(charCount(s[:i])+1)+" is not an ASCII letter or digit")
		}
	}
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// digitsCheck is the common first step of all-digit schemes: exact length, then
// digits only. Length is reported first because a short value is the most
// common data-entry error and the clearer message.
func digitsCheck(name string, s string, n int) error {
	if c := charCount(s); c != n {
		return lengthError(name, "want "+strconv.Itoa(n)+" digits, got "+strconv.Itoa(c)+" characters")
	}
	if err := asciiOnly(name, s); err != nil {
		return err
	}
	if !allDigits(s) {
		return formatError(name, "only digits are allowed")
	}
	return nil
}

// formatOnly builds a digits-only scheme without a check digit.
func formatOnly(name, country, title string, length int, norm normalizer) *scheme {
	return &scheme{
		name: name, country: country, title: title, norm: norm,
		check: func(s string) error { return digitsCheck(name, s, length) },
	}
}
