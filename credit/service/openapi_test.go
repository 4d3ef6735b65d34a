package service

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xeipuuv/gojsonschema"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/schema"
)

// openAPIDoc is the part of the OpenAPI document the test reads.
type openAPIDoc struct {
	OpenAPI    string                                 `json:"openapi"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components map[string]map[string]json.RawMessage  `json:"components"`
	raw        map[string]any
}

type openAPIOperation struct {
	Responses map[string]struct {
		Content map[string]struct {
			Schema json.RawMessage `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

func loadOpenAPI(t *testing.T) *openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	require.NoError(t, json.Unmarshal(schema.OpenAPI, &doc))
	require.NoError(t, json.Unmarshal(schema.OpenAPI, &doc.raw))
	require.Equal(t, "3.1.0", doc.OpenAPI)
	return &doc
}

// schemaChecker validates JSON against the document's schemas, with
// their references to its components.
type schemaChecker struct {
	doc   *openAPIDoc
	mu    sync.Mutex
	cache map[string]*gojsonschema.Schema
}

func (c *schemaChecker) check(t *testing.T, s json.RawMessage, body []byte, what string) {
	t.Helper()
	c.mu.Lock()
	compiled, ok := c.cache[string(s)]
	if !ok {
		var root map[string]any
		require.NoError(t, json.Unmarshal(s, &root))
		root["components"] = c.doc.raw["components"]
		var err error
		compiled, err = gojsonschema.NewSchema(gojsonschema.NewGoLoader(root))
		require.NoError(t, err, "schema of %s", what)
		c.cache[string(s)] = compiled
	}
	c.mu.Unlock()
	res, err := compiled.Validate(gojsonschema.NewBytesLoader(body))
	require.NoError(t, err, "%s: %s", what, body)
	if !res.Valid() {
		t.Errorf("%s: the response does not match its schema: %v\n%.2000s", what, res.Errors(), body)
	}
}

// routeOf returns the OpenAPI path template of a request path.
func routeOf(doc *openAPIDoc, path string) string {
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(path, "/")
	for tmpl := range doc.Paths {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		match := true
		for i := range ts {
			if !strings.HasPrefix(ts[i], "{") && ts[i] != segs[i] {
				match = false
				break
			}
		}
		if match {
			return tmpl
		}
	}
	return ""
}

// TestOpenAPI runs a request for every status of every operation the
// OpenAPI document lists, and checks each real response against the
// document: its status is listed, and its body matches the schema of its
// media type (each line of NDJSON); and every listed status is seen.
// The document's operations are the handler's endpoints.
func TestOpenAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	checker := &schemaChecker{doc: doc, cache: map[string]*gojsonschema.Schema{}}

	e := newEnv(t, nil)
	plain, err := New(Options{})
	require.NoError(t, err)
	late, err := New(Options{RuleSets: lateRuleSets(t)})
	require.NoError(t, err)
	closed := newEnv(t, nil)
	require.NoError(t, closed.reg.Close())
	kz := samples(t, "kz")
	issued := issueAll(t, e, kz)
	require.Equal(t, StatusIssued, issued[0].Status)
	id := issued[0].ID
	certs := string(issued[0].Certificate) + "\n" + string(issued[1].Certificate) + "\n{}\n"
	small := newEnv(t, func(o *Options) { o.Limits.MaxRecords = 1 })
	listETag := serve(e.h, request{method: "GET", path: "/v1/status/revocation"}).Header().Get("ETag")
	rsETag := serve(e.h, request{method: "GET", path: "/v1/rulesets/SCO-KZ"}).Header().Get("ETag")
	oaETag := serve(e.h, request{method: "GET", path: "/v1/openapi.json"}).Header().Get("ETag")
	nd := map[string]string{"Accept": NDJSONType}
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	html := map[string]string{"Accept": "text/html"}
	revoke := "/v1/certificates/" + id

	type testCase struct {
		h      *Handler
		req    request
		body   io.Reader // instead of req.body
		busy   bool      // with every in-flight slot taken
		status int
	}
	cases := []testCase{
		{h: e.h, req: request{method: "GET", path: "/healthz"}, status: 200},
		{h: e.h, req: request{method: "GET", path: "/readyz"}, status: 200},
		{h: closed.h, req: request{method: "GET", path: "/readyz"}, status: 503},
		{h: e.h, req: request{method: "GET", path: "/v1/openapi.json"}, status: 200},
		{h: e.h, req: request{method: "GET", path: "/v1/openapi.json", header: map[string]string{"If-None-Match": oaETag}}, status: 304},
		{h: e.h, req: request{method: "GET", path: "/v1/rulesets"}, status: 200},
		{h: e.h, req: request{method: "GET", path: "/v1/rulesets/SCO-KZ"}, status: 200},
		{h: e.h, req: request{method: "GET", path: "/v1/rulesets/SCO-BASE?version=" + credit.DefaultRuleSet().Version}, status: 200},
		{h: e.h, req: request{method: "GET", path: "/v1/rulesets/SCO-KZ", header: map[string]string{"If-None-Match": rsETag}}, status: 304},
		{h: e.h, req: request{method: "GET", path: "/v1/rulesets/SCO-KZ?version=1.0.0&version=1.0.0"}, status: 400},
		{h: e.h, req: request{method: "GET", path: "/v1/rulesets/SCO-ZZ"}, status: 404},
		{h: e.h, req: request{method: "GET", path: "/v1/recognition"}, status: 200},
		{h: e.h, req: request{method: "GET", path: "/v1/recognition?countries=KZ,CN&as_of=2026-09-30"}, status: 200},
		{h: e.h, req: request{method: "GET", path: "/v1/recognition?countries=kz"}, status: 400},
		{h: late, req: request{method: "GET", path: "/v1/recognition?as_of=1990-01-01"}, status: 404},
		{h: e.h, req: request{method: "GET", path: "/v1/status/revocation"}, status: 200},
		{h: e.h, req: request{method: "GET", path: "/v1/status/suspension", header: map[string]string{"If-None-Match": listETag}}, status: 200},
		{h: e.h, req: request{method: "GET", path: "/v1/status/revocation", header: map[string]string{"If-None-Match": listETag}}, status: 304},
		{h: e.h, req: request{method: "GET", path: "/v1/status/revocation-7"}, status: 404},
		{h: plain, req: request{method: "GET", path: "/v1/status/revocation"}, status: 501},
	}
	for _, p := range []string{"/v1/validate", "/v1/score", "/v1/certificates", "/v1/verify"} {
		body := kz
		if p == "/v1/verify" {
			body = certs
		}
		cases = append(cases,
			testCase{h: e.h, req: request{method: "POST", path: p, body: body, token: true}, status: 200},
			testCase{h: e.h, req: request{method: "POST", path: p, body: body, token: true, header: nd}, status: 200},
			testCase{h: e.h, req: request{method: "POST", path: p, token: true}, body: io.MultiReader(strings.NewReader("{"), errReader{}), status: 400},
			testCase{h: e.h, req: request{method: "POST", path: p, body: body, token: true, header: html}, status: 406},
			testCase{h: small.h, req: request{method: "POST", path: p, body: body, token: true}, status: 413},
			testCase{h: e.h, req: request{method: "POST", path: p, body: body, token: true, header: form}, status: 415},
			testCase{h: e.h, req: request{method: "POST", path: p, body: body, token: true}, busy: true, status: 503},
		)
	}
	cases = append(cases,
		testCase{h: e.h, req: request{method: "POST", path: "/v1/verify?at=2026", body: certs}, status: 400},
		testCase{h: e.h, req: request{method: "POST", path: "/v1/certificates", body: kz}, status: 401},
		testCase{h: plain, req: request{method: "POST", path: "/v1/certificates", body: kz, token: true}, status: 501},
	)
	for _, a := range []string{"/revoke", "/suspend", "/unsuspend"} {
		cases = append(cases,
			testCase{h: e.h, req: request{method: "POST", path: revoke + a, token: true}, status: 200},
			testCase{h: e.h, req: request{method: "POST", path: "/v1/certificates/urn:uuid:x" + a, token: true}, status: 400},
			testCase{h: e.h, req: request{method: "POST", path: revoke + a}, status: 401},
			testCase{h: e.h, req: request{method: "POST", path: "/v1/certificates/urn:uuid:00000000-0000-8000-8000-000000000000" + a, token: true}, status: 404},
			testCase{h: plain, req: request{method: "POST", path: revoke + a, token: true}, status: 501},
			testCase{h: closed.h, req: request{method: "POST", path: revoke + a, token: true}, status: 503},
		)
	}

	seen := map[string]bool{}
	for _, c := range cases {
		key := c.req.method + " " + routeOf(doc, c.req.path)
		t.Run(key+" "+http.StatusText(c.status), func(t *testing.T) {
			r := httptest.NewRequest(c.req.method, c.req.path, c.body)
			if c.body == nil {
				r = httptest.NewRequest(c.req.method, c.req.path, strings.NewReader(c.req.body))
			}
			for k, v := range c.req.header {
				r.Header.Set(k, v)
			}
			if c.req.token {
				r.Header.Set("Authorization", "Bearer "+testToken)
			}
			if c.busy {
				for range cap(c.h.inFlight) {
					c.h.inFlight <- struct{}{}
				}
				defer func() {
					for range cap(c.h.inFlight) {
						<-c.h.inFlight
					}
				}()
			}
			w := httptest.NewRecorder()
			c.h.ServeHTTP(w, r)
			require.Equal(t, c.status, w.Code, "%s", w.Body.Bytes())
			require.NotEmpty(t, w.Header().Get(RequestIDHeader))
			route := routeOf(doc, c.req.path)
			op, ok := doc.Paths[route][strings.ToLower(c.req.method)]
			require.True(t, ok, "%s is not documented", key)
			resp, ok := op.Responses[strconv.Itoa(w.Code)]
			require.True(t, ok, "%s: status %d is not documented", key, w.Code)
			seen[key+" "+strconv.Itoa(w.Code)] = true
			if w.Code == http.StatusNotModified {
				assert.Empty(t, w.Body.Bytes())
				return
			}
			mt, _, err := mime.ParseMediaType(w.Header().Get("Content-Type"))
			require.NoError(t, err)
			content, ok := resp.Content[mt]
			require.True(t, ok, "%s %d: media type %s is not documented", key, w.Code, mt)
			if mt == NDJSONType {
				for _, line := range bytes.Split(bytes.TrimSuffix(w.Body.Bytes(), []byte("\n")), []byte("\n")) {
					checker.check(t, content.Schema, line, key)
				}
				return
			}
			checker.check(t, content.Schema, w.Body.Bytes(), key)
		})
	}

	// Every documented status was seen, and the documented operations are
	// the handler's endpoints.
	var documented []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
			for status := range op.Responses {
				if status != "default" {
					assert.True(t, seen[strings.ToUpper(method)+" "+path+" "+status], "no test of %s %s %s", strings.ToUpper(method), path, status)
				}
			}
		}
	}
	sort.Strings(documented)
	patterns := slices.Sorted(slices.Values(e.h.patterns))
	assert.Equal(t, patterns, documented)
}

// TestOpenAPIRequestTypes checks that the description lists exactly the
// request media types the handler accepts.
func TestOpenAPIRequestTypes(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody *struct {
				Content map[string]json.RawMessage `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(schema.OpenAPI, &doc))
	for path, want := range map[string][]string{
		"/v1/validate": recordTypes, "/v1/score": recordTypes, "/v1/certificates": recordTypes, "/v1/verify": documentTypes,
	} {
		body := doc.Paths[path]["post"].RequestBody
		require.NotNil(t, body, path)
		var got []string
		for mt := range body.Content {
			got = append(got, mt)
		}
		assert.ElementsMatch(t, want, got, path)
	}
}
