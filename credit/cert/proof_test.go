package cert

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vectorCreated is the created time of the W3C eddsa-jcs-2022 example.
var vectorCreated = time.Date(2023, 2, 24, 23, 36, 38, 0, time.UTC)

func readVector(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/eddsa-jcs-2022/" + name)
	require.NoError(t, err)
	return data
}

func trustVector(t testing.TB) VerifyOptions {
	return VerifyOptions{TrustedKeys: []ed25519.PublicKey{vectorKey(t).Public().(ed25519.PublicKey)}}
}

// TestEddsaJcs2022Steps checks each intermediate value of the published
// example: canonical document and proof configuration, their hashes, the
// signature and the proofValue.
func TestEddsaJcs2022Steps(t *testing.T) {
	canonDoc, err := Canonicalize(readVector(t, "unsigned.json"))
	require.NoError(t, err)
	assert.Equal(t, string(readVector(t, "canonDoc.txt")), string(canonDoc))

	canonProof, err := Canonicalize(readVector(t, "proofOptions.json"))
	require.NoError(t, err)
	assert.Equal(t, string(readVector(t, "canonProofConfig.txt")), string(canonProof))

	docHash := sha256.Sum256(canonDoc)
	proofHash := sha256.Sum256(canonProof)
	assert.Equal(t, string(readVector(t, "docHash.txt")), hex.EncodeToString(docHash[:]))
	assert.Equal(t, string(readVector(t, "proofConfigHash.txt")), hex.EncodeToString(proofHash[:]))

	sig := ed25519.Sign(vectorKey(t), append(proofHash[:], docHash[:]...))
	assert.Equal(t, string(readVector(t, "sigHex.txt")), hex.EncodeToString(sig))
	assert.Equal(t, string(readVector(t, "proofValue.txt")), EncodeBase58BTC(sig))
}

// TestAddProofVector signs the published unsigned credential with the
// published key and created time and must reproduce the published secured
// document, proofValue included, byte for byte (in canonical form).
func TestAddProofVector(t *testing.T) {
	got, err := AddProof(readVector(t, "unsigned.json"), vectorKey(t), ProofOptions{Created: vectorCreated})
	require.NoError(t, err)
	want, err := Canonicalize(readVector(t, "signed.json"))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))

	var doc struct {
		Proof struct {
			ProofValue string `json:"proofValue"`
		} `json:"proof"`
	}
	require.NoError(t, json.Unmarshal(got, &doc))
	assert.Equal(t, string(readVector(t, "proofValue.txt")), doc.Proof.ProofValue)
}

func TestVerifyProofVector(t *testing.T) {
	info, err := VerifyProof(readVector(t, "signed.json"), trustVector(t))
	require.NoError(t, err)
	assert.Equal(t, "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33", info.DocumentID)
	assert.Equal(t, vectorVM, info.VerificationMethod)
	assert.Equal(t, vectorPublicKey, EncodePublicKey(info.PublicKey))
	assert.Equal(t, PurposeAssertionMethod, info.ProofPurpose)
	assert.True(t, vectorCreated.Equal(info.Created))
	assert.True(t, info.Expires.IsZero())
	assert.Equal(t, string(readVector(t, "canonDoc.txt")), string(info.Document))
}

// TestVerifyProofResolver verifies the repository revision of the vector
// whose verification method is an https URL, which only a caller-supplied
// resolver can map to a key.
func TestVerifyProofResolver(t *testing.T) {
	doc := readVector(t, "signedVcExampleVM.json")
	opts := trustVector(t)

	_, err := VerifyProof(doc, opts)
	require.ErrorIs(t, err, ErrUntrustedKey)

	opts.Resolve = func(vm string) (ed25519.PublicKey, error) {
		if vm == "https://vc.example/issuers/5678#"+vectorPublicKey {
			return DecodePublicKey(vectorPublicKey)
		}
		return nil, errors.New("unknown verification method")
	}
	info, err := VerifyProof(doc, opts)
	require.NoError(t, err)
	assert.Equal(t, "https://vc.example/issuers/5678#"+vectorPublicKey, info.VerificationMethod)

	opts.Resolve = func(string) (ed25519.PublicKey, error) { return ed25519.PublicKey{1, 2, 3}, nil }
	_, err = VerifyProof(doc, opts)
	require.ErrorIs(t, err, ErrUntrustedKey)
}

// TestVerifyProofEveryByte flips one bit in every byte of a secured
// document: each change must be rejected, never accepted or panicking.
func TestVerifyProofEveryByte(t *testing.T) {
	signed, err := AddProof(readVector(t, "unsigned.json"), vectorKey(t), ProofOptions{Created: vectorCreated})
	require.NoError(t, err)
	opts := trustVector(t)
	_, err = VerifyProof(signed, opts)
	require.NoError(t, err)
	allowed := []string{"MALFORMED", "NO_PROOF", "BAD_PROOF", "UNSUPPORTED_CRYPTOSUITE", "UNTRUSTED_KEY"}
	for i := range signed {
		for _, mask := range []byte{0x01, 0x20} {
			tampered := bytes.Clone(signed)
			tampered[i] ^= mask
			_, err := VerifyProof(tampered, opts)
			if !assert.Error(t, err, "byte %d (%q) ^ %#x accepted", i, signed[i], mask) {
				continue
			}
			assert.Contains(t, allowed, Code(err), "byte %d: %v", i, err)
		}
	}
}

// edit decodes a secured document, applies f to it and re-encodes it.
func edit(t *testing.T, doc []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(doc, &m))
	f(m)
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

func proofOf(m map[string]any) map[string]any { return m["proof"].(map[string]any) }

func TestVerifyProofTamper(t *testing.T) {
	key := vectorKey(t)
	signed, err := AddProof(readVector(t, "unsigned.json"), key, ProofOptions{Created: vectorCreated})
	require.NoError(t, err)

	_, otherKey, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	otherPub := otherKey.Public().(ed25519.PublicKey)
	_, strangerKey, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	resignedByOther, err := AddProof(readVector(t, "unsigned.json"), otherKey, ProofOptions{Created: vectorCreated})
	require.NoError(t, err)
	byStranger, err := AddProof(readVector(t, "unsigned.json"), strangerKey, ProofOptions{Created: vectorCreated})
	require.NoError(t, err)

	trustBoth := VerifyOptions{TrustedKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey), otherPub}}

	tests := []struct {
		name string
		doc  []byte
		want error // nil: must verify
	}{
		{"original", signed, nil},
		{"reformatted", edit(t, signed, func(map[string]any) {}), nil},
		{"subject value", edit(t, signed, func(m map[string]any) {
			m["credentialSubject"].(map[string]any)["alumniOf"] = "The School of Exampled"
		}), ErrBadProof},
		{"member added", edit(t, signed, func(m map[string]any) { m["validUntil"] = "2033-01-01T00:00:00Z" }), ErrBadProof},
		{"member removed", edit(t, signed, func(m map[string]any) { delete(m, "description") }), ErrBadProof},
		{"type array reordered", edit(t, signed, func(m map[string]any) {
			m["type"] = []any{"AlumniCredential", "VerifiableCredential"}
		}), ErrBadProof},
		{"created changed", edit(t, signed, func(m map[string]any) { proofOf(m)["created"] = "2023-02-24T23:36:39Z" }), ErrBadProof},
		{"created not a date", edit(t, signed, func(m map[string]any) { proofOf(m)["created"] = "yesterday" }), ErrMalformed},
		{"nonce added to proof", edit(t, signed, func(m map[string]any) { proofOf(m)["nonce"] = "x" }), ErrBadProof},
		{"document @context changed", edit(t, signed, func(m map[string]any) {
			m["@context"] = []any{"https://www.w3.org/ns/credentials/v2"}
		}), ErrBadProof},
		{"proof @context changed", edit(t, signed, func(m map[string]any) {
			proofOf(m)["@context"] = []any{"https://www.w3.org/ns/credentials/v2"}
		}), ErrBadProof},
		{"proof @context removed and context added", edit(t, signed, func(m map[string]any) {
			delete(proofOf(m), "@context")
			m["@context"] = append(m["@context"].([]any), "https://example.org/extra")
		}), ErrBadProof},
		// The proof's @context is re-derived from the document when absent,
		// so dropping it alone changes no signed byte.
		{"proof @context removed", edit(t, signed, func(m map[string]any) { delete(proofOf(m), "@context") }), nil},
		{"purpose changed", edit(t, signed, func(m map[string]any) { proofOf(m)["proofPurpose"] = "authentication" }), ErrBadProof},
		{"type changed", edit(t, signed, func(m map[string]any) { proofOf(m)["type"] = "Ed25519Signature2020" }), ErrUnsupportedCryptosuite},
		{"cryptosuite changed", edit(t, signed, func(m map[string]any) { proofOf(m)["cryptosuite"] = "eddsa-rdfc-2022" }), ErrUnsupportedCryptosuite},
		{"proofValue removed", edit(t, signed, func(m map[string]any) { delete(proofOf(m), "proofValue") }), ErrMalformed},
		{"proofValue not base58btc", edit(t, signed, func(m map[string]any) {
			proofOf(m)["proofValue"] = "u" + proofOf(m)["proofValue"].(string)[1:]
		}), ErrBadProof},
		{"proofValue truncated", edit(t, signed, func(m map[string]any) {
			pv := proofOf(m)["proofValue"].(string)
			proofOf(m)["proofValue"] = pv[:len(pv)-1]
		}), ErrBadProof},
		{"proofValue from another key", edit(t, signed, func(m map[string]any) {
			var other map[string]any
			require.NoError(t, json.Unmarshal(resignedByOther, &other))
			proofOf(m)["proofValue"] = proofOf(other)["proofValue"]
		}), ErrBadProof},
		{"key swapped to trusted key", edit(t, signed, func(m map[string]any) {
			proofOf(m)["verificationMethod"] = VerificationMethod(otherPub)
		}), ErrBadProof},
		{"key swapped to untrusted key", edit(t, signed, func(m map[string]any) {
			proofOf(m)["verificationMethod"] = VerificationMethod(strangerKey.Public().(ed25519.PublicKey))
		}), ErrUntrustedKey},
		{"validly signed by untrusted key", byStranger, ErrUntrustedKey},
		{"validly signed by other trusted key", resignedByOther, nil},
		{"verification method not did:key", edit(t, signed, func(m map[string]any) {
			proofOf(m)["verificationMethod"] = "https://vc.example/issuers/5678#key-1"
		}), ErrUntrustedKey},
		{"proof removed", edit(t, signed, func(m map[string]any) { delete(m, "proof") }), ErrNoProof},
		{"proof not an object", edit(t, signed, func(m map[string]any) { m["proof"] = "z123" }), ErrMalformed},
		{"proof set", edit(t, signed, func(m map[string]any) { m["proof"] = []any{proofOf(m), proofOf(m)} }), ErrMalformed},
		{"single-element proof array", edit(t, signed, func(m map[string]any) { m["proof"] = []any{proofOf(m)} }), nil},
		{"not an object", []byte(`[1,2]`), ErrMalformed},
		{"not JSON", []byte(`{"proof":`), ErrMalformed},
		{"duplicate member", append([]byte(`{"id":"x",`), signed[1:]...), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := VerifyProof(tt.doc, trustBoth)
			if tt.want == nil {
				require.NoError(t, err)
				require.NotNil(t, info)
				return
			}
			require.Error(t, err)
			assert.Nil(t, info)
			assert.ErrorIs(t, err, tt.want)
			var ve *VerifyError
			assert.ErrorAs(t, err, &ve)
		})
	}
}

// TestVerifyProofExtraContext: the specification lets contexts be appended
// to a secured document; the proof still verifies, and ProofInfo.Document
// holds only what was signed.
func TestVerifyProofExtraContext(t *testing.T) {
	signed := readVector(t, "signed.json")
	extended := bytes.Replace(signed,
		[]byte(`"https://www.w3.org/ns/credentials/examples/v2"
  ],`),
		[]byte(`"https://www.w3.org/ns/credentials/examples/v2",
    "https://example.org/extra/v1"
  ],`), 1)
	require.NotEqual(t, signed, extended)
	info, err := VerifyProof(extended, trustVector(t))
	require.NoError(t, err)
	assert.Equal(t, string(readVector(t, "canonDoc.txt")), string(info.Document))
	assert.NotContains(t, string(info.Document), "extra")
}

func TestProofOptions(t *testing.T) {
	key := vectorKey(t)
	unsigned := readVector(t, "unsigned.json")
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	signed, err := AddProof(unsigned, key, ProofOptions{
		Created:      now,
		Expires:      now.Add(time.Hour),
		ProofPurpose: PurposeAuthentication,
		Domain:       "verifier.example",
		Challenge:    "c-123",
		Nonce:        "n-456",
	})
	require.NoError(t, err)
	base := trustVector(t)
	base.ProofPurpose = PurposeAuthentication
	base.Now = now.Add(time.Minute)

	tests := []struct {
		name string
		mod  func(o *VerifyOptions)
		want error
	}{
		{"all match", func(o *VerifyOptions) { o.Domain, o.Challenge = "verifier.example", "c-123" }, nil},
		{"no expectations", func(*VerifyOptions) {}, nil},
		{"default purpose is assertionMethod", func(o *VerifyOptions) { o.ProofPurpose = "" }, ErrBadProof},
		{"wrong domain", func(o *VerifyOptions) { o.Domain = "evil.example" }, ErrBadProof},
		{"wrong challenge", func(o *VerifyOptions) { o.Challenge = "c-999" }, ErrBadProof},
		{"expired", func(o *VerifyOptions) { o.Now = now.Add(2 * time.Hour) }, ErrExpired},
		{"no trusted keys", func(o *VerifyOptions) { o.TrustedKeys = nil }, ErrUntrustedKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := base
			tt.mod(&opts)
			info, err := VerifyProof(signed, opts)
			if tt.want == nil {
				require.NoError(t, err)
				assert.True(t, now.Equal(info.Created))
				assert.True(t, now.Add(time.Hour).Equal(info.Expires))
				return
			}
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestAddProofErrors(t *testing.T) {
	key := vectorKey(t)
	signed := readVector(t, "signed.json")
	other, _, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	tests := []struct {
		name string
		doc  string
		key  ed25519.PrivateKey
		opts ProofOptions
	}{
		{"already signed", string(signed), key, ProofOptions{}},
		{"array", `[]`, key, ProofOptions{}},
		{"invalid JSON", `{"a":}`, key, ProofOptions{}},
		{"short key", `{}`, key[:10], ProofOptions{}},
		{"did:key of another key", `{}`, key, ProofOptions{VerificationMethod: VerificationMethod(other)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := AddProof([]byte(tt.doc), tt.key, tt.opts)
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
}

func TestAddProofWithoutContext(t *testing.T) {
	key := vectorKey(t)
	signed, err := AddProof([]byte(`{"id":"urn:x","n":1.50}`), key, ProofOptions{VerificationMethod: "https://issuer.example/keys/1"})
	require.NoError(t, err)
	assert.NotContains(t, string(signed), "@context")
	assert.NotContains(t, string(signed), "created")
	opts := trustVector(t)
	opts.Resolve = func(string) (ed25519.PublicKey, error) { return key.Public().(ed25519.PublicKey), nil }
	info, err := VerifyProof(signed, opts)
	require.NoError(t, err)
	assert.Equal(t, `{"id":"urn:x","n":1.5}`, string(info.Document))
	assert.True(t, strings.HasPrefix(string(signed), `{"id":"urn:x","n":1.5,"proof":{`))
}

func TestCode(t *testing.T) {
	assert.Equal(t, "", Code(nil))
	assert.Equal(t, "UNKNOWN", Code(errors.New("x")))
	for _, c := range codes {
		assert.Equal(t, c.code, Code(c.err))
		assert.Equal(t, c.code, Code(&VerifyError{Reason: c.err, Detail: "d"}))
	}
	// The reason of the outermost VerifyError wins over its cause.
	err := &VerifyError{Reason: ErrStatusUnavailable, Err: &VerifyError{Reason: ErrUntrustedKey}}
	assert.Equal(t, "STATUS_UNAVAILABLE", Code(err))
	assert.ErrorIs(t, err, ErrUntrustedKey)
	// Each part is said once: one "cert: ", and a cause that repeats the
	// reason is not repeated.
	assert.Equal(t, "cert: status unavailable (urn:x): d: expired",
		(&VerifyError{Reason: ErrStatusUnavailable, ID: "urn:x", Detail: "d", Err: ErrExpired}).Error())
	assert.Equal(t, "cert: malformed input: json: offset 1: bad",
		(&VerifyError{Reason: ErrMalformed, Err: fmt.Errorf("%w: json: offset 1: bad", ErrMalformed)}).Error())
	_, perr := VerifyProof([]byte(`{"a":`), VerifyOptions{})
	assert.Equal(t, 1, strings.Count(perr.Error(), "malformed input"), perr.Error())
}
