// Package pgtest gives tests a PostgreSQL database: the server named by
// CREDITSCO_POSTGRES_DSN, or else a throwaway cluster it starts with the
// PostgreSQL binaries of the machine (initdb and pg_ctl on PATH or in
// /usr/lib/postgresql/*/bin), listening on a Unix socket in a temporary
// directory and stopped when the tests end. Tests skip only when
// CREDITSCO_SKIP_POSTGRES=1 says so; without a server and without
// binaries they fail, naming these variables.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// The environment variables that choose the database.
const (
	// EnvDSN is the URL of a PostgreSQL database in which the tests'
	// user may create schemas, such as
	// postgres://creditsco@127.0.0.1:5432/creditsco.
	EnvDSN = "CREDITSCO_POSTGRES_DSN"
	// EnvSkip set to 1 skips the tests that need PostgreSQL.
	EnvSkip = "CREDITSCO_SKIP_POSTGRES"
)

var (
	once     sync.Once
	adminDSN string
	setupErr error
	started  *cluster // the throwaway cluster, if one was started
)

// Main runs the tests of a package (from its TestMain) and stops the
// throwaway cluster DSN may have started.
func Main(m *testing.M) {
	code := m.Run()
	if started != nil {
		if err := started.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: stopping the throwaway PostgreSQL cluster: %v\n", err)
		}
	}
	os.Exit(code)
}

// Server returns the URL of the test server's database, starting a
// throwaway cluster on first use if EnvDSN is not set. It skips t only
// if EnvSkip is 1, and fails it if there is no server to be had.
func Server(t testing.TB) string {
	t.Helper()
	if os.Getenv(EnvSkip) == "1" {
		t.Skipf("%s=1: the PostgreSQL tests are skipped", EnvSkip)
	}
	once.Do(setup)
	if setupErr != nil {
		t.Fatalf("no PostgreSQL for the tests: %v\n"+
			"Set %s to the URL of a database where the user may create schemas, or install PostgreSQL (initdb, pg_ctl) for a throwaway cluster, or set %s=1 to skip these tests.",
			setupErr, EnvDSN, EnvSkip)
	}
	return adminDSN
}

// DSN returns the URL of a new, empty schema of the test server (see
// Server), dropped when t ends: tables made through it are the test's
// own.
func DSN(t testing.TB) string {
	t.Helper()
	admin := Server(t)
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if err := execSQL(admin, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("creating the test schema: %v", err)
	}
	t.Cleanup(func() {
		if err := execSQL(admin, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping the test schema: %v", err)
		}
	})
	return WithSearchPath(admin, schema)
}

// WithSearchPath returns dsn with its search_path set to schema.
func WithSearchPath(dsn, schema string) string {
	switch {
	case !strings.Contains(dsn, "://"):
		return dsn + " search_path=" + schema
	case strings.Contains(dsn, "?"):
		return dsn + "&search_path=" + schema
	default:
		return dsn + "?search_path=" + schema
	}
}

func execSQL(dsn, stmt string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = db.ExecContext(ctx, stmt)
	return err
}

func setup() {
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		adminDSN = dsn
		setupErr = ping(dsn)
		if setupErr != nil {
			setupErr = fmt.Errorf("%s: %w", EnvDSN, setupErr)
		}
		return
	}
	c, err := startCluster()
	if err != nil {
		setupErr = fmt.Errorf("%s is not set, and no throwaway cluster could be started: %w", EnvDSN, err)
		return
	}
	started = c
	adminDSN = c.dsn
	setupErr = ping(c.dsn)
}

func ping(dsn string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}
