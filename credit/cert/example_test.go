package cert_test

import (
	"crypto/ed25519"
	"fmt"
	"strings"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
)

// The issuer signs a credential with its Ed25519 key; a verifier that
// trusts the issuer's key checks it and reads the signed content.
func Example() {
	// An issuer key; in practice cert.ParseKeyFile of a stored key.
	key, _ := cert.DecodePrivateKey("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
	pub := key.Public().(ed25519.PublicKey)

	credential := []byte(`{
		"@context": ["https://www.w3.org/ns/credentials/v2"],
		"id": "urn:uuid:0b9d7d6e-4c1a-4f7e-9a57-2f9a7c3e8d11",
		"type": ["VerifiableCredential"],
		"issuer": "` + cert.DIDKey(pub) + `",
		"credentialSubject": {"id": "urn:lei:5493001KJTIIGC8Y1R12", "grade": "A"}
	}`)
	signed, err := cert.AddProof(credential, key, cert.ProofOptions{
		Created: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		panic(err)
	}

	info, err := cert.VerifyProof(signed, cert.VerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}})
	fmt.Println("verified:", err == nil, info.VerificationMethod == cert.VerificationMethod(pub))

	// Any change to the signed content is detected.
	tampered := []byte(strings.Replace(string(signed), `"grade":"A"`, `"grade":"B"`, 1))
	_, err = cert.VerifyProof(tampered, cert.VerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}})
	fmt.Println("tampered:", cert.Code(err))

	// Output:
	// verified: true true
	// tampered: BAD_PROOF
}
