package register

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// An OpenFunc opens the register at a URL of its scheme; see Open.
type OpenFunc func(ctx context.Context, url string, opts Options) (Register, error)

var (
	driversMu sync.RWMutex
	drivers   = map[string]OpenFunc{}
)

// RegisterDriver makes a register implementation available to Open under
// the URL scheme name, as database/sql's Register does for drivers: the
// packages credit/register/sqlite ("sqlite") and credit/register/postgres
// ("postgres", "postgresql") call it when they are imported. It panics if
// open is nil or name is registered twice.
func RegisterDriver(name string, open OpenFunc) {
	driversMu.Lock()
	defer driversMu.Unlock()
	if open == nil {
		panic("register: RegisterDriver with a nil OpenFunc")
	}
	if _, dup := drivers[name]; dup {
		panic("register: RegisterDriver called twice for " + name)
	}
	drivers[name] = open
}

// Drivers returns the URL schemes of the registered implementations,
// sorted.
func Drivers() []string {
	driversMu.RLock()
	defer driversMu.RUnlock()
	names := make([]string, 0, len(drivers))
	for n := range drivers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Open opens the register at url with the implementation registered for
// its scheme, which the program imports:
//
//	sqlite:PATH                          import _ "github.com/creditsco/creditsco/credit/register/sqlite"
//	postgres://USER@HOST:PORT/DB?...     import _ "github.com/creditsco/creditsco/credit/register/postgres"
//	postgresql://...                     (the same)
//
// PATH is a file name, relative to the working directory or absolute;
// the PostgreSQL URL is a libpq connection URL (pgx.ParseConfig), so that
// a password can come from PGPASSWORD or ~/.pgpass rather than the
// command line. Open applies the schema migrations the database lacks,
// and creates or imports the register as opts say.
func Open(ctx context.Context, url string, opts Options) (Register, error) {
	scheme, _, ok := strings.Cut(url, ":")
	if !ok || scheme == "" {
		return nil, fmt.Errorf("register: %q is not a register URL (sqlite:PATH or postgres://...)", redact(url))
	}
	driversMu.RLock()
	open := drivers[scheme]
	driversMu.RUnlock()
	if open == nil {
		return nil, fmt.Errorf("register: no implementation for %q registers (known: %s); import its package, such as credit/register/sqlite",
			scheme+":", strings.Join(Drivers(), ", "))
	}
	return open(ctx, url, opts)
}

// redact drops the password of a URL's user information from messages.
func redact(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	auth := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		auth = rest[:i]
	}
	at := strings.LastIndex(auth, "@")
	if at < 0 {
		return url
	}
	user, _, hasPass := strings.Cut(auth[:at], ":")
	if !hasPass {
		return url
	}
	return scheme + "://" + user + ":xxxxx" + rest[at:]
}
