package inputs

import (
	"crypto/ed25519"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/creditsco/creditsco/credit/cert"
)

// List is a repeatable string flag (flag.Var).
type List []string

// String joins the values with commas.
func (l *List) String() string { return strings.Join(*l, ",") }

// Set adds a value.
func (l *List) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// Key reads an Ed25519 private key from the key file given with flag
// (such as "-key"), in either form cert.ParseKeyFile reads: the bare
// Multikey that certify keygen writes, or a JSON key pair document. The
// file is read up to cert.MaxKeyFileBytes.
func Key(flag, name string) (ed25519.PrivateKey, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, cert.MaxKeyFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, name, err)
	}
	key, err := cert.ParseKeyFile(data)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, name, err)
	}
	return key, nil
}

// Trust reads a -trust value, an issuer's public key, and says what the
// flag takes when the value is something else, such as the key file
// certify keygen wrote.
func Trust(s string) (ed25519.PublicKey, error) {
	pub, err := cert.ParsePublicKey(s)
	if err == nil {
		return pub, nil
	}
	const want = "-trust takes an issuer's public key: its did:key (did:key:z6Mk..., as certify keygen prints it), a did:key verification method or a z6Mk... Multikey"
	if fi, serr := os.Stat(s); serr == nil && !fi.IsDir() {
		return nil, fmt.Errorf("-trust %s: a file; %s, not a key file", s, want)
	}
	return nil, fmt.Errorf("-trust %s: %s (%v)", s, want, strings.TrimPrefix(err.Error(), cert.ErrMalformed.Error()+": "))
}
