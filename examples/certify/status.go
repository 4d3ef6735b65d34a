package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
)

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
	key, err := loadKey(*keyFile)
	if err != nil {
		return fail("%v", err)
	}
	reg, err := cert.OpenStatusRegistry(*dir)
	switch {
	case errors.Is(err, cert.ErrRegistryInconsistent):
		return fail("%v", err) // it names the directory and what disagrees
	case err != nil:
		return fail("status registry %s: %v", *dir, err)
	}
	if err := checkRegistryKey(*dir, reg, key.Public().(ed25519.PublicKey)); err != nil {
		return fail("%v", err)
	}
	if op == "refresh" {
		if err := reg.Save(key, now); err != nil {
			return fail("saving the status registry: %v", err)
		}
		for _, p := range []string{cert.StatusRevocation, cert.StatusSuspension} {
			fmt.Fprintf(stdout, "refreshed\t%s\t%s\n", reg.ListURL(p), now.UTC().Truncate(time.Second).Add(reg.ListValidity()).Format(time.RFC3339))
		}
		return exitOK
	}
	apply := map[string]func(string) error{
		"revoke":    reg.Revoke,
		"suspend":   reg.Suspend,
		"unsuspend": reg.Unsuspend,
	}[op]
	status := exitOK
	var done []string
	for _, id := range fs.Args() {
		if err := apply(id); err != nil {
			fmt.Fprintf(stderr, "certify %s: %s: %v\n", op, id, err)
			status = exitInvalid
			continue
		}
		done = append(done, id)
	}
	if len(done) > 0 {
		if err := reg.Save(key, now.UTC().Truncate(time.Second)); err != nil {
			return fail("saving the status registry: %v", err)
		}
	}
	for _, id := range done {
		fmt.Fprintf(stdout, "%s\t%s\n", pastTense[op], id)
	}
	return status
}

var pastTense = map[string]string{"revoke": "revoked", "suspend": "suspended", "unsuspend": "unsuspended"}

// checkRegistryKey checks that the status lists of the registry reg in
// dir were issued by the did:key of pub: lists re-signed with another key
// would no longer verify against the certificates' issuer key. A registry
// never saved has no issuer yet.
func checkRegistryKey(dir string, reg *cert.StatusRegistry, pub ed25519.PublicKey) error {
	if want := cert.DIDKey(pub); reg.Issuer() != "" && reg.Issuer() != want {
		return fmt.Errorf("status registry %s is issued by %s, not by the key %s", dir, reg.Issuer(), want)
	}
	return nil
}
