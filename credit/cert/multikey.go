package cert

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"
)

// Multicodec headers (unsigned varints) of the Multikey encodings of
// Ed25519 keys, from the multicodec table: ed25519-pub is 0xed and
// ed25519-priv is 0x1300.
var (
	ed25519PubHeader  = []byte{0xed, 0x01}
	ed25519PrivHeader = []byte{0x80, 0x26}
)

// didKeyPrefix starts every did:key identifier (W3C CCG did:key method).
const didKeyPrefix = "did:key:"

// EncodePublicKey returns the Multikey publicKeyMultibase form of pub:
// base58btc of the ed25519-pub multicodec header and the 32 key bytes, a
// string starting "z6Mk".
func EncodePublicKey(pub ed25519.PublicKey) string {
	return EncodeBase58BTC(append(bytes.Clone(ed25519PubHeader), pub...))
}

// DecodePublicKey parses a Multikey publicKeyMultibase string ("z6Mk...")
// as an Ed25519 public key. Errors wrap ErrMalformed.
func DecodePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := DecodeBase58BTC(s)
	if err != nil {
		return nil, err
	}
	if len(b) != len(ed25519PubHeader)+ed25519.PublicKeySize || !bytes.HasPrefix(b, ed25519PubHeader) {
		return nil, fmt.Errorf("%w: multikey: not an Ed25519 public key", ErrMalformed)
	}
	return ed25519.PublicKey(b[len(ed25519PubHeader):]), nil
}

// EncodePrivateKey returns the Multikey secretKeyMultibase form of key:
// base58btc of the ed25519-priv multicodec header and the 32-byte seed, a
// string starting "z3u2". Keep it secret.
func EncodePrivateKey(key ed25519.PrivateKey) string {
	return EncodeBase58BTC(append(bytes.Clone(ed25519PrivHeader), key.Seed()...))
}

// DecodePrivateKey parses a Multikey secretKeyMultibase string ("z3u2...")
// and returns the Ed25519 private key derived from its seed. Errors wrap
// ErrMalformed.
func DecodePrivateKey(s string) (ed25519.PrivateKey, error) {
	b, err := DecodeBase58BTC(s)
	if err != nil {
		return nil, err
	}
	if len(b) != len(ed25519PrivHeader)+ed25519.SeedSize || !bytes.HasPrefix(b, ed25519PrivHeader) {
		return nil, fmt.Errorf("%w: multikey: not an Ed25519 secret key", ErrMalformed)
	}
	return ed25519.NewKeyFromSeed(b[len(ed25519PrivHeader):]), nil
}

// DIDKey returns the did:key identifier of pub, "did:key:z6Mk...". Use it
// as the issuer of credentials signed with the matching private key.
func DIDKey(pub ed25519.PublicKey) string {
	return didKeyPrefix + EncodePublicKey(pub)
}

// VerificationMethod returns the did:key verification method identifier
// of pub, "did:key:z6Mk...#z6Mk...", the value for a proof's
// verificationMethod.
func VerificationMethod(pub ed25519.PublicKey) string {
	mb := EncodePublicKey(pub)
	return didKeyPrefix + mb + "#" + mb
}

// ResolveDIDKey returns the Ed25519 public key named by a did:key
// identifier or verification method ("did:key:z6Mk..." or
// "did:key:z6Mk...#z6Mk..."). A did:key is self-certifying: resolving it
// says nothing about whether the key is trusted. Errors wrap
// ErrUntrustedKey (not a did:key) or ErrMalformed (bad encoding).
func ResolveDIDKey(vm string) (ed25519.PublicKey, error) {
	id, ok := strings.CutPrefix(vm, didKeyPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: %q is not a did:key", ErrUntrustedKey, vm)
	}
	if mb, frag, found := strings.Cut(id, "#"); found {
		// For did:key the only verification method is the key itself.
		if frag != mb {
			return nil, fmt.Errorf("%w: did:key fragment does not match the key", ErrMalformed)
		}
		id = mb
	}
	return DecodePublicKey(id)
}

// ParsePublicKey accepts an Ed25519 public key in any of the forms this
// package writes: a publicKeyMultibase string, a did:key identifier or a
// did:key verification method. It is meant for trust lists and command
// line flags. Errors wrap ErrMalformed.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, didKeyPrefix) {
		pub, err := ResolveDIDKey(s)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		return pub, nil
	}
	return DecodePublicKey(s)
}

// keyFile is the JSON form of a key pair written by MarshalKeyFile, the
// layout of the W3C test vectors' key pair files.
type keyFile struct {
	ID                  string `json:"id,omitempty"`
	PublicKeyMultibase  string `json:"publicKeyMultibase"`
	SecretKeyMultibase  string `json:"secretKeyMultibase,omitempty"`
	PrivateKeyMultibase string `json:"privateKeyMultibase,omitempty"` // older name, read only
}

// MarshalKeyFile returns a JSON key pair document for key:
//
//	{"id": "did:key:z6Mk...#z6Mk...", "publicKeyMultibase": "z6Mk...", "secretKeyMultibase": "z3u2..."}
//
// The result contains the secret key; store it with restrictive
// permissions (0600).
func MarshalKeyFile(key ed25519.PrivateKey) []byte {
	pub := key.Public().(ed25519.PublicKey)
	b, _ := json.MarshalIndent(keyFile{
		ID:                 VerificationMethod(pub),
		PublicKeyMultibase: EncodePublicKey(pub),
		SecretKeyMultibase: EncodePrivateKey(key),
	}, "", "  ")
	return append(b, '\n')
}

// ParseKeyFile reads an Ed25519 private key from a key file in either of
// the forms this module writes: the bare Multikey secretKeyMultibase
// ("z3u2...", on one line) that certify keygen writes, or the JSON key
// pair document of MarshalKeyFile (the older member name
// privateKeyMultibase is also accepted), whose public key must then match
// the secret key. White space and a UTF-8 byte order mark around the key
// are ignored. A file larger than MaxKeyFileBytes is refused. It is the
// one loader for key files; errors wrap ErrMalformed.
func ParseKeyFile(data []byte) (ed25519.PrivateKey, error) {
	if len(data) > MaxKeyFileBytes {
		return nil, fmt.Errorf("%w: key file of %d bytes is larger than the limit of %d bytes", ErrMalformed, len(data), MaxKeyFileBytes)
	}
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\uFEFF")))
	if !bytes.HasPrefix(data, []byte("{")) {
		key, err := DecodePrivateKey(string(data))
		if err != nil {
			return nil, fmt.Errorf("%w: key file: neither a Multikey secret key (z3u2...) nor a JSON key pair: %v", ErrMalformed, trimSentinel(err, ErrMalformed))
		}
		return key, nil
	}
	var kf keyFile
	if err := json.Unmarshal(data, &kf); err != nil {
		return nil, fmt.Errorf("%w: key file: %v", ErrMalformed, err)
	}
	secret := kf.SecretKeyMultibase
	if secret == "" {
		secret = kf.PrivateKeyMultibase
	}
	key, err := DecodePrivateKey(secret)
	if err != nil {
		return nil, fmt.Errorf("%w: key file: secretKeyMultibase: %v", ErrMalformed, trimSentinel(err, ErrMalformed))
	}
	if kf.PublicKeyMultibase != "" && kf.PublicKeyMultibase != EncodePublicKey(key.Public().(ed25519.PublicKey)) {
		return nil, fmt.Errorf("%w: key file: public key does not match secret key", ErrMalformed)
	}
	return key, nil
}

// trimSentinel returns the text of err without the leading text of the
// sentinel it wraps, so that a message wrapping err again says it once.
func trimSentinel(err, sentinel error) string {
	return strings.TrimPrefix(err.Error(), sentinel.Error()+": ")
}
