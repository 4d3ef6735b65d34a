package cert

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// specEncodedList is the encodedList of the BitstringStatusListCredential
// example of Bitstring Status List v1.0: 131,072 zero bits.
const specEncodedList = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"

func TestDecodeSpecExample(t *testing.T) {
	l, err := DecodeStatusList(specEncodedList)
	require.NoError(t, err)
	assert.Equal(t, MinStatusListLen, l.Len())
	assert.Equal(t, make([]byte, MinStatusListLen/8), l.bits)
}

func TestStatusListBits(t *testing.T) {
	l := NewStatusList(0)
	require.Equal(t, MinStatusListLen, l.Len())
	assert.Equal(t, MinStatusListLen+8, NewStatusList(MinStatusListLen+1).Len())

	// Index 0 is the most significant (left-most) bit of the first byte.
	require.NoError(t, l.Set(0, true))
	require.NoError(t, l.Set(9, true))
	require.NoError(t, l.Set(l.Len()-1, true))
	assert.Equal(t, byte(0x80), l.bits[0])
	assert.Equal(t, byte(0x40), l.bits[1])
	assert.Equal(t, byte(0x01), l.bits[len(l.bits)-1])

	for _, i := range []int{0, 9, l.Len() - 1} {
		set, err := l.Get(i)
		require.NoError(t, err)
		assert.True(t, set, i)
	}
	set, err := l.Get(1)
	require.NoError(t, err)
	assert.False(t, set)
	require.NoError(t, l.Set(9, false))
	set, _ = l.Get(9)
	assert.False(t, set)

	for _, i := range []int{-1, l.Len()} {
		_, err := l.Get(i)
		assert.ErrorIs(t, err, ErrStatusUnavailable)
		assert.ErrorIs(t, l.Set(i, true), ErrStatusUnavailable)
	}
}

func TestStatusListRoundTrip(t *testing.T) {
	l := NewStatusList(0)
	for _, i := range []int{0, 7, 8, 94567, 131071} {
		require.NoError(t, l.Set(i, true))
	}
	enc, err := l.Encode()
	require.NoError(t, err)
	assert.Equal(t, byte('u'), enc[0])
	enc2, err := l.Encode()
	require.NoError(t, err)
	assert.Equal(t, enc, enc2, "encoding is deterministic")

	back, err := DecodeStatusList(enc)
	require.NoError(t, err)
	assert.Equal(t, l.bits, back.bits)

	// An all-zero list encodes to what the specification shows, up to
	// gzip's choices; both decode to the same bits.
	empty, err := NewStatusList(0).Encode()
	require.NoError(t, err)
	a, _ := DecodeStatusList(empty)
	b, _ := DecodeStatusList(specEncodedList)
	assert.Equal(t, a.bits, b.bits)
}

func gzipBase64(t *testing.T, data []byte) string {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return EncodeBase64URL(buf.Bytes())
}

func TestDecodeStatusListRejects(t *testing.T) {
	tests := []struct{ name, enc string }{
		{"empty", ""},
		{"no multibase prefix", specEncodedList[1:]},
		{"base58 prefix", "z" + specEncodedList[1:]},
		{"padding", specEncodedList + "="},
		{"not gzip", EncodeBase64URL([]byte("plain bytes"))},
		{"truncated gzip", specEncodedList[:len(specEncodedList)-8]},
		{"too short", gzipBase64(t, make([]byte, MinStatusListLen/8-1))},
		{"too long", gzipBase64(t, make([]byte, maxStatusListBytes+1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeStatusList(tt.enc)
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
}

func TestStatusEntries(t *testing.T) {
	e := NewStatusEntry("https://example.com/credentials/status/3", StatusRevocation, 94567)
	assert.Equal(t, BitstringStatusListEntry{
		ID:                   "https://example.com/credentials/status/3#94567",
		Type:                 "BitstringStatusListEntry",
		StatusPurpose:        "revocation",
		StatusListIndex:      "94567",
		StatusListCredential: "https://example.com/credentials/status/3",
	}, e)

	one, err := json.Marshal(map[string]any{"credentialStatus": e})
	require.NoError(t, err)
	got, err := StatusEntries(one)
	require.NoError(t, err)
	assert.Equal(t, []BitstringStatusListEntry{e}, got)

	two, err := json.Marshal(map[string]any{"credentialStatus": []any{e, e}})
	require.NoError(t, err)
	got, err = StatusEntries(two)
	require.NoError(t, err)
	assert.Len(t, got, 2)

	got, err = StatusEntries([]byte(`{"id":"x"}`))
	require.NoError(t, err)
	assert.Empty(t, got)
	_, err = StatusEntries([]byte(`{"credentialStatus":{"statusListIndex":5}}`))
	assert.ErrorIs(t, err, ErrMalformed)

	for s, ok := range map[string]bool{"0": true, "94567": true, "": false, "-1": false, "+1": false, "01": false, "1e3": false, "99999999999": false} {
		_, err := BitstringStatusListEntry{StatusListIndex: s}.Index()
		assert.Equal(t, ok, err == nil, s)
	}
}

func TestDirFetcher(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "revocation.json"), []byte("R"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "list-7.json"), []byte("L"), 0o644))
	f := DirFetcher{Dir: dir}
	ctx := context.Background()
	for url, want := range map[string]string{
		"https://issuer.example/status/revocation":       "R",
		"https://issuer.example/status/revocation?x=1#y": "R",
		"https://issuer.example/lists/list-7.json":       "L",
	} {
		got, err := f.Fetch(ctx, url)
		require.NoError(t, err, url)
		assert.Equal(t, want, string(got), url)
	}
	for _, url := range []string{"https://issuer.example/", "https://issuer.example", "https://issuer.example/status/missing", "%zz"} {
		_, err := f.Fetch(ctx, url)
		assert.Error(t, err, url)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err := f.Fetch(cancelled, "https://issuer.example/status/revocation")
	assert.ErrorIs(t, err, context.Canceled)
}

// newRegistry creates a registry with three certificates, saved to disk.
func newRegistry(t *testing.T, key ed25519.PrivateKey, now time.Time) (string, *StatusRegistry) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "status")
	r, err := CreateStatusRegistry(dir, StatusRegistryOptions{BaseURL: "https://issuer.example/status/"})
	require.NoError(t, err)
	for _, id := range []string{"urn:cert:a", "urn:cert:b", "urn:cert:c"} {
		_, err := r.Allocate(id)
		require.NoError(t, err)
	}
	require.NoError(t, r.Save(key, now))
	return dir, r
}

func TestStatusRegistry(t *testing.T) {
	key := vectorKey(t)
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	dir, r := newRegistry(t, key, now)

	_, err := CreateStatusRegistry(dir, StatusRegistryOptions{BaseURL: "https://other.example"})
	assert.Error(t, err, "a registry is never created over an existing one")

	entries, err := r.Allocate("urn:cert:a")
	require.NoError(t, err)
	again, err := r.Allocate("urn:cert:a")
	require.NoError(t, err)
	assert.Equal(t, entries, again, "allocation is idempotent")
	require.Len(t, entries, 2)
	assert.Equal(t, StatusRevocation, entries[0].StatusPurpose)
	assert.Equal(t, "https://issuer.example/status/revocation", entries[0].StatusListCredential)
	assert.Equal(t, StatusSuspension, entries[1].StatusPurpose)
	assert.Equal(t, entries[0].StatusListIndex, entries[1].StatusListIndex)

	// Distinct certificates get distinct indexes.
	seen := map[string]bool{}
	for _, id := range r.IDs() {
		e, err := r.Entries(id)
		require.NoError(t, err)
		assert.False(t, seen[e[0].StatusListIndex])
		seen[e[0].StatusListIndex] = true
	}
	assert.Len(t, seen, 3)

	// Update on disk, as "certify revoke -key FILE -status DIR ID" would.
	r2, err := OpenStatusRegistry(dir)
	require.NoError(t, err)
	require.NoError(t, r2.Revoke("urn:cert:b"))
	require.NoError(t, r2.Suspend("urn:cert:c"))
	assert.Error(t, r2.Revoke("urn:cert:unknown"))
	require.NoError(t, r2.Save(key, now.Add(time.Hour)))

	r3, err := OpenStatusRegistry(dir)
	require.NoError(t, err)
	for id, want := range map[string][2]bool{"urn:cert:a": {false, false}, "urn:cert:b": {true, false}, "urn:cert:c": {false, true}} {
		rev, sus, err := r3.Status(id)
		require.NoError(t, err)
		assert.Equal(t, want, [2]bool{rev, sus}, id)
	}
	require.NoError(t, r3.Unsuspend("urn:cert:c"))
	_, sus, _ := r3.Status("urn:cert:c")
	assert.False(t, sus)
}

func TestCheckStatus(t *testing.T) {
	key := vectorKey(t)
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	dir, r := newRegistry(t, key, now)
	require.NoError(t, r.Revoke("urn:cert:b"))
	require.NoError(t, r.Suspend("urn:cert:c"))
	require.NoError(t, r.Save(key, now))

	fetcher := DirFetcher{Dir: dir}
	opts := trustVector(t)
	opts.Now = now.Add(time.Minute)
	entries := func(id string) []BitstringStatusListEntry {
		e, err := r.Entries(id)
		require.NoError(t, err)
		return e
	}
	ctx := context.Background()

	check := func(e BitstringStatusListEntry, f StatusFetcher, o VerifyOptions) error {
		return CheckStatus(ctx, e, f, o)
	}
	a, b, c := entries("urn:cert:a"), entries("urn:cert:b"), entries("urn:cert:c")

	// A list signed by someone else, and a list that is too short, served
	// under the right names.
	_, stranger, _ := ed25519.GenerateKey(nil)
	foreignDir, _ := newRegistry(t, stranger, now)
	shortList := func(context.Context, string) ([]byte, error) {
		doc, err := StatusListCredential{
			ID: a[0].StatusListCredential, Issuer: DIDKey(key.Public().(ed25519.PublicKey)),
			Purpose: StatusRevocation, List: &StatusList{bits: make([]byte, 1024)},
		}.Marshal()
		require.NoError(t, err)
		return AddProof(doc, key, ProofOptions{Created: now})
	}
	swapped := FetcherFunc(func(ctx context.Context, url string) ([]byte, error) {
		return fetcher.Fetch(ctx, a[1].StatusListCredential) // always the suspension list
	})
	later := opts
	later.Now = now.Add(-time.Hour) // before the list's validFrom
	noTrust := opts
	noTrust.TrustedKeys = nil

	withIndex := func(e BitstringStatusListEntry, i string) BitstringStatusListEntry {
		e.StatusListIndex = i
		return e
	}
	withType := func(e BitstringStatusListEntry, typ, purpose string) BitstringStatusListEntry {
		e.Type, e.StatusPurpose = typ, purpose
		return e
	}

	tests := []struct {
		name    string
		entry   BitstringStatusListEntry
		fetcher StatusFetcher
		opts    VerifyOptions
		want    error // nil: status is valid
	}{
		{"valid revocation", a[0], fetcher, opts, nil},
		{"valid suspension", a[1], fetcher, opts, nil},
		{"revoked", b[0], fetcher, opts, ErrRevoked},
		{"revoked is not suspended", b[1], fetcher, opts, nil},
		{"suspended", c[1], fetcher, opts, ErrSuspended},
		{"list from untrusted issuer", a[0], DirFetcher{Dir: foreignDir}, opts, ErrStatusUnavailable},
		{"no trusted keys", a[0], fetcher, noTrust, ErrStatusUnavailable},
		{"list not yet valid", a[0], fetcher, later, ErrStatusUnavailable},
		{"missing list", a[0], DirFetcher{Dir: t.TempDir()}, opts, ErrStatusUnavailable},
		{"fetch error", a[0], FetcherFunc(func(context.Context, string) ([]byte, error) { return nil, errors.New("offline") }), opts, ErrStatusUnavailable},
		{"wrong list served", a[0], swapped, opts, ErrStatusUnavailable},
		{"list too short", a[0], FetcherFunc(shortList), opts, ErrStatusUnavailable},
		{"index out of range", withIndex(a[0], "131072"), fetcher, opts, ErrStatusUnavailable},
		{"index malformed", withIndex(a[0], "x"), fetcher, opts, ErrMalformed},
		{"other entry type", withType(a[0], "StatusList2021Entry", StatusRevocation), fetcher, opts, ErrStatusUnavailable},
		{"message purpose", withType(a[0], StatusListEntryType, "message"), fetcher, opts, ErrStatusUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := check(tt.entry, tt.fetcher, tt.opts)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			// The code names the status problem, not its underlying cause.
			assert.Equal(t, Code(tt.want), Code(err), "%v", err)
		})
	}
}
