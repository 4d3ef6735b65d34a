package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/examples/internal/inputs"
)

// runSign is "certify sign -key FILE -created RFC3339 [-vm VM] FILE".
func runSign(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("sign", "-key FILE -created RFC3339 [-vm VERIFICATION_METHOD] FILE", stderr)
	keyFile := fs.String("key", "", "private key file (required)")
	created := fs.String("created", "", "the proof's created time, RFC 3339 (required)")
	vm := fs.String("vm", "", "the proof's verification method (default: the key's did:key#fragment)")
	if st := parseFlags(fs, args); st >= 0 {
		return st
	}
	fail := failer("sign", stderr)
	switch {
	case *keyFile == "":
		fs.Usage()
		return fail("-key is required")
	case *created == "":
		fs.Usage()
		return fail("-created is required")
	case fs.NArg() != 1:
		fs.Usage()
		return fail("want exactly one FILE (\"-\" for standard input), got %d", fs.NArg())
	}
	t, err := parseTime("created", *created)
	if err != nil {
		return fail("%v", err)
	}
	key, err := inputs.Key("-key", *keyFile)
	if err != nil {
		return fail("%v", err)
	}
	name := fs.Arg(0)
	in, closeIn, err := inputs.Open(name, stdin)
	if err != nil {
		return fail("%v", err)
	}
	doc, err := io.ReadAll(io.LimitReader(in, cert.MaxDocumentBytes+1))
	closeIn()
	if err != nil {
		return fail("%s: %v", name, err)
	}
	// A byte order mark is no part of the JSON text.
	doc = bytes.TrimPrefix(doc, []byte("\uFEFF"))
	signed, err := cert.AddProof(doc, key, cert.ProofOptions{VerificationMethod: *vm, Created: t})
	if err != nil {
		fmt.Fprintf(stderr, "certify sign: %s: %s: %v\n", name, cert.Code(err), err)
		return exitInvalid
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", signed); err != nil {
		return fail("%v", err)
	}
	return exitOK
}
