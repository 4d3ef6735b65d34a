package credit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// Limits that bound the work one hostile record can cause. They are errors
// for the record, never a crash or a huge allocation.
const (
	// MaxRecordBytes is the largest record accepted, in bytes of JSON.
	MaxRecordBytes = 1 << 20
	// maxDepth is the deepest nesting of objects and arrays that the
	// record standard uses (record → enterprise → identifiers → item).
	maxDepth = 4
	// maxNumberLen bounds the text of a JSON number: gojsonschema parses
	// every number into a big.Rat, whose cost grows with digits and
	// exponent.
	maxNumberLen = 24
)

// decodeTree decodes one JSON value into a tree of map[string]any, []any,
// json.Number, string, bool and nil, as gojsonschema's raw loader expects.
// It reports, instead of failing on, what encoding/json would silently
// accept: duplicate keys (the last one wins in the tree) and numbers too
// long to handle cheaply (replaced by 0 in the tree). A malformed document,
// nesting beyond maxDepth or invalid UTF-8 stop decoding; the returned tree
// is then nil.
func decodeTree(data []byte) (any, Problems) {
	if len(data) > MaxRecordBytes {
		return nil, Problems{{Code: CodeRecordTooLarge, Severity: SeverityError,
			Message: fmt.Sprintf("record is %d bytes; at most %d are accepted", len(data), MaxRecordBytes)}}
	}
	if !utf8.Valid(data) {
		off := invalidUTF8Offset(data)
		return nil, Problems{{Code: CodeInvalidUTF8, Severity: SeverityError,
			Message: fmt.Sprintf("invalid UTF-8 at byte %d", off)}}
	}
	d := treeDecoder{dec: json.NewDecoder(bytes.NewReader(data))}
	d.dec.UseNumber()
	v, err := d.value("", 0)
	if err == nil {
		if _, err2 := d.dec.Token(); err2 != io.EOF {
			err = fmt.Errorf("unexpected data after the record at byte %d", d.dec.InputOffset())
		}
	}
	if err != nil {
		var lim *limitError
		if errors.As(err, &lim) {
			return nil, append(d.problems, lim.problem)
		}
		return nil, append(d.problems, Problem{Code: CodeMalformedJSON, Severity: SeverityError,
			Message: malformedMessage(err, d.dec.InputOffset())})
	}
	return v, d.problems
}

type treeDecoder struct {
	dec      *json.Decoder
	problems Problems
}

type limitError struct{ problem Problem }

func (e *limitError) Error() string { return e.problem.Message }

func (d *treeDecoder) value(path string, depth int) (any, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if depth >= maxDepth {
			return nil, &limitError{Problem{Path: path, Code: CodeTooDeep, Severity: SeverityError,
				Message: fmt.Sprintf("nesting deeper than %d levels; the record standard needs no more", maxDepth)}}
		}
		if t == '{' {
			return d.object(path, depth+1)
		}
		return d.array(path, depth+1)
	case json.Number:
		if len(t) > maxNumberLen {
			d.problems = append(d.problems, Problem{Path: path, Code: CodeNumberTooLong, Severity: SeverityError,
				Message: fmt.Sprintf("number has %d characters; at most %d are accepted", len(t), maxNumberLen)})
			return json.Number("0"), nil
		}
		return t, nil
	default:
		return t, nil
	}
}

func (d *treeDecoder) object(path string, depth int) (any, error) {
	m := make(map[string]any)
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string) // the decoder guarantees a string key here
		p := pointer(path, key)
		if _, dup := m[key]; dup {
			d.problems = append(d.problems, Problem{Path: p, Code: CodeDuplicateKey, Severity: SeverityError,
				Message: fmt.Sprintf("key %q appears more than once in the same object", key)})
		}
		v, err := d.value(p, depth)
		if err != nil {
			return nil, err
		}
		m[key] = v
	}
	_, err := d.dec.Token() // '}'
	return m, err
}

func (d *treeDecoder) array(path string, depth int) (any, error) {
	a := make([]any, 0, 4)
	for i := 0; d.dec.More(); i++ {
		v, err := d.value(pointer(path, strconv.Itoa(i)), depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
	_, err := d.dec.Token() // ']'
	return a, err
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

func malformedMessage(err error, offset int64) string {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d: %s", se.Offset, se.Error())
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Sprintf("malformed JSON: the record ends early, after %d bytes", offset)
	default:
		return "malformed JSON: " + err.Error()
	}
}
