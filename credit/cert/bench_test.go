package cert

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/ident"
	"github.com/creditsco/creditsco/credit/internal/ratio"
)

// benchCredential is a credit certificate of about 1 KB, the size this
// package signs in practice.
const benchCredential = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://creditsco.example/ns/credit/v1"],
  "id": "urn:uuid:0b9d7d6e-4c1a-4f7e-9a57-2f9a7c3e8d11",
  "type": ["VerifiableCredential", "CreditCertificate"],
  "issuer": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
  "validFrom": "2026-03-01T00:00:00Z",
  "validUntil": "2027-03-01T00:00:00Z",
  "credentialSubject": {
    "id": "urn:lei:5493001KJTIIGC8Y1R12",
    "legalName": "Example Trading Company Ltd",
    "country": "KZ",
    "registryId": {"scheme": "KZ-BIN", "value": "123456789012"},
    "grade": "A",
    "score": 742,
    "probabilityOfDefault": 0.0125,
    "scale": "SCO-COMMON-10",
    "ruleSet": {"id": "sco-credit-core", "version": "1.2.0", "sha256": "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b"},
    "reasons": ["R01_STRONG_LIQUIDITY", "R07_TIMELY_TAX_PAYMENT", "R12_SHORT_HISTORY"],
    "dataVintage": "2025-12-31"
  },
  "credentialStatus": [
    {"id": "https://issuer.example/status/revocation#94567", "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "94567", "statusListCredential": "https://issuer.example/status/revocation"},
    {"id": "https://issuer.example/status/suspension#94567", "type": "BitstringStatusListEntry", "statusPurpose": "suspension", "statusListIndex": "94567", "statusListCredential": "https://issuer.example/status/suspension"}
  ]
}`

func BenchmarkCanonicalize(b *testing.B) {
	data := []byte(benchCredential)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Canonicalize(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddProof(b *testing.B) {
	key := vectorKey(b)
	data := []byte(benchCredential)
	opts := ProofOptions{Created: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AddProof(data, key, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyProof(b *testing.B) {
	key := vectorKey(b)
	signed, err := AddProof([]byte(benchCredential), key, ProofOptions{Created: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	opts := VerifyOptions{TrustedKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyProof(signed, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEd25519Sign and BenchmarkEd25519Verify are the floors: raw
// crypto/ed25519 on the 64-byte hash data that eddsa-jcs-2022 signs.
func BenchmarkEd25519Sign(b *testing.B) {
	key := vectorKey(b)
	msg := make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		ed25519.Sign(key, msg)
	}
}

func BenchmarkEd25519Verify(b *testing.B) {
	key := vectorKey(b)
	msg := make([]byte, 64)
	sig := ed25519.Sign(key, msg)
	pub := key.Public().(ed25519.PublicKey)
	b.ReportAllocs()
	for b.Loop() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("verify failed")
		}
	}
}

func BenchmarkStatusListEncode(b *testing.B) {
	l := NewStatusList(0)
	for i := 0; i < l.Len(); i += 97 {
		_ = l.Set(i, true)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyVsFloor measures what certify verify pays per
// certificate, VerifyCertificate against the built-in rule sets, against
// its floor, measured in the same iterations: a raw Ed25519 verification
// and the profile checks (checkContent on the parsed certificate, the
// checks that it is what an issuer could have produced under its rule
// set), which no verifier of a credit certificate can skip.
func BenchmarkVerifyVsFloor(b *testing.B) {
	key := testKey(b)
	samples, _ := scoreSamples(b)
	signed, c, err := Issue(samples[0].assessment, IssueOptions{Key: key, Now: issueTime})
	require.NoError(b, err)
	pub := key.Public().(ed25519.PublicKey)
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime}
	rs, _ := builtinRuleSets().LookupVersion(c.CredentialSubject.RuleSet.ID, c.CredentialSubject.RuleSet.Version)
	rules, err := rulesOf(rs)
	require.NoError(b, err)
	msg := make([]byte, 64)
	sig := ed25519.Sign(key, msg)
	idents := ident.Default()
	b.ReportAllocs()
	ratio.Bench(b, func() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("verify failed")
		}
		if err := checkContent(c, issueTime, rules, idents); err != nil {
			b.Fatal(err)
		}
	}, func() {
		if _, err := VerifyCertificate(context.Background(), signed, opts); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkIssueVsFloor measures what certify issue pays per
// certificate from a record's JSON text (as BenchmarkIssue) against the
// floor of BenchmarkIssueFloor, measured in the same iterations: a plain
// encoding/json decode of the record and a raw Ed25519 signature.
func BenchmarkIssueVsFloor(b *testing.B) {
	key := testKey(b)
	samples, rs := scoreSamples(b)
	eng, err := credit.NewEngine(rs, credit.EngineOptions{Rates: mustRates(b)})
	require.NoError(b, err)
	is, err := NewIssuer(rs, IssueOptions{Key: key, Now: issueTime})
	require.NoError(b, err)
	data := samples[0].data
	msg := make([]byte, 64)
	b.ReportAllocs()
	ratio.Bench(b, func() {
		var rec credit.Record
		if err := json.Unmarshal(data, &rec); err != nil {
			b.Fatal(err)
		}
		ed25519.Sign(key, msg)
	}, func() {
		a, err := eng.Assess(context.Background(), data)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := is.Issue(a); err != nil {
			b.Fatal(err)
		}
	})
}
