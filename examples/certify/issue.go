package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/examples/internal/field"
	"github.com/creditsco/creditsco/examples/internal/inputs"
)

// defaultStatusURL is the base URL of a new status registry when
// -status-url is not given.
const defaultStatusURL = "https://status.example/credit"

// runIssue is "certify issue".
func runIssue(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("issue", "-key FILE [-issuer URI] [-ruleset ID|FILE] [-rates FILE] [-status DIR [-status-url URL]] [-at RFC3339] [FILE ...]", stderr)
	keyFile := fs.String("key", "", "issuer's private key file (required)")
	issuer := fs.String("issuer", "", "issuer URI (default: the key's did:key)")
	rsFlag := fs.String("ruleset", credit.SCOBaseID, "built-in rule set id, or a rule-set JSON file")
	ratesFlag := fs.String("rates", "", "FX rates JSON file (default: none)")
	statusDir := fs.String("status", "", "status registry directory: allocate status entries and save the signed lists there")
	statusURL := fs.String("status-url", defaultStatusURL, "base URL of a status registry created by -status")
	at := fs.String("at", "", "time of issue, RFC 3339 (default: now)")
	if st := parseFlags(fs, args); st >= 0 {
		return st
	}
	fail := failer("issue", stderr)
	if *keyFile == "" {
		fs.Usage()
		return fail("-key is required")
	}
	if isSet(fs, "status-url") && *statusDir == "" {
		return fail("-status-url needs -status DIR")
	}
	now, err := parseTime("at", *at)
	if err != nil {
		return fail("%v", err)
	}
	now = now.UTC().Truncate(time.Second)
	key, err := loadKey(*keyFile)
	if err != nil {
		return fail("%v", err)
	}
	pub := key.Public().(ed25519.PublicKey)
	if *issuer != "" {
		if err := checkIssuer(*issuer); err != nil {
			return fail("%v", err)
		}
	}
	rs, err := inputs.RuleSet(credit.BuiltinRuleSets(), *rsFlag)
	if err != nil {
		return fail("%v", err)
	}
	rates, err := inputs.Rates(*ratesFlag)
	if err != nil {
		return fail("%v", err)
	}
	eng, err := credit.NewEngine(rs, credit.EngineOptions{Rates: rates})
	if err != nil {
		return fail("%v", err)
	}
	val, err := credit.NewValidator(credit.ValidatorOptions{})
	if err != nil {
		return fail("%v", err)
	}
	// The issuer checks the rule set once, and refuses a did:key -issuer
	// that is not the key's: before a new status registry's directory is
	// made.
	opts := cert.IssueOptions{Key: key, Issuer: *issuer, Now: now}
	iss, err := cert.NewIssuer(rs, opts)
	if err != nil {
		return fail("%v", err)
	}
	var (
		reg     *cert.StatusRegistry
		created bool
	)
	if *statusDir != "" {
		reg, created, err = openOrCreateRegistry(*statusDir, *statusURL, isSet(fs, "status-url"), pub)
		if err != nil {
			return fail("%v", err)
		}
		opts.Status = reg
		if iss, err = cert.NewIssuer(rs, opts); err != nil {
			return fail("%v", err)
		}
	}

	out := bufio.NewWriter(stdout)
	is := &issueRun{out: out, stderr: stderr, eng: eng, val: val, iss: iss}
	status := exitOK
	for _, name := range inputs.Names(fs.Args()) {
		if err := is.issueInput(context.Background(), name, stdin); err != nil {
			fmt.Fprintf(stderr, "certify issue: %v\n", err)
			status = exitUsage
			if errors.Is(err, errStop) {
				break
			}
		}
	}
	// Save the registry, even after an error (the certificates already
	// written point into it), before flushing the rest of the output.
	if reg != nil && (is.issued > 0 || created) {
		if err := reg.Save(key, now); err != nil {
			fmt.Fprintf(stderr, "certify issue: saving the status registry: %v\n", err)
			status = exitUsage
		}
	}
	if err := out.Flush(); err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(stderr, "certify issue: %d records: %d certificates, %d invalid, %d not certifiable\n",
		is.records, is.issued, is.invalid, is.uncertifiable)
	if status == exitOK && is.issued < is.records {
		status = exitInvalid
	}
	return status
}

// checkIssuer checks that -issuer is an absolute URI. That a did:key
// issuer is the key's own is checked by cert.NewIssuer.
func checkIssuer(issuer string) error {
	u, err := url.Parse(issuer)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("-issuer %q is not an absolute URI", issuer)
	}
	return nil
}

// openOrCreateRegistry opens the status registry in dir, or creates one
// with baseURL if dir holds none (created is then true). An existing
// registry must have been signed with pub and, if baseURL was given
// explicitly, use it.
func openOrCreateRegistry(dir, baseURL string, explicitURL bool, pub ed25519.PublicKey) (reg *cert.StatusRegistry, created bool, err error) {
	if u, err := url.Parse(baseURL); err != nil || u.Scheme == "" || u.Host == "" {
		return nil, false, fmt.Errorf("-status-url %q is not an absolute URL", baseURL)
	}
	reg, err = cert.OpenStatusRegistry(dir)
	if errors.Is(err, os.ErrNotExist) { // os.ErrNotExist is fs.ErrNotExist
		newReg, cerr := cert.CreateStatusRegistry(dir, baseURL)
		if cerr != nil {
			// For example a registry whose index is there but a list
			// file is not.
			return nil, false, fmt.Errorf("status registry %s: %v; creating one: %v", dir, err, cerr)
		}
		return newReg, true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("status registry %s: %w", dir, err)
	}
	if err := checkRegistryKey(dir, reg, pub); err != nil {
		return nil, false, err
	}
	if explicitURL && reg.BaseURL() != strings.TrimSuffix(baseURL, "/") {
		return nil, false, fmt.Errorf("status registry %s publishes its lists at %s, not under -status-url %s",
			dir, reg.ListURL(cert.StatusRevocation), baseURL)
	}
	return reg, false, nil
}

// issueRun issues the certificates of a run and counts the records.
type issueRun struct {
	out    *bufio.Writer
	stderr io.Writer
	eng    *credit.Engine
	val    *credit.Validator
	iss    *cert.Issuer

	records, issued, invalid, uncertifiable int
}

// errStop marks an error after which no more records are issued, such as
// a full status registry.
var errStop = errors.New("no further records issued")

// issueInput issues the certificates of the records of one input. The
// error is an I/O error, or wraps errStop if no further input should be
// read; record problems are reported and counted.
func (is *issueRun) issueInput(ctx context.Context, name string, stdin io.Reader) error {
	in, closeIn, err := inputs.Open(name, stdin)
	if err != nil {
		return err
	}
	defer closeIn()
	rd := credit.NewReader(in)
	for {
		raw, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if name != "-" {
				return fmt.Errorf("%s: %w", name, err)
			}
			return err
		}
		is.records++
		if err := is.issueRecord(ctx, is.records, raw); err != nil {
			return err
		}
	}
}

// issueRecord handles record n; raw.Data is only valid during the call.
func (is *issueRun) issueRecord(ctx context.Context, n int, raw credit.RawRecord) error {
	if raw.Problem != nil {
		is.invalid++
		is.report(n, "", "invalid", problemList(credit.Problems{*raw.Problem}))
		return nil
	}
	v := is.val.Validate(raw.Data)
	if v.Record == nil {
		is.invalid++
		is.report(n, v.RecordID, "invalid", problemList(v.Problems))
		return nil
	}
	p, err := is.eng.Score(ctx, v.Record)
	if err != nil {
		return err
	}
	signed, _, err := is.iss.Issue(raw.Data, v.Record, p)
	switch {
	case errors.Is(err, cert.ErrNotCertifiable):
		is.uncertifiable++
		is.report(n, v.RecordID, "not certifiable", capList(p))
		return nil
	case errors.Is(err, cert.ErrMalformed):
		// A record or profile no valid certificate can be made of.
		is.uncertifiable++
		is.report(n, v.RecordID, "not certifiable", err.Error())
		return nil
	case err != nil:
		// Not about the record (a full status registry...): later
		// records would fail alike.
		return fmt.Errorf("record %d (%s): %w; %w", n, field.ID(v.RecordID), err, errStop)
	}
	is.issued++
	is.out.Write(signed)
	return is.out.WriteByte('\n')
}

func (is *issueRun) report(n int, recordID, what, why string) {
	fmt.Fprintf(is.stderr, "certify issue: record %d (%s): %s: %s\n", n, field.ID(recordID), what, why)
}

// problemList lists the errors of an invalid record as "CODE at PATH".
func problemList(ps credit.Problems) string {
	var parts []string
	for _, p := range ps {
		if p.Severity != credit.SeverityError {
			continue
		}
		s := p.Code
		if p.Path != "" {
			s += " at " + p.Path
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "record could not be read"
	}
	return strings.Join(parts, "; ")
}

// capList lists the restrictions that make a profile not certifiable as
// "REASON (text)".
func capList(p *credit.Profile) string {
	var parts []string
	for _, c := range p.Caps {
		if c.Certifiable {
			continue
		}
		s := c.Reason
		if c.Text != "" {
			s += " (" + c.Text + ")"
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "the rule set does not allow it to be certified"
	}
	return strings.Join(parts, "; ")
}
