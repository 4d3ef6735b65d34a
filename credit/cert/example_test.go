package cert_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/creditsco/creditsco/credit"
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

// An agency assesses a record with the rule set of its country, certifies
// the assessment with a status entry, and a partner verifies the
// certificate, trusting the agency's key for enterprises of Kazakhstan
// only; after the agency revokes it, it no longer verifies.
func ExampleIssue() {
	ctx := context.Background()
	key, _ := cert.DecodePrivateKey("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
	issued := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

	// The first Kazakh sample record, as a partner sent it, scored with
	// the rule set of Kazakhstan (SCO-KZ), which names a local label.
	data, _ := os.ReadFile("../../testdata/records/kz.ndjson")
	record, _, _ := bytes.Cut(data, []byte("\n"))
	sc, _ := credit.NewScorer(credit.BuiltinRuleSets(), credit.EngineOptions{})
	res, err := sc.ScoreJSON(ctx, record)
	if err != nil || res.Assessment == nil {
		panic(fmt.Sprint(err, res.Problems))
	}
	a := res.Assessment // or eng.Assess(ctx, record) with one engine

	dir, _ := os.MkdirTemp("", "status")
	defer os.RemoveAll(dir)
	reg, _ := cert.CreateStatusRegistry(dir, cert.StatusRegistryOptions{BaseURL: "https://agency.example/status"})
	signed, c, err := cert.Issue(a, cert.IssueOptions{Key: key, Now: issued, Status: reg})
	if err != nil {
		panic(err)
	}
	_ = reg.Save(key, issued) // before the certificate is handed out
	s := c.CredentialSubject
	fmt.Println("issued:", s.Enterprise.Country, s.Enterprise.Identifier.Scheme, s.RuleSet.ID, s.Grade, s.LocalGrade.Label, s.AssessmentDate, "until", c.ValidUntil)

	opts := cert.CertificateVerifyOptions{
		TrustedByCountry: map[string][]ed25519.PublicKey{"KZ": {key.Public().(ed25519.PublicKey)}},
		Status:           cert.DirFetcher{Dir: dir},
		Now:              issued.Add(24 * time.Hour),
	}
	_, err = cert.VerifyCertificate(ctx, signed, opts)
	fmt.Println("verified:", err == nil)

	_ = reg.Revoke(c.ID)
	_ = reg.Save(key, issued.Add(12*time.Hour))
	_, err = cert.VerifyCertificate(ctx, signed, opts)
	fmt.Println("after revocation:", cert.Code(err))

	// Checked as of before the revocation, the list valid then answers.
	opts.Now = issued.Add(time.Hour)
	_, err = cert.VerifyCertificate(ctx, signed, opts)
	fmt.Println("as of before it:", err == nil)

	// Output:
	// issued: KZ KZ-BIN SCO-KZ BBB kzAAA 2026-09-30 until 2027-10-01T09:00:00Z
	// verified: true
	// after revocation: REVOKED
	// as of before it: true
}

// A Kazakh bank verifies a certificate that a Chinese agency issued under
// the Chinese rule set, and shows what its grade means in both countries
// with the recognition table of the built-in rule sets: the same model-PD
// band, and the local label each country's rule set gives it.
func ExampleVerifyCertificate_recognition() {
	ctx := context.Background()
	key, _ := cert.DecodePrivateKey("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
	issued := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	data, _ := os.ReadFile("../../testdata/records/cn.ndjson")
	record, _, _ := bytes.Cut(data, []byte("\n"))
	sc, _ := credit.NewScorer(credit.BuiltinRuleSets(), credit.EngineOptions{})
	res, _ := sc.ScoreJSON(ctx, record)
	signed, _, _ := cert.Issue(res.Assessment, cert.IssueOptions{Key: key, Now: issued})

	c, err := cert.VerifyCertificate(ctx, signed, cert.CertificateVerifyOptions{
		TrustedByCountry: map[string][]ed25519.PublicKey{"CN": {key.Public().(ed25519.PublicKey)}},
		Now:              issued.Add(time.Hour),
	})
	if err != nil {
		panic(err)
	}
	s := c.CredentialSubject
	fmt.Println(s.Enterprise.Country, s.RuleSet.ID, s.Grade, "warnings:", len(s.Warnings))

	// The rule sets in effect at the assessment date, for the issuer's
	// country and the bank's own.
	asOf, _ := credit.ParseDate(s.AssessmentDate)
	table, err := credit.BuiltinRuleSets().Recognition([]string{s.Enterprise.Country, "KZ"}, asOf)
	if err != nil {
		panic(err)
	}
	for _, country := range table.Countries {
		for _, g := range country.Grades {
			if g.Grade == s.Grade {
				fmt.Printf("%s (%s): PD band [%s, %s), certifiable %t, local label %q\n",
					country.Country, country.RuleSet.ID, g.PDLower, g.PDUpper, g.Certifiable, g.LocalLabel)
			}
		}
	}
	// Output:
	// CN SCO-CN BBB warnings: 0
	// CN (SCO-CN): PD band [0.000837, 0.0028), certifiable true, local label ""
	// KZ (SCO-KZ): PD band [0.000837, 0.0028), certifiable true, local label "kzAAA"
}
