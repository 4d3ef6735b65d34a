package service

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/creditsco/creditsco/credit/register"
)

// StatusListContentType is the media type of a status list credential:
// a Verifiable Credential with an embedded proof (VC Data Model 2.0).
const StatusListContentType = "application/vc"

// statusAction is one of the status changes of a certificate.
type statusAction struct {
	name   string
	change func(register.Register, context.Context, string) error
}

var (
	actionRevoke    = statusAction{"revoke", register.Register.Revoke}
	actionSuspend   = statusAction{"suspend", register.Register.Suspend}
	actionUnsuspend = statusAction{"unsuspend", register.Register.Unsuspend}
)

// A StatusChange is the response of a revocation, suspension or lifting
// of a suspension: the certificate's statuses after it, and the
// publication of the status lists that shows it.
type StatusChange struct {
	// ID is the certificate's id.
	ID string `json:"id"`
	// Revoked and Suspended are its statuses in the register.
	Revoked   bool `json:"revoked"`
	Suspended bool `json:"suspended"`
	// StatusLists are the URLs of its revocation and suspension lists,
	// and StatusListIndex its index in both.
	StatusLists     []string `json:"status_lists"`
	StatusListIndex int      `json:"status_list_index"`
	// Published is the publication of the lists that shows the change.
	Published PublicationRef `json:"published"`
}

// A PublicationRef names a publication of the status lists.
type PublicationRef struct {
	// Version numbers the register's publications from 1.
	Version int64 `json:"version"`
	// ValidFrom and ValidUntil are the lists' validity, RFC 3339.
	ValidFrom  string `json:"valid_from"`
	ValidUntil string `json:"valid_until"`
}

// statusChange records a status change in the register and publishes the
// lists before it answers: a client that was told "revoked" finds the
// revocation in the lists. A change recorded whose publication failed is
// REGISTER_UNAVAILABLE; the request may be repeated (the change is
// idempotent) and the next publication shows it anyway.
func (h *Handler) statusChange(action statusAction) http.Handler {
	return h.timed(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if !validCertificateID(id) {
			writeProblem(w, newProblem(http.StatusBadRequest, CodeInvalidParameter,
				"the certificate id is not a urn:uuid (urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"))
			return
		}
		ctx := r.Context()
		if err := action.change(h.opts.Register, ctx, id); err != nil {
			h.registerFailure(w, r, registerErr(err))
			return
		}
		// Publish even if the client goes away now: others wait for it.
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), h.limits.Timeout)
		defer cancel()
		pub, err := h.pub.publishAfter(pctx)
		if err != nil {
			h.reportError(r, err)
			writeProblem(w, newProblem(http.StatusServiceUnavailable, CodeRegisterUnavailable,
				fmt.Sprintf("the %s is recorded, but the status lists could not be published; repeat the request, or wait for the next publication", action.name)))
			return
		}
		e, err := h.opts.Register.Status(ctx, id)
		if err != nil {
			h.registerFailure(w, r, registerErr(err))
			return
		}
		out := StatusChange{ID: e.ID, Revoked: e.Revoked, Suspended: e.Suspended, StatusListIndex: e.Index,
			Published: PublicationRef{Version: pub.Version, ValidFrom: pub.ValidFrom.UTC().Format(time.RFC3339), ValidUntil: pub.ValidUntil.UTC().Format(time.RFC3339)}}
		for _, s := range e.StatusEntries {
			out.StatusLists = append(out.StatusLists, s.StatusListCredential)
		}
		writeJSON(w, out)
	})
}

// registerFailure answers a failed register call.
func (h *Handler) registerFailure(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && !isTimeout(err) {
		return // the client is gone
	}
	p := h.registerProblem(r, err)
	if p == nil {
		h.reportError(r, err)
		p = newProblem(http.StatusInternalServerError, CodeInternal, "the service failed on this request; the request id finds it in the service's log")
	}
	writeProblem(w, p)
}

// validCertificateID reports whether id is a urn:uuid, the form of the
// ids certificates get.
func validCertificateID(id string) bool {
	u, ok := strings.CutPrefix(id, "urn:uuid:")
	if !ok || len(u) != 36 {
		return false
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// statusList serves the latest version of a status list credential, with
// caching headers from its validity: Last-Modified its validFrom,
// Expires its validUntil, max-age the time left until then (or
// Options.StatusCacheMaxAge if shorter), and an ETag of its SHA-256, with
// conditional GET (If-None-Match, If-Modified-Since).
func (h *Handler) statusList(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("list")
	if _, _, ok := register.ParseListName(name); !ok {
		writeProblem(w, newProblem(http.StatusNotFound, CodeUnknownList, "no status list is named "+strconv.Quote(truncate(name, 64))))
		return
	}
	l, err := h.opts.Register.List(r.Context(), name, time.Time{})
	if err != nil {
		h.registerFailure(w, r, registerErr(err))
		return
	}
	hdr := w.Header()
	now := h.now()
	left := l.ValidUntil.Sub(now)
	if h.opts.StatusCacheMaxAge > 0 {
		left = min(left, h.opts.StatusCacheMaxAge)
	}
	if left > 0 {
		hdr.Set("Cache-Control", "public, max-age="+strconv.FormatInt(int64(left/time.Second), 10))
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	hdr.Set("Expires", l.ValidUntil.UTC().Format(http.TimeFormat))
	hdr.Set("Last-Modified", l.ValidFrom.UTC().Format(http.TimeFormat))
	hdr.Set("ETag", `"`+l.SHA256+`"`)
	// The ETag alone validates: the register may publish twice in one
	// second, and Last-Modified (validFrom, to the second) cannot tell
	// those lists apart.
	if notModified(r, `"`+l.SHA256+`"`) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	sum, _ := hex.DecodeString(l.SHA256)
	if len(sum) != sha256.Size {
		s := sha256.Sum256(l.Document)
		sum = s[:]
	}
	hdr.Set("Content-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":")
	hdr.Set("Content-Type", StatusListContentType)
	hdr.Set("Content-Length", strconv.Itoa(len(l.Document)))
	w.WriteHeader(http.StatusOK)
	w.Write(l.Document)
}

// notModified reports whether a conditional GET may be answered 304 Not
// Modified (RFC 9110 section 13.1): If-None-Match holds etag (weak
// comparison) or "*". If-Modified-Since is not honoured: every resource
// served conditionally has an ETag of its content.
func notModified(r *http.Request, etag string) bool {
	for _, v := range r.Header.Values("If-None-Match") {
		if etagListHas(v, etag) {
			return true
		}
	}
	return false
}

// maxETags bounds the entity tags of an If-None-Match header read.
const maxETags = 64

// etagListHas reports whether the If-None-Match value list holds etag,
// by weak comparison, or is "*".
func etagListHas(list, etag string) bool {
	if strings.TrimSpace(list) == "*" {
		return true
	}
	want := strings.TrimPrefix(etag, "W/")
	n := 0
	for t := range strings.SplitSeq(list, ",") {
		if n++; n > maxETags {
			return false
		}
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == want {
			return true
		}
	}
	return false
}

// truncate shortens s to at most n bytes for a message, on a rune
// boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
