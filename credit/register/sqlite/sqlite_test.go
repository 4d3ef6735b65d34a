package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit/register"
	"github.com/creditsco/creditsco/credit/register/internal/registertest"
	"github.com/creditsco/creditsco/credit/register/sqlite"
)

// env is a register file of its own for each test.
func env(t testing.TB) *registertest.Env {
	path := filepath.Join(t.TempDir(), "register.db")
	return &registertest.Env{
		Open: func(opts register.Options) (register.Register, error) {
			return register.Open(context.Background(), "sqlite:"+path, opts)
		},
		DB: func() (*sql.DB, error) {
			return sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
		},
	}
}

func TestConformance(t *testing.T) { registertest.Run(t, env) }

func TestDurabilitySettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "register.db")
	reg, err := sqlite.Open(context.Background(), path, registertest.Create(registertest.NewClock(registertest.T0)))
	require.NoError(t, err)
	defer reg.Close()
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	var mode string
	require.NoError(t, db.QueryRow(`PRAGMA journal_mode`).Scan(&mode))
	assert.Equal(t, "wal", mode, "the journal mode is the file's")
	info, err := reg.Info(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "sqlite", info.Driver)
}

func TestOpenFailureRemovesNewFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "register.db")
	_, err := sqlite.Open(context.Background(), path, register.Options{})
	require.ErrorIs(t, err, register.ErrNoRegister)
	assert.ErrorContains(t, err, path)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "a file Open created is removed when it fails")

	for _, bad := range []string{"", "a?b", "a#b", "file:x.db"} {
		_, err := sqlite.Open(context.Background(), bad, register.Options{})
		assert.ErrorContains(t, err, "SQLite database file name", bad)
	}
}

func TestOpenURL(t *testing.T) {
	_, err := register.Open(context.Background(), "nosuch:x", register.Options{})
	assert.ErrorContains(t, err, "known: sqlite")
	_, err = register.Open(context.Background(), "no-scheme", register.Options{})
	assert.ErrorContains(t, err, "not a register URL")
	assert.Contains(t, register.Drivers(), "sqlite")
}
