package register_test

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
	_ "github.com/creditsco/creditsco/credit/register/sqlite"
)

// Example issues a certificate recorded in a SQLite register, revokes
// it, publishes the lists and checks the certificate against them.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "register-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	reg, err := register.Open(ctx, "sqlite:"+filepath.Join(dir, "register.db"), register.Options{
		Create: &register.Settings{BaseURL: "https://issuer.example/status"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer reg.Close()

	// An issuer whose certificates the register records before they are
	// signed.
	seed := sha256.Sum256([]byte("example issuer key"))
	key := ed25519.NewKeyFromSeed(seed[:])
	eng, err := credit.NewEngine(credit.DefaultRuleSet(), credit.EngineOptions{})
	if err != nil {
		log.Fatal(err)
	}
	issuedAt := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	is, err := cert.NewIssuer(eng.RuleSet(), cert.IssueOptions{Key: key, Now: issuedAt, Status: reg})
	if err != nil {
		log.Fatal(err)
	}
	a, err := eng.Assess(ctx, firstRecord("../../testdata/records/kz.ndjson"))
	if err != nil {
		log.Fatal(err)
	}
	signed, c, err := is.IssueContext(ctx, a)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range c.CredentialStatus {
		fmt.Println(e.StatusPurpose, e.StatusListCredential, e.StatusListIndex)
	}

	if err := reg.Revoke(ctx, c.ID); err != nil {
		log.Fatal(err)
	}
	pub, err := reg.Publish(ctx, key, issuedAt.Add(time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("publication", pub.Version, "valid until", pub.ValidUntil.Format(time.RFC3339))

	// A verifier with the register's lists.
	fetcher, err := register.NewFetcher(ctx, reg)
	if err != nil {
		log.Fatal(err)
	}
	_, err = cert.VerifyCertificate(ctx, signed, cert.CertificateVerifyOptions{
		TrustedKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)},
		Now:         issuedAt.Add(2 * time.Hour),
		Status:      fetcher,
	})
	fmt.Println(cert.Code(err))
	// Output:
	// revocation https://issuer.example/status/revocation 0
	// suspension https://issuer.example/status/suspension 0
	// publication 1 valid until 2026-10-08T10:00:00Z
	// REVOKED
}

// firstRecord returns the first line of an NDJSON file.
func firstRecord(name string) []byte {
	f, err := os.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	sc.Scan()
	return sc.Bytes()
}
