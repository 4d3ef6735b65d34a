// Command backtest scores labelled enterprise records under a rule set
// and reports how well the grades hold up: discrimination (AUC with its
// confidence interval, Gini, KS), calibration (observed default rate per
// grade against its PD band, Jeffreys test per grade, Brier score,
// calibration curve), stability against a baseline (PSI of the score, CSI
// per characteristic) and data quality (missing share per indicator).
//
// Usage:
//
//	backtest -ruleset ID|FILE [-baseline FILE] [-plots DIR] [-format text|json] [-prior RATE] [-rates FILE] DATA...
//
// Each DATA file holds labelled records (every one with
// outcome.defaulted): one JSON record, a JSON array or NDJSON, gzipped or
// not; no DATA file means standard input. -ruleset names a built-in rule
// set or a rule-set file (which may extend a built-in one). -baseline is
// an earlier report of this program in -format json (of the development
// sample, say), for PSI and CSI. -plots writes the pictures (ROC, score
// distribution by outcome, default rate per grade against its PD band,
// calibration curve) as SVG files into DIR. -prior is the default rate of
// the population the sample was drawn from, for samples that
// over-represent defaults: PDs are moved to the sample's odds before the
// tests. -rates is an FX rate file.
//
// Exit status: 0 when every grade passes the Jeffreys test at 99%; 1 when
// any grade fails it; 2 on a usage or I/O error or input that cannot be
// back-tested (an invalid record, a record without outcome, no defaults
// or no non-defaults).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/calibrate"
	"github.com/creditsco/creditsco/examples/internal/inputs"
)

const (
	exitPass  = 0
	exitFail  = 1
	exitUsage = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rsFlag := fs.String("ruleset", "", "rule set: built-in id or rule-set JSON file (required)")
	baseline := fs.String("baseline", "", "baseline report (this program's -format json output) for PSI and CSI")
	plots := fs.String("plots", "", "directory to write the pictures to (SVG)")
	format := fs.String("format", "text", "output format: text or json")
	priorFlag := fs.String("prior", "", "default rate of the population the sample was drawn from (default: the sample as it is)")
	ratesFlag := fs.String("rates", "", "FX rates JSON file (default: none)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: backtest -ruleset ID|FILE [-baseline FILE] [-plots DIR] [-format text|json] [-prior RATE] [-rates FILE] DATA...")
		fs.PrintDefaults()
	}
	if err := inputs.ParseFlags(fs, args); err != nil {
		return exitUsage
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "backtest: "+format+"\n", a...)
		return exitUsage
	}
	if *rsFlag == "" {
		fs.Usage()
		return fail("-ruleset is required")
	}
	if *format != "text" && *format != "json" {
		return fail("unknown -format %q (want text or json)", *format)
	}
	opts := calibrate.BacktestOptions{}
	if *priorFlag != "" {
		p, err := strconv.ParseFloat(*priorFlag, 64)
		if err != nil || !(p > 0 && p < 1) {
			return fail("-prior %q: want a default rate strictly between 0 and 1", *priorFlag)
		}
		opts.Prior = p
	}
	rs, err := inputs.RuleSet(credit.BuiltinRuleSets(), *rsFlag)
	if err != nil {
		return fail("%v", err)
	}
	rates, err := inputs.Rates(*ratesFlag)
	if err != nil {
		return fail("%v", err)
	}
	if *baseline != "" {
		f, err := os.Open(*baseline)
		if err != nil {
			return fail("%v", err)
		}
		opts.Baseline, err = calibrate.ReadReport(f)
		f.Close()
		if err != nil {
			return fail("-baseline %s: %v", *baseline, err)
		}
	}
	eng, err := credit.NewEngine(rs, credit.EngineOptions{Rates: rates})
	if err != nil {
		return fail("%v", err)
	}
	bt, err := calibrate.NewBacktester(eng.RuleSet(), opts)
	if err != nil {
		return fail("%v", err)
	}
	ctx := context.Background()
	for _, name := range inputs.Names(fs.Args()) {
		in, closeFn, err := inputs.Open(name, stdin)
		if err != nil {
			return fail("%v", err)
		}
		err = bt.AddStream(ctx, eng, in, name, calibrate.ReadOptions{})
		closeFn()
		var re *calibrate.RecordError
		if errors.As(err, &re) {
			return fail("%v (every record must be valid and labelled)", err)
		}
		if err != nil {
			return fail("%v", err)
		}
	}
	rep, err := bt.Report()
	if err != nil {
		return fail("%v", err)
	}
	if *format == "json" {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteText(stdout)
	}
	if err != nil {
		return fail("%v", err)
	}
	if *plots != "" {
		paths, err := rep.WritePlots(*plots)
		if err != nil {
			return fail("%v", err)
		}
		if *format == "text" {
			for _, p := range paths {
				fmt.Fprintf(stdout, "wrote %s\n", p)
			}
		}
	}
	if rep.Failed > 0 {
		return exitFail
	}
	return exitPass
}
