package jcs

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// parser is a strict recursive-descent JSON parser. The standard
// library's decoder is not used because it silently replaces invalid
// UTF-8 and lone surrogates with U+FFFD and accepts duplicate names, all
// of which RFC 8785 requires an implementation to reject.
type parser struct {
	data  []byte
	pos   int
	depth int
}

// Parse parses data as exactly one I-JSON value surrounded by optional
// white space, with the restrictions listed at Canonicalize. Errors are
// *SyntaxError values.
func Parse(data []byte) (Value, error) {
	p := parser{data: data}
	v, err := p.value()
	if err != nil {
		return Value{}, err
	}
	p.space()
	if p.pos != len(p.data) {
		return Value{}, p.errorf("trailing data after JSON value")
	}
	return v, nil
}

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
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

func (p *parser) literal(lit string, k Kind) (Value, error) {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(lit)) {
		return Value{}, p.errorf("invalid literal")
	}
	p.pos += len(lit)
	return Value{kind: k}, nil
}

func (p *parser) value() (Value, error) {
	p.space()
	if p.pos >= len(p.data) {
		return Value{}, p.errorf("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.string()
		return Value{kind: KindString, s: s}, err
	case c == 't':
		return p.literal("true", KindTrue)
	case c == 'f':
		return p.literal("false", KindFalse)
	case c == 'n':
		return p.literal("null", KindNull)
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	default:
		return Value{}, p.errorf("unexpected character %q", c)
	}
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errorf("nesting deeper than %d", MaxDepth)
	}
	return nil
}

func (p *parser) object() (Value, error) {
	if err := p.enter(); err != nil {
		return Value{}, err
	}
	p.pos++ // '{'
	v := Value{kind: KindObject}
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return v, nil
	}
	for {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return Value{}, p.errorf("expected member name")
		}
		name, err := p.string()
		if err != nil {
			return Value{}, err
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return Value{}, p.errorf("expected ':' after member name")
		}
		p.pos++
		val, err := p.value()
		if err != nil {
			return Value{}, err
		}
		v.obj = append(v.obj, member{name, val})
		p.space()
		if p.pos >= len(p.data) {
			return Value{}, p.errorf("unterminated object")
		}
		if p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.data[p.pos] != '}' {
			return Value{}, p.errorf("expected ',' or '}' in object")
		}
		p.pos++
		break
	}
	p.depth--
	sortMembers(v.obj)
	for i := 1; i < len(v.obj); i++ {
		if v.obj[i].name == v.obj[i-1].name {
			return Value{}, p.errorf("duplicate member name %q", v.obj[i].name)
		}
	}
	return v, nil
}

func (p *parser) array() (Value, error) {
	if err := p.enter(); err != nil {
		return Value{}, err
	}
	p.pos++ // '['
	v := Value{kind: KindArray}
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return v, nil
	}
	for {
		el, err := p.value()
		if err != nil {
			return Value{}, err
		}
		v.arr = append(v.arr, el)
		p.space()
		if p.pos >= len(p.data) {
			return Value{}, p.errorf("unterminated array")
		}
		if p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.data[p.pos] != ']' {
			return Value{}, p.errorf("expected ',' or ']' in array")
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
func (p *parser) number() (Value, error) {
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
		return Value{}, p.errorf("invalid number")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return Value{}, p.errorf("invalid number")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return Value{}, p.errorf("invalid number")
		}
	}
	f, err := strconv.ParseFloat(string(p.data[start:p.pos]), 64)
	if err != nil {
		// Only overflow can fail here: the grammar was checked above.
		return Value{}, p.errorf("number %s out of IEEE-754 double range", p.data[start:p.pos])
	}
	return Value{kind: KindNumber, s: FormatNumber(f)}, nil
}
