package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
	"github.com/creditsco/creditsco/credit/register/sqlite"
	"github.com/creditsco/creditsco/examples/internal/inputs"
)

// registerFile is the name of the register's SQLite database in a
// -status directory.
const registerFile = "register.db"

// A statusRegister is the status register of a -status directory: the SQLite
// register DIR/register.db, whose lists are published into DIR in the
// layout cert.DirFetcher reads (DIR/revocation.json,
// DIR/versions/revocation/T.json...). A file register in DIR (index.json,
// written by certify before the registers of package credit/register) is
// imported on first open.
type statusRegister struct {
	dir  string
	reg  register.Register
	info *register.Info
}

// openStatus opens the status register of dir: with create set, it
// creates one (and dir) if dir holds none. It checks the register and
// brings the published lists in dir up to date (register.ExportDir), so
// that a register older than its lists is refused before it hands out an
// index.
func openStatus(ctx context.Context, dir string, create *register.Settings) (*statusRegister, error) {
	if fi, err := os.Stat(dir); create == nil && (err != nil || !fi.IsDir()) {
		return nil, fmt.Errorf("status registry %s: no such directory", dir)
	}
	if create != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("status registry %s: %w", dir, err)
		}
	}
	reg, err := sqlite.Open(ctx, filepath.Join(dir, registerFile), register.Options{Create: create, ImportDir: dir})
	switch {
	case errors.Is(err, register.ErrNoRegister):
		return nil, fmt.Errorf("status registry %s: no register (%s, or a file register's index.json); certify issue -status %s makes one", dir, registerFile, dir)
	case errors.Is(err, register.ErrInconsistent):
		return nil, err // it names the directory and what disagrees
	case err != nil:
		return nil, fmt.Errorf("status registry %s: %w", dir, err)
	}
	s := &statusRegister{dir: dir, reg: reg}
	if s.info, err = reg.Info(ctx); err == nil {
		err = register.ExportDir(ctx, reg, dir)
	}
	if err != nil {
		reg.Close()
		return nil, err
	}
	return s, nil
}

// checkKey checks that the register's lists were signed by the did:key of
// pub: lists re-signed with another key would no longer verify against
// the certificates' issuer key. A register never published has no issuer
// yet.
func (s *statusRegister) checkKey(pub ed25519.PublicKey) error {
	if want := cert.DIDKey(pub); s.info.Issuer != "" && s.info.Issuer != want {
		return fmt.Errorf("status registry %s is issued by %s, not by the key %s", s.dir, s.info.Issuer, want)
	}
	return nil
}

// publish signs new versions of the lists, valid from at, and writes
// them into the directory.
func (s *statusRegister) publish(ctx context.Context, key ed25519.PrivateKey, at time.Time) (*register.Publication, error) {
	pub, err := s.reg.Publish(ctx, key, at)
	if err != nil {
		return nil, err
	}
	if err := register.ExportDir(ctx, s.reg, s.dir); err != nil {
		return nil, fmt.Errorf("writing the lists published into %s: %w", s.dir, err)
	}
	s.info.Last = pub
	return pub, nil
}

func (s *statusRegister) close() error { return s.reg.Close() }

// runStatus is "certify revoke|suspend|unsuspend -key FILE -status DIR
// ID..." and "certify refresh -key FILE -status DIR".
func runStatus(op string, args []string, stdout, stderr io.Writer) int {
	synopsis := "-key FILE -status DIR [-at RFC3339] ID..."
	if op == "refresh" {
		synopsis = "-key FILE -status DIR [-at RFC3339]"
	}
	fs := newFlagSet(op, synopsis, stderr)
	keyFile := fs.String("key", "", "issuer's private key file, the one that signed the registry (required)")
	dir := fs.String("status", "", "status registry directory (required)")
	at := fs.String("at", "", "validFrom of the re-signed status lists, RFC 3339 (default: now)")
	if st := parseFlags(fs, args); st >= 0 {
		return st
	}
	fail := failer(op, stderr)
	switch {
	case *keyFile == "":
		fs.Usage()
		return fail("-key is required")
	case *dir == "":
		fs.Usage()
		return fail("-status is required")
	case op != "refresh" && fs.NArg() == 0:
		fs.Usage()
		return fail("no certificate ID given")
	case op == "refresh" && fs.NArg() > 0:
		fs.Usage()
		return fail("refresh takes no certificate IDs, got %q", fs.Args())
	}
	now, err := parseTime("at", *at)
	if err != nil {
		return fail("%v", err)
	}
	now = now.UTC().Truncate(time.Second)
	key, err := inputs.Key("-key", *keyFile)
	if err != nil {
		return fail("%v", err)
	}
	ctx := context.Background()
	st, err := openStatus(ctx, *dir, nil)
	if err != nil {
		return fail("%v", err)
	}
	defer st.close()
	if err := st.checkKey(key.Public().(ed25519.PublicKey)); err != nil {
		return fail("%v", err)
	}
	if op == "refresh" {
		pub, err := st.publish(ctx, key, now)
		if err != nil {
			return fail("saving the status registry: %v", err)
		}
		for _, l := range pub.Lists {
			fmt.Fprintf(stdout, "refreshed\t%s\t%s\n", l.URL, l.ValidUntil.Format(time.RFC3339))
		}
		return exitOK
	}
	apply := map[string]func(context.Context, string) error{
		"revoke":    st.reg.Revoke,
		"suspend":   st.reg.Suspend,
		"unsuspend": st.reg.Unsuspend,
	}[op]
	status := exitOK
	var done []string
	for _, id := range fs.Args() {
		if err := apply(ctx, id); err != nil {
			fmt.Fprintf(stderr, "certify %s: %s: %v\n", op, id, err)
			status = exitInvalid
			continue
		}
		done = append(done, id)
	}
	if len(done) > 0 {
		if _, err := st.publish(ctx, key, now); err != nil {
			return fail("saving the status registry: %v", err)
		}
	}
	for _, id := range done {
		fmt.Fprintf(stdout, "%s\t%s\n", pastTense[op], id)
	}
	return status
}

var pastTense = map[string]string{"revoke": "revoked", "suspend": "suspended", "unsuspend": "unsuspended"}
