package cert

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzVerifyProof checks that VerifyProof never panics and never accepts
// anything but the exact signed content.
func FuzzVerifyProof(f *testing.F) {
	signed, err := os.ReadFile("testdata/eddsa-jcs-2022/signed.json")
	require.NoError(f, err)
	other, err := os.ReadFile("testdata/eddsa-jcs-2022/signedVcExampleVM.json")
	require.NoError(f, err)
	canon, err := Canonicalize(signed)
	require.NoError(f, err)
	f.Add(signed)
	f.Add(other)
	f.Add(canon)
	f.Add([]byte(`{"proof":[]}`))
	f.Add([]byte(`{"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022","proofValue":"z","verificationMethod":"did:key:z","proofPurpose":"assertionMethod"}}`))

	opts := trustVector(f)
	opts.Now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	want, err := os.ReadFile("testdata/eddsa-jcs-2022/canonDoc.txt")
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := VerifyProof(data, opts)
		if err != nil {
			if Code(err) == "UNKNOWN" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		// Only the vector key is trusted, and it signed only this content.
		if !bytes.Equal(info.Document, want) {
			t.Fatalf("accepted a document that was never signed: %s", info.Document)
		}
	})
}

// FuzzDecodeStatusList checks that decoding never panics, and that a
// decoded list re-encodes to an equivalent list.
func FuzzDecodeStatusList(f *testing.F) {
	f.Add(specEncodedList)
	l := NewStatusList(0)
	_ = l.Set(42, true)
	enc, err := l.Encode()
	require.NoError(f, err)
	f.Add(enc)
	f.Add("u")
	f.Add("uH4sI")
	f.Fuzz(func(t *testing.T, s string) {
		l, err := DecodeStatusList(s)
		if err != nil {
			return
		}
		if l.Len() < MinStatusListLen {
			t.Fatalf("accepted a list of %d entries", l.Len())
		}
		enc, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeStatusList(enc)
		if err != nil || !bytes.Equal(back.bits, l.bits) {
			t.Fatalf("round trip failed: %v", err)
		}
	})
}

// keySeeds are the published test-vector keys in every form, and a few
// near misses: wrong multibase prefix, wrong multicodec header, wrong
// length, a bad base58 digit, a foreign fragment, blanks.
var keySeeds = []string{
	vectorPublicKey,
	vectorSecretKey,
	"did:key:" + vectorPublicKey,
	vectorVM,
	" " + vectorVM + "\n",
	"did:key:" + vectorPublicKey + "#key-1",
	"did:key:" + vectorPublicKey + "#" + vectorPublicKey + "#" + vectorPublicKey,
	"did:web:example.com",
	"did:key:",
	"u" + vectorPublicKey[1:],
	vectorPublicKey[:len(vectorPublicKey)-1],
	vectorPublicKey + "1",
	"z0" + vectorPublicKey[2:],
	"z",
	"z1111",
	"",
}

// FuzzDecodePrivateKey checks that DecodePrivateKey never panics and that
// it accepts only the canonical form of a key: the decoded key re-encodes
// to its input, and its public key is the one derived from its seed.
func FuzzDecodePrivateKey(f *testing.F) {
	for _, s := range keySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key, err := DecodePrivateKey(s)
		if err != nil {
			if Code(err) != "MALFORMED" {
				t.Fatalf("error %v has code %s, want MALFORMED", err, Code(err))
			}
			return
		}
		if len(key) != ed25519.PrivateKeySize {
			t.Fatalf("decoded a %d-byte key", len(key))
		}
		if enc := EncodePrivateKey(key); enc != s {
			t.Fatalf("%q decodes to a key that encodes as %q", s, enc)
		}
		if !key.Public().(ed25519.PublicKey).Equal(ed25519.NewKeyFromSeed(key.Seed()).Public()) {
			t.Fatal("public half does not match the seed")
		}
		back, err := ParseKeyFile(MarshalKeyFile(key))
		if err != nil || !back.Equal(key) {
			t.Fatalf("key file round trip: %v", err)
		}
	})
}

// FuzzParsePublicKey checks that ParsePublicKey, DecodePublicKey and
// ResolveDIDKey never panic, accept only the canonical forms of a key
// (publicKeyMultibase, did:key, did:key verification method, the first
// with blanks around it), and agree with each other.
func FuzzParsePublicKey(f *testing.F) {
	for _, s := range keySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pub, err := ParsePublicKey(s)
		if err != nil {
			if Code(err) != "MALFORMED" {
				t.Fatalf("ParsePublicKey(%q): error %v has code %s, want MALFORMED", s, err, Code(err))
			}
		} else {
			if len(pub) != ed25519.PublicKeySize {
				t.Fatalf("parsed a %d-byte key", len(pub))
			}
			trimmed := strings.TrimSpace(s)
			if trimmed != EncodePublicKey(pub) && trimmed != DIDKey(pub) && trimmed != VerificationMethod(pub) {
				t.Fatalf("%q parses to a key whose canonical forms are %q, %q, %q",
					s, EncodePublicKey(pub), DIDKey(pub), VerificationMethod(pub))
			}
			for _, form := range []string{EncodePublicKey(pub), DIDKey(pub), VerificationMethod(pub)} {
				back, err := ParsePublicKey(form)
				if err != nil || !back.Equal(pub) {
					t.Fatalf("ParsePublicKey(%q): %v", form, err)
				}
			}
		}

		dec, derr := DecodePublicKey(s)
		if derr == nil {
			if enc := EncodePublicKey(dec); enc != s {
				t.Fatalf("DecodePublicKey(%q) re-encodes as %q", s, enc)
			}
			if err != nil || !pub.Equal(dec) {
				t.Fatalf("DecodePublicKey accepts %q, ParsePublicKey does not agree: %v", s, err)
			}
		}

		res, rerr := ResolveDIDKey(s)
		if rerr != nil {
			if c := Code(rerr); c != "MALFORMED" && c != "UNTRUSTED_KEY" {
				t.Fatalf("ResolveDIDKey(%q): error %v has code %s", s, rerr, c)
			}
			return
		}
		if s != DIDKey(res) && s != VerificationMethod(res) {
			t.Fatalf("ResolveDIDKey(%q) accepts a non-canonical form of %s", s, DIDKey(res))
		}
		if err != nil || !pub.Equal(res) {
			t.Fatalf("ResolveDIDKey accepts %q, ParsePublicKey does not agree: %v", s, err)
		}
	})
}

// FuzzParseKeyFile checks that ParseKeyFile never panics, that a parsed
// key is the one its secret member encodes, in canonical form, that a
// public member, if any, matches it, and that MarshalKeyFile writes a
// file that parses back to the same key.
func FuzzParseKeyFile(f *testing.F) {
	key, err := DecodePrivateKey(vectorSecretKey)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(MarshalKeyFile(key))
	f.Add([]byte(`{"publicKeyMultibase":"` + vectorPublicKey + `","privateKeyMultibase":"` + vectorSecretKey + `"}`))
	f.Add([]byte(`{"secretKeyMultibase":"` + vectorSecretKey + `"}`))
	f.Add([]byte(`{"publicKeyMultibase":"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK","secretKeyMultibase":"` + vectorSecretKey + `"}`))
	f.Add([]byte(`{"secretKeyMultibase":"` + vectorPublicKey + `"}`))
	f.Add([]byte(`{"secretKeyMultibase":"` + vectorSecretKey + `","secretKeyMultibase":"z1"}`))
	f.Add([]byte(`{"secretKeyMultibase":7}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := ParseKeyFile(data)
		if err != nil {
			if Code(err) != "MALFORMED" {
				t.Fatalf("error %v has code %s, want MALFORMED", err, Code(err))
			}
			return
		}
		// Read the members the way ParseKeyFile does.
		var kf keyFile
		if err := json.Unmarshal(data, &kf); err != nil {
			t.Fatalf("ParseKeyFile accepted what encoding/json rejects: %v", err)
		}
		secret := kf.SecretKeyMultibase
		if secret == "" {
			secret = kf.PrivateKeyMultibase
		}
		if enc := EncodePrivateKey(key); enc != secret {
			t.Fatalf("secret %q parses to a key that encodes as %q", secret, enc)
		}
		pub := key.Public().(ed25519.PublicKey)
		if kf.PublicKeyMultibase != "" && kf.PublicKeyMultibase != EncodePublicKey(pub) {
			t.Fatalf("accepted public key %q for secret key of %q", kf.PublicKeyMultibase, EncodePublicKey(pub))
		}
		back, err := ParseKeyFile(MarshalKeyFile(key))
		if err != nil || !back.Equal(key) {
			t.Fatalf("MarshalKeyFile round trip: %v", err)
		}
		var written keyFile
		if err := json.Unmarshal(MarshalKeyFile(key), &written); err != nil || written.ID != VerificationMethod(pub) {
			t.Fatalf("MarshalKeyFile wrote id %q, want %q (%v)", written.ID, VerificationMethod(pub), err)
		}
	})
}
