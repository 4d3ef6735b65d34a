package cert

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Status purposes of W3C Bitstring Status List v1.0 supported here. A
// revocation is permanent; a suspension can be lifted.
const (
	StatusRevocation = "revocation"
	StatusSuspension = "suspension"
)

// MinStatusListLen is the minimum number of entries of a status list:
// 131,072 bits (16 KiB), so that one index does not single out a holder
// (Bitstring Status List v1.0, section 6.1, herd privacy). Shorter lists
// are rejected on decoding.
const MinStatusListLen = 131072

// maxStatusListBytes bounds the decompressed size of a status list (128 Mi
// entries), so that a small gzip bomb cannot exhaust memory.
const maxStatusListBytes = 16 << 20

// A StatusList is the bitstring of a Bitstring Status List with one bit
// per entry (statusSize 1). Entry 0 is the most significant bit of the
// first byte, as the specification's bitstring expansion prescribes. A 1
// bit means the status (revoked, suspended) is set.
type StatusList struct {
	bits []byte
}

// NewStatusList returns an all-zero status list of at least n entries,
// rounded up to a multiple of 8 and to at least MinStatusListLen.
func NewStatusList(n int) *StatusList {
	n = max(n, MinStatusListLen)
	return &StatusList{bits: make([]byte, (n+7)/8)}
}

// Len returns the number of entries of l.
func (l *StatusList) Len() int { return len(l.bits) * 8 }

// Get returns the status bit of entry i. An index out of range is an
// error wrapping ErrStatusUnavailable.
func (l *StatusList) Get(i int) (bool, error) {
	if i < 0 || i >= l.Len() {
		return false, fmt.Errorf("%w: status list index %d out of range [0, %d)", ErrStatusUnavailable, i, l.Len())
	}
	return l.bits[i/8]&(0x80>>(i%8)) != 0, nil
}

// Set sets the status bit of entry i to status.
func (l *StatusList) Set(i int, status bool) error {
	if i < 0 || i >= l.Len() {
		return fmt.Errorf("%w: status list index %d out of range [0, %d)", ErrStatusUnavailable, i, l.Len())
	}
	if status {
		l.bits[i/8] |= 0x80 >> (i % 8)
	} else {
		l.bits[i/8] &^= 0x80 >> (i % 8)
	}
	return nil
}

// Encode returns the encodedList form of l: multibase base64url (prefix
// 'u', no padding) of the GZIP-compressed bitstring. The output is
// deterministic (no gzip modification time or name).
func (l *StatusList) Encode() (string, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := zw.Write(l.bits); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return EncodeBase64URL(buf.Bytes()), nil
}

// DecodeStatusList decodes an encodedList string (see Encode). Lists
// shorter than MinStatusListLen entries, or longer than 2^27 entries, are
// rejected. Errors wrap ErrMalformed.
func DecodeStatusList(encoded string) (*StatusList, error) {
	compressed, err := DecodeBase64URL(encoded)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		return nil, fmt.Errorf("%w: status list: %v", ErrMalformed, err)
	}
	bits, err := io.ReadAll(io.LimitReader(zr, maxStatusListBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: status list: %v", ErrMalformed, err)
	}
	switch {
	case len(bits) > maxStatusListBytes:
		return nil, fmt.Errorf("%w: status list longer than %d bytes", ErrMalformed, maxStatusListBytes)
	case len(bits)*8 < MinStatusListLen:
		return nil, fmt.Errorf("%w: status list has %d entries, fewer than the minimum %d", ErrMalformed, len(bits)*8, MinStatusListLen)
	}
	return &StatusList{bits: bits}, nil
}

// StatusListCredential describes a BitstringStatusListCredential; its
// Marshal method writes the unsigned credential, to be signed with
// AddProof by the issuer whose key verifiers trust.
type StatusListCredential struct {
	ID         string        // URL the list is published at; the subject id is ID + "#list"
	Issuer     string        // issuer identifier, such as DIDKey(pub)
	Purpose    string        // StatusRevocation or StatusSuspension
	ValidFrom  time.Time     // optional; zero omits validFrom
	ValidUntil time.Time     // optional
	TTL        time.Duration // optional refresh hint, written in milliseconds
	List       *StatusList   // the bits; required
}

// Marshal returns the unsigned BitstringStatusListCredential JSON, in the
// form of Bitstring Status List v1.0, section 2.2:
//
//	{"@context":["https://www.w3.org/ns/credentials/v2"], "id":ID,
//	 "type":["VerifiableCredential","BitstringStatusListCredential"],
//	 "issuer":Issuer, "validFrom":..., "credentialSubject":{"id":ID+"#list",
//	 "type":"BitstringStatusList", "statusPurpose":Purpose, "encodedList":"u..."}}
func (c StatusListCredential) Marshal() ([]byte, error) {
	if c.List == nil || c.ID == "" || c.Issuer == "" || c.Purpose == "" {
		return nil, fmt.Errorf("%w: status list credential needs ID, Issuer, Purpose and List", ErrMalformed)
	}
	enc, err := c.List.Encode()
	if err != nil {
		return nil, err
	}
	subject := map[string]any{
		"id":            c.ID + "#list",
		"type":          "BitstringStatusList",
		"statusPurpose": c.Purpose,
		"encodedList":   enc,
	}
	if c.TTL > 0 {
		subject["ttl"] = c.TTL.Milliseconds()
	}
	doc := map[string]any{
		"@context":          []string{"https://www.w3.org/ns/credentials/v2"},
		"id":                c.ID,
		"type":              []string{"VerifiableCredential", "BitstringStatusListCredential"},
		"issuer":            c.Issuer,
		"credentialSubject": subject,
	}
	if !c.ValidFrom.IsZero() {
		doc["validFrom"] = formatTime(c.ValidFrom)
	}
	if !c.ValidUntil.IsZero() {
		doc["validUntil"] = formatTime(c.ValidUntil)
	}
	return CanonicalizeValue(doc)
}

// StatusListEntryType is the type of a BitstringStatusListEntry.
const StatusListEntryType = "BitstringStatusListEntry"

// A BitstringStatusListEntry is one credentialStatus entry of a
// credential: it points at entry StatusListIndex of the status list
// published at StatusListCredential.
type BitstringStatusListEntry struct {
	ID                   string `json:"id,omitempty"`         // optional; NewStatusEntry sets list URL + "#" + index
	Type                 string `json:"type"`                 // StatusListEntryType
	StatusPurpose        string `json:"statusPurpose"`        // StatusRevocation or StatusSuspension
	StatusListIndex      string `json:"statusListIndex"`      // decimal integer, as a string
	StatusListCredential string `json:"statusListCredential"` // URL of the status list credential
	// StatusSize is the number of bits of the entry, nil if absent (1 bit).
	// The entry's status is read at StatusListIndex × StatusSize;
	// CheckStatus supports one bit only and refuses any other size
	// (ErrStatusUnavailable), rather than read the wrong bit.
	StatusSize *int `json:"statusSize,omitempty"`
}

// NewStatusEntry returns the entry for index of the list at listURL with
// the given purpose; its id is listURL + "#" + index.
func NewStatusEntry(listURL, purpose string, index int) BitstringStatusListEntry {
	i := strconv.Itoa(index)
	return BitstringStatusListEntry{
		ID:                   listURL + "#" + i,
		Type:                 StatusListEntryType,
		StatusPurpose:        purpose,
		StatusListIndex:      i,
		StatusListCredential: listURL,
	}
}

// Index returns StatusListIndex as an integer. Only plain decimal digits
// are accepted. Errors wrap ErrMalformed.
func (e BitstringStatusListEntry) Index() (int, error) {
	s := e.StatusListIndex
	if s == "" || len(s) > 10 || strings.Trim(s, "0123456789") != "" || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("%w: statusListIndex %q is not a decimal integer", ErrMalformed, s)
	}
	return strconv.Atoi(s)
}

// StatusEntries returns the credentialStatus entries of the credential
// doc, which may be a single object or an array. Entries of other types
// are returned too, so that a verifier can refuse what it cannot check.
// A credential without credentialStatus has no entries. Errors wrap
// ErrMalformed.
func StatusEntries(doc []byte) ([]BitstringStatusListEntry, error) {
	if err := checkSize(doc); err != nil {
		return nil, err
	}
	var c struct {
		Status json.RawMessage `json:"credentialStatus"`
	}
	if err := json.Unmarshal(doc, &c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return statusEntries(c.Status)
}

// statusEntries decodes the raw credentialStatus member of a credential,
// as StatusEntries does; nil is an absent member.
func statusEntries(raw json.RawMessage) ([]BitstringStatusListEntry, error) {
	s := bytes.TrimSpace(raw)
	if len(s) == 0 || string(s) == "null" {
		return nil, nil
	}
	var entries []BitstringStatusListEntry
	if s[0] != '[' {
		s = slices.Concat([]byte("["), s, []byte("]"))
	}
	if err := json.Unmarshal(s, &entries); err != nil {
		return nil, fmt.Errorf("%w: credentialStatus: %v", ErrMalformed, err)
	}
	return entries, nil
}

// A StatusFetcher retrieves the status list credential published at a URL.
type StatusFetcher interface {
	Fetch(ctx context.Context, url string) ([]byte, error)
}

// A StatusVersionFetcher is a StatusFetcher that also keeps the earlier
// versions of each status list, so that a credential can be checked at a
// past time against the list that was current then. CheckStatus calls
// FetchAt with VerifyOptions.Now when that is set, and Fetch otherwise.
type StatusVersionFetcher interface {
	StatusFetcher
	// FetchAt returns the version of the status list credential at url
	// that was published last at or before at.
	FetchAt(ctx context.Context, url string, at time.Time) ([]byte, error)
}

// FetcherFunc adapts a function, such as an HTTP GET, to a StatusFetcher.
type FetcherFunc func(ctx context.Context, url string) ([]byte, error)

// Fetch calls f(ctx, url).
func (f FetcherFunc) Fetch(ctx context.Context, url string) ([]byte, error) { return f(ctx, url) }

// DirFetcher is a StatusVersionFetcher that reads status list credentials
// from the directory Dir instead of the network. The URL
// https://issuer.example/status/revocation maps to Dir/revocation.json:
// the last path segment of the URL, plus ".json" unless it already ends
// so. Query and fragment are ignored. Earlier versions are read from
// Dir/versions/revocation/, whose files are named by their validFrom in
// UTC (20261001T090000Z.json). This is the layout a StatusRegistry
// writes. A file larger than MaxDocumentBytes is an error.
type DirFetcher struct {
	// Dir is the directory that holds the status list credentials.
	Dir string
}

// Fetch reads the file of rawURL; see DirFetcher.
func (f DirFetcher) Fetch(ctx context.Context, rawURL string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	name, err := listFileName(rawURL)
	if err != nil {
		return nil, err
	}
	return readFileLimited(filepath.Join(f.Dir, name), MaxDocumentBytes)
}

// FetchAt reads the version of the list at rawURL that was published last
// at or before at; see DirFetcher. A directory without versions (one not
// written by a StatusRegistry) serves its current list at every time, and
// the verifier then checks that list's validity period against at.
func (f DirFetcher) FetchAt(ctx context.Context, rawURL string, at time.Time) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	name, err := listFileName(rawURL)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(f.Dir, versionsDir, strings.TrimSuffix(name, ".json"))
	v, err := versionAt(dir, at)
	if errors.Is(err, fs.ErrNotExist) && !dirExists(dir) {
		return readFileLimited(filepath.Join(f.Dir, name), MaxDocumentBytes)
	}
	if err != nil {
		return nil, err
	}
	return readFileLimited(filepath.Join(dir, v), MaxDocumentBytes)
}

// versionsDir is the directory of a StatusRegistry (and DirFetcher) that
// holds the published versions of each list, in a directory per list.
const versionsDir = "versions"

// versionStamp is the layout of a version's file name: its validFrom in
// UTC, in the basic format of ISO 8601, so that names sort by time.
const versionStamp = "20060102T150405Z"

// versionName returns the file name of the version of a list valid from t.
func versionName(t time.Time) string { return t.UTC().Format(versionStamp) + ".json" }

// versionAt returns the name of the latest version in dir published at or
// before at. An error wraps fs.ErrNotExist if there is none.
func versionAt(dir string, at time.Time) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	best := ""
	for _, e := range entries {
		stamp, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() {
			continue
		}
		t, err := time.Parse(versionStamp, stamp)
		if err != nil || t.After(at) {
			continue
		}
		if best == "" || e.Name() > best { // names sort by time
			best = e.Name()
		}
	}
	if best == "" {
		return "", fmt.Errorf("%w: no version of the status list in %s was published at or before %s", fs.ErrNotExist, dir, formatTime(at))
	}
	return best, nil
}

func dirExists(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir()
}

// readFileLimited reads the file name, refusing one larger than limit.
func readFileLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, limit, name)
}

// listFileName maps a status list URL to its file name in a DirFetcher
// directory.
func listFileName(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("%w: status list URL: %v", ErrMalformed, err)
	}
	p := u.Path
	if p == "" {
		p = u.Opaque // urn:... and similar
	}
	base := path.Base(p)
	if base == "." || base == ".." || base == "/" || strings.ContainsAny(base, `/\:`) {
		return "", fmt.Errorf("%w: status list URL %q has no usable last path segment", ErrMalformed, rawURL)
	}
	if !strings.HasSuffix(base, ".json") {
		base += ".json"
	}
	return base, nil
}

// CheckStatus checks one credentialStatus entry by the verification
// algorithm of Bitstring Status List v1.0, section 3.2: it fetches the
// status list credential (with a StatusVersionFetcher and opts.Now set,
// the version that was current at opts.Now), verifies its proof with opts
// (so the list must be signed by a trusted key), checks that it is the
// list the entry names, that it has a validity period (validFrom and
// validUntil) that holds at opts.Now and, if opts.MaxStatusAge is set, a
// validFrom no older than that, and that its purpose matches, decodes the
// list (rejecting lists shorter than the minimum) and reads the entry's
// bit.
//
// CheckStatus returns nil if the bit is 0, an error wrapping ErrRevoked or
// ErrSuspended if it is set, and an error wrapping ErrStatusUnavailable
// (or ErrMalformed for a malformed entry) if the status cannot be
// established, which includes a nil fetcher, a list without validity
// period, an expired or stale list, and a list credential larger than
// MaxDocumentBytes. Only the revocation and suspension purposes with
// statusSize 1 are supported; anything else is ErrStatusUnavailable, so
// that callers fail closed.
func CheckStatus(ctx context.Context, entry BitstringStatusListEntry, fetcher StatusFetcher, opts VerifyOptions) error {
	id := entry.StatusListCredential
	if entry.Type != StatusListEntryType {
		return verr(ErrStatusUnavailable, id, "unsupported credentialStatus type %q", entry.Type)
	}
	if entry.StatusPurpose != StatusRevocation && entry.StatusPurpose != StatusSuspension {
		return verr(ErrStatusUnavailable, id, "unsupported status purpose %q", entry.StatusPurpose)
	}
	if entry.StatusSize != nil && *entry.StatusSize != 1 {
		// The status would be read at index × statusSize, with a message
		// per value: a size this package does not read is unknown status,
		// never the bit at index.
		return verr(ErrStatusUnavailable, id, "unsupported statusSize %d of the credentialStatus entry (only 1 is supported)", *entry.StatusSize)
	}
	index, err := entry.Index()
	if err != nil {
		return &VerifyError{Reason: ErrMalformed, ID: id, Detail: "credentialStatus", Err: err}
	}
	if fetcher == nil {
		return verr(ErrStatusUnavailable, id, "%s", noFetcherDetail)
	}
	var data []byte
	if vf, ok := fetcher.(StatusVersionFetcher); ok && !opts.Now.IsZero() {
		data, err = vf.FetchAt(ctx, entry.StatusListCredential, opts.Now)
	} else {
		data, err = fetcher.Fetch(ctx, entry.StatusListCredential)
	}
	if err != nil {
		return &VerifyError{Reason: ErrStatusUnavailable, ID: id, Detail: "cannot retrieve status list", Err: err}
	}
	info, err := VerifyProof(data, opts)
	if err != nil {
		return &VerifyError{Reason: ErrStatusUnavailable, ID: id, Detail: "status list does not verify", Err: err}
	}
	list, err := readStatusList(id, entry, info.Document, opts)
	if err != nil {
		return err
	}
	set, err := list.Get(index)
	if err != nil {
		return &VerifyError{Reason: ErrStatusUnavailable, ID: id, Err: err}
	}
	if !set {
		return nil
	}
	if entry.StatusPurpose == StatusRevocation {
		return verr(ErrRevoked, id, "index %d", index)
	}
	return verr(ErrSuspended, id, "index %d", index)
}

// readStatusList reads the list of the verified status list credential
// doc (the signed bytes only) for entry, checking what CheckStatus says.
func readStatusList(id string, entry BitstringStatusListEntry, doc []byte, opts VerifyOptions) (*StatusList, error) {
	var lc struct {
		ID                string   `json:"id"`
		Type              []string `json:"type"`
		ValidFrom         string   `json:"validFrom"`
		ValidUntil        string   `json:"validUntil"`
		CredentialSubject struct {
			Type          string          `json:"type"`
			StatusPurpose json.RawMessage `json:"statusPurpose"`
			EncodedList   string          `json:"encodedList"`
			StatusSize    *int            `json:"statusSize"`
		} `json:"credentialSubject"`
	}
	if err := json.Unmarshal(doc, &lc); err != nil {
		return nil, &VerifyError{Reason: ErrStatusUnavailable, ID: id, Detail: "status list credential is malformed", Err: err}
	}
	sub := lc.CredentialSubject
	switch {
	case lc.ID != entry.StatusListCredential:
		return nil, verr(ErrStatusUnavailable, id, "status list credential has id %q", lc.ID)
	case !slices.Contains(lc.Type, "BitstringStatusListCredential") || sub.Type != "BitstringStatusList":
		return nil, verr(ErrStatusUnavailable, id, "not a BitstringStatusListCredential")
	case sub.StatusSize != nil && *sub.StatusSize != 1:
		return nil, verr(ErrStatusUnavailable, id, "unsupported statusSize %d", *sub.StatusSize)
	case !purposeMatches(sub.StatusPurpose, entry.StatusPurpose):
		return nil, verr(ErrStatusUnavailable, id, "status list purpose does not match %q", entry.StatusPurpose)
	case lc.ValidFrom == "" || lc.ValidUntil == "":
		// Without an end, yesterday's list (before a revocation) would
		// keep a revoked credential valid for ever.
		return nil, verr(ErrStatusUnavailable, id, "status list credential has no validity period (validFrom and validUntil)")
	}
	period, err := parseValidity("", lc.ValidFrom, lc.ValidUntil)
	if err == nil {
		err = period.check("", opts.Now, opts.ClockSkew)
	}
	if err != nil {
		return nil, &VerifyError{Reason: ErrStatusUnavailable, ID: id, Detail: "status list credential", Err: err}
	}
	if opts.MaxStatusAge > 0 {
		now, _ := checkTime(opts.Now, opts.ClockSkew)
		if age := now.Sub(period.from); age > opts.MaxStatusAge {
			return nil, verr(ErrStatusUnavailable, id, "status list of %s is %s old, older than the %s the verifier accepts",
				lc.ValidFrom, age.Round(time.Second), opts.MaxStatusAge)
		}
	}
	list, err := DecodeStatusList(sub.EncodedList)
	if err != nil {
		return nil, &VerifyError{Reason: ErrStatusUnavailable, ID: id, Detail: "encodedList", Err: err}
	}
	return list, nil
}

// purposeMatches reports whether the list's statusPurpose (a string or an
// array of strings) includes want.
func purposeMatches(raw json.RawMessage, want string) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one == want
	}
	var many []string
	return json.Unmarshal(raw, &many) == nil && slices.Contains(many, want)
}
