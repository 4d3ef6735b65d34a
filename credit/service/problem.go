package service

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// ProblemTypeBase is the start of the type URI of every problem the
// handler reports: the type is ProblemTypeBase followed by the code, such
// as "https://creditsco.org/problems/BODY_TOO_LARGE".
const ProblemTypeBase = "https://creditsco.org/problems/"

// ProblemContentType is the media type of problem details (RFC 9457).
const ProblemContentType = "application/problem+json"

// Problem codes of the handler's error responses, next to the record
// codes of package credit and the verification codes of package
// credit/cert. They are stable: clients match on them.
const (
	CodeInvalidParameter     = "INVALID_PARAMETER"      // 400: a query parameter or path segment of the wrong form
	CodeBodyUnreadable       = "BODY_UNREADABLE"        // 400: the request body could not be read to its end
	CodeUnauthenticated      = "UNAUTHENTICATED"        // 401: no valid credentials for an endpoint that needs them
	CodeNotFound             = "NOT_FOUND"              // 404: no such endpoint
	CodeUnknownCertificate   = "UNKNOWN_CERTIFICATE"    // 404: a certificate id the register does not hold
	CodeUnknownList          = "UNKNOWN_LIST"           // 404: a status list the register does not publish (yet)
	CodeUnknownRuleSet       = "UNKNOWN_RULESET"        // 404: a rule set id or version the service does not hold
	CodeNoRuleSet            = "NO_RULESET"             // 404: no rule set scores a country at a date
	CodeMethodNotAllowed     = "METHOD_NOT_ALLOWED"     // 405: the endpoint exists for other methods (see Allow)
	CodeNotAcceptable        = "NOT_ACCEPTABLE"         // 406: Accept allows none of the endpoint's media types
	CodeConflict             = "CONFLICT"               // 409: a certificate id the register holds for another record
	CodeBodyTooLarge         = "BODY_TOO_LARGE"         // 413: a request body over Limits.MaxBodyBytes
	CodeTooManyRecords       = "TOO_MANY_RECORDS"       // 413: more records or documents than Limits.MaxRecords
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE" // 415: a request body of a media type the endpoint does not read
	CodeInternal             = "INTERNAL"               // 500: a fault of the service; the request id finds it in the program's log
	CodeNotConfigured        = "NOT_CONFIGURED"         // 501: issuing endpoints of a service without an issuer key and register
	CodeRegisterUnavailable  = "REGISTER_UNAVAILABLE"   // 503: the register failed or did not answer
	CodeRegisterFull         = "REGISTER_FULL"          // 503: the register has handed out every status list index
	CodeTimeout              = "TIMEOUT"                // 503: the request took longer than Limits.Timeout
	CodeOverloaded           = "OVERLOADED"             // 503: Limits.MaxInFlight requests are being processed; retry later
	CodeNotReady             = "NOT_READY"              // 503: readiness probe failed
)

// problemTitles are the short, fixed summaries of the codes (RFC 9457
// "title"); "detail" says what happened in the case at hand.
var problemTitles = map[string]string{
	CodeInvalidParameter:     "Invalid parameter",
	CodeBodyUnreadable:       "Request body unreadable",
	CodeUnauthenticated:      "Authentication required",
	CodeNotFound:             "Not found",
	CodeUnknownCertificate:   "Unknown certificate",
	CodeUnknownList:          "Unknown status list",
	CodeUnknownRuleSet:       "Unknown rule set",
	CodeNoRuleSet:            "No rule set",
	CodeMethodNotAllowed:     "Method not allowed",
	CodeNotAcceptable:        "Not acceptable",
	CodeConflict:             "Conflict",
	CodeBodyTooLarge:         "Request body too large",
	CodeTooManyRecords:       "Too many records",
	CodeUnsupportedMediaType: "Unsupported media type",
	CodeInternal:             "Internal error",
	CodeNotConfigured:        "Not configured",
	CodeRegisterUnavailable:  "Register unavailable",
	CodeRegisterFull:         "Register full",
	CodeTimeout:              "Timeout",
	CodeOverloaded:           "Overloaded",
	CodeNotReady:             "Not ready",
}

// A Problem is an RFC 9457 problem details object, the body of every
// error response (media type application/problem+json) and, inside a
// streamed response that had begun, its last item (see StreamError).
type Problem struct {
	// Type is ProblemTypeBase followed by Code.
	Type string `json:"type"`
	// Title is the code's fixed summary.
	Title string `json:"title"`
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Detail says what went wrong in this request.
	Detail string `json:"detail,omitempty"`
	// Code is the stable code, such as BODY_TOO_LARGE.
	Code string `json:"code"`
	// RequestID is the request's id (the X-Request-Id response header).
	RequestID string `json:"request_id,omitempty"`
}

// StreamError is the last item of a streamed response (NDJSON line or
// JSON array element) that stopped after it had begun, when its status
// could no longer change: the items before it are complete, and no item
// follows.
type StreamError struct {
	Error Problem `json:"error"`
}

// newProblem returns the problem of code with the HTTP status and detail.
func newProblem(status int, code, detail string) *Problem {
	return &Problem{Type: ProblemTypeBase + code, Title: problemTitles[code], Status: status, Detail: detail, Code: code}
}

// writeProblem writes p as the response, with the request id of w's
// headers.
func writeProblem(w http.ResponseWriter, p *Problem) {
	p.RequestID = w.Header().Get(RequestIDHeader)
	body, err := marshal(p)
	if err != nil { // cannot happen: a Problem is strings and an int
		body = []byte(`{"type":"` + ProblemTypeBase + CodeInternal + `","title":"Internal error","status":500,"code":"INTERNAL"}`)
		p.Status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", ProblemContentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	h.Del("Content-Digest")
	h.Del("ETag")
	h.Del("Last-Modified")
	w.WriteHeader(p.Status)
	w.Write(body)
}

// marshal encodes v as JSON followed by a newline, without escaping <, >
// and & (legal names are shown as they are).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeJSON writes v as a 200 response of media type application/json.
func writeJSON(w http.ResponseWriter, v any) {
	body, err := marshal(v)
	if err != nil {
		writeProblem(w, newProblem(http.StatusInternalServerError, CodeInternal, "encoding the response: "+err.Error()))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
