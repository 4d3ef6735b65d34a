// Command custom-ruleset shows the two ways of writing a scoring rule set
// of your own, and compares them with the SCO baseline.
//
// One rule set is read as data, from a JSON file (by default
// testdata/rulesets/kz-example.json), with credit.LoadRuleSet. The other,
// KZ-STRICT, is written below as Go code, a credit.RuleSet value loaded
// with credit.NewRuleSet: no payment grace days and a cap on late payers.
// Both extend SCO-BASE and are registered on top of the built-in rule sets,
// which resolves them against it. A rule set written in Go goes through the
// same schema and semantic checks as a file and gets the same kind of RFC
// 8785 digest; -print writes its JSON form, which credit.LoadRuleSet reads
// back to the same digest, so that it can be published and audited like a
// file.
//
// The records of each FILE (one JSON record, a JSON array or NDJSON; by
// default testdata/records/kz.ndjson) are scored under the three rule sets
// and printed as a table of grades (score in brackets), followed by the id,
// version, origin and digest of each rule set.
//
// Usage, from the repository root:
//
//	go run ./examples/custom-ruleset [-ruleset FILE] [FILE ...]
//	go run ./examples/custom-ruleset -print
//
// Exit status: 0 when every record was scored; 1 when some were invalid; 2
// on a usage or I/O error.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/examples/internal/field"
	"github.com/creditsco/creditsco/examples/internal/inputs"
	"github.com/shopspring/decimal"
)

const (
	exitScored  = 0
	exitInvalid = 1
	exitUsage   = 2
)

// tableBlock is the number of table rows aligned together.
const tableBlock = 1000

const (
	defaultRuleSetFile = "testdata/rulesets/kz-example.json"
	defaultRecords     = "testdata/records/kz.ndjson"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// strictRuleSet is a rule set written in Go: SCO-BASE with no payment
// grace days and a cap that keeps late payers at CCC at best. Every number
// carries a source, as in a file. The numbers are illustrative.
func strictRuleSet() credit.RuleSet {
	return credit.RuleSet{
		ID:          "KZ-STRICT",
		Version:     "0.1.0",
		Country:     "KZ",
		Extends:     credit.SCOBaseID,
		Description: "Example rule set written in Go: SCO-BASE with no payment grace days and a cap on payments 15 or more days late. For documentation only; the numbers are illustrative.",
		Sources:     []credit.Source{{ID: "go-example", Title: "Illustration only", Citation: "Not a calibrated rule set"}},
		Parameters: map[string]credit.SourcedValue{
			"payment_grace_days": {Value: decimal.Zero, Source: "[go-example] a payment is on time only if paid by its due date"},
		},
		Caps: []credit.Cap{{
			ID: "late_payer",
			When: []credit.Condition{
				{Indicator: "pay.max_dpd_12m", Op: "ge", Value: json.RawMessage("15")},
			},
			MaxGrade: "CCC",
			Reason:   "CAP_LATE_PAYER",
			Source:   "[go-example] illustrative knock-out",
		}},
		Reasons: map[string]credit.ReasonText{
			"CAP_LATE_PAYER": {
				EN: "Payments 15 or more days late in the last 12 months limit the grade",
				ZH: "近12个月内逾期15天及以上的付款限制了信用等级",
				RU: "Просрочка платежей на 15 и более дней за последние 12 месяцев ограничивает рейтинг",
			},
		},
	}
}

// ruleSet is a registered rule set with where it came from.
type ruleSet struct {
	rs     *credit.RuleSet
	origin string
	eng    *credit.Engine
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("custom-ruleset", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("ruleset", defaultRuleSetFile, "rule-set JSON file to compare (it may extend SCO-BASE)")
	printJSON := fs.Bool("print", false, "print the JSON form of the rule set written in Go and exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: custom-ruleset [-ruleset FILE] [FILE ...]\n       custom-ruleset -print")
		fs.PrintDefaults()
	}
	if err := inputs.ParseFlags(fs, args); err != nil {
		return exitUsage
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "custom-ruleset: "+format+"\n", a...)
		return exitUsage
	}

	// (b) The rule set written in Go: the same checks as a file.
	strict := strictRuleSet()
	if *printJSON {
		data, err := strict.JSON()
		if err != nil {
			return fail("%v", err)
		}
		if _, err := stdout.Write(data); err != nil {
			return fail("%v", err)
		}
		return exitScored
	}
	fromGo, err := credit.NewRuleSet(strict)
	if err != nil {
		return fail("rule set %s: %v", strict.ID, err)
	}

	// (a) The rule set read as data.
	f, err := os.Open(*file)
	if err != nil {
		return fail("%v", err)
	}
	fromFile, err := credit.LoadRuleSet(f)
	f.Close()
	if err != nil {
		return fail("%s: %v", *file, err)
	}

	// Both on top of the built-ins, which resolves them against SCO-BASE.
	reg := credit.BuiltinRuleSets()
	v, err := credit.NewValidator(credit.ValidatorOptions{})
	if err != nil {
		return fail("%v", err)
	}
	base, _ := reg.Lookup(credit.SCOBaseID)
	sets := []ruleSet{{rs: base, origin: "built-in"}, {rs: fromFile, origin: *file}, {rs: fromGo, origin: "Go code"}}
	for i := range sets {
		s := &sets[i]
		if s.rs != base {
			if err := reg.Register(s.rs); err != nil {
				return fail("rule set %s: %v", s.rs.ID, err)
			}
			s.rs, _ = reg.Lookup(s.rs.ID) // resolved against its parent
		}
		if s.eng, err = credit.NewEngine(s.rs, credit.EngineOptions{Validator: v}); err != nil {
			return fail("rule set %s: %v", s.rs.ID, err)
		}
	}

	// (c) Score every record under each rule set.
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	head := []string{"#", "RECORD", "COUNTRY"}
	for _, s := range sets {
		head = append(head, s.rs.ID)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	names := fs.Args()
	if len(names) == 0 {
		names = []string{defaultRecords}
	}
	status := exitScored
	n := 0
	for _, name := range names {
		invalid, err := scoreFile(name, v, sets, tw, &n, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "custom-ruleset: %v\n", err)
			status = exitUsage
		}
		if invalid && status == exitScored {
			status = exitInvalid
		}
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "RULE SET\tVERSION\tFROM\tDIGEST")
	for _, s := range sets {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.rs.ID, s.rs.Version, s.origin, s.rs.Digest())
	}
	if err := tw.Flush(); err != nil {
		return fail("%v", err)
	}
	return status
}

// scoreFile scores the records of one file, numbering them on from *n. It
// reports whether some record was invalid, and an error for a file that
// could not be read.
func scoreFile(name string, v *credit.Validator, sets []ruleSet, w io.Writer, n *int, stderr io.Writer) (invalid bool, err error) {
	f, closeF, err := inputs.Open(name, os.Stdin)
	if err != nil {
		return false, err
	}
	defer closeF()
	ctx := context.Background()
	r := credit.NewReader(f)
	for {
		raw, err := r.Next()
		if errors.Is(err, io.EOF) {
			return invalid, nil
		}
		if err != nil {
			return invalid, fmt.Errorf("%s: %w", name, err)
		}
		*n++
		if *n%tableBlock == 0 {
			// A tabwriter holds its rows until flushed: align in blocks,
			// so that memory stays bounded.
			if f, ok := w.(interface{ Flush() error }); ok {
				if err := f.Flush(); err != nil {
					return invalid, err
				}
			}
		}
		val := v.ValidateRaw(raw)
		row := []string{fmt.Sprint(*n), field.ID(val.RecordID), "-"}
		if !val.Valid() {
			invalid = true
			for _, p := range val.Problems {
				fmt.Fprintf(stderr, "%s: record %d: %s: %s: %s\n", field.Text(name), *n, field.Text(p.Path), p.Code, field.Text(p.Message))
			}
			for range sets {
				row = append(row, "invalid")
			}
			fmt.Fprintln(w, strings.Join(row, "\t"))
			continue
		}
		row[2] = val.Record.Enterprise.Country
		for _, s := range sets {
			p, err := s.eng.Score(ctx, val.Record)
			if err != nil {
				return invalid, fmt.Errorf("%s: record %d: %w", name, *n, err)
			}
			row = append(row, fmt.Sprintf("%s (%d)", p.Grade, p.Score))
		}
		fmt.Fprintln(w, strings.Join(row, "\t"))
	}
}
