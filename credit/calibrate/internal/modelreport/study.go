package main

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/calibrate"
)

// cvOptions is the cross-validation of every comparison: 5 folds, 3
// repeats with their own folds.
var cvOptions = calibrate.CVOptions{Folds: 5, Repeats: 3}

// base2 are SCO-BASE 2.0.0's financial characteristics the data assess;
// added are the indicators the study tried on top of them: the three
// ratios 2.1.0 added to the engine and three the engine already had.
var (
	base2 = []string{"fin_ems", "fin_current_ratio", "fin_interest_coverage", "fin_ocf_to_liabilities", "fin_revenue_growth_real", "fin_loss_years_3y"}
	added = []string{"fin_retained_earnings", "fin_liabilities_to_assets", "fin_ocf_to_current_liabilities"}
	extra = []struct {
		id, indicator string
		dir           credit.Direction
	}{
		{"study_equity_ratio", "fin.equity_ratio", credit.Increasing},
		{"study_roa", "fin.roa", credit.Increasing},
		{"study_ebit_margin", "fin.ebit_margin", credit.Increasing},
	}
)

// cvRow is one cross-validated configuration.
type cvRow struct {
	name string
	opts calibrate.FitOptions
	res  *calibrate.CVResult
}

// study is the evidence, on pl2 and pl3 alone, that chose the method.
type study struct {
	indicators []cvRow
	grid       []cvRow
	best       int // index of the best grid row
	// Slopes of logit(default) on SCO-BASE's score, per training year,
	// with the likelihood-ratio test of one common slope.
	slope2, slope3, slopeDiffSE, lr, lrP float64
	// Out-of-time check inside the training data: fitted on pl2, tested
	// on pl3 (prior = pl3's sample rate; and population priors).
	oot2to3, oot2to3Pop *calibrate.Report
	oot2to3Fit          *calibrate.FitResult
}

// studyParent is SCO-BASE with the points of every characteristic the
// data assess set to 0 (so that a characteristic left out of a fit adds
// nothing, instead of SCO-BASE's own points, which were fitted on all of
// pl2 and pl3), plus characteristics for the engine's other ratios.
func studyParent() (*credit.RuleSet, error) {
	rs := credit.DefaultRuleSet()
	for i := range rs.Characteristics {
		c := &rs.Characteristics[i]
		if !slices.Contains(base2, c.ID) && !slices.Contains(added, c.ID) {
			continue
		}
		for j := range c.Bins {
			c.Bins[j].Points = decimal.Zero
		}
		c.Missing.Points = decimal.Zero
	}
	for _, x := range extra {
		rs.Characteristics = append(rs.Characteristics, credit.Characteristic{
			ID: x.id, Indicator: x.indicator, Pillar: "financial", Direction: x.dir,
			Reason: "FIN_DATA_INCOMPLETE", Source: "study candidate",
			Bins:    []credit.Bin{{Points: decimal.Zero, Source: "study candidate"}},
			Missing: credit.MissingBin{Points: decimal.Zero, Source: "study candidate"},
		})
	}
	return credit.NewRuleSet(*rs)
}

func (e *env) runStudy(base *credit.RuleSet) (*study, error) {
	s := &study{}
	parent, err := studyParent()
	if err != nil {
		return nil, err
	}
	with := func(ids ...[]string) []string {
		var out []string
		for _, l := range ids {
			out = append(out, l...)
		}
		return out
	}
	var extraIDs []string
	for _, x := range extra {
		extraIDs = append(extraIDs, x.id)
	}
	// Candidate indicators, under the chosen binning options.
	ind := func(name string, ids []string) cvRow {
		o := chosen
		o.KeepPDO = false // ranks only
		o.Characteristics = ids
		return cvRow{name: name, opts: o}
	}
	s.indicators = append(s.indicators, ind("2.0.0's financial characteristics", base2))
	for _, id := range added {
		s.indicators = append(s.indicators, ind("+ "+id, with(base2, []string{id})))
	}
	for _, id := range extraIDs {
		s.indicators = append(s.indicators, ind("+ "+id, with(base2, []string{id})))
	}
	s.indicators = append(s.indicators, ind("+ the three added ratios (2.1.0)", with(base2, added)))
	s.indicators = append(s.indicators, ind("+ the three added and the three others", with(base2, added, extraIDs)))
	// Binning and selection options, with the 2.1.0 characteristics.
	for _, share := range []float64{0.05, 0.08, 0.12, 0.15} {
		for _, pre := range []int{5, 10, 20} {
			for _, corr := range []float64{0.8, 0.9} {
				o := calibrate.FitOptions{MaxCorrelation: corr, Binning: calibrate.BinningOptions{MinBinShare: share, MaxPrebins: pre}, Characteristics: with(base2, added)}
				s.grid = append(s.grid, cvRow{name: fmt.Sprintf("%.2f / %d / %.1f", share, pre, corr), opts: o})
			}
		}
	}
	rows := append(slices.Clone(s.indicators), s.grid...)
	if err := crossValidate(parent, e.train, rows); err != nil {
		return nil, err
	}
	copy(s.indicators, rows[:len(s.indicators)])
	copy(s.grid, rows[len(s.indicators):])
	for i, r := range s.grid {
		if r.res.AUC > s.grid[s.best].res.AUC {
			s.best = i
		}
	}
	if err := s.drift(e, base); err != nil {
		return nil, err
	}
	return s, nil
}

// crossValidate runs the rows on all cores; each row's result depends on
// its options only, so the order of work does not change the numbers.
func crossValidate(parent *credit.RuleSet, data *calibrate.Dataset, rows []cvRow) error {
	var wg sync.WaitGroup
	errs := make([]error, len(rows))
	sem := make(chan struct{}, runtime.NumCPU())
	for i := range rows {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			rows[i].res, errs[i] = calibrate.CrossValidate(parent, data, rows[i].opts, cvOptions)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("cross-validating %s: %w", rows[i].name, err)
		}
	}
	return nil
}

// drift measures how the relation between SCO-BASE's score and default
// differs between the two training years, and checks out of time inside
// the training data how a rule set fitted on the earlier year holds on
// the later one.
func (s *study) drift(e *env, base *credit.RuleSet) error {
	eng, err := credit.NewEngine(base, credit.EngineOptions{})
	if err != nil {
		return err
	}
	var full, nested [][]float64
	var y []bool
	for _, d := range []*calibrate.Dataset{e.pl2, e.pl3} {
		later := 0.0
		if d == e.pl3 {
			later = 1
		}
		for i := range d.Examples {
			p, err := eng.Score(context.Background(), d.Examples[i].Record)
			if err != nil {
				return err
			}
			v := float64(p.Score - base.Scaling.BaseScore)
			full = append(full, []float64{v, later, v * later})
			nested = append(nested, []float64{v, later})
			y = append(y, d.Examples[i].Defaulted)
		}
	}
	f1, err := calibrate.FitLogit(full, y, calibrate.LogitOptions{})
	if err != nil {
		return err
	}
	f0, err := calibrate.FitLogit(nested, y, calibrate.LogitOptions{})
	if err != nil {
		return err
	}
	s.slope2, s.slope3, s.slopeDiffSE = f1.Coef[1], f1.Coef[1]+f1.Coef[3], f1.StdErr[3]
	s.lr = f0.Deviance - f1.Deviance
	s.lrP = distuv.ChiSquared{K: 1}.Survival(s.lr)

	// Fitted on pl2 alone (its own calibration), tested on pl3.
	reg := credit.BuiltinRuleSets()
	r2 := float64(e.pl3.Defaults()) / float64(len(e.pl3.Examples))
	o := chosen
	o.ID, o.Version, o.Prior, o.Characteristics = "OOT-PL2", "1.0.0", round(r2), finCharacteristics
	if s.oot2to3Fit, err = calibrate.Fit(base, e.pl2, o); err != nil {
		return err
	}
	if err := reg.Register(s.oot2to3Fit.RuleSet); err != nil {
		return err
	}
	rs, _ := reg.Lookup("OOT-PL2")
	if s.oot2to3, err = e.backtestData(context.Background(), rs, e.pl3, 0, nil, ""); err != nil {
		return err
	}
	o.ID, o.Prior = "OOT-PL2-POP", round(pop2)
	fit, err := calibrate.Fit(base, e.pl2, o)
	if err != nil {
		return err
	}
	if err := reg.Register(fit.RuleSet); err != nil {
		return err
	}
	rs, _ = reg.Lookup("OOT-PL2-POP")
	s.oot2to3Pop, err = e.backtestData(context.Background(), rs, e.pl3, pop3, nil, "")
	return err
}
