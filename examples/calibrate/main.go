// Command calibrate fits a rule set to labelled enterprise records and
// writes it as a rule-set JSON file that extends its parent.
//
// Usage:
//
//	calibrate -parent ID|FILE -prior RATE -out FILE [-id ID -version V] [-holdout SHARE] [-bins quantile|parent]
//	          [-calibration FILE]... [-keep-pdo] [-min-bin-share S] [-prebins N] [-max-correlation R] [-min-iv V] [-l2 L]
//	          [-rates FILE] TRAIN...
//
// Each TRAIN file holds labelled records (every one with
// outcome.defaulted): one JSON record, a JSON array or NDJSON, gzipped or
// not. -parent names a built-in rule set (such as SCO-BASE) or a rule-set
// file; its characteristics are re-binned and re-weighted on the data
// (those the data cannot assess keep the parent's points). -prior is the
// default rate of the population the rule set is for, in (0, 1): the
// score-to-PD intercept is corrected from the sample's rate to it. -id
// and -version name the new rule set (default: the parent's id with
// "-FIT", version 0.1.0). -holdout is the share of records (by a hash of
// record_id) held out of a first fit to estimate out-of-sample AUC
// (default 0.2; 0: none); the rule set written is fitted on every record.
// -bins parent re-estimates the points on the parent's own bin bounds
// instead of quantile bins. -calibration (repeatable) names labelled
// files whose records the score-to-PD mapping is fitted on instead of
// the training records, such as the most recent period of them
// (FitOptions.CalibrationData); the points still use every TRAIN record.
// -keep-pdo scales the fitted points so that the rule set keeps the
// parent's pdo (FitOptions.KeepPDO). -min-bin-share, -prebins,
// -max-correlation, -min-iv and -l2 set the binning and selection options
// (0: the package defaults); choose them by cross-validation on the
// training data (calibrate.CrossValidate), never on the data you test
// on. -rates is an FX rate file for indicators that need conversions.
//
// It prints the fit report: the characteristics kept with their IV and
// coefficient, those dropped and why, the fitted score-to-PD mapping, and
// AUC on the training data and on the held-out cut.
//
// Exit status: 0 when the rule set was written; 1 when the data cannot be
// fitted (an invalid record, a record without outcome, no defaults or no
// non-defaults, nothing to fit); 2 on a usage or I/O error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/calibrate"
	"github.com/creditsco/creditsco/examples/internal/inputs"
)

const (
	exitOK      = 0
	exitBadData = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	parentFlag := fs.String("parent", "", "parent rule set: built-in id or rule-set JSON file (required)")
	priorFlag := fs.String("prior", "", "population default rate in (0, 1) the PDs are corrected to (required)")
	out := fs.String("out", "", "file to write the fitted rule set to (required)")
	id := fs.String("id", "", "id of the fitted rule set (default: the parent's id with -FIT)")
	version := fs.String("version", "", "version of the fitted rule set (default 0.1.0)")
	holdout := fs.Float64("holdout", 0.2, "share of records held out to estimate out-of-sample AUC (0: none)")
	bins := fs.String("bins", "quantile", "pre-bins: quantile, or parent (the parent's bin bounds)")
	ratesFlag := fs.String("rates", "", "FX rates JSON file (default: none)")
	var calFiles []string
	fs.Func("calibration", "labelled file the score-to-PD mapping is fitted on instead of the training records (repeatable)", func(v string) error {
		calFiles = append(calFiles, v)
		return nil
	})
	keepPDO := fs.Bool("keep-pdo", false, "scale the fitted points so that the rule set keeps the parent's pdo")
	minShare := fs.Float64("min-bin-share", 0, "smallest share of the records in a bin (0: 0.05)")
	prebins := fs.Int("prebins", 0, "quantile pre-bins, at most 100 (0: 20)")
	maxCorr := fs.Float64("max-correlation", 0, "largest WoE correlation between kept characteristics (0: 0.8)")
	minIV := fs.Float64("min-iv", 0, "information-value floor (0: 0.02)")
	l2 := fs.Float64("l2", 0, "ridge penalty of the logistic regression")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: calibrate -parent ID|FILE -prior RATE -out FILE [-id ID -version V] [-holdout SHARE] [-bins quantile|parent] [-calibration FILE]... [-keep-pdo] [-min-bin-share S] [-prebins N] [-max-correlation R] [-min-iv V] [-l2 L] [-rates FILE] TRAIN...")
		fs.PrintDefaults()
	}
	if err := inputs.ParseFlags(fs, args); err != nil {
		return exitUsage
	}
	fail := func(code int, format string, a ...any) int {
		// Errors of package calibrate start with its name, which is this
		// program's too: say it once.
		msg := strings.TrimPrefix(fmt.Sprintf(format, a...), "calibrate: ")
		fmt.Fprintln(stderr, "calibrate: "+msg)
		return code
	}
	if *parentFlag == "" || *priorFlag == "" || *out == "" {
		fs.Usage()
		return fail(exitUsage, "-parent, -prior and -out are required")
	}
	prior, err := strconv.ParseFloat(*priorFlag, 64)
	if err != nil || !(prior > 0 && prior < 1) {
		return fail(exitUsage, "-prior %q: want a default rate strictly between 0 and 1", *priorFlag)
	}
	if *bins != string(calibrate.BinsQuantile) && *bins != string(calibrate.BinsParent) {
		return fail(exitUsage, "unknown -bins %q (want quantile or parent)", *bins)
	}
	if fs.NArg() == 0 {
		return fail(exitUsage, "no TRAIN file")
	}
	if !(*holdout >= 0 && *holdout < 1) || !(*minShare >= 0 && *minShare < 0.5) || *prebins < 0 || *prebins > 100 || !(*maxCorr >= 0 && *maxCorr <= 1) || !(*minIV >= 0) || !(*l2 >= 0) {
		return fail(exitUsage, "want -holdout in [0, 1), -min-bin-share in [0, 0.5), -prebins in [0, 100], -max-correlation in [0, 1], -min-iv and -l2 not negative")
	}
	parent, err := inputs.RuleSet(credit.BuiltinRuleSets(), *parentFlag)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	rates, err := inputs.Rates(*ratesFlag)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	var data calibrate.Dataset
	if code, err := readAll(&data, fs.Args(), stdin); err != nil {
		return fail(code, "%v", err)
	}
	opts := calibrate.FitOptions{
		ID: *id, Version: *version, Prior: prior, Holdout: *holdout, Bins: calibrate.BinSource(*bins), Rates: rates,
		KeepPDO: *keepPDO, MinIV: *minIV, MaxCorrelation: *maxCorr, L2: *l2,
		Binning: calibrate.BinningOptions{MinBinShare: *minShare, MaxPrebins: *prebins},
	}
	if len(calFiles) > 0 {
		opts.CalibrationData = &calibrate.Dataset{}
		if code, err := readAll(opts.CalibrationData, calFiles, stdin); err != nil {
			return fail(code, "%v", err)
		}
	}
	res, err := calibrate.Fit(parent, &data, opts)
	if err != nil {
		return fail(exitBadData, "%v", err)
	}
	if err := os.WriteFile(*out, res.JSON, 0o644); err != nil {
		return fail(exitUsage, "%v", err)
	}
	if err := writeReport(stdout, res, *out); err != nil {
		return fail(exitUsage, "%v", err)
	}
	return exitOK
}

// readAll reads labelled files into d; the exit code goes with the error:
// bad data for a bad record, usage for a file that cannot be read.
func readAll(d *calibrate.Dataset, names []string, stdin io.Reader) (int, error) {
	for _, name := range names {
		in, closeFn, err := inputs.Open(name, stdin)
		if err != nil {
			return exitUsage, err
		}
		err = d.Read(in, name, calibrate.ReadOptions{})
		closeFn()
		var re *calibrate.RecordError
		switch {
		case errors.As(err, &re):
			return exitBadData, err
		case err != nil:
			return exitUsage, err
		}
	}
	return exitOK, nil
}

func writeReport(w io.Writer, res *calibrate.FitResult, out string) error {
	rs := res.RuleSet
	fmt.Fprintf(w, "Fitted %s %s (extends %s %s) on %d records, %d defaults (%.2f%%); PDs corrected to a default rate of %.4g%%.\n",
		rs.ID, rs.Version, res.Parent.ID, res.Parent.Version, res.Records, res.Defaults, 100*res.SampleRate, 100*res.Prior)
	fmt.Fprintf(w, "Training data %s\n\n", res.Digest)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CHARACTERISTIC\tINDICATOR\tIV\tBINS\tCOEFFICIENT\tSTATUS")
	for _, c := range res.Characteristics {
		if c.Status == calibrate.StatusNotAssessable {
			continue
		}
		coef := "-"
		if c.Status == calibrate.StatusKept {
			coef = fmt.Sprintf("%.4f (%.4f)", c.Coef, c.StdErr)
		}
		status := c.Status
		if c.Detail != "" {
			status += ": " + c.Detail
		}
		fmt.Fprintf(tw, "%s\t%s\t%.4f\t%d\t%s\t%s\n", c.ID, c.Indicator, c.Binning.IV, len(c.Binning.Bins), coef, status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	n := 0
	for _, c := range res.Characteristics {
		if c.Status == calibrate.StatusNotAssessable {
			n++
		}
	}
	fmt.Fprintf(w, "%d characteristic(s) the data cannot assess keep the parent's points.\n\n", n)
	fmt.Fprintf(w, "Score to PD: logit(PD) = %.6f %+.8f x (score - %d) on %d records (%d defaults, %s), %+.6f for the prior: pdo %s, base odds %s.\n",
		res.ScoreIntercept, res.ScoreSlope, rs.Scaling.BaseScore, res.CalibrationRecords, res.CalibrationDefaults, res.CalibrationDigest, res.PriorShift, res.PDO, res.BaseOdds)
	if res.PointScale != 0 {
		fmt.Fprintf(w, "Fitted points scaled by %.6f to keep the parent's pdo.\n", res.PointScale)
	}
	fmt.Fprintf(w, "AUC on the training data: %.4f (95%% CI %.4f-%.4f), Gini %.4f, KS %.4f\n", res.Train.AUC, res.Train.AUCLow, res.Train.AUCHigh, res.Train.Gini, res.Train.KS)
	if h := res.Holdout; h != nil {
		fmt.Fprintf(w, "AUC on the held-out cut (%d records, %d defaults; fitted without them): %.4f (95%% CI %.4f-%.4f)\n",
			res.HoldoutRecords, res.HoldoutDefaults, h.AUC, h.AUCLow, h.AUCHigh)
	}
	_, err := fmt.Fprintf(w, "Wrote %s.\n", out)
	return err
}
