// Package postgres is the PostgreSQL implementation of package
// credit/register, on github.com/jackc/pgx/v5: a register that several
// issuing processes, on several machines, share.
//
// Importing the package registers it for register.Open under the schemes
// "postgres" and "postgresql":
//
//	import _ "github.com/creditsco/creditsco/credit/register/postgres"
//
//	reg, err := register.Open(ctx, "postgres://issuer@db.internal:5432/credit?sslmode=verify-full", opts)
//
// The URL is a libpq connection URL (see pgx.ParseConfig); a password is
// best left to PGPASSWORD or ~/.pgpass. The register's tables are made
// in the first schema of the connection's search_path (a URL parameter
// such as search_path=issuer puts them in schema issuer).
//
// Each allocation is one transaction that takes the allocation
// counter's row lock (UPDATE ... RETURNING), records the certificate
// and commits, so that concurrent issuers never share an index and a
// failed transaction hands out none; a transaction that fails with a
// serialization failure, a deadlock or a unique key taken by a
// concurrent one is run again. An acknowledged change is as durable as
// the server's commits (synchronous_commit on, PostgreSQL's default).
// Schema migrations run under a transaction-level advisory lock, so that
// processes starting together migrate once.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/creditsco/creditsco/credit/register"
	"github.com/creditsco/creditsco/credit/register/internal/sqlreg"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

func init() {
	open := func(ctx context.Context, url string, opts register.Options) (register.Register, error) {
		return Open(ctx, url, opts)
	}
	register.RegisterDriver("postgres", open)
	register.RegisterDriver("postgresql", open)
}

// maxConns bounds the connections of one process to the server.
const maxConns = 16

// setupLockKey is the key of the advisory lock taken while a register is
// migrated and set up: "creditsc" in ASCII.
const setupLockKey = 0x6372656469747363

// dialect is PostgreSQL's. Certificate ids compare bytewise (collation
// "C"), as in SQLite, so that Certificates pages alike.
var dialect = &sqlreg.Dialect{
	Name:      "postgres",
	Types:     map[string]string{"ID": `TEXT COLLATE "C"`, "BLOB": "BYTEA"},
	Dollar:    true,
	DMLInCTE:  true,
	SetupLock: fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", int64(setupLockKey)),
	Retry: func(err error) bool {
		var e *pgconn.PgError
		if !errors.As(err, &e) {
			return false
		}
		switch e.Code {
		case "40001", "40P01", "23505": // serialization_failure, deadlock_detected, unique_violation
			return true
		}
		return false
	},
}

// Open opens the register in the PostgreSQL database at url (a libpq
// connection URL or key=value string); see register.Open for opts.
func Open(ctx context.Context, url string, opts register.Options) (register.Register, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	s, err := sqlreg.Open(ctx, sqlreg.Config{Dialect: dialect, Write: db, Options: opts})
	if err != nil {
		return nil, err
	}
	return s, nil
}
