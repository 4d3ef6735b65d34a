package sqlreg

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// Publish signs and stores a new version of every list; see
// register.Register.
func (s *Store) Publish(ctx context.Context, key ed25519.PrivateKey, at time.Time) (*register.Publication, error) {
	if s.closed.Load() {
		return nil, register.ErrClosed
	}
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("%w: invalid Ed25519 private key", cert.ErrMalformed)
	}
	at = at.UTC().Truncate(time.Second)
	issuer := cert.DIDKey(key.Public().(ed25519.PublicKey))
	var pub *register.Publication
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		pub, err = s.publish(ctx, tx, key, issuer, at)
		return err
	})
	if err != nil {
		return nil, err
	}
	return pub, nil
}

func (s *Store) publish(ctx context.Context, tx *sql.Tx, key ed25519.PrivateKey, issuer string, at time.Time) (*register.Publication, error) {
	// The publication counter's row is the publication lock: the
	// statuses read below are those committed before it was taken.
	pub := &register.Publication{ValidFrom: at, ValidUntil: at.Add(s.validity)}
	if err := tx.QueryRowContext(ctx, `UPDATE register_counters SET value = value + 1 WHERE name = 'published' RETURNING value`).Scan(&pub.Version); err != nil {
		return nil, err
	}
	var have string
	if err := tx.QueryRowContext(ctx, `SELECT issuer FROM register_meta WHERE id = 1`).Scan(&have); err != nil {
		return nil, err
	}
	switch {
	case have == "":
		if _, err := tx.ExecContext(ctx, s.d.q(`UPDATE register_meta SET issuer = ? WHERE id = 1`), issuer); err != nil {
			return nil, err
		}
	case have != issuer:
		return nil, fmt.Errorf("%w: the status lists of the register are signed by %s, not %s", cert.ErrUntrustedKey, have, issuer)
	}
	var last int64
	err := tx.QueryRowContext(ctx, s.d.q(`SELECT valid_from FROM publications WHERE version = ?`), pub.Version-1).Scan(&last)
	switch {
	case err == nil && at.Before(unix(last)):
		return nil, fmt.Errorf("%w: the lists were last published valid from %s; lists valid from %s would change the past",
			register.ErrPastPublication, unix(last).Format(time.RFC3339), at.Format(time.RFC3339))
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	var allocated int64
	if err := tx.QueryRowContext(ctx, `SELECT value FROM register_counters WHERE name = 'allocated'`).Scan(&allocated); err != nil {
		return nil, err
	}
	pairs := s.pairs(allocated)
	bits := map[string][]*cert.StatusList{}
	for _, p := range []struct{ purpose, where string }{{cert.StatusRevocation, "revoked"}, {cert.StatusSuspension, "suspended"}} {
		if bits[p.purpose], err = s.readBits(ctx, tx, p.where, pairs); err != nil {
			return nil, err
		}
	}
	if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO publications (version, valid_from, valid_until, published_at, lists) VALUES (?, ?, ?, ?, ?)`),
		pub.Version, pub.ValidFrom.Unix(), pub.ValidUntil.Unix(), s.now().Unix(), 2*pairs); err != nil {
		return nil, err
	}
	for n := range pairs {
		for _, p := range []string{cert.StatusRevocation, cert.StatusSuspension} {
			l, err := s.signList(key, issuer, register.ListName(p, n), p, bits[p][n], pub)
			if err != nil {
				return nil, err
			}
			if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO status_lists (name, version, valid_from, valid_until, sha256, document) VALUES (?, ?, ?, ?, ?, ?)`),
				l.Name, l.Version, l.ValidFrom.Unix(), l.ValidUntil.Unix(), l.SHA256, l.Document); err != nil {
				return nil, err
			}
			pub.Lists = append(pub.Lists, *l)
		}
	}
	return pub, nil
}

// readBits returns the lists of pairs pairs with the bits of the
// certificates for which the boolean column where is true.
func (s *Store) readBits(ctx context.Context, tx *sql.Tx, where string, pairs int) ([]*cert.StatusList, error) {
	lists := make([]*cert.StatusList, pairs)
	for i := range lists {
		lists[i] = cert.NewStatusList(s.listLen)
	}
	rows, err := tx.QueryContext(ctx, `SELECT list_no, list_index FROM certificates WHERE `+where)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n, idx int
		if err := rows.Scan(&n, &idx); err != nil {
			return nil, err
		}
		if n < 0 || n >= pairs {
			return nil, fmt.Errorf("%w: a %s certificate is in list pair %d, of %d in use", register.ErrInconsistent, where, n, pairs)
		}
		if err := lists[n].Set(idx, true); err != nil {
			return nil, fmt.Errorf("%w: %v", register.ErrInconsistent, err)
		}
	}
	return lists, rows.Err()
}

// signList signs the list name of purpose with bits as a version of pub.
func (s *Store) signList(key ed25519.PrivateKey, issuer, name, purpose string, bits *cert.StatusList, pub *register.Publication) (*register.List, error) {
	l := &register.List{Name: name, Purpose: purpose, URL: s.listURL(name), Version: pub.Version, ValidFrom: pub.ValidFrom, ValidUntil: pub.ValidUntil}
	doc, err := cert.StatusListCredential{
		ID: l.URL, Issuer: issuer, Purpose: purpose,
		ValidFrom: l.ValidFrom, ValidUntil: l.ValidUntil, List: bits,
	}.Marshal()
	if err != nil {
		return nil, err
	}
	// The nonce makes every version a document of its own, also at the
	// same second with the same bits, so that its digest names it.
	if l.Document, err = cert.AddProof(doc, key, cert.ProofOptions{Created: l.ValidFrom, Nonce: fmt.Sprintf("publication-%d", pub.Version)}); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(l.Document)
	l.SHA256 = hex.EncodeToString(sum[:])
	return l, nil
}

// List returns the version of the list name valid at at (the latest for
// the zero time).
func (s *Store) List(ctx context.Context, name string, at time.Time) (*register.List, error) {
	if s.closed.Load() {
		return nil, register.ErrClosed
	}
	purpose, _, ok := register.ParseListName(name)
	if !ok {
		return nil, fmt.Errorf("%w: %q", register.ErrUnknownList, name)
	}
	query, args := `SELECT version, valid_from, valid_until, sha256, document FROM status_lists WHERE name = ? ORDER BY version DESC LIMIT 1`, []any{name}
	if !at.IsZero() {
		query = `SELECT version, valid_from, valid_until, sha256, document FROM status_lists WHERE name = ? AND valid_from <= ? ORDER BY version DESC LIMIT 1`
		args = append(args, at.Unix())
	}
	l := &register.List{Name: name, Purpose: purpose, URL: s.listURL(name)}
	var from, until int64
	err := s.rdb.QueryRowContext(ctx, s.d.q(query), args...).Scan(&l.Version, &from, &until, &l.SHA256, &l.Document)
	if errors.Is(err, sql.ErrNoRows) {
		if at.IsZero() {
			return nil, fmt.Errorf("%w: %s has not been published", register.ErrUnknownList, name)
		}
		return nil, fmt.Errorf("%w: no version of %s was published at or before %s", register.ErrUnknownList, name, at.UTC().Format(time.RFC3339))
	}
	if err != nil {
		return nil, err
	}
	l.ValidFrom, l.ValidUntil = unix(from), unix(until)
	return l, nil
}

// Versions returns every version of the list name, without documents.
func (s *Store) Versions(ctx context.Context, name string) ([]register.List, error) {
	if s.closed.Load() {
		return nil, register.ErrClosed
	}
	if _, _, ok := register.ParseListName(name); !ok {
		return nil, fmt.Errorf("%w: %q", register.ErrUnknownList, name)
	}
	ls, err := s.listsWhere(ctx, `name = ? AND version > (SELECT COALESCE(MAX(version), 0) FROM status_lists WHERE name = ?) - ?`, name, name, register.MaxPage)
	if err != nil {
		return nil, err
	}
	return ls, nil
}

// versionLists returns the lists of publication version, without
// documents.
func (s *Store) versionLists(ctx context.Context, version int64) ([]register.List, error) {
	return s.listsWhere(ctx, `version = ?`, version)
}

func (s *Store) listsWhere(ctx context.Context, where string, args ...any) ([]register.List, error) {
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT name, version, valid_from, valid_until, sha256 FROM status_lists WHERE `+where+` ORDER BY version, name`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ls []register.List
	for rows.Next() {
		var l register.List
		var from, until int64
		if err := rows.Scan(&l.Name, &l.Version, &from, &until, &l.SHA256); err != nil {
			return nil, err
		}
		l.Purpose, _, _ = register.ParseListName(l.Name)
		l.URL = s.listURL(l.Name)
		l.ValidFrom, l.ValidUntil = unix(from), unix(until)
		ls = append(ls, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortLists(ls)
	return ls, nil
}
