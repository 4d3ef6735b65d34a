package jcs

import (
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth bounds the nesting of arrays and objects accepted by Parse and
// Canonicalize. Credentials and rule sets nest a handful of levels; the
// bound exists so that hostile input cannot exhaust the stack.
const MaxDepth = 64

// Canonicalize returns the RFC 8785 JSON Canonicalization Scheme (JCS) form
// of the JSON text data.
//
// The input must be a single I-JSON (RFC 7493) value: valid UTF-8, no
// escaped lone surrogates, no duplicate object member names, and numbers
// that fit an IEEE-754 double. Nesting deeper than MaxDepth levels is
// rejected. In the output, object members are sorted by the UTF-16 code
// units of their names, there is no insignificant white space, strings are
// escaped as ECMAScript JSON.stringify escapes them, and numbers are
// written in the shortest form that round-trips, as ECMAScript
// Number.prototype.toString writes them (see FormatNumber). Because every
// number becomes a double, integers beyond 2^53 and decimals needing more
// precision lose it: encode such values as strings where they must be
// exact.
//
// Errors are *SyntaxError values.
func Canonicalize(data []byte) ([]byte, error) {
	v, err := Parse(data)
	if err != nil {
		return nil, err
	}
	return v.AppendTo(make([]byte, 0, len(data))), nil
}

// CanonicalizeValue returns the JCS form of v, which is first encoded with
// encoding/json (so structs, maps, json.RawMessage and json.Number are all
// accepted) and then passed to Canonicalize. An encoding error is returned
// as encoding/json reports it.
func CanonicalizeValue(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Canonicalize(data)
}

// A SyntaxError reports input that is not a single I-JSON value, or that
// nests deeper than MaxDepth.
type SyntaxError struct {
	Offset int    // byte offset in the input at which the error was found
	Msg    string // description of the error
}

// Error returns "json: offset N: " followed by the description.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("json: offset %d: %s", e.Offset, e.Msg)
}

// Kind is the JSON type of a Value.
type Kind uint8

// The kinds of JSON values. The zero Kind is KindNull.
const (
	KindNull Kind = iota
	KindFalse
	KindTrue
	KindNumber
	KindString
	KindArray
	KindObject
)

// A Value is a parsed JSON value. Numbers hold their canonical text, so
// that a parsed tree re-serialises without further work. Object members
// are kept sorted in JCS order, which also makes duplicate detection a
// comparison of neighbours. The zero Value is null.
type Value struct {
	kind Kind
	s    string   // string value, or canonical number text
	arr  []Value  // array elements
	obj  []member // object members, sorted by compareUTF16 of their names
}

type member struct {
	name string
	val  Value
}

// String returns a JSON string value holding s, which must be valid UTF-8.
func String(s string) Value { return Value{kind: KindString, s: s} }

// Object returns an empty JSON object, to be filled with With.
func Object() Value { return Value{kind: KindObject} }

// Kind returns the JSON type of v.
func (v *Value) Kind() Kind { return v.kind }

// Text returns the contents of a string value or the canonical text of a
// number value, and "" for other kinds.
func (v *Value) Text() string { return v.s }

// Elems returns the elements of an array value, and nil for other kinds.
// The slice is shared with v.
func (v *Value) Elems() []Value { return v.arr }

// Get returns the member of object v named name.
func (v *Value) Get(name string) (*Value, bool) {
	if v.kind != KindObject {
		return nil, false
	}
	for i := range v.obj {
		if v.obj[i].name == name {
			return &v.obj[i].val, true
		}
	}
	return nil, false
}

// Str returns the member name of object v if it is a string.
func (v *Value) Str(name string) (string, bool) {
	m, ok := v.Get(name)
	if !ok || m.kind != KindString {
		return "", false
	}
	return m.s, true
}

// Without returns a copy of object v without the member name. The
// members slice is copied; member values are shared.
func (v Value) Without(name string) Value {
	out := v
	out.obj = make([]member, 0, len(v.obj))
	for _, m := range v.obj {
		if m.name != name {
			out.obj = append(out.obj, m)
		}
	}
	return out
}

// With returns a copy of object v in which member name is set to val.
func (v Value) With(name string, val Value) Value {
	out := v.Without(name)
	out.obj = append(out.obj, member{name, val})
	sortMembers(out.obj)
	return out
}

// sortMembers sorts object members into JCS order.
func sortMembers(obj []member) {
	slices.SortFunc(obj, func(a, b member) int { return compareUTF16(a.name, b.name) })
}

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

// AppendTo appends the JCS serialisation of v to buf.
func (v *Value) AppendTo(buf []byte) []byte {
	switch v.kind {
	case KindNull:
		return append(buf, "null"...)
	case KindFalse:
		return append(buf, "false"...)
	case KindTrue:
		return append(buf, "true"...)
	case KindNumber:
		return append(buf, v.s...)
	case KindString:
		return appendString(buf, v.s)
	case KindArray:
		buf = append(buf, '[')
		for i := range v.arr {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = v.arr[i].AppendTo(buf)
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
			buf = v.obj[i].val.AppendTo(buf)
		}
		return append(buf, '}')
	}
}

// Tree returns v as encoding/json decodes the same JSON into an any with
// Decoder.UseNumber: map[string]any for an object, []any for an array,
// json.Number holding the canonical text for a number, string, bool, and
// nil for null. It is the form that validators of decoded JSON, such as
// gojsonschema's raw loader, read, obtained without serialising and
// parsing v again. The tree shares no maps or slices with v.
func (v *Value) Tree() any {
	switch v.kind {
	case KindFalse:
		return false
	case KindTrue:
		return true
	case KindNumber:
		return json.Number(v.s)
	case KindString:
		return v.s
	case KindArray:
		a := make([]any, len(v.arr))
		for i := range v.arr {
			a[i] = v.arr[i].Tree()
		}
		return a
	case KindObject:
		m := make(map[string]any, len(v.obj))
		for i := range v.obj {
			m[v.obj[i].name] = v.obj[i].val.Tree()
		}
		return m
	}
	return nil
}

// Canonical returns the JCS serialisation of v.
func (v *Value) Canonical() []byte { return v.AppendTo(nil) }

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
