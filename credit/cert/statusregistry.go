package cert

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// registryIndexFile is the name of a StatusRegistry's state in its
// directory.
const registryIndexFile = "index.json"

// registryFormat names the layout of the state file, so that a state
// written by another version of this package is refused, not misread.
const registryFormat = "creditsco-status-register/2"

// maxRegistryStateBytes bounds the state file a registry reads: 131,072
// entries with their ids, revocations and suspensions take some 40 MB at
// most.
const maxRegistryStateBytes = 64 << 20

// maxCertificateIDBytes bounds a certificate id the registry records.
const maxCertificateIDBytes = 1024

// DefaultListValidity is how long the status lists a StatusRegistry signs
// are valid when StatusRegistryOptions.ListValidity is zero: 7 days, the
// longest interval at which the CA/Browser Forum Baseline Requirements
// (section 4.9.7) let a certification authority publish its next
// revocation list. An issuer re-signs its lists (Save) before they expire;
// verifiers refuse expired lists.
const DefaultListValidity = 7 * 24 * time.Hour

// ErrRegistryInconsistent reports a status registry whose state file
// contradicts its lists, or is damaged: a registry opened in that state
// would hand out an index again or forget a revocation, so it is refused,
// never repaired. The message says what disagrees.
var ErrRegistryInconsistent = errors.New("cert: status registry is inconsistent")

// registryPurposes are the status lists every registry keeps; each
// certificate gets the same index in both.
var registryPurposes = []string{StatusRevocation, StatusSuspension}

// registryStride scatters allocated indexes over the list. It is odd, so
// i ↦ i*registryStride mod n is a bijection for a list length n that is a
// power of two: every index is used once, in a deterministic order that
// does not reveal issue order as plainly as 0, 1, 2, ... would.
const registryStride = 0x9E3779B1 // odd; from the golden ratio

// StatusRegistryOptions configure a new StatusRegistry.
type StatusRegistryOptions struct {
	// BaseURL is the URL the registry's directory is published at, such
	// as "https://issuer.example/status"; required. A trailing slash is
	// dropped.
	BaseURL string
	// ListValidity is the validity period of the status lists Save
	// signs: valid from the time of the Save for this long. Zero means
	// DefaultListValidity.
	ListValidity time.Duration
}

// A StatusRegistry is an issuer's register of status list entries, kept
// in one directory:
//
//	DIR/index.json                  the register's state (below)
//	DIR/revocation.json             the current signed revocation list, id BASE/revocation
//	DIR/suspension.json             the current signed suspension list, id BASE/suspension
//	DIR/versions/revocation/T.json  every revocation list published, by validFrom T (20261001T090000Z)
//	DIR/versions/suspension/T.json  every suspension list published
//
// where BASE is the base URL the directory is published at. DirFetcher
// reads this layout, so verifiers can check status from a copy of DIR, at
// the present or at a past time.
//
// The state is what a register must remember so that an index is never
// handed out twice and a revocation never forgotten: the certificates
// issued with their index, the next index to hand out, the revoked and
// the suspended certificates, the signing key, the list validity, and
// the list versions last published (their times and SHA-256). The lists
// are derived from it. In index.json (format creditsco-status-register/2):
//
//	{"format", "baseURL", "issuer", "listLength", "listValiditySeconds",
//	 "saves", "next", "entries": {certificate id: index},
//	 "revoked": [ids], "suspended": [ids],
//	 "lists": {purpose: {"validFrom", "validUntil", "sha256"}}}
//
// Save writes the new list versions, then the current lists, then the
// state, each to a temporary file that is synced and renamed over the
// old one, with the directory synced after. OpenStatusRegistry checks
// that the state and the lists agree (indexes, bits, signatures,
// digests, no version newer than the state knows) and refuses the
// register (ErrRegistryInconsistent) if they do not, as after a stale or
// damaged index.json or an interrupted Save.
//
// A StatusRegistry is safe for concurrent use. Two processes must not
// update one directory at the same time.
type StatusRegistry struct {
	made      bool // by CreateStatusRegistry or OpenStatusRegistry; never changes
	mu        sync.Mutex
	dir       string
	state     registryState
	validity  time.Duration
	revoked   map[string]bool
	suspended map[string]bool
}

type registryState struct {
	Format              string                    `json:"format"`
	BaseURL             string                    `json:"baseURL"`
	Issuer              string                    `json:"issuer,omitempty"`
	ListLength          int                       `json:"listLength"`
	ListValiditySeconds int64                     `json:"listValiditySeconds"`
	Saves               int64                     `json:"saves"`
	Next                int                       `json:"next"`
	Entries             map[string]int            `json:"entries"`
	Revoked             []string                  `json:"revoked"`
	Suspended           []string                  `json:"suspended"`
	Lists               map[string]*publishedList `json:"lists,omitempty"`
}

// publishedList is the version of a list that the last Save published.
type publishedList struct {
	ValidFrom  string `json:"validFrom"`
	ValidUntil string `json:"validUntil"`
	SHA256     string `json:"sha256"` // hex SHA-256 of the signed file
}

// CreateStatusRegistry creates a new, empty registry in dir (created if
// needed) whose lists will be published under opts.BaseURL. Nothing is
// written until Save. It fails if dir already holds a registry, or the
// lists of one whose state is missing: a new register would hand out the
// indexes of certificates already issued again.
func CreateStatusRegistry(dir string, opts StatusRegistryOptions) (*StatusRegistry, error) {
	if opts.BaseURL == "" {
		return nil, errors.New("cert: status registry needs a base URL")
	}
	if opts.ListValidity < 0 {
		return nil, fmt.Errorf("cert: status list validity %s is negative", opts.ListValidity)
	}
	if opts.ListValidity == 0 {
		opts.ListValidity = DefaultListValidity
	}
	if opts.ListValidity < time.Second {
		return nil, fmt.Errorf("cert: status list validity %s is shorter than a second", opts.ListValidity)
	}
	if _, err := os.Stat(filepath.Join(dir, registryIndexFile)); err == nil {
		return nil, fmt.Errorf("cert: status registry already exists in %s", dir)
	}
	for _, name := range []string{StatusRevocation + ".json", StatusSuspension + ".json", versionsDir} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return nil, fmt.Errorf("%w: %s holds %s but no %s: the state of a registry is missing; restore it rather than start a new registry, which would reuse the indexes of certificates already issued",
				ErrRegistryInconsistent, dir, name, registryIndexFile)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r := &StatusRegistry{
		made: true,
		dir:  dir,
		state: registryState{
			Format:              registryFormat,
			BaseURL:             strings.TrimSuffix(opts.BaseURL, "/"),
			ListLength:          MinStatusListLen,
			ListValiditySeconds: int64(opts.ListValidity / time.Second),
			Entries:             map[string]int{},
		},
		validity:  opts.ListValidity.Truncate(time.Second),
		revoked:   map[string]bool{},
		suspended: map[string]bool{},
	}
	return r, nil
}

// OpenStatusRegistry opens the registry in dir and checks that its state
// and its lists agree. An error wraps fs.ErrNotExist only if dir holds no
// state (index.json); a registry whose state is damaged or contradicts
// its lists is ErrRegistryInconsistent.
func OpenStatusRegistry(dir string) (*StatusRegistry, error) {
	data, err := readFileLimited(filepath.Join(dir, registryIndexFile), maxRegistryStateBytes)
	if err != nil {
		return nil, err
	}
	inconsistent := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrRegistryInconsistent, dir, fmt.Sprintf(format, a...))
	}
	// Parse strictly first: encoding/json would keep the last of two
	// entries for one certificate, silently.
	if _, err := parseJSON(data); err != nil {
		return nil, inconsistent("%s is not valid JSON: %v", registryIndexFile, trimSentinel(err, ErrMalformed))
	}
	r := &StatusRegistry{made: true, dir: dir, revoked: map[string]bool{}, suspended: map[string]bool{}}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r.state); err != nil {
		return nil, inconsistent("%s: %v", registryIndexFile, err)
	}
	if r.state.Entries == nil {
		r.state.Entries = map[string]int{}
	}
	if r.state.Format != registryFormat {
		return nil, inconsistent("%s has format %q, not %q (a register of another version of creditsco)", registryIndexFile, r.state.Format, registryFormat)
	}
	if err := r.checkState(); err != nil {
		return nil, inconsistent("%s: %v", registryIndexFile, err)
	}
	for _, p := range registryPurposes {
		if err := r.checkList(p); err != nil {
			return nil, inconsistent("%v", err)
		}
	}
	return r, nil
}

// checkState checks the state on its own: the entries are exactly the
// indexes allocation hands out for next certificates, the revoked and
// suspended certificates are among them, and the list versions are
// recorded.
func (r *StatusRegistry) checkState() error {
	s := &r.state
	n := s.ListLength
	switch {
	case s.BaseURL == "":
		return errors.New("no baseURL")
	case s.Issuer == "":
		return errors.New("no issuer: the state of a register is written by Save, which records the issuer")
	case n < MinStatusListLen || n > maxStatusListBytes*8 || n&(n-1) != 0:
		return fmt.Errorf("listLength %d is not a power of two from %d to %d", n, MinStatusListLen, maxStatusListBytes*8)
	case s.ListValiditySeconds <= 0 || s.ListValiditySeconds > int64(100*365*24*time.Hour/time.Second):
		return fmt.Errorf("listValiditySeconds %d is not a positive duration", s.ListValiditySeconds)
	case s.Next < 0 || s.Next > n:
		return fmt.Errorf("next %d is outside [0, %d]", s.Next, n)
	case len(s.Entries) != s.Next:
		return fmt.Errorf("%d certificates have an index, but next says %d were handed out", len(s.Entries), s.Next)
	case s.Saves < 1:
		return fmt.Errorf("saves %d: the state is written by a Save", s.Saves)
	}
	r.validity = time.Duration(s.ListValiditySeconds) * time.Second
	// Allocation hands out stride(0), stride(1), ...: the entries must be
	// exactly the first next of them, each once. Any other index, or one
	// missing, means the state is not the one that handed them out.
	handed := make([]bool, n)
	for i := range s.Next {
		handed[strideIndex(i, n)] = true
	}
	for id, idx := range s.Entries {
		if id == "" || idx < 0 || idx >= n || !handed[idx] {
			return fmt.Errorf("certificate %q has index %d, which is not one of the first %d indexes the register hands out", id, idx, s.Next)
		}
		handed[idx] = false // a second certificate with it fails above
	}
	for _, set := range []struct {
		name string
		ids  []string
		m    map[string]bool
	}{{"revoked", s.Revoked, r.revoked}, {"suspended", s.Suspended, r.suspended}} {
		if !slices.IsSorted(set.ids) {
			return fmt.Errorf("%s is not sorted", set.name)
		}
		for i, id := range set.ids {
			if _, ok := s.Entries[id]; !ok {
				return fmt.Errorf("%s certificate %q has no index", set.name, id)
			}
			if i > 0 && set.ids[i-1] == id {
				return fmt.Errorf("%s lists %q twice", set.name, id)
			}
			set.m[id] = true
		}
	}
	for _, p := range registryPurposes {
		if s.Lists[p] == nil {
			return fmt.Errorf("no published %s list recorded", p)
		}
	}
	if len(s.Lists) != len(registryPurposes) {
		return fmt.Errorf("lists records %d lists, not %d", len(s.Lists), len(registryPurposes))
	}
	return nil
}

// checkList checks the current list of purpose p and its versions
// against the state: the file is the one the state recorded (SHA-256), it
// is signed by the register's issuer, it is the list of this register and
// purpose with the recorded validity period, its bits are exactly those
// of the certificates the state says are revoked or suspended, the
// version file of its time is the same file, and no version is newer.
func (r *StatusRegistry) checkList(p string) error {
	rec := r.state.Lists[p]
	name := p + ".json"
	data, err := readFileLimited(filepath.Join(r.dir, name), MaxDocumentBytes)
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != rec.SHA256 {
		return fmt.Errorf("%s is not the %s list that %s records as published last (sha256 %s): the state is stale or damaged, or a Save was interrupted; restore the latest index.json, or the list files it records",
			name, p, registryIndexFile, rec.SHA256)
	}
	pub, err := ResolveDIDKey(r.state.Issuer)
	if err != nil {
		return fmt.Errorf("issuer %q is not a did:key: %v", r.state.Issuer, err)
	}
	lc, err := ReadStatusList(data, VerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: mustTime(rec.ValidFrom)})
	if err != nil {
		return fmt.Errorf("%s is not a status list signed by the register's issuer %s: %v", name, r.state.Issuer, err)
	}
	switch {
	case lc.ID != r.listURL(p) || lc.Issuer != r.state.Issuer || lc.Purpose != p:
		return fmt.Errorf("%s is the %s list %s of %s, not the %s list %s of %s", name, lc.Purpose, lc.ID, lc.Issuer, p, r.listURL(p), r.state.Issuer)
	case lc.ValidFrom != rec.ValidFrom || lc.ValidUntil != rec.ValidUntil:
		return fmt.Errorf("%s is valid from %s until %s, not from %s until %s as recorded", name, lc.ValidFrom, lc.ValidUntil, rec.ValidFrom, rec.ValidUntil)
	}
	list := lc.List
	if list.Len() != r.state.ListLength {
		return fmt.Errorf("%s has %d entries, not the register's %d", name, list.Len(), r.state.ListLength)
	}
	if want := r.bits(p); !bytes.Equal(list.bits, want.bits) {
		return fmt.Errorf("%s sets other bits than the %s certificates of %s: the state is stale or damaged", name, p, registryIndexFile)
	}
	// The version file of the current list, and nothing newer.
	vdir := filepath.Join(r.dir, versionsDir, p)
	from := mustTime(rec.ValidFrom)
	v, err := readFileLimited(filepath.Join(vdir, versionName(from)), MaxDocumentBytes)
	if err != nil {
		return fmt.Errorf("the version of the current %s list: %v", p, err)
	}
	if !bytes.Equal(v, data) {
		return fmt.Errorf("%s is not the current %s list", filepath.Join(versionsDir, p, versionName(from)), p)
	}
	entries, err := os.ReadDir(vdir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if stamp, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			if t, err := time.Parse(versionStamp, stamp); err == nil && t.After(from) {
				return fmt.Errorf("%s was published after the last Save %s records (%s): the state is stale, or a Save was interrupted before it recorded that version",
					filepath.Join(versionsDir, p, e.Name()), registryIndexFile, rec.ValidFrom)
			}
		}
	}
	return nil
}

// mustTime parses a time the registry wrote; a malformed one is the zero
// time, which the checks after it then refuse.
func mustTime(s string) time.Time {
	t, _ := parseTime(s)
	return t
}

// strideIndex is the index allocation hands out i-th in a list of n
// entries, n a power of two.
func strideIndex(i, n int) int { return int(uint64(i) * registryStride % uint64(n)) }

// errZeroRegistry is the error of the methods of a nil or zero
// StatusRegistry, which has no directory and no state.
var errZeroRegistry = errors.New("cert: nil or zero StatusRegistry; make one with CreateStatusRegistry or OpenStatusRegistry")

// zero reports whether r was not made by CreateStatusRegistry or
// OpenStatusRegistry.
func (r *StatusRegistry) zero() bool { return r == nil || !r.made }

// BaseURL returns the URL under which the registry's lists are published.
func (r *StatusRegistry) BaseURL() string {
	if r.zero() {
		return ""
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state.BaseURL
}

// Issuer returns the did:key of the key that signs the registry's lists,
// or "" for a registry that was never saved.
func (r *StatusRegistry) Issuer() string {
	if r.zero() {
		return ""
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state.Issuer
}

// ListValidity returns the validity period of the lists Save signs.
func (r *StatusRegistry) ListValidity() time.Duration {
	if r.zero() {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.validity
}

// ListURL returns the URL of the status list for purpose.
func (r *StatusRegistry) ListURL(purpose string) string {
	if r.zero() {
		return ""
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.listURL(purpose)
}

func (r *StatusRegistry) listURL(purpose string) string { return r.state.BaseURL + "/" + purpose }

// Allocate assigns a status list index to the certificate id, if it has
// none yet, and returns its credentialStatus entries: one for revocation
// and one for suspension, in that order. Allocation is deterministic and
// idempotent. The index is recorded on disk by the next Save, which must
// succeed before the certificate is handed out: an index not saved may be
// handed out again by a later run.
func (r *StatusRegistry) Allocate(id string) ([]BitstringStatusListEntry, error) {
	if id == "" {
		return nil, errors.New("cert: empty certificate id")
	}
	if len(id) > maxCertificateIDBytes {
		return nil, fmt.Errorf("cert: certificate id of %d bytes is longer than %d", len(id), maxCertificateIDBytes)
	}
	if r.zero() {
		return nil, errZeroRegistry
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.state.Entries[id]; !ok {
		n := r.state.ListLength
		if r.state.Next >= n {
			return nil, fmt.Errorf("cert: status registry is full (%d entries)", n)
		}
		r.state.Entries[id] = strideIndex(r.state.Next, n)
		r.state.Next++
	}
	return r.entries(id)
}

// AllocateStatus is Allocate(c.ID), so that a StatusRegistry is a
// StatusAllocator for IssueOptions.Status; ctx is not used.
func (r *StatusRegistry) AllocateStatus(_ context.Context, c *Certificate) ([]BitstringStatusListEntry, error) {
	if c == nil {
		return nil, errors.New("cert: AllocateStatus of a nil certificate")
	}
	return r.Allocate(c.ID)
}

// Entries returns the credentialStatus entries of an allocated
// certificate id (revocation first, then suspension).
func (r *StatusRegistry) Entries(id string) ([]BitstringStatusListEntry, error) {
	if r.zero() {
		return nil, errZeroRegistry
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.entries(id)
}

func (r *StatusRegistry) entries(id string) ([]BitstringStatusListEntry, error) {
	i, ok := r.state.Entries[id]
	if !ok {
		return nil, fmt.Errorf("cert: no status entry for certificate %q", id)
	}
	entries := make([]BitstringStatusListEntry, 0, len(registryPurposes))
	for _, p := range registryPurposes {
		entries = append(entries, NewStatusEntry(r.listURL(p), p, i))
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
	if r.zero() {
		return errZeroRegistry
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.state.Entries[id]; !ok {
		return fmt.Errorf("cert: no status entry for certificate %q", id)
	}
	m := r.revoked
	if purpose == StatusSuspension {
		m = r.suspended
	}
	if status {
		m[id] = true
	} else {
		delete(m, id)
	}
	return nil
}

// Status reports whether certificate id is revoked and whether it is
// suspended, as recorded in the registry.
func (r *StatusRegistry) Status(id string) (revoked, suspended bool, err error) {
	if r.zero() {
		return false, false, errZeroRegistry
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.state.Entries[id]; !ok {
		return false, false, fmt.Errorf("cert: no status entry for certificate %q", id)
	}
	return r.revoked[id], r.suspended[id], nil
}

// IDs returns the allocated certificate ids in sorted order.
func (r *StatusRegistry) IDs() []string {
	if r.zero() {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]string, 0, len(r.state.Entries))
	for id := range r.state.Entries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// bits returns the list of purpose p as the state says it is.
func (r *StatusRegistry) bits(p string) *StatusList {
	m := r.revoked
	if p == StatusSuspension {
		m = r.suspended
	}
	l := NewStatusList(r.state.ListLength)
	for id := range m {
		_ = l.Set(r.state.Entries[id], true) // every id has an index in range
	}
	return l
}

// Save signs both status lists with key (issuer DIDKey of its public key,
// proof created and validFrom at now, to the second, validUntil
// ListValidity later) and writes them, their versions and the state to
// the registry's directory (see StatusRegistry). Until Save returns nil,
// nothing Allocate, Revoke, Suspend or Unsuspend did is recorded. The
// first Save fixes the signing key; a later Save with another key fails
// with ErrUntrustedKey and writes nothing. A Save at a time before the
// lists last published is refused: the lists valid at a time must not
// change after the fact.
func (r *StatusRegistry) Save(key ed25519.PrivateKey, now time.Time) error {
	if r.zero() {
		return errZeroRegistry
	}
	if len(key) != ed25519.PrivateKeySize {
		return fmt.Errorf("%w: invalid Ed25519 private key", ErrMalformed)
	}
	now = now.UTC().Truncate(time.Second)
	if now.Before(formatEpoch) {
		return fmt.Errorf("cert: status lists valid from %s, before %s, when the standards of this format were published", formatTime(now), formatEpoch.Format(time.DateOnly))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	issuer := DIDKey(key.Public().(ed25519.PublicKey))
	if r.state.Issuer != "" && r.state.Issuer != issuer {
		return fmt.Errorf("%w: the status lists in %s are signed by %s, not %s", ErrUntrustedKey, r.dir, r.state.Issuer, issuer)
	}
	for _, p := range registryPurposes {
		if last := r.state.Lists[p]; last != nil && now.Before(mustTime(last.ValidFrom)) {
			return fmt.Errorf("cert: the %s list of %s was last published valid from %s; lists valid from an earlier time (%s) would change the past",
				p, r.dir, last.ValidFrom, formatTime(now))
		}
	}
	next := r.state
	next.Issuer = issuer
	next.Saves++
	next.Revoked = sortedKeys(r.revoked)
	next.Suspended = sortedKeys(r.suspended)
	next.Lists = map[string]*publishedList{}
	signed := map[string][]byte{}
	until := now.Add(r.validity)
	for _, p := range registryPurposes {
		doc, err := StatusListCredential{
			ID:         r.listURL(p),
			Issuer:     issuer,
			Purpose:    p,
			ValidFrom:  now,
			ValidUntil: until,
			List:       r.bits(p),
		}.Marshal()
		if err != nil {
			return err
		}
		// The nonce makes every Save's list a file of its own, also at
		// the same second with the same bits, so that a stale state is
		// told from the current one by the digests it records.
		if signed[p], err = AddProof(doc, key, ProofOptions{Created: now, Nonce: fmt.Sprintf("save-%d", next.Saves)}); err != nil {
			return err
		}
		sum := sha256.Sum256(signed[p])
		next.Lists[p] = &publishedList{ValidFrom: formatTime(now), ValidUntil: formatTime(until), SHA256: hex.EncodeToString(sum[:])}
	}
	state, err := json.MarshalIndent(&next, "", "  ")
	if err != nil {
		return err
	}
	// Versions first, then the current lists, then the state, which
	// commits the Save: a crash before the state is written leaves files
	// the state does not record, which OpenStatusRegistry refuses.
	for _, p := range registryPurposes {
		vdir := filepath.Join(r.dir, versionsDir, p)
		if err := mkdirSynced(vdir); err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(vdir, versionName(now)), signed[p]); err != nil {
			return err
		}
	}
	for _, p := range registryPurposes {
		if err := writeFileAtomic(filepath.Join(r.dir, p+".json"), signed[p]); err != nil {
			return err
		}
	}
	if err := writeFileAtomic(filepath.Join(r.dir, registryIndexFile), append(state, '\n')); err != nil {
		return err
	}
	r.state = next
	return nil
}

func sortedKeys(m map[string]bool) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// writeFileAtomic writes data to a temporary file next to name, syncs it,
// renames it over name and syncs the directory, so that readers never see
// a partial file and a crash leaves either the old file or the new one.
func writeFileAtomic(name string, data []byte) error {
	dir := filepath.Dir(name)
	f, err := os.CreateTemp(dir, ".tmp-"+filepath.Base(name)+"-*")
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
		return err
	}
	return syncDir(dir)
}

// mkdirSynced makes the directory dir, a grandchild of a registry's
// directory, syncing its parent and grandparent so that the new
// directories survive a crash.
func mkdirSynced(dir string) error {
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(dir)); err != nil {
		return err
	}
	return syncDir(filepath.Dir(filepath.Dir(dir)))
}

// syncDir flushes the directory entry changes of dir (a rename, a new
// file) to disk. Windows cannot sync a directory, and needs not: its
// renames are journaled.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, fs.ErrInvalid) {
		return nil // file systems that cannot sync directories
	}
	return err
}
