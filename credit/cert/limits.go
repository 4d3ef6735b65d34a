package cert

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxDocumentBytes is the largest document this package signs or
// verifies, and the largest status list credential it reads: 1 MiB. A
// credit certificate is about 2 KB and a status list credential of the
// minimum length under 30 KB, so the bound costs honest documents
// nothing, while it caps the memory and the work (canonicalisation,
// schema validation) that one document from an untrusted partner can
// demand. Larger input is ErrMalformed, before it is parsed. It is the
// same bound as credit.MaxRecordBytes, so that a reader of records cuts
// documents to the same size.
const MaxDocumentBytes = 1 << 20

// MaxKeyFileBytes is the largest key file ParseKeyFile reads: 16 KiB, some
// sixty times the size of a JSON key pair.
const MaxKeyFileBytes = 16 << 10

// maxSafeInteger is 2^53 - 1, the largest integer that every I-JSON
// receiver treats exactly (RFC 7493, section 2.2).
const maxSafeInteger = 1<<53 - 1

// checkSize refuses a document larger than MaxDocumentBytes.
func checkSize(doc []byte) error {
	if len(doc) > MaxDocumentBytes {
		return verr(ErrMalformed, "", "document of %d bytes is larger than the limit of %d bytes (cert.MaxDocumentBytes)", len(doc), MaxDocumentBytes)
	}
	return nil
}

// readLimited reads r to its end, refusing more than limit bytes; what
// names the input in the error.
func readLimited(r io.Reader, limit int64, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: %s is larger than the limit of %d bytes", ErrMalformed, what, limit)
	}
	return data, nil
}

// inexactNumber returns the first number of the JSON text doc that an
// eddsa-jcs-2022 signature cannot cover exactly, with an explanation, or
// ok. RFC 8785 writes every number as the IEEE-754 double nearest to it,
// so a signature covers that double, not the text: a number whose value
// differs from its double's (1e-400 is signed as 0, 9007199254740993 as
// 9007199254740992) would let the document say one value while the
// signature vouches for another, and is refused. Spellings of the same
// value (1.0 or 1e0 for 1, 0.50 for 0.5) are accepted: the signature
// covers the value, which they do not change. Integers written without a
// fraction or exponent must also lie within ±(2^53 - 1), the range I-JSON
// receivers treat exactly (RFC 7493, section 2.2). doc must be valid JSON;
// the scan only skips strings and reads number tokens, in one pass.
func inexactNumber(doc []byte) (number, why string, ok bool) {
	for i := 0; i < len(doc); i++ {
		switch c := doc[i]; {
		case c == '"':
			for i++; i < len(doc) && doc[i] != '"'; i++ {
				if doc[i] == '\\' {
					i++
				}
			}
		case c == '-' || ('0' <= c && c <= '9'):
			j := i + 1
			for j < len(doc) && strings.IndexByte("0123456789+-.eE", doc[j]) >= 0 {
				j++
			}
			if why := numberInexact(string(doc[i:j])); why != "" {
				return string(doc[i:j]), why, false
			}
			i = j - 1
		}
	}
	return "", "", true
}

// numberInexact explains why the JSON number text s cannot be signed
// exactly, or returns "".
func numberInexact(s string) string {
	neg, digits, exp, integer := decimalParts(s)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "it is beyond the range of an IEEE-754 double"
	}
	canon := strconv.FormatFloat(f, 'e', -1, 64) // the shortest digits of the double
	cneg, cdigits, cexp, _ := decimalParts(canon)
	if digits == "" { // zero, of either sign
		if cdigits != "" {
			return "it is not the value of its double"
		}
	} else if neg != cneg || digits != cdigits || exp != cexp {
		return fmt.Sprintf("RFC 8785 writes it as the nearest IEEE-754 double, %s", formatCanonical(f))
	}
	if integer && digits != "" && (f > maxSafeInteger || f < -maxSafeInteger) {
		return "an integer beyond ±(2^53 - 1), which I-JSON receivers need not read exactly (RFC 7493)"
	}
	return ""
}

// decimalParts splits a JSON number (or a strconv 'e' format) into its
// sign, its significant digits without leading or trailing zeros ("" for
// zero) and the exponent of the last digit, so that two numbers are equal
// exactly when their parts are. integer reports a number written with
// neither fraction nor exponent. An exponent too long for an int64 is
// clamped: such a number is zero or beyond the range of a double, which
// the caller tells apart.
func decimalParts(s string) (neg bool, digits string, exp int64, integer bool) {
	if neg = strings.HasPrefix(s, "-"); neg {
		s = s[1:]
	}
	mant, e, hasExp := strings.Cut(strings.ToLower(s), "e")
	intPart, frac, hasFrac := strings.Cut(mant, ".")
	integer = !hasExp && !hasFrac
	if hasExp {
		e = strings.TrimPrefix(e, "+")
		v, err := strconv.ParseInt(e, 10, 64)
		if err != nil {
			v = 1 << 62
			if strings.HasPrefix(e, "-") {
				v = -v
			}
		}
		exp = v
	}
	all := strings.TrimLeft(intPart+frac, "0")
	exp -= int64(len(frac))
	trimmed := strings.TrimRight(all, "0")
	exp += int64(len(all) - len(trimmed))
	return neg, trimmed, exp, integer
}

// formatCanonical writes f as RFC 8785 does, for messages.
func formatCanonical(f float64) string {
	b, _ := CanonicalizeValue(f)
	return string(b)
}
