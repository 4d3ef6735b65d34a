package credit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf16"
)

// canonicalJSON returns a canonical form of the JSON value in data: objects
// with their members sorted by the UTF-16 code units of their names (as RFC
// 8785 does), no insignificant whitespace, strings escaped as encoding/json
// does without HTML escaping, and numbers written exactly as they appear in
// the input (the input is decoded with UseNumber, so no precision is lost;
// unlike RFC 8785 numbers are not re-serialised as IEEE 754 doubles).
// Duplicate member names and trailing data are errors.
//
// It is the single place where canonicalisation happens, so it can be
// swapped for a full RFC 8785 implementation later.
func canonicalJSON(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var buf bytes.Buffer
	if err := canonValue(dec, &buf, 0); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("credit: canonical JSON: trailing data after the value")
	}
	return buf.Bytes(), nil
}

const maxCanonDepth = 64

func canonValue(dec *json.Decoder, buf *bytes.Buffer, depth int) error {
	if depth > maxCanonDepth {
		return errors.New("credit: canonical JSON: nesting too deep")
	}
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("credit: canonical JSON: %w", err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			buf.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					buf.WriteByte(',')
				}
				if err := canonValue(dec, buf, depth+1); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // ]
				return fmt.Errorf("credit: canonical JSON: %w", err)
			}
			buf.WriteByte(']')
		case '{':
			type member struct {
				key string
				val []byte
			}
			var members []member
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return fmt.Errorf("credit: canonical JSON: %w", err)
				}
				key, _ := kt.(string)
				var vb bytes.Buffer
				if err := canonValue(dec, &vb, depth+1); err != nil {
					return err
				}
				members = append(members, member{key, vb.Bytes()})
			}
			if _, err := dec.Token(); err != nil { // }
				return fmt.Errorf("credit: canonical JSON: %w", err)
			}
			slices.SortFunc(members, func(a, b member) int { return compareUTF16(a.key, b.key) })
			buf.WriteByte('{')
			for i, m := range members {
				if i > 0 {
					if members[i-1].key == m.key {
						return fmt.Errorf("credit: canonical JSON: duplicate member %q", m.key)
					}
					buf.WriteByte(',')
				}
				writeJSONString(buf, m.key)
				buf.WriteByte(':')
				buf.Write(m.val)
			}
			buf.WriteByte('}')
		default:
			return fmt.Errorf("credit: canonical JSON: unexpected %v", t)
		}
	case string:
		writeJSONString(buf, t)
	case json.Number:
		buf.WriteString(t.String())
	case bool:
		if t {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	case nil:
		buf.WriteString("null")
	}
	return nil
}

func writeJSONString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)           // a string always encodes
	buf.Truncate(buf.Len() - 1) // Encode appends a newline
}

func compareUTF16(a, b string) int {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	return slices.Compare(ua, ub)
}

// digestOf returns "sha256:<hex>" of b.
func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
