package cert

import (
	"context"
	"crypto/ed25519"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentIssueVerifyRevoke issues, verifies, revokes and saves on
// one status registry from many goroutines at once (run it with -race):
// every certificate gets an index of its own, a verifier reading the
// registry's directory meanwhile sees each certificate valid or revoked,
// never a torn file, and the registry reopens consistent with every
// revocation.
func TestConcurrentIssueVerifyRevoke(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	samples, rs := certifiableSamples(t)
	dir := filepath.Join(t.TempDir(), "status")
	reg, err := CreateStatusRegistry(dir, StatusRegistryOptions{BaseURL: "https://status.example/credit"})
	require.NoError(t, err)
	saveAt := issueTime.Add(time.Hour)
	require.NoError(t, reg.Save(key, saveAt))

	const issuers = 4
	var (
		mu     sync.Mutex
		issued = map[string][]byte{} // certificate id → signed
		wg     sync.WaitGroup
	)
	for g := range issuers {
		// Each goroutine issues every sample at its own second, so that
		// the certificates are distinct.
		is, err := NewIssuer(rs, IssueOptions{Key: key, Now: issueTime.Add(time.Duration(g) * time.Second), Status: reg})
		require.NoError(t, err)
		wg.Go(func() {
			for _, s := range samples {
				signed, c, err := is.Issue(s.assessment)
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				issued[c.ID] = signed
				mu.Unlock()
			}
		})
	}
	stop := make(chan struct{})
	var revoked sync.Map
	wg.Go(func() { // a revoker that saves as it goes
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			mu.Lock()
			var id string
			for k := range issued {
				if _, done := revoked.Load(k); !done {
					id = k
					break
				}
			}
			mu.Unlock()
			if id != "" && n%2 == 0 {
				assert.NoError(t, reg.Revoke(id))
				revoked.Store(id, true)
			}
			assert.NoError(t, reg.Save(key, saveAt))
		}
	})
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: saveAt.Add(time.Minute), Status: DirFetcher{Dir: dir}}
	for range 2 {
		wg.Go(func() { // verifiers reading the directory meanwhile
			for {
				select {
				case <-stop:
					return
				default:
				}
				mu.Lock()
				var docs [][]byte
				for _, d := range issued {
					docs = append(docs, d)
				}
				mu.Unlock()
				for _, d := range docs {
					_, err := VerifyCertificate(context.Background(), d, opts)
					if err != nil && !errors.Is(err, ErrRevoked) {
						assert.NoError(t, err)
					}
				}
			}
		})
	}
	// Let the issuers finish and a few revocations happen, then stop the
	// others.
	for {
		mu.Lock()
		n := len(issued)
		mu.Unlock()
		r := 0
		revoked.Range(func(any, any) bool { r++; return true })
		if (n == issuers*len(samples) && r >= 3) || t.Failed() {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(stop)
	wg.Wait()
	require.NoError(t, reg.Save(key, saveAt))

	require.Len(t, issued, issuers*len(samples))
	indexes := map[string]string{}
	for id := range issued {
		e, err := reg.Entries(id)
		require.NoError(t, err)
		require.NotContains(t, indexes, e[0].StatusListIndex, "index of %s handed out twice", id)
		indexes[e[0].StatusListIndex] = id
	}
	reopened, err := OpenStatusRegistry(dir)
	require.NoError(t, err)
	assert.Len(t, reopened.IDs(), len(issued))
	revoked.Range(func(k, _ any) bool {
		rev, _, err := reopened.Status(k.(string))
		assert.NoError(t, err)
		assert.True(t, rev, k)
		_, err = VerifyCertificate(context.Background(), issued[k.(string)], opts)
		assert.ErrorIs(t, err, ErrRevoked)
		return true
	})
}
