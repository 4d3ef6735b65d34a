package sqlreg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// A Store is a register.Register on database/sql.
type Store struct {
	d      *Dialect
	wdb    *sql.DB // transactions that write
	rdb    *sql.DB // reads; may be wdb
	now    func() time.Time
	closed atomic.Bool

	// The settings a register is created with never change.
	baseURL  string
	listLen  int
	validity time.Duration
}

// Config configures Open.
type Config struct {
	Dialect *Dialect
	// Write is the database writes go through; Read, if not nil, a pool
	// for reads of the same database (SQLite: a pool of read-only
	// connections beside the one writer). Open takes both over: Close
	// closes them.
	Write, Read *sql.DB
	Options     register.Options
}

// maxAttempts bounds the runs of a transaction that Dialect.Retry says
// may be run again.
const maxAttempts = 12

// Open migrates the database, creates or imports the register as
// cfg.Options say, and checks it (see register.Open).
func Open(ctx context.Context, cfg Config) (*Store, error) {
	s := &Store{d: cfg.Dialect, wdb: cfg.Write, rdb: cfg.Read, now: cfg.Options.Now}
	if s.rdb == nil {
		s.rdb = s.wdb
	}
	if s.now == nil {
		s.now = time.Now
	}
	err := s.open(ctx, cfg.Options)
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) open(ctx context.Context, opts register.Options) error {
	if c := opts.Create; c != nil {
		if err := checkSettings(c); err != nil {
			return err
		}
	}
	var imp *fileImport
	err := s.write(ctx, func(tx *sql.Tx) error {
		imp = nil
		if s.d.SetupLock != "" {
			if _, err := tx.ExecContext(ctx, s.d.SetupLock); err != nil {
				return err
			}
		}
		if _, err := s.migrate(ctx, tx); err != nil {
			return err
		}
		var err error
		imp, err = s.setup(ctx, tx, opts)
		return err
	})
	if err != nil {
		return err
	}
	if err := s.loadSettings(ctx); err != nil {
		return err
	}
	if imp != nil {
		if err := imp.retire(); err != nil {
			return err
		}
	}
	return s.check(ctx)
}

// checkSettings checks the settings of a new register.
func checkSettings(c *register.Settings) error {
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Scheme == "" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("register: base URL %q is not an absolute URL without query or fragment", c.BaseURL)
	}
	if c.ListValidity < 0 || (c.ListValidity > 0 && c.ListValidity < time.Second) {
		return fmt.Errorf("register: list validity %s is not at least a second", c.ListValidity)
	}
	if c.ListValidity > 100*365*24*time.Hour {
		return fmt.Errorf("register: list validity %s is over a hundred years", c.ListValidity)
	}
	return nil
}

// setup creates or imports the register in tx if the database holds
// none, and returns the file import to retire once tx is committed.
func (s *Store) setup(ctx context.Context, tx *sql.Tx, opts register.Options) (*fileImport, error) {
	var importedFrom string
	err := tx.QueryRowContext(ctx, `SELECT imported_from FROM register_meta WHERE id = 1`).Scan(&importedFrom)
	switch {
	case err == nil:
		return s.checkImportDir(opts.ImportDir, importedFrom)
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	imp, err := readFileRegister(ctx, opts.ImportDir)
	if err != nil || imp != nil {
		if err == nil {
			err = s.insertImport(ctx, tx, imp)
		}
		return imp, err
	}
	if opts.Create == nil {
		return nil, register.ErrNoRegister
	}
	if err := checkNoLists(opts.ImportDir); err != nil {
		return nil, err
	}
	validity := opts.Create.ListValidity
	if validity == 0 {
		validity = cert.DefaultListValidity
	}
	return nil, s.insertMeta(ctx, tx, meta{
		baseURL:  strings.TrimSuffix(opts.Create.BaseURL, "/"),
		listLen:  cert.MinStatusListLen,
		validity: validity.Truncate(time.Second),
	})
}

// meta is the register_meta row of a new register.
type meta struct {
	baseURL, issuer, importedFrom string
	listLen                       int
	validity                      time.Duration
	allocated, published          int64
}

func (s *Store) insertMeta(ctx context.Context, tx *sql.Tx, m meta) error {
	if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO register_meta
		(id, base_url, issuer, list_length, list_validity_seconds, imported_from, created_at)
		VALUES (1, ?, ?, ?, ?, ?, ?)`),
		m.baseURL, m.issuer, m.listLen, int64(m.validity/time.Second), m.importedFrom, s.now().Unix()); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO register_counters (name, value) VALUES ('allocated', ?), ('published', ?)`), m.allocated, m.published)
	return err
}

// loadSettings reads the settings that never change.
func (s *Store) loadSettings(ctx context.Context) error {
	var secs int64
	err := s.rdb.QueryRowContext(ctx, `SELECT base_url, list_length, list_validity_seconds FROM register_meta WHERE id = 1`).
		Scan(&s.baseURL, &s.listLen, &secs)
	if err != nil {
		return err
	}
	s.validity = time.Duration(secs) * time.Second
	if n := s.listLen; n < cert.MinStatusListLen || n&(n-1) != 0 || n > 1<<27 || secs < 1 {
		return fmt.Errorf("%w: list length %d or validity %ds out of range", register.ErrInconsistent, n, secs)
	}
	return nil
}

// write runs fn in a transaction of the writing pool and commits it, and
// runs it again, after a short random pause, as long as the dialect says
// a failure rolled it back and may pass on a second run.
func (s *Store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.closed.Load() {
		return register.ErrClosed
	}
	var err error
	for attempt := range maxAttempts {
		if attempt > 0 {
			pause := time.Duration(rand.Int64N(int64(time.Millisecond) << min(attempt, 7)))
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(pause):
			}
		}
		if err = s.tx(ctx, fn); err == nil || !s.d.Retry(err) {
			return err
		}
	}
	return err
}

func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if s.closed.Load() {
		return register.ErrClosed
	}
	if err := s.wdb.PingContext(ctx); err != nil {
		return err
	}
	var one int
	return s.rdb.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

// Close closes the database pools.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	err := s.wdb.Close()
	if s.rdb != s.wdb {
		err = errors.Join(err, s.rdb.Close())
	}
	return err
}

// listURL returns the URL of the list name.
func (s *Store) listURL(name string) string { return s.baseURL + "/" + name }

// entries returns the credentialStatus entries of index idx of pair n.
func (s *Store) entries(n, idx int) []cert.BitstringStatusListEntry {
	es := make([]cert.BitstringStatusListEntry, 0, 2)
	for _, p := range []string{cert.StatusRevocation, cert.StatusSuspension} {
		es = append(es, cert.NewStatusEntry(s.listURL(register.ListName(p, n)), p, idx))
	}
	return es
}

// capacity is the number of certificates the register holds at most.
func (s *Store) capacity() int64 { return int64(register.MaxLists) * int64(s.listLen) }

// Info returns the register's settings and counts.
func (s *Store) Info(ctx context.Context) (*register.Info, error) {
	if s.closed.Load() {
		return nil, register.ErrClosed
	}
	info := &register.Info{
		Driver: s.d.Name, SchemaVersion: SchemaVersion, BaseURL: s.baseURL,
		ListLength: s.listLen, ListValidity: s.validity, Capacity: s.capacity(),
	}
	err := s.rdb.QueryRowContext(ctx, `SELECT m.issuer, m.imported_from, c.value
		FROM register_meta m, register_counters c WHERE m.id = 1 AND c.name = 'allocated'`).
		Scan(&info.Issuer, &info.ImportedFrom, &info.Certificates)
	if err != nil {
		return nil, err
	}
	info.Lists = listNames(s.pairs(info.Certificates))
	var from, until int64
	last := &register.Publication{}
	err = s.rdb.QueryRowContext(ctx, `SELECT version, valid_from, valid_until FROM publications ORDER BY version DESC LIMIT 1`).
		Scan(&last.Version, &from, &until)
	switch {
	case err == nil:
		last.ValidFrom, last.ValidUntil = unix(from), unix(until)
		if last.Lists, err = s.versionLists(ctx, last.Version); err != nil {
			return nil, err
		}
		info.Last = last
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	return info, nil
}

// pairs is the number of list pairs a publication signs when allocated
// certificates have been recorded: those in use and, once the last of
// them is half full, the next one, so that a certificate's lists are
// published before it is, also when issuers record many certificates
// between two publications.
func (s *Store) pairs(allocated int64) int {
	n := allocated/int64(s.listLen) + 1
	if allocated%int64(s.listLen) >= int64(s.listLen)/2 {
		n++
	}
	return int(min(n, register.MaxLists))
}

// listNames returns the names of the lists of pairs list pairs.
func listNames(pairs int) []string {
	names := make([]string, 0, 2*pairs)
	for n := range pairs {
		names = append(names, register.ListName(cert.StatusRevocation, n), register.ListName(cert.StatusSuspension, n))
	}
	return names
}

func unix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

var _ register.Register = (*Store)(nil)
