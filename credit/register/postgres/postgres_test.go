package postgres_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit/register"
	"github.com/creditsco/creditsco/credit/register/internal/pgtest"
	"github.com/creditsco/creditsco/credit/register/internal/registertest"
	"github.com/creditsco/creditsco/credit/register/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is a schema of its own for each test.
func env(t testing.TB) *registertest.Env {
	dsn := pgtest.DSN(t)
	return &registertest.Env{
		Open: func(opts register.Options) (register.Register, error) {
			return register.Open(context.Background(), dsn, opts)
		},
		DB:     func() (*sql.DB, error) { return sql.Open("pgx", dsn) },
		Dollar: true,
	}
}

func TestConformance(t *testing.T) { registertest.Run(t, env) }

// TestConcurrentSetup opens one new register from several processes'
// worth of connections at once: one creates it and migrates, the others
// find it.
func TestConcurrentSetup(t *testing.T) {
	dsn := pgtest.DSN(t)
	clock := registertest.NewClock(registertest.T0)
	var wg sync.WaitGroup
	regs := make([]register.Register, 4)
	errs := make([]error, len(regs))
	for i := range regs {
		wg.Go(func() { regs[i], errs[i] = postgres.Open(context.Background(), dsn, registertest.Create(clock)) })
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err)
		defer regs[i].Close()
	}
	db, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	defer db.Close()
	var migrations, metas int
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&migrations))
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM register_meta`).Scan(&metas))
	assert.Equal(t, 1, migrations)
	assert.Equal(t, 1, metas)
	info, err := regs[0].Info(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "postgres", info.Driver)
}

func TestOpenURL(t *testing.T) {
	assert.Contains(t, register.Drivers(), "postgres")
	assert.Contains(t, register.Drivers(), "postgresql")
	_, err := register.Open(context.Background(), "postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=1", register.Options{})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret")
}
