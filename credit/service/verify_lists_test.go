package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingLists is a status fetcher that counts its reads.
type countingLists struct{ reads atomic.Int64 }

func (c *countingLists) Fetch(ctx context.Context, url string) ([]byte, error) {
	return c.FetchAt(ctx, url, time.Time{})
}

func (c *countingLists) FetchAt(_ context.Context, url string, at time.Time) ([]byte, error) {
	c.reads.Add(1)
	if url == "broken" {
		return nil, errors.New("register down")
	}
	return []byte(url + "@" + at.Format(time.RFC3339)), nil
}

// TestRequestLists checks that a request reads each list once per time,
// from all its workers, keeps no error, and keeps at most
// maxRequestLists lists.
func TestRequestLists(t *testing.T) {
	src := &countingLists{}
	l := &requestLists{f: src}
	at := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				doc, err := l.FetchAt(context.Background(), "revocation", at)
				assert.NoError(t, err)
				assert.Equal(t, "revocation@2026-10-01T00:00:00Z", string(doc))
			}
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, src.reads.Load(), int64(8), "at most one read per worker that missed")
	before := src.reads.Load()
	_, err := l.Fetch(context.Background(), "revocation")
	require.NoError(t, err)
	assert.Equal(t, before+1, src.reads.Load(), "the latest version is another entry than the one at a time")

	for range 2 {
		_, err := l.Fetch(context.Background(), "broken")
		assert.Error(t, err)
	}
	assert.Equal(t, before+3, src.reads.Load(), "errors are not kept")

	for i := range 2 * maxRequestLists {
		_, err := l.Fetch(context.Background(), fmt.Sprint("list-", i))
		require.NoError(t, err)
	}
	assert.Len(t, l.docs, maxRequestLists)
}
