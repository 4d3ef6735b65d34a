package register

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
)

// ExportDir writes the status lists reg has published into dir, in the
// layout cert.DirFetcher reads and a cert.StatusRegistry writes:
//
//	DIR/revocation.json             the latest version of each list
//	DIR/versions/revocation/T.json  each version, by validFrom (of two at one second, the later)
//
// It writes the versions dir lacks, oldest first, each crash-safely
// (cert.WriteStatusList), and then the current list, so that calling it
// after every Publish keeps a directory served by a static web server,
// or read by certify verify -status DIR, up to date; a call that failed
// or was interrupted is made good by the next. It walks back from the
// latest version to the newest one dir holds, so its work is that of
// the versions published since the last call, at most MaxPage of them
// per list. A directory holding a version newer than the register's
// last publication, or at its second one the register did not publish
// then, is refused (ErrInconsistent): the register would be older than
// its lists. The register stays the record: the directory is a copy of
// its lists.
func ExportDir(ctx context.Context, reg Register, dir string) error {
	info, err := reg.Info(ctx)
	if err != nil {
		return err
	}
	if err := checkDirNotNewer(ctx, reg, dir, info); err != nil {
		return err
	}
	for _, name := range info.Lists {
		if err := exportList(ctx, reg, dir, name); err != nil {
			return err
		}
	}
	return nil
}

// exportList writes the versions of the list name that dir lacks, and
// then its current file.
func exportList(ctx context.Context, reg Register, dir, name string) error {
	latest, err := reg.List(ctx, name, time.Time{})
	if errors.Is(err, ErrUnknownList) {
		return nil // not published yet
	}
	if err != nil {
		return err
	}
	// Walk back, a second before each version, to the newest one dir
	// holds; then write the missing ones, oldest first.
	var missing []time.Time
	for l := latest; len(missing) < MaxPage; {
		_, ver, err := cert.StatusListPaths(name, l.ValidFrom)
		if err != nil {
			return err
		}
		if held, err := fileHasSHA256(filepath.Join(dir, ver), l.SHA256); err != nil || held {
			if err != nil {
				return err
			}
			break
		}
		missing = append(missing, l.ValidFrom)
		l, err = reg.List(ctx, name, l.ValidFrom.Add(-time.Second))
		if errors.Is(err, ErrUnknownList) {
			break
		}
		if err != nil {
			return err
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		l := latest
		if i > 0 {
			if l, err = reg.List(ctx, name, missing[i]); err != nil {
				return err
			}
		}
		// The newest (i == 0, latest) is written as current at once.
		if err := cert.WriteStatusList(dir, name, l.ValidFrom, l.Document, i == 0); err != nil {
			return err
		}
	}
	if len(missing) > 0 { // missing[0] is latest's version
		return nil
	}
	cur, _, err := cert.StatusListPaths(name, latest.ValidFrom)
	if err != nil {
		return err
	}
	if held, err := fileHasSHA256(filepath.Join(dir, cur), latest.SHA256); err != nil || held {
		return err
	}
	return cert.WriteStatusList(dir, name, latest.ValidFrom, latest.Document, true)
}

// checkDirNotNewer refuses a directory that holds a list version newer
// than the register's last publication: the register would then be
// older than lists it published, as after a restore from an old backup,
// and would hand out again the indexes of certificates issued since. A
// version is newer by its time or, at the time of the last publication,
// by its content (checkLastVersion).
func checkDirNotNewer(ctx context.Context, reg Register, dir string, info *Info) error {
	for _, name := range info.Lists {
		if info.Last != nil {
			if err := checkLastVersion(ctx, reg, dir, name, info.Last); err != nil {
				return err
			}
		}
		var last string
		if info.Last != nil {
			_, v, err := cert.StatusListPaths(name, info.Last.ValidFrom)
			if err != nil {
				return err
			}
			last = filepath.Base(v)
		}
		_, v, err := cert.StatusListPaths(name, time.Time{})
		if err != nil {
			return err
		}
		entries, err := os.ReadDir(filepath.Dir(filepath.Join(dir, v)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		for _, e := range entries {
			// Version names have one length and sort by time.
			if len(e.Name()) == len(filepath.Base(v)) && strings.HasSuffix(e.Name(), ".json") && e.Name() > last {
				return fmt.Errorf("%w: %s holds the version %s of the list %s, published after the register's last publication (%s): the register is older than its lists (restored from an old backup?) and would hand out the indexes of certificates issued since again",
					ErrInconsistent, dir, e.Name(), name, orNever(info.Last))
			}
		}
	}
	return nil
}

// checkLastVersion refuses a directory whose version of the list name
// valid from the second of the register's last publication, last, is
// not one the register published at that second. Publications at one
// second share a version file, the later replacing the earlier (as when
// certify issue runs twice with one -at), so a register restored from a
// backup made between two of them has the time of the directory's
// newest version but not its content.
func checkLastVersion(ctx context.Context, reg Register, dir, name string, last *Publication) error {
	_, v, err := cert.StatusListPaths(name, last.ValidFrom)
	if err != nil {
		return err
	}
	sum, err := fileSHA256(filepath.Join(dir, v))
	if err != nil || sum == "" {
		return err
	}
	for _, l := range last.Lists {
		if l.Name == name && l.SHA256 == sum {
			return nil
		}
	}
	versions, err := reg.Versions(ctx, name)
	if err != nil && !errors.Is(err, ErrUnknownList) {
		return err
	}
	for _, l := range versions {
		if l.ValidFrom.Equal(last.ValidFrom) && l.SHA256 == sum {
			return nil
		}
	}
	return fmt.Errorf("%w: %s holds a version %s of the list %s that the register did not publish at that second: the register is older than its lists (restored from an old backup?) and would hand out the indexes of certificates issued since again",
		ErrInconsistent, dir, filepath.Base(v), name)
}

func orNever(p *Publication) string {
	if p == nil {
		return "none"
	}
	return p.ValidFrom.Format(time.RFC3339)
}

// fileHasSHA256 reports whether the file name exists and has the
// hexadecimal SHA-256 sum. A file larger than any list credential
// (cert.MaxDocumentBytes) has not.
func fileHasSHA256(name, sum string) (bool, error) {
	got, err := fileSHA256(name)
	return got != "" && got == sum, err
}

// fileSHA256 returns the hexadecimal SHA-256 of the file name: "" if
// there is no such file, and "-" for one larger than any list credential
// (cert.MaxDocumentBytes), which matches no list.
func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, cert.MaxDocumentBytes+1))
	if err != nil {
		return "", err
	}
	if n > cert.MaxDocumentBytes {
		return "-", nil
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
