package service

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// A VerifyResult is the verdict of POST /v1/verify on one document.
type VerifyResult struct {
	// Index is the document's 1-based position in the request.
	Index int `json:"index"`
	// ID is the document's id, if it could be read.
	ID string `json:"id"`
	// Valid reports that the document verified.
	Valid bool `json:"valid"`
	// Code is the stable code of why it did not (cert.Code: MALFORMED,
	// BAD_PROOF, UNTRUSTED_KEY, EXPIRED, REVOKED, STATUS_UNAVAILABLE, …),
	// as certify verify prints it.
	Code string `json:"code,omitempty"`
	// Message says why in words.
	Message string `json:"message,omitempty"`
}

// maxIDLen bounds the document ids echoed in verdicts.
const maxIDLen = 256

// maxTimeParam bounds the length of a time query parameter.
const maxTimeParam = 64

// verifyDocuments verifies each document of the body: a credit
// certificate (type CreditCertificate) with cert.VerifyCertificate, any
// other Verifiable Credential with cert.VerifyCredential, at the clock's
// time or at the time of the at parameter (RFC 3339), against the status
// lists valid then.
func (h *Handler) verifyDocuments(w http.ResponseWriter, r *http.Request, mediaType string) {
	opts := h.verify
	if at, ok := queryParam(w, r, "at", maxTimeParam); !ok {
		return
	} else if at != "" {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			writeProblem(w, newProblem(http.StatusBadRequest, CodeInvalidParameter, "the parameter at is not an RFC 3339 time, such as 2026-10-01T09:00:00Z"))
			return
		}
		opts.Now = t
	} else {
		opts.Now = h.now()
	}
	if opts.Status == nil && h.pub != nil {
		f, err := h.registerFetcher(r.Context())
		if err != nil {
			h.registerFailure(w, r, registerErr(err))
			return
		}
		opts.Status = &requestLists{f: f}
	}
	sw := newStreamWriter(w, mediaType)
	err := process(r.Context(), r.Body, h.workers, h.limits.MaxRecords,
		func(ctx context.Context, raw credit.RawRecord) VerifyResult {
			id, err := cert.VerifyRawDocument(ctx, raw, opts)
			res := VerifyResult{Index: raw.Index, ID: truncate(id, maxIDLen), Valid: err == nil}
			if err != nil {
				res.Code, res.Message = cert.Code(err), err.Error()
			}
			return res
		},
		func(res VerifyResult) error { return sw.item(res) })
	h.finish(sw, r, err)
}

// registerFetcher returns the fetcher of the register's own lists, made
// once its base URL could be read.
func (h *Handler) registerFetcher(ctx context.Context) (*register.Fetcher, error) {
	if f := h.fetcher.Load(); f != nil {
		return f, nil
	}
	f, err := register.NewFetcher(ctx, h.opts.Register)
	if err != nil {
		return nil, err
	}
	h.fetcher.Store(f)
	return f, nil
}

// maxRequestLists bounds the status lists one request keeps: a register
// has at most 2 × register.MaxLists.
const maxRequestLists = 2 * register.MaxLists

// requestLists keeps the status lists read for one request, whose
// documents name the same few lists at one time: a batch of certificates
// reads each list from the register once, not twice per certificate.
// Errors are not kept. It is safe for the request's workers.
type requestLists struct {
	f    cert.StatusVersionFetcher
	mu   sync.Mutex
	docs map[listAt][]byte
}

type listAt struct {
	url string
	at  int64 // UnixNano; 0 for the latest
}

// Fetch returns the latest version of the list at url.
func (l *requestLists) Fetch(ctx context.Context, url string) ([]byte, error) {
	return l.FetchAt(ctx, url, time.Time{})
}

// FetchAt returns the version of the list at url current at at.
func (l *requestLists) FetchAt(ctx context.Context, url string, at time.Time) ([]byte, error) {
	key := listAt{url: url}
	if !at.IsZero() {
		key.at = at.UnixNano()
	}
	l.mu.Lock()
	doc, ok := l.docs[key]
	l.mu.Unlock()
	if ok {
		return doc, nil
	}
	doc, err := l.f.FetchAt(ctx, url, at)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	if l.docs == nil {
		l.docs = map[listAt][]byte{}
	}
	if len(l.docs) < maxRequestLists {
		l.docs[key] = doc
	}
	l.mu.Unlock()
	return doc, nil
}
