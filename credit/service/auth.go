package service

import (
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrUnauthenticated is returned (wrapped) by an Authenticator for a
// request without valid credentials.
var ErrUnauthenticated = errors.New("service: unauthenticated")

// An Authenticator decides whether a request may use the endpoints that
// issue certificates and change their statuses. Authenticate returns nil
// for a request it accepts, and an error wrapping ErrUnauthenticated,
// whose message the 401 response shows, for one it refuses. It must be
// safe for concurrent use.
type Authenticator interface {
	Authenticate(r *http.Request) error
}

// MinTokenLen is the shortest bearer token BearerTokens accepts: 128 bits
// in hexadecimal or 96 in base64 take 32 and 16 characters.
const MinTokenLen = 16

// maxAuthorizationLen bounds the Authorization header read.
const maxAuthorizationLen = 4096

// bearerTokens accepts requests with one of its tokens.
type bearerTokens struct{ sums [][sha256.Size]byte }

// BearerTokens returns an Authenticator that accepts requests whose
// Authorization header is "Bearer " and one of tokens (RFC 6750). The
// comparison takes the same time whichever token matches, if any, and
// whatever the length of the token presented: it compares SHA-256 sums
// in constant time, with every token. A token shorter than MinTokenLen,
// or with characters outside the RFC 6750 token alphabet (letters,
// digits, "-._~+/" and trailing "="), is an error, as is no token.
func BearerTokens(tokens ...string) (Authenticator, error) {
	if len(tokens) == 0 {
		return nil, errors.New("service: BearerTokens needs at least one token")
	}
	a := &bearerTokens{}
	for i, t := range tokens {
		if len(t) < MinTokenLen {
			return nil, fmt.Errorf("service: bearer token %d is shorter than %d characters", i+1, MinTokenLen)
		}
		if !isToken68(t) {
			return nil, fmt.Errorf("service: bearer token %d has characters outside letters, digits, -._~+/ and trailing =", i+1)
		}
		a.sums = append(a.sums, sha256.Sum256([]byte(t)))
	}
	return a, nil
}

func (a *bearerTokens) Authenticate(r *http.Request) error {
	h := r.Header.Get("Authorization")
	if h == "" {
		return fmt.Errorf("%w: no Authorization header (Bearer token)", ErrUnauthenticated)
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || len(h) > maxAuthorizationLen {
		return fmt.Errorf("%w: the Authorization header is not a Bearer token", ErrUnauthenticated)
	}
	sum := sha256.Sum256([]byte(strings.TrimLeft(token, " ")))
	match := 0
	for i := range a.sums {
		match |= subtle.ConstantTimeCompare(sum[:], a.sums[i][:])
	}
	if match != 1 {
		return fmt.Errorf("%w: the bearer token is not valid", ErrUnauthenticated)
	}
	return nil
}

// isToken68 reports whether s is an RFC 7235 token68, the syntax of a
// bearer token.
func isToken68(s string) bool {
	s = strings.TrimRight(s, "=")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/':
		default:
			return false
		}
	}
	return true
}

// clientCertificates accepts requests over TLS with a verified client
// certificate.
type clientCertificates struct{ allow func(*x509.Certificate) bool }

// ClientCertificates returns an Authenticator that accepts requests made
// over TLS with a client certificate that the server verified: the
// embedding program's tls.Config sets ClientAuth to
// tls.VerifyClientCertIfGiven or tls.RequireAndVerifyClientCert and
// ClientCAs to the authorities it trusts. If allow is not nil, it must
// also accept the certificate (the leaf of the first verified chain),
// for example by its subject.
func ClientCertificates(allow func(*x509.Certificate) bool) Authenticator {
	return &clientCertificates{allow: allow}
}

func (a *clientCertificates) Authenticate(r *http.Request) error {
	if r.TLS == nil {
		return fmt.Errorf("%w: not a TLS connection (client certificate required)", ErrUnauthenticated)
	}
	if len(r.TLS.VerifiedChains) == 0 || len(r.TLS.VerifiedChains[0]) == 0 {
		return fmt.Errorf("%w: no verified client certificate", ErrUnauthenticated)
	}
	leaf := r.TLS.VerifiedChains[0][0]
	if a.allow != nil && !a.allow(leaf) {
		return fmt.Errorf("%w: the client certificate is not allowed", ErrUnauthenticated)
	}
	return nil
}

// anyOf accepts what any of its authenticators accepts.
type anyOf []Authenticator

// AnyOf returns an Authenticator that accepts a request that one of as
// accepts, such as a bearer token or a client certificate; its refusal
// is the first one's. Nil authenticators are skipped.
func AnyOf(as ...Authenticator) Authenticator {
	var out anyOf
	for _, a := range as {
		if a != nil {
			out = append(out, a)
		}
	}
	return out
}

func (as anyOf) Authenticate(r *http.Request) error {
	var first error
	for _, a := range as {
		err := a.Authenticate(r)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	if first == nil {
		first = fmt.Errorf("%w: no credentials are configured", ErrUnauthenticated)
	}
	return first
}
