package service

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
	_ "github.com/creditsco/creditsco/credit/register/sqlite"
)

// t0 is the time of the tests' clocks: a day after the sample records'
// assessment date.
var t0 = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// testToken is the bearer token of the issuing handlers of the tests.
const testToken = "test-token-0123456789abcdef"

// testBase is the base URL of the tests' registers.
const testBase = "http://issuer.test/v1/status"

// testKey returns a fixed Ed25519 key.
func testKey(n byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{n}, ed25519.SeedSize))
}

// A clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is an issuing handler on a SQLite register of its own.
type env struct {
	h     *Handler
	reg   register.Register
	clock *clock
	key   ed25519.PrivateKey
}

// newEnv returns an issuing handler with a fresh SQLite register, a
// clock at t0, the bearer token testToken, and trust in its own key;
// edit changes the options before New.
func newEnv(t testing.TB, edit func(*Options)) *env {
	t.Helper()
	c := &clock{t: t0}
	reg, err := register.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "register.db"),
		register.Options{Create: &register.Settings{BaseURL: testBase}, Now: c.Now})
	require.NoError(t, err)
	t.Cleanup(func() { reg.Close() })
	key := testKey(7)
	auth, err := BearerTokens(testToken)
	require.NoError(t, err)
	opts := Options{Key: key, Register: reg, Auth: auth, Now: c.Now}
	opts.Verify.TrustedKeys = []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}
	if edit != nil {
		edit(&opts)
	}
	h, err := New(opts)
	require.NoError(t, err)
	return &env{h: h, reg: reg, clock: c, key: key}
}

// request is one request of a test.
type request struct {
	method, path string
	body         string
	header       map[string]string
	token        bool // send testToken
}

// serve runs req through h.
func serve(h http.Handler, req request) *httptest.ResponseRecorder {
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(req.body)
	}
	r := httptest.NewRequest(req.method, req.path, body)
	for k, v := range req.header {
		r.Header.Set(k, v)
	}
	if req.token {
		r.Header.Set("Authorization", "Bearer "+testToken)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// post posts body to path, with the token, asking for NDJSON.
func post(h http.Handler, path, body string) *httptest.ResponseRecorder {
	return serve(h, request{method: http.MethodPost, path: path, body: body, token: true, header: map[string]string{"Accept": NDJSONType}})
}

// lines decodes an NDJSON body into one T per line.
func lines[T any](t testing.TB, body []byte) []T {
	t.Helper()
	var out []T
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var v T
		require.NoError(t, json.Unmarshal(sc.Bytes(), &v), "%s", sc.Bytes())
		out = append(out, v)
	}
	require.NoError(t, sc.Err())
	return out
}

// samples returns the bundled sample records of the countries, NDJSON.
func samples(t testing.TB, countries ...string) string {
	t.Helper()
	var b strings.Builder
	for _, c := range countries {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "records", c+".ndjson"))
		require.NoError(t, err)
		b.Write(data)
	}
	return b.String()
}

// problemOf decodes a problem response and checks its form.
func problemOf(t testing.TB, w *httptest.ResponseRecorder) Problem {
	t.Helper()
	require.Equal(t, ProblemContentType, w.Header().Get("Content-Type"), w.Body.String())
	var p Problem
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &p))
	require.Equal(t, w.Code, p.Status)
	require.Equal(t, ProblemTypeBase+p.Code, p.Type)
	require.NotEmpty(t, p.Title)
	require.Equal(t, w.Header().Get(RequestIDHeader), p.RequestID)
	return p
}

// rawOf is a document as the Reader cuts it.
func rawOf(doc []byte) credit.RawRecord { return credit.RawRecord{Index: 1, Data: doc} }

// codeOf is cert.Code.
func codeOf(err error) string { return cert.Code(err) }

// lateRuleSets is a registry in which no rule set is in effect before
// 2026-01-01: the fallback is pinned to a copy of SCO-BASE effective from
// then, so that a recognition table as of an earlier date has no rule set.
func lateRuleSets(t testing.TB) *credit.RuleSetRegistry {
	t.Helper()
	reg := credit.BuiltinRuleSets()
	def := credit.RuleSet{ID: "SCO-BASE-2026", Version: "1.0.0", Extends: credit.SCOBaseID, EffectiveFrom: "2026-01-01",
		Description: "SCO-BASE, in effect from 2026 only (a test of selection by date).",
		Sources:     []credit.Source{{ID: "test", Title: "Test registry"}}}
	rs, err := credit.NewRuleSet(def)
	require.NoError(t, err)
	require.NoError(t, reg.Register(rs))
	require.NoError(t, reg.SetDefault("", def.ID))
	return reg
}
