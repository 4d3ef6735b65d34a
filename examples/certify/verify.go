package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/examples/internal/field"
	"github.com/creditsco/creditsco/examples/internal/inputs"
)

// runVerify is "certify verify".
func runVerify(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify", "[-trust DID_KEY]... [-at RFC3339] [-status DIR | -no-status] [-ruleset FILE]... [FILE ...]", stderr)
	var trust, ruleSetFiles listFlag
	fs.Var(&trust, "trust", "trusted issuer key: did:key, did:key verification method or z6Mk multibase (repeatable); a credit certificate must name the key's did:key as its issuer")
	at := fs.String("at", "", "time of the check, RFC 3339 (default: now)")
	statusDir := fs.String("status", "", "read status lists from this directory (default: documents with credentialStatus fail with STATUS_UNAVAILABLE)")
	noStatus := fs.Bool("no-status", false, "do not check credentialStatus at all: revoked and suspended documents verify (unsafe)")
	fs.Var(&ruleSetFiles, "ruleset", "rule-set JSON file to recognise besides the built-in ones (repeatable)")
	if st := parseFlags(fs, args); st >= 0 {
		return st
	}
	fail := failer("verify", stderr)
	if *noStatus && *statusDir != "" {
		return fail("-no-status and -status exclude each other")
	}
	// -trust names keys, not issuers: a certificate whose issuer is not
	// a did:key could name any issuer, so only did:key issuers, bound to
	// their keys, are trusted (an empty, non-nil TrustedIssuers).
	opts := cert.CertificateVerifyOptions{SkipStatus: *noStatus, TrustedIssuers: map[string][]ed25519.PublicKey{}}
	for _, s := range trust {
		pub, err := cert.ParsePublicKey(s)
		if err != nil {
			return fail("-trust %s: %v", s, err)
		}
		opts.TrustedKeys = append(opts.TrustedKeys, pub)
	}
	if *at != "" {
		t, err := parseTime("at", *at)
		if err != nil {
			return fail("%v", err)
		}
		opts.Now = t
	}
	if *statusDir != "" {
		opts.Status = cert.DirFetcher{Dir: *statusDir}
	}
	if len(ruleSetFiles) > 0 {
		lookup := &ruleSetLookup{reg: credit.BuiltinRuleSets(), extra: map[string]*credit.RuleSet{}}
		for _, f := range ruleSetFiles {
			rs, err := inputs.RuleSet(lookup.reg, f)
			if err != nil {
				return fail("%v", err)
			}
			lookup.extra[rs.ID] = rs
		}
		opts.RuleSets = lookup
	}

	out := bufio.NewWriter(stdout)
	ctx := context.Background()
	status := exitOK
	docs, bad := 0, 0
	for _, name := range inputs.Names(fs.Args()) {
		in, closeIn, err := inputs.Open(name, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "certify verify: %v\n", err)
			status = exitUsage
			continue
		}
		data, err := io.ReadAll(in)
		closeIn()
		if err != nil {
			fmt.Fprintf(stderr, "certify verify: %s: %v\n", name, err)
			status = exitUsage
			continue
		}
		for _, doc := range splitDocuments(data) {
			docs++
			id, err := verifyDocument(ctx, doc, opts)
			if err != nil {
				bad++
				fmt.Fprintf(out, "invalid\t%s\t%s\t%s\n", field.Text(field.ID(id)), cert.Code(err), field.Text(err.Error()))
			} else {
				fmt.Fprintf(out, "ok\t%s\n", field.Text(field.ID(id)))
			}
		}
	}
	if err := out.Flush(); err != nil {
		return fail("%v", err)
	}
	if docs == 0 && status == exitOK {
		fmt.Fprintln(stderr, "certify verify: no documents to verify")
	}
	if status == exitOK && bad > 0 {
		status = exitInvalid
	}
	return status
}

// splitDocuments cuts an input into documents: the whole input if it is
// one JSON value (possibly pretty-printed), otherwise its non-blank lines
// (NDJSON), each a document even if it is not JSON.
func splitDocuments(data []byte) [][]byte {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil
	}
	if json.Valid(trimmed) {
		return [][]byte{trimmed}
	}
	var docs [][]byte
	for line := range bytes.Lines(trimmed) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			docs = append(docs, line)
		}
	}
	return docs
}

// verifyDocument verifies one document, as a credit certificate if its
// type includes cert.CertificateType and as a Verifiable Credential
// otherwise, and returns its id (empty if it has none).
func verifyDocument(ctx context.Context, doc []byte, opts cert.CertificateVerifyOptions) (string, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(doc, &members); err != nil {
		if !json.Valid(doc) {
			return "", &cert.VerifyError{Reason: cert.ErrMalformed, Detail: "not JSON", Err: err}
		}
		// JSON, but not an object: the library says why it is rejected.
		_, err := cert.VerifyCredential(ctx, doc, opts)
		return "", err
	}
	var id string
	_ = json.Unmarshal(members["id"], &id)
	if isCertificate(members["type"]) {
		_, err := cert.VerifyCertificate(ctx, doc, opts)
		return id, err
	}
	_, err := cert.VerifyCredential(ctx, doc, opts)
	return id, err
}

// isCertificate reports whether a document's type member (a string or an
// array of strings) includes cert.CertificateType.
func isCertificate(raw json.RawMessage) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one == cert.CertificateType
	}
	var many []string
	return json.Unmarshal(raw, &many) == nil && slices.Contains(many, cert.CertificateType)
}

// ruleSetLookup recognises the built-in rule sets and those given with
// -ruleset, which take precedence.
type ruleSetLookup struct {
	reg   *credit.RuleSetRegistry
	extra map[string]*credit.RuleSet
}

func (l *ruleSetLookup) Lookup(id string) (*credit.RuleSet, bool) {
	if rs, ok := l.extra[id]; ok {
		return rs, true
	}
	return l.reg.Lookup(id)
}

var _ cert.RuleSetLookup = (*ruleSetLookup)(nil)
