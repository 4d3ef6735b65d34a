package cert

import (
	"encoding/base64"
	"fmt"
)

// Multibase prefixes used by the W3C Data Integrity and Bitstring Status
// List specifications (Controlled Identifiers v1.0, section 2.4).
const (
	multibaseBase58BTC    = 'z' // base58 with the Bitcoin alphabet
	multibaseBase64URLRaw = 'u' // base64url (RFC 4648 section 5) without padding
)

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Index maps an ASCII byte to its base58 digit value, or 0xFF.
var base58Index = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for i := range len(base58Alphabet) {
		t[base58Alphabet[i]] = byte(i)
	}
	return t
}()

// EncodeBase58BTC returns the multibase base58btc encoding of data: the
// prefix 'z' followed by base58 with the Bitcoin alphabet.
func EncodeBase58BTC(data []byte) string {
	zeros := 0
	for zeros < len(data) && data[zeros] == 0 {
		zeros++
	}
	// Each input byte adds log(256)/log(58) < 1.37 digits.
	digits := make([]byte, 0, len(data)*137/100+1)
	for _, b := range data[zeros:] {
		carry := int(b)
		for i := range digits {
			carry += int(digits[i]) << 8
			digits[i] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits = append(digits, byte(carry%58))
			carry /= 58
		}
	}
	out := make([]byte, 1+zeros+len(digits))
	out[0] = multibaseBase58BTC
	for i := range zeros {
		out[1+i] = '1'
	}
	for i, d := range digits { // digits are little-endian
		out[len(out)-1-i] = base58Alphabet[d]
	}
	return string(out)
}

// maxBase58Len bounds the input of DecodeBase58BTC: base58 conversion is
// quadratic, and keys and signatures need fewer than 100 characters.
const maxBase58Len = 1024

// DecodeBase58BTC decodes a multibase base58btc string (prefix 'z').
// Strings longer than 1024 characters are rejected. Errors wrap
// ErrMalformed.
func DecodeBase58BTC(s string) ([]byte, error) {
	if len(s) == 0 || s[0] != multibaseBase58BTC {
		return nil, fmt.Errorf("%w: multibase: not a base58btc ('z') string", ErrMalformed)
	}
	if len(s) > maxBase58Len {
		return nil, fmt.Errorf("%w: multibase: base58btc string too long", ErrMalformed)
	}
	s = s[1:]
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	// Each digit adds log(58)/log(256) < 0.74 bytes.
	bytes := make([]byte, 0, len(s)*74/100+1)
	for i := zeros; i < len(s); i++ {
		d := base58Index[s[i]]
		if d == 0xFF {
			return nil, fmt.Errorf("%w: multibase: invalid base58 character %q", ErrMalformed, s[i])
		}
		carry := int(d)
		for j := range bytes {
			carry += int(bytes[j]) * 58
			bytes[j] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			bytes = append(bytes, byte(carry))
			carry >>= 8
		}
	}
	out := make([]byte, zeros+len(bytes))
	for i, b := range bytes { // bytes are little-endian
		out[len(out)-1-i] = b
	}
	return out, nil
}

// EncodeBase64URL returns the multibase base64url encoding of data: the
// prefix 'u' followed by unpadded base64url.
func EncodeBase64URL(data []byte) string {
	return string(multibaseBase64URLRaw) + base64.RawURLEncoding.EncodeToString(data)
}

// DecodeBase64URL decodes a multibase base64url string (prefix 'u', no
// padding). Errors wrap ErrMalformed.
func DecodeBase64URL(s string) ([]byte, error) {
	if len(s) == 0 || s[0] != multibaseBase64URLRaw {
		return nil, fmt.Errorf("%w: multibase: not a base64url ('u') string", ErrMalformed)
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s[1:])
	if err != nil {
		return nil, fmt.Errorf("%w: multibase: %v", ErrMalformed, err)
	}
	return b, nil
}
