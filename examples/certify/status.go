package main

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
)

// runStatus is "certify revoke|suspend|unsuspend -key FILE -status DIR ID...".
func runStatus(op string, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet(op, "-key FILE -status DIR [-at RFC3339] ID...", stderr)
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
	case fs.NArg() == 0:
		fs.Usage()
		return fail("no certificate ID given")
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
	if err != nil {
		return fail("status registry %s: %v", *dir, err)
	}
	if err := checkRegistryKey(*dir, key.Public().(ed25519.PublicKey)); err != nil {
		return fail("%v", err)
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

// registryIndex is the index file of the status registry in dir (the
// layout documented by cert.StatusRegistry).
func registryIndex(dir string) string { return filepath.Join(dir, "index.json") }

// checkRegistryKey checks that the status lists already saved in dir were
// issued by the did:key of pub: lists re-signed with another key would
// no longer verify against the certificates' issuer key.
func checkRegistryKey(dir string, pub ed25519.PublicKey) error {
	want := cert.DIDKey(pub)
	for _, purpose := range []string{cert.StatusRevocation, cert.StatusSuspension} {
		name := filepath.Join(dir, purpose+".json")
		data, err := os.ReadFile(name)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		var lc struct {
			Issuer string `json:"issuer"`
		}
		if err := json.Unmarshal(data, &lc); err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		if lc.Issuer != want {
			return fmt.Errorf("%s is issued by %s, not by the key %s", name, lc.Issuer, want)
		}
	}
	return nil
}
