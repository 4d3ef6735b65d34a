package cert

import (
	"fmt"
	"path/filepath"
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
