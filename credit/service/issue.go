package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
)

// Outcomes of POST /v1/certificates for one record (IssueResult.Status).
const (
	StatusIssued         = "issued"          // a certificate was issued
	StatusInvalid        = "invalid"         // the record is invalid: see Problems
	StatusNotCertifiable = "not_certifiable" // valid, but no certificate can be issued: see Code
)

// CodeNotCertifiable is IssueResult.Code for a profile that its caps or
// the rule set's certification requirements keep from certification;
// IssueResult.Caps say which.
const CodeNotCertifiable = "NOT_CERTIFIABLE"

// An IssueResult is the outcome of POST /v1/certificates for one record.
type IssueResult struct {
	// Index is the record's 1-based position in the request.
	Index int `json:"index"`
	// RecordID is the record's record_id, if it could be read.
	RecordID string `json:"record_id"`
	// Status is StatusIssued, StatusInvalid or StatusNotCertifiable.
	Status string `json:"status"`
	// ID is the certificate's id, for an issued certificate.
	ID string `json:"id,omitempty"`
	// Certificate is the signed certificate (a W3C Verifiable Credential,
	// in RFC 8785 form), recorded in the register before it was signed.
	Certificate json.RawMessage `json:"certificate,omitempty"`
	// Problems are the errors of an invalid record.
	Problems credit.Problems `json:"problems,omitempty"`
	// Code says why a valid record was not certified: NOT_CERTIFIABLE
	// (Caps say which caps or certification requirements), or the
	// verification code (cert.Code) of the check that the certificate
	// would fail, such as BAD_IDENTIFIER or BAD_VALIDITY.
	Code string `json:"code,omitempty"`
	// Detail explains Code.
	Detail string `json:"detail,omitempty"`
	// Caps are the caps and certification requirements of the profile
	// that forbid certification, for Code NOT_CERTIFIABLE.
	Caps []credit.AppliedCap `json:"caps,omitempty"`

	err error // stops the stream: the register failed, or the request's context ended
}

func (h *Handler) issue(w http.ResponseWriter, r *http.Request, mediaType string) {
	sw := newStreamWriter(w, mediaType)
	err := process(r.Context(), r.Body, h.workers, h.limits.MaxRecords, h.issueRecord,
		func(res IssueResult) error {
			if res.err != nil {
				return res.err
			}
			return sw.item(res)
		})
	h.finish(sw, r, err)
}

// issueRecord scores one record and issues its certificate, recorded in
// the register before it is signed and in a status list pair that has
// been published.
func (h *Handler) issueRecord(ctx context.Context, raw credit.RawRecord) IssueResult {
	sr, a := h.assess(ctx, raw)
	res := IssueResult{Index: sr.Index, RecordID: sr.RecordID, err: sr.err}
	if sr.err != nil {
		return res
	}
	if a == nil {
		res.Status, res.Problems = StatusInvalid, sr.Problems
		return res
	}
	// cert.Issue keeps the subject rules of each rule set once per
	// process; the allocator passes the request's context to the register.
	alloc := &ctxAllocator{ctx: ctx, a: h.opts.Register}
	signed, c, err := cert.Issue(a, cert.IssueOptions{Key: h.opts.Key, Issuer: h.opts.Issuer, Now: h.now(), Status: alloc})
	switch {
	case errors.Is(err, cert.ErrNotCertifiable):
		res.Status = StatusNotCertifiable
		if !sr.Profile.Certifiable {
			res.Code, res.Caps = CodeNotCertifiable, forbidding(sr.Profile.Caps)
			res.Detail = "the profile's caps or the rule set's certification requirements forbid certification"
		} else {
			res.Code, res.Detail = cert.Code(err), trimPrefixes(err)
		}
		return res
	case alloc.err != nil: // the register's failure, which cert.Issue wraps
		res.err = registerErr(alloc.err)
		return res
	case err != nil: // not the register's: a fault of the service
		res.err = fmt.Errorf("%w: %w", errInternal, err)
		return res
	}
	if err := h.pub.ensurePublished(ctx, c.CredentialStatus); err != nil {
		res.err = registerErr(err)
		return res
	}
	res.Status, res.ID, res.Certificate = StatusIssued, c.ID, signed
	return res
}

// forbidding returns the caps that make a profile not certifiable.
func forbidding(caps []credit.AppliedCap) []credit.AppliedCap {
	var out []credit.AppliedCap
	for _, c := range caps {
		if !c.Certifiable {
			out = append(out, c)
		}
	}
	return out
}

// listName returns the last path segment of a status list URL, the
// list's name in the register.
func listName(url string) string {
	return url[strings.LastIndexByte(url, '/')+1:]
}

// ctxAllocator allocates status entries with a context of its own: that
// of the request, which cert.Issue does not take. It keeps the register's
// error, so that the caller can tell it from cert.Issue's own.
type ctxAllocator struct {
	ctx context.Context
	a   cert.StatusAllocator
	err error
}

func (c *ctxAllocator) AllocateStatus(_ context.Context, cr *cert.Certificate) ([]cert.BitstringStatusListEntry, error) {
	entries, err := c.a.AllocateStatus(c.ctx, cr)
	c.err = err
	return entries, err
}
