package service

import (
	"crypto/ed25519"
	"net/http"
	"time"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// Options configure New. The zero value serves validation, scoring under
// the built-in rule sets, rule sets, the recognition table and health,
// and verification that trusts no key; issuing needs Key, Register and
// Auth.
type Options struct {
	// RuleSets are the rule sets the handler scores with (each record
	// with the rule set its country and as_of select), lists at
	// /v1/rulesets and recognises in certificates. Nil means
	// credit.BuiltinRuleSets(). Register rule sets before New: the
	// handler builds its scorer then, and the registry must not change
	// afterwards.
	RuleSets *credit.RuleSetRegistry
	// Scoring holds the validator (identifier registry), FX rates,
	// workers per request and language of reason texts for validation
	// and scoring. Nil Validator means one with the built-in identifier
	// schemes; zero Workers means GOMAXPROCS.
	Scoring credit.EngineOptions

	// Key is the issuer's signing key, for certificates and status lists;
	// nil serves no issuing endpoint (501 NOT_CONFIGURED).
	Key ed25519.PrivateKey
	// Issuer is the issuer's URI in certificates; empty means the did:key
	// of Key.
	Issuer string
	// Register records every certificate before it is signed and keeps
	// revocations, suspensions and the published status lists. Required
	// with Key. The handler does not close it.
	Register register.Register
	// Auth authenticates requests to the endpoints that issue and change
	// statuses (BearerTokens, ClientCertificates, AnyOf). Nil refuses
	// every such request: there are no credentials to present.
	Auth Authenticator

	// Verify configures POST /v1/verify: trusted keys (TrustedKeys,
	// TrustedByCountry), TrustedIssuers, Identifiers, ClockSkew,
	// MaxStatusAge, Status, SkipStatus. Its Now is replaced by the
	// request's time (the clock, or the at parameter). Nil RuleSets means
	// the handler's rule sets. Nil TrustedIssuers means an empty map:
	// only did:key issuers, bound to their keys, as certify verify
	// trusts; set it to accept issuers named otherwise. Nil Status means
	// the lists of Register, read directly (the service's own
	// certificates); a certificate of another issuer then has
	// STATUS_UNAVAILABLE unless Status fetches its lists. The public key
	// of Key is not trusted unless listed.
	Verify cert.CertificateVerifyOptions

	// StatusCacheMaxAge caps the max-age of GET /v1/status/{list}
	// responses. Zero means the list's remaining validity, so that caches
	// keep a list as long as verifiers believe it: a revocation then
	// reaches a client behind a cache only when its copy expires. Set it
	// (such as 5 minutes) to bound that delay.
	StatusCacheMaxAge time.Duration

	// Limits bound the work of one request.
	Limits Limits

	// Now is the clock: the time of issue of certificates and status
	// lists, of verification, and of the recognition table's default
	// date. Nil means time.Now.
	Now func() time.Time

	// OnError, if not nil, is called with the errors that the handler
	// answers with status 500 or with a register failure (503), and with
	// a recovered panic (wrapped in a *PanicError), so that the program
	// can log them with the request id (RequestID). The handler itself
	// never logs. It is also called, with a nil request, for failures of
	// RefreshLists. It must be safe for concurrent use.
	OnError func(r *http.Request, err error)
}

// Limits bound the work of one request. A zero field takes its default.
type Limits struct {
	// MaxBodyBytes is the most bytes a request body may hold; default
	// 64 MiB. A larger body is BODY_TOO_LARGE (413).
	MaxBodyBytes int64
	// MaxRecords is the most records or documents one request may hold;
	// default 100,000. More is TOO_MANY_RECORDS (413).
	MaxRecords int
	// Timeout bounds a request from its start to its last byte, reading
	// the body included; default 2 minutes. Work past it stops, and the
	// response is TIMEOUT (503), or ends with it.
	Timeout time.Duration
	// MaxInFlight is the most requests to the streamed POST endpoints
	// (validate, score, issue, verify) processed at once; default 8 per
	// CPU (GOMAXPROCS). Others are OVERLOADED (503) with Retry-After, at
	// once rather than queued. A status change holds one register
	// transaction and is not counted.
	MaxInFlight int
}

// Default limits; see Limits.
const (
	DefaultMaxBodyBytes = 64 << 20
	DefaultMaxRecords   = 100_000
	DefaultTimeout      = 2 * time.Minute
)
