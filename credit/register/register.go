package register

import (
	"context"
	"crypto/ed25519"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
)

// A Register is an issuer's register of credit certificates: the
// certificates issued, with their record digests and status list
// indexes, their revocations and suspensions, and the versions of the
// status lists published. Every method is safe for concurrent use, also
// by several processes (on several machines, with PostgreSQL) sharing one
// database; every change is durable before the method returns, and a
// change that fails is not made at all.
//
// A Register is a cert.StatusAllocator: set it as
// cert.IssueOptions.Status, and Issuer.IssueContext records each
// certificate in it before signing it.
type Register interface {
	// AllocateStatus records the certificate c, complete but not yet
	// signed, and returns its credentialStatus entries: a revocation
	// entry and a suspension entry with the same index, in the lists
	// ListName(StatusRevocation, n) and ListName(StatusSuspension, n) of
	// the list pair n being filled. Indexes are handed out in the order of
	// cert.StatusRegistry, each once, and never again, whatever becomes
	// of the certificate: two certificates never share an index, also
	// when issued at the same time by processes on different machines.
	//
	// It is idempotent: a certificate id already recorded with the same
	// record digest gets its entries again, so that a caller may retry
	// after an error that leaves the outcome unknown. An id recorded with
	// another record digest is a *CertificateError wrapping ErrConflict;
	// a certificate without a valid id, record digest or validity period
	// is an error; a register whose MaxLists pairs are full is ErrFull.
	AllocateStatus(ctx context.Context, c *cert.Certificate) ([]cert.BitstringStatusListEntry, error)

	// Revoke marks the certificate id as revoked, for good: no method
	// lifts a revocation. Revoking a revoked certificate changes nothing.
	// An id the register does not hold is a *CertificateError wrapping
	// ErrUnknownCertificate. The revocation shows in the lists that
	// Publish signs after Revoke returns.
	Revoke(ctx context.Context, id string) error
	// Suspend marks the certificate id as suspended, as Revoke does.
	Suspend(ctx context.Context, id string) error
	// Unsuspend lifts a suspension of the certificate id; of a
	// certificate that is not suspended it changes nothing.
	Unsuspend(ctx context.Context, id string) error

	// Status returns the register's entry for the certificate id, or a
	// *CertificateError wrapping ErrUnknownCertificate.
	Status(ctx context.Context, id string) (*Entry, error)
	// Certificates returns the entries of the certificates whose ids sort
	// after after (bytewise), in order of id, at most limit of them
	// (1..MaxPage), so that a caller can page through the register.
	Certificates(ctx context.Context, after string, limit int) ([]Entry, error)

	// Publish signs a new version of every status list with key, valid
	// from at (truncated to the second) for the register's list
	// validity, and stores it, atomically: every list shows each
	// revocation and suspension made before Publish was called. The
	// first publication fixes the key; a later one with another key is
	// an error wrapping cert.ErrUntrustedKey. A publication valid from a
	// time before the last one is an error wrapping ErrPastPublication:
	// the lists valid at a time do not change after the fact (another at
	// the same second supersedes it). It returns the new version, its
	// documents included.
	Publish(ctx context.Context, key ed25519.PrivateKey, at time.Time) (*Publication, error)
	// List returns the version of the list name (such as "revocation",
	// see ListName) that was published last at or before at: the list a
	// verifier checking a certificate at that time must read, which may
	// have expired by then (verifiers refuse it then). The zero at means
	// the latest version. A name the register does not publish, or a time
	// before its first version, is an error wrapping ErrUnknownList.
	List(ctx context.Context, name string, at time.Time) (*List, error)
	// Versions returns the versions of the list name, oldest first,
	// without their documents (List.Document is nil): all of them, or
	// the latest MaxPage if there are more.
	Versions(ctx context.Context, name string) ([]List, error)

	// Info returns the register's settings and counts.
	Info(ctx context.Context) (*Info, error)
	// Ping checks that the database answers, for readiness probes.
	Ping(ctx context.Context) error
	// Close closes the database. Calls after Close return ErrClosed.
	Close() error
}

// MaxLists is the number of list pairs (revocation and suspension) a
// register fills, one after another, ListLength certificates each: with
// lists of 131,072 entries, 8,388,608 certificates. It bounds the lists
// that each Publish signs.
const MaxLists = 64

// MaxPage is the most entries Certificates, and versions Versions,
// return at once.
const MaxPage = 10000

// An Entry is a certificate as the register holds it.
type Entry struct {
	// ID is the certificate's id, a urn:uuid.
	ID string
	// RecordDigest is the digest of the assessed record the certificate
	// states ("sha256:<hex>"); empty for a certificate imported from a
	// file register, which did not record it.
	RecordDigest string
	// ValidFrom and ValidUntil are the certificate's validity period;
	// zero for a certificate imported from a file register.
	ValidFrom, ValidUntil time.Time
	// Recorded is when the register recorded the certificate (or
	// imported it).
	Recorded time.Time
	// Number is the certificate's place in the order of allocation,
	// from 0: the Number-th index handed out.
	Number int64
	// List is the list pair the certificate is in (see ListName) and
	// Index its index in both lists of the pair.
	List, Index int
	// Revoked reports a revocation, made at RevokedAt (zero if not
	// revoked, or revoked in an imported file register, which did not
	// record when).
	Revoked   bool
	RevokedAt time.Time
	// Suspended reports a suspension in force.
	Suspended bool
	// StatusEntries are the certificate's credentialStatus entries,
	// revocation first.
	StatusEntries []cert.BitstringStatusListEntry
}

// A Publication is one Publish: a version of every status list.
type Publication struct {
	// Version numbers the publications of a register from 1.
	Version int64
	// ValidFrom and ValidUntil are the lists' validity period.
	ValidFrom, ValidUntil time.Time
	// Lists are the lists signed, revocation and suspension of pair 0
	// first, then of pair 1 and so on.
	Lists []List
}

// A List is one version of a signed status list: a
// BitstringStatusListCredential.
type List struct {
	// Name is the list's name, its URL's last path segment: see
	// ListName.
	Name string
	// Purpose is cert.StatusRevocation or cert.StatusSuspension.
	Purpose string
	// URL is the list credential's id, where it is published: the
	// register's base URL, "/", Name.
	URL string
	// Version is the Publication that signed it.
	Version int64
	// ValidFrom and ValidUntil are its validity period.
	ValidFrom, ValidUntil time.Time
	// SHA256 is the hexadecimal SHA-256 of Document.
	SHA256 string
	// Document is the signed list credential, in canonical form; nil in
	// the results of Register.Versions and Info.
	Document []byte
}

// Info describes a register.
type Info struct {
	// Driver names the implementation: "sqlite" or "postgres".
	Driver string
	// SchemaVersion is the version of the database schema.
	SchemaVersion int
	// BaseURL is the URL under which the lists are published; each
	// list's URL is BaseURL + "/" + its name.
	BaseURL string
	// Issuer is the did:key of the key that signs the lists, fixed by
	// the first Publish; empty before it.
	Issuer string
	// ListLength is the number of entries of each list: 131,072
	// (cert.MinStatusListLen), or what an imported file register had.
	ListLength int
	// ListValidity is how long the lists of a Publish are valid.
	ListValidity time.Duration
	// Certificates is the number of certificates recorded: the indexes
	// handed out.
	Certificates int64
	// Capacity is the number of certificates the register can hold:
	// MaxLists × ListLength.
	Capacity int64
	// Lists are the names of the lists the next Publish signs: the
	// revocation and the suspension list of each pair in use, and of the
	// next pair once the last one is half full, so that a certificate's
	// lists are published before it is handed out, also when many are
	// recorded between two publications.
	Lists []string
	// Last is the last publication, without documents; nil before the
	// first.
	Last *Publication
	// ImportedFrom is the SHA-256 of the file register state (index.json)
	// the register was imported from, or empty.
	ImportedFrom string
}

// Settings are the settings of a new register, fixed when it is created.
type Settings struct {
	// BaseURL is the URL the lists will be published under, such as
	// "https://issuer.example/status"; required, absolute. A trailing
	// slash is dropped.
	BaseURL string
	// ListValidity is how long the lists of a Publish are valid; zero
	// means cert.DefaultListValidity (7 days). At least a second.
	ListValidity time.Duration
}

// Options configure Open and the Open functions of the implementations.
type Options struct {
	// Create, if not nil, creates a register with these settings in a
	// database that holds none. With Create nil, a database without a
	// register is ErrNoRegister.
	Create *Settings
	// ImportDir, if not empty, is a directory that may hold a file
	// register (cert.StatusRegistry, state format
	// creditsco-status-register/2). When the database holds no register
	// yet and ImportDir holds one, the file register is checked
	// (cert.OpenStatusRegistry: a state that contradicts its lists is
	// refused, with ErrInconsistent) and imported, its settings, indexes,
	// statuses and every published list version, in one transaction;
	// Create is then not used. Its index.json is then renamed
	// index.json.imported, so that no program keeps issuing from the
	// file register. A database that already holds a register ignores
	// ImportDir, except to finish that rename, and to refuse a file
	// register other than the one it was imported from.
	ImportDir string
	// Now is the clock of the times the register records; nil means
	// time.Now. The validity of published lists is Publish's at, never
	// this clock.
	Now func() time.Time
}
