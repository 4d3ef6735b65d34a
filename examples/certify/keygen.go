package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"os"

	"github.com/creditsco/creditsco/credit/cert"
)

// runKeygen is "certify keygen -out FILE".
func runKeygen(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("keygen", "-out FILE", stderr)
	out := fs.String("out", "", "file to write the new private key to (must not exist; mode 0600)")
	if st := parseFlags(fs, args); st >= 0 {
		return st
	}
	fail := failer("keygen", stderr)
	if *out == "" {
		fs.Usage()
		return fail("-out is required")
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fail("unexpected arguments %q", fs.Args())
	}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fail("%v", err)
	}
	// The contract is the bare Multikey multibase ("z3u2..."), which any
	// Data Integrity tool reads; -key also accepts the JSON key-pair form.
	if err := writeNewFile(*out, []byte(cert.EncodePrivateKey(key)+"\n"), 0o600); err != nil {
		return fail("%v", err)
	}
	fmt.Fprintln(stdout, cert.DIDKey(pub))
	return exitOK
}

// writeNewFile writes data to name, which must not exist yet, with mode
// perm; a partly written file is removed.
func writeNewFile(name string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}
