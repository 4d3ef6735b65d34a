// Command score scores enterprise records, each under the Credit SCO rule
// set of its own country (or under one rule set forced on all), and prints
// their score, PD, grade and main reasons.
//
// Usage:
//
//	score [-ruleset ID|FILE] [-rates FILE] [-format table|json] [-lang en|zh|ru] [-cpuprofile FILE] [FILE ...]
//
// Each FILE (standard input when none) holds one JSON record, a JSON array
// of records, or NDJSON. By default each record is scored with the
// built-in rule set of its country as of its as_of (SCO-CN, SCO-RU, …;
// credit.Scorer). -ruleset forces one rule set on every record: a built-in
// id or a rule-set JSON file (which may extend a built-in one); a record
// of another country than the rule set's then carries a
// RULESET_OTHER_COUNTRY warning in its profile.
// -rates is an FX rate file such as testdata/fx/rates-2025-12-31.json;
// without it, indicators that need a conversion are missing, with a
// warning.
//
// -format table (default) prints one row per record (record, country,
// score, PD, grade, certifiable, warning codes, top reasons), aligned in
// blocks of 1,000 rows so that memory stays bounded, then a summary: the
// rule sets used (id, version, digest), the records by grade and what the
// warnings mean. The
// PD column is the reported PD: the model PD of the score, floored at the
// rule set's pd_floor (0.05% for SCO-BASE) and raised by caps (see
// credit.Profile). The summary gives each grade's model PD band, the band
// of the PD before the floor from which the grade is taken, so an AAA
// record reports PD 0.05% although its band lies below 0.0141%;
// -format json writes one JSON object per record per line, in input order:
// the profile, or for an invalid record
//
//	{"index": N, "record_id": "...", "valid": false, "problems": [...]}
//
// Records are numbered from 1 across all inputs; they are validated and
// scored on every core, and written in input order. -cpuprofile writes a
// CPU profile of the whole run to FILE (for go tool pprof).
//
// Flags come before the file names: "score FILE -rates R" is a usage
// error, not a run without rates.
//
// Exit status: 0 when every record was scored; 1 when some were invalid; 2
// on a usage or I/O error ("go run" reports 2 as 1). Empty input (no record at all) exits 0: there
// are no records, so every one of them was scored; the table says
// "0 records" and -format json writes nothing. Check the count when an
// empty input should be an error.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/examples/internal/cpuprofile"
	"github.com/creditsco/creditsco/examples/internal/field"
	"github.com/creditsco/creditsco/examples/internal/inputs"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const (
	exitScored  = 0
	exitInvalid = 1
	exitUsage   = 2
)

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rsFlag := fs.String("ruleset", "", "built-in rule set id, or a rule-set JSON file, for every record (default: each record's country rule set)")
	ratesFlag := fs.String("rates", "", "FX rates JSON file (default: none)")
	format := fs.String("format", "table", "output format: table or json")
	lang := fs.String("lang", "en", "language of reason texts: en, zh or ru")
	prof := cpuprofile.Flag(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: score [-ruleset ID|FILE] [-rates FILE] [-format table|json] [-lang en|zh|ru] [-cpuprofile FILE] [FILE ...]")
		fs.PrintDefaults()
	}
	if err := inputs.ParseFlags(fs, args); err != nil {
		return exitUsage
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "score: "+format+"\n", a...)
		return exitUsage
	}
	if *format != "table" && *format != "json" {
		return fail("unknown -format %q (want table or json)", *format)
	}
	if *lang != "en" && *lang != "zh" && *lang != "ru" {
		return fail("unknown -lang %q (want en, zh or ru)", *lang)
	}
	stop, err := cpuprofile.Start(*prof)
	if err != nil {
		return fail("%v", err)
	}
	defer stop()
	rates, err := inputs.Rates(*ratesFlag)
	if err != nil {
		return fail("%v", err)
	}
	opts := credit.EngineOptions{Rates: rates, Lang: *lang}
	reg := credit.BuiltinRuleSets()
	var sc streamScorer
	rs, _ := reg.Lookup(credit.SCOBaseID) // the master scale every built-in rule set shares
	if *rsFlag == "" {
		sc, err = credit.NewScorer(reg, opts)
	} else if rs, err = inputs.RuleSet(reg, *rsFlag); err == nil {
		sc, err = credit.NewEngine(rs, opts)
	}
	if err != nil {
		return fail("%v", err)
	}

	out := bufio.NewWriter(stdout)
	rep := &report{out: out, json: *format == "json", byGrade: map[string]int{}, byRuleSet: map[string]int{}, warnings: map[string]int{}, rates: rates != nil}
	if !rep.json {
		rep.tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(rep.tw, "#\tRECORD\tCOUNTRY\tSCORE\tPD\tGRADE\tCERT\tWARNINGS\tTOP REASONS")
	}
	status := exitScored
	ctx := context.Background()
	for _, name := range inputs.Names(fs.Args()) {
		if err := rep.scoreInput(ctx, sc, name, stdin); err != nil {
			fmt.Fprintf(stderr, "score: %v\n", err)
			status = exitUsage
		}
	}
	if !rep.json {
		rep.tw.Flush()
		rep.summary(rs)
		rep.warningSummary()
	}
	if err := out.Flush(); err != nil {
		return fail("%v", err)
	}
	if status == exitScored && rep.invalid > 0 {
		status = exitInvalid
	}
	return status
}

// streamScorer is a credit.Scorer (each record's country rule set) or a
// credit.Engine (one rule set for all).
type streamScorer interface {
	ScoreStream(ctx context.Context, r io.Reader, emit func(credit.StreamResult) error) error
}

type report struct {
	out       *bufio.Writer
	tw        *tabwriter.Writer
	json      bool
	records   int
	invalid   int
	certified int
	byGrade   map[string]int
	byRuleSet map[string]int // "ID VERSION digest" → records scored
	// warnings counts the records with each warning code; rates says
	// whether -rates was given.
	warnings map[string]int
	rates    bool
	// buf holds the JSON line of a profile while it is written.
	buf []byte
}

// invalidLine is the -format json line of an invalid record.
type invalidLine struct {
	Index    int             `json:"index"`
	RecordID string          `json:"record_id"`
	Valid    bool            `json:"valid"`
	Problems credit.Problems `json:"problems"`
}

func (r *report) scoreInput(ctx context.Context, eng streamScorer, name string, stdin io.Reader) error {
	var in io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	base := r.records
	err := eng.ScoreStream(ctx, in, func(res credit.StreamResult) error {
		r.records++
		return r.write(base+res.Index, &res)
	})
	if err != nil && name != "-" {
		return fmt.Errorf("%s: %w", name, err)
	}
	return err
}

// tableBlock is the number of table rows aligned together: a tabwriter
// holds its rows until it is flushed, which for millions of records would
// be gigabytes.
const tableBlock = 1000

func (r *report) write(n int, res *credit.StreamResult) error {
	if !r.json && n%tableBlock == 0 {
		defer r.tw.Flush()
	}
	if !res.Valid() {
		r.invalid++
		if r.json {
			return writeJSON(r.out, invalidLine{Index: n, RecordID: res.RecordID, Valid: false, Problems: res.Problems})
		}
		codes := make([]string, 0, len(res.Problems))
		for _, p := range res.Problems {
			if p.Severity == credit.SeverityError {
				codes = append(codes, p.Code)
			}
		}
		_, err := fmt.Fprintf(r.tw, "%d\t%s\t\t\t\tINVALID\t\t\t%s\n", n, field.ID(res.RecordID), strings.Join(codes, ", "))
		return err
	}
	p := res.Profile
	r.byGrade[p.Grade]++
	r.byRuleSet[p.RuleSet.ID+" "+p.RuleSet.Version+" "+p.RuleSet.Digest]++
	if p.Certifiable {
		r.certified++
	}
	if r.json {
		r.buf = append(p.AppendJSON(r.buf[:0]), '\n')
		_, err := r.out.Write(r.buf)
		return err
	}
	reasons := make([]string, 0, len(p.Reasons))
	for _, rs := range p.Reasons {
		reasons = append(reasons, rs.Text)
	}
	cert := "yes"
	if !p.Certifiable {
		cert = "no"
	}
	_, err := fmt.Fprintf(r.tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", n, field.ID(p.RecordID), p.Country, p.Score,
		percent(p.PD), p.Grade, cert, r.warningCodes(p.Warnings), strings.Join(reasons, "; "))
	return err
}

// warningCodes returns the distinct codes of a profile's warnings for its
// table row ("-" for none), and counts them for warningSummary.
func (r *report) warningCodes(ws []credit.Problem) string {
	var codes []string
	for _, w := range ws {
		if !slices.Contains(codes, w.Code) {
			codes = append(codes, w.Code)
			r.warnings[w.Code]++
		}
	}
	if len(codes) == 0 {
		return "-"
	}
	return strings.Join(codes, ",")
}

// warningSummary explains the warnings of the table: how many records
// carry each, and for a missing FX rate what to do.
func (r *report) warningSummary() {
	if len(r.warnings) == 0 {
		return
	}
	fmt.Fprintln(r.out, "\nWarnings (the records keep their grade; -format json gives each with its path and message):")
	for _, code := range slices.Sorted(maps.Keys(r.warnings)) {
		fmt.Fprintf(r.out, "  %s: %d records", code, r.warnings[code])
		if code == credit.CodeFXRateMissing {
			if r.rates {
				fmt.Fprint(r.out, "; the -rates file has no rate for a currency of these records, so amounts in it (such as fin.size_usd) are not converted")
			} else {
				fmt.Fprint(r.out, "; without -rates FILE no amount is converted, so fin.size_usd is missing (see testdata/fx)")
			}
		}
		fmt.Fprintln(r.out)
	}
}

func (r *report) summary(rs *credit.RuleSet) {
	fmt.Fprintf(r.out, "\n%d records: %d scored (%d certifiable), %d invalid\n",
		r.records, r.records-r.invalid, r.certified, r.invalid)
	used := make([]string, 0, len(r.byRuleSet))
	for k := range r.byRuleSet {
		used = append(used, k)
	}
	slices.Sort(used)
	for _, k := range used {
		fmt.Fprintf(r.out, "rule set %s: %d records\n", k, r.byRuleSet[k])
	}
	tw := tabwriter.NewWriter(r.out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "GRADE\tMODEL PD BAND\tRECORDS\t")
	lower := "0"
	for _, g := range rs.MasterScale.Grades {
		upper := g.PDUpper.StringFixed(6)
		fmt.Fprintf(tw, "%s\t%s–%s\t%d\t\n", g.Grade, percent(lower), percent(upper), r.byGrade[g.Grade])
		lower = upper
	}
	tw.Flush()
	if rs.PDFloor != nil {
		fmt.Fprintf(r.out, "Grades come from the model PD before the floor. The PD column is floored at %s (pd_floor); a cap that lowers the grade raises it into the capped grade's band (100%% for %s).\n",
			percent(rs.PDFloor.Value.StringFixed(6)), rs.MasterScale.Grades[len(rs.MasterScale.Grades)-1].Grade)
	}
}

// percent turns a decimal fraction string such as "0.019608" into
// "1.9608%" without floating point.
func percent(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	frac += "00"
	digits := strings.TrimLeft(intPart+frac[:2], "0")
	if digits == "" {
		digits = "0"
	}
	rest := strings.TrimRight(frac[2:], "0")
	out := digits
	if rest != "" {
		out += "." + rest
	}
	if neg {
		out = "-" + out
	}
	return out + "%"
}

func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
