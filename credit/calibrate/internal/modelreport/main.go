// Command modelreport writes MODEL.md, the back-test of SCO-BASE and of a
// rule set fitted with credit/calibrate on the training data, with the
// evidence that chose the fitting method and its pictures. Run from the
// repository root:
//
//	go run ./credit/calibrate/internal/modelreport
//
// It reads testdata/train (pl2, pl3, pl4) and the previous SCO-BASE
// versions in testdata/model (for comparison), and writes MODEL.md,
// testdata/model/fitted.json and the SVG pictures under testdata/model/.
// Every choice of the method is made on pl2 and pl3 alone
// (cross-validation, and checks across the two years); pl4, a later
// year, is used only for the final back-tests.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/calibrate"
)

// Population default rates of the source files (testdata/train/README.md).
const (
	pop2    = 400.0 / 10173
	pop3    = 495.0 / 10503
	pop4    = 515.0 / 9792
	pop23   = (400.0 + 495) / (10173 + 10503)
	holdout = 0.2
	// mocZ is the one-sided 95% normal quantile of the category C margin
	// of conservatism (centralTendency).
	mocZ = 1.645
)

// The fitting options the study chose (see study.go); SCO-BASE (2.1.0 on) and
// the fitted rule set use them, and the report checks that they are still
// the cross-validation's best.
var chosen = calibrate.FitOptions{
	MaxCorrelation: 0.9,
	Binning:        calibrate.BinningOptions{MinBinShare: 0.08, MaxPrebins: 10},
	KeepPDO:        true,
}

// finCharacteristics are SCO-BASE's financial characteristics, the ones
// the training data speak about (size, statement age and audit are
// constant in them, so the fit leaves their expert points).
var finCharacteristics = []string{
	"fin_ems", "fin_current_ratio", "fin_interest_coverage", "fin_ocf_to_liabilities",
	"fin_retained_earnings", "fin_liabilities_to_assets", "fin_ocf_to_current_liabilities",
	"fin_revenue_growth_real", "fin_loss_years_3y", "fin_size_usd", "fin_statement_age", "fin_audited",
}

func main() {
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	if err := run(*root); err != nil {
		fmt.Fprintln(os.Stderr, "modelreport:", err)
		os.Exit(1)
	}
}

type env struct {
	root        string
	train, test *calibrate.Dataset
	pl2, pl3    *calibrate.Dataset
	b           strings.Builder
}

// results holds everything the report writes.
type results struct {
	base, prev, old          *credit.RuleSet
	baseRep, prevRep, oldRep *calibrate.Report
	// v21 is SCO-BASE 2.1.0 (2.2.0's points without the category C
	// margin) and v21Rep its back-test on pl4.
	v21          *credit.RuleSet
	v21Rep       *calibrate.Report
	baseTrain    *calibrate.Report
	base2, base3 *calibrate.Report
	fit          *calibrate.FitResult
	fitRep       *calibrate.Report
	refit        *calibrate.FitResult
	cutRate      float64
	study        *study
	// reach is the best grade of each kind of evidence under SCO-BASE.
	reach []reach
	// calib is the score-to-PD regression on pl3 under SCO-BASE, and ct
	// the central tendency its intercept is moved to.
	calib *calibrate.LogitFit
	ct    float64
	// slope4 is the slope of logit(default) on SCO-BASE's score on pl4: a
	// diagnostic of the test data, reported after the fact, never used to
	// fit anything.
	slope4 float64
}

func run(root string) error {
	e := &env{root: root}
	var err error
	if e.pl2, err = read(root, "pl2"); err != nil {
		return err
	}
	if e.pl3, err = read(root, "pl3"); err != nil {
		return err
	}
	if e.train, err = read(root, "pl2", "pl3"); err != nil {
		return err
	}
	if e.test, err = read(root, "pl4"); err != nil {
		return err
	}
	ctx := context.Background()
	reg := credit.BuiltinRuleSets()
	r := &results{}
	r.base, _ = reg.Lookup(credit.SCOBaseID)
	if r.old, err = loadFile(filepath.Join(root, "testdata/model/sco-base-1.3.0.json")); err != nil {
		return err
	}
	if r.prev, err = loadFile(filepath.Join(root, "testdata/model/sco-base-2.0.0.json")); err != nil {
		return err
	}
	var ok bool
	if r.v21, ok = reg.LookupVersion(credit.SCOBaseID, "2.1.0"); !ok {
		return errors.New("SCO-BASE 2.1.0 is not among the built-in rule sets")
	}

	if r.calib, err = scoreLogit(r.base, e.pl3); err != nil {
		return err
	}
	r.ct = centralTendency(r.calib)

	// The choices, on pl2 and pl3 alone.
	if r.study, err = e.runStudy(r.base); err != nil {
		return err
	}

	// SCO-BASE on the training years (in sample) and on pl4.
	if r.base2, err = e.backtestData(ctx, r.base, e.pl2, pop2, nil, ""); err != nil {
		return err
	}
	if r.base3, err = e.backtestData(ctx, r.base, e.pl3, pop3, nil, ""); err != nil {
		return err
	}
	if r.baseTrain, err = e.backtestData(ctx, r.base, e.train, pop23, nil, ""); err != nil {
		return err
	}
	if r.baseRep, err = e.backtestData(ctx, r.base, e.test, pop4, r.baseTrain, "testdata/model/sco-base"); err != nil {
		return err
	}
	if r.prevRep, err = e.backtestData(ctx, r.prev, e.test, pop4, nil, ""); err != nil {
		return err
	}
	if r.oldRep, err = e.backtestData(ctx, r.old, e.test, pop4, nil, ""); err != nil {
		return err
	}
	if r.v21Rep, err = e.backtestData(ctx, r.v21, e.test, pop4, nil, ""); err != nil {
		return err
	}

	if r.slope4, err = slopeOn(r.base, e.test); err != nil {
		return err
	}
	if r.reach, err = reachable(r.base); err != nil {
		return err
	}

	// The fitted rule set: prior = the test cut's own default rate, the
	// score-to-PD mapping on the most recent training year.
	r.cutRate = float64(e.test.Defaults()) / float64(len(e.test.Examples))
	o := chosen
	o.ID, o.Version, o.Prior, o.Holdout, o.CalibrationData = "SCO-BASE-PL-FIT", "1.0.0", round(r.cutRate), holdout, e.pl3
	if r.fit, err = calibrate.Fit(r.base, e.train, o); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(root, "testdata/model/fitted.json"), r.fit.JSON, 0o644); err != nil {
		return err
	}
	if err := reg.Register(r.fit.RuleSet); err != nil {
		return err
	}
	fitted, _ := reg.Lookup(r.fit.RuleSet.ID)
	if r.fitRep, err = e.backtestData(ctx, fitted, e.test, 0, nil, "testdata/model/fitted"); err != nil {
		return err
	}

	if r.refit, err = refitBase(r.base, r.old, r.ct, e.train, e.pl3); err != nil {
		return err
	}

	e.write(r)
	return os.WriteFile(filepath.Join(root, "MODEL.md"), []byte(e.b.String()), 0o644)
}

// refitBase fits SCO-BASE's financial characteristics again from the
// training data, with the chosen options, the mapping on pl3 and the
// central tendency ct. The points are fitted in the units of old's
// scaling (1.3.0, pdo 20), so the parent of the refit is base with that
// scaling.
func refitBase(base, old *credit.RuleSet, ct float64, train, pl3 *calibrate.Dataset) (*calibrate.FitResult, error) {
	tpl := credit.DefaultRuleSet()
	tpl.Scaling = old.Scaling
	parent, err := credit.NewRuleSet(*tpl)
	if err != nil {
		return nil, err
	}
	o := chosen
	o.ID, o.Version, o.Prior, o.CalibrationData, o.Characteristics = "SCO-BASE-REFIT", base.Version, ct, pl3, finCharacteristics
	return calibrate.Fit(parent, train, o)
}

// round rounds a rate to 6 places, as rule sets and reports state them.
func round(x float64) float64 { return math.Round(x*1e6) / 1e6 }

func read(root string, cuts ...string) (*calibrate.Dataset, error) {
	var d calibrate.Dataset
	for _, c := range cuts {
		path := filepath.Join(root, "testdata/train", c+".ndjson.gz")
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		err = d.Read(f, path, calibrate.ReadOptions{})
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return &d, nil
}

// slopeOn is b of logit(default) = a + b·(score - base score) under rs on d.
func slopeOn(rs *credit.RuleSet, d *calibrate.Dataset) (float64, error) {
	f, err := scoreLogit(rs, d)
	if err != nil {
		return 0, err
	}
	return f.Coef[1], nil
}

// scoreLogit fits logit(default) = a + b·(score - base score) under rs on d.
func scoreLogit(rs *credit.RuleSet, d *calibrate.Dataset) (*calibrate.LogitFit, error) {
	eng, err := credit.NewEngine(rs, credit.EngineOptions{})
	if err != nil {
		return nil, err
	}
	x := make([][]float64, len(d.Examples))
	y := make([]bool, len(d.Examples))
	for i := range d.Examples {
		p, err := eng.Score(context.Background(), d.Examples[i].Record)
		if err != nil {
			return nil, err
		}
		x[i] = []float64{float64(p.Score - rs.Scaling.BaseScore)}
		y[i] = d.Examples[i].Defaulted
	}
	return calibrate.FitLogit(x, y, calibrate.LogitOptions{})
}

// centralTendency is the population rate SCO-BASE's PDs are set to: the
// highest annual rate of the training years (pop3: the long-run rate plus
// the category A margin) moved up on the log-odds scale by mocZ standard
// errors of the calibration's log-odds at the base score (category C, the
// general estimation error of the mapping fitted on pl3's 1,516 records).
func centralTendency(calib *calibrate.LogitFit) float64 {
	return round(invLogit(logit(pop3) + mocZ*calib.StdErr[0]))
}

func logit(p float64) float64    { return math.Log(p / (1 - p)) }
func invLogit(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func loadFile(path string) (*credit.RuleSet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return credit.LoadRuleSet(f)
}

func (e *env) backtestData(ctx context.Context, rs *credit.RuleSet, d *calibrate.Dataset, prior float64, baseline *calibrate.Report, plots string) (*calibrate.Report, error) {
	eng, err := credit.NewEngine(rs, credit.EngineOptions{})
	if err != nil {
		return nil, err
	}
	rep, err := calibrate.Backtest(ctx, eng, d, calibrate.BacktestOptions{Prior: prior, Baseline: baseline})
	if err != nil {
		return nil, err
	}
	if plots != "" {
		if _, err := rep.WritePlots(filepath.Join(e.root, plots)); err != nil {
			return nil, err
		}
	}
	return rep, nil
}
