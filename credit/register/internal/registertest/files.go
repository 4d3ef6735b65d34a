package registertest

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// fileRegister makes a file register in a new directory: certificates
// a, b, c and d, saved at T0; a revoked and b suspended, saved an hour
// later. It returns the directory and the register.
func fileRegister(t *testing.T, key ed25519.PrivateKey) (string, *cert.StatusRegistry) {
	t.Helper()
	dir := t.TempDir()
	fr, err := cert.CreateStatusRegistry(dir, cert.StatusRegistryOptions{BaseURL: BaseURL})
	require.NoError(t, err)
	for _, name := range []string{"a", "b", "c", "d"} {
		_, err := fr.Allocate(Certificate(name, T0).ID)
		require.NoError(t, err)
	}
	require.NoError(t, fr.Save(key, T0))
	require.NoError(t, fr.Revoke(Certificate("a", T0).ID))
	require.NoError(t, fr.Suspend(Certificate("b", T0).ID))
	require.NoError(t, fr.Save(key, T0.Add(time.Hour)))
	return dir, fr
}

func testImport(t *testing.T, env *Env) {
	ctx := context.Background()
	key := Key(1)
	dir, fr := fileRegister(t, key)
	state, err := os.ReadFile(filepath.Join(dir, "index.json"))
	require.NoError(t, err)
	clock := NewClock(T0.Add(2 * time.Hour))
	opts := register.Options{ImportDir: dir, Create: &register.Settings{BaseURL: "https://ignored.example"}, Now: clock.Now}
	reg := open(t, env, opts)

	info, err := reg.Info(ctx)
	require.NoError(t, err)
	sum := sha256.Sum256(state)
	assert.Equal(t, hex.EncodeToString(sum[:]), info.ImportedFrom)
	assert.Equal(t, BaseURL, info.BaseURL)
	assert.Equal(t, cert.DIDKey(key.Public().(ed25519.PublicKey)), info.Issuer)
	assert.Equal(t, int64(4), info.Certificates)
	assert.Equal(t, cert.DefaultListValidity, info.ListValidity)
	require.NotNil(t, info.Last)
	assert.Equal(t, int64(2), info.Last.Version)
	assert.Equal(t, T0.Add(time.Hour), info.Last.ValidFrom)

	check := map[string]error{"a": cert.ErrRevoked, "b": cert.ErrSuspended, "c": nil, "d": nil}
	for name, want := range check {
		c := Certificate(name, T0)
		fileEntries, err := fr.Entries(c.ID)
		require.NoError(t, err)
		e, err := reg.Status(ctx, c.ID)
		require.NoError(t, err, name)
		assert.Equal(t, fileEntries, e.StatusEntries, name)
		assert.Empty(t, e.RecordDigest, name)
		assert.True(t, e.ValidFrom.IsZero(), name)
		assert.Equal(t, name == "a", e.Revoked, name)
		assert.Equal(t, name == "b", e.Suspended, name)
		assert.True(t, e.RevokedAt.IsZero(), name)
		err = CheckStatus(ctx, reg, e.StatusEntries, key, T0.Add(90*time.Minute))
		if want == nil {
			assert.NoError(t, err, name)
		} else {
			assert.ErrorIs(t, err, want, name)
		}
		assert.NoError(t, CheckStatus(ctx, reg, e.StatusEntries, key, T0.Add(time.Minute)), "%s as of the first save", name)
	}
	// The versions are the files'.
	for _, at := range []time.Time{T0, T0.Add(time.Hour)} {
		l, err := reg.List(ctx, "revocation", at)
		require.NoError(t, err)
		_, v, err := cert.StatusListPaths("revocation", at)
		require.NoError(t, err)
		file, err := os.ReadFile(filepath.Join(dir, v))
		require.NoError(t, err)
		assert.Equal(t, file, l.Document)
	}

	// The file register is retired: no program issues from it again.
	_, err = os.Stat(filepath.Join(dir, "index.json"))
	require.ErrorIs(t, err, fs.ErrNotExist)
	retired, err := os.ReadFile(filepath.Join(dir, "index.json.imported"))
	require.NoError(t, err)
	assert.Equal(t, state, retired)
	_, err = cert.OpenStatusRegistry(dir)
	require.ErrorIs(t, err, fs.ErrNotExist)
	_, err = cert.CreateStatusRegistry(dir, cert.StatusRegistryOptions{BaseURL: BaseURL})
	require.ErrorIs(t, err, cert.ErrRegistryInconsistent)

	// The register goes on where the file register stopped.
	es, err := reg.AllocateStatus(ctx, Certificate("e", T0))
	require.NoError(t, err)
	assert.Equal(t, cert.NewStatusEntry(BaseURL+"/revocation", cert.StatusRevocation, cert.StatusIndex(4, cert.MinStatusListLen)), es[0])
	_, err = reg.AllocateStatus(ctx, Certificate("a", T0))
	require.ErrorIs(t, err, register.ErrConflict, "an imported certificate has no record digest to match")
	_, err = reg.Publish(ctx, Key(2), clock.Now())
	require.ErrorIs(t, err, cert.ErrUntrustedKey, "the file register's key signs its lists")
	_, err = reg.Publish(ctx, key, T0.Add(30*time.Minute))
	require.ErrorIs(t, err, register.ErrPastPublication)
	_, err = reg.Publish(ctx, key, clock.Now())
	require.NoError(t, err)
	require.NoError(t, reg.Close())

	// A retirement that was interrupted is finished; another file
	// register in its place is refused.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.json"), state, 0o644))
	reg = open(t, env, opts)
	require.NoError(t, reg.Close())
	_, err = os.Stat(filepath.Join(dir, "index.json"))
	require.ErrorIs(t, err, fs.ErrNotExist)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.json"), append(state, ' '), 0o644))
	_, err = env.Open(opts)
	require.ErrorIs(t, err, register.ErrInconsistent)
	assert.ErrorContains(t, err, "not the one the register was imported from")
}

func testImportRefused(t *testing.T, env *Env) {
	key := Key(1)
	cases := map[string]func(t *testing.T, dir string){
		"stale state": func(t *testing.T, dir string) {
			// index.json from before the last save.
			fr, err := cert.OpenStatusRegistry(dir)
			require.NoError(t, err)
			old, err := os.ReadFile(filepath.Join(dir, "index.json"))
			require.NoError(t, err)
			require.NoError(t, fr.Revoke(Certificate("c", T0).ID))
			require.NoError(t, fr.Save(key, T0.Add(2*time.Hour)))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "index.json"), old, 0o644))
		},
		"old version revokes more": func(t *testing.T, dir string) {
			// A version before the current one revokes c, which the state
			// says is not revoked: revocation is permanent.
			l := cert.NewStatusList(cert.MinStatusListLen)
			require.NoError(t, l.Set(cert.StatusIndex(2, cert.MinStatusListLen), true))
			writeVersion(t, dir, key, l, T0.Add(30*time.Minute))
		},
		"version of another key": func(t *testing.T, dir string) {
			writeVersion(t, dir, Key(2), cert.NewStatusList(cert.MinStatusListLen), T0.Add(30*time.Minute))
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			dir, _ := fileRegister(t, key)
			damage(t, dir)
			_, err := env.Open(register.Options{ImportDir: dir, Create: &register.Settings{BaseURL: BaseURL}})
			require.ErrorIs(t, err, register.ErrInconsistent)
			// Nothing was imported, and the file register is where it was.
			_, err = env.Open(register.Options{})
			require.ErrorIs(t, err, register.ErrNoRegister)
			_, err = os.Stat(filepath.Join(dir, "index.json"))
			require.NoError(t, err)
		})
	}
}

// writeVersion writes a revocation list version valid from at, signed
// with key, into the file register in dir.
func writeVersion(t *testing.T, dir string, key ed25519.PrivateKey, l *cert.StatusList, at time.Time) {
	t.Helper()
	doc, err := cert.StatusListCredential{
		ID: BaseURL + "/revocation", Issuer: cert.DIDKey(key.Public().(ed25519.PublicKey)), Purpose: cert.StatusRevocation,
		ValidFrom: at, ValidUntil: at.Add(cert.DefaultListValidity), List: l,
	}.Marshal()
	require.NoError(t, err)
	signed, err := cert.AddProof(doc, key, cert.ProofOptions{Created: at})
	require.NoError(t, err)
	require.NoError(t, cert.WriteStatusList(dir, "revocation", at, signed, false))
}

func testOrphanLists(t *testing.T, env *Env) {
	for _, name := range []string{"revocation.json", "index.json.imported", "versions"} {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("{}"), 0o644))
		_, err := env.Open(register.Options{ImportDir: dir, Create: &register.Settings{BaseURL: BaseURL}})
		require.ErrorIs(t, err, register.ErrInconsistent, name)
		assert.ErrorContains(t, err, "restore it", name)
	}
}

func testExportDir(t *testing.T, env *Env) {
	ctx := context.Background()
	clock := NewClock(T0)
	reg := open(t, env, Create(clock))
	key := Key(1)
	dir := t.TempDir()
	require.NoError(t, register.ExportDir(ctx, reg, dir), "nothing published: nothing to write")

	a := Certificate("a", T0)
	es, err := reg.AllocateStatus(ctx, a)
	require.NoError(t, err)
	_, err = reg.Publish(ctx, key, T0)
	require.NoError(t, err)
	require.NoError(t, reg.Revoke(ctx, a.ID))
	superseded, err := reg.Publish(ctx, key, T0.Add(time.Hour))
	require.NoError(t, err)
	_, err = reg.Publish(ctx, key, T0.Add(time.Hour)) // supersedes the last at its second
	require.NoError(t, err)
	require.NoError(t, register.ExportDir(ctx, reg, dir))

	fetch := cert.DirFetcher{Dir: dir}
	opts := cert.VerifyOptions{TrustedKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}}
	for _, at := range []time.Time{T0.Add(time.Minute), T0.Add(2 * time.Hour)} {
		opts.Now = at
		err := cert.CheckStatus(ctx, es[0], fetch, opts)
		if at.Before(T0.Add(time.Hour)) {
			assert.NoError(t, err)
		} else {
			assert.ErrorIs(t, err, cert.ErrRevoked)
		}
		want, err := reg.List(ctx, "revocation", at)
		require.NoError(t, err)
		got, err := fetch.FetchAt(ctx, es[0].StatusListCredential, at)
		require.NoError(t, err)
		assert.Equal(t, want.Document, got)
	}
	latest, err := reg.List(ctx, "suspension", time.Time{})
	require.NoError(t, err)
	cur, err := os.ReadFile(filepath.Join(dir, "suspension.json"))
	require.NoError(t, err)
	assert.Equal(t, latest.Document, cur)

	// An export that was interrupted (the newest version written, or not
	// even that, but not the current file) is made good by the next.
	_, newest, err := cert.StatusListPaths("revocation", T0.Add(time.Hour))
	require.NoError(t, err)
	require.NoError(t, os.Remove(filepath.Join(dir, newest)))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "revocation.json"), []byte("partial"), 0o644))
	require.NoError(t, register.ExportDir(ctx, reg, dir))
	want, err := reg.List(ctx, "revocation", time.Time{})
	require.NoError(t, err)
	assert.Equal(t, want.Document, mustReadFile(t, filepath.Join(dir, newest)))
	assert.Equal(t, want.Document, mustReadFile(t, filepath.Join(dir, "revocation.json")))
	_, v, err := cert.StatusListPaths("revocation", T0)
	require.NoError(t, err)
	first, err := reg.List(ctx, "revocation", T0)
	require.NoError(t, err)
	assert.Equal(t, first.Document, mustReadFile(t, filepath.Join(dir, v)))

	// An export interrupted between two publications at one second (the
	// directory holds the earlier one's version) is made good too.
	require.Equal(t, "revocation", superseded.Lists[0].Name)
	require.NoError(t, cert.WriteStatusList(dir, "revocation", T0.Add(time.Hour), superseded.Lists[0].Document, false))
	require.NoError(t, register.ExportDir(ctx, reg, dir))
	assert.Equal(t, want.Document, mustReadFile(t, filepath.Join(dir, newest)))

	// A directory whose version at the second of the register's last
	// publication is not one the register published then is refused:
	// publications at one second share a version file, so a register
	// restored from a backup made between two of them has the time of
	// the directory's newest version, but not its content.
	require.NoError(t, cert.WriteStatusList(dir, "revocation", T0.Add(time.Hour), first.Document, false))
	err = register.ExportDir(ctx, reg, dir)
	require.ErrorIs(t, err, register.ErrInconsistent)
	assert.ErrorContains(t, err, "that the register did not publish at that second: the register is older than its lists")
	require.NoError(t, cert.WriteStatusList(dir, "revocation", T0.Add(time.Hour), want.Document, false))

	// A directory with lists newer than the register's is refused.
	require.NoError(t, cert.WriteStatusList(dir, "revocation", T0.Add(3*time.Hour), first.Document, false))
	err = register.ExportDir(ctx, reg, dir)
	require.ErrorIs(t, err, register.ErrInconsistent)
	assert.ErrorContains(t, err, "older than its lists")
}

func mustReadFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return data
}
