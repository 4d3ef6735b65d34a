package sqlreg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// maxIDBytes bounds a certificate id, as a cert.StatusRegistry does.
const maxIDBytes = 1024

// AllocateStatus records c and returns its status entries; see
// register.Register.
func (s *Store) AllocateStatus(ctx context.Context, c *cert.Certificate) ([]cert.BitstringStatusListEntry, error) {
	if s.closed.Load() {
		return nil, register.ErrClosed
	}
	rec, err := recordOf(c)
	if err != nil {
		return nil, err
	}
	if s.d.DMLInCTE {
		return s.allocateOneStatement(ctx, rec, 0)
	}
	var n, idx int
	err = s.write(ctx, func(tx *sql.Tx) error {
		var digest string
		err := tx.QueryRowContext(ctx, s.d.q(`SELECT record_digest, list_no, list_index FROM certificates WHERE id = ?`), rec.id).Scan(&digest, &n, &idx)
		switch {
		case err == nil:
			return s.recordedBefore(rec, digest)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		// The counter's row is the allocation lock: a concurrent
		// transaction waits here until this one ends, and then counts on.
		var number int64
		if err := tx.QueryRowContext(ctx, `UPDATE register_counters SET value = value + 1 WHERE name = 'allocated' RETURNING value - 1`).Scan(&number); err != nil {
			return err
		}
		if number >= s.capacity() {
			return s.errFull()
		}
		n = int(number / int64(s.listLen))
		idx = cert.StatusIndex(int(number%int64(s.listLen)), s.listLen)
		_, err = tx.ExecContext(ctx, s.d.q(`INSERT INTO certificates
			(id, number, list_no, list_index, record_digest, valid_from, valid_until, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			rec.id, number, n, idx, rec.digest, rec.from.Unix(), rec.until.Unix(), s.now().Unix())
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.entries(n, idx), nil
}

// allocateOneStatement records rec in one statement, which takes the
// allocation counter's row lock, inserts the certificate at the index of
// the number it took and commits: a single round trip, which holds the
// lock for as short a time as the server allows. A certificate recorded
// before fails the insert (its id is taken), which undoes the count, and
// is then read.
func (s *Store) allocateOneStatement(ctx context.Context, rec record, attempt int) ([]cert.BitstringStatusListEntry, error) {
	var number int64
	var n, idx int
	err := s.wdb.QueryRowContext(ctx, s.d.q(`WITH c AS (
			UPDATE register_counters SET value = value + 1 WHERE name = 'allocated' AND value < ? RETURNING value - 1 AS number)
		INSERT INTO certificates (id, number, list_no, list_index, record_digest, valid_from, valid_until, recorded_at)
		SELECT ?, number, number / ?, (number % ?) * ? % ?, ?, ?, ?, ? FROM c
		RETURNING number, list_no, list_index`),
		s.capacity(), rec.id, s.listLen, s.listLen, int64(cert.StatusIndexStride), s.listLen,
		rec.digest, rec.from.Unix(), rec.until.Unix(), s.now().Unix()).Scan(&number, &n, &idx)
	switch {
	case err == nil:
		if n != int(number/int64(s.listLen)) || idx != cert.StatusIndex(int(number%int64(s.listLen)), s.listLen) {
			return nil, fmt.Errorf("register: certificate number %d was put at list %d index %d, not where cert.StatusIndex says", number, n, idx)
		}
		return s.entries(n, idx), nil
	case !errors.Is(err, sql.ErrNoRows) && !s.d.Retry(err):
		return nil, err
	}
	// No row: the register is full, unless the certificate is in it; a
	// key taken: the certificate was recorded before, unless the key was
	// another's.
	full := errors.Is(err, sql.ErrNoRows)
	var digest string
	err = s.wdb.QueryRowContext(ctx, s.d.q(`SELECT record_digest, list_no, list_index FROM certificates WHERE id = ?`), rec.id).Scan(&digest, &n, &idx)
	switch {
	case errors.Is(err, sql.ErrNoRows) && full:
		return nil, s.errFull()
	case errors.Is(err, sql.ErrNoRows) && attempt+1 < maxAttempts:
		return s.allocateOneStatement(ctx, rec, attempt+1) // count again
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("register: recording certificate %s failed %d times", rec.id, maxAttempts)
	case err != nil:
		return nil, err
	}
	if err := s.recordedBefore(rec, digest); err != nil {
		return nil, err
	}
	return s.entries(n, idx), nil
}

// recordedBefore returns nil if a certificate recorded before with
// digest is rec, and ErrConflict if not.
func (s *Store) recordedBefore(rec record, digest string) error {
	if digest == rec.digest {
		return nil
	}
	return &register.CertificateError{ID: rec.id, Err: fmt.Errorf("%w (%s, not %s)", register.ErrConflict, orNone(digest), rec.digest)}
}

func (s *Store) errFull() error {
	return fmt.Errorf("%w: %d certificates in %d list pairs of %d", register.ErrFull, s.capacity(), register.MaxLists, s.listLen)
}

func orNone(digest string) string {
	if digest == "" {
		return "no digest: imported from a file register"
	}
	return digest
}

// record is what the register keeps of a certificate it records.
type record struct {
	id, digest  string
	from, until time.Time
}

// recordOf checks and takes what the register keeps of c.
func recordOf(c *cert.Certificate) (record, error) {
	if c == nil {
		return record{}, errors.New("register: AllocateStatus of a nil certificate")
	}
	r := record{id: c.ID, digest: c.CredentialSubject.RecordDigest}
	switch {
	case r.id == "":
		return r, errors.New("register: certificate without an id")
	case len(r.id) > maxIDBytes:
		return r, fmt.Errorf("register: certificate id of %d bytes is longer than %d", len(r.id), maxIDBytes)
	case !validDigest(r.digest):
		return r, &register.CertificateError{ID: r.id, Err: fmt.Errorf("register: record digest %q is not sha256:<64 hex digits>", r.digest)}
	}
	var err1, err2 error
	r.from, err1 = time.Parse(time.RFC3339, c.ValidFrom)
	r.until, err2 = time.Parse(time.RFC3339, c.ValidUntil)
	if err := errors.Join(err1, err2); err != nil || r.until.Before(r.from) {
		return r, &register.CertificateError{ID: r.id, Err: fmt.Errorf("register: validity %q to %q is not a period of RFC 3339 times", c.ValidFrom, c.ValidUntil)}
	}
	return r, nil
}

func validDigest(d string) bool {
	hex, ok := strings.CutPrefix(d, "sha256:")
	return ok && len(hex) == 64 && strings.Trim(hex, "0123456789abcdef") == ""
}

// Revoke marks the certificate id as revoked, for good.
func (s *Store) Revoke(ctx context.Context, id string) error {
	return s.setStatus(ctx, id, `UPDATE certificates SET revoked = TRUE, revoked_at = ? WHERE id = ? AND NOT revoked`, true)
}

// Suspend marks the certificate id as suspended.
func (s *Store) Suspend(ctx context.Context, id string) error {
	return s.setStatus(ctx, id, `UPDATE certificates SET suspended = TRUE WHERE id = ?`, false)
}

// Unsuspend lifts the suspension of the certificate id.
func (s *Store) Unsuspend(ctx context.Context, id string) error {
	return s.setStatus(ctx, id, `UPDATE certificates SET suspended = FALSE WHERE id = ?`, false)
}

// setStatus runs the update, whose arguments are the time (if timed) and
// id; an update of no row is a known certificate only if the id is
// recorded (and, for a revocation, already revoked).
func (s *Store) setStatus(ctx context.Context, id, update string, timed bool) error {
	if s.closed.Load() {
		return register.ErrClosed
	}
	args := []any{id}
	if timed {
		args = []any{s.now().Unix(), id}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.q(update), args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx, s.d.q(`SELECT 1 FROM certificates WHERE id = ?`), id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return &register.CertificateError{ID: id, Err: register.ErrUnknownCertificate}
		}
		return err
	})
}

// entryColumns are the columns scanEntry reads.
const entryColumns = `id, record_digest, valid_from, valid_until, recorded_at, number, list_no, list_index, revoked, revoked_at, suspended`

func (s *Store) scanEntry(row interface{ Scan(...any) error }) (*register.Entry, error) {
	var (
		e                      register.Entry
		from, until, revokedAt sql.NullInt64
		recorded               int64
	)
	err := row.Scan(&e.ID, &e.RecordDigest, &from, &until, &recorded, &e.Number, &e.List, &e.Index, &e.Revoked, &revokedAt, &e.Suspended)
	if err != nil {
		return nil, err
	}
	e.Recorded = unix(recorded)
	if from.Valid {
		e.ValidFrom, e.ValidUntil = unix(from.Int64), unix(until.Int64)
	}
	if revokedAt.Valid {
		e.RevokedAt = unix(revokedAt.Int64)
	}
	e.StatusEntries = s.entries(e.List, e.Index)
	return &e, nil
}

// Status returns the register's entry for the certificate id.
func (s *Store) Status(ctx context.Context, id string) (*register.Entry, error) {
	if s.closed.Load() {
		return nil, register.ErrClosed
	}
	e, err := s.scanEntry(s.rdb.QueryRowContext(ctx, s.d.q(`SELECT `+entryColumns+` FROM certificates WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &register.CertificateError{ID: id, Err: register.ErrUnknownCertificate}
	}
	return e, err
}

// Certificates returns at most limit entries whose ids sort after after.
func (s *Store) Certificates(ctx context.Context, after string, limit int) ([]register.Entry, error) {
	if s.closed.Load() {
		return nil, register.ErrClosed
	}
	if limit < 1 || limit > register.MaxPage {
		return nil, fmt.Errorf("register: page of %d certificates, not 1 to %d", limit, register.MaxPage)
	}
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT `+entryColumns+` FROM certificates WHERE id > ? ORDER BY id LIMIT ?`), after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []register.Entry
	for rows.Next() {
		e, err := s.scanEntry(rows)
		if err != nil {
			return nil, err
		}
		es = append(es, *e)
	}
	return es, rows.Err()
}
