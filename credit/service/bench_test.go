package service

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// benchClients is the number of concurrent clients per GOMAXPROCS of the
// benchmarks (b.SetParallelism).
const benchClients = 2

// measure runs op on concurrent clients and reports the throughput and
// the median and 99th percentile latency of one op, in microseconds.
func measure(b *testing.B, op func(n int64) error) {
	var (
		mu   sync.Mutex
		lat  []time.Duration
		next atomic.Int64
	)
	b.SetParallelism(benchClients)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		local := make([]time.Duration, 0, 1024)
		for pb.Next() {
			t := time.Now()
			if err := op(next.Add(1)); err != nil {
				b.Error(err)
				return
			}
			local = append(local, time.Since(t))
		}
		mu.Lock()
		lat = append(lat, local...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// benchRecord is the first KZ sample with the record_id bench-N, so that
// every issue is of another record (another certificate).
func benchRecord(b *testing.B) func(n int64) []byte {
	line := strings.SplitAfter(samples(b, "kz"), "\n")[0]
	return func(n int64) []byte {
		return []byte(strings.Replace(line, `"record_id":"kz-001"`, fmt.Sprintf(`"record_id":"bench-%d"`, n), 1))
	}
}

// benchCertificate issues one certificate for the verify benchmarks.
func benchCertificate(b *testing.B, e *env) []byte {
	got := issueAll(&testing.T{}, e, samples(b, "kz"))
	if len(got) == 0 || got[0].Status != StatusIssued {
		b.Fatal("no certificate")
	}
	return got[0].Certificate
}

// BenchmarkHTTP measures score, issue and verify of one record or
// certificate per request over loopback HTTP, with 2 clients per CPU:
// JSON in and out, a SQLite register (WAL, synchronous=FULL) for issue.
func BenchmarkHTTP(b *testing.B) {
	e := newEnv(b, nil)
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	record := benchRecord(b)
	do := func(path string, body []byte) error {
		req, err := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK || !bytes.Contains(out, []byte(`"index":1`)) || bytes.Contains(out, []byte(`"error"`)) {
			return fmt.Errorf("%s: %d %s", path, resp.StatusCode, out)
		}
		return nil
	}
	b.Run("score", func(b *testing.B) {
		measure(b, func(n int64) error { return do("/v1/score", record(n)) })
	})
	b.Run("issue", func(b *testing.B) {
		measure(b, func(n int64) error { return do("/v1/certificates", record(n)) })
	})
	doc := benchCertificate(b, e)
	b.Run("verify", func(b *testing.B) {
		measure(b, func(int64) error { return do("/v1/verify", doc) })
	})
}

// BenchmarkHTTPFloor is the floor of BenchmarkHTTP: the same requests
// (one record in, a response of the size of a score result out) to a
// handler that only reads the body and writes a fixed response, on the
// same loopback server and client.
func BenchmarkHTTPFloor(b *testing.B) {
	out := bytes.Repeat([]byte("x"), 6<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", JSONType)
		w.Write(out)
	}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	record := benchRecord(b)
	measure(b, func(n int64) error {
		resp, err := client.Post(srv.URL, JSONType, bytes.NewReader(record(n)))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	})
}

// BenchmarkInProcess measures the same work without HTTP, with as many
// concurrent callers: Scorer.ScoreJSON; Scorer.ScoreJSON and cert.Issue
// recording in the same kind of SQLite register; cert.VerifyCertificate
// reading the register's lists.
func BenchmarkInProcess(b *testing.B) {
	e := newEnv(b, nil)
	ctx := context.Background()
	sc, err := credit.NewScorer(credit.BuiltinRuleSets(), credit.EngineOptions{})
	if err != nil {
		b.Fatal(err)
	}
	record := benchRecord(b)
	b.Run("score", func(b *testing.B) {
		measure(b, func(n int64) error {
			res, err := sc.ScoreJSON(ctx, record(n))
			if err == nil && !res.Valid() {
				err = res.Problems
			}
			return err
		})
	})
	b.Run("issue", func(b *testing.B) {
		measure(b, func(n int64) error {
			res, err := sc.ScoreJSON(ctx, record(n))
			if err != nil {
				return err
			}
			_, _, err = cert.Issue(res.Assessment, cert.IssueOptions{Key: e.key, Now: e.clock.Now(), Status: e.reg})
			return err
		})
	})
	doc := benchCertificate(b, e)
	fetcher, err := register.NewFetcher(ctx, e.reg)
	if err != nil {
		b.Fatal(err)
	}
	opts := e.h.verify
	opts.Now, opts.Status = e.clock.Now(), fetcher
	b.Run("verify", func(b *testing.B) {
		measure(b, func(int64) error {
			_, err := cert.VerifyCertificate(ctx, doc, opts)
			return err
		})
	})
}
