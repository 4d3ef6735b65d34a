package registertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
)

// Benchmarks of an implementation: newEnv gives each a database of its
// own.
func Benchmarks(b *testing.B, newEnv func(testing.TB) *Env) {
	b.Run("Floor", func(b *testing.B) { benchFloor(b, newEnv(b)) })
	b.Run("Allocate", func(b *testing.B) { benchAllocate(b, newEnv(b), 1) })
	b.Run("AllocateParallel", func(b *testing.B) { benchAllocate(b, newEnv(b), 0) })
	b.Run("AllocatePublish512", func(b *testing.B) { benchAllocatePublish(b, newEnv(b)) })
	b.Run("Publish", func(b *testing.B) { benchPublish(b, newEnv(b)) })
	b.Run("IssueFloor", func(b *testing.B) { benchIssue(b, nil) })
	b.Run("Issue", func(b *testing.B) { benchIssue(b, newEnv(b)) })
}

// benchAllocatePublish records certificates and publishes the lists
// after every 512th, as certify issue does: the cost per certificate of
// issuing with fresh lists.
func benchAllocatePublish(b *testing.B, env *Env) {
	ctx := context.Background()
	reg, err := env.Open(Create(NewClock(T0)))
	if err != nil {
		b.Fatal(err)
	}
	defer reg.Close()
	key := Key(1)
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		n++
		if _, err := reg.AllocateStatus(ctx, Certificate(fmt.Sprint(n), T0)); err != nil {
			b.Fatal(err)
		}
		if n%512 == 0 {
			if _, err := reg.Publish(ctx, key, T0.Add(time.Duration(n)*time.Second)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// benchIssue issues certificates of distinct assessments of the sample
// records with an Issuer whose StatusAllocator is env's register, or,
// for a nil env, without one: the floor, issuance alone.
func benchIssue(b *testing.B, env *Env) {
	ctx := context.Background()
	as, rs := assessments(b)
	opts := cert.IssueOptions{Key: Key(1)}
	if env != nil {
		reg, err := env.Open(Create(NewClock(T0)))
		if err != nil {
			b.Fatal(err)
		}
		defer reg.Close()
		opts.Status = reg
	}
	// Assessments repeat every len(as) certificates: each round of them
	// is issued at another second, so that every certificate is new.
	var iss *cert.Issuer
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		if n%len(as) == 0 {
			b.StopTimer()
			opts.Now = T0.Add(time.Duration(n/len(as)) * time.Second)
			var err error
			if iss, err = cert.NewIssuer(rs, opts); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		if _, _, err := iss.IssueContext(ctx, as[n%len(as)]); err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// assessments returns 256 distinct assessments of the certifiable sample
// records of testdata/records under SCO-BASE, made once per process.
func assessments(b *testing.B) ([]*credit.Assessment, *credit.RuleSet) {
	assessOnce.Do(func() {
		ctx := context.Background()
		eng, err := credit.NewEngine(credit.DefaultRuleSet(), credit.EngineOptions{})
		if err != nil {
			assessErr = err
			return
		}
		assessRS = eng.RuleSet()
		files, _ := filepath.Glob("../../../testdata/records/*.ndjson")
		plain, err := cert.NewIssuer(assessRS, cert.IssueOptions{Key: Key(1), Now: T0})
		if err != nil {
			assessErr = err
			return
		}
		var samples []map[string]any
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				assessErr = err
				return
			}
			for line := range strings.Lines(string(data)) {
				a, err := eng.Assess(ctx, []byte(line))
				if err != nil {
					assessErr = err
					return
				}
				if _, _, err := plain.Issue(a); err == nil {
					var rec map[string]any
					json.Unmarshal([]byte(line), &rec)
					samples = append(samples, rec)
				}
			}
		}
		if len(samples) == 0 {
			assessErr = errors.New("no certifiable sample record in ../../../testdata/records")
			return
		}
		for i := range 256 {
			rec := samples[i%len(samples)]
			rec["record_id"] = fmt.Sprintf("bench-%d", i)
			data, _ := json.Marshal(rec)
			a, err := eng.Assess(ctx, data)
			if err != nil {
				assessErr = err
				return
			}
			assessList = append(assessList, a)
		}
	})
	if assessErr != nil {
		b.Fatal(assessErr)
	}
	return assessList, assessRS
}

var (
	assessOnce sync.Once
	assessList []*credit.Assessment
	assessRS   *credit.RuleSet
	assessErr  error
)

// benchAllocate records certificates, one at a time (clients 1) or from
// GOMAXPROCS×4 goroutines (clients 0).
func benchAllocate(b *testing.B, env *Env, clients int) {
	ctx := context.Background()
	reg, err := env.Open(Create(NewClock(T0)))
	if err != nil {
		b.Fatal(err)
	}
	defer reg.Close()
	var n atomic.Int64
	b.ReportAllocs()
	if clients == 1 {
		for b.Loop() {
			if _, err := reg.AllocateStatus(ctx, Certificate(fmt.Sprint(n.Add(1)), T0)); err != nil {
				b.Fatal(err)
			}
		}
		return
	}
	b.SetParallelism(4)
	b.ResetTimer() // b.Loop does it for the loops above; RunParallel does not
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := reg.AllocateStatus(ctx, Certificate(fmt.Sprint(n.Add(1)), T0)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// benchPublish publishes a register of 1,000 certificates, 100 revoked.
func benchPublish(b *testing.B, env *Env) {
	ctx := context.Background()
	reg, err := env.Open(Create(NewClock(T0)))
	if err != nil {
		b.Fatal(err)
	}
	defer reg.Close()
	for k := range 1000 {
		c := Certificate(fmt.Sprint(k), T0)
		if _, err := reg.AllocateStatus(ctx, c); err != nil {
			b.Fatal(err)
		}
		if k%10 == 0 {
			if err := reg.Revoke(ctx, c.ID); err != nil {
				b.Fatal(err)
			}
		}
	}
	key := Key(1)
	at := T0
	b.ReportAllocs()
	for b.Loop() {
		at = at.Add(time.Second)
		if _, err := reg.Publish(ctx, key, at); err != nil {
			b.Fatal(err)
		}
	}
}

// benchFloor inserts one row of a certificate's size in a transaction of
// its own: the least a durable register can do per certificate, the
// floor of Allocate.
func benchFloor(b *testing.B, env *Env) {
	db, err := env.DB()
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE floor (id TEXT PRIMARY KEY, digest TEXT NOT NULL, number BIGINT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	insert := `INSERT INTO floor (id, digest, number) VALUES (?, ?, ?)`
	if env.Dollar {
		insert = `INSERT INTO floor (id, digest, number) VALUES ($1, $2, $3)`
	}
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		n++
		c := Certificate(fmt.Sprint(n), T0)
		if _, err := db.Exec(insert, c.ID, c.CredentialSubject.RecordDigest, n); err != nil {
			b.Fatal(err)
		}
	}
}
