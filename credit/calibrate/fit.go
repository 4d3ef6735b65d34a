package calibrate

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/creditsco/creditsco/credit"
)

// BinSource says where the pre-bins of a numeric characteristic come
// from.
type BinSource string

// The bin sources.
const (
	// BinsQuantile cuts pre-bins at quantiles of the data.
	BinsQuantile BinSource = "quantile"
	// BinsParent uses the bounds of the parent characteristic's bins as
	// pre-bins, so that the fitted bins are unions of the parent's: the
	// points of an expert scorecard are re-estimated on its own bins.
	BinsParent BinSource = "parent"
)

// FitOptions configures Fit. The zero value fits every characteristic of
// the parent on quantile bins, with the sample's own default rate as the
// prior.
type FitOptions struct {
	// ID and Version of the fitted rule set; defaults: the parent's id
	// with "-FIT" appended, and "0.1.0".
	ID, Version string
	// Description of the fitted rule set; empty: one is written.
	Description string
	// Prior is the default rate of the population the rule set is meant
	// for, in (0, 1): the score-to-PD intercept is corrected from the
	// sample's default rate to it (King and Zeng 2001). 0 keeps the
	// sample's rate.
	Prior float64
	// Bins says where numeric pre-bins come from; "" means BinsQuantile.
	Bins BinSource
	// Binning configures the binning of every characteristic. Its Trend
	// and Edges are set per characteristic: the trend from the parent's
	// direction (increasing points: a descending default rate; decreasing:
	// ascending; none: TrendAutoUnimodal), the edges from the parent with
	// BinsParent.
	Binning BinningOptions
	// MinIV is the information-value floor below which a characteristic
	// is dropped; 0 means 0.02 (Siddiqi's "unpredictive").
	MinIV float64
	// MaxCorrelation is the largest absolute Pearson correlation allowed
	// between the WoE of two kept characteristics; of a pair above it the
	// one of lower IV is dropped. 0 means 0.8.
	MaxCorrelation float64
	// L2 is the ridge penalty of the logistic regression (see
	// LogitOptions).
	L2 float64
	// Characteristics are the ids of the parent's characteristics to fit;
	// nil means all. The others keep the parent's points.
	Characteristics []string
	// CalibrationData, if not nil, holds the records the score-to-PD
	// mapping is fitted on instead of the training records: the slope and
	// offset come from their scores under the fitted points, and the
	// intercept is moved from their default rate to Prior. Pass the most
	// recent period of the training data when the relation between score
	// and default drifts over time: calibration data should be
	// representative of the population the PDs are for (EBA/GL/2017/16,
	// chapter 5), and the points still
	// use every training record.
	CalibrationData *Dataset
	// KeepPDO scales the fitted points by the slope of the score-to-PD
	// mapping on the calibration records over the parent's slope (ln 2 /
	// pdo), and then fits the mapping again, so that the fitted rule set
	// keeps the parent's pdo (to rounding): the points the data cannot
	// assess, kept from the parent, then keep their meaning (pdo points
	// double the odds), and only the fitted points take the data's
	// steepness. Without it the fitted pdo carries the steepness and
	// applies it to every point.
	KeepPDO bool
	// Holdout is the share of records, chosen by a hash of record_id (so
	// independent of input order), held out of a first fit to estimate the
	// method's out-of-sample discrimination (FitResult.Holdout); the rule
	// set returned is then fitted on every record. 0 means no holdout.
	Holdout float64
	// Rates converts currencies for the indicators that need it.
	Rates *credit.Rates
}

// Status values of a CharacteristicFit.
const (
	StatusKept          = "kept"
	StatusNotAssessable = "not assessable"
	StatusLowIV         = "below the IV floor"
	StatusCorrelated    = "correlated"
	StatusWrongSign     = "coefficient flips the trend"
)

// CharacteristicFit is what the fit made of one candidate characteristic.
type CharacteristicFit struct {
	// ID and Indicator name the characteristic and its indicator.
	ID        string `json:"id"`
	Indicator string `json:"indicator"`
	// Binning is the binning of the indicator on the training records.
	Binning *Binning `json:"binning"`
	// Status is one of the Status constants: kept, or why it was dropped
	// (dropped characteristics get 0 points) or left to the parent (not
	// assessable: the data show only one bin).
	Status string `json:"status"`
	// Detail explains the status (the correlated partner, the IV floor).
	Detail string `json:"detail,omitempty"`
	// Coef and StdErr are the logistic-regression coefficient of the
	// characteristic's WoE and its standard error, for kept ones.
	Coef   float64 `json:"coef,omitempty"`
	StdErr float64 `json:"std_err,omitempty"`
}

// FitResult is a fitted rule set with the statistics of the fit.
type FitResult struct {
	// RuleSet is the fitted rule set as loaded by credit.LoadRuleSet; it
	// extends the parent. JSON is its file.
	RuleSet *credit.RuleSet `json:"-"`
	JSON    []byte          `json:"-"`
	// Parent names the parent rule set.
	Parent credit.RuleSetRef `json:"parent"`
	// Digest is the training data's digest (Dataset.Digest).
	Digest string `json:"data_digest"`
	// Records and Defaults count the records the rule set is fitted on.
	Records  int `json:"records"`
	Defaults int `json:"defaults"`
	// HoldoutRecords and HoldoutDefaults count the held-out records of the
	// holdout estimate.
	HoldoutRecords  int `json:"holdout_records"`
	HoldoutDefaults int `json:"holdout_defaults"`
	// SampleRate is Defaults/Records; Prior the population rate the PDs
	// are corrected to (SampleRate when none was given).
	SampleRate float64 `json:"sample_default_rate"`
	Prior      float64 `json:"prior"`
	// CalibrationDigest, CalibrationRecords and CalibrationDefaults name
	// and count the records the score-to-PD mapping was fitted on
	// (FitOptions.CalibrationData, or the training records), and
	// CalibrationRate is their default rate, from which the intercept is
	// moved to Prior.
	CalibrationDigest   string  `json:"calibration_digest"`
	CalibrationRecords  int     `json:"calibration_records"`
	CalibrationDefaults int     `json:"calibration_defaults"`
	CalibrationRate     float64 `json:"calibration_default_rate"`
	// Characteristics are the candidates, kept first by IV, then dropped.
	Characteristics []CharacteristicFit `json:"characteristics"`
	// Intercept is the regression's intercept (on the WoE, before scaling).
	Intercept float64 `json:"intercept"`
	// Iterations is the number of Newton steps of the final regression.
	Iterations int `json:"iterations"`
	// ScoreSlope and ScoreIntercept are the fitted logit(PD) = a + b·score
	// on the calibration records' scores, before the prior correction;
	// PriorShift is added to the intercept.
	ScoreSlope     float64 `json:"score_slope"`
	ScoreIntercept float64 `json:"score_intercept"`
	PriorShift     float64 `json:"prior_shift"`
	// PointScale is the factor the fitted points were scaled by with
	// FitOptions.KeepPDO (rounded to 6 places); 0 without it.
	PointScale float64 `json:"point_scale,omitempty"`
	// PDO and BaseOdds are the fitted scaling (rounded as written).
	PDO      string `json:"pdo"`
	BaseOdds string `json:"base_odds"`
	// Train is the discrimination of the fitted rule set's scores on its
	// training records; Holdout that of a rule set fitted without the
	// held-out records, on them (nil without FitOptions.Holdout).
	Train   Discrimination  `json:"train"`
	Holdout *Discrimination `json:"holdout,omitempty"`
}

// Fit fits the characteristics of parent (a resolved rule set) to the
// labelled data and returns a rule set that extends it: per
// characteristic a binning (BinIndicator) with weights of evidence, an
// IV floor and correlation pruning, a logistic regression of the default
// on the WoE (FitLogit), and points -β·WoE·pdo/ln 2 in the parent's
// scaling; coefficients that would flip a bin trend (β ≥ 0) drop their
// characteristic and the regression is refitted. Then the score-to-PD
// mapping is fitted on the rule set's own scores of the training records
// (or of opts.CalibrationData): a logistic regression on the score, slope
// and offset, whose intercept is corrected from those records' default
// rate to opts.Prior; it becomes the rule set's scaling (pdo and
// base_odds).
//
// Fitting uses float64. Every fitted number is rounded before it enters
// the rule set (WoE and coefficients to 6 places, then points computed in
// decimal and rounded to whole points; pdo to 2 places, base_odds to 6
// significant digits), so the same data and options give the same bytes
// on every platform. The rule set's sources record the data digest, size,
// default count, prior, method and fit statistics.
func Fit(parent *credit.RuleSet, data *Dataset, opts FitOptions) (*FitResult, error) {
	opts, err := opts.resolve(parent, data)
	if err != nil {
		return nil, err
	}
	var holdRes *Discrimination
	var holdN, holdD int
	if opts.Holdout > 0 {
		// The method's out-of-sample estimate: fit on the rest, score the
		// held-out cut. The rule set returned is then fitted on all.
		train, hold := split(data, opts.Holdout)
		if err := train.check(); err != nil {
			return nil, fmt.Errorf("training part of the holdout split: %w", err)
		}
		if err := hold.check(); err != nil {
			return nil, fmt.Errorf("held-out part: %w", err)
		}
		o := opts
		o.Holdout, o.CalibrationData = 0, nil // only its discrimination is used
		part, err := fitCore(parent, train, o, nil, nil, 0, 0, false)
		if err != nil {
			return nil, fmt.Errorf("fit on the training part of the holdout split: %w", err)
		}
		eng, err := engineFor(parent, part.RuleSet, opts.Rates)
		if err != nil {
			return nil, err
		}
		d, err := discriminate(eng, hold)
		if err != nil {
			return nil, err
		}
		holdRes, holdN, holdD = &d, len(hold.Examples), hold.Defaults()
	}
	return fitCore(parent, data, opts, nil, holdRes, holdN, holdD, true)
}

// resolve checks the parent, the data and the options and fills in the
// defaults.
func (opts FitOptions) resolve(parent *credit.RuleSet, data *Dataset) (FitOptions, error) {
	if parent == nil || !parent.Resolved() {
		return opts, errors.New("calibrate: Fit needs a resolved parent rule set (from a RuleSetRegistry)")
	}
	if err := data.check(); err != nil {
		return opts, err
	}
	if opts.CalibrationData != nil {
		if err := opts.CalibrationData.check(); err != nil {
			return opts, fmt.Errorf("calibration data: %w", err)
		}
	}
	if opts.Prior != 0 && !(opts.Prior > 0 && opts.Prior < 1) {
		return opts, fmt.Errorf("calibrate: prior %v not in (0, 1)", opts.Prior)
	}
	if !(opts.Holdout >= 0 && opts.Holdout < 1) {
		return opts, fmt.Errorf("calibrate: holdout share %v not in [0, 1)", opts.Holdout)
	}
	if opts.Bins == "" {
		opts.Bins = BinsQuantile
	}
	if opts.Bins != BinsQuantile && opts.Bins != BinsParent {
		return opts, fmt.Errorf("calibrate: unknown bin source %q", opts.Bins)
	}
	if opts.MinIV == 0 {
		opts.MinIV = 0.02
	}
	if opts.MaxCorrelation == 0 {
		opts.MaxCorrelation = 0.8
	}
	if opts.ID == "" {
		opts.ID = parent.ID + "-FIT"
	}
	if opts.Version == "" {
		opts.Version = "0.1.0"
	}
	return opts, nil
}

// fitCore fits the points and, with scale, the score-to-PD mapping; without
// it, res.RuleSet is the points in the parent's scaling (enough to rank
// records: a score does not depend on the scaling). values yields the
// indicator values of the training examples; nil computes them.
func fitCore(parent *credit.RuleSet, train *Dataset, opts FitOptions, values indicatorValues, hold *Discrimination, holdN, holdD int, scale bool) (*FitResult, error) {
	res := &FitResult{
		Parent:   credit.RuleSetRef{ID: parent.ID, Version: parent.Version, Digest: parent.Digest()},
		Digest:   train.Digest(),
		Records:  len(train.Examples),
		Defaults: train.Defaults(),
		Holdout:  hold, HoldoutRecords: holdN, HoldoutDefaults: holdD,
	}
	res.SampleRate = float64(res.Defaults) / float64(res.Records)
	res.Prior = res.SampleRate
	if opts.Prior != 0 {
		res.Prior = opts.Prior
	}
	y := make([]bool, len(train.Examples))
	for i := range train.Examples {
		y[i] = train.Examples[i].Defaulted
	}

	cands, err := candidates(parent, opts.Characteristics)
	if err != nil {
		return nil, err
	}
	if values == nil {
		values = computeIndicators(parent, train, opts.Rates)
	}
	// Bin every candidate.
	fits := make([]CharacteristicFit, len(cands))
	woeCols := make([][]float64, len(cands))
	for j, c := range cands {
		info, _ := credit.Indicator(c.Indicator)
		values := values(c.Indicator)
		bo := opts.Binning
		bo.Trend = trendOf(c.Direction)
		bo.Edges = nil
		if opts.Bins == BinsParent && info.Kind == credit.Numeric {
			bo.Edges = []decimal.Decimal{}
			for _, b := range c.Bins[1:] {
				bo.Edges = append(bo.Edges, *b.Lower)
			}
		}
		bn, err := BinIndicator(info, values, y, bo)
		if err != nil {
			return nil, fmt.Errorf("calibrate: binning %s: %w", c.ID, err)
		}
		fits[j] = CharacteristicFit{ID: c.ID, Indicator: c.Indicator, Binning: bn}
		woeCols[j] = woeColumn(bn, info, values)
		switch {
		case !assessable(bn):
			fits[j].Status = StatusNotAssessable
			fits[j].Detail = "the training data show a single bin: the parent's points stay"
		case bn.IV < opts.MinIV:
			fits[j].Status = StatusLowIV
			fits[j].Detail = fmt.Sprintf("IV %.4f below %.4g", bn.IV, opts.MinIV)
		}
	}
	// Correlation pruning, strongest first.
	order := make([]int, len(cands))
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case fits[a].Binning.IV > fits[b].Binning.IV:
			return -1
		case fits[a].Binning.IV < fits[b].Binning.IV:
			return 1
		}
		return strings.Compare(fits[a].ID, fits[b].ID)
	})
	var kept []int
	for _, j := range order {
		if fits[j].Status != "" {
			continue
		}
		for _, k := range kept {
			if r := pearson(woeCols[j], woeCols[k]); math.Abs(r) > opts.MaxCorrelation {
				fits[j].Status = StatusCorrelated
				fits[j].Detail = fmt.Sprintf("WoE correlation %.3f with %s (IV %.4f)", r, fits[k].ID, fits[k].Binning.IV)
				break
			}
		}
		if fits[j].Status == "" {
			kept = append(kept, j)
		}
	}
	// Regression; drop coefficients that flip the trend.
	var lf *LogitFit
	for {
		if len(kept) == 0 {
			return nil, errors.New("calibrate: no characteristic carries information (every one is below the IV floor, not assessable or dropped)")
		}
		x := make([][]float64, len(y))
		for i := range x {
			row := make([]float64, len(kept))
			for c, j := range kept {
				row[c] = woeCols[j][i]
			}
			x[i] = row
		}
		lf, err = FitLogit(x, y, LogitOptions{L2: opts.L2})
		if err != nil {
			return nil, fmt.Errorf("calibrate: fitting the regression: %w", err)
		}
		worst := -1
		for c := range kept {
			if b := lf.Coef[c+1]; b >= 0 && (worst < 0 || b > lf.Coef[worst+1]) {
				worst = c
			}
		}
		if worst < 0 {
			break
		}
		j := kept[worst]
		fits[j].Status = StatusWrongSign
		fits[j].Detail = fmt.Sprintf("coefficient %+.4f: higher WoE would mean higher risk", lf.Coef[worst+1])
		kept = slices.Delete(kept, worst, worst+1)
	}
	for c, j := range kept {
		fits[j].Status = StatusKept
		fits[j].Coef = round6(lf.Coef[c+1])
		fits[j].StdErr = round6(lf.StdErr[c+1])
	}
	res.Intercept = round6(lf.Coef[0])
	res.Iterations = lf.Iterations

	// Report: kept first, by IV, then the others by IV.
	sorted := make([]CharacteristicFit, 0, len(fits))
	for _, j := range order {
		if fits[j].Status == StatusKept {
			sorted = append(sorted, fits[j])
		}
	}
	for _, j := range order {
		if fits[j].Status != StatusKept {
			sorted = append(sorted, fits[j])
		}
	}
	res.Characteristics = sorted
	child, err := buildChild(parent, cands, fits, opts, res)
	if err != nil {
		return nil, err
	}
	if !scale {
		// The points alone, in the parent's scaling.
		rs, err := credit.NewRuleSet(child)
		if err != nil {
			return nil, fmt.Errorf("calibrate: the fitted rule set does not load: %w", err)
		}
		res.RuleSet = rs
		return res, nil
	}
	if err := fitScaling(parent, child, train, opts, res); err != nil {
		return nil, err
	}
	if opts.KeepPDO {
		// Scale the points so that the slope on the calibration records is
		// the parent's, then fit the mapping again.
		res.PointScale = round6(-res.ScoreSlope * parent.Scaling.PDO.InexactFloat64() / math.Ln2)
		if child, err = buildChild(parent, cands, fits, opts, res); err != nil {
			return nil, err
		}
		if err := fitScaling(parent, child, train, opts, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// indicatorValues returns the values of an indicator for every example of
// a dataset, in order.
type indicatorValues func(indicator string) []credit.IndicatorValue

// computeIndicators computes indicator values for the examples of d with
// the parent's parameters, once per indicator.
func computeIndicators(parent *credit.RuleSet, d *Dataset, rates *credit.Rates) indicatorValues {
	params := map[string]decimal.Decimal{}
	for k, v := range parent.Parameters {
		params[k] = v.Value
	}
	done := map[string][]credit.IndicatorValue{}
	return func(id string) []credit.IndicatorValue {
		if vs, ok := done[id]; ok {
			return vs
		}
		vs := make([]credit.IndicatorValue, len(d.Examples))
		for i := range d.Examples {
			vs[i], _, _ = credit.ComputeIndicator(id, d.Examples[i].Record, params, rates)
		}
		done[id] = vs
		return vs
	}
}

// split divides data by a hash of record_id: a record is held out when
// FNV-1a(record_id) mod 10000 < share·10000.
func split(data *Dataset, share float64) (train, hold *Dataset) {
	cut := uint32(math.Round(share * 10000))
	isHold := func(e *Example) bool {
		h := fnv.New32a()
		h.Write([]byte(e.Record.RecordID))
		return h.Sum32()%10000 < cut
	}
	return data.Filter(func(e *Example) bool { return !isHold(e) }), data.Filter(isHold)
}

func candidates(parent *credit.RuleSet, ids []string) ([]credit.Characteristic, error) {
	if ids == nil {
		return slices.Clone(parent.Characteristics), nil
	}
	var out []credit.Characteristic
	for _, id := range ids {
		i := slices.IndexFunc(parent.Characteristics, func(c credit.Characteristic) bool { return c.ID == id })
		if i < 0 {
			return nil, fmt.Errorf("calibrate: the parent rule set %s has no characteristic %q", parent.ID, id)
		}
		out = append(out, parent.Characteristics[i])
	}
	return out, nil
}

// trendOf maps a characteristic's declared direction of points to the
// trend of the default rate: points that rise with the value mean a
// default rate that falls.
func trendOf(d credit.Direction) Trend {
	switch d {
	case credit.Increasing:
		return TrendDescending
	case credit.Decreasing:
		return TrendAscending
	}
	return TrendAutoUnimodal
}

// assessable reports whether the data distinguish at least two bins (the
// missing bin counting when it has a WoE of its own).
func assessable(b *Binning) bool {
	n := 0
	for _, s := range b.Bins {
		if s.Records > 0 {
			n++
		}
	}
	if b.Missing.Records > 0 && b.Missing.WoEFrom == "" {
		n++
	}
	return n >= 2
}

// binIndex returns the bin of a value in a binning: -1 for missing.
func binIndex(b *Binning, info credit.IndicatorInfo, v credit.IndicatorValue) int {
	if v.IsMissing() {
		return -1
	}
	if info.Kind == credit.Categorical {
		for j, s := range b.Bins {
			if slices.Contains(s.Categories, v.Cat) {
				return j
			}
		}
		return -1
	}
	j := 0
	for k := 1; k < len(b.Bins); k++ {
		if v.Num.Cmp(*b.Bins[k].Lower) >= 0 {
			j = k
		} else {
			break
		}
	}
	return j
}

func woeColumn(b *Binning, info credit.IndicatorInfo, values []credit.IndicatorValue) []float64 {
	col := make([]float64, len(values))
	for i, v := range values {
		if j := binIndex(b, info, v); j >= 0 {
			col[i] = round6(b.Bins[j].WoE)
		} else {
			col[i] = round6(b.Missing.WoE)
		}
	}
	return col
}

func pearson(a, b []float64) float64 {
	n := float64(len(a))
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= n
	mb /= n
	var sab, saa, sbb float64
	for i := range a {
		da, db := a[i]-ma, b[i]-mb
		sab += float64(da * db)
		saa += float64(da * da)
		sbb += float64(db * db)
	}
	if saa == 0 || sbb == 0 {
		return 0
	}
	return sab / math.Sqrt(saa*sbb)
}

// round6 rounds to 6 decimal places, the precision at which fitted
// numbers leave float64.
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// dec6 is x rounded to 6 places as a decimal.
func dec6(x float64) decimal.Decimal {
	return decimal.RequireFromString(strconv.FormatFloat(round6(x), 'f', 6, 64))
}

// ln2 is ln 2 to 24 places.
var ln2 = func() decimal.Decimal {
	d, err := decimal.NewFromInt(2).Ln(24)
	if err != nil {
		panic(err)
	}
	return d
}()

// factorOf is pdo/ln 2, the points per unit of log-odds.
func factorOf(s *credit.Scaling) decimal.Decimal { return s.PDO.DivRound(ln2, 24) }

// pointsOf is -β·WoE·factor rounded to whole points, in decimal.
func pointsOf(coef, woe float64, factor decimal.Decimal) decimal.Decimal {
	return dec6(coef).Neg().Mul(dec6(woe)).Mul(factor).Round(0)
}

func engineFor(parent, child *credit.RuleSet, rates *credit.Rates) (*credit.Engine, error) {
	rs := child
	if !child.Resolved() {
		reg := credit.NewRuleSetRegistry()
		if err := reg.Register(parent); err != nil {
			return nil, err
		}
		if err := reg.Register(child); err != nil {
			return nil, fmt.Errorf("calibrate: the fitted rule set does not resolve: %w", err)
		}
		rs, _ = reg.Lookup(child.ID)
	}
	return credit.NewEngine(rs, credit.EngineOptions{Rates: rates, Workers: 1})
}

// scores returns the engine's score of every example.
func scores(eng *credit.Engine, d *Dataset) ([]int64, error) {
	out := make([]int64, len(d.Examples))
	ctx := context.Background()
	for i := range d.Examples {
		p, err := eng.Score(ctx, d.Examples[i].Record)
		if err != nil {
			return nil, err
		}
		out[i] = p.Score
	}
	return out, nil
}

func discriminate(eng *credit.Engine, d *Dataset) (Discrimination, error) {
	s, err := scores(eng, d)
	if err != nil {
		return Discrimination{}, err
	}
	return discriminateScores(s, d)
}

// discriminateScores ranks the examples of d by their scores s (a lower
// score is riskier).
func discriminateScores(s []int64, d *Dataset) (Discrimination, error) {
	risk := make([]float64, len(s))
	y := make([]bool, len(s))
	for i := range s {
		risk[i] = -float64(s[i])
		y[i] = d.Examples[i].Defaulted
	}
	return AUC(risk, y)
}
