package service

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// A Handler is the creditsco HTTP API, an http.Handler made by New. It is
// safe for concurrent use.
type Handler struct {
	opts      Options
	limits    Limits
	now       func() time.Time
	mux       *http.ServeMux
	ruleSets  *credit.RuleSetRegistry
	scorer    *credit.Scorer
	validator *credit.Validator
	workers   int
	inFlight  chan struct{}
	verify    cert.CertificateVerifyOptions
	pub       *publisher // nil without an issuer
	fetcher   atomic.Pointer[register.Fetcher]
	patterns  []string // of the endpoints, as registered
}

// New returns the handler that opts describe. It fails for options that
// cannot work: a Key without a Register or the other way round, a key of
// the wrong size, an Issuer that is not an absolute URI or is the did:key
// of another key, negative limits, rule sets the scorer refuses.
func New(opts Options) (*Handler, error) {
	h := &Handler{opts: opts, now: opts.Now, ruleSets: opts.RuleSets, validator: opts.Scoring.Validator}
	if h.now == nil {
		h.now = time.Now
	}
	var err error
	if h.limits, err = opts.Limits.withDefaults(); err != nil {
		return nil, err
	}
	if opts.StatusCacheMaxAge < 0 {
		return nil, errors.New("service: negative StatusCacheMaxAge")
	}
	if err := checkIssuer(opts); err != nil {
		return nil, err
	}
	if h.ruleSets == nil {
		h.ruleSets = credit.BuiltinRuleSets()
	}
	if h.validator == nil {
		if h.validator, err = credit.NewValidator(credit.ValidatorOptions{}); err != nil {
			return nil, err
		}
	}
	scoring := opts.Scoring
	scoring.Validator = h.validator
	if h.scorer, err = credit.NewScorer(h.ruleSets, scoring); err != nil {
		return nil, fmt.Errorf("service: %w", err)
	}
	h.workers = scoring.Workers
	if h.workers <= 0 {
		h.workers = runtime.GOMAXPROCS(0)
	}
	h.inFlight = make(chan struct{}, h.limits.MaxInFlight)
	h.verify = opts.Verify
	if h.verify.RuleSets == nil {
		h.verify.RuleSets = h.ruleSets
	}
	if h.verify.TrustedIssuers == nil {
		h.verify.TrustedIssuers = map[string][]ed25519.PublicKey{}
	}
	if opts.Key != nil {
		h.pub = &publisher{reg: opts.Register, key: opts.Key, now: h.now, sem: make(chan struct{}, 1), published: map[string]bool{}}
	}
	h.routes()
	return h, nil
}

// withDefaults returns l with defaults for zero fields, or an error for
// negative ones.
func (l Limits) withDefaults() (Limits, error) {
	if l.MaxBodyBytes < 0 || l.MaxRecords < 0 || l.Timeout < 0 || l.MaxInFlight < 0 {
		return l, errors.New("service: negative Limits")
	}
	if l.MaxBodyBytes == 0 {
		l.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if l.MaxRecords == 0 {
		l.MaxRecords = DefaultMaxRecords
	}
	if l.Timeout == 0 {
		l.Timeout = DefaultTimeout
	}
	if l.MaxInFlight == 0 {
		l.MaxInFlight = 8 * runtime.GOMAXPROCS(0)
	}
	return l, nil
}

// checkIssuer checks the issuing options.
func checkIssuer(opts Options) error {
	switch {
	case opts.Key == nil && opts.Register == nil:
		if opts.Issuer != "" {
			return errors.New("service: Issuer without Key")
		}
		return nil
	case opts.Key == nil:
		return errors.New("service: a Register needs the issuer's Key, which signs its status lists")
	case opts.Register == nil:
		return errors.New("service: issuing needs a Register, which records every certificate before it is handed out")
	case len(opts.Key) != ed25519.PrivateKeySize:
		return fmt.Errorf("service: Key is %d bytes, not an Ed25519 private key (%d)", len(opts.Key), ed25519.PrivateKeySize)
	}
	if opts.Issuer == "" {
		return nil
	}
	u, err := url.Parse(opts.Issuer)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("service: Issuer %q is not an absolute URI", opts.Issuer)
	}
	if did := cert.DIDKey(opts.Key.Public().(ed25519.PublicKey)); strings.HasPrefix(opts.Issuer, "did:key:") && opts.Issuer != did {
		return fmt.Errorf("service: Issuer %s is a did:key but not the did:key %s of Key", opts.Issuer, did)
	}
	return nil
}

// routes registers the endpoints.
func (h *Handler) routes() {
	h.mux = http.NewServeMux()
	for _, e := range []struct {
		pattern string
		handler http.Handler
	}{
		{"POST /v1/validate", h.stream(recordTypes, h.validate)},
		{"POST /v1/score", h.stream(recordTypes, h.score)},
		{"POST /v1/certificates", h.issuing(h.stream(recordTypes, h.issue))},
		{"POST /v1/verify", h.stream(documentTypes, h.verifyDocuments)},
		{"POST /v1/certificates/{id}/revoke", h.issuing(h.statusChange(actionRevoke))},
		{"POST /v1/certificates/{id}/suspend", h.issuing(h.statusChange(actionSuspend))},
		{"POST /v1/certificates/{id}/unsuspend", h.issuing(h.statusChange(actionUnsuspend))},
		{"GET /v1/status/{list}", h.issuing(h.timed(h.statusList))},
		{"GET /v1/rulesets", h.timed(h.ruleSetList)},
		{"GET /v1/rulesets/{id}", h.timed(h.ruleSet)},
		{"GET /v1/recognition", h.timed(h.recognition)},
		{"GET /v1/openapi.json", http.HandlerFunc(h.openAPI)},
		{"GET /healthz", http.HandlerFunc(h.healthz)},
		{"GET /readyz", h.timed(h.readyz)},
	} {
		h.mux.Handle(e.pattern, e.handler)
		h.patterns = append(h.patterns, e.pattern)
	}
}

// ServeHTTP serves the API. Every response carries the request's id
// (X-Request-Id: the request's own if ValidRequestID accepts it, else a
// generated one), also in the request's context (RequestID). A panic
// while serving is recovered: the response is a 500 problem if it had
// not begun, else cut off; Options.OnError gets it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get(RequestIDHeader)
	if !ValidRequestID(id) {
		id = newRequestID()
	}
	w.Header().Set(RequestIDHeader, id)
	r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
	tw := &trackWriter{ResponseWriter: w}
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler { //nolint:errorlint // the sentinel value itself
			panic(v)
		}
		h.reportError(r, newPanicError(v))
		if tw.wrote {
			panic(http.ErrAbortHandler) // cut the response off: its status cannot change
		}
		writeProblem(w, newProblem(http.StatusInternalServerError, CodeInternal, "the service failed on this request; the request id finds it in the service's log"))
	}()
	if _, pattern := h.mux.Handler(r); pattern == "" {
		h.notFound(tw, r)
		return
	}
	h.mux.ServeHTTP(tw, r)
}

// notFound answers a request that no endpoint takes: 405 with Allow when
// the path has endpoints for other methods, else 404.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	c := &captureWriter{header: http.Header{}}
	h.mux.ServeHTTP(c, r)
	if c.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", c.header.Get("Allow"))
		writeProblem(w, newProblem(http.StatusMethodNotAllowed, CodeMethodNotAllowed,
			fmt.Sprintf("%s is not served at %s; it takes %s", r.Method, r.URL.Path, c.header.Get("Allow"))))
		return
	}
	writeProblem(w, newProblem(http.StatusNotFound, CodeNotFound, "no endpoint at this path; GET /v1/openapi.json lists them"))
}

// reportError hands err to Options.OnError.
func (h *Handler) reportError(r *http.Request, err error) {
	if h.opts.OnError != nil && err != nil {
		h.opts.OnError(r, err)
	}
}

// timed bounds a request by Limits.Timeout.
func (h *Handler) timed(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), h.limits.Timeout)
		defer cancel()
		next(w, r.WithContext(ctx))
	})
}

// issuing refuses requests to a service without an issuer, and
// authenticates requests to the endpoints that change the register.
func (h *Handler) issuing(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.pub == nil {
			writeProblem(w, newProblem(http.StatusNotImplemented, CodeNotConfigured,
				"this service has no issuer key and register: it issues no certificates and publishes no status lists"))
			return
		}
		if r.Method == http.MethodPost && !h.authenticate(w, r) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate answers 401 and returns false for a request that
// Options.Auth does not accept.
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request) bool {
	var err error
	if h.opts.Auth == nil {
		err = fmt.Errorf("%w: this service has no credentials configured for issuing", ErrUnauthenticated)
	} else if err = h.opts.Auth.Authenticate(r); err != nil && !errors.Is(err, ErrUnauthenticated) {
		err = fmt.Errorf("%w: %v", ErrUnauthenticated, err)
	}
	if err == nil {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="creditsco"`)
	writeProblem(w, newProblem(http.StatusUnauthorized, CodeUnauthenticated, strings.TrimPrefix(err.Error(), "service: ")))
	return false
}

// stream checks a streamed request (media types, size, load), bounds it
// in time and size, lets it read its body while it writes its response,
// and calls serve with the negotiated media type of the response.
func (h *Handler) stream(bodyTypes []string, serve func(w http.ResponseWriter, r *http.Request, mediaType string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !bodyTypeOK(r.Header.Get("Content-Type"), bodyTypes) {
			writeProblem(w, newProblem(http.StatusUnsupportedMediaType, CodeUnsupportedMediaType,
				fmt.Sprintf("the body is %q; send %s (a JSON value, a JSON array or NDJSON), in UTF-8", r.Header.Get("Content-Type"), strings.Join(bodyTypes, ", "))))
			return
		}
		mt := negotiate(r.Header.Get("Accept"))
		if mt == "" {
			writeProblem(w, newProblem(http.StatusNotAcceptable, CodeNotAcceptable,
				"this endpoint answers "+JSONType+" (a JSON array) or "+NDJSONType+" (one result per line)"))
			return
		}
		if r.ContentLength > h.limits.MaxBodyBytes {
			writeProblem(w, tooLarge(h.limits.MaxBodyBytes))
			return
		}
		select {
		case h.inFlight <- struct{}{}:
			defer func() { <-h.inFlight }()
		default:
			w.Header().Set("Retry-After", "1")
			writeProblem(w, newProblem(http.StatusServiceUnavailable, CodeOverloaded,
				fmt.Sprintf("%d requests are being processed; retry later", cap(h.inFlight))))
			return
		}
		deadline := time.Now().Add(h.limits.Timeout)
		ctx, cancel := context.WithDeadline(r.Context(), deadline)
		defer cancel()
		rc := http.NewResponseController(w)
		// A request's body and its results stream together: without full
		// duplex, an HTTP/1 server would drop the unread body at the first
		// result written. The deadlines stop a client that sends or reads
		// too slowly; the write deadline leaves time to say so.
		_ = rc.EnableFullDuplex()
		_ = rc.SetReadDeadline(deadline)
		_ = rc.SetWriteDeadline(deadline.Add(5 * time.Second))
		r.Body = http.MaxBytesReader(w, r.Body, h.limits.MaxBodyBytes)
		serve(w, r.WithContext(ctx), mt)
	})
}

func tooLarge(limit int64) *Problem {
	return newProblem(http.StatusRequestEntityTooLarge, CodeBodyTooLarge,
		fmt.Sprintf("the request body is larger than %d bytes; split it into several requests", limit))
}

// streamProblem returns the problem that ends a stream with err; nil
// when err is nil or the client went away (nobody to tell).
func (h *Handler) streamProblem(r *http.Request, err error) *Problem {
	var (
		mbe *http.MaxBytesError
		pe  *PanicError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe) || errors.Is(err, errInternal):
		h.reportError(r, err)
		return newProblem(http.StatusInternalServerError, CodeInternal, "the service failed on this request; the request id finds it in the service's log")
	case errors.Is(err, errTooManyRecords):
		return newProblem(http.StatusRequestEntityTooLarge, CodeTooManyRecords,
			fmt.Sprintf("the request holds more than %d records or documents; split it into several requests", h.limits.MaxRecords))
	case errors.As(err, &mbe):
		return tooLarge(mbe.Limit)
	case isTimeout(err):
		return newProblem(http.StatusServiceUnavailable, CodeTimeout,
			fmt.Sprintf("the request took longer than %s; send fewer records at a time", h.limits.Timeout))
	case errors.Is(err, context.Canceled) || r.Context().Err() != nil:
		return nil
	}
	if p := h.registerProblem(r, err); p != nil {
		return p
	}
	return newProblem(http.StatusBadRequest, CodeBodyUnreadable, "reading the request body: "+err.Error())
}

// registerProblem returns the problem of a register error, or nil if err
// is not one.
func (h *Handler) registerProblem(r *http.Request, err error) *Problem {
	switch {
	case isTimeout(err):
		return newProblem(http.StatusServiceUnavailable, CodeTimeout, "the register did not answer in time")
	case errors.Is(err, register.ErrUnknownCertificate):
		return newProblem(http.StatusNotFound, CodeUnknownCertificate, trimPrefixes(err))
	case errors.Is(err, register.ErrUnknownList):
		return newProblem(http.StatusNotFound, CodeUnknownList, trimPrefixes(err))
	case errors.Is(err, register.ErrConflict):
		h.reportError(r, err)
		return newProblem(http.StatusConflict, CodeConflict, trimPrefixes(err))
	case errors.Is(err, register.ErrFull):
		h.reportError(r, err)
		return newProblem(http.StatusServiceUnavailable, CodeRegisterFull, trimPrefixes(err))
	case errors.Is(err, errRegister):
		h.reportError(r, err)
		return newProblem(http.StatusServiceUnavailable, CodeRegisterUnavailable, "the register failed; retry later")
	}
	return nil
}

// errRegister marks errors of the register that are not about the
// request: the database failed.
var errRegister = errors.New("service: register failure")

// errInternal marks a fault of the service on one record, such as a
// certificate it could not sign: 500, reported to OnError.
var errInternal = errors.New("service: internal failure")

// registerErr marks err, an error of a register call, with errRegister
// unless it is about the request.
func registerErr(err error) error {
	if err == nil || errors.Is(err, register.ErrUnknownCertificate) || errors.Is(err, register.ErrUnknownList) ||
		errors.Is(err, register.ErrConflict) || errors.Is(err, register.ErrFull) || isTimeout(err) || errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf("%w: %w", errRegister, err)
}

func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// trimPrefixes drops the package prefixes of an error message meant for
// a client.
func trimPrefixes(err error) string {
	s := err.Error()
	for _, p := range []string{"service: ", "register: ", "cert: "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}

// queryParam returns the one value of the query parameter name, at most
// max bytes; ok is false (and a 400 problem written) for a repeated or
// longer one.
func queryParam(w http.ResponseWriter, r *http.Request, name string, max int) (string, bool) {
	vs := r.URL.Query()[name]
	switch {
	case len(vs) == 0:
		return "", true
	case len(vs) > 1:
		writeProblem(w, newProblem(http.StatusBadRequest, CodeInvalidParameter, "the parameter "+name+" is given "+strconv.Itoa(len(vs))+" times"))
		return "", false
	case len(vs[0]) > max:
		writeProblem(w, newProblem(http.StatusBadRequest, CodeInvalidParameter, fmt.Sprintf("the parameter %s is longer than %d bytes", name, max)))
		return "", false
	}
	return vs[0], true
}
