package sqlreg

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/creditsco/creditsco/credit/register"
)

// migrations are the versions of the schema, in order: migration i+1 is
// version i+1. A released migration is never changed, only followed by
// another.
//
// Times are Unix seconds (UTC), so that both databases store and compare
// them alike.
var migrations = []string{
	// 1: the register.
	`CREATE TABLE register_meta (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		base_url TEXT NOT NULL,
		issuer TEXT NOT NULL DEFAULT '',
		list_length INTEGER NOT NULL,
		list_validity_seconds BIGINT NOT NULL,
		imported_from TEXT NOT NULL DEFAULT '',
		created_at BIGINT NOT NULL
	);
	CREATE TABLE register_counters (
		name TEXT PRIMARY KEY,
		value BIGINT NOT NULL
	);
	CREATE TABLE certificates (
		id {{ID}} PRIMARY KEY,
		number BIGINT NOT NULL UNIQUE,
		list_no INTEGER NOT NULL,
		list_index INTEGER NOT NULL,
		record_digest TEXT NOT NULL DEFAULT '',
		valid_from BIGINT,
		valid_until BIGINT,
		recorded_at BIGINT NOT NULL,
		revoked BOOLEAN NOT NULL DEFAULT FALSE,
		revoked_at BIGINT,
		suspended BOOLEAN NOT NULL DEFAULT FALSE,
		UNIQUE (list_no, list_index)
	);
	CREATE INDEX certificates_revoked ON certificates (list_no, list_index) WHERE revoked;
	CREATE INDEX certificates_suspended ON certificates (list_no, list_index) WHERE suspended;
	CREATE TABLE publications (
		version BIGINT PRIMARY KEY,
		valid_from BIGINT NOT NULL,
		valid_until BIGINT NOT NULL,
		published_at BIGINT NOT NULL,
		lists INTEGER NOT NULL
	);
	CREATE TABLE status_lists (
		name TEXT NOT NULL,
		version BIGINT NOT NULL REFERENCES publications (version),
		valid_from BIGINT NOT NULL,
		valid_until BIGINT NOT NULL,
		sha256 TEXT NOT NULL,
		document {{BLOB}} NOT NULL,
		PRIMARY KEY (name, version)
	);
	CREATE INDEX status_lists_from ON status_lists (name, valid_from, version)`,
}

// SchemaVersion is the schema version this package migrates to.
var SchemaVersion = len(migrations)

// migrate brings the schema in tx to SchemaVersion and returns the
// version it found. A database of a newer version is ErrSchemaTooNew.
func (s *Store) migrate(ctx context.Context, tx *sql.Tx) (int, error) {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		applied_at BIGINT NOT NULL
	)`); err != nil {
		return 0, fmt.Errorf("register: schema_migrations: %w", err)
	}
	var found sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&found); err != nil {
		return 0, fmt.Errorf("register: schema_migrations: %w", err)
	}
	have := int(found.Int64)
	if have > SchemaVersion {
		return have, fmt.Errorf("%w: version %d, this program knows versions up to %d", register.ErrSchemaTooNew, have, SchemaVersion)
	}
	for v := have + 1; v <= SchemaVersion; v++ {
		for _, stmt := range strings.Split(s.ddl(migrations[v-1]), ";\n") {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return have, fmt.Errorf("register: schema migration %d: %w", v, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), v, s.now().Unix()); err != nil {
			return have, fmt.Errorf("register: schema migration %d: %w", v, err)
		}
	}
	return have, nil
}

// ddl replaces the type placeholders of a migration with the dialect's.
func (s *Store) ddl(m string) string {
	for k, v := range s.d.Types {
		m = strings.ReplaceAll(m, "{{"+k+"}}", v)
	}
	return m
}
