package postgres_test

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
	"github.com/creditsco/creditsco/credit/register/internal/pgtest"
	"github.com/creditsco/creditsco/credit/register/internal/registertest"
)

// envIssuer, set to a register URL, makes the test binary an issuer
// process (TestLoadIssuerProcess) of TestLoad.
const envIssuer = "CREDITSCO_LOAD_ISSUER"

// The load: loadClients clients issue loadCertificates certificates
// through two issuer processes, revoking every loadRevokeEvery-th, for
// at most loadTime; the second process is killed once loadKillAt
// certificates were issued.
const (
	loadClients      = 8
	loadCertificates = 2000
	loadRevokeEvery  = 4
	loadKillAt       = loadCertificates / 3
	loadTime         = 30 * time.Second
)

// loadIssueTime is the time of issue of the load's certificates, a day
// after the sample records' assessment date.
var loadIssueTime = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// TestLoad runs two issuer processes on one PostgreSQL register with
// many concurrent clients issuing and revoking over loopback HTTP, kills
// one with SIGKILL in the middle, and then checks the register: every
// certificate and revocation a process acknowledged is there and
// published, no index is shared, and every row is whole.
func TestLoad(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	key := registertest.Key(1)
	reg, err := register.Open(ctx, dsn, registertest.Create(registertest.NewClock(loadIssueTime)))
	require.NoError(t, err)
	_, err = reg.Publish(ctx, key, loadIssueTime)
	require.NoError(t, err)
	require.NoError(t, reg.Close())

	a, b := startIssuer(t, "a", dsn), startIssuer(t, "b", dsn)
	start := time.Now()
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
				doc, err := p.call("issue", strconv.FormatInt(n, 10))
				if err != nil {
					failed.Add(1) // not acknowledged: the killed process, or a failure
					continue
				}
				var c cert.Certificate
				if err := json.Unmarshal(doc, &c); err != nil {
					t.Errorf("issue %d: %v", n, err)
					return
				}
				mu.Lock()
				acked[c.ID] = doc
				ackedBy[p.name]++
				mu.Unlock()
				if issued.Add(1) == loadKillAt {
					killOnce.Do(func() { killed.Store(true); b.kill(t) })
				}
				if n%loadRevokeEvery == 0 {
					if _, err := p.call("revoke", c.ID); err == nil {
						mu.Lock()
						revoked[c.ID] = true
						mu.Unlock()
					}
				}
			}
		})
	}
	stopPublishing := make(chan struct{})
	var pubWG sync.WaitGroup
	pubWG.Go(func() { // publish all along, as an issuing service does
		for k := 1; ; k++ {
			select {
			case <-stopPublishing:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if _, err := a.call("publish", strconv.Itoa(k)); err != nil {
				t.Errorf("publish: %v", err)
				return
			}
		}
	})
	wg.Wait()
	elapsed := time.Since(start)
	close(stopPublishing)
	pubWG.Wait()
	require.True(t, killed.Load(), "the second process was not killed: only %d certificates issued", issued.Load())
	final, err := a.call("publish", "100000")
	require.NoError(t, err)
	a.stop(t)
	t.Logf("in %s: %d certificates acknowledged (%v), %d revocations, %d requests not acknowledged",
		elapsed.Round(time.Millisecond), len(acked), ackedBy, len(revoked), failed.Load())
	require.Greater(t, ackedBy["b"], 0, "the killed process acknowledged nothing before it was killed")

	// The register opens (its consistency check passes after the kill).
	reg, err = register.Open(ctx, dsn, register.Options{})
	require.NoError(t, err)
	defer reg.Close()
	at := loadIssueTime.Add(100000 * time.Second)
	require.Equal(t, at.Format(time.RFC3339), strings.TrimSpace(string(final)))
	fetcher, err := register.NewFetcher(ctx, reg)
	require.NoError(t, err)
	vopts := cert.CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, Now: at, Status: fetcher}

	// Every acknowledged certificate is in the register with its entries
	// and record digest, and verifies, revoked exactly if its revocation
	// was acknowledged.
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
	t.Logf("%d certificates in the register, %d of them not acknowledged", all, all-int64(len(acked)))
}

// An issuer is an issuer process of TestLoad.
type issuer struct {
	name  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	base  string
	http  *http.Client
}

// startIssuer starts the test binary as an issuer process on the
// register at dsn and waits until it listens.
func startIssuer(t *testing.T, name, dsn string) *issuer {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLoadIssuerProcess$", "-test.v=false")
	cmd.Env = append(os.Environ(), envIssuer+"="+dsn)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "issuer process %s did not start", name)
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	require.True(t, ok, "issuer process %s said %q", name, line)
	go io.Copy(io.Discard, stdout)
	return &issuer{name: name, cmd: cmd, stdin: stdin, base: "http://" + addr, http: &http.Client{Timeout: 20 * time.Second}}
}

// call posts to the issuer's endpoint op with argument arg and returns
// the body of a 200 response.
func (p *issuer) call(op, arg string) ([]byte, error) {
	resp, err := p.http.Post(p.base+"/"+op+"?arg="+arg, "text/plain", nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: %s: %s", op, arg, resp.Status, body)
	}
	return body, nil
}

// kill kills the process with SIGKILL.
func (p *issuer) kill(t *testing.T) {
	require.NoError(t, p.cmd.Process.Kill())
}

// stop asks the process to close its register and exit, and waits.
func (p *issuer) stop(t *testing.T) {
	require.NoError(t, p.stdin.Close())
	require.NoError(t, p.cmd.Wait())
}

// TestLoadIssuerProcess is the issuer process of TestLoad, not a test of
// its own: it serves, on a loopback port it prints, POST /issue?arg=N
// (the certificate of sample record N mod the certifiable samples, with
// record_id load-N), /revoke?arg=ID and /publish?arg=K (lists valid K
// seconds after the time of issue), until its standard input closes.
func TestLoadIssuerProcess(t *testing.T) {
	dsn := os.Getenv(envIssuer)
	if dsn == "" {
		t.Skip("the issuer process of TestLoad")
	}
	if err := serveIssuer(dsn); err != nil {
		fmt.Fprintln(os.Stderr, "issuer process:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func serveIssuer(dsn string) error {
	ctx := context.Background()
	reg, err := register.Open(ctx, dsn, register.Options{})
	if err != nil {
		return err
	}
	defer reg.Close()
	eng, err := credit.NewEngine(credit.DefaultRuleSet(), credit.EngineOptions{})
	if err != nil {
		return err
	}
	key := registertest.Key(1)
	iss, err := cert.NewIssuer(eng.RuleSet(), cert.IssueOptions{Key: key, Now: loadIssueTime, Status: reg})
	if err != nil {
		return err
	}
	samples, err := certifiableSamples(ctx, eng)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /issue", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("arg"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rec := maps.Clone(samples[n%len(samples)]) // requests run at once
		rec["record_id"] = fmt.Sprintf("load-%d", n)
		data, _ := json.Marshal(rec)
		a, err := eng.Assess(r.Context(), data)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		signed, _, err := iss.IssueContext(r.Context(), a)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Write(signed)
	})
	mux.HandleFunc("POST /revoke", func(w http.ResponseWriter, r *http.Request) {
		if err := reg.Revoke(r.Context(), r.URL.Query().Get("arg")); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("POST /publish", func(w http.ResponseWriter, r *http.Request) {
		k, err := strconv.Atoi(r.URL.Query().Get("arg"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		pub, err := reg.Publish(r.Context(), key, loadIssueTime.Add(time.Duration(k)*time.Second))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, pub.ValidFrom.Format(time.RFC3339))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	fmt.Printf("listening %s\n", ln.Addr())
	io.Copy(io.Discard, os.Stdin) // until the test closes it
	return srv.Shutdown(ctx)
}

// certifiableSamples returns the bundled sample records that the issuer
// certifies, as JSON objects.
func certifiableSamples(ctx context.Context, eng *credit.Engine) ([]map[string]any, error) {
	files, err := filepath.Glob("../../../testdata/records/*.ndjson")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no sample records (%v)", err)
	}
	plain, err := cert.NewIssuer(eng.RuleSet(), cert.IssueOptions{Key: registertest.Key(1), Now: loadIssueTime})
	if err != nil {
		return nil, err
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
			a, err := eng.Assess(ctx, []byte(line))
			if err != nil {
				return nil, err
			}
			if _, _, err := plain.Issue(a); errors.Is(err, cert.ErrNotCertifiable) {
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
