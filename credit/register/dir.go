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
// It writes only the files that are missing or differ from the
// register's, each crash-safely (cert.WriteStatusList), so that calling
// it after every Publish keeps a directory served by a static web server,
// or read by certify verify -status DIR, up to date; a call that failed
// or was interrupted is made good by the next. The register stays the
// record: the directory is a copy of its lists.
func ExportDir(ctx context.Context, reg Register, dir string) error {
	info, err := reg.Info(ctx)
	if err != nil {
		return err
	}
	if err := checkDirNotNewer(dir, info); err != nil {
		return err
	}
	for _, name := range info.Lists {
		versions, err := reg.Versions(ctx, name)
		if err != nil {
			return err
		}
		for i, v := range versions {
			// Of versions at the same second, the file holds the later.
			if i+1 < len(versions) && versions[i+1].ValidFrom.Equal(v.ValidFrom) {
				continue
			}
			if err := exportList(ctx, reg, dir, v, i == len(versions)-1); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkDirNotNewer refuses a directory that holds a list version newer
// than the register's last publication: the register would then be
// older than lists it published, as after a restore from an old backup,
// and would hand out again the indexes of certificates issued since.
func checkDirNotNewer(dir string, info *Info) error {
	for _, name := range info.Lists {
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

func orNever(p *Publication) string {
	if p == nil {
		return "none"
	}
	return p.ValidFrom.Format(time.RFC3339)
}

// exportList writes version v of a list into dir unless its files
// already hold it.
func exportList(ctx context.Context, reg Register, dir string, v List, current bool) error {
	cur, ver, err := cert.StatusListPaths(v.Name, v.ValidFrom)
	if err != nil {
		return err
	}
	same, err := fileHasSHA256(filepath.Join(dir, ver), v.SHA256)
	if err != nil {
		return err
	}
	if same && current {
		same, err = fileHasSHA256(filepath.Join(dir, cur), v.SHA256)
		if err != nil {
			return err
		}
	}
	if same {
		return nil
	}
	l, err := reg.List(ctx, v.Name, v.ValidFrom)
	if err != nil {
		return err
	}
	return cert.WriteStatusList(dir, v.Name, v.ValidFrom, l.Document, current)
}

// fileHasSHA256 reports whether the file name exists and has the
// hexadecimal SHA-256 sum. A file larger than any list credential
// (cert.MaxDocumentBytes) has not.
func fileHasSHA256(name, sum string) (bool, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, cert.MaxDocumentBytes+1))
	if err != nil {
		return false, err
	}
	return n <= cert.MaxDocumentBytes && hex.EncodeToString(h.Sum(nil)) == sum, nil
}
