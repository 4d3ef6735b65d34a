package cert

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// StatusIndexStride is the multiplier of StatusIndex. It is odd, so that
// i ↦ i × StatusIndexStride mod n is a bijection for every list length n
// that is a power of two.
const StatusIndexStride = registryStride

// StatusIndex returns the index that a register hands out i-th (from 0)
// in a status list of n entries, n a power of two: i × StatusIndexStride
// mod n. The order is repeatable and scattered over the list, so that an
// index does not tell the order of issue as plainly as 0, 1, 2... would;
// the first n indexes are all different.
func StatusIndex(i, n int) int { return strideIndex(i, n) }

// A StatusRegistryState is the state of a StatusRegistry: what its
// index.json records, and the versions of its lists its directory keeps.
type StatusRegistryState struct {
	BaseURL      string
	Issuer       string // did:key of the key that signs the lists; "" before the first Save
	ListLength   int
	ListValidity time.Duration
	// Next is the number of indexes handed out; Entries maps each
	// certificate id to its index, StatusIndex(k, ListLength) for the
	// k-th certificate.
	Next    int
	Entries map[string]int
	// Revoked and Suspended are the certificate ids revoked and
	// suspended, sorted.
	Revoked, Suspended []string
	// Versions are the validFrom times of the versions of each list
	// (by purpose) in the directory, oldest first; DirFetcher.FetchAt at
	// such a time reads that version.
	Versions map[string][]time.Time
}

// State returns the state of r as it is in memory: right after
// OpenStatusRegistry, what the directory holds, checked against its
// lists. It is how a register kept elsewhere (package credit/register)
// imports a file register. The result is a copy.
func (r *StatusRegistry) State() (*StatusRegistryState, error) {
	if r.zero() {
		return nil, errZeroRegistry
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	s := &StatusRegistryState{
		BaseURL:      r.state.BaseURL,
		Issuer:       r.state.Issuer,
		ListLength:   r.state.ListLength,
		ListValidity: r.validity,
		Next:         r.state.Next,
		Entries:      maps.Clone(r.state.Entries),
		Revoked:      sortedKeys(r.revoked),
		Suspended:    sortedKeys(r.suspended),
		Versions:     map[string][]time.Time{},
	}
	for _, p := range registryPurposes {
		entries, err := os.ReadDir(filepath.Join(r.dir, versionsDir, p))
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		for _, e := range entries {
			stamp, ok := strings.CutSuffix(e.Name(), ".json")
			if t, err := time.Parse(versionStamp, stamp); ok && err == nil && !e.IsDir() && versionName(t) == e.Name() {
				s.Versions[p] = append(s.Versions[p], t)
			}
		}
		slices.SortFunc(s.Versions[p], time.Time.Compare)
	}
	return s, nil
}
