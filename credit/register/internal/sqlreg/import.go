package sqlreg

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// Names in a file register's directory.
const (
	stateFile   = "index.json"
	retiredFile = "index.json.imported"
)

// maxStateBytes bounds the file register state read for its digest, as
// cert.OpenStatusRegistry bounds it.
const maxStateBytes = 64 << 20

// A fileImport is a file register read for import: its state, checked
// against its lists, and the versions of its lists.
type fileImport struct {
	dir   string
	sha   string // SHA-256 of index.json
	state *cert.StatusRegistryState
	pubs  []filePublication
}

// A filePublication is the versions of the lists valid from one time.
type filePublication struct {
	from, until time.Time
	lists       []register.List // with documents
}

// readFileRegister reads the file register in dir, or returns nil if dir
// is empty or holds no index.json. A register whose state contradicts its
// lists, or any version of its lists, is ErrInconsistent.
func readFileRegister(ctx context.Context, dir string) (*fileImport, error) {
	if dir == "" {
		return nil, nil
	}
	sum, err := stateSHA256(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	fr, err := cert.OpenStatusRegistry(dir)
	if err != nil {
		return nil, fmt.Errorf("register: importing a file register: %w", err)
	}
	st, err := fr.State()
	if err != nil {
		return nil, err
	}
	if again, err := stateSHA256(dir); err != nil || again != sum {
		return nil, fmt.Errorf("register: the file register in %s changed while it was imported (%v)", dir, err)
	}
	imp := &fileImport{dir: dir, sha: sum, state: st}
	if err := imp.readVersions(ctx); err != nil {
		return nil, fmt.Errorf("%w: importing the file register in %s: %v", register.ErrInconsistent, dir, err)
	}
	return imp, nil
}

// readVersions reads and checks every version of the lists: signed by
// the register's issuer, the list of its URL and purpose, valid from the
// time its file is named by, of the register's length, and revoking no
// certificate the state does not say is revoked (revocation is
// permanent).
func (imp *fileImport) readVersions(ctx context.Context) error {
	st := imp.state
	key, err := cert.ResolveDIDKey(st.Issuer)
	if err != nil {
		return err
	}
	revoked := cert.NewStatusList(st.ListLength)
	for _, id := range st.Revoked {
		if err := revoked.Set(st.Entries[id], true); err != nil {
			return err
		}
	}
	var times []time.Time
	for _, p := range []string{cert.StatusRevocation, cert.StatusSuspension} {
		times = append(times, st.Versions[p]...)
	}
	slices.SortFunc(times, time.Time.Compare)
	times = slices.CompactFunc(times, time.Time.Equal)
	fetch := cert.DirFetcher{Dir: imp.dir}
	for _, t := range times {
		pub := filePublication{from: t}
		for _, p := range []string{cert.StatusRevocation, cert.StatusSuspension} {
			if !slices.ContainsFunc(st.Versions[p], t.Equal) {
				continue
			}
			url := st.BaseURL + "/" + p
			doc, err := fetch.FetchAt(ctx, url, t)
			if err != nil {
				return err
			}
			l, until, err := readListDoc(doc, key, url, p, t, time.Time{}, st.ListLength)
			if err != nil {
				return fmt.Errorf("the %s list valid from %s: %v", p, t.Format(time.RFC3339), err)
			}
			if p == cert.StatusRevocation {
				if i := firstExtraBit(l, revoked); i >= 0 {
					return fmt.Errorf("the revocation list valid from %s revokes index %d, which the state does not say is revoked", t.Format(time.RFC3339), i)
				}
			}
			sum := sha256.Sum256(doc)
			pub.until = until
			pub.lists = append(pub.lists, register.List{Name: p, Purpose: p, URL: url, ValidFrom: t, ValidUntil: until, SHA256: hex.EncodeToString(sum[:]), Document: doc})
		}
		imp.pubs = append(imp.pubs, pub)
	}
	if len(imp.pubs) == 0 {
		return errors.New("no published version of its lists")
	}
	return nil
}

// insertImport writes the imported register in tx.
func (s *Store) insertImport(ctx context.Context, tx *sql.Tx, imp *fileImport) error {
	st := imp.state
	err := s.insertMeta(ctx, tx, meta{
		baseURL: st.BaseURL, issuer: st.Issuer, importedFrom: imp.sha,
		listLen: st.ListLength, validity: st.ListValidity,
		allocated: int64(st.Next), published: int64(len(imp.pubs)),
	})
	if err != nil {
		return err
	}
	if err := s.insertImportedCertificates(ctx, tx, st); err != nil {
		return err
	}
	now := s.now().Unix()
	for i, pub := range imp.pubs {
		version := int64(i + 1)
		if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO publications (version, valid_from, valid_until, published_at, lists) VALUES (?, ?, ?, ?, ?)`),
			version, pub.from.Unix(), pub.until.Unix(), now, len(pub.lists)); err != nil {
			return err
		}
		for _, l := range pub.lists {
			if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO status_lists (name, version, valid_from, valid_until, sha256, document) VALUES (?, ?, ?, ?, ?, ?)`),
				l.Name, version, l.ValidFrom.Unix(), l.ValidUntil.Unix(), l.SHA256, l.Document); err != nil {
				return err
			}
		}
	}
	return nil
}

// importBatch is the number of certificates of one INSERT.
const importBatch = 500

// insertImportedCertificates inserts the certificates of st, each with
// the number its index has in the order of allocation.
func (s *Store) insertImportedCertificates(ctx context.Context, tx *sql.Tx, st *cert.StatusRegistryState) error {
	ids := make([]string, 0, len(st.Entries))
	for id := range st.Entries {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	inv, mask := strideInverse(), uint64(st.ListLength-1)
	now := s.now().Unix()
	for len(ids) > 0 {
		batch := ids[:min(importBatch, len(ids))]
		ids = ids[len(batch):]
		args := make([]any, 0, 7*len(batch))
		for _, id := range batch {
			idx := st.Entries[id]
			number := int64(uint64(idx) * inv & mask)
			_, revoked := slices.BinarySearch(st.Revoked, id)
			_, suspended := slices.BinarySearch(st.Suspended, id)
			args = append(args, id, number, 0, idx, now, revoked, suspended)
		}
		values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", len(batch)), ", ")
		if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO certificates (id, number, list_no, list_index, recorded_at, revoked, suspended) VALUES `+values), args...); err != nil {
			return err
		}
	}
	return nil
}

// checkImportDir checks, for a register that exists, the file register
// directory dir: a state (index.json) there must be the one the register
// was imported from, whose retirement was then interrupted; it returns
// it, to finish it.
func (s *Store) checkImportDir(dir, importedFrom string) (*fileImport, error) {
	if dir == "" {
		return nil, nil
	}
	sum, err := stateSHA256(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	case sum != importedFrom:
		return nil, fmt.Errorf("%w: %s holds a file register (%s) that is not the one the register was imported from: the two would hand out the same indexes; move one of them away",
			register.ErrInconsistent, dir, stateFile)
	}
	return &fileImport{dir: dir, sha: sum}, nil
}

// checkNoLists refuses to create a register for the directory dir if it
// holds the lists of a register whose state is missing, as
// cert.CreateStatusRegistry does: the new register would hand out the
// indexes of certificates already issued again.
func checkNoLists(dir string) error {
	if dir == "" {
		return nil
	}
	for _, name := range []string{retiredFile, cert.StatusRevocation + ".json", cert.StatusSuspension + ".json", "versions"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return fmt.Errorf("%w: %s holds %s but no register: its state is missing; restore it (the register's database) rather than start a new register, which would reuse the indexes of certificates already issued",
				register.ErrInconsistent, dir, name)
		}
	}
	return nil
}

// retire renames the imported index.json to index.json.imported, so
// that no program keeps issuing from the file register, and syncs the
// directory.
func (imp *fileImport) retire() error {
	sum, err := stateSHA256(imp.dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && sum != imp.sha) {
		return nil // gone already, or refused by checkImportDir next time
	}
	if err != nil {
		return err
	}
	if err := os.Rename(filepath.Join(imp.dir, stateFile), filepath.Join(imp.dir, retiredFile)); err != nil {
		return err
	}
	d, err := os.Open(imp.dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// stateSHA256 returns the hexadecimal SHA-256 of dir/index.json.
func stateSHA256(dir string) (string, error) {
	f, err := os.Open(filepath.Join(dir, stateFile))
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, maxStateBytes+1))
	if err != nil {
		return "", err
	}
	if n > maxStateBytes {
		return "", fmt.Errorf("%w: %s is larger than %d bytes", register.ErrInconsistent, filepath.Join(dir, stateFile), maxStateBytes)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Precheck decides, without a database, what Open with opts would do in
// a database that holds no register, and returns the error Open would
// return: the file register in opts.ImportDir is read and checked, or,
// without one, opts.Create must be set and ImportDir may hold no
// orphaned lists. An implementation calls it before it creates a
// database, so that a refusal leaves nothing behind.
func Precheck(ctx context.Context, opts register.Options) error {
	imp, err := readFileRegister(ctx, opts.ImportDir)
	switch {
	case err != nil || imp != nil:
		return err
	case opts.Create == nil:
		return register.ErrNoRegister
	}
	if err := checkSettings(opts.Create); err != nil {
		return err
	}
	return checkNoLists(opts.ImportDir)
}
