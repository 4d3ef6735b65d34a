package service

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/creditsco/creditsco/credit"
)

// FuzzNegotiate checks that any Accept header gives one of the two
// media types or none, without panicking, and that the plain cases
// negotiate as they should.
func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"", "*/*", NDJSONType, "application/json;q=0.5, application/x-ndjson", "text/html", "application/*;q=0", "a/b;q=1.0000", ";;,,", "application/x-ndjson;q=0.", strings.Repeat("a/b,", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, accept string) {
		got := negotiate(accept)
		if got != "" && got != JSONType && got != NDJSONType {
			t.Fatalf("negotiate(%q) = %q", accept, got)
		}
		if strings.TrimSpace(accept) == "" && got != JSONType {
			t.Fatalf("negotiate(%q) = %q, want the default", accept, got)
		}
		if q := qvalue(accept); q < 0 || q > 1000 {
			t.Fatalf("qvalue(%q) = %d", accept, q)
		}
	})
}

// FuzzRequestFields checks the parsers of request ids, certificate ids,
// entity tags, media types and bearer tokens on any input.
func FuzzRequestFields(f *testing.F) {
	f.Add("abc-1", "urn:uuid:00000000-0000-8000-8000-000000000000", `"x", W/"y"`, "application/json; charset=utf-8", "Bearer "+testToken)
	f.Add("", "urn:uuid:", "*", "application/", "bearer  x")
	f.Add(strings.Repeat("a", 200), "urn:uuid:0000000g-0000-8000-8000-000000000000", `W/`, "text/plain", "Basic x")
	auth, err := BearerTokens(testToken)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, requestID, certID, etags, contentType, authorization string) {
		if ValidRequestID(requestID) && (len(requestID) > MaxRequestIDLen || strings.ContainsAny(requestID, " \t\r\n\"\\,;")) {
			t.Fatalf("request id %q accepted", requestID)
		}
		if validCertificateID(certID) && (len(certID) != 45 || !strings.HasPrefix(certID, "urn:uuid:")) {
			t.Fatalf("certificate id %q accepted", certID)
		}
		if etagListHas(etags, `"abc"`) && !strings.Contains(etags, `"abc"`) && strings.TrimSpace(etags) != "*" {
			t.Fatalf("%q holds \"abc\"?", etags)
		}
		bodyTypeOK(contentType, documentTypes)
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.Header.Set("Authorization", authorization)
		scheme, token, _ := strings.Cut(authorization, " ")
		if auth.Authenticate(r) == nil && (!strings.EqualFold(scheme, "bearer") || strings.TrimLeft(token, " ") != testToken) {
			t.Fatalf("Authorization %q accepted", authorization)
		}
	})
}

// fuzzHandler is the handler FuzzStreamEndpoints runs: small limits, one
// worker.
var fuzzHandler = func() *Handler {
	h, err := New(Options{Scoring: credit.EngineOptions{Workers: 1}, Limits: Limits{MaxBodyBytes: 256 << 10, MaxRecords: 50, Timeout: 10 * time.Second}})
	if err != nil {
		panic(err)
	}
	return h
}()

// FuzzStreamEndpoints posts any body to the streamed endpoints and checks
// the response: a status the API documents, a request id, and a body
// that is a problem, or a JSON array or NDJSON of results, each with its
// index, or a StreamError last.
func FuzzStreamEndpoints(f *testing.F) {
	for _, s := range []string{"", "{}", "[{},{}]", "{}\n{}\n", "[", "\xef\xbb\xbf{}", `{"schema_version":"1.0"}`, "[1,2", "\"x\"", strings.Repeat("[", 5000)} {
		f.Add([]byte(s), uint8(0), false)
	}
	paths := []string{"/v1/validate", "/v1/score", "/v1/verify"}
	f.Fuzz(func(t *testing.T, body []byte, which uint8, ndjson bool) {
		r := httptest.NewRequest(http.MethodPost, paths[int(which)%len(paths)], bytes.NewReader(body))
		if ndjson {
			r.Header.Set("Accept", NDJSONType)
		}
		w := httptest.NewRecorder()
		fuzzHandler.ServeHTTP(w, r)
		if w.Header().Get(RequestIDHeader) == "" {
			t.Fatal("no request id")
		}
		if w.Code != http.StatusOK {
			var p Problem
			if w.Code != http.StatusBadRequest && w.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d: %s", w.Code, w.Body.Bytes())
			}
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Status != w.Code || p.Code == "" {
				t.Fatalf("status %d with %q", w.Code, w.Body.Bytes())
			}
			return
		}
		var items []map[string]json.RawMessage
		if ndjson {
			for _, line := range bytes.Split(bytes.TrimSuffix(w.Body.Bytes(), []byte("\n")), []byte("\n")) {
				if len(line) == 0 {
					continue
				}
				var m map[string]json.RawMessage
				if err := json.Unmarshal(line, &m); err != nil {
					t.Fatalf("line %q: %v", line, err)
				}
				items = append(items, m)
			}
		} else if err := json.Unmarshal(w.Body.Bytes(), &items); err != nil {
			t.Fatalf("%q: %v", w.Body.Bytes(), err)
		}
		for i, it := range items {
			if _, ok := it["error"]; ok && i == len(items)-1 {
				continue
			}
			var n int
			if err := json.Unmarshal(it["index"], &n); err != nil || n != i+1 {
				t.Fatalf("item %d: %v", i, it)
			}
		}
	})
}
