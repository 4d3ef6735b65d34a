package register

import (
	"errors"

	"github.com/creditsco/creditsco/credit/cert"
)

// Sentinel errors of registers; test for them with errors.Is.
var (
	// ErrUnknownCertificate reports a certificate id the register does
	// not hold.
	ErrUnknownCertificate = errors.New("register: unknown certificate")
	// ErrConflict reports a certificate id the register holds for
	// another record digest: ids derive from the record digest, so one
	// of the two certificates is not what the issuer made.
	ErrConflict = errors.New("register: certificate id recorded with another record digest")
	// ErrFull reports a register that has handed out every index of its
	// MaxLists list pairs.
	ErrFull = errors.New("register: every status list index is taken")
	// ErrNoRegister reports a database that holds no register, opened
	// without Options.Create or a file register to import.
	ErrNoRegister = errors.New("register: the database holds no register")
	// ErrSchemaTooNew reports a database whose schema a newer version of
	// creditsco migrated: this one would misread it, so it refuses it.
	ErrSchemaTooNew = errors.New("register: the database schema is newer than this program knows")
	// ErrInconsistent is cert.ErrRegistryInconsistent: a register, or a
	// file register to import, whose state contradicts its lists. It is
	// refused, never repaired: it would hand out an index again or forget
	// a revocation. The message says what disagrees.
	ErrInconsistent = cert.ErrRegistryInconsistent
	// ErrUnknownList reports a status list name the register does not
	// publish, or a time before the list's first version.
	ErrUnknownList = errors.New("register: no such status list")
	// ErrPastPublication reports a Publish valid from a time before the
	// last publication's: the lists valid at a time must not change
	// after the fact.
	ErrPastPublication = errors.New("register: publication before the last one")
	// ErrClosed reports a call on a closed register.
	ErrClosed = errors.New("register: closed")
)

// A CertificateError is an error about one certificate: it names the id
// and wraps the reason, such as ErrUnknownCertificate or ErrConflict.
type CertificateError struct {
	ID  string
	Err error
}

func (e *CertificateError) Error() string { return e.Err.Error() + ": " + e.ID }

// Unwrap returns the reason.
func (e *CertificateError) Unwrap() error { return e.Err }
