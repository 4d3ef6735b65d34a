package postgres_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
	"github.com/creditsco/creditsco/credit/register/internal/pgtest"
	"github.com/creditsco/creditsco/credit/register/internal/registertest"
	"github.com/creditsco/creditsco/credit/service"
)

// The load: loadClients clients issue loadCertificates certificates
// through two server processes, revoking every loadRevokeEvery-th, for
// at most loadTime; the second process is killed once loadKillAt
// certificates were issued.
const (
	loadClients      = 8
	loadCertificates = 2000
	loadRevokeEvery  = 4
	loadKillAt       = loadCertificates / 3
	loadTime         = 60 * time.Second
)

// loadIssueTime is where the servers' clocks start (-clock), a day after
// the sample records' assessment date.
var loadIssueTime = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// loadToken is the servers' bearer token.
const loadToken = "load-test-token-0123456789abcdef"

// TestLoad runs two examples/server processes on one PostgreSQL register
// with many concurrent clients issuing and revoking over loopback HTTP,
// kills one with SIGKILL in the middle, and then checks the register:
// every certificate and revocation a process acknowledged is there and
// published, no index is shared, and every row is whole.
func TestLoad(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	key := registertest.Key(1)
	reg, err := register.Open(ctx, dsn, registertest.Create(registertest.NewClock(loadIssueTime)))
	require.NoError(t, err)
	require.NoError(t, reg.Close())
	samples, err := certifiableSamples(ctx)
	require.NoError(t, err)

	bin, dir := buildServer(t), t.TempDir()
	keyFile, tokenFile := filepath.Join(dir, "issuer.key"), filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(keyFile, cert.MarshalKeyFile(key), 0o600))
	require.NoError(t, os.WriteFile(tokenFile, []byte(loadToken+"\n"), 0o600))
	start := time.Now() // the servers' clocks are at most this far past loadIssueTime
	a, b := startServer(t, bin, "a", dsn, keyFile, tokenFile), startServer(t, bin, "b", dsn, keyFile, tokenFile)
	deadline := time.Now().Add(loadTime)
	var (
		next, issued atomic.Int64
		killOnce     sync.Once
		killed       atomic.Bool
		mu           sync.Mutex
		acked        = map[string][]byte{} // certificate id → certificate
		ackedBy      = map[string]int{}
		revoked      = map[string]bool{}
		failed       atomic.Int64
		wg           sync.WaitGroup
	)
	for range loadClients {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				n := next.Add(1) - 1
				if n >= loadCertificates {
					return
				}
				p := a
				if n%2 == 1 && !killed.Load() {
					p = b
				}
				rec := maps.Clone(samples[int(n)%len(samples)])
				rec["record_id"] = fmt.Sprintf("load-%d", n)
				body, _ := json.Marshal(rec)
				out, err := p.call("/v1/certificates", body)
				if err != nil {
					failed.Add(1) // not acknowledged: the killed process, or a failure
					continue
				}
				var res service.IssueResult
				if err := json.Unmarshal(out, &res); err != nil || res.Status != service.StatusIssued {
					t.Errorf("issue %d: %v %s", n, err, out)
					return
				}
				mu.Lock()
				acked[res.ID] = res.Certificate
				ackedBy[p.name]++
				mu.Unlock()
				if issued.Add(1) == loadKillAt {
					killOnce.Do(func() { killed.Store(true); b.kill(t) })
				}
				if n%loadRevokeEvery == 0 {
					// Acknowledged only once the lists showing it are published.
					if _, err := p.call("/v1/certificates/"+res.ID+"/revoke", nil); err == nil {
						mu.Lock()
						revoked[res.ID] = true
						mu.Unlock()
					}
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	require.True(t, killed.Load(), "the second process was not killed: only %d certificates issued", issued.Load())
	a.stop(t)
	t.Logf("in %s: %d certificates acknowledged (%v), %d revocations, %d requests not acknowledged",
		elapsed.Round(time.Millisecond), len(acked), ackedBy, len(revoked), failed.Load())
	require.Greater(t, ackedBy["b"], 0, "the killed process acknowledged nothing before it was killed")

	// The register opens (its consistency check passes after the kill).
	reg, err = register.Open(ctx, dsn, register.Options{})
	require.NoError(t, err)
	defer reg.Close()
	at := loadIssueTime.Add(time.Since(start) + time.Second) // after every publication
	fetcher, err := register.NewFetcher(ctx, reg)
	require.NoError(t, err)
	vopts := cert.CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, Now: at, Status: fetcher}

	// Every acknowledged certificate is in the register with its entries
	// and record digest, and verifies against the latest lists, revoked
	// exactly if its revocation was acknowledged.
	for id, doc := range acked {
		var c cert.Certificate
		require.NoError(t, json.Unmarshal(doc, &c))
		e, err := reg.Status(ctx, id)
		require.NoError(t, err, "acknowledged certificate %s is missing", id)
		assert.Equal(t, c.CredentialStatus, e.StatusEntries, id)
		assert.Equal(t, c.CredentialSubject.RecordDigest, e.RecordDigest, id)
		_, err = cert.VerifyCertificate(ctx, doc, vopts)
		if revoked[id] {
			assert.True(t, e.Revoked, id)
			assert.ErrorIs(t, err, cert.ErrRevoked, id)
		} else {
			assert.NoError(t, err, id)
		}
	}
	// No index is shared, and every row is whole: also those of
	// certificates whose issue was not acknowledged.
	info, err := reg.Info(ctx)
	require.NoError(t, err)
	seen := map[[2]int]string{}
	var all int64
	for after := ""; ; {
		page, err := reg.Certificates(ctx, after, register.MaxPage)
		require.NoError(t, err)
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			all++
			k := [2]int{e.List, e.Index}
			require.Empty(t, seen[k], "index %v of %s and %s", k, seen[k], e.ID)
			seen[k] = e.ID
			assert.True(t, strings.HasPrefix(e.RecordDigest, "sha256:") && !e.ValidFrom.IsZero() && !e.Recorded.IsZero(), "half-written row %+v", e)
			assert.Equal(t, cert.StatusIndex(int(e.Number), info.ListLength), e.Index, e.ID)
		}
		after = page[len(page)-1].ID
	}
	assert.Equal(t, info.Certificates, all)
	assert.GreaterOrEqual(t, all, int64(len(acked)))
	t.Logf("%d certificates in the register, %d of them not acknowledged; %d publications", all, all-int64(len(acked)), info.Last.Version)
}

// buildServer builds examples/server into a temporary directory.
func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "server")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/creditsco/creditsco/examples/server").CombinedOutput()
	require.NoError(t, err, "go build examples/server: %s", out)
	return bin
}

// A server is an examples/server process of TestLoad.
type server struct {
	name string
	cmd  *exec.Cmd
	base string
	http *http.Client
	logs chan string // its log after the listening line, when it has exited
}

// startServer starts the server bin on the register at dsn and waits
// until it listens.
func startServer(t *testing.T, bin, name, dsn, keyFile, tokenFile string) *server {
	t.Helper()
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-key", keyFile, "-register", dsn, "-token-file", tokenFile,
		"-clock", loadIssueTime.Format(time.RFC3339), "-log", "json")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stderr)
	s := &server{name: name, cmd: cmd, http: &http.Client{Timeout: 20 * time.Second}, logs: make(chan string, 1)}
	for s.base == "" && sc.Scan() {
		var l struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Msg == "listening" {
			s.base = "http://" + l.Addr
		}
	}
	require.NotEmpty(t, s.base, "server %s did not start", name)
	go func() {
		var b strings.Builder
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
		}
		s.logs <- b.String()
	}()
	return s
}

// call posts body to the server's path with the token and returns the
// body of a 200 response: one NDJSON line.
func (s *server) call(path string, body []byte) ([]byte, error) {
	req, err := http.NewRequest(http.MethodPost, s.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+loadToken)
	req.Header.Set("Accept", service.NDJSONType)
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s: %s", path, resp.Status, out)
	}
	if bytes.Contains(out, []byte(`{"error":`)) {
		return nil, fmt.Errorf("%s: %s", path, out) // the stream failed after it began
	}
	return bytes.TrimSpace(out), nil
}

// kill kills the process with SIGKILL.
func (s *server) kill(t *testing.T) {
	require.NoError(t, s.cmd.Process.Kill())
}

// stop stops the process with SIGTERM, as an operator does, and checks
// that it shut down cleanly: exit status 0, the register closed.
func (s *server) stop(t *testing.T) {
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGTERM))
	// All of stderr is read before Wait, which closes the pipe (os/exec).
	logs := <-s.logs
	err := s.cmd.Wait()
	require.NoError(t, err, "server %s: %s", s.name, logs)
	assert.Contains(t, logs, `"msg":"stopped","exit":0`)
}

// certifiableSamples returns the bundled sample records that an issuer
// certifies at loadIssueTime, as JSON objects.
func certifiableSamples(ctx context.Context) ([]map[string]any, error) {
	eng, err := credit.NewScorer(credit.BuiltinRuleSets(), credit.EngineOptions{})
	if err != nil {
		return nil, err
	}
	files, err := filepath.Glob("../../../testdata/records/*.ndjson")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no sample records (%v)", err)
	}
	var out []map[string]any
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for line := range strings.Lines(string(data)) {
			if strings.TrimSpace(line) == "" {
				continue
			}
			res, err := eng.ScoreJSON(ctx, []byte(line))
			if err != nil {
				return nil, err
			}
			if res.Assessment == nil {
				return nil, res.Problems
			}
			if _, _, err := cert.Issue(res.Assessment, cert.IssueOptions{Key: registertest.Key(1), Now: loadIssueTime}); errors.Is(err, cert.ErrNotCertifiable) {
				continue
			} else if err != nil {
				return nil, err
			}
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				return nil, err
			}
			out = append(out, rec)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no certifiable sample record")
	}
	return out, nil
}
