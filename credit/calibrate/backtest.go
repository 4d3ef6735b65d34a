package calibrate

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/creditsco/creditsco/credit"
)

// BacktestOptions configures a Backtester. The zero value tests at 99%
// and takes the PDs as they are.
type BacktestOptions struct {
	// Confidence is the level of the per-grade Jeffreys test: a grade
	// fails when its p-value is below 1 - Confidence. 0 means 0.99.
	Confidence float64
	// Prior, if not 0, is the default rate of the population the labelled
	// sample was drawn from, in (0, 1). Samples that over-represent
	// defaults (case-control samples, such as the balanced training data)
	// have higher default rates than their population, so each PD is first
	// moved to the sample's odds: logit(PD) + logit(sample rate) -
	// logit(Prior) (King and Zeng's prior correction, in reverse). 0
	// tests the PDs against the sample as it is.
	Prior float64
	// Baseline, if not nil, is an earlier report (of development data,
	// say) whose score and characteristic distributions the report
	// compares against: PSI of the score over the baseline's score deciles
	// and CSI per characteristic over its bins.
	Baseline *Report
}

// Backtester accumulates scored, labelled records and reports on them.
// Memory does not grow with the number of records: it keeps counts per
// score, per reported PD and per characteristic bin. It is not safe for
// concurrent use.
type Backtester struct {
	rs      *credit.RuleSet
	opts    BacktestOptions
	records int64
	bad     int64
	byScore map[int64]*scoreAcc
	// byPD[grade][pd] counts records of a grade with a reported PD.
	byPD     []map[string]*[2]int64
	gradeIdx map[string]int
	chars    []charAcc
	charIdx  map[string]int
}

// scoreAcc counts the records of one score: [non-defaults, defaults],
// and per reported PD (caps can give one score several PDs).
type scoreAcc struct {
	n  [2]int64
	pd map[string]int64
}

type charAcc struct {
	id, indicator string
	missing       int64
	bins          map[string]int64 // bin key (points, or "missing") -> records
}

// NewBacktester returns a Backtester for profiles of the rule set rs
// (resolved: the one the engine ran, Engine.RuleSet).
func NewBacktester(rs *credit.RuleSet, opts BacktestOptions) (*Backtester, error) {
	if rs == nil || rs.MasterScale == nil {
		return nil, fmt.Errorf("calibrate: NewBacktester needs a resolved rule set")
	}
	if opts.Confidence == 0 {
		opts.Confidence = 0.99
	}
	if !(opts.Confidence > 0 && opts.Confidence < 1) {
		return nil, fmt.Errorf("calibrate: confidence %v not in (0, 1)", opts.Confidence)
	}
	if opts.Prior != 0 && !(opts.Prior > 0 && opts.Prior < 1) {
		return nil, fmt.Errorf("calibrate: prior %v not in (0, 1)", opts.Prior)
	}
	b := &Backtester{rs: rs, opts: opts, byScore: map[int64]*scoreAcc{}, gradeIdx: map[string]int{}, charIdx: map[string]int{}}
	for i, g := range rs.MasterScale.Grades {
		b.gradeIdx[g.Grade] = i
		b.byPD = append(b.byPD, map[string]*[2]int64{})
	}
	for i, c := range rs.Characteristics {
		b.charIdx[c.ID] = i
		b.chars = append(b.chars, charAcc{id: c.ID, indicator: c.Indicator, bins: map[string]int64{}})
	}
	return b, nil
}

// Add counts one profile of the rule set with its observed outcome.
func (b *Backtester) Add(p *credit.Profile, defaulted bool) error {
	g, ok := b.gradeIdx[p.Grade]
	if !ok {
		return fmt.Errorf("calibrate: profile %q has grade %q, not on the master scale of %s", p.RecordID, p.Grade, b.rs.ID)
	}
	pd, err := strconv.ParseFloat(p.PD, 64)
	if err != nil || !(pd >= 0 && pd <= 1) {
		return fmt.Errorf("calibrate: profile %q has PD %q", p.RecordID, p.PD)
	}
	y := 0
	if defaulted {
		y = 1
		b.bad++
	}
	b.records++
	add := func(m map[string]*[2]int64, k string) {
		c := m[k]
		if c == nil {
			c = new([2]int64)
			m[k] = c
		}
		c[y]++
	}
	add(b.byPD[g], p.PD)
	s := b.byScore[p.Score]
	if s == nil {
		s = &scoreAcc{pd: map[string]int64{}}
		b.byScore[p.Score] = s
	}
	s.n[y]++
	s.pd[p.PD]++
	for _, cs := range p.Characteristics {
		i, ok := b.charIdx[cs.ID]
		if !ok {
			continue
		}
		c := &b.chars[i]
		key := cs.Points
		if cs.Value == nil {
			c.missing++
			key = "missing"
		}
		c.bins[key]++
	}
	return nil
}

// Records returns the number of profiles added.
func (b *Backtester) Records() int64 { return b.records }

// Backtest scores every example of data with eng and returns the report.
func Backtest(ctx context.Context, eng *credit.Engine, data *Dataset, opts BacktestOptions) (*Report, error) {
	b, err := NewBacktester(eng.RuleSet(), opts)
	if err != nil {
		return nil, err
	}
	for i := range data.Examples {
		p, err := eng.Score(ctx, data.Examples[i].Record)
		if err != nil {
			return nil, err
		}
		if err := b.Add(p, data.Examples[i].Defaulted); err != nil {
			return nil, err
		}
	}
	return b.Report()
}

// Report computes the report. It fails with ErrTooFewRecords,
// ErrNoDefaults or ErrNoNonDefaults when the records cannot be tested
// (every statistic would be undefined); a report never holds NaN.
func (b *Backtester) Report() (*Report, error) {
	switch {
	case b.records < 2:
		return nil, fmt.Errorf("%w: %d labelled record(s); at least one default and one non-default are needed", ErrTooFewRecords, b.records)
	case b.bad == 0:
		return nil, fmt.Errorf("%w among %d records", ErrNoDefaults, b.records)
	case b.bad == b.records:
		return nil, fmt.Errorf("%w among %d records: every record defaulted", ErrNoNonDefaults, b.records)
	}
	r := &Report{
		Version:     ReportVersion,
		RuleSet:     credit.RuleSetRef{ID: b.rs.ID, Version: b.rs.Version, Digest: b.rs.Digest()},
		Records:     b.records,
		Defaults:    b.bad,
		DefaultRate: round6(float64(b.bad) / float64(b.records)),
		Confidence:  b.opts.Confidence,
	}
	rate := float64(b.bad) / float64(b.records)
	shift := 0.0
	if b.opts.Prior != 0 {
		r.Prior = b.opts.Prior
		var err error
		if shift, err = PriorShift(rate, b.opts.Prior); err != nil {
			return nil, err
		}
		r.PDShift = round6(shift)
	}
	// Score histogram, ascending.
	scores := make([]int64, 0, len(b.byScore))
	for s := range b.byScore {
		scores = append(scores, s)
	}
	slices.Sort(scores)
	counts := make([]RiskCount, 0, len(scores))
	for _, s := range scores {
		c := b.byScore[s].n
		r.ScoreHistogram = append(r.ScoreHistogram, ScoreCount{Score: s, Records: c[0] + c[1], Defaults: c[1]})
		counts = append(counts, RiskCount{Risk: -float64(s), Good: c[0], Bad: c[1]})
	}
	d, err := Discriminate(counts)
	if err != nil {
		return nil, err
	}
	r.Discrimination = roundDisc(d)
	// Report the KS cut-off as a score (records below it against those at
	// or above), not as the negated score used for ranking.
	r.Discrimination.KSAt = -d.KSAt + 1
	// Calibration per grade, Brier score.
	var brier float64
	lower := 0.0
	for gi, g := range b.rs.MasterScale.Grades {
		upper := g.PDUpper.InexactFloat64()
		gr := GradeResult{Grade: g.Grade, PDLower: lower, PDUpper: upper}
		lower = upper
		keys := make([]string, 0, len(b.byPD[gi]))
		for k := range b.byPD[gi] {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var sumPD float64
		for _, k := range keys {
			c := b.byPD[gi][k]
			pd, _ := strconv.ParseFloat(k, 64)
			pd = shiftPD(pd, shift)
			n := c[0] + c[1]
			gr.Records += n
			gr.Defaults += c[1]
			sumPD += float64(n) * pd
			brier += float64(c[1])*sq(1-pd) + float64(c[0])*sq(pd)
		}
		if gr.Records > 0 {
			gr.DefaultRate = round6(float64(gr.Defaults) / float64(gr.Records))
			gr.MeanPD = round6(sumPD / float64(gr.Records))
			p, err := JeffreysTest(gr.Records, gr.Defaults, math.Min(1, math.Max(0, sumPD/float64(gr.Records))))
			if err != nil {
				return nil, err
			}
			lo, hi, err := JeffreysInterval(gr.Records, gr.Defaults, b.opts.Confidence)
			if err != nil {
				return nil, err
			}
			gr.Tested = true
			gr.JeffreysP = round6(p)
			gr.JeffreysLow, gr.JeffreysHigh = round6(lo), round6(hi)
			gr.Passed = p >= 1-b.opts.Confidence
			if !gr.Passed {
				r.Failed++
			}
		} else {
			gr.Passed = true
		}
		r.Grades = append(r.Grades, gr)
	}
	r.Brier = round6(brier / float64(b.records))
	r.BrierReference = round6(rate * (1 - rate))
	r.Calibration = b.curve(shift)
	for _, c := range b.chars {
		r.Missing = append(r.Missing, MissingShare{Characteristic: c.id, Indicator: c.indicator, Records: c.missing, Share: round6(float64(c.missing) / float64(b.records))})
		cd := CharacteristicDist{ID: c.id}
		keys := make([]string, 0, len(c.bins))
		for k := range c.bins {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			cd.Bins = append(cd.Bins, BinCount{Key: k, Records: c.bins[k]})
		}
		r.Characteristics = append(r.Characteristics, cd)
	}
	if b.opts.Baseline != nil {
		if err := r.compare(b.opts.Baseline); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// shiftPD moves a PD by shift on the log-odds scale; PDs of 0 and 1 stay.
func shiftPD(pd, shift float64) float64 {
	if shift == 0 || pd <= 0 || pd >= 1 {
		return pd
	}
	return sigmoid(logit(pd) + shift)
}

// curve is the calibration curve: the records in ten groups of about
// equal size by score (lowest scores first), each with its mean PD
// (shifted as the grade tests are) and observed default rate.
func (b *Backtester) curve(shift float64) []CurvePoint {
	scores := make([]int64, 0, len(b.byScore))
	for s := range b.byScore {
		scores = append(scores, s)
	}
	slices.Sort(scores)
	var out []CurvePoint
	var cur CurvePoint
	var sumPD float64
	var done int64
	for _, s := range scores {
		acc := b.byScore[s]
		if cur.Records == 0 {
			cur.ScoreFrom = s
		}
		cur.ScoreTo = s
		cur.Records += acc.n[0] + acc.n[1]
		cur.Defaults += acc.n[1]
		done += acc.n[0] + acc.n[1]
		keys := make([]string, 0, len(acc.pd))
		for k := range acc.pd {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			pd, _ := strconv.ParseFloat(k, 64)
			sumPD += float64(acc.pd[k]) * shiftPD(pd, shift)
		}
		if float64(done)*10 >= float64(b.records)*float64(len(out)+1) {
			cur.MeanPD = round6(sumPD / float64(cur.Records))
			cur.DefaultRate = round6(float64(cur.Defaults) / float64(cur.Records))
			out = append(out, cur)
			cur, sumPD = CurvePoint{}, 0
		}
	}
	return out
}

func roundDisc(d Discrimination) Discrimination {
	d.AUC, d.AUCStdErr, d.AUCLow, d.AUCHigh = round6(d.AUC), round6(d.AUCStdErr), round6(d.AUCLow), round6(d.AUCHigh)
	d.Gini, d.KS = round6(d.Gini), round6(d.KS)
	return d
}
