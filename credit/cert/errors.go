package cert

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors returned (usually wrapped in a *VerifyError) by the
// functions of this package. Test for them with errors.Is; map them to
// stable machine-readable codes with Code.
var (
	// ErrMalformed reports input that is not well-formed: invalid JSON or
	// I-JSON, a missing or mistyped required member, a bad multibase
	// string or key encoding; for a credit certificate also an @context,
	// type or credentialSchema other than an issuer writes, or a second
	// status entry of one purpose.
	ErrMalformed = errors.New("cert: malformed input")

	// ErrNoProof reports a document without a proof member.
	ErrNoProof = errors.New("cert: document has no proof")

	// ErrBadProof reports a proof that does not verify: the signature does
	// not match the signed bytes, the proofValue cannot be decoded, or
	// the proof does not satisfy the verifier's options (purpose, domain,
	// challenge).
	ErrBadProof = errors.New("cert: proof does not verify")

	// ErrUnsupportedCryptosuite reports a proof type or cryptosuite other
	// than DataIntegrityProof with eddsa-jcs-2022.
	ErrUnsupportedCryptosuite = errors.New("cert: unsupported proof type or cryptosuite")

	// ErrUntrustedKey reports a verification method that cannot be
	// resolved, that resolves to a key the verifier does not trust, or
	// (for a credit certificate) to a key that may not sign for the
	// certificate's issuer or enterprise's country.
	ErrUntrustedKey = errors.New("cert: untrusted or unresolvable key")

	// ErrNotYetValid reports a credential or proof used before its
	// validity period starts.
	ErrNotYetValid = errors.New("cert: not yet valid")

	// ErrExpired reports a credential or proof used after its validity
	// period ends.
	ErrExpired = errors.New("cert: expired")

	// ErrRevoked reports a credential whose revocation status bit is set.
	ErrRevoked = errors.New("cert: revoked")

	// ErrSuspended reports a credential whose suspension status bit is set.
	ErrSuspended = errors.New("cert: suspended")

	// ErrStatusUnavailable reports that a credential's status could not be
	// determined: the status list could not be fetched, did not verify,
	// has the wrong purpose, is too short, or does not cover the index.
	// A verifier must not treat this as "valid".
	ErrStatusUnavailable = errors.New("cert: status unavailable")

	// ErrUnknownRuleSet reports a certificate issued under a scoring rule
	// set the verifier does not recognise (used by the certificate layer).
	ErrUnknownRuleSet = errors.New("cert: unknown rule set")

	// ErrBadIdentifier reports a credit certificate whose enterprise
	// identifiers are not valid identifiers of the enterprise's country
	// under the verifier's identifier registry: an unknown scheme, a
	// scheme of another country, a primary identifier of no country (such
	// as an LEI), a value that fails its check or is not in the scheme's
	// compact normalised form, or an identifier listed twice.
	ErrBadIdentifier = errors.New("cert: bad enterprise identifier")

	// ErrBadValidity reports a credit certificate whose dates no issuer
	// writes: validFrom or validUntil not in UTC to the second, validFrom
	// before certificates of this format existed, validUntil other than
	// validFrom plus the rule set's validity months, a proof created at
	// another time than validFrom, or an assessmentDate after validFrom or
	// further back than the rule set's validity months.
	ErrBadValidity = errors.New("cert: implausible validity")

	// ErrBadSubject reports a credit certificate whose subject the rule set
	// cannot produce (a grade, score, pd or master scale that do not go
	// together under it, reason codes that none of its characteristics
	// gives, listed twice, or none at all below the best score, a legal
	// name with control characters), or whose id is not the one derived
	// from its issuer, record digest, rule set digest and validFrom.
	ErrBadSubject = errors.New("cert: impossible subject")
)

// A VerifyError describes why a document was rejected. Reason is one of
// the sentinel errors of this package; Err, if not nil, is the underlying
// cause (which may itself be a *VerifyError, for example when a status
// list credential fails to verify).
type VerifyError struct {
	Reason error  // a sentinel such as ErrBadProof
	ID     string // id of the document concerned, if known
	Detail string // human-readable detail
	Err    error  // underlying cause, may be nil
}

// Error returns the reason, the document id, the detail and the cause,
// each said once: "cert: " starts the message only, and a cause that
// repeats the reason is not repeated.
func (e *VerifyError) Error() string {
	msg := "cert: invalid"
	if e.Reason != nil {
		msg = e.Reason.Error()
	}
	if e.ID != "" {
		msg += " (" + e.ID + ")"
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		cause := e.Err.Error()
		if e.Reason != nil {
			cause = strings.TrimPrefix(cause, e.Reason.Error()+": ")
		}
		msg += ": " + strings.TrimPrefix(cause, "cert: ")
	}
	return msg
}

// Unwrap returns the reason and the underlying cause so that errors.Is
// and errors.As see both.
func (e *VerifyError) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.Reason != nil {
		errs = append(errs, e.Reason)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// verr builds a *VerifyError; detail is formatted with fmt.Sprintf.
func verr(reason error, id string, format string, args ...any) *VerifyError {
	return &VerifyError{Reason: reason, ID: id, Detail: fmt.Sprintf(format, args...)}
}

// codes lists the sentinels in the order Code tests them.
var codes = []struct {
	err  error
	code string
}{
	{ErrMalformed, "MALFORMED"},
	{ErrNoProof, "NO_PROOF"},
	{ErrBadProof, "BAD_PROOF"},
	{ErrUnsupportedCryptosuite, "UNSUPPORTED_CRYPTOSUITE"},
	{ErrUntrustedKey, "UNTRUSTED_KEY"},
	{ErrNotYetValid, "NOT_YET_VALID"},
	{ErrExpired, "EXPIRED"},
	{ErrRevoked, "REVOKED"},
	{ErrSuspended, "SUSPENDED"},
	{ErrStatusUnavailable, "STATUS_UNAVAILABLE"},
	{ErrUnknownRuleSet, "UNKNOWN_RULESET"},
	{ErrBadIdentifier, "BAD_IDENTIFIER"},
	{ErrBadValidity, "BAD_VALIDITY"},
	{ErrBadSubject, "BAD_SUBJECT"},
}

// Code returns a stable UPPER_SNAKE code for err, suitable for logs,
// exit statuses and translated reason tables: MALFORMED, NO_PROOF,
// BAD_PROOF, UNSUPPORTED_CRYPTOSUITE, UNTRUSTED_KEY, NOT_YET_VALID,
// EXPIRED, REVOKED, SUSPENDED, STATUS_UNAVAILABLE, UNKNOWN_RULESET,
// BAD_IDENTIFIER, BAD_VALIDITY or BAD_SUBJECT.
// If err is or wraps a *VerifyError, the code of its Reason wins over
// that of its underlying cause. Code returns "" for a nil error and
// "UNKNOWN" for an error of none of these kinds.
func Code(err error) string {
	if err == nil {
		return ""
	}
	if ve, ok := errors.AsType[*VerifyError](err); ok && ve.Reason != nil {
		err = ve.Reason
	}
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return "UNKNOWN"
}
