package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
	"github.com/creditsco/creditsco/examples/internal/cpuprofile"
	"github.com/creditsco/creditsco/examples/internal/field"
	"github.com/creditsco/creditsco/examples/internal/inputs"
)

// defaultStatusURL is the base URL of a new status registry when
// -status-url is not given.
const defaultStatusURL = "https://status.example/credit"

// runIssue is "certify issue".
func runIssue(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("issue", "-key FILE [-issuer URI] [-ruleset ID|FILE] [-rates FILE] [-status DIR [-status-url URL] [-list-validity DURATION]] [-at RFC3339] [-cpuprofile FILE] [FILE ...]", stderr)
	keyFile := fs.String("key", "", "issuer's private key file (required)")
	issuer := fs.String("issuer", "", "issuer URI (default: the key's did:key)")
	rsFlag := fs.String("ruleset", "", "built-in rule set id, or a rule-set JSON file, for every record (default: each record's country rule set)")
	ratesFlag := fs.String("rates", "", "FX rates JSON file (default: none)")
	statusDir := fs.String("status", "", "status registry directory: allocate status entries and save the signed lists there")
	statusURL := fs.String("status-url", defaultStatusURL, "base URL of a status registry created by -status")
	listValidity := fs.Duration("list-validity", cert.DefaultListValidity, "validity of the status lists of a registry created by -status (re-sign them with certify refresh before they expire)")
	at := fs.String("at", "", "time of issue, RFC 3339 (default: now)")
	prof := cpuprofile.Flag(fs)
	if st := parseFlags(fs, args); st >= 0 {
		return st
	}
	fail := failer("issue", stderr)
	stop, err := cpuprofile.Start(*prof)
	if err != nil {
		return fail("%v", err)
	}
	defer stop()
	if *keyFile == "" {
		fs.Usage()
		return fail("-key is required")
	}
	if isSet(fs, "status-url") && *statusDir == "" {
		return fail("-status-url needs -status DIR")
	}
	if isSet(fs, "list-validity") && *statusDir == "" {
		return fail("-list-validity needs -status DIR")
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
	pub := key.Public().(ed25519.PublicKey)
	if *issuer != "" {
		if err := checkIssuer(*issuer); err != nil {
			return fail("%v", err)
		}
	}
	rates, err := inputs.Rates(*ratesFlag)
	if err != nil {
		return fail("%v", err)
	}
	sc, forced, err := newScorer(*rsFlag, credit.EngineOptions{Rates: rates})
	if err != nil {
		return fail("%v", err)
	}
	// The issuers check their rule sets once, and refuse a did:key -issuer
	// that is not the key's: before a new status registry's directory is
	// made.
	opts := cert.IssueOptions{Key: key, Issuer: *issuer, Now: now}
	issuers, err := newIssuers(sc.RuleSets(), opts)
	if err != nil {
		return fail("%v", err)
	}
	var reg *statusRegister
	if *statusDir != "" {
		reg, err = openOrCreateRegistry(context.Background(), *statusDir, registrySettings{
			baseURL: *statusURL, explicitURL: isSet(fs, "status-url"),
			validity: *listValidity, explicitValidity: isSet(fs, "list-validity"),
		}, pub)
		if err != nil {
			return fail("%v", err)
		}
		defer reg.close()
		opts.Status = reg.reg
		if issuers, err = newIssuers(sc.RuleSets(), opts); err != nil {
			return fail("%v", err)
		}
	}

	out := bufio.NewWriter(stdout)
	is := &issueRun{out: out, stderr: stderr, sc: sc, issuers: issuers, reg: reg, key: key, now: now}
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
	// Publish the lists, and then write the certificates not yet
	// written; a new registry publishes its lists even if empty.
	if err := is.commit(); err != nil {
		fmt.Fprintf(stderr, "certify issue: %v\n", err)
		status = exitUsage
	} else if reg != nil && reg.info.Last == nil {
		if _, err := reg.publish(context.Background(), key, now); err != nil {
			fmt.Fprintf(stderr, "certify issue: saving the status registry: %v\n", err)
			status = exitUsage
		}
	}
	if err := out.Flush(); err != nil {
		return fail("%v", err)
	}
	if is.otherCountry > 0 {
		fmt.Fprintf(stderr, "certify issue: %d certificates carry the warning %s: -ruleset %s %s is made for %s, not for their enterprises' countries\n",
			is.otherCountry, credit.CodeRuleSetOtherCountry, forced.ID, forced.Version, forced.Country)
	}
	fmt.Fprintf(stderr, "certify issue: %d records: %d certificates, %d invalid, %d not certifiable\n",
		is.records, is.issued, is.invalid, is.uncertifiable)
	if status == exitOK && is.issued < is.records {
		status = exitInvalid
	}
	return status
}

// recordScorer is a credit.Scorer (each record with its country's rule
// set) or a credit.Engine (one rule set forced on every record).
type recordScorer interface {
	ScoreJSON(ctx context.Context, data []byte) (credit.StreamResult, error)
	RuleSets() []*credit.RuleSet
}

// forcedEngine is the engine of a rule set forced with -ruleset.
type forcedEngine struct{ *credit.Engine }

func (e forcedEngine) RuleSets() []*credit.RuleSet { return []*credit.RuleSet{e.RuleSet()} }

// newScorer returns the scorer of -ruleset spec: the built-in rule set of
// each record's country when spec is empty, else the rule set spec names
// (a built-in id or a rule-set file) for every record, which it also
// returns.
func newScorer(spec string, opts credit.EngineOptions) (recordScorer, *credit.RuleSet, error) {
	reg := credit.BuiltinRuleSets()
	if spec == "" {
		sc, err := credit.NewScorer(reg, opts)
		return sc, nil, err
	}
	rs, err := inputs.RuleSet(reg, spec)
	if err != nil {
		return nil, nil, err
	}
	eng, err := credit.NewEngine(rs, opts)
	if err != nil {
		return nil, nil, err
	}
	return forcedEngine{eng}, rs, nil
}

// newIssuers returns an issuer for each rule set, by digest.
func newIssuers(ruleSets []*credit.RuleSet, opts cert.IssueOptions) (map[string]*cert.Issuer, error) {
	issuers := make(map[string]*cert.Issuer, len(ruleSets))
	for _, rs := range ruleSets {
		iss, err := cert.NewIssuer(rs, opts)
		if err != nil {
			return nil, err
		}
		issuers[rs.Digest()] = iss
	}
	return issuers, nil
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

// registrySettings are the flags that configure a status registry
// created by certify issue.
type registrySettings struct {
	baseURL          string
	explicitURL      bool // -status-url was given
	validity         time.Duration
	explicitValidity bool // -list-validity was given
}

// openOrCreateRegistry opens the status register in dir, or creates one
// with the settings if dir holds none. An existing register must have
// been signed with pub and, if the base URL or list validity was given
// explicitly, have them.
func openOrCreateRegistry(ctx context.Context, dir string, set registrySettings, pub ed25519.PublicKey) (*statusRegister, error) {
	if u, err := url.Parse(set.baseURL); err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("-status-url %q is not an absolute URL", set.baseURL)
	}
	if set.validity < time.Second {
		return nil, fmt.Errorf("-list-validity %s is shorter than a second", set.validity)
	}
	st, err := openStatus(ctx, dir, &register.Settings{BaseURL: set.baseURL, ListValidity: set.validity})
	if err != nil {
		return nil, err
	}
	err = st.checkKey(pub)
	switch {
	case err != nil:
	case set.explicitURL && st.info.BaseURL != strings.TrimSuffix(set.baseURL, "/"):
		err = fmt.Errorf("status registry %s publishes its lists at %s/%s, not under -status-url %s", dir, st.info.BaseURL, cert.StatusRevocation, set.baseURL)
	case set.explicitValidity && st.info.ListValidity != set.validity.Truncate(time.Second):
		err = fmt.Errorf("status registry %s signs lists valid for %s, not the -list-validity %s (it is set when a registry is created)",
			dir, st.info.ListValidity, set.validity)
	}
	if err != nil {
		st.close()
		return nil, err
	}
	return st, nil
}

// issueRun issues the certificates of a run and counts the records.
type issueRun struct {
	out     *bufio.Writer
	stderr  io.Writer
	sc      recordScorer
	issuers map[string]*cert.Issuer // by rule set digest
	reg     *statusRegister         // nil without -status
	key     ed25519.PrivateKey
	now     time.Time

	// pending are the certificates recorded in the register (each
	// before it was signed) whose lists have not been published yet:
	// they are written only after the lists are, so that each
	// certificate's status can be checked as soon as it is handed out;
	// pendingOther of them carry RULESET_OTHER_COUNTRY.
	pending      [][]byte
	pendingOther int

	records, issued, invalid, uncertifiable int
	// otherCountry counts the certificates written under a rule set made
	// for another country than their enterprise's.
	otherCountry int
}

// commitEvery is the number of certificates issued with a status
// registry between two publications of its lists: it bounds the
// certificates held in memory (about 2 KB each) and the publications (a
// few milliseconds each).
const commitEvery = 512

// errStop marks an error after which no more records are issued, such as
// a full status registry.
var errStop = errors.New("no further records issued")

// issueInput issues the certificates of the records of one input. The
// records are validated and scored on every core, and so are their
// certificates signed when there is no status register; with one, they
// are issued in input order, one at a time, since the register hands out
// their status entries. Results are handled in input order. The error is
// an I/O error, or wraps errStop if no further input should be read;
// record problems are reported and counted.
func (is *issueRun) issueInput(ctx context.Context, name string, stdin io.Reader) error {
	in, closeIn, err := inputs.Open(name, stdin)
	if err != nil {
		return err
	}
	defer closeIn()
	base := is.records
	var issueErr error
	err = credit.ProcessStream(ctx, in, 0, func(raw credit.RawRecord) scored {
		return is.score(ctx, raw)
	}, func(sr scored) error {
		is.records++
		issueErr = is.issueRecord(ctx, base+sr.res.Index, &sr)
		return issueErr
	})
	switch {
	case issueErr != nil:
		return issueErr
	case err != nil && name != "-":
		return fmt.Errorf("%s: %w", name, err)
	}
	return err
}

// scored is a record validated and scored by a worker, and, when
// issued is set, its certificate as Issue returned it.
type scored struct {
	res    credit.StreamResult
	err    error // of ScoreJSON: a cancelled context
	issued bool
	signed []byte
	cert   *cert.Certificate
	issErr error
}

// score validates and scores one record on a worker, computes its
// record digest there, and without a status register issues its
// certificate too.
func (is *issueRun) score(ctx context.Context, raw credit.RawRecord) scored {
	if raw.Problem != nil {
		return scored{res: credit.StreamResult{Index: raw.Index, Problems: credit.Problems{*raw.Problem}}}
	}
	res, err := is.sc.ScoreJSON(ctx, raw.Data)
	res.Index = raw.Index
	sr := scored{res: res, err: err}
	a := res.Assessment
	if err != nil || a == nil {
		return sr
	}
	_, _ = a.RecordDigest() // computed once and kept; an error shows when issuing
	if iss := is.issuers[a.RuleSetRef().Digest]; iss != nil && is.reg == nil {
		sr.signed, sr.cert, sr.issErr = iss.IssueContext(ctx, a)
		sr.issued = true
	}
	return sr
}

// issueRecord issues (or takes from the worker) the certificate of
// record n, and reports and counts the outcome.
func (is *issueRun) issueRecord(ctx context.Context, n int, sr *scored) error {
	res := &sr.res
	if sr.err != nil {
		return sr.err
	}
	if res.Assessment == nil {
		is.invalid++
		is.report(n, res.RecordID, "invalid", problemList(res.Problems))
		return nil
	}
	ref := res.Assessment.RuleSetRef()
	iss := is.issuers[ref.Digest]
	if iss == nil {
		// Cannot happen: the scorer scores with the rule sets it lists.
		return fmt.Errorf("record %d (%s): no issuer for rule set %s %s; %w", n, field.ID(res.RecordID), ref.ID, ref.Version, errStop)
	}
	signed, c, err := sr.signed, sr.cert, sr.issErr
	if !sr.issued {
		signed, c, err = iss.IssueContext(ctx, res.Assessment)
	}
	switch {
	case errors.Is(err, cert.ErrNotCertifiable) && !res.Profile.Certifiable:
		is.uncertifiable++
		is.report(n, res.RecordID, "not certifiable", capList(res.Profile))
		return nil
	case errors.Is(err, cert.ErrNotCertifiable):
		// An assessment no certificate that verifiers accept can be
		// made of; the error says why, with its stable code.
		is.uncertifiable++
		why := err.Error()
		if ve, ok := errors.AsType[*cert.VerifyError](err); ok {
			why = strings.TrimPrefix(ve.Error(), "cert: ")
		}
		is.report(n, res.RecordID, "not certifiable", cert.Code(err)+": "+field.Text(why))
		return nil
	case err != nil:
		// Not about the record (a full status registry...): later
		// records would fail alike.
		return fmt.Errorf("record %d (%s): %w; %w", n, field.ID(res.RecordID), err, errStop)
	}
	is.issued++
	other := len(c.CredentialSubject.Warnings) > 0
	if is.reg == nil {
		if other {
			is.otherCountry++
		}
		is.out.Write(signed)
		return is.out.WriteByte('\n')
	}
	if other {
		is.pendingOther++
	}
	is.pending = append(is.pending, signed)
	if len(is.pending) >= commitEvery {
		if err := is.commit(); err != nil {
			return fmt.Errorf("%w; %w", err, errStop)
		}
	}
	return nil
}

// commit publishes the status register's lists and then writes the
// pending certificates. If the publication fails, they are not written,
// and not counted as issued (their indexes stay taken).
func (is *issueRun) commit() error {
	if is.reg == nil || len(is.pending) == 0 {
		return nil
	}
	if _, err := is.reg.publish(context.Background(), is.key, is.now); err != nil {
		is.issued -= len(is.pending)
		is.pending, is.pendingOther = nil, 0
		return fmt.Errorf("saving the status registry: %w (the certificates not yet written are withheld)", err)
	}
	for _, c := range is.pending {
		is.out.Write(c)
		if err := is.out.WriteByte('\n'); err != nil {
			return err
		}
	}
	is.otherCountry += is.pendingOther
	is.pending, is.pendingOther = is.pending[:0], 0
	return nil
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
