// Package sqlreg is the register of package credit/register on
// database/sql: the schema and its migrations, and every operation, for
// the SQLite and PostgreSQL implementations, which differ only in their
// Dialect.
package sqlreg

import (
	"strconv"
	"strings"
	"sync"
)

// A Dialect is what differs between the databases.
type Dialect struct {
	// Name is the implementation's name, Info.Driver.
	Name string
	// Types replaces the {{NAME}} placeholders of the schema, such as
	// {{BLOB}} and {{ID}} (the type of certificate ids, which must
	// compare bytewise).
	Types map[string]string
	// Dollar numbers the placeholders $1, $2... (PostgreSQL) instead of
	// ? (SQLite).
	Dollar bool
	// SetupLock, if set, is run first in the transaction that migrates
	// and sets a register up, so that processes opening one database at
	// once do it one after another (SQLite's write lock does that
	// already).
	SetupLock string
	// DMLInCTE says that a WITH clause may hold an UPDATE (PostgreSQL),
	// so that a certificate is recorded in one statement.
	DMLInCTE bool
	// Retry reports an error after which the whole transaction was rolled
	// back and may be run again: a serialization failure, a deadlock, a
	// busy database, or a unique key taken by a concurrent transaction.
	Retry func(error) bool
}

// queries caches the statements of each dialect in its placeholder
// form.
var queries sync.Map // dialect name + "\x00" + query → string

// q returns query in d's placeholder form: ? becomes $1, $2... for
// PostgreSQL. The queries of this package have no ? in literals.
func (d *Dialect) q(query string) string {
	if !d.Dollar {
		return query
	}
	key := d.Name + "\x00" + query
	if v, ok := queries.Load(key); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	queries.Store(key, b.String())
	return b.String()
}
