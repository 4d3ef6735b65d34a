// Package sqlite is the SQLite implementation of package
// credit/register: a register in one database file, the embedded
// default, on modernc.org/sqlite (SQLite compiled to Go, no cgo).
//
// Importing the package registers it for register.Open under the scheme
// "sqlite" ("sqlite:PATH"):
//
//	import _ "github.com/creditsco/creditsco/credit/register/sqlite"
//
// The database runs in WAL mode with synchronous=FULL, so that a change
// is on disk when the method that made it returns, and every write is a
// transaction that takes SQLite's write lock when it begins (BEGIN
// IMMEDIATE): one writer at a time, across processes too, while readers
// go on. Several processes on one machine may share a register file;
// several machines should share a PostgreSQL register instead (package
// credit/register/postgres), since SQLite's locks do not hold on network
// file systems.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/creditsco/creditsco/credit/register"
	"github.com/creditsco/creditsco/credit/register/internal/sqlreg"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

func init() {
	register.RegisterDriver("sqlite", func(ctx context.Context, url string, opts register.Options) (register.Register, error) {
		return Open(ctx, strings.TrimPrefix(url, "sqlite:"), opts)
	})
}

// busyTimeoutMS is how long a connection waits for another's write lock
// before it fails with SQLITE_BUSY, in milliseconds.
const busyTimeoutMS = 10000

// readConns is the number of connections that read at the same time.
const readConns = 4

// dialect is SQLite's.
var dialect = &sqlreg.Dialect{
	Name:  "sqlite",
	Types: map[string]string{"ID": "TEXT", "BLOB": "BLOB"},
	Retry: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && (e.Code()&0xff == sqlite3.SQLITE_BUSY || e.Code()&0xff == sqlite3.SQLITE_LOCKED)
	},
}

// Open opens the register in the SQLite database file path, creating the
// file if it does not exist (its directory must); see register.Open for
// opts. A database file that does not exist is created only once what
// it would hold is known to be sound (the file register to import is
// checked first); if Open fails on a file it created, it removes it.
func Open(ctx context.Context, path string, opts register.Options) (register.Register, error) {
	if path == "" || strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("register: SQLite database file name %q is empty, or has ? or # or a file: prefix", path)
	}
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, os.ErrNotExist)
	if created {
		if err := sqlreg.Precheck(ctx, opts); err != nil {
			return nil, wrapPath(err, path)
		}
	}
	common := fmt.Sprintf("?_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)", busyTimeoutMS)
	w, err := sql.Open("sqlite", path+common+"&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1) // the one writer; others wait for it here rather than in SQLite
	r, err := sql.Open("sqlite", path+common+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(readConns)
	s, err := sqlreg.Open(ctx, sqlreg.Config{Dialect: dialect, Write: w, Read: r, Options: opts})
	if err != nil {
		if created {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		}
		return nil, wrapPath(err, path)
	}
	return s, nil
}

// wrapPath names the database file in an error that does not name its
// directory already.
func wrapPath(err error, path string) error {
	named := filepath.Dir(path)
	if named == "." {
		named = path
	}
	if strings.Contains(err.Error(), named) {
		return err
	}
	return fmt.Errorf("%w (register %s)", err, path)
}
