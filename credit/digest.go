package credit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/creditsco/creditsco/credit/internal/jcs"
)

// canonicalJSON returns the RFC 8785 JSON Canonicalization Scheme (JCS)
// form of the JSON value in data, the form that rule-set digests are
// computed over: objects with their members sorted by the UTF-16 code
// units of their names, no insignificant white space, strings escaped as
// ECMAScript JSON.stringify escapes them, and numbers re-serialised as
// IEEE-754 doubles in the shortest ECMAScript form (1.50 becomes 1.5, 1e3
// becomes 1000). The input must be I-JSON (RFC 7493): valid UTF-8, no lone
// surrogates, no duplicate member names, numbers within double range, and
// no trailing data; nesting is limited to 64 levels.
//
// It is the same canonicaliser as cert.Canonicalize, so any conforming
// JCS implementation recomputes the digests.
func canonicalJSON(data []byte) ([]byte, error) {
	canon, err := jcs.Canonicalize(data)
	if err != nil {
		return nil, fmt.Errorf("credit: canonical JSON: %w", err)
	}
	return canon, nil
}

// digestOf returns "sha256:<hex>" of b.
func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
