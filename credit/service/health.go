package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/creditsco/creditsco/schema"
)

// A Health is the body of GET /healthz and of a successful GET /readyz.
type Health struct {
	// Status is "ok" for /healthz and "ready" for /readyz.
	Status string `json:"status"`
}

// readyTimeout bounds the register's ping of a readiness probe.
const readyTimeout = 5 * time.Second

// healthz reports that the process serves requests.
func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, Health{Status: "ok"})
}

// readyz reports whether the service can do its work: its register
// answers a ping.
func (h *Handler) readyz(w http.ResponseWriter, r *http.Request) {
	if h.opts.Register != nil {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := h.opts.Register.Ping(ctx); err != nil {
			w.Header().Set("Retry-After", "5")
			// The cause (a database error naming host and user) goes to
			// OnError, not to an unauthenticated client.
			h.reportError(r, err)
			writeProblem(w, newProblem(http.StatusServiceUnavailable, CodeNotReady, "the register does not answer"))
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, Health{Status: "ready"})
}

var openAPIETag = func() string {
	sum := sha256.Sum256(schema.OpenAPI)
	return `"sha256:` + hex.EncodeToString(sum[:]) + `"`
}()

// openAPI serves the OpenAPI 3.1 description of the API
// (schema/openapi.json).
func (h *Handler) openAPI(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("ETag", openAPIETag)
	hdr.Set("Cache-Control", "no-cache")
	if notModified(r, openAPIETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Content-Length", strconv.Itoa(len(schema.OpenAPI)))
	w.WriteHeader(http.StatusOK)
	w.Write(schema.OpenAPI)
}
