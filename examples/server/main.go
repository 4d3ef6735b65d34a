// Command server serves creditsco over HTTP: the handler of package
// credit/service, which validates, scores, issues and verifies
// certificates and publishes the issuer's status lists.
//
// Usage:
//
//	server -addr HOST:PORT -key FILE -register sqlite:PATH|postgres://...
//	       [-token-file FILE] [-rates FILE] [-trust DID_KEY]...
//	       [-status-url URL] [-list-validity DURATION]
//	       [-tls-cert FILE -tls-key FILE [-client-ca FILE]]
//	       [-timeout DURATION] [-max-body BYTES] [-max-records N]
//	       [-shutdown-timeout DURATION] [-clock RFC3339] [-log text|json]
//
// -key is the issuer's private key file (as certify keygen writes it;
// cert.ParseKeyFile) and -register the issuer's register: "sqlite:PATH"
// (a file, created if missing; its directory must exist) or a PostgreSQL
// URL ("postgres://USER@HOST:PORT/DB", with the password from PGPASSWORD
// or ~/.pgpass rather than the command line), shared by every server
// that issues for the issuer. A new register publishes its status lists
// under -status-url (default http://ADDR/v1/status, this server's own
// status endpoint, when -addr names a host and a port other than 0: the
// URL is in every certificate for good) for -list-validity (default 168h); the server signs
// them when it starts, after every revocation, suspension and lifting of
// a suspension, and a quarter of the validity after the last
// publication. Without -key and -register the server validates, scores
// and verifies but issues nothing.
//
// Issuing and status changes need credentials: a bearer token from
// -token-file (one token per line, at least 16 characters; the file is
// created with one new random token, mode 0600, if it does not exist),
// or, with -client-ca, a client certificate that one of the PEM
// certificates of -client-ca signed (TLS with -tls-cert and -tls-key).
// Without either, those endpoints answer 401.
//
// Verification trusts the issuer's own key and the keys given with
// -trust (did:key, as certify keygen prints it), and reads the status of
// the issuer's own certificates from the register. -rates is an FX rate
// file for scoring (testdata/fx/rates-2025-12-31.json).
//
// -clock starts the server's clock at a time, from which it advances:
// certificates and status lists are issued, and documents verified, as
// if then. It is for demonstrations and tests on records of a past
// assessment date, such as the bundled samples.
//
// The server logs with log/slog on standard error: one line per request
// (with its X-Request-Id), errors and recovered panics with the request
// id, the lifecycle. On SIGINT or SIGTERM it stops accepting
// connections, lets the requests in flight finish (at most
// -shutdown-timeout), stops publishing and closes the register.
//
// Exit status: 0 after a clean shutdown; 1 if requests were still in
// flight at the shutdown timeout or the register did not close cleanly;
// 2 on a usage or I/O error (bad flags, unreadable files, a register
// that cannot be opened, an address that cannot be listened on).
package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const (
	exitOK      = 0
	exitUnclean = 1
	exitUsage   = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stderr, nil))
}

// errUsage marks errors of the command line and of the files it names.
var errUsage = errors.New("usage")

// run runs the server until ctx ends. ready, if not nil, receives the
// address the server listens on.
func run(ctx context.Context, args []string, stderr io.Writer, ready chan<- string) int {
	cfg, err := parseFlags(args, stderr)
	if err != nil { // parseFlags has said why
		return exitUsage
	}
	return serve(ctx, cfg, stderr, ready)
}
