package cert

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// StatusListPaths returns where a signed status list credential, the
// version of the list name valid from validFrom, lies in the layout
// DirFetcher reads, relative to its directory: current is "NAME.json",
// the list's current version, and version is
// "versions/NAME/20261001T090000Z.json" (validFrom in UTC), the version
// kept for checks at a past time. name is the last path segment of the
// list's URL, such as "revocation"; one with a path separator, a colon
// or a leading dot is refused.
func StatusListPaths(name string, validFrom time.Time) (current, version string, err error) {
	if name == "" || strings.ContainsAny(name, `/\:`) || strings.HasPrefix(name, ".") {
		return "", "", fmt.Errorf("%w: status list name %q is not a file name", ErrMalformed, name)
	}
	return name + ".json", filepath.Join(versionsDir, name, versionName(validFrom)), nil
}

// WriteStatusList writes the signed status list credential doc, the
// version of the list name valid from validFrom, into dir in the layout
// DirFetcher reads (see StatusListPaths): as its version and, if current
// is true, as the list's current file. Each file is written to a synced
// temporary file renamed into place, with its directory synced, so that
// a reader never sees a partial file and a crash leaves the old file or
// the new one. It is how a register kept elsewhere (package
// credit/register) publishes to a directory as a StatusRegistry does.
func WriteStatusList(dir, name string, validFrom time.Time, doc []byte, current bool) error {
	cur, ver, err := StatusListPaths(name, validFrom)
	if err != nil {
		return err
	}
	if err := mkdirSynced(filepath.Join(dir, filepath.Dir(ver))); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, ver), doc); err != nil {
		return err
	}
	if !current {
		return nil
	}
	return writeFileAtomic(filepath.Join(dir, cur), doc)
}

// A StatusListInfo is what a verified status list credential states.
type StatusListInfo struct {
	ID      string // the credential's id, the URL it is published at
	Issuer  string
	Purpose string // statusPurpose, a single purpose
	// ValidFrom and ValidUntil are the validity period as written ("" if
	// absent).
	ValidFrom, ValidUntil string
	List                  *StatusList
}

// ReadStatusList verifies the proof of the signed status list credential
// doc with opts (VerifyProof) and returns what it states: a
// BitstringStatusListCredential with one status purpose and a list of at
// least MinStatusListLen entries. It is how an issuer checks the lists
// it keeps (StatusRegistry, the registers of package credit/register);
// a verifier checks a certificate's status with CheckStatus.
func ReadStatusList(doc []byte, opts VerifyOptions) (*StatusListInfo, error) {
	info, err := VerifyProof(doc, opts)
	if err != nil {
		return nil, err
	}
	var lc struct {
		ID                string   `json:"id"`
		Type              []string `json:"type"`
		Issuer            string   `json:"issuer"`
		ValidFrom         string   `json:"validFrom"`
		ValidUntil        string   `json:"validUntil"`
		CredentialSubject struct {
			StatusPurpose string `json:"statusPurpose"`
			EncodedList   string `json:"encodedList"`
		} `json:"credentialSubject"`
	}
	if err := json.Unmarshal(info.Document, &lc); err != nil {
		return nil, fmt.Errorf("%w: status list credential: %v", ErrMalformed, err)
	}
	if !slices.Contains(lc.Type, "BitstringStatusListCredential") {
		return nil, fmt.Errorf("%w: not a BitstringStatusListCredential", ErrMalformed)
	}
	list, err := DecodeStatusList(lc.CredentialSubject.EncodedList)
	if err != nil {
		return nil, err
	}
	return &StatusListInfo{
		ID: lc.ID, Issuer: lc.Issuer, Purpose: lc.CredentialSubject.StatusPurpose,
		ValidFrom: lc.ValidFrom, ValidUntil: lc.ValidUntil, List: list,
	}, nil
}
