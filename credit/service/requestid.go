package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
)

// RequestIDHeader is the header that carries a request's id, in the
// request (optional) and in every response.
const RequestIDHeader = "X-Request-Id"

// MaxRequestIDLen is the longest request id the handler takes from a
// request; a longer one, or one of other characters than
// ValidRequestID allows, is replaced by a generated id.
const MaxRequestIDLen = 128

type requestIDKey struct{}

// RequestID returns the id of the request whose context is ctx: the
// X-Request-Id it came with, if valid, or the id the handler generated.
// It is empty outside the handler.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// ValidRequestID reports whether id is a request id the handler echoes:
// 1 to MaxRequestIDLen characters among ASCII letters, digits and
// "-._~:/+=@", so that it can go into a log line or a header unquoted.
func ValidRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '.' || c == '_' || c == '~' || c == ':' || c == '/' || c == '+' || c == '=' || c == '@':
		default:
			return false
		}
	}
	return true
}

// newRequestID returns 128 random bits in hexadecimal.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}
