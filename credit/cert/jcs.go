package cert

import (
	"fmt"

	"github.com/creditsco/creditsco/credit/internal/jcs"
)

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
// It is the canonicaliser used for every digest and signature of this
// module, including the rule-set digests of package credit.
//
// Errors wrap ErrMalformed.
func Canonicalize(data []byte) ([]byte, error) {
	out, err := jcs.Canonicalize(data)
	if err != nil {
		return nil, malformed(err)
	}
	return out, nil
}

// CanonicalizeValue returns the RFC 8785 (JCS) form of v, which is first
// encoded with encoding/json (so structs, maps, json.RawMessage and
// json.Number are all accepted) and then passed to Canonicalize.
//
// Errors wrap ErrMalformed.
func CanonicalizeValue(v any) ([]byte, error) {
	out, err := jcs.CanonicalizeValue(v)
	if err != nil {
		return nil, malformed(err)
	}
	return out, nil
}

// parseJSON parses data with the strict I-JSON parser of Canonicalize;
// errors wrap ErrMalformed.
func parseJSON(data []byte) (jcs.Value, error) {
	v, err := jcs.Parse(data)
	if err != nil {
		return jcs.Value{}, malformed(err)
	}
	return v, nil
}

// malformed wraps err, an error of package jcs or encoding/json, in
// ErrMalformed. Only the sentinel is wrapped: the cause's text is kept but
// its type, internal to this module, is not exposed.
func malformed(err error) error {
	return fmt.Errorf("%w: %v", ErrMalformed, err)
}
