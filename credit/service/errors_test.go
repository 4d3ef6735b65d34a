package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/register"
)

func TestProblems(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Limits = Limits{MaxBodyBytes: 64 << 10, MaxRecords: 2} })
	plain, err := New(Options{})
	require.NoError(t, err)
	kz := samples(t, "kz")
	one := strings.SplitAfter(kz, "\n")[0]
	for _, c := range []struct {
		name string
		h    http.Handler
		req  request
		code string
	}{
		{"no token", e.h, request{method: "POST", path: "/v1/certificates", body: kz}, CodeUnauthenticated},
		{"wrong token", e.h, request{method: "POST", path: "/v1/certificates", body: kz, header: map[string]string{"Authorization": "Bearer " + strings.Repeat("x", 26)}}, CodeUnauthenticated},
		{"not a bearer token", e.h, request{method: "POST", path: "/v1/certificates/urn:uuid:00000000-0000-8000-8000-000000000000/revoke", header: map[string]string{"Authorization": "Basic " + testToken}}, CodeUnauthenticated},
		{"no issuer: issue", plain, request{method: "POST", path: "/v1/certificates", body: kz, token: true}, CodeNotConfigured},
		{"no issuer: revoke", plain, request{method: "POST", path: "/v1/certificates/urn:uuid:00000000-0000-8000-8000-000000000000/revoke", token: true}, CodeNotConfigured},
		{"no issuer: status list", plain, request{method: "GET", path: "/v1/status/revocation"}, CodeNotConfigured},
		{"form body", e.h, request{method: "POST", path: "/v1/score", body: kz, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, CodeUnsupportedMediaType},
		{"latin-1 body", e.h, request{method: "POST", path: "/v1/validate", body: kz, header: map[string]string{"Content-Type": "application/json; charset=iso-8859-1"}}, CodeUnsupportedMediaType},
		{"bad media type", e.h, request{method: "POST", path: "/v1/verify", body: kz, header: map[string]string{"Content-Type": "application/"}}, CodeUnsupportedMediaType},
		{"html only", e.h, request{method: "POST", path: "/v1/score", body: kz, header: map[string]string{"Accept": "text/html"}}, CodeNotAcceptable},
		{"json refused", e.h, request{method: "POST", path: "/v1/validate", body: kz, header: map[string]string{"Accept": "application/json;q=0, text/*"}}, CodeNotAcceptable},
		{"body over the limit", e.h, request{method: "POST", path: "/v1/validate", body: strings.Repeat(" ", 65<<10)}, CodeBodyTooLarge},
		{"too many records", e.h, request{method: "POST", path: "/v1/score", body: kz}, CodeTooManyRecords},
		{"no endpoint", e.h, request{method: "GET", path: "/v2/score"}, CodeNotFound},
		{"wrong method", e.h, request{method: "GET", path: "/v1/score"}, CodeMethodNotAllowed},
		{"bad at", e.h, request{method: "POST", path: "/v1/verify?at=yesterday", body: one}, CodeInvalidParameter},
		{"at twice", e.h, request{method: "POST", path: "/v1/verify?at=2026-10-01T00:00:00Z&at=2026-10-01T00:00:00Z", body: one}, CodeInvalidParameter},
		{"unknown rule set", e.h, request{method: "GET", path: "/v1/rulesets/SCO-XX"}, CodeUnknownRuleSet},
		{"unknown version", e.h, request{method: "GET", path: "/v1/rulesets/SCO-KZ?version=9.9.9"}, CodeUnknownRuleSet},
		{"long version", e.h, request{method: "GET", path: "/v1/rulesets/SCO-KZ?version=" + strings.Repeat("9", 40)}, CodeInvalidParameter},
		{"bad country", e.h, request{method: "GET", path: "/v1/recognition?countries=KZ,china"}, CodeInvalidParameter},
		{"bad date", e.h, request{method: "GET", path: "/v1/recognition?as_of=2026-13-01"}, CodeInvalidParameter},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := serve(c.h, c.req)
			p := problemOf(t, w)
			assert.Equal(t, c.code, p.Code, p.Detail)
			assert.NotEmpty(t, p.Detail)
			switch c.code {
			case CodeUnauthenticated:
				assert.Equal(t, `Bearer realm="creditsco"`, w.Header().Get("WWW-Authenticate"))
			case CodeMethodNotAllowed:
				assert.Equal(t, "POST", w.Header().Get("Allow"))
			}
		})
	}
}

// TestStreamErrorAfterResults checks that a stream that fails after its
// response began ends with a StreamError item, after complete results.
func TestStreamErrorAfterResults(t *testing.T) {
	const max = 30 // their results are more than streamBuffer: the response begins
	e := newEnv(t, func(o *Options) { o.Limits.MaxRecords = max })
	body := strings.Repeat(samples(t, "kz"), max/3+1)
	for _, mt := range []string{NDJSONType, JSONType} {
		t.Run(mt, func(t *testing.T) {
			w := serve(e.h, request{method: http.MethodPost, path: "/v1/score", body: body, header: map[string]string{"Accept": mt}})
			require.Equal(t, http.StatusOK, w.Code)
			var items []json.RawMessage
			if mt == NDJSONType {
				items = lines[json.RawMessage](t, w.Body.Bytes())
			} else {
				require.NoError(t, json.Unmarshal(w.Body.Bytes(), &items), "%s", w.Body.Bytes())
			}
			require.Len(t, items, max+1)
			for i, it := range items[:max] {
				var r ScoreResult
				require.NoError(t, json.Unmarshal(it, &r))
				assert.Equal(t, i+1, r.Index)
				assert.True(t, r.Valid)
			}
			var se StreamError
			require.NoError(t, json.Unmarshal(items[max], &se))
			assert.Equal(t, CodeTooManyRecords, se.Error.Code)
			assert.Equal(t, http.StatusRequestEntityTooLarge, se.Error.Status)
			assert.Equal(t, w.Header().Get(RequestIDHeader), se.Error.RequestID)
		})
	}
}

func TestRequestID(t *testing.T) {
	h, err := New(Options{})
	require.NoError(t, err)
	for _, c := range []struct {
		given string
		kept  bool
	}{
		{"", false},
		{"abc-123", true},
		{"trace:7/span=9@x", true},
		{strings.Repeat("a", MaxRequestIDLen), true},
		{strings.Repeat("a", MaxRequestIDLen+1), false},
		{"with space", false},
		{"new\nline", false},
		{"ünïcode", false},
	} {
		w := serve(h, request{method: http.MethodGet, path: "/healthz", header: map[string]string{RequestIDHeader: c.given}})
		got := w.Header().Get(RequestIDHeader)
		if c.kept {
			assert.Equal(t, c.given, got)
		} else {
			assert.Regexp(t, `^[0-9a-f]{32}$`, got, "%q", c.given)
		}
	}
	// In problems and in the request's context.
	var seen string
	h.mux.HandleFunc("GET /test/id", func(w http.ResponseWriter, r *http.Request) { seen = RequestID(r.Context()) })
	serve(h, request{method: http.MethodGet, path: "/test/id", header: map[string]string{RequestIDHeader: "id-1"}})
	assert.Equal(t, "id-1", seen)
	assert.Empty(t, RequestID(context.Background()))
	w := serve(h, request{method: http.MethodGet, path: "/nope", header: map[string]string{RequestIDHeader: "id-2"}})
	assert.Equal(t, "id-2", problemOf(t, w).RequestID)
}

func TestPanicsAreRecovered(t *testing.T) {
	var (
		mu     sync.Mutex
		errs   []error
		ids    []string
		before = true
	)
	h, err := New(Options{OnError: func(r *http.Request, err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err)
		ids = append(ids, RequestID(r.Context()))
	}})
	require.NoError(t, err)
	h.mux.HandleFunc("GET /test/panic", func(w http.ResponseWriter, r *http.Request) {
		if !before {
			w.WriteHeader(http.StatusOK)
			w.Write([]byte("partial"))
		}
		panic("boom")
	})
	w := serve(h, request{method: http.MethodGet, path: "/test/panic", header: map[string]string{RequestIDHeader: "p-1"}})
	assert.Equal(t, CodeInternal, problemOf(t, w).Code)
	require.Len(t, errs, 1)
	var pe *PanicError
	require.ErrorAs(t, errs[0], &pe)
	assert.Equal(t, "boom", pe.Value)
	assert.Contains(t, string(pe.Stack), "TestPanicsAreRecovered")
	assert.Equal(t, []string{"p-1"}, ids)

	// After the response began, the connection is cut instead: net/http
	// recovers http.ErrAbortHandler quietly.
	before = false
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		serve(h, request{method: http.MethodGet, path: "/test/panic"})
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/test/panic")
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	assert.Error(t, err, "a cut-off response")
	assert.Eventually(t, func() bool { // reported on the server's goroutine
		mu.Lock()
		defer mu.Unlock()
		return len(errs) == 3
	}, 5*time.Second, time.Millisecond)

	// A panic in a worker of a stream stops the stream, not the process.
	var calls atomic.Int32
	err = process(context.Background(), strings.NewReader("{}\n{}\n{}\n"), 2, 10,
		func(context.Context, credit.RawRecord) int {
			if calls.Add(1) == 2 {
				panic("worker")
			}
			return 1
		}, func(int) error { return nil })
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "worker", pe.Value)
	p := h.streamProblem(httptest.NewRequest("GET", "/", nil), err)
	assert.Equal(t, CodeInternal, p.Code)

	// A fault of the service on a record is 500, not the register's 503
	// nor a client's 400.
	p = h.streamProblem(httptest.NewRequest("GET", "/", nil), fmt.Errorf("%w: %w", errInternal, errors.New("signing failed")))
	assert.Equal(t, CodeInternal, p.Code)
	assert.Equal(t, http.StatusInternalServerError, p.Status)
	p = h.streamProblem(httptest.NewRequest("GET", "/", nil), registerErr(errors.New("disk I/O error")))
	assert.Equal(t, CodeRegisterUnavailable, p.Code)
}

func TestOverloadedAndTimeout(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Limits = Limits{MaxInFlight: 2, Timeout: 300 * time.Millisecond} })
	srv := httptest.NewServer(e.h)
	defer srv.Close()

	// With every slot taken, a request is refused at once.
	e.h.inFlight <- struct{}{}
	e.h.inFlight <- struct{}{}
	r, err := srv.Client().Post(srv.URL+"/v1/score", "application/x-ndjson", strings.NewReader("{}"))
	require.NoError(t, err)
	var p Problem
	require.NoError(t, json.NewDecoder(r.Body).Decode(&p))
	r.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, r.StatusCode)
	assert.Equal(t, CodeOverloaded, p.Code)
	assert.Equal(t, "1", r.Header.Get("Retry-After"))
	<-e.h.inFlight
	<-e.h.inFlight

	// A request whose body never ends is answered TIMEOUT at its
	// deadline, and frees its slot.
	pr, pw := io.Pipe()
	defer pw.Close()
	go pw.Write([]byte(" "))
	r, err = srv.Client().Post(srv.URL+"/v1/validate", "application/x-ndjson", pr)
	require.NoError(t, err)
	require.NoError(t, json.NewDecoder(r.Body).Decode(&p))
	r.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, r.StatusCode)
	assert.Equal(t, CodeTimeout, p.Code)
	assert.Eventually(t, func() bool { return len(e.h.inFlight) == 0 }, 5*time.Second, time.Millisecond)

	r, err = srv.Client().Post(srv.URL+"/v1/validate", "application/x-ndjson", strings.NewReader(samples(t, "kz")))
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, http.StatusOK, r.StatusCode)
}

// TestClientGoneStopsWork checks that a stream stops when its request's
// context ends, as when the client goes away.
func TestClientGoneStopsWork(t *testing.T) {
	h, err := New(Options{})
	require.NoError(t, err)
	var read atomic.Int64
	body := &endless{line: []byte(strings.SplitAfter(samples(t, "kz"), "\n")[0]), read: &read}
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequest(http.MethodPost, "/v1/validate", body).WithContext(ctx)
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { h.ServeHTTP(w, r); close(done) }()
	require.Eventually(t, func() bool { return read.Load() > 100 }, 10*time.Second, time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the handler did not stop when the request's context ended")
	}
	// The stream's reader may finish the Read it was in when the context
	// ended (credit's streams return without waiting for it); after that,
	// nothing more is read.
	time.Sleep(20 * time.Millisecond)
	n := read.Load()
	time.Sleep(50 * time.Millisecond)
	assert.Equal(t, n, read.Load(), "no more records are read")
}

// endless is a body of one record repeated for ever.
type endless struct {
	line []byte
	read *atomic.Int64
}

func (e *endless) Read(p []byte) (int, error) {
	e.read.Add(1)
	return copy(p, e.line), nil
}

// TestBodyUnreadable checks a body that fails before its end.
func TestBodyUnreadable(t *testing.T) {
	h, err := New(Options{})
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodPost, "/v1/validate", io.MultiReader(strings.NewReader("{"), errReader{}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, CodeBodyUnreadable, problemOf(t, w).Code)
	assert.Equal(t, http.StatusBadRequest, w.Code)
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestReadyz(t *testing.T) {
	e := newEnv(t, nil)
	w := serve(e.h, request{method: http.MethodGet, path: "/readyz"})
	assert.Equal(t, http.StatusOK, w.Code)
	assert.JSONEq(t, `{"status":"ready"}`, w.Body.String())
	require.NoError(t, e.reg.Close())
	w = serve(e.h, request{method: http.MethodGet, path: "/readyz"})
	assert.Equal(t, CodeNotReady, problemOf(t, w).Code)
	assert.Equal(t, "5", w.Header().Get("Retry-After"))

	// A closed register fails issuing and status changes with
	// REGISTER_UNAVAILABLE, reported to OnError.
	var reported atomic.Int32
	e.h.opts.OnError = func(*http.Request, error) { reported.Add(1) }
	w = post(e.h, "/v1/certificates", samples(t, "kz"))
	assert.Equal(t, CodeRegisterUnavailable, problemOf(t, w).Code)
	w = post(e.h, "/v1/certificates/urn:uuid:00000000-0000-8000-8000-000000000000/revoke", "")
	assert.Equal(t, CodeRegisterUnavailable, problemOf(t, w).Code)
	assert.Equal(t, int32(2), reported.Load())
	assert.ErrorIs(t, e.reg.Ping(context.Background()), register.ErrClosed)
}

func TestNewRefusesBadOptions(t *testing.T) {
	e := newEnv(t, nil)
	for name, o := range map[string]Options{
		"key without register": {Key: testKey(1)},
		"register without key": {Register: e.reg},
		"short key":            {Key: testKey(1)[:10], Register: e.reg},
		"issuer without key":   {Issuer: "https://agency.example"},
		"relative issuer":      {Key: testKey(1), Register: e.reg, Issuer: "agency"},
		"another did:key":      {Key: testKey(1), Register: e.reg, Issuer: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"},
		"negative limits":      {Limits: Limits{Timeout: -1}},
		"negative cache":       {StatusCacheMaxAge: -1},
	} {
		_, err := New(o)
		assert.Error(t, err, name)
	}
	_, err := New(Options{Key: testKey(1), Register: e.reg, Issuer: "https://agency.example"})
	assert.NoError(t, err)
}
