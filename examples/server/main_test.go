package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
	"github.com/creditsco/creditsco/credit/service"
)

const clock = "2026-10-01T09:00:00Z"

// writeKey writes a key file and returns its name and the key.
func writeKey(t *testing.T, dir string, seed byte) (string, ed25519.PrivateKey) {
	t.Helper()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	name := filepath.Join(dir, fmt.Sprintf("issuer-%d.key", seed))
	require.NoError(t, os.WriteFile(name, cert.MarshalKeyFile(key), 0o600))
	return name, key
}

// syncBuffer is a log that the server writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// started is a server run in-process.
type started struct {
	base   string
	cancel context.CancelFunc
	exit   chan int
	log    *syncBuffer
}

// testStatusURL is the lists' base URL of the registers the tests create.
const testStatusURL = "http://status.test/v1/status"

// start runs the server with args in-process until stop.
func start(t *testing.T, args ...string) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	s := &started{cancel: cancel, exit: make(chan int, 1), log: &syncBuffer{}}
	// Port 0 names no address clients can reach again, so a new register
	// needs its lists' URL.
	go func() {
		s.exit <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-status-url", testStatusURL}, args...), s.log, ready)
	}()
	select {
	case addr := <-ready:
		s.base = "http://" + addr
	case code := <-s.exit:
		t.Fatalf("the server exited %d: %s", code, s.log.String())
	}
	t.Cleanup(func() { cancel() })
	return s
}

// stop stops the server and returns its exit status.
func (s *started) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.exit:
		return code
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop")
		return -1
	}
}

// call makes a request and returns the status and body.
func call(t *testing.T, method, url, body string, header ...string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

func lines[T any](t *testing.T, body []byte) []T {
	t.Helper()
	var out []T
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var v T
		require.NoError(t, json.Unmarshal(sc.Bytes(), &v), "%s", sc.Bytes())
		out = append(out, v)
	}
	return out
}

// TestServer runs the server on a SQLite register and goes through what
// the README shows: validate, score, issue, verify, revoke, fetch the
// status list; then stops it and reopens the register.
func TestServer(t *testing.T) {
	dir := t.TempDir()
	keyFile, key := writeKey(t, dir, 1)
	db := filepath.Join(dir, "register.db")
	tokenFile := filepath.Join(dir, "token")
	s := start(t, "-key", keyFile, "-register", "sqlite:"+db, "-token-file", tokenFile, "-clock", clock,
		"-rates", "../../testdata/fx/rates-2025-12-31.json")
	token, err := os.ReadFile(tokenFile)
	require.NoError(t, err)
	fi, err := os.Stat(tokenFile)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	auth := "Bearer " + strings.TrimSpace(string(token))
	records, err := os.ReadFile("../../testdata/records/kz.ndjson")
	require.NoError(t, err)
	nd := service.NDJSONType

	status, body := call(t, "GET", s.base+"/readyz", "")
	assert.Equal(t, http.StatusOK, status, "%s", body)
	status, body = call(t, "POST", s.base+"/v1/validate", string(records), "Accept", nd)
	require.Equal(t, http.StatusOK, status, "%s", body)
	assert.Len(t, lines[service.ValidateResult](t, body), 3)
	status, body = call(t, "POST", s.base+"/v1/score", string(records), "Accept", nd)
	require.Equal(t, http.StatusOK, status, "%s", body)
	scored := lines[service.ScoreResult](t, body)
	require.Len(t, scored, 3)
	for _, c := range scored[0].Profile.Characteristics {
		if c.Indicator == "fin.size_usd" {
			assert.NotNil(t, c.Value, "-rates is used: %+v", c)
		}
	}

	status, _ = call(t, "POST", s.base+"/v1/certificates", string(records), "Accept", nd)
	assert.Equal(t, http.StatusUnauthorized, status, "without the token")
	status, body = call(t, "POST", s.base+"/v1/certificates", string(records), "Accept", nd, "Authorization", auth)
	require.Equal(t, http.StatusOK, status, "%s", body)
	var certs []string
	var ids []string
	for _, r := range lines[service.IssueResult](t, body) {
		if r.Status == service.StatusIssued {
			certs = append(certs, string(r.Certificate))
			ids = append(ids, r.ID)
		}
	}
	require.Len(t, certs, 2)
	var c cert.Certificate
	require.NoError(t, json.Unmarshal([]byte(certs[0]), &c))
	assert.True(t, strings.HasPrefix(c.CredentialStatus[0].StatusListCredential, testStatusURL+"/"), "the lists are at -status-url")

	verify := func() []string {
		status, body := call(t, "POST", s.base+"/v1/verify", strings.Join(certs, "\n"), "Accept", nd)
		require.Equal(t, http.StatusOK, status, "%s", body)
		var out []string
		for _, v := range lines[service.VerifyResult](t, body) {
			out = append(out, map[bool]string{true: "ok", false: v.Code}[v.Valid])
		}
		return out
	}
	assert.Equal(t, []string{"ok", "ok"}, verify())
	status, body = call(t, "POST", s.base+"/v1/certificates/"+ids[0]+"/revoke", "", "Authorization", auth)
	require.Equal(t, http.StatusOK, status, "%s", body)
	assert.Equal(t, []string{"REVOKED", "ok"}, verify())

	// The list is the one the certificate names, as a verifier fetches it
	// (-status-url stands for this server, as a proxy in front of it would).
	fetch := cert.FetcherFunc(func(ctx context.Context, url string) ([]byte, error) {
		status, body := call(t, "GET", strings.Replace(url, testStatusURL, s.base+"/v1/status", 1), "")
		if status != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %d", url, status)
		}
		return body, nil
	})
	from, err := time.Parse(time.RFC3339, c.ValidFrom)
	require.NoError(t, err)
	_, err = cert.VerifyCertificate(context.Background(), []byte(certs[0]), cert.CertificateVerifyOptions{
		TrustedKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, Now: from.Add(time.Minute), Status: fetch})
	assert.ErrorIs(t, err, cert.ErrRevoked)

	assert.Equal(t, exitOK, s.stop(t))
	log := s.log.String()
	assert.Contains(t, log, "msg=listening")
	assert.Contains(t, log, "path=/v1/certificates status=200")
	assert.Contains(t, log, "msg=stopped exit=0")

	// The register was closed cleanly: it opens, with the revocation.
	reg, err := register.Open(context.Background(), "sqlite:"+db, register.Options{})
	require.NoError(t, err)
	defer reg.Close()
	e, err := reg.Status(context.Background(), ids[0])
	require.NoError(t, err)
	assert.True(t, e.Revoked)

	// The same register with another key is refused; with its own, it
	// serves again.
	other, _ := writeKey(t, dir, 2)
	code := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-key", other, "-register", "sqlite:" + db}, io.Discard, nil)
	assert.Equal(t, exitUsage, code)
	s = start(t, "-key", keyFile, "-register", "sqlite:"+db, "-token-file", tokenFile, "-clock", clock)
	assert.Equal(t, exitOK, s.stop(t))
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	keyFile, _ := writeKey(t, dir, 1)
	bad := filepath.Join(dir, "bad.key")
	require.NoError(t, os.WriteFile(bad, []byte("not a key"), 0o600))
	tokens := filepath.Join(dir, "tokens")
	require.NoError(t, os.WriteFile(tokens, []byte("short\n"), 0o600))
	db := "sqlite:" + filepath.Join(dir, "r.db")
	for _, args := range [][]string{
		{"-nope"},
		{"extra"},
		{"-addr", "nowhere"},
		{"-key", keyFile},
		{"-register", db},
		{"-key", bad, "-register", db},
		{"-key", filepath.Join(dir, "missing.key"), "-register", db},
		{"-key", keyFile, "-register", "mysql://x"},
		{"-key", keyFile, "-register", "sqlite:" + filepath.Join(dir, "no", "such", "dir.db")},
		{"-key", keyFile, "-register", db, "-token-file", tokens},
		{"-key", keyFile, "-register", db, "-status-url", "ftp://x"},
		{"-key", keyFile, "-register", db, "-list-validity", "1ms"},
		{"-tls-cert", "a.pem"},
		{"-client-ca", "ca.pem"},
		{"-timeout", "0s"},
		{"-clock", "yesterday"},
		{"-log", "xml"},
		{"-rates", "../../testdata/records/kz.ndjson"},
		{"-trust", keyFile},
	} {
		var log bytes.Buffer
		code := run(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, args...), &log, nil)
		assert.Equal(t, exitUsage, code, "%q: %s", args, log.String())
		assert.NotEmpty(t, log.String(), "%q says why", args)
	}
	// An address in use.
	s := start(t)
	code := run(context.Background(), []string{"-addr", strings.TrimPrefix(s.base, "http://")}, io.Discard, nil)
	assert.Equal(t, exitUsage, code)
	assert.Equal(t, exitOK, s.stop(t))
}

// envProcess, set, makes the test binary the server (TestServerProcess),
// with the arguments in the variable, one per line.
const envProcess = "CREDITSCO_SERVER_ARGS"

// TestServerProcess is the server as a process of its own for
// TestGracefulShutdown, not a test of its own.
func TestServerProcess(t *testing.T) {
	args := os.Getenv(envProcess)
	if args == "" {
		t.Skip("the server process of TestGracefulShutdown")
	}
	main0(strings.Split(args, "\n"))
}

// main0 is main with args.
func main0(args []string) {
	os.Args = append([]string{"server"}, args...)
	main()
}

// TestGracefulShutdown sends SIGTERM to a server process while a request
// is in flight: the request finishes with all its results, the process
// exits 0, and the register is closed cleanly.
func TestGracefulShutdown(t *testing.T) {
	dir := t.TempDir()
	keyFile, _ := writeKey(t, dir, 3)
	db := filepath.Join(dir, "register.db")
	tokenFile := filepath.Join(dir, "token")
	cmd := exec.Command(os.Args[0], "-test.run=^TestServerProcess$")
	cmd.Env = append(os.Environ(), envProcess+"="+strings.Join([]string{"-addr", "127.0.0.1:0", "-status-url", testStatusURL, "-key", keyFile,
		"-register", "sqlite:" + db, "-token-file", tokenFile, "-clock", clock, "-log", "json"}, "\n"))
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	logs := bufio.NewScanner(stderr)
	var base string
	var logged []string
	for base == "" && logs.Scan() {
		logged = append(logged, logs.Text())
		var l struct{ Msg, Addr string }
		if json.Unmarshal(logs.Bytes(), &l) == nil && l.Msg == "listening" {
			base = "http://" + l.Addr
		}
	}
	require.NotEmpty(t, base, "no listening line: %s", logged)
	rest := make(chan []string)
	go func() {
		var out []string
		for logs.Scan() {
			out = append(out, logs.Text())
		}
		rest <- out
	}()
	token, err := os.ReadFile(tokenFile)
	require.NoError(t, err)
	records, err := os.ReadFile("../../testdata/records/cn.ndjson")
	require.NoError(t, err)

	// A request whose body is still coming when the signal arrives.
	pr, pw := io.Pipe()
	sent := make(chan struct{})
	trace := &httptrace.ClientTrace{WroteHeaders: func() { close(sent) }}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodPost, base+"/v1/certificates", pr)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	req.Header.Set("Accept", service.NDJSONType)
	type result struct {
		status int
		body   []byte
		err    error
	}
	done := make(chan result)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		done <- result{resp.StatusCode, b, err}
	}()
	recs := strings.SplitAfter(string(records), "\n")
	pw.Write([]byte(recs[0]))
	<-sent
	time.Sleep(300 * time.Millisecond) // the server has read the headers: the request is in flight
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	time.Sleep(300 * time.Millisecond)
	pw.Write([]byte(recs[1] + recs[2]))
	pw.Close()
	r := <-done
	require.NoError(t, r.err)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	got := lines[service.IssueResult](t, r.body)
	require.Len(t, got, 3, "every record of the request in flight")
	assert.Equal(t, service.StatusIssued, got[1].Status)

	// All of stderr is read before Wait, which closes the pipe (os/exec).
	out := <-rest
	require.NoError(t, cmd.Wait(), "exit status 0")
	assert.Contains(t, strings.Join(out, "\n"), `"msg":"stopped"`)
	// New connections are refused.
	_, err = http.Get(base + "/healthz")
	assert.Error(t, err)
	reg, err := register.Open(context.Background(), "sqlite:"+db, register.Options{})
	require.NoError(t, err)
	defer reg.Close()
	info, err := reg.Info(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(2), info.Certificates)
}

// TestReadmeServerLine checks that the README's demo starts the server
// with flags it takes (.ci/service-demo runs the whole demo).
func TestReadmeServerLine(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(readme), "<!-- service-demo: server -->")
	require.True(t, ok, "README.md has no service-demo server block")
	var line string
	for l := range strings.Lines(rest) {
		if f, ok := strings.CutPrefix(strings.TrimSpace(l), "go run ./examples/server "); ok {
			line = f
			break
		}
	}
	require.NotEmpty(t, line, "no go run ./examples/server line")
	cfg, err := parseFlags(strings.Fields(line), io.Discard)
	require.NoError(t, err, line)
	assert.NotEmpty(t, cfg.keyFile)
	assert.NotEmpty(t, cfg.tokenFile, "the demo issues: it needs a token")
	assert.False(t, cfg.clock.IsZero(), "the demo's records are of a past date")
}

// TestStatusURLNeeded checks that a new register is not created with lists
// at an address no client can reach again: any host, or port 0.
func TestStatusURLNeeded(t *testing.T) {
	dir := t.TempDir()
	keyFile, _ := writeKey(t, dir, 5)
	for _, addr := range []string{"127.0.0.1:0", "0.0.0.0:0", "[::]:0", ":0"} {
		var log syncBuffer
		db := filepath.Join(dir, "r.db")
		code := run(context.Background(), []string{"-addr", addr, "-key", keyFile, "-register", "sqlite:" + db}, &log, nil)
		assert.Equal(t, exitUsage, code, addr)
		assert.Contains(t, log.String(), "give -status-url", addr)
		assert.NoFileExists(t, db, "%s: no register created", addr)
	}
	assert.True(t, reachable("127.0.0.1:8080"))
	assert.True(t, reachable("credit.example:443"))
	assert.False(t, reachable(":8080"))
	assert.False(t, reachable("0.0.0.0:8080"))
}
