// Package register keeps an issuer's register of credit certificates in
// a database: the certificates issued with their record digests and
// status list indexes, their revocations and suspensions, and every
// version of the signed status lists published. It is the register of
// cert.StatusRegistry made for services: several processes, on several
// machines with PostgreSQL, share one register, and every change is a
// transaction.
//
// The Register interface is what an issuing service needs; the
// implementations live in their own packages, so that a program links
// only the database driver it uses:
//
//	credit/register/sqlite     SQLite (modernc.org/sqlite, pure Go): one file, the embedded default
//	credit/register/postgres   PostgreSQL (github.com/jackc/pgx/v5): for several issuing instances
//
// Open takes a URL, "sqlite:PATH" or "postgres://...", and uses the
// implementation registered for its scheme, as database/sql does with
// drivers:
//
//	import _ "github.com/creditsco/creditsco/credit/register/sqlite"
//
//	reg, err := register.Open(ctx, "sqlite:status/register.db", register.Options{
//		Create: &register.Settings{BaseURL: "https://issuer.example/status"},
//	})
//	defer reg.Close()
//	is, err := cert.NewIssuer(rs, cert.IssueOptions{Key: key, Status: reg})
//	signed, c, err := is.IssueContext(ctx, assessment) // recorded before it is signed
//	err = reg.Revoke(ctx, c.ID)
//	pub, err := reg.Publish(ctx, key, time.Now())      // both lists, signed, valid for a week
//
// # Status lists
//
// The lists are those of cert.StatusRegistry, W3C Bitstring Status List
// v1.0 with statusSize 1: each has 131,072 entries (the minimum for herd
// privacy), each certificate has the same index in a revocation and a
// suspension list, and indexes are handed out in the same scattered,
// repeatable order, never twice. Once the 131,072 indexes of a pair are
// taken, the next pair is filled: its lists are named "revocation-1" and
// "suspension-1" (ListName), up to MaxLists pairs.
//
// Publish signs a version of every list, valid for the register's list
// validity (7 days by default, as cert.DefaultListValidity), and keeps
// it: List returns the version valid at a time, for a status endpoint
// and for checks at a past time; NewFetcher makes a cert.StatusFetcher of
// a register, and ExportDir writes the lists in the layout cert.DirFetcher
// reads (DIR/revocation.json, DIR/versions/revocation/T.json), for a
// static web server or for certify verify -status DIR. An issuer
// publishes after revocations and before the lists expire.
//
// # Guarantees
//
//   - An index is never handed out twice: allocation and recording are
//     one transaction that takes the register's allocation counter (its
//     row lock in PostgreSQL, in a single statement that also inserts the
//     certificate and commits; the write lock in SQLite), and a unique
//     constraint on (list, index) backs it. A transaction that fails takes
//     no index, so the certificates are always exactly the first ones of
//     the allocation order, which Open checks.
//   - What a method acknowledged is durable: SQLite runs in WAL mode with
//     synchronous=FULL; PostgreSQL commits with its own settings
//     (synchronous_commit on by default). What it did not acknowledge is
//     not half-written: a transaction commits whole or not at all. An
//     index allocated for a certificate that its issuer then failed to
//     hand out stays taken.
//   - Revocation is permanent, and a publication shows every change made
//     before it started; a publication before the last one is refused.
//   - Open refuses a register whose state contradicts its lists (an
//     index out of order, a revoked bit published for a certificate not
//     revoked), and a file register to import whose state contradicts its
//     lists, with ErrInconsistent.
//
// # Schema
//
// The schema is versioned: Open applies, in a transaction, the
// migrations the database lacks, recording each in the table
// schema_migrations, and refuses a database migrated by a newer version
// (ErrSchemaTooNew). Version 1 has the tables register_meta (settings,
// issuer, the file register it was imported from), register_counters
// (the allocation and publication counters, whose rows are the locks),
// certificates (id, record digest, validity, number, list, index,
// statuses, with partial indexes of the revoked and the suspended),
// publications (one row per Publish) and status_lists (every signed
// version of every list). Times are Unix seconds.
//
// # File registers
//
// A cert.StatusRegistry directory is imported once (Options.ImportDir):
// its state is checked against its lists first, and refused if they
// disagree; its certificates keep their indexes and statuses, and its
// published versions stay available to List.
package register
