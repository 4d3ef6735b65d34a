package cert

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// registryIndexFile is the name of a StatusRegistry's index in its
// directory.
const registryIndexFile = "index.json"

// registryPurposes are the status lists every registry keeps; each
// certificate gets the same index in both.
var registryPurposes = []string{StatusRevocation, StatusSuspension}

// registryStride scatters allocated indexes over the list. It is odd, so
// i ↦ i*registryStride mod 2^17 is a bijection: every index is used once,
// in a deterministic order that does not reveal issue order as plainly as
// 0, 1, 2, ... would.
const registryStride = 0x9E3779B1 // odd; from the golden ratio

// A StatusRegistry is an issuer's on-disk set of status lists, kept in
// one directory:
//
//	DIR/index.json       {"baseURL": ..., "next": n, "entries": {certificate id: index}}
//	DIR/revocation.json  signed BitstringStatusListCredential, id BASE/revocation
//	DIR/suspension.json  signed BitstringStatusListCredential, id BASE/suspension
//
// where BASE is the base URL the directory is published at. DirFetcher
// reads this layout, so verifiers can check status from a copy of DIR.
// A StatusRegistry is not safe for concurrent use, and two processes must
// not update one directory at the same time.
type StatusRegistry struct {
	dir   string
	index registryIndex
	lists map[string]*StatusList // by purpose
}

type registryIndex struct {
	BaseURL string `json:"baseURL"`
	// Issuer is the did:key of the key that signs the lists, fixed by
	// the first Save: certificates already issued point at these lists,
	// so re-signing them with another key would break every one of them.
	Issuer  string         `json:"issuer,omitempty"`
	Next    int            `json:"next"`
	Entries map[string]int `json:"entries"`
}

// CreateStatusRegistry creates a new, empty registry in dir (created if
// needed) whose lists will be published under baseURL, for example
// "https://issuer.example/status". Nothing is written until Save. It
// fails if dir already holds a registry.
func CreateStatusRegistry(dir, baseURL string) (*StatusRegistry, error) {
	if baseURL == "" {
		return nil, errors.New("cert: status registry needs a base URL")
	}
	if _, err := os.Stat(filepath.Join(dir, registryIndexFile)); err == nil {
		return nil, fmt.Errorf("cert: status registry already exists in %s", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r := &StatusRegistry{
		dir:   dir,
		index: registryIndex{BaseURL: strings.TrimSuffix(baseURL, "/"), Entries: map[string]int{}},
		lists: map[string]*StatusList{},
	}
	for _, p := range registryPurposes {
		r.lists[p] = NewStatusList(MinStatusListLen)
	}
	return r, nil
}

// OpenStatusRegistry opens the registry in dir, reading the lists from
// its status list credentials (which the registry wrote itself, so their
// proofs are not checked here).
func OpenStatusRegistry(dir string) (*StatusRegistry, error) {
	data, err := os.ReadFile(filepath.Join(dir, registryIndexFile))
	if err != nil {
		return nil, err
	}
	r := &StatusRegistry{dir: dir, lists: map[string]*StatusList{}}
	if err := json.Unmarshal(data, &r.index); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrMalformed, registryIndexFile, err)
	}
	if r.index.Entries == nil {
		r.index.Entries = map[string]int{}
	}
	for _, p := range registryPurposes {
		data, err := os.ReadFile(filepath.Join(dir, p+".json"))
		if errors.Is(err, fs.ErrNotExist) && len(r.index.Entries) == 0 {
			r.lists[p] = NewStatusList(MinStatusListLen)
			continue
		}
		if err != nil {
			return nil, err
		}
		var lc struct {
			Issuer            string `json:"issuer"`
			CredentialSubject struct {
				EncodedList string `json:"encodedList"`
			} `json:"credentialSubject"`
		}
		if err := json.Unmarshal(data, &lc); err != nil {
			return nil, fmt.Errorf("%w: %s.json: %v", ErrMalformed, p, err)
		}
		if r.lists[p], err = DecodeStatusList(lc.CredentialSubject.EncodedList); err != nil {
			return nil, fmt.Errorf("%s.json: %w", p, err)
		}
		if r.index.Issuer == "" {
			r.index.Issuer = lc.Issuer
		}
	}
	return r, nil
}

// BaseURL returns the URL under which the registry's lists are published.
func (r *StatusRegistry) BaseURL() string { return r.index.BaseURL }

// Issuer returns the did:key of the key that signs the registry's lists,
// or "" for a registry that was never saved.
func (r *StatusRegistry) Issuer() string { return r.index.Issuer }

// ListURL returns the URL of the status list for purpose.
func (r *StatusRegistry) ListURL(purpose string) string {
	return r.index.BaseURL + "/" + purpose
}

// Allocate assigns a status list index to the certificate id, if it has
// none yet, and returns its credentialStatus entries: one for revocation
// and one for suspension, in that order. Allocation is deterministic and
// idempotent. Call Save afterwards to persist it.
func (r *StatusRegistry) Allocate(id string) ([]BitstringStatusListEntry, error) {
	if id == "" {
		return nil, errors.New("cert: empty certificate id")
	}
	if _, ok := r.index.Entries[id]; !ok {
		n := r.lists[StatusRevocation].Len()
		if r.index.Next >= n {
			return nil, fmt.Errorf("cert: status registry is full (%d entries)", n)
		}
		// n is a power of two for lists this registry creates; the
		// modulus keeps the mapping a bijection.
		r.index.Entries[id] = int(uint64(r.index.Next) * registryStride % uint64(n))
		r.index.Next++
	}
	return r.Entries(id)
}

// Entries returns the credentialStatus entries of an allocated
// certificate id (revocation first, then suspension).
func (r *StatusRegistry) Entries(id string) ([]BitstringStatusListEntry, error) {
	i, ok := r.index.Entries[id]
	if !ok {
		return nil, fmt.Errorf("cert: no status entry for certificate %q", id)
	}
	entries := make([]BitstringStatusListEntry, 0, len(registryPurposes))
	for _, p := range registryPurposes {
		entries = append(entries, NewStatusEntry(r.ListURL(p), p, i))
	}
	return entries, nil
}

// Revoke marks certificate id as revoked. Revocation is permanent.
func (r *StatusRegistry) Revoke(id string) error { return r.set(id, StatusRevocation, true) }

// Suspend marks certificate id as suspended.
func (r *StatusRegistry) Suspend(id string) error { return r.set(id, StatusSuspension, true) }

// Unsuspend lifts a suspension of certificate id.
func (r *StatusRegistry) Unsuspend(id string) error { return r.set(id, StatusSuspension, false) }

func (r *StatusRegistry) set(id, purpose string, status bool) error {
	i, ok := r.index.Entries[id]
	if !ok {
		return fmt.Errorf("cert: no status entry for certificate %q", id)
	}
	return r.lists[purpose].Set(i, status)
}

// Status reports whether certificate id is revoked and whether it is
// suspended, as recorded in the registry.
func (r *StatusRegistry) Status(id string) (revoked, suspended bool, err error) {
	i, ok := r.index.Entries[id]
	if !ok {
		return false, false, fmt.Errorf("cert: no status entry for certificate %q", id)
	}
	revoked, _ = r.lists[StatusRevocation].Get(i)
	suspended, _ = r.lists[StatusSuspension].Get(i)
	return revoked, suspended, nil
}

// IDs returns the allocated certificate ids in sorted order.
func (r *StatusRegistry) IDs() []string {
	ids := make([]string, 0, len(r.index.Entries))
	for id := range r.index.Entries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Save signs both status list credentials with key (issuer DIDKey of its
// public key, validFrom and proof created at now) and writes them and the
// index to the registry's directory. Each file is replaced atomically.
// The first Save fixes the signing key; a later Save with another key
// fails with ErrUntrustedKey and writes nothing.
func (r *StatusRegistry) Save(key ed25519.PrivateKey, now time.Time) error {
	if len(key) != ed25519.PrivateKeySize {
		return fmt.Errorf("%w: invalid Ed25519 private key", ErrMalformed)
	}
	issuer := DIDKey(key.Public().(ed25519.PublicKey))
	if r.index.Issuer != "" && r.index.Issuer != issuer {
		return fmt.Errorf("%w: the status lists in %s are signed by %s, not %s", ErrUntrustedKey, r.dir, r.index.Issuer, issuer)
	}
	r.index.Issuer = issuer
	for _, p := range registryPurposes {
		doc, err := StatusListCredential{
			ID:        r.ListURL(p),
			Issuer:    issuer,
			Purpose:   p,
			ValidFrom: now,
			List:      r.lists[p],
		}.Marshal()
		if err != nil {
			return err
		}
		signed, err := AddProof(doc, key, ProofOptions{Created: now})
		if err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(r.dir, p+".json"), signed); err != nil {
			return err
		}
	}
	index, err := json.MarshalIndent(r.index, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(r.dir, registryIndexFile), append(index, '\n'))
}

// writeFileAtomic writes data to a temporary file next to name and renames
// it over name, so readers never see a partial file.
func writeFileAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-"+filepath.Base(name)+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
