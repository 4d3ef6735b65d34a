package credit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/creditsco/creditsco/schema"
)

// Limits that bound the work one hostile record can cause. They are errors
// for the record, never a crash or a huge allocation.
const (
	// MaxRecordBytes is the largest record accepted, in bytes of JSON.
	MaxRecordBytes = 1 << 20
	// maxDepth is the deepest nesting of objects and arrays that the
	// record standard uses (record → enterprise → identifiers → item).
	maxDepth = 4
	// maxNumberLen and maxExponentDigits bound a JSON number:
	// gojsonschema parses every number into a big.Rat, whose cost grows
	// with the digits and, exponentially, with the exponent (1e99999999
	// would take minutes). No field of the standard needs either.
	maxNumberLen      = 24
	maxExponentDigits = 2
)

// jsonLimits are the limits and the wording of one kind of document that
// decodeJSON reads: records, rule sets, FX rate files.
type jsonLimits struct {
	maxBytes int
	maxDepth int
	// doc names the document in messages: "record", "rule set".
	doc string
	// need says, in messages about nesting, what the document's standard
	// needs: "the record standard needs no more".
	need string
	// startHint is added to a syntax error in a document that does not
	// start with '{' or '[', likely a file of another format (CSV, plain
	// text).
	startHint string
	// afterHint, if set, is added to the error about data after the
	// document, likely several documents (NDJSON) where one is expected.
	afterHint string
	// The codes of the problems.
	codeTooLarge, codeMalformed, codeUTF8, codeDeep, codeDupKey, codeNumber string
	// keys, if not nil, maps the usual keys to shared copies.
	keys func() map[string]string
}

// recordLimits are the limits of an enterprise record.
var recordLimits = &jsonLimits{
	maxBytes: MaxRecordBytes, maxDepth: maxDepth, doc: "record",
	need:         "the record standard needs no more",
	startHint:    "a record is a JSON object; the input must be JSON, a JSON array of records or NDJSON (one record per line), not CSV or other text",
	codeTooLarge: CodeRecordTooLarge, codeMalformed: CodeMalformedJSON, codeUTF8: CodeInvalidUTF8,
	codeDeep: CodeTooDeep, codeDupKey: CodeDuplicateKey, codeNumber: CodeNumberTooLong,
	keys: knownKeys,
}

// decodeJSON decodes one JSON value into a tree of map[string]any, []any,
// json.Number, string, bool and nil, as gojsonschema's raw loader expects,
// the same tree that encoding/json gives with UseNumber, and adds its
// problems to ps. It reports, instead of failing on, what encoding/json
// would silently accept: duplicate keys (reported once per key and
// object; the last one wins in the tree), numbers too long to handle
// cheaply (replaced by 0 in the tree) and \u escapes of lone UTF-16
// surrogates (replaced by U+FFFD), which no Unicode text holds and which
// I-JSON (RFC 7493), and so RFC 8785 canonicalisation and signing, refuse.
// A malformed document, nesting beyond the limit or invalid UTF-8 stop
// decoding; the returned tree is then nil.
//
// The parser is a strict RFC 8259 recursive-descent parser that accepts
// exactly what encoding/json accepts. Apart from the values of the tree it
// allocates only its scratch stacks, grown as the document needs, and it
// builds JSON Pointer paths only when it reports a problem.
func decodeJSON(data []byte, lim *jsonLimits, ps *problemList) any {
	if len(data) > lim.maxBytes {
		ps.add(Problem{Code: lim.codeTooLarge, Severity: SeverityError,
			Message: fmt.Sprintf("%s is %d bytes; at most %d are accepted", lim.doc, len(data), lim.maxBytes)})
		return nil
	}
	if !utf8.Valid(data) {
		off := invalidUTF8Offset(data)
		ps.add(Problem{Code: lim.codeUTF8, Severity: SeverityError,
			Message: fmt.Sprintf("invalid UTF-8 at byte %d", off)})
		return nil
	}
	// The strings and numbers of the tree are substrings of one copy of
	// the text, not a copy each: a record's hundreds of values cost one
	// allocation instead of hundreds. (A string kept, such as a typed
	// Record's, keeps that copy alive: one record's text, at most
	// MaxRecordBytes.)
	p := treeParser{data: data, text: string(data), lim: lim, problems: ps}
	if lim.keys != nil {
		p.keys = lim.keys()
	}
	v, ok := p.value(0)
	if ok {
		p.skipSpace()
		if p.pos < len(p.data) {
			reason := "unexpected data after the " + lim.doc
			if lim.afterHint != "" {
				reason += "; " + lim.afterHint
			}
			ok = p.syntaxError(reason)
		}
	}
	if !ok {
		return nil
	}
	return v
}

// treeParser is the state of one decodeJSON call. Its methods return
// false once decoding has stopped; the stopping problem is then the last
// one added.
type treeParser struct {
	data     []byte
	text     string // data as a string, whose substrings the tree holds
	pos      int
	lim      *jsonLimits
	problems *problemList
	// inKey is set while an object key is read, so that a problem in
	// the key is reported at its object.
	inKey bool
	// path holds one step per open container: the key being decoded in
	// an object, the index in an array. It becomes a JSON Pointer only
	// when a problem is reported.
	path []pathStep
	// vals and members are scratch stacks shared by all containers: the
	// items of the open containers are collected here and copied into an
	// exactly sized slice or map when the container closes.
	vals    []any
	members []member
	// keys maps the keys of the record standard to one shared copy, so
	// that the usual keys cost no allocation.
	keys map[string]string
}

type pathStep struct {
	key   string
	index int // -1 for an object key
}

type member struct {
	key string
	val any
}

// smallObject is the number of keys up to which an object collects its
// members on the scratch stack and finds duplicates by a linear scan;
// larger objects switch to a map.
const smallObject = 16

func (p *treeParser) pointer() string { return stepsPointer(p.path) }

func (p *treeParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// endEarly reports input that ends inside the value and returns false.
func (p *treeParser) endEarly() bool {
	p.problems.add(Problem{Code: p.lim.codeMalformed, Severity: SeverityError,
		Message: fmt.Sprintf("malformed JSON: the %s ends early, after %d bytes", p.lim.doc, len(p.data))})
	return false
}

// syntaxError reports a syntax error at p.pos and returns false. In a
// document that does not start with '{' or '[', likely not JSON at all
// (a CSV file, plain text), it says what is expected.
func (p *treeParser) syntaxError(reason string) bool {
	if p.lim.startHint != "" {
		if first := bytes.TrimLeft(p.data, " \t\r\n"); len(first) > 0 && first[0] != '{' && first[0] != '[' {
			reason += "; " + p.lim.startHint
		}
	}
	p.problems.add(Problem{Code: p.lim.codeMalformed, Severity: SeverityError,
		Message: fmt.Sprintf("malformed JSON at byte %d: %s", p.pos, reason)})
	return false
}

// containerPointer returns the JSON Pointer of the innermost open
// container: the object whose key is being read.
func (p *treeParser) containerPointer() string {
	saved := p.path
	p.path = p.path[:max(len(p.path)-1, 0)]
	s := p.pointer()
	p.path = saved
	return s
}

// badChar reports the character at i, in context, and returns false. At
// the end of input it reports an early end instead.
func (p *treeParser) badChar(i int, context string) bool {
	if i >= len(p.data) {
		return p.endEarly()
	}
	p.pos = i
	r, _ := utf8.DecodeRune(p.data[i:])
	return p.syntaxError("invalid character " + quoteRune(r) + " " + context)
}

func quoteRune(r rune) string {
	switch r {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	s := strconv.QuoteRune(r)
	return "'" + s[1:len(s)-1] + "'"
}

func (p *treeParser) value(depth int) (any, bool) {
	p.skipSpace()
	if p.pos >= len(p.data) {
		return nil, p.endEarly()
	}
	switch c := p.data[p.pos]; c {
	case '{', '[':
		if depth >= p.lim.maxDepth {
			p.problems.add(Problem{Path: p.pointer(), Code: p.lim.codeDeep, Severity: SeverityError,
				Message: fmt.Sprintf("nesting deeper than %d levels; %s", p.lim.maxDepth, p.lim.need)})
			return nil, false
		}
		if c == '{' {
			return p.object(depth + 1)
		}
		return p.array(depth + 1)
	case '"':
		s, ok := p.str()
		if !ok {
			return nil, false
		}
		return s, true
	case 't':
		return true, p.literal("true")
	case 'f':
		return false, p.literal("false")
	case 'n':
		return nil, p.literal("null")
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return p.number()
	default:
		return nil, p.badChar(p.pos, "looking for beginning of value")
	}
}

func (p *treeParser) literal(word string) bool {
	for k := 1; k < len(word); k++ {
		i := p.pos + k
		if i >= len(p.data) || p.data[i] != word[k] {
			return p.badChar(i, "in literal "+word+" (expecting "+quoteRune(rune(word[k]))+")")
		}
	}
	p.pos += len(word)
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// digits skips the digits from i on, of which there must be at least one.
func (p *treeParser) digits(i int) (int, bool) {
	if i >= len(p.data) || !isDigit(p.data[i]) {
		return i, p.badChar(i, "in numeric literal")
	}
	for i++; i < len(p.data) && isDigit(p.data[i]); i++ {
	}
	return i, true
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (p *treeParser) number() (any, bool) {
	data, start, i := p.data, p.pos, p.pos
	if data[i] == '-' {
		i++
	}
	var ok bool
	if i < len(data) && data[i] == '0' {
		i++
	} else if i, ok = p.digits(i); !ok {
		return nil, false
	}
	if i < len(data) && data[i] == '.' {
		if i, ok = p.digits(i + 1); !ok {
			return nil, false
		}
	}
	expDigits := 0
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		expStart := i
		if i, ok = p.digits(i); !ok {
			return nil, false
		}
		expDigits = i - expStart
	}
	p.pos = i
	if n := i - start; n > maxNumberLen || expDigits > maxExponentDigits {
		msg := fmt.Sprintf("number has %d characters; at most %d are accepted", n, maxNumberLen)
		if n <= maxNumberLen {
			msg = fmt.Sprintf("number has an exponent of %d digits; at most %d are accepted", expDigits, maxExponentDigits)
		}
		p.problems.add(Problem{Path: p.pointer(), Code: p.lim.codeNumber, Severity: SeverityError, Message: msg})
		return json.Number("0"), true
	}
	return json.Number(p.text[start:i]), true
}

// str reads the string that starts at p.pos. A string without escapes is
// copied as is; the input is valid UTF-8, checked by decodeTree.
func (p *treeParser) str() (string, bool) {
	data := p.data
	for i := p.pos + 1; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			s := p.text[p.pos+1 : i]
			p.pos = i + 1
			return s, true
		case c == '\\':
			return p.strEscaped(i)
		case c < 0x20:
			return "", p.badChar(i, "in string literal")
		}
	}
	return "", p.endEarly()
}

// key reads the object key that starts at p.pos. A key of the record
// standard without escapes is not copied.
func (p *treeParser) key() (string, bool) {
	data := p.data
	for i := p.pos + 1; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			k, ok := p.keys[string(data[p.pos+1:i])]
			if !ok {
				k = p.text[p.pos+1 : i]
			}
			p.pos = i + 1
			return k, true
		case c == '\\' || c < 0x20:
			return p.str()
		}
	}
	return p.str()
}

// knownKeys holds every object key of the record schema, properties and
// keywords alike, as a set of shared strings.
var knownKeys = sync.OnceValue(func() map[string]string {
	keys := map[string]string{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				keys[k] = k
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var tree any
	if json.Unmarshal(schema.EnterpriseRecord, &tree) == nil {
		walk(tree)
	}
	return keys
})

// strEscaped reads the rest of the string that starts at p.pos from its
// first escape at i, decoding escapes as encoding/json does: a \u escape of
// a surrogate pair gives one rune, any other surrogate gives U+FFFD and is
// reported.
func (p *treeParser) strEscaped(i int) (string, bool) {
	data := p.data
	buf := make([]byte, 0, i-p.pos+16)
	buf = append(buf, data[p.pos+1:i]...)
	for i < len(data) {
		c := data[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return string(buf), true
		case c < 0x20:
			return "", p.badChar(i, "in string literal")
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		i++ // the backslash
		if i >= len(data) {
			return "", p.endEarly()
		}
		switch data[i] {
		case '"', '\\', '/':
			buf = append(buf, data[i])
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4(i + 1)
			if !ok {
				return "", false
			}
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+2 < len(data) && data[i+1] == '\\' && data[i+2] == 'u' {
					r2 = hex4(data[i+3:])
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					p.loneSurrogate(r, i-5)
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.badChar(i, "in string escape code")
		}
		i++
	}
	return "", p.endEarly()
}

// loneSurrogate reports the escape \uXXXX of a lone surrogate r at byte
// at. Decoding goes on, so that the other problems are found too.
func (p *treeParser) loneSurrogate(r rune, at int) {
	path := p.pointer()
	if p.inKey {
		path = p.containerPointer()
	}
	p.problems.add(Problem{Path: path, Code: p.lim.codeUTF8, Severity: SeverityError,
		Message: fmt.Sprintf(`\u%04x at byte %d is a lone UTF-16 surrogate, which encodes no Unicode character; write the character itself or a surrogate pair`, r, at)})
}

// hex4 reads the four hexadecimal digits of a \u escape at i.
func (p *treeParser) hex4(i int) (rune, bool) {
	for k := i; k < i+4; k++ {
		if k >= len(p.data) || hexVal(p.data[k]) < 0 {
			return 0, p.badChar(k, `in \u hexadecimal character escape`)
		}
	}
	return hex4(p.data[i:]), true
}

// hex4 returns the value of the four hexadecimal digits that b starts
// with, or -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		v := hexVal(c)
		if v < 0 {
			return -1
		}
		r = r<<4 | v
	}
	return r
}

func hexVal(c byte) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

func (p *treeParser) object(depth int) (any, bool) {
	p.pos++ // '{'
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return map[string]any{}, true
	}
	base := len(p.members)
	var m map[string]any         // set once the object outgrows smallObject
	var reported map[string]bool // duplicate keys reported
	p.path = append(p.path, pathStep{index: -1})
	top := len(p.path) - 1
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.badChar(p.pos, "looking for beginning of object key string")
		}
		p.inKey = true
		key, ok := p.key()
		p.inKey = false
		if !ok {
			return nil, false
		}
		p.path[top].key = key
		dup := false
		if m != nil {
			_, dup = m[key]
		} else {
			for _, mb := range p.members[base:] {
				if mb.key == key {
					dup = true
					break
				}
			}
		}
		if dup && !reported[key] {
			// Once per key, however often it repeats.
			if reported == nil {
				reported = map[string]bool{}
			}
			reported[key] = true
			p.problems.add(Problem{Path: p.pointer(), Code: p.lim.codeDupKey, Severity: SeverityError,
				Message: fmt.Sprintf("key %q appears more than once in the same object", key)})
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.badChar(p.pos, "after object key")
		}
		p.pos++
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		if m != nil {
			m[key] = v
		} else {
			p.members = append(p.members, member{key, v})
			if len(p.members)-base > smallObject {
				m = make(map[string]any, 2*smallObject)
				for _, mb := range p.members[base:] {
					m[mb.key] = mb.val
				}
				p.members = p.members[:base]
			}
		}
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.endEarly()
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
			continue
		case '}':
			p.pos++
		default:
			return nil, p.badChar(p.pos, "after object key:value pair")
		}
		break
	}
	p.path = p.path[:top]
	if m == nil {
		ms := p.members[base:]
		m = make(map[string]any, len(ms))
		for k := range ms {
			m[ms[k].key] = ms[k].val
		}
		p.members = p.members[:base]
	}
	return m, true
}

func (p *treeParser) array(depth int) (any, bool) {
	p.pos++ // '['
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return []any{}, true
	}
	base := len(p.vals)
	p.path = append(p.path, pathStep{})
	top := len(p.path) - 1
	for {
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		p.vals = append(p.vals, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.endEarly()
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
			p.path[top].index++
			continue
		case ']':
			p.pos++
		default:
			return nil, p.badChar(p.pos, "after array element")
		}
		break
	}
	p.path = p.path[:top]
	a := make([]any, len(p.vals)-base)
	copy(a, p.vals[base:])
	p.vals = p.vals[:base]
	return a, true
}

func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}
