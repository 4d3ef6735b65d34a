package cert

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Times of the status tests: a registry is saved at t0, a certificate
// revoked at t1.
var (
	t0 = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	t1 = t0.Add(48 * time.Hour)
)

// TestStatusFreshness checks that a status list is believed only within
// its validity period and, if the verifier asks, only when recent; and
// that a check at a past time reads the list valid then.
func TestStatusFreshness(t *testing.T) {
	key := vectorKey(t)
	dir, r := newRegistry(t, key, t0)
	b, err := r.Entries("urn:cert:b")
	require.NoError(t, err)
	require.NoError(t, r.Revoke("urn:cert:b"))
	require.NoError(t, r.Save(key, t1))
	week := DefaultListValidity

	base := trustVector(t)
	at := func(now time.Time, maxAge time.Duration) VerifyOptions {
		o := base
		o.Now, o.MaxStatusAge = now, maxAge
		return o
	}
	current := FetcherFunc(DirFetcher{Dir: dir}.Fetch) // no versions: always the current list
	versions := DirFetcher{Dir: dir}
	tests := []struct {
		name    string
		fetcher StatusFetcher
		opts    VerifyOptions
		want    error
		msg     string
	}{
		{"current list, after the revocation", versions, at(t1.Add(time.Hour), 0), ErrRevoked, ""},
		{"list valid before the revocation", versions, at(t1.Add(-time.Hour), 0), nil, ""},
		{"at the time of the revocation", versions, at(t1, 0), ErrRevoked, ""},
		{"before the first list", versions, at(t0.Add(-time.Hour), 0), ErrStatusUnavailable, "no version of the status list"},
		{"current list at a past time is not yet valid", current, at(t1.Add(-time.Hour), 0), ErrStatusUnavailable, "not yet valid"},
		{"list expired", versions, at(t1.Add(week+time.Hour), 0), ErrStatusUnavailable, "expired"},
		{"last valid moment", versions, at(t1.Add(week), 0), ErrRevoked, ""},
		{"old list too old for the verifier", versions, at(t1.Add(-time.Hour), 24*time.Hour), ErrStatusUnavailable, "older than the 24h0m0s the verifier accepts"},
		{"recent enough", versions, at(t1.Add(time.Hour), 24*time.Hour), ErrRevoked, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckStatus(context.Background(), b[0], tt.fetcher, tt.opts)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}

	// A list without a validity period is never believed: yesterday's
	// list would keep a revoked credential valid for ever.
	noWindow := FetcherFunc(func(context.Context, string) ([]byte, error) {
		doc, err := StatusListCredential{ID: b[0].StatusListCredential, Issuer: DIDKey(key.Public().(ed25519.PublicKey)),
			Purpose: StatusRevocation, ValidFrom: t0, List: NewStatusList(0)}.Marshal()
		require.NoError(t, err)
		return AddProof(doc, key, ProofOptions{Created: t0})
	})
	err = CheckStatus(context.Background(), b[0], noWindow, at(t0.Add(time.Hour), 0))
	require.ErrorIs(t, err, ErrStatusUnavailable)
	assert.Contains(t, err.Error(), "no validity period")
}

// TestStatusSize checks that an entry of more than one bit is never read
// at its index: a revoked credential whose entry claims statusSize 2 is
// not valid.
func TestStatusSize(t *testing.T) {
	key := vectorKey(t)
	dir, r := newRegistry(t, key, t0)
	require.NoError(t, r.Revoke("urn:cert:b"))
	require.NoError(t, r.Save(key, t0))
	b, err := r.Entries("urn:cert:b")
	require.NoError(t, err)
	opts := trustVector(t)
	opts.Now = t0.Add(time.Hour)
	for size, want := range map[int]error{1: ErrRevoked, 2: ErrStatusUnavailable, 0: ErrStatusUnavailable, 8: ErrStatusUnavailable} {
		e := b[0]
		e.StatusSize = &size
		err := CheckStatus(context.Background(), e, DirFetcher{Dir: dir}, opts)
		assert.ErrorIs(t, err, want, "statusSize %d", size)
	}

	// Through a signed credential, as a holder would present it.
	pub := key.Public().(ed25519.PublicKey)
	vc := map[string]any{
		"@context":          []string{CredentialsContext},
		"type":              []string{"VerifiableCredential"},
		"issuer":            DIDKey(pub),
		"credentialSubject": map[string]any{"id": "urn:x"},
		"credentialStatus": map[string]any{"type": StatusListEntryType, "statusPurpose": StatusRevocation, "statusSize": 2,
			"statusListIndex": b[0].StatusListIndex, "statusListCredential": b[0].StatusListCredential},
	}
	data, err := json.Marshal(vc)
	require.NoError(t, err)
	signed, err := AddProof(data, key, ProofOptions{Created: t0})
	require.NoError(t, err)
	_, err = VerifyCredential(context.Background(), signed, CertificateVerifyOptions{
		TrustedKeys: []ed25519.PublicKey{pub}, Now: t0.Add(time.Hour), Status: DirFetcher{Dir: dir}})
	require.ErrorIs(t, err, ErrStatusUnavailable)
	assert.Contains(t, err.Error(), "unsupported statusSize 2")
}

// TestRegistryFiles checks the files a Save writes: the current lists,
// one version per list and time, and the state with the lists' digests.
func TestRegistryFiles(t *testing.T) {
	key := vectorKey(t)
	dir, r := newRegistry(t, key, t0)
	require.NoError(t, r.Save(key, t0)) // again at the same time: same version
	require.NoError(t, r.Revoke("urn:cert:a"))
	require.NoError(t, r.Save(key, t1))
	for _, p := range registryPurposes {
		names, err := os.ReadDir(filepath.Join(dir, versionsDir, p))
		require.NoError(t, err)
		var got []string
		for _, n := range names {
			got = append(got, n.Name())
		}
		assert.Equal(t, []string{"20261001T090000Z.json", "20261003T090000Z.json"}, got, p)
		cur, err := os.ReadFile(filepath.Join(dir, p+".json"))
		require.NoError(t, err)
		last, err := os.ReadFile(filepath.Join(dir, versionsDir, p, "20261003T090000Z.json"))
		require.NoError(t, err)
		assert.Equal(t, cur, last)
	}
	var st map[string]any
	data, err := os.ReadFile(filepath.Join(dir, registryIndexFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &st))
	assert.Equal(t, registryFormat, st["format"])
	assert.Equal(t, []any{"urn:cert:a"}, st["revoked"])
	assert.EqualValues(t, 3, st["saves"])
	assert.EqualValues(t, 3, st["next"])
	assert.EqualValues(t, 7*24*3600, st["listValiditySeconds"])
	lists := st["lists"].(map[string]any)
	assert.Equal(t, "2026-10-03T09:00:00Z", lists["revocation"].(map[string]any)["validFrom"])
	assert.Equal(t, "2026-10-10T09:00:00Z", lists["revocation"].(map[string]any)["validUntil"])
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.HasPrefix(e.Name(), ".tmp-"), "no temporary file is left: %s", e.Name())
	}

	// The past cannot be rewritten.
	err = r.Save(key, t1.Add(-time.Second))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "would change the past")
	// A custom validity.
	r2, err := CreateStatusRegistry(filepath.Join(t.TempDir(), "s"), StatusRegistryOptions{BaseURL: "https://x.example/s", ListValidity: 36 * time.Hour})
	require.NoError(t, err)
	assert.Equal(t, 36*time.Hour, r2.ListValidity())
	for _, bad := range []time.Duration{-time.Hour, time.Millisecond} {
		_, err := CreateStatusRegistry(t.TempDir(), StatusRegistryOptions{BaseURL: "https://x.example/s", ListValidity: bad})
		assert.Error(t, err, bad)
	}
}

// TestRegistryRefusesInconsistentState damages a saved registry in the
// ways a stale backup, a hand edit or an interrupted Save would, and
// checks that OpenStatusRegistry refuses each with ErrRegistryInconsistent
// (never fs.ErrNotExist, which would let certify create a new registry
// over it), saying what disagrees.
func TestRegistryRefusesInconsistentState(t *testing.T) {
	key := vectorKey(t)
	// before: the state after three certificates; after: a fourth
	// certificate, revoked, saved a day later.
	build := func(t *testing.T) (dir string, before []byte) {
		dir, r := newRegistry(t, key, t0)
		before, err := os.ReadFile(filepath.Join(dir, registryIndexFile))
		require.NoError(t, err)
		_, err = r.Allocate("urn:cert:d")
		require.NoError(t, err)
		require.NoError(t, r.Revoke("urn:cert:d"))
		require.NoError(t, r.Save(key, t1))
		return dir, before
	}
	editState := func(f func(st map[string]any)) func(t *testing.T, dir string, before []byte) {
		return func(t *testing.T, dir string, _ []byte) {
			name := filepath.Join(dir, registryIndexFile)
			data, err := os.ReadFile(name)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(name, edit(t, data, f), 0o644))
		}
	}
	write := func(rel, content string) func(t *testing.T, dir string, before []byte) {
		return func(t *testing.T, dir string, _ []byte) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, rel), []byte(content), 0o644))
		}
	}
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string, before []byte)
		msg    string
	}{
		{"stale index.json from a backup", func(t *testing.T, dir string, before []byte) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, registryIndexFile), before, 0o644))
		}, "is not the revocation list that index.json records as published last"},
		{"stale index.json of the same second", func(t *testing.T, dir string, _ []byte) {
			r, err := OpenStatusRegistry(dir)
			require.NoError(t, err)
			stale, err := os.ReadFile(filepath.Join(dir, registryIndexFile))
			require.NoError(t, err)
			_, err = r.Allocate("urn:cert:e")
			require.NoError(t, err)
			require.NoError(t, r.Save(key, t1)) // same time, same bits
			require.NoError(t, os.WriteFile(filepath.Join(dir, registryIndexFile), stale, 0o644))
		}, "is not the revocation list that index.json records as published last"},
		{"next lowered", editState(func(st map[string]any) { st["next"] = 3.0 }), "4 certificates have an index, but next says 3"},
		{"entry removed", editState(func(st map[string]any) {
			delete(st["entries"].(map[string]any), "urn:cert:d")
			st["next"] = 3.0
			st["revoked"] = []any{}
		}), "sets other bits than the revocation certificates"},
		{"entry moved to another index", editState(func(st map[string]any) { st["entries"].(map[string]any)["urn:cert:a"] = 5.0 }), `certificate "urn:cert:a" has index 5`},
		{"two certificates, one index", editState(func(st map[string]any) {
			e := st["entries"].(map[string]any)
			e["urn:cert:a"] = e["urn:cert:b"]
		}), "which is not one of the first 4 indexes"},
		{"revocation forgotten", editState(func(st map[string]any) { st["revoked"] = []any{} }), "sets other bits than the revocation certificates"},
		{"revocation of an unknown certificate", editState(func(st map[string]any) { st["revoked"] = []any{"urn:cert:x"} }), `revoked certificate "urn:cert:x" has no index`},
		{"list digest changed", editState(func(st map[string]any) {
			st["lists"].(map[string]any)["suspension"].(map[string]any)["sha256"] = strings.Repeat("0", 64)
		}), "suspension.json is not the suspension list"},
		{"unknown member", editState(func(st map[string]any) { st["extra"] = true }), `unknown field "extra"`},
		{"other format", editState(func(st map[string]any) { st["format"] = "creditsco-status-register/1" }), "not \"creditsco-status-register/2\""},
		{"format of the first version", editState(func(st map[string]any) { delete(st, "format") }), `has format ""`},
		{"duplicate entry", func(t *testing.T, dir string, _ []byte) {
			name := filepath.Join(dir, registryIndexFile)
			data, err := os.ReadFile(name)
			require.NoError(t, err)
			data = []byte(strings.Replace(string(data), `"entries": {`, `"entries": {"urn:cert:d": 0,`, 1))
			require.NoError(t, os.WriteFile(name, data, 0o644))
		}, "duplicate"},
		{"not JSON", write(registryIndexFile, "{"), "is not valid JSON"},
		{"current list missing", func(t *testing.T, dir string, _ []byte) {
			require.NoError(t, os.Remove(filepath.Join(dir, "revocation.json")))
		}, "revocation.json: open"},
		{"current list replaced by its previous version", func(t *testing.T, dir string, _ []byte) {
			old, err := os.ReadFile(filepath.Join(dir, versionsDir, "revocation", "20261001T090000Z.json"))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "revocation.json"), old, 0o644))
		}, "revocation.json is not the revocation list"},
		{"a newer version than the state knows", write(filepath.Join(versionsDir, "suspension", "20261004T000000Z.json"), "{}"),
			"was published after the last Save index.json records"},
		{"version of the current list missing", func(t *testing.T, dir string, _ []byte) {
			require.NoError(t, os.Remove(filepath.Join(dir, versionsDir, "revocation", "20261003T090000Z.json")))
		}, "the version of the current revocation list"},
		{"list signed by another key", func(t *testing.T, dir string, _ []byte) {
			other, err := CreateStatusRegistry(filepath.Join(t.TempDir(), "o"), StatusRegistryOptions{BaseURL: "https://issuer.example/status"})
			require.NoError(t, err)
			_, stranger, _ := ed25519.GenerateKey(nil)
			require.NoError(t, other.Save(stranger, t1))
			forged, err := os.ReadFile(filepath.Join(other.dir, "revocation.json"))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "revocation.json"), forged, 0o644))
		}, "revocation.json is not the revocation list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, before := build(t)
			_, err := OpenStatusRegistry(dir)
			require.NoError(t, err, "undamaged")
			tt.damage(t, dir, before)
			_, err = OpenStatusRegistry(dir)
			require.ErrorIs(t, err, ErrRegistryInconsistent)
			assert.NotErrorIs(t, err, os.ErrNotExist)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}

	// A directory with the lists of a registry but no state is not a
	// place for a new registry: it would reuse their indexes.
	dir, _ := build(t)
	require.NoError(t, os.Remove(filepath.Join(dir, registryIndexFile)))
	_, err := OpenStatusRegistry(dir)
	require.ErrorIs(t, err, os.ErrNotExist)
	_, err = CreateStatusRegistry(dir, StatusRegistryOptions{BaseURL: "https://issuer.example/status"})
	require.ErrorIs(t, err, ErrRegistryInconsistent)
	assert.Contains(t, err.Error(), "would reuse the indexes")
}

// TestRegistryInterruptedSave checks that the state is written last: a
// Save that fails after writing the lists leaves a registry that is
// refused, not one that hands out an index again; a Save that succeeds
// afterwards makes it whole.
func TestRegistryInterruptedSave(t *testing.T) {
	key := vectorKey(t)
	dir, r := newRegistry(t, key, t0)
	_, err := r.Allocate("urn:cert:d")
	require.NoError(t, err)
	// The state cannot be written: a directory stands in its way.
	index := filepath.Join(dir, registryIndexFile)
	saved, err := os.ReadFile(index)
	require.NoError(t, err)
	require.NoError(t, os.Remove(index))
	require.NoError(t, os.Mkdir(index, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(index, "x"), nil, 0o644))
	require.Error(t, r.Save(key, t1))
	require.NoError(t, os.RemoveAll(index))
	require.NoError(t, os.WriteFile(index, saved, 0o644))
	_, err = OpenStatusRegistry(dir)
	require.ErrorIs(t, err, ErrRegistryInconsistent)

	require.NoError(t, r.Save(key, t1))
	reopened, err := OpenStatusRegistry(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"urn:cert:a", "urn:cert:b", "urn:cert:c", "urn:cert:d"}, reopened.IDs())
}

// TestZeroRegistry checks that a nil or zero StatusRegistry answers every
// method with an error or a zero value, never a panic, also as an
// Issuer's registry.
func TestZeroRegistry(t *testing.T) {
	var nilReg *StatusRegistry
	for name, r := range map[string]*StatusRegistry{"nil": nilReg, "zero": {}} {
		_, err := r.Allocate("urn:x")
		assert.Error(t, err, name)
		_, err = r.Entries("urn:x")
		assert.Error(t, err, name)
		assert.Error(t, r.Revoke("urn:x"), name)
		assert.Error(t, r.Suspend("urn:x"), name)
		assert.Error(t, r.Unsuspend("urn:x"), name)
		_, _, err = r.Status("urn:x")
		assert.Error(t, err, name)
		assert.Error(t, r.Save(vectorKey(t), t0), name)
		assert.Empty(t, r.BaseURL(), name)
		assert.Empty(t, r.Issuer(), name)
		assert.Empty(t, r.ListURL(StatusRevocation), name)
		assert.Zero(t, r.ListValidity(), name)
		assert.Empty(t, r.IDs(), name)
	}
	samples, rs := certifiableSamples(t)
	is, err := NewIssuer(rs, IssueOptions{Key: testKey(t), Now: issueTime, Status: &StatusRegistry{}})
	require.NoError(t, err)
	_, _, err = is.Issue(samples[0].assessment)
	assert.ErrorContains(t, err, "zero StatusRegistry")
}
