package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"slices"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/examples/internal/cpuprofile"
	"github.com/creditsco/creditsco/examples/internal/field"
	"github.com/creditsco/creditsco/examples/internal/inputs"
)

// runVerify is "certify verify".
func runVerify(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify", "[-trust DID_KEY]... [-at RFC3339] [-status DIR | -no-status] [-max-status-age DURATION] [-ruleset FILE]... [-cpuprofile FILE] [FILE ...]", stderr)
	var trust, ruleSetFiles inputs.List
	fs.Var(&trust, "trust", "trusted issuer key: did:key, did:key verification method or z6Mk multibase (repeatable); a credit certificate must name the key's did:key as its issuer")
	at := fs.String("at", "", "time of the check, RFC 3339 (default: now); status lists are those valid then")
	statusDir := fs.String("status", "", "read status lists from this directory (default: documents with credentialStatus fail with STATUS_UNAVAILABLE)")
	noStatus := fs.Bool("no-status", false, "do not check credentialStatus at all: revoked and suspended documents verify (unsafe)")
	maxStatusAge := fs.Duration("max-status-age", 0, "refuse status lists issued longer ago than this, such as 24h (default: the list's own validity period)")
	fs.Var(&ruleSetFiles, "ruleset", "rule-set JSON file to recognise besides the built-in ones (repeatable)")
	prof := cpuprofile.Flag(fs)
	if st := parseFlags(fs, args); st >= 0 {
		return st
	}
	fail := failer("verify", stderr)
	stop, err := cpuprofile.Start(*prof)
	if err != nil {
		return fail("%v", err)
	}
	defer stop()
	if *noStatus && *statusDir != "" {
		return fail("-no-status and -status exclude each other")
	}
	// -trust names keys, not issuers: a certificate whose issuer is not
	// a did:key could name any issuer, so only did:key issuers, bound to
	// their keys, are trusted (an empty, non-nil TrustedIssuers).
	if *maxStatusAge < 0 {
		return fail("-max-status-age %s is negative", *maxStatusAge)
	}
	opts := cert.CertificateVerifyOptions{SkipStatus: *noStatus, TrustedIssuers: map[string][]ed25519.PublicKey{}, MaxStatusAge: *maxStatusAge}
	for _, s := range trust {
		pub, err := inputs.Trust(s)
		if err != nil {
			return fail("%v", err)
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
		lookup := &ruleSetLookup{reg: credit.BuiltinRuleSets()}
		for _, f := range ruleSetFiles {
			rs, err := inputs.RuleSet(lookup.reg, f)
			if err != nil {
				return fail("%v", err)
			}
			lookup.extra = append(lookup.extra, rs)
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
		// Documents are verified on every core and reported in input
		// order; at most a few per core, each at most
		// cert.MaxDocumentBytes, are in memory at a time.
		type verified struct {
			id  string
			err error
		}
		err = credit.ProcessStream(ctx, in, 0, func(raw credit.RawRecord) verified {
			id, err := cert.VerifyRawDocument(ctx, raw, opts)
			return verified{id, err}
		}, func(v verified) error {
			docs++
			if v.err != nil {
				bad++
				fmt.Fprintf(out, "invalid\t%s\t%s\t%s\n", field.Text(field.ID(v.id)), cert.Code(v.err), field.Text(v.err.Error()))
			} else {
				fmt.Fprintf(out, "ok\t%s\n", field.Text(field.ID(v.id)))
			}
			return nil
		})
		if err != nil {
			fmt.Fprintf(stderr, "certify verify: %s: %v\n", name, err)
			status = exitUsage
		}
		closeIn()
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

// ruleSetLookup recognises every version of the built-in rule sets and
// the rule sets given with -ruleset, which take precedence: a certificate
// names its rule set by id and version (LookupVersion), so that a file of
// a new version does not hide the built-in versions that earlier
// certificates were issued under.
type ruleSetLookup struct {
	reg   *credit.RuleSetRegistry // the built-in rule sets and the -ruleset files that extend one
	extra []*credit.RuleSet       // the -ruleset files, in the order given
}

// Lookup returns the last -ruleset file of id, else the highest built-in
// version.
func (l *ruleSetLookup) Lookup(id string) (*credit.RuleSet, bool) {
	for _, rs := range slices.Backward(l.extra) {
		if rs.ID == id {
			return rs, true
		}
	}
	return l.reg.Lookup(id)
}

// LookupVersion returns the last -ruleset file of id and version, else
// the registry's.
func (l *ruleSetLookup) LookupVersion(id, version string) (*credit.RuleSet, bool) {
	for _, rs := range slices.Backward(l.extra) {
		if rs.ID == id && rs.Version == version {
			return rs, true
		}
	}
	return l.reg.LookupVersion(id, version)
}

var _ cert.RuleSetVersionLookup = (*ruleSetLookup)(nil)
