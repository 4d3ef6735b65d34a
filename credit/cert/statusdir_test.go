package cert

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatusListPaths(t *testing.T) {
	cur, ver, err := StatusListPaths("revocation-1", time.Date(2026, 10, 1, 9, 0, 0, 0, time.FixedZone("X", 3600)))
	require.NoError(t, err)
	assert.Equal(t, "revocation-1.json", cur)
	assert.Equal(t, filepath.Join("versions", "revocation-1", "20261001T080000Z.json"), ver)
	for _, bad := range []string{"", "a/b", `a\b`, "..", ".hidden", "c:d"} {
		_, _, err := StatusListPaths(bad, time.Now())
		assert.ErrorIs(t, err, ErrMalformed, bad)
	}
}

// TestWriteStatusList checks that lists written with WriteStatusList are
// what DirFetcher reads, now and at a past time.
func TestWriteStatusList(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	require.NoError(t, WriteStatusList(dir, "revocation", t0, []byte(`{"v":1}`), true))
	require.NoError(t, WriteStatusList(dir, "revocation", t0.Add(time.Hour), []byte(`{"v":2}`), true))
	require.NoError(t, WriteStatusList(dir, "revocation", t0.Add(30*time.Minute), []byte(`{"v":"old"}`), false))
	f := DirFetcher{Dir: dir}
	ctx := context.Background()
	url := "https://status.example/credit/revocation"
	got, err := f.Fetch(ctx, url)
	require.NoError(t, err)
	assert.Equal(t, `{"v":2}`, string(got))
	for at, want := range map[time.Time]string{t0: `{"v":1}`, t0.Add(45 * time.Minute): `{"v":"old"}`, t0.Add(2 * time.Hour): `{"v":2}`} {
		got, err := f.FetchAt(ctx, url, at)
		require.NoError(t, err)
		assert.Equal(t, want, string(got), at)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary files left: %v", entries)
	assert.Error(t, WriteStatusList(dir, "../x", t0, nil, true))
}

func TestStatusRegistryState(t *testing.T) {
	dir := t.TempDir()
	key := testKey(t)
	r, err := CreateStatusRegistry(dir, StatusRegistryOptions{BaseURL: "https://status.example/credit/"})
	require.NoError(t, err)
	for _, id := range []string{"urn:a", "urn:b", "urn:c"} {
		_, err := r.Allocate(id)
		require.NoError(t, err)
	}
	require.NoError(t, r.Save(key, issueTime))
	require.NoError(t, r.Revoke("urn:b"))
	require.NoError(t, r.Suspend("urn:c"))
	require.NoError(t, r.Save(key, issueTime.Add(time.Hour)))

	r, err = OpenStatusRegistry(dir)
	require.NoError(t, err)
	s, err := r.State()
	require.NoError(t, err)
	n := MinStatusListLen
	assert.Equal(t, &StatusRegistryState{
		BaseURL: "https://status.example/credit", Issuer: r.Issuer(), ListLength: n, ListValidity: DefaultListValidity,
		Next:    3,
		Entries: map[string]int{"urn:a": StatusIndex(0, n), "urn:b": StatusIndex(1, n), "urn:c": StatusIndex(2, n)},
		Revoked: []string{"urn:b"}, Suspended: []string{"urn:c"},
		Versions: map[string][]time.Time{
			StatusRevocation: {issueTime, issueTime.Add(time.Hour)},
			StatusSuspension: {issueTime, issueTime.Add(time.Hour)},
		},
	}, s)
	_, err = (&StatusRegistry{}).State()
	assert.Error(t, err)

	// StatusIndex hands out every index of a list once.
	seen := make([]bool, n)
	for i := range n {
		k := StatusIndex(i, n)
		require.False(t, seen[k], "index %d twice", k)
		seen[k] = true
	}
}

func TestAllocateStatus(t *testing.T) {
	r, err := CreateStatusRegistry(t.TempDir(), StatusRegistryOptions{BaseURL: "https://status.example/credit"})
	require.NoError(t, err)
	_, err = r.AllocateStatus(context.Background(), nil)
	assert.Error(t, err)
	es, err := r.AllocateStatus(context.Background(), &Certificate{ID: "urn:a"})
	require.NoError(t, err)
	want, err := r.Entries("urn:a")
	require.NoError(t, err)
	assert.Equal(t, want, es)

	// A nil *StatusRegistry means no status, as before StatusAllocator.
	samples, rs := certifiableSamples(t)
	is, err := NewIssuer(rs, IssueOptions{Key: testKey(t), Now: issueTime, Status: (*StatusRegistry)(nil)})
	require.NoError(t, err)
	_, c, err := is.Issue(samples[0].assessment)
	require.NoError(t, err)
	assert.Empty(t, c.CredentialStatus)
}
