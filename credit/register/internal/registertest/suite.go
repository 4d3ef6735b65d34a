package registertest

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// Run runs the conformance suite; newEnv gives each test a database of
// its own.
func Run(t *testing.T, newEnv func(testing.TB) *Env) {
	tests := []struct {
		name string
		fn   func(t *testing.T, env *Env)
	}{
		{"Create", testCreate},
		{"Allocate", testAllocate},
		{"Statuses", testStatuses},
		{"Certificates", testCertificates},
		{"Publish", testPublish},
		{"Reopen", testReopen},
		{"CheckOnOpen", testCheckOnOpen},
		{"SchemaTooNew", testSchemaTooNew},
		{"Pairs", testPairs},
		{"Concurrent", testConcurrent},
		{"Import", testImport},
		{"ImportRefused", testImportRefused},
		{"OrphanLists", testOrphanLists},
		{"ExportDir", testExportDir},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newEnv(t)) })
	}
}

// open opens env's register and closes it when the test ends.
func open(t *testing.T, env *Env, opts register.Options) register.Register {
	t.Helper()
	reg, err := env.Open(opts)
	require.NoError(t, err)
	t.Cleanup(func() { reg.Close() })
	return reg
}

func testCreate(t *testing.T, env *Env) {
	ctx := context.Background()
	_, err := env.Open(register.Options{})
	require.ErrorIs(t, err, register.ErrNoRegister)
	for _, bad := range []register.Settings{{BaseURL: ""}, {BaseURL: "status"}, {BaseURL: "https://x.example/s?q=1"}, {BaseURL: BaseURL, ListValidity: time.Millisecond}} {
		_, err := env.Open(register.Options{Create: &bad})
		assert.Error(t, err, "%+v", bad)
	}
	clock := NewClock(T0)
	reg := open(t, env, register.Options{Create: &register.Settings{BaseURL: BaseURL + "/"}, Now: clock.Now})
	info, err := reg.Info(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, info.Driver)
	assert.Equal(t, 1, info.SchemaVersion)
	assert.Equal(t, BaseURL, info.BaseURL)
	assert.Equal(t, cert.MinStatusListLen, info.ListLength)
	assert.Equal(t, cert.DefaultListValidity, info.ListValidity)
	assert.Zero(t, info.Certificates)
	assert.Equal(t, int64(register.MaxLists*cert.MinStatusListLen), info.Capacity)
	assert.Equal(t, []string{"revocation", "suspension"}, info.Lists)
	assert.Nil(t, info.Last)
	assert.Empty(t, info.Issuer)
	require.NoError(t, reg.Ping(ctx))
	require.NoError(t, reg.Close())

	// It exists now: opened without settings, and other settings do not
	// change it.
	reg = open(t, env, register.Options{Create: &register.Settings{BaseURL: "https://other.example", ListValidity: time.Hour}})
	info, err = reg.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, BaseURL, info.BaseURL)
	assert.Equal(t, cert.DefaultListValidity, info.ListValidity)
}

func testAllocate(t *testing.T, env *Env) {
	ctx := context.Background()
	clock := NewClock(T0)
	reg := open(t, env, Create(clock))
	n := cert.MinStatusListLen
	for k := range 5 {
		c := Certificate(fmt.Sprint(k), T0)
		es, err := reg.AllocateStatus(ctx, c)
		require.NoError(t, err)
		require.Len(t, es, 2)
		idx := fmt.Sprint(cert.StatusIndex(k, n))
		assert.Equal(t, cert.NewStatusEntry(BaseURL+"/revocation", cert.StatusRevocation, cert.StatusIndex(k, n)), es[0])
		assert.Equal(t, cert.NewStatusEntry(BaseURL+"/suspension", cert.StatusSuspension, cert.StatusIndex(k, n)), es[1])
		assert.Equal(t, idx, es[1].StatusListIndex)

		// Again: the same entries, no new index.
		again, err := reg.AllocateStatus(ctx, c)
		require.NoError(t, err)
		assert.Equal(t, es, again)

		e, err := reg.Status(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, register.Entry{
			ID: c.ID, RecordDigest: c.CredentialSubject.RecordDigest,
			ValidFrom: T0, ValidUntil: T0.AddDate(1, 0, 0), Recorded: T0,
			Number: int64(k), List: 0, Index: cert.StatusIndex(k, n), StatusEntries: es,
		}, *e)
	}
	info, err := reg.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(5), info.Certificates)

	// One id, another record: refused, naming the id.
	other := Certificate("0", T0)
	other.CredentialSubject.RecordDigest = Certificate("other", T0).CredentialSubject.RecordDigest
	_, err = reg.AllocateStatus(ctx, other)
	require.ErrorIs(t, err, register.ErrConflict)
	var ce *register.CertificateError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, other.ID, ce.ID)

	bad := map[string]*cert.Certificate{"nil": nil}
	for name, edit := range map[string]func(*cert.Certificate){
		"no id":          func(c *cert.Certificate) { c.ID = "" },
		"long id":        func(c *cert.Certificate) { c.ID = "urn:" + string(make([]byte, 2000)) },
		"no digest":      func(c *cert.Certificate) { c.CredentialSubject.RecordDigest = "" },
		"digest":         func(c *cert.Certificate) { c.CredentialSubject.RecordDigest = "sha256:ABC" },
		"validFrom":      func(c *cert.Certificate) { c.ValidFrom = "yesterday" },
		"reversed dates": func(c *cert.Certificate) { c.ValidUntil = "2020-01-01T00:00:00Z" },
	} {
		c := Certificate("bad "+name, T0)
		edit(c)
		bad[name] = c
	}
	for name, c := range bad {
		_, err := reg.AllocateStatus(ctx, c)
		assert.Error(t, err, name)
	}
	info, err = reg.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(5), info.Certificates, "refused certificates take no index")
}

func testStatuses(t *testing.T, env *Env) {
	ctx := context.Background()
	clock := NewClock(T0)
	reg := open(t, env, Create(clock))
	c := Certificate("a", T0)
	_, err := reg.AllocateStatus(ctx, c)
	require.NoError(t, err)

	for name, op := range map[string]func(context.Context, string) error{"revoke": reg.Revoke, "suspend": reg.Suspend, "unsuspend": reg.Unsuspend} {
		err := op(ctx, "urn:uuid:unknown")
		require.ErrorIs(t, err, register.ErrUnknownCertificate, name)
		var ce *register.CertificateError
		require.ErrorAs(t, err, &ce, name)
		assert.Equal(t, "urn:uuid:unknown", ce.ID)
	}
	_, err = reg.Status(ctx, "urn:uuid:unknown")
	require.ErrorIs(t, err, register.ErrUnknownCertificate)

	require.NoError(t, reg.Suspend(ctx, c.ID))
	e, err := reg.Status(ctx, c.ID)
	require.NoError(t, err)
	assert.True(t, e.Suspended)
	assert.False(t, e.Revoked)
	require.NoError(t, reg.Unsuspend(ctx, c.ID))
	require.NoError(t, reg.Unsuspend(ctx, c.ID), "unsuspending twice changes nothing")
	e, err = reg.Status(ctx, c.ID)
	require.NoError(t, err)
	assert.False(t, e.Suspended)

	revokedAt := clock.Add(time.Hour)
	require.NoError(t, reg.Revoke(ctx, c.ID))
	clock.Add(time.Hour)
	require.NoError(t, reg.Revoke(ctx, c.ID), "revoking twice changes nothing")
	e, err = reg.Status(ctx, c.ID)
	require.NoError(t, err)
	assert.True(t, e.Revoked)
	assert.Equal(t, revokedAt, e.RevokedAt, "the first revocation's time")
}

func testCertificates(t *testing.T, env *Env) {
	ctx := context.Background()
	reg := open(t, env, Create(NewClock(T0)))
	var ids []string
	for k := range 25 {
		c := Certificate(fmt.Sprint(k), T0)
		_, err := reg.AllocateStatus(ctx, c)
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	var got []string
	after := ""
	for {
		page, err := reg.Certificates(ctx, after, 10)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(page), 10)
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			got = append(got, e.ID)
		}
		after = page[len(page)-1].ID
	}
	assert.Equal(t, ids, got)
	for _, limit := range []int{0, -1, register.MaxPage + 1} {
		_, err := reg.Certificates(ctx, "", limit)
		assert.Error(t, err, limit)
	}
}

func testPublish(t *testing.T, env *Env) {
	ctx := context.Background()
	clock := NewClock(T0)
	reg := open(t, env, Create(clock))
	key := Key(1)
	a, b := Certificate("a", T0), Certificate("b", T0)
	ea, err := reg.AllocateStatus(ctx, a)
	require.NoError(t, err)
	eb, err := reg.AllocateStatus(ctx, b)
	require.NoError(t, err)

	_, err = reg.List(ctx, "revocation", time.Time{})
	require.ErrorIs(t, err, register.ErrUnknownList, "nothing published yet")
	err = CheckStatus(ctx, reg, ea, key, T0)
	require.ErrorIs(t, err, cert.ErrStatusUnavailable)

	t1 := T0.Add(time.Minute)
	pub, err := reg.Publish(ctx, key, t1.Add(500*time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, int64(1), pub.Version)
	assert.Equal(t, t1, pub.ValidFrom, "truncated to the second")
	assert.Equal(t, t1.Add(cert.DefaultListValidity), pub.ValidUntil)
	require.Len(t, pub.Lists, 2)
	assert.Equal(t, "revocation", pub.Lists[0].Name)
	assert.Equal(t, BaseURL+"/suspension", pub.Lists[1].URL)
	require.NoError(t, CheckStatus(ctx, reg, ea, key, t1))

	info, err := reg.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, cert.DIDKey(key.Public().(ed25519.PublicKey)), info.Issuer)
	require.NotNil(t, info.Last)
	assert.Equal(t, int64(1), info.Last.Version)
	assert.Nil(t, info.Last.Lists[0].Document)

	// Another key, an earlier time: refused, nothing published.
	_, err = reg.Publish(ctx, Key(2), t1.Add(time.Hour))
	require.ErrorIs(t, err, cert.ErrUntrustedKey)
	_, err = reg.Publish(ctx, key, t1.Add(-time.Second))
	require.ErrorIs(t, err, register.ErrPastPublication)
	_, err = reg.Publish(ctx, nil, t1.Add(time.Hour))
	require.Error(t, err)

	// A revocation and a suspension show in the next publication; the
	// lists of the first still say what was true then.
	require.NoError(t, reg.Revoke(ctx, a.ID))
	require.NoError(t, reg.Suspend(ctx, b.ID))
	require.NoError(t, CheckStatus(ctx, reg, ea, key, t1), "not published yet")
	t2 := t1.Add(time.Hour)
	_, err = reg.Publish(ctx, key, t2)
	require.NoError(t, err)
	require.ErrorIs(t, CheckStatus(ctx, reg, ea, key, t2), cert.ErrRevoked)
	require.ErrorIs(t, CheckStatus(ctx, reg, eb, key, t2), cert.ErrSuspended)
	require.NoError(t, CheckStatus(ctx, reg, ea, key, t2.Add(-time.Second)), "as of before the revocation")

	// Another at the same second supersedes it.
	require.NoError(t, reg.Unsuspend(ctx, b.ID))
	pub3, err := reg.Publish(ctx, key, t2)
	require.NoError(t, err)
	assert.Equal(t, int64(3), pub3.Version)
	require.NoError(t, CheckStatus(ctx, reg, eb, key, t2))
	l, err := reg.List(ctx, "suspension", t2)
	require.NoError(t, err)
	assert.Equal(t, pub3.Lists[1], *l)
	latest, err := reg.List(ctx, "suspension", time.Time{})
	require.NoError(t, err)
	assert.Equal(t, *l, *latest)

	// Expired lists are served, and verifiers refuse them.
	require.ErrorIs(t, CheckStatus(ctx, reg, eb, key, t2.Add(cert.DefaultListValidity+time.Hour)), cert.ErrStatusUnavailable)

	versions, err := reg.Versions(ctx, "revocation")
	require.NoError(t, err)
	require.Len(t, versions, 3)
	for i, v := range versions {
		assert.Equal(t, int64(i+1), v.Version)
		assert.Nil(t, v.Document)
		assert.Equal(t, cert.StatusRevocation, v.Purpose)
	}
	for _, name := range []string{"nope", "revocation-0", "revocation-64", "../revocation", ""} {
		_, err := reg.List(ctx, name, time.Time{})
		assert.ErrorIs(t, err, register.ErrUnknownList, name)
		_, err = reg.Versions(ctx, name)
		assert.ErrorIs(t, err, register.ErrUnknownList, name)
	}
	_, err = reg.List(ctx, "revocation", T0)
	require.ErrorIs(t, err, register.ErrUnknownList, "before the first publication")
	_, err = reg.List(ctx, "revocation-1", time.Time{})
	require.ErrorIs(t, err, register.ErrUnknownList, "a pair not in use")

	f, err := register.NewFetcher(ctx, reg)
	require.NoError(t, err)
	_, err = f.Fetch(ctx, "https://elsewhere.example/revocation")
	require.ErrorIs(t, err, register.ErrUnknownList)
}

func testReopen(t *testing.T, env *Env) {
	ctx := context.Background()
	clock := NewClock(T0)
	reg, err := env.Open(Create(clock))
	require.NoError(t, err)
	key := Key(1)
	c := Certificate("a", T0)
	es, err := reg.AllocateStatus(ctx, c)
	require.NoError(t, err)
	require.NoError(t, reg.Revoke(ctx, c.ID))
	_, err = reg.Publish(ctx, key, T0)
	require.NoError(t, err)
	before, err := reg.Info(ctx)
	require.NoError(t, err)
	require.NoError(t, reg.Close())
	require.NoError(t, reg.Close(), "closing twice")

	_, err = reg.AllocateStatus(ctx, Certificate("b", T0))
	require.ErrorIs(t, err, register.ErrClosed)
	require.ErrorIs(t, reg.Revoke(ctx, c.ID), register.ErrClosed)
	require.ErrorIs(t, reg.Ping(ctx), register.ErrClosed)
	_, err = reg.Publish(ctx, key, T0)
	require.ErrorIs(t, err, register.ErrClosed)
	_, err = reg.List(ctx, "revocation", time.Time{})
	require.ErrorIs(t, err, register.ErrClosed)

	reg = open(t, env, register.Options{Now: clock.Now})
	after, err := reg.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, before, after)
	require.ErrorIs(t, CheckStatus(ctx, reg, es, key, T0), cert.ErrRevoked)
	es2, err := reg.AllocateStatus(ctx, Certificate("b", T0))
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(cert.StatusIndex(1, cert.MinStatusListLen)), es2[0].StatusListIndex, "allocation goes on where it stopped")
}

func testCheckOnOpen(t *testing.T, env *Env) {
	ctx := context.Background()
	clock := NewClock(T0)
	reg, err := env.Open(Create(clock))
	require.NoError(t, err)
	for k := range 3 {
		_, err := reg.AllocateStatus(ctx, Certificate(fmt.Sprint(k), T0))
		require.NoError(t, err)
	}
	a := Certificate("0", T0)
	require.NoError(t, reg.Revoke(ctx, a.ID))
	_, err = reg.Publish(ctx, Key(1), T0)
	require.NoError(t, err)
	require.NoError(t, reg.Close())

	damage := []struct {
		name, do, undo, want string
	}{
		{"counter behind", `UPDATE register_counters SET value = value - 1 WHERE name = 'allocated'`,
			`UPDATE register_counters SET value = value + 1 WHERE name = 'allocated'`, "allocation counter"},
		{"counter ahead", `UPDATE register_counters SET value = value + 1 WHERE name = 'allocated'`,
			`UPDATE register_counters SET value = value - 1 WHERE name = 'allocated'`, "allocation counter"},
		{"index moved", `UPDATE certificates SET list_index = list_index + 1 WHERE number = 2`,
			`UPDATE certificates SET list_index = list_index - 1 WHERE number = 2`, "not at the list and index"},
		{"revocation lost", `UPDATE certificates SET revoked = FALSE WHERE number = 0`,
			`UPDATE certificates SET revoked = TRUE WHERE number = 0`, "lost a revocation"},
		{"certificate lost", `DELETE FROM certificates WHERE number = 2`, "", "allocation counter"},
	}
	for _, d := range damage {
		require.NoError(t, env.Exec(d.do), d.name)
		_, err := env.Open(register.Options{})
		require.ErrorIs(t, err, register.ErrInconsistent, d.name)
		assert.ErrorContains(t, err, d.want, d.name)
		if d.undo != "" {
			require.NoError(t, env.Exec(d.undo), d.name)
			reg := open(t, env, register.Options{})
			require.NoError(t, reg.Close())
		}
	}
}

func testSchemaTooNew(t *testing.T, env *Env) {
	reg, err := env.Open(Create(NewClock(T0)))
	require.NoError(t, err)
	require.NoError(t, reg.Close())
	require.NoError(t, env.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)`))
	_, err = env.Open(register.Options{})
	require.ErrorIs(t, err, register.ErrSchemaTooNew)
	assert.ErrorContains(t, err, "version 99")
}

func testPairs(t *testing.T, env *Env) {
	ctx := context.Background()
	clock := NewClock(T0)
	reg := open(t, env, Create(clock))
	n := cert.MinStatusListLen
	key := Key(1)

	// Half the first pair taken: the next pair is published too.
	require.NoError(t, env.Exec(fmt.Sprintf(`UPDATE register_counters SET value = %d WHERE name = 'allocated'`, n/2)))
	info, err := reg.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"revocation", "suspension", "revocation-1", "suspension-1"}, info.Lists)

	require.NoError(t, env.Exec(fmt.Sprintf(`UPDATE register_counters SET value = %d WHERE name = 'allocated'`, n-1)))
	last, next := Certificate("last", T0), Certificate("next", T0)
	el, err := reg.AllocateStatus(ctx, last)
	require.NoError(t, err)
	en, err := reg.AllocateStatus(ctx, next)
	require.NoError(t, err)
	assert.Equal(t, BaseURL+"/revocation", el[0].StatusListCredential)
	assert.Equal(t, fmt.Sprint(cert.StatusIndex(n-1, n)), el[0].StatusListIndex)
	assert.Equal(t, BaseURL+"/revocation-1", en[0].StatusListCredential)
	assert.Equal(t, BaseURL+"/suspension-1", en[1].StatusListCredential)
	assert.Equal(t, "0", en[0].StatusListIndex)
	e, err := reg.Status(ctx, next.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, e.List)
	assert.Equal(t, int64(n), e.Number)

	require.NoError(t, reg.Revoke(ctx, next.ID))
	pub, err := reg.Publish(ctx, key, T0)
	require.NoError(t, err)
	require.Len(t, pub.Lists, 4)
	require.ErrorIs(t, CheckStatus(ctx, reg, en, key, T0), cert.ErrRevoked)
	require.NoError(t, CheckStatus(ctx, reg, el, key, T0))

	// The last index of the last pair, then full.
	capacity := int64(register.MaxLists) * int64(n)
	require.NoError(t, env.Exec(fmt.Sprintf(`UPDATE register_counters SET value = %d WHERE name = 'allocated'`, capacity-1)))
	ef, err := reg.AllocateStatus(ctx, Certificate("final", T0))
	require.NoError(t, err)
	assert.Equal(t, BaseURL+"/revocation-63", ef[0].StatusListCredential)
	_, err = reg.AllocateStatus(ctx, Certificate("too many", T0))
	require.ErrorIs(t, err, register.ErrFull)
	_, err = reg.AllocateStatus(ctx, Certificate("final", T0))
	require.NoError(t, err, "a certificate recorded before gets its entries")
	info, err = reg.Info(ctx)
	require.NoError(t, err)
	assert.Len(t, info.Lists, 2*register.MaxLists)
}

// testConcurrent issues, revokes and publishes at once through two
// registers on one database, as two processes would, and checks that no
// index is shared and every revocation shows.
func testConcurrent(t *testing.T, env *Env) {
	ctx := context.Background()
	clock := NewClock(T0)
	regs := []register.Register{open(t, env, Create(clock)), open(t, env, Create(clock))}
	key := Key(1)
	const issuers, each = 6, 25
	var (
		mu      sync.Mutex
		entries = map[string][]cert.BitstringStatusListEntry{}
		revoked = map[string]bool{}
		wg      sync.WaitGroup
		ids     = make(chan string, issuers*each)
		errs    = make(chan error, issuers+2)
	)
	for g := range issuers {
		wg.Go(func() {
			reg := regs[g%len(regs)]
			for k := range each {
				c := Certificate(fmt.Sprintf("%d/%d", g, k), T0)
				es, err := reg.AllocateStatus(ctx, c)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				entries[c.ID] = es
				mu.Unlock()
				ids <- c.ID
			}
		})
	}
	done := make(chan struct{})
	var side sync.WaitGroup
	side.Go(func() { // revoke every third certificate issued
		k := 0
		for id := range ids {
			if k++; k%3 != 0 {
				continue
			}
			if err := regs[k%2].Revoke(ctx, id); err != nil {
				errs <- err
				return
			}
			mu.Lock()
			revoked[id] = true
			mu.Unlock()
		}
	})
	side.Go(func() { // publish all along
		for k := 0; ; k++ {
			select {
			case <-done:
				return
			default:
			}
			if _, err := regs[k%2].Publish(ctx, key, clock.Add(time.Second)); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(ids)
	close(done)
	side.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	seen := map[string]string{}
	for id, es := range entries {
		key := es[0].StatusListCredential + "#" + es[0].StatusListIndex
		require.Empty(t, seen[key], "index %s given to %s and %s", key, seen[key], id)
		seen[key] = id
		assert.Equal(t, es[0].StatusListIndex, es[1].StatusListIndex)
	}
	info, err := regs[0].Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(issuers*each), info.Certificates)
	at := clock.Add(time.Second)
	_, err = regs[1].Publish(ctx, key, at)
	require.NoError(t, err)
	for id, es := range entries {
		err := CheckStatus(ctx, regs[0], es, key, at)
		if revoked[id] {
			assert.ErrorIs(t, err, cert.ErrRevoked, id)
		} else {
			assert.NoError(t, err, id)
		}
	}
	// Both registers agree, and a third opening finds it consistent.
	reg := open(t, env, register.Options{})
	other, err := reg.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, info.Certificates, other.Certificates)
}
