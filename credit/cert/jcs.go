package cert

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and objects accepted by
// Canonicalize. Credentials nest a handful of levels; the bound exists so
// that hostile input cannot exhaust the stack.
const maxDepth = 64

// Canonicalize returns the RFC 8785 JSON Canonicalization Scheme (JCS) form
// of the JSON text data.
//
// The input must be a single I-JSON (RFC 7493) value: valid UTF-8, no
// escaped lone surrogates, no duplicate object member names, and numbers
// that fit an IEEE-754 double. Nesting deeper than 64 levels is rejected.
// In the output, object members are sorted by the UTF-16 code units of
// their names, there is no insignificant white space, strings are escaped
// as ECMAScript JSON.stringify escapes them, and numbers are written in
// the shortest form that round-trips, as ECMAScript Number.prototype.toString
// writes them. Because every number becomes a double, integers beyond 2^53
// and decimals needing more precision lose it: encode such values as
// strings before signing.
//
// Errors wrap ErrMalformed.
func Canonicalize(data []byte) ([]byte, error) {
	v, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	return v.appendTo(make([]byte, 0, len(data))), nil
}

// CanonicalizeValue returns the JCS form of v, which is first encoded with
// encoding/json (so structs, maps, json.RawMessage and json.Number are all
// accepted) and then passed to Canonicalize.
func CanonicalizeValue(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return Canonicalize(data)
}

// kind is the JSON type of a value.
type kind uint8

const (
	kindNull kind = iota
	kindFalse
	kindTrue
	kindNumber
	kindString
	kindArray
	kindObject
)

// value is a parsed JSON value. Numbers hold their canonical text in s,
// so that a parsed tree re-serialises without further work. Object
// members are kept sorted in JCS order, which also makes duplicate
// detection a comparison of neighbours.
type value struct {
	kind kind
	s    string   // string value, or canonical number text
	arr  []value  // array elements
	obj  []member // object members, sorted by compareUTF16 of their names
}

type member struct {
	name string
	val  value
}

// get returns the member of object v named name.
func (v *value) get(name string) (*value, bool) {
	if v.kind != kindObject {
		return nil, false
	}
	for i := range v.obj {
		if v.obj[i].name == name {
			return &v.obj[i].val, true
		}
	}
	return nil, false
}

// str returns the member name of object v if it is a string.
func (v *value) str(name string) (string, bool) {
	m, ok := v.get(name)
	if !ok || m.kind != kindString {
		return "", false
	}
	return m.s, true
}

// without returns a copy of object v without the member name. The
// members slice is copied; member values are shared.
func (v value) without(name string) value {
	out := v
	out.obj = make([]member, 0, len(v.obj))
	for _, m := range v.obj {
		if m.name != name {
			out.obj = append(out.obj, m)
		}
	}
	return out
}

// with returns a copy of object v in which member name is set to val.
func (v value) with(name string, val value) value {
	out := v.without(name)
	out.obj = append(out.obj, member{name, val})
	slices.SortFunc(out.obj, func(a, b member) int { return compareUTF16(a.name, b.name) })
	return out
}

// stringValue returns a JSON string value.
func stringValue(s string) value { return value{kind: kindString, s: s} }

// compareUTF16 orders strings by their UTF-16 code units, as RFC 8785
// section 3.2.3 requires. For valid UTF-8, byte order equals code point
// order; UTF-16 order differs only where a supplementary character (encoded
// with a surrogate, 0xD800-0xDBFF) meets a BMP character in 0xE000-0xFFFF.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := utf16Units(ra), utf16Units(rb)
			return slices.Compare(ua[:], ub[:])
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

// utf16Units returns the UTF-16 code units of r; the second is 0 for BMP
// characters.
func utf16Units(r rune) [2]rune {
	if r < 0x10000 {
		return [2]rune{r, 0}
	}
	hi, lo := utf16.EncodeRune(r)
	return [2]rune{hi, lo}
}

// parser is a strict recursive-descent JSON parser. The standard
// library's decoder is not used because it silently replaces invalid
// UTF-8 and lone surrogates with U+FFFD and accepts duplicate names, all
// of which RFC 8785 requires an implementation to reject.
type parser struct {
	data  []byte
	pos   int
	depth int
}

// parseJSON parses data as exactly one JSON value surrounded by optional
// white space.
func parseJSON(data []byte) (value, error) {
	p := parser{data: data}
	v, err := p.value()
	if err != nil {
		return value{}, err
	}
	p.space()
	if p.pos != len(p.data) {
		return value{}, p.errorf("trailing data after JSON value")
	}
	return v, nil
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: json: offset %d: %s", ErrMalformed, p.pos, fmt.Sprintf(format, args...))
}

func (p *parser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) literal(lit string, k kind) (value, error) {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(lit)) {
		return value{}, p.errorf("invalid literal")
	}
	p.pos += len(lit)
	return value{kind: k}, nil
}

func (p *parser) value() (value, error) {
	p.space()
	if p.pos >= len(p.data) {
		return value{}, p.errorf("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.string()
		return value{kind: kindString, s: s}, err
	case c == 't':
		return p.literal("true", kindTrue)
	case c == 'f':
		return p.literal("false", kindFalse)
	case c == 'n':
		return p.literal("null", kindNull)
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	default:
		return value{}, p.errorf("unexpected character %q", c)
	}
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.errorf("nesting deeper than %d", maxDepth)
	}
	return nil
}

func (p *parser) object() (value, error) {
	if err := p.enter(); err != nil {
		return value{}, err
	}
	p.pos++ // '{'
	v := value{kind: kindObject}
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return v, nil
	}
	for {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return value{}, p.errorf("expected member name")
		}
		name, err := p.string()
		if err != nil {
			return value{}, err
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return value{}, p.errorf("expected ':' after member name")
		}
		p.pos++
		val, err := p.value()
		if err != nil {
			return value{}, err
		}
		v.obj = append(v.obj, member{name, val})
		p.space()
		if p.pos >= len(p.data) {
			return value{}, p.errorf("unterminated object")
		}
		if p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.data[p.pos] != '}' {
			return value{}, p.errorf("expected ',' or '}' in object")
		}
		p.pos++
		break
	}
	p.depth--
	slices.SortFunc(v.obj, func(a, b member) int { return compareUTF16(a.name, b.name) })
	for i := 1; i < len(v.obj); i++ {
		if v.obj[i].name == v.obj[i-1].name {
			return value{}, p.errorf("duplicate member name %q", v.obj[i].name)
		}
	}
	return v, nil
}

func (p *parser) array() (value, error) {
	if err := p.enter(); err != nil {
		return value{}, err
	}
	p.pos++ // '['
	v := value{kind: kindArray}
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return v, nil
	}
	for {
		el, err := p.value()
		if err != nil {
			return value{}, err
		}
		v.arr = append(v.arr, el)
		p.space()
		if p.pos >= len(p.data) {
			return value{}, p.errorf("unterminated array")
		}
		if p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.data[p.pos] != ']' {
			return value{}, p.errorf("expected ',' or ']' in array")
		}
		p.pos++
		break
	}
	p.depth--
	return v, nil
}

// string parses a JSON string starting at the opening quote and returns
// its decoded contents.
func (p *parser) string() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := string(p.data[start:p.pos])
			p.pos++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errorf("control character in string")
		}
		if c < utf8.RuneSelf {
			p.pos++
			continue
		}
		r, n := utf8.DecodeRune(p.data[p.pos:])
		if r == utf8.RuneError && n == 1 {
			return "", p.errorf("invalid UTF-8 in string")
		}
		p.pos += n
	}
	var b strings.Builder
	b.Write(p.data[start:p.pos])
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return "", err
			}
			b.WriteRune(r)
		case c < 0x20:
			return "", p.errorf("control character in string")
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			p.pos++
		default:
			r, n := utf8.DecodeRune(p.data[p.pos:])
			if r == utf8.RuneError && n == 1 {
				return "", p.errorf("invalid UTF-8 in string")
			}
			b.Write(p.data[p.pos : p.pos+n])
			p.pos += n
		}
	}
	return "", p.errorf("unterminated string")
}

// escape decodes one escape sequence starting at the backslash, joining a
// \uD8xx\uDCxx surrogate pair into one character.
func (p *parser) escape() (rune, error) {
	if p.pos+1 >= len(p.data) {
		return 0, p.errorf("unterminated escape")
	}
	c := p.data[p.pos+1]
	p.pos += 2
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		r, err := p.hex4()
		if err != nil {
			return 0, err
		}
		switch {
		case utf16.IsSurrogate(r) && r < 0xDC00:
			// High surrogate: must be followed by an escaped low surrogate.
			if p.pos+1 >= len(p.data) || p.data[p.pos] != '\\' || p.data[p.pos+1] != 'u' {
				return 0, p.errorf("lone surrogate")
			}
			p.pos += 2
			lo, err := p.hex4()
			if err != nil {
				return 0, err
			}
			if lo < 0xDC00 || lo > 0xDFFF {
				return 0, p.errorf("lone surrogate")
			}
			return utf16.DecodeRune(r, lo), nil
		case utf16.IsSurrogate(r):
			return 0, p.errorf("lone surrogate")
		}
		return r, nil
	}
	return 0, p.errorf("invalid escape")
}

func (p *parser) hex4() (rune, error) {
	if p.pos+4 > len(p.data) {
		return 0, p.errorf("short \\u escape")
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, p.errorf("invalid \\u escape")
		}
	}
	p.pos += 4
	return r, nil
}

// number parses a JSON number (RFC 8259 grammar) and stores its
// canonical ECMAScript form.
func (p *parser) number() (value, error) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && '0' <= p.data[p.pos] && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return value{}, p.errorf("invalid number")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return value{}, p.errorf("invalid number")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return value{}, p.errorf("invalid number")
		}
	}
	f, err := strconv.ParseFloat(string(p.data[start:p.pos]), 64)
	if err != nil {
		// Only overflow can fail here: the grammar was checked above.
		return value{}, p.errorf("number %s out of IEEE-754 double range", p.data[start:p.pos])
	}
	return value{kind: kindNumber, s: formatNumber(f)}, nil
}

// formatNumber writes a finite double as ECMAScript Number.prototype.toString
// does (ECMA-262, Number::toString, radix 10), which is what RFC 8785
// section 3.2.2.3 prescribes. strconv supplies the shortest round-trip
// digits; only the layout differs from Go's: plain notation for decimal
// exponents in [-7, 21), "e+"/"e-" with no leading zeros otherwise.
func formatNumber(f float64) string {
	if f == 0 {
		return "0" // also -0
	}
	var out []byte
	if f < 0 {
		out = append(out, '-')
		f = -f
	}
	// d.ddddde±x: digits are the shortest that round-trip.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	epos := strings.IndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[epos+1:])
	digits := e[:1]
	if epos > 1 {
		digits += e[2:epos]
	}
	k := len(digits)
	n := exp + 1 // value = 0.digits × 10^n
	switch {
	case k <= n && n <= 21:
		out = append(out, digits...)
		out = append(out, strings.Repeat("0", n-k)...)
	case 0 < n && n <= 21:
		out = append(out, digits[:n]...)
		out = append(out, '.')
		out = append(out, digits[n:]...)
	case -6 < n && n <= 0:
		out = append(out, "0."...)
		out = append(out, strings.Repeat("0", -n)...)
		out = append(out, digits...)
	default:
		out = append(out, digits[0])
		if k > 1 {
			out = append(out, '.')
			out = append(out, digits[1:]...)
		}
		out = append(out, 'e')
		if n-1 >= 0 {
			out = append(out, '+')
		}
		out = strconv.AppendInt(out, int64(n-1), 10)
	}
	return string(out)
}

// appendTo appends the JCS serialisation of v to buf.
func (v *value) appendTo(buf []byte) []byte {
	switch v.kind {
	case kindNull:
		return append(buf, "null"...)
	case kindFalse:
		return append(buf, "false"...)
	case kindTrue:
		return append(buf, "true"...)
	case kindNumber:
		return append(buf, v.s...)
	case kindString:
		return appendString(buf, v.s)
	case kindArray:
		buf = append(buf, '[')
		for i := range v.arr {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = v.arr[i].appendTo(buf)
		}
		return append(buf, ']')
	default:
		buf = append(buf, '{')
		for i := range v.obj {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, v.obj[i].name)
			buf = append(buf, ':')
			buf = v.obj[i].val.appendTo(buf)
		}
		return append(buf, '}')
	}
}

// canonical returns the JCS serialisation of v.
func (v *value) canonical() []byte { return v.appendTo(nil) }

// appendString appends s as ECMAScript JSON.stringify quotes it (RFC 8785
// section 3.2.2.2): the two-character escapes for \b \t \n \f \r " and \,
// \u00xx with lower-case hex for the other control characters, and every
// other character as literal UTF-8. s is valid UTF-8 without surrogates.
func appendString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		buf = append(buf, s[start:i]...)
		switch c {
		case '"', '\\':
			buf = append(buf, '\\', c)
		case '\b':
			buf = append(buf, '\\', 'b')
		case '\t':
			buf = append(buf, '\\', 't')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\f':
			buf = append(buf, '\\', 'f')
		case '\r':
			buf = append(buf, '\\', 'r')
		default:
			buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		start = i + 1
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
