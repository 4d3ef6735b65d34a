// Package registertest is the conformance suite of the implementations
// of credit/register: each implementation's tests run it against a real
// database.
package registertest

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// An Env is a database for one test.
type Env struct {
	// Open opens the register of the test's database (the same database
	// on every call).
	Open func(opts register.Options) (register.Register, error)
	// DB opens the database directly, beside the register, with the
	// register's durability settings.
	DB func() (*sql.DB, error)
	// Dollar says that DB's placeholders are $1, $2... rather than ?.
	Dollar bool
}

// Exec runs a statement on env's database directly, beside the
// register, as a careless administrator would.
func (env *Env) Exec(query string) error {
	db, err := env.DB()
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(query)
	return err
}

// T0 is the time the suite's registers start at.
var T0 = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// BaseURL is the base URL of the suite's registers.
const BaseURL = "https://status.example/credit"

// A Clock is a settable clock for Options.Now.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock on by d and returns the new time.
func (c *Clock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// Key returns the test issuer key number i.
func Key(i int) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(fmt.Sprintf("creditsco register test key %d", i)))
	return ed25519.NewKeyFromSeed(seed[:])
}

// Certificate returns a certificate, complete as far as a register reads
// it, with the id and record digest derived from name, valid from at for
// a year.
func Certificate(name string, at time.Time) *cert.Certificate {
	d := sha256.Sum256([]byte("record " + name))
	u := sha256.Sum256([]byte("id " + name))
	return &cert.Certificate{
		ID:         fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]),
		ValidFrom:  at.UTC().Format(time.RFC3339),
		ValidUntil: at.UTC().AddDate(1, 0, 0).Format(time.RFC3339),
		CredentialSubject: cert.Subject{
			RecordDigest: fmt.Sprintf("sha256:%x", d),
		},
	}
}

// Create returns options that create a register with the suite's base
// URL and clock.
func Create(clock *Clock) register.Options {
	return register.Options{Create: &register.Settings{BaseURL: BaseURL}, Now: clock.Now}
}

// CheckStatus checks a certificate's status entries against the lists
// of reg valid at at, as a verifier would, and returns the first error.
func CheckStatus(ctx context.Context, reg register.Register, entries []cert.BitstringStatusListEntry, key ed25519.PrivateKey, at time.Time) error {
	f, err := register.NewFetcher(ctx, reg)
	if err != nil {
		return err
	}
	opts := cert.VerifyOptions{TrustedKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, Now: at}
	for _, e := range entries {
		if err := cert.CheckStatus(ctx, e, f, opts); err != nil {
			return err
		}
	}
	return nil
}
