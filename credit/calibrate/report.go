package calibrate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/creditsco/creditsco/credit"
)

// ReportVersion is the version of the report's JSON form; ReadReport
// accepts this version only.
const ReportVersion = 1

// Report is a back-test and monitoring report. Its JSON form has stable
// keys (those of the fields below) and is what ReadReport reads back as
// a baseline. Rates and statistics are rounded to 6 places.
type Report struct {
	// Version is ReportVersion.
	Version int `json:"report_version"`
	// RuleSet names the rule set the records were scored with.
	RuleSet credit.RuleSetRef `json:"rule_set"`
	// Records, Defaults and DefaultRate describe the sample.
	Records     int64   `json:"records"`
	Defaults    int64   `json:"defaults"`
	DefaultRate float64 `json:"default_rate"`
	// Prior is BacktestOptions.Prior (0: none) and PDShift the log-odds
	// shift applied to every PD before the calibration tests.
	Prior   float64 `json:"prior"`
	PDShift float64 `json:"pd_shift"`
	// Confidence is the level of the grade tests.
	Confidence float64 `json:"confidence"`
	// Discrimination of the score (a lower score is riskier).
	Discrimination Discrimination `json:"discrimination"`
	// Brier is the Brier score of the PDs; BrierReference that of the
	// sample default rate given to everyone, rate·(1-rate).
	Brier          float64 `json:"brier"`
	BrierReference float64 `json:"brier_reference"`
	// Grades are the calibration tests per grade, best grade first.
	Grades []GradeResult `json:"grades"`
	// Failed counts the grades that fail the Jeffreys test.
	Failed int `json:"failed_grades"`
	// Calibration is the calibration curve by score decile.
	Calibration []CurvePoint `json:"calibration_curve"`
	// ScoreHistogram counts records and defaults per score, ascending.
	ScoreHistogram []ScoreCount `json:"score_histogram"`
	// Missing is the share of records per characteristic whose indicator
	// was missing.
	Missing []MissingShare `json:"missing"`
	// Characteristics count the records per characteristic bin (keyed by
	// the bin's points, or "missing"), for CSI against a later sample.
	Characteristics []CharacteristicDist `json:"characteristics"`
	// Stability compares with a baseline report; nil without one.
	Stability *Stability `json:"stability,omitempty"`
}

// GradeResult is the calibration test of one grade.
type GradeResult struct {
	Grade string `json:"grade"`
	// PDLower and PDUpper bound the grade's band of model PD.
	PDLower float64 `json:"pd_lower"`
	PDUpper float64 `json:"pd_upper"`
	// Records and Defaults count the grade's records.
	Records  int64 `json:"records"`
	Defaults int64 `json:"defaults"`
	// DefaultRate is Defaults/Records; MeanPD the mean reported PD
	// (shifted, see Report.PDShift).
	DefaultRate float64 `json:"default_rate"`
	MeanPD      float64 `json:"mean_pd"`
	// Tested is false for a grade without records.
	Tested bool `json:"tested"`
	// JeffreysP is the p-value of the Jeffreys test of MeanPD;
	// JeffreysLow and JeffreysHigh the equal-tailed interval of the
	// default rate at the report's confidence.
	JeffreysP    float64 `json:"jeffreys_p"`
	JeffreysLow  float64 `json:"jeffreys_low"`
	JeffreysHigh float64 `json:"jeffreys_high"`
	// Passed is false when JeffreysP < 1 - confidence: the PD
	// underestimates the observed default rate.
	Passed bool `json:"passed"`
}

// CurvePoint is one point of the calibration curve.
type CurvePoint struct {
	ScoreFrom   int64   `json:"score_from"`
	ScoreTo     int64   `json:"score_to"`
	Records     int64   `json:"records"`
	Defaults    int64   `json:"defaults"`
	MeanPD      float64 `json:"mean_pd"`
	DefaultRate float64 `json:"default_rate"`
}

// ScoreCount counts the records of one score.
type ScoreCount struct {
	Score    int64 `json:"score"`
	Records  int64 `json:"records"`
	Defaults int64 `json:"defaults"`
}

// MissingShare is the data quality of one characteristic.
type MissingShare struct {
	Characteristic string  `json:"characteristic"`
	Indicator      string  `json:"indicator"`
	Records        int64   `json:"records"`
	Share          float64 `json:"share"`
}

// CharacteristicDist counts the records per bin of one characteristic.
type CharacteristicDist struct {
	ID   string     `json:"id"`
	Bins []BinCount `json:"bins"`
}

// BinCount is the number of records in one bin.
type BinCount struct {
	Key     string `json:"key"`
	Records int64  `json:"records"`
}

// Stability compares the report's sample with a baseline report.
type Stability struct {
	// Baseline names the baseline's rule set and size.
	Baseline        credit.RuleSetRef `json:"baseline_rule_set"`
	BaselineRecords int64             `json:"baseline_records"`
	// PSI is the population stability index of the score over the
	// baseline's score deciles (Buckets).
	PSI     float64     `json:"psi"`
	Buckets []PSIBucket `json:"buckets"`
	CSI     []CSIResult `json:"csi"`
}

// PSIBucket is one score bucket [ScoreFrom, ScoreTo] of the PSI.
type PSIBucket struct {
	ScoreFrom int64 `json:"score_from"`
	ScoreTo   int64 `json:"score_to"`
	Expected  int64 `json:"expected"`
	Actual    int64 `json:"actual"`
}

// CSIResult is the characteristic stability index of one characteristic
// over the union of its bins in both samples.
type CSIResult struct {
	ID  string  `json:"id"`
	CSI float64 `json:"csi"`
}

// compare fills r.Stability from a baseline report.
func (r *Report) compare(base *Report) error {
	if base.Records <= 0 || len(base.ScoreHistogram) == 0 {
		return fmt.Errorf("%w: the baseline report has no records", ErrTooFewRecords)
	}
	st := &Stability{Baseline: base.RuleSet, BaselineRecords: base.Records}
	// Deciles of the baseline's score distribution, as score ranges.
	var from int64 = math.MinInt64
	var cum int64
	var b PSIBucket
	started := false
	for i, sc := range base.ScoreHistogram {
		if !started {
			b = PSIBucket{ScoreFrom: from}
			started = true
		}
		cum += sc.Records
		b.Expected += sc.Records
		last := i == len(base.ScoreHistogram)-1
		if cum*10 >= base.Records*int64(len(st.Buckets)+1) || last {
			b.ScoreTo = sc.Score
			if last {
				b.ScoreTo = math.MaxInt64
			}
			st.Buckets = append(st.Buckets, b)
			from = sc.Score + 1
			started = false
		}
	}
	for _, sc := range r.ScoreHistogram {
		for i := range st.Buckets {
			if sc.Score >= st.Buckets[i].ScoreFrom && sc.Score <= st.Buckets[i].ScoreTo {
				st.Buckets[i].Actual += sc.Records
				break
			}
		}
	}
	exp := make([]int64, len(st.Buckets))
	act := make([]int64, len(st.Buckets))
	for i, bk := range st.Buckets {
		exp[i], act[i] = bk.Expected, bk.Actual
	}
	psi, err := PSI(exp, act)
	if err != nil {
		return err
	}
	st.PSI = round6(psi)
	for _, c := range r.Characteristics {
		i := slices.IndexFunc(base.Characteristics, func(d CharacteristicDist) bool { return d.ID == c.ID })
		if i < 0 {
			continue
		}
		keys := map[string][2]int64{}
		for _, bc := range base.Characteristics[i].Bins {
			k := keys[bc.Key]
			k[0] += bc.Records
			keys[bc.Key] = k
		}
		for _, bc := range c.Bins {
			k := keys[bc.Key]
			k[1] += bc.Records
			keys[bc.Key] = k
		}
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		slices.Sort(names)
		e := make([]int64, len(names))
		a := make([]int64, len(names))
		for j, k := range names {
			e[j], a[j] = keys[k][0], keys[k][1]
		}
		csi, err := PSI(e, a)
		if err != nil {
			continue // a characteristic without records in one sample
		}
		st.CSI = append(st.CSI, CSIResult{ID: c.ID, CSI: round6(csi)})
	}
	r.Stability = st
	return nil
}

// Limits of ReadReport.
const (
	maxReportBytes = 16 << 20
	maxReportItems = 100_000
)

// ErrBadReport: a report could not be read back.
var ErrBadReport = errors.New("calibrate: not a back-test report")

// ReadReport reads a report in its JSON form (as WriteJSON writes it),
// for use as a baseline. It checks the version, sizes (at most 16 MiB and
// 100,000 entries per list) and that the counts are consistent
// (non-negative, defaults within records, histogram totals equal to the
// record count, scores ascending); anything else is an error wrapping
// ErrBadReport.
func ReadReport(r io.Reader) (*Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxReportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxReportBytes {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrBadReport, maxReportBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var rep Report
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadReport, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the report", ErrBadReport)
	}
	if err := rep.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadReport, err)
	}
	return &rep, nil
}

func (r *Report) check() error {
	if r.Version != ReportVersion {
		return fmt.Errorf("report_version %d, want %d", r.Version, ReportVersion)
	}
	if r.Records <= 0 || r.Defaults < 0 || r.Defaults > r.Records {
		return fmt.Errorf("%d records with %d defaults", r.Records, r.Defaults)
	}
	if len(r.ScoreHistogram) > maxReportItems || len(r.Characteristics) > maxReportItems || len(r.Grades) > maxReportItems ||
		len(r.Missing) > maxReportItems || len(r.Calibration) > maxReportItems {
		return fmt.Errorf("a list has more than %d entries", maxReportItems)
	}
	var n int64
	for i, sc := range r.ScoreHistogram {
		if sc.Records <= 0 || sc.Defaults < 0 || sc.Defaults > sc.Records {
			return fmt.Errorf("score_histogram[%d]: %d records with %d defaults", i, sc.Records, sc.Defaults)
		}
		if i > 0 && sc.Score <= r.ScoreHistogram[i-1].Score {
			return fmt.Errorf("score_histogram[%d]: scores not ascending", i)
		}
		if n > math.MaxInt64-sc.Records {
			return fmt.Errorf("score_histogram: counts overflow")
		}
		n += sc.Records
	}
	if n != r.Records {
		return fmt.Errorf("score_histogram counts %d records, the report %d", n, r.Records)
	}
	for i, c := range r.Characteristics {
		if len(c.Bins) > maxReportItems {
			return fmt.Errorf("characteristics[%d]: more than %d bins", i, maxReportItems)
		}
		var m int64
		for j, b := range c.Bins {
			if b.Records < 0 || b.Records > r.Records {
				return fmt.Errorf("characteristics[%d].bins[%d]: %d records", i, j, b.Records)
			}
			m += b.Records
		}
		if m > r.Records {
			return fmt.Errorf("characteristics[%d]: %d records in bins, the report has %d", i, m, r.Records)
		}
	}
	return nil
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report as plain-text tables.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Back-test of %s %s (%s)\n", r.RuleSet.ID, r.RuleSet.Version, r.RuleSet.Digest)
	fmt.Fprintf(&b, "%d records, %d defaults (%s)", r.Records, r.Defaults, pct(r.DefaultRate))
	if r.Prior != 0 {
		fmt.Fprintf(&b, "; population default rate %s: PDs moved by %+.4f on the log-odds scale to the sample's rate before testing", pct(r.Prior), r.PDShift)
	}
	b.WriteString("\n\nDiscrimination\n")
	d := r.Discrimination
	fmt.Fprintf(&b, "  AUC %.4f (95%% CI %.4f-%.4f, DeLong)  Gini %.4f  KS %.4f (scores below %.0f against the rest)\n", d.AUC, d.AUCLow, d.AUCHigh, d.Gini, d.KS, d.KSAt)
	fmt.Fprintf(&b, "\nCalibration (Jeffreys test at %s: a grade fails when p < %.4g)\n", pct(r.Confidence), 1-r.Confidence)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "GRADE\tPD BAND\tRECORDS\tDEFAULTS\tDEFAULT RATE\tMEAN PD\tJEFFREYS P\tINTERVAL\tRESULT\t")
	for _, g := range r.Grades {
		res := "-"
		p, iv := "-", "-"
		if g.Tested {
			res = "pass"
			if !g.Passed {
				res = "FAIL"
			}
			p = fmt.Sprintf("%.4f", g.JeffreysP)
			iv = pct(g.JeffreysLow) + "-" + pct(g.JeffreysHigh)
		}
		fmt.Fprintf(tw, "%s\t%s-%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t\n", g.Grade, pct(g.PDLower), pct(g.PDUpper), g.Records, g.Defaults,
			pct(g.DefaultRate), pct(g.MeanPD), p, iv, res)
	}
	tw.Flush()
	fmt.Fprintf(&b, "  %d grade(s) fail.  Brier score %.4f (sample rate to everyone: %.4f)\n", r.Failed, r.Brier, r.BrierReference)
	b.WriteString("\nCalibration curve (score deciles)\n")
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "SCORES\tRECORDS\tMEAN PD\tDEFAULT RATE\t")
	for _, c := range r.Calibration {
		fmt.Fprintf(tw, "%d-%d\t%d\t%s\t%s\t\n", c.ScoreFrom, c.ScoreTo, c.Records, pct(c.MeanPD), pct(c.DefaultRate))
	}
	tw.Flush()
	b.WriteString("\nData quality (share of records with the indicator missing)\n")
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, m := range r.Missing {
		if m.Records > 0 {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", m.Characteristic, m.Indicator, pct(m.Share))
		}
	}
	tw.Flush()
	if st := r.Stability; st != nil {
		fmt.Fprintf(&b, "\nStability against %s %s (%d records)\n  PSI of the score %.4f (%s)\n", st.Baseline.ID, st.Baseline.Version, st.BaselineRecords, st.PSI, PSIReading(st.PSI))
		for _, c := range st.CSI {
			fmt.Fprintf(&b, "  CSI %-28s %.4f (%s)\n", c.ID, c.CSI, PSIReading(c.CSI))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// PSIReading reads a PSI or CSI by the usual conventions (Lewis 1992;
// Siddiqi 2006): below 0.1 "no significant change", from 0.1 to 0.25
// "some change", above "major shift".
func PSIReading(v float64) string {
	switch {
	case v < 0.1:
		return "no significant change"
	case v < 0.25:
		return "some change"
	}
	return "major shift"
}

// pct formats a rate as a percentage with up to 4 decimals.
func pct(x float64) string {
	s := fmt.Sprintf("%.4f", 100*x)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}
