package sqlreg

import (
	"cmp"
	"context"
	"crypto/ed25519"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// check refuses a register whose state contradicts itself or its
// lists, as after a damaged database or a careless edit: one that would
// hand out an index again or forget a revocation. It checks that the
// certificates are exactly the first ones allocation hands out, each at
// the index of its number, that the publication counter names the last
// publication, and that the lists of the last publication are signed by
// the register's issuer, are its lists, and set no revocation bit for a
// certificate that is not revoked and no bit at an index not handed out.
func (s *Store) check(ctx context.Context) error {
	inconsistent := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", register.ErrInconsistent, fmt.Sprintf(format, a...))
	}
	var allocated, published, count, pubs int64
	var maxNumber, maxVersion sql.NullInt64
	err := s.rdb.QueryRowContext(ctx, `SELECT
		(SELECT value FROM register_counters WHERE name = 'allocated'),
		(SELECT value FROM register_counters WHERE name = 'published'),
		(SELECT COUNT(*) FROM certificates), (SELECT MAX(number) FROM certificates),
		(SELECT COUNT(*) FROM publications), (SELECT MAX(version) FROM publications)`).
		Scan(&allocated, &published, &count, &maxNumber, &pubs, &maxVersion)
	if err != nil {
		return err
	}
	switch {
	case allocated < 0 || allocated > s.capacity():
		return inconsistent("the allocation counter %d is outside [0, %d]", allocated, s.capacity())
	case count != allocated || (count > 0 && maxNumber.Int64 != allocated-1):
		return inconsistent("%d certificates numbered up to %d, but the allocation counter says %d were handed out", count, maxNumber.Int64, allocated)
	case pubs != published || (pubs > 0 && maxVersion.Int64 != published):
		return inconsistent("%d publications up to version %d, but the publication counter says %d", pubs, maxVersion.Int64, published)
	}
	var misplaced int64
	err = s.rdb.QueryRowContext(ctx, s.d.q(`SELECT COUNT(*) FROM certificates
		WHERE list_no <> number / ? OR list_index <> ((number % ?) * ?) % ?`),
		s.listLen, s.listLen, int64(cert.StatusIndexStride), s.listLen).Scan(&misplaced)
	if err != nil {
		return err
	}
	if misplaced > 0 {
		return inconsistent("%d certificates are not at the list and index of their number", misplaced)
	}
	if published == 0 {
		return nil
	}
	return s.checkLastLists(ctx, published, allocated)
}

// checkLastLists checks the lists of the last publication.
func (s *Store) checkLastLists(ctx context.Context, version, allocated int64) error {
	var issuer string
	var nLists int
	if err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT m.issuer, p.lists FROM register_meta m, publications p WHERE m.id = 1 AND p.version = ?`), version).Scan(&issuer, &nLists); err != nil {
		return err
	}
	pubKey, err := cert.ResolveDIDKey(issuer)
	if err != nil {
		return fmt.Errorf("%w: issuer %q of published lists: %v", register.ErrInconsistent, issuer, err)
	}
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT name, valid_from, valid_until, document FROM status_lists WHERE version = ?`), version)
	if err != nil {
		return err
	}
	defer rows.Close()
	var revoked []*cert.StatusList
	seen := 0
	for rows.Next() {
		var name string
		var from, until int64
		var doc []byte
		if err := rows.Scan(&name, &from, &until, &doc); err != nil {
			return err
		}
		seen++
		purpose, n, ok := register.ParseListName(name)
		if !ok {
			return fmt.Errorf("%w: publication %d has a list named %q", register.ErrInconsistent, version, name)
		}
		l, _, err := readListDoc(doc, pubKey, s.listURL(name), purpose, unix(from), unix(until), s.listLen)
		if err != nil {
			return fmt.Errorf("%w: list %s of publication %d: %v", register.ErrInconsistent, name, version, err)
		}
		if purpose == cert.StatusRevocation {
			if revoked == nil {
				tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
				if err != nil {
					return err
				}
				// Only the pairs in use, as publish reads them: a list
				// beyond them sets no index the register handed out,
				// which firstUnallocated reports.
				revoked, err = s.readBits(ctx, tx, "revoked", s.pairs(allocated))
				tx.Rollback()
				if err != nil {
					return err
				}
			}
			if n >= len(revoked) {
				// checked below: no index of the list was handed out
			} else if i := firstExtraBit(l, revoked[n]); i >= 0 {
				return fmt.Errorf("%w: list %s of publication %d revokes index %d, but no certificate there is revoked: the database is older than its lists, or lost a revocation",
					register.ErrInconsistent, name, version, i)
			}
		}
		if i := s.firstUnallocated(l, n, allocated); i >= 0 {
			return fmt.Errorf("%w: list %s of publication %d sets index %d, which the register has not handed out: the database is older than its lists",
				register.ErrInconsistent, name, version, i)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if seen != nLists {
		return fmt.Errorf("%w: publication %d has %d lists, not %d", register.ErrInconsistent, version, seen, nLists)
	}
	return nil
}

// firstExtraBit returns the first index set in l but not in want, or -1.
func firstExtraBit(l, want *cert.StatusList) int {
	for i := range l.Len() {
		if set, _ := l.Get(i); set {
			if ok, _ := want.Get(i); !ok {
				return i
			}
		}
	}
	return -1
}

// firstUnallocated returns the first index set in l, the list of pair n,
// that is not among the first allocated indexes handed out, or -1.
func (s *Store) firstUnallocated(l *cert.StatusList, n int, allocated int64) int {
	inv := strideInverse()
	mask := uint64(s.listLen - 1)
	for i := range l.Len() {
		if set, _ := l.Get(i); set {
			k := uint64(i) * inv & mask // the place of index i in the order of allocation
			if int64(n)*int64(s.listLen)+int64(k) >= allocated {
				return i
			}
		}
	}
	return -1
}

// strideInverse returns the inverse of cert.StatusIndexStride modulo
// 2^64 (Newton's iteration, each step doubling the correct low bits), so
// that i × inverse mod n undoes cert.StatusIndex for n a power of two.
func strideInverse() uint64 {
	x := uint64(cert.StatusIndexStride)
	for range 6 {
		x *= 2 - uint64(cert.StatusIndexStride)*x
	}
	return x
}

// readListDoc verifies the signed list credential doc with key and
// checks that it is the list at url with purpose, valid from from until
// until (any end after from if until is zero), of length entries, and
// returns its bits and end of validity.
func readListDoc(doc []byte, key ed25519.PublicKey, url, purpose string, from, until time.Time, length int) (*cert.StatusList, time.Time, error) {
	lc, err := cert.ReadStatusList(doc, cert.VerifyOptions{TrustedKeys: []ed25519.PublicKey{key}, Now: from})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("not a status list signed by the register's issuer: %v", err)
	}
	f := from.UTC().Format(time.RFC3339)
	end, err := time.Parse(time.RFC3339, lc.ValidUntil)
	switch {
	case lc.ID != url || lc.Purpose != purpose:
		return nil, end, fmt.Errorf("it is the %s list %s, not the %s list %s", lc.Purpose, lc.ID, purpose, url)
	case lc.Issuer != cert.DIDKey(key):
		return nil, end, fmt.Errorf("its issuer is %s, not %s", lc.Issuer, cert.DIDKey(key))
	case lc.ValidFrom != f || err != nil || !end.After(from) || end.UTC().Format(time.RFC3339) != lc.ValidUntil ||
		(!until.IsZero() && !end.Equal(until)):
		return nil, end, fmt.Errorf("it is valid from %s until %s, not from %s until %s", lc.ValidFrom, lc.ValidUntil, f, until.UTC().Format(time.RFC3339))
	}
	l := lc.List
	if l.Len() != length {
		return nil, end, fmt.Errorf("it has %d entries, not %d", l.Len(), length)
	}
	return l, end, nil
}

// sortLists orders lists by version, then pair, revocation before
// suspension.
func sortLists(ls []register.List) {
	rank := func(l register.List) (int64, int, int) {
		p, n, _ := register.ParseListName(l.Name)
		r := 0
		if p == cert.StatusSuspension {
			r = 1
		}
		return l.Version, n, r
	}
	slices.SortFunc(ls, func(a, b register.List) int {
		av, an, ar := rank(a)
		bv, bn, br := rank(b)
		return cmp.Or(cmp.Compare(av, bv), cmp.Compare(an, bn), cmp.Compare(ar, br))
	})
}
