package cert

import (
	"context"
	"crypto/ed25519"
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

func TestReadStatusList(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	l := NewStatusList(MinStatusListLen)
	require.NoError(t, l.Set(7, true))
	doc, err := StatusListCredential{
		ID: "https://status.example/credit/revocation", Issuer: DIDKey(pub), Purpose: StatusRevocation,
		ValidFrom: issueTime, ValidUntil: issueTime.Add(time.Hour), List: l,
	}.Marshal()
	require.NoError(t, err)
	signed, err := AddProof(doc, key, ProofOptions{Created: issueTime})
	require.NoError(t, err)
	opts := VerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime}
	info, err := ReadStatusList(signed, opts)
	require.NoError(t, err)
	assert.Equal(t, "https://status.example/credit/revocation", info.ID)
	assert.Equal(t, DIDKey(pub), info.Issuer)
	assert.Equal(t, StatusRevocation, info.Purpose)
	assert.Equal(t, "2026-10-01T09:00:00Z", info.ValidFrom)
	assert.Equal(t, "2026-10-01T10:00:00Z", info.ValidUntil)
	set, _ := info.List.Get(7)
	assert.True(t, set)

	_, err = ReadStatusList(doc, opts)
	assert.ErrorIs(t, err, ErrNoProof)
	other := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	_, err = ReadStatusList(signed, VerifyOptions{TrustedKeys: []ed25519.PublicKey{other}, Now: issueTime})
	assert.ErrorIs(t, err, ErrUntrustedKey)
	vc, err := AddProof([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"`+DIDKey(pub)+`","credentialSubject":{"id":"urn:x"}}`), key, ProofOptions{Created: issueTime})
	require.NoError(t, err)
	_, err = ReadStatusList(vc, opts)
	assert.ErrorIs(t, err, ErrMalformed)
}
