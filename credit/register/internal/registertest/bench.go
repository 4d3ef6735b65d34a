package registertest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// Benchmarks of an implementation: newEnv gives each a database of its
// own.
func Benchmarks(b *testing.B, newEnv func(testing.TB) *Env) {
	b.Run("Floor", func(b *testing.B) { benchFloor(b, newEnv(b)) })
	b.Run("Allocate", func(b *testing.B) { benchAllocate(b, newEnv(b), 1) })
	b.Run("AllocateParallel", func(b *testing.B) { benchAllocate(b, newEnv(b), 0) })
	b.Run("Publish", func(b *testing.B) { benchPublish(b, newEnv(b)) })
}

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
