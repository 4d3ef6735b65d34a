package calibrate

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/creditsco/creditsco/credit"
)

// fitSourceID is the id under which a fitted rule set cites its fit.
const fitSourceID = "calibrate-fit"

// buildChild writes the fitted characteristics as a rule set extending
// parent (without scaling yet).
//
// The points of a kept characteristic are -coefficient·WoE·factor, with
// factor pdo/ln 2 of the parent's scaling times res.PointScale (when not
// zero: see FitOptions.KeepPDO).
func buildChild(parent *credit.RuleSet, cands []credit.Characteristic, fits []CharacteristicFit, opts FitOptions, res *FitResult) (credit.RuleSet, error) {
	child := credit.RuleSet{
		ID: opts.ID, Version: opts.Version, Extends: parent.ID, Description: opts.Description,
	}
	factor := factorOf(parent.Scaling)
	if res.PointScale != 0 {
		factor = factor.Mul(dec6(res.PointScale))
	}
	for j, c := range cands {
		f := &fits[j]
		switch f.Status {
		case StatusNotAssessable:
			continue
		case StatusKept:
			child.Characteristics = append(child.Characteristics, fittedCharacteristic(c, f, factor, opts, res))
		default:
			child.Characteristics = append(child.Characteristics, zeroed(c, f))
		}
	}
	if len(child.Characteristics) == 0 {
		return child, errors.New("calibrate: nothing fitted")
	}
	if child.Description == "" {
		child.Description = fmt.Sprintf("Rule set fitted by creditsco's credit/calibrate on %d labelled records (%d defaults), extending %s %s: the characteristics the data can assess are re-binned and re-weighted (WoE logistic regression) in the parent's scaling, the others keep the parent's points, and the score-to-PD mapping is fitted to the data and corrected to a default rate of %s. See sources [%s].",
			res.Records, res.Defaults, parent.ID, parent.Version, fmtRate(res.Prior), fitSourceID)
	}
	return child, nil
}

func fittedCharacteristic(c credit.Characteristic, f *CharacteristicFit, factor decimal.Decimal, opts FitOptions, res *FitResult) credit.Characteristic {
	bn := f.Binning
	out := credit.Characteristic{
		ID: c.ID, Indicator: c.Indicator, Pillar: c.Pillar, Reason: c.Reason, Description: c.Description,
		Direction: credit.NoDirection,
	}
	switch bn.Trend {
	case TrendDescending:
		out.Direction = credit.Increasing
	case TrendAscending:
		out.Direction = credit.Decreasing
	}
	pre := "quantile pre-bins"
	if opts.Bins == BinsParent {
		pre = "the parent's bins as pre-bins"
	}
	shape := "categories merged by default rate"
	if bn.Trend != "" {
		shape = "pooled to " + article(string(bn.Trend)) + " " + string(bn.Trend) + " default rate"
	}
	unit := "pdo/ln 2 of the parent's scaling"
	if res.PointScale != 0 {
		unit = fmt.Sprintf("pdo/ln 2 of the parent's scaling x %s, the slope of the score-to-PD mapping on the calibration records over the parent's", strconv.FormatFloat(round6(res.PointScale), 'f', -1, 64))
	}
	out.Source = fmt.Sprintf("[%s] IV %.4f; coefficient %.6f (standard error %.6f) on the WoE; points = -coefficient x WoE x %s (%s), whole points; %s, %s.",
		fitSourceID, bn.IV, f.Coef, f.StdErr, factor.StringFixed(6), unit, pre, shape)
	for _, b := range bn.Bins {
		if b.Categories != nil {
			out.Categories = append(out.Categories, credit.CategoryBin{
				Values: b.Categories, Points: pointsOf(f.Coef, b.WoE, factor),
				Reason: categoryReason(c, b.Categories), Source: binSource(&b),
			})
			continue
		}
		out.Bins = append(out.Bins, credit.Bin{
			Lower: b.Lower, Upper: b.Upper, Points: pointsOf(f.Coef, b.WoE, factor),
			Reason: rangeReason(c, b.Lower, b.Upper), Source: binSource(&b),
		})
	}
	out.Missing = credit.MissingBin{Points: pointsOf(f.Coef, bn.Missing.WoE, factor), Reason: c.Missing.Reason, Source: binSource(&bn.Missing)}
	return out
}

func binSource(b *BinStat) string {
	s := fmt.Sprintf("[%s] %d records, %d defaults", fitSourceID, b.Records, b.Defaults)
	if b.Records > 0 {
		s += fmt.Sprintf(" (%.2f%%)", 100*b.DefaultRate())
	}
	if b.WoEFrom != "" {
		return s + fmt.Sprintf("; WoE %.6f: %s.", round6(b.WoE), b.WoEFrom)
	}
	return s + fmt.Sprintf("; WoE %.6f.", round6(b.WoE))
}

// rangeReason returns the reason code of the parent's bins that [lo, up)
// overlaps when they all share one (so that the text holds for every
// value of the fitted bin); otherwise "" (the characteristic's own).
func rangeReason(c credit.Characteristic, lo, up *decimal.Decimal) string {
	reason, first := "", true
	for _, p := range c.Bins {
		if (p.Upper != nil && lo != nil && lo.Cmp(*p.Upper) >= 0) || (p.Lower != nil && up != nil && p.Lower.Cmp(*up) >= 0) {
			continue
		}
		r := p.Reason
		if first {
			reason, first = r, false
		} else if r != reason {
			return ""
		}
	}
	return reason
}

func categoryReason(c credit.Characteristic, values []string) string {
	reason, first := "", true
	for _, p := range c.Categories {
		for _, v := range values {
			for _, pv := range p.Values {
				if pv != v {
					continue
				}
				if first {
					reason, first = p.Reason, false
				} else if p.Reason != reason {
					return ""
				}
			}
		}
	}
	return reason
}

// zeroed is the parent's characteristic with 0 points everywhere: the
// data do not support points for it.
func zeroed(c credit.Characteristic, f *CharacteristicFit) credit.Characteristic {
	why := fmt.Sprintf("[%s] 0 points: %s (%s).", fitSourceID, f.Status, f.Detail)
	out := c
	out.Weight = decimal.NullDecimal{}
	out.Source = why
	out.Bins = nil
	for _, b := range c.Bins {
		b.Points, b.Source = decimal.Zero, why
		out.Bins = append(out.Bins, b)
	}
	out.Categories = nil
	for _, b := range c.Categories {
		b.Points, b.Source = decimal.Zero, why
		out.Categories = append(out.Categories, b)
	}
	out.Missing.Points, out.Missing.Source = decimal.Zero, why
	return out
}

// fitScaling scores the training records under the fitted points, fits
// logit(PD) = a + b·(score - base_score), shifts a to the prior and
// writes the scaling, the sources and the description; it loads the
// result into res.
func fitScaling(parent *credit.RuleSet, child credit.RuleSet, train *Dataset, opts FitOptions, res *FitResult) error {
	provisional, err := credit.NewRuleSet(child)
	if err != nil {
		return fmt.Errorf("calibrate: the fitted rule set does not load: %w", err)
	}
	eng, err := engineFor(parent, provisional, opts.Rates)
	if err != nil {
		return err
	}
	s, err := scores(eng, train)
	if err != nil {
		return err
	}
	if res.Train, err = discriminateScores(s, train); err != nil {
		return err
	}
	cal := train
	if opts.CalibrationData != nil {
		cal = opts.CalibrationData
		if s, err = scores(eng, cal); err != nil {
			return err
		}
	}
	res.CalibrationDigest, res.CalibrationRecords, res.CalibrationDefaults = cal.Digest(), len(cal.Examples), cal.Defaults()
	res.CalibrationRate = float64(res.CalibrationDefaults) / float64(res.CalibrationRecords)
	ps := parent.Scaling
	x := make([][]float64, len(s))
	y := make([]bool, len(s))
	for i := range s {
		x[i] = []float64{float64(s[i] - ps.BaseScore)}
		y[i] = cal.Examples[i].Defaulted
	}
	lf, err := FitLogit(x, y, LogitOptions{})
	if err != nil {
		return fmt.Errorf("calibrate: fitting PD to the score: %w", err)
	}
	a, b := lf.Coef[0], lf.Coef[1]
	if !(b < 0) {
		return fmt.Errorf("calibrate: the fitted PD does not fall as the score rises (slope %.6g): the points do not rank risk", b)
	}
	res.ScoreIntercept, res.ScoreSlope = round6(a), b
	shift := 0.0
	if res.Prior != res.CalibrationRate {
		if shift, err = PriorShift(res.Prior, res.CalibrationRate); err != nil {
			return err
		}
	}
	res.PriorShift = round6(shift)
	pdo := decimal.RequireFromString(strconv.FormatFloat(math.Ln2/-b, 'f', 2, 64))
	odds := decimal.RequireFromString(strconv.FormatFloat(math.Exp(-(a + shift)), 'g', 6, 64))
	if pdo.Sign() <= 0 || odds.Sign() <= 0 {
		return fmt.Errorf("calibrate: fitted scaling out of range (pdo %s, base odds %s)", pdo, odds)
	}
	res.PDO, res.BaseOdds = pdo.String(), odds.String()
	child.Scaling = &credit.Scaling{
		BaseScore: ps.BaseScore, BaseOdds: odds, PDO: pdo, MinScore: ps.MinScore, MaxScore: ps.MaxScore,
		BasePoints: ps.BasePoints,
		Source: fmt.Sprintf("[%s] logit(PD) = %.6f %s %.8f x (score - %d) fitted on the %d %s (maximum likelihood); pdo = ln 2 / %.8f = %s; intercept %+.6f = ln[(prior/(1-prior)) / (rate/(1-rate))] for prior %s and sample default rate %s [king-zeng-2001], so base_odds (good:bad at %d) = exp(-(%.6f %+.6f)) = %s. min_score, max_score and base_points are the parent's.",
			fitSourceID, a, signWord(b), math.Abs(b), ps.BaseScore, len(s), calibrationWhat(opts, res), -b, pdo, shift,
			fmtRate(res.Prior), fmtRate(res.CalibrationRate), ps.BaseScore, a, shift, odds),
	}
	child.Sources = fitSources(res, opts, parent)
	rs, err := credit.NewRuleSet(child)
	if err != nil {
		return fmt.Errorf("calibrate: the fitted rule set does not load: %w", err)
	}
	js, err := rs.JSON()
	if err != nil {
		return err
	}
	res.RuleSet, res.JSON = rs, js
	return nil
}

// pointScaleNote says how the points were scaled with FitOptions.KeepPDO.
func pointScaleNote(res *FitResult) string {
	if res.PointScale == 0 {
		return ""
	}
	return fmt.Sprintf(", scaled by %s so that the score-to-PD mapping keeps the parent's pdo", strconv.FormatFloat(round6(res.PointScale), 'f', -1, 64))
}

// calibrationWhat names the scores the score-to-PD mapping is fitted on.
func calibrationWhat(opts FitOptions, res *FitResult) string {
	if opts.CalibrationData == nil {
		return "training scores"
	}
	return fmt.Sprintf("scores of the calibration records (%s, %d defaults)", res.CalibrationDigest, res.CalibrationDefaults)
}

func signWord(b float64) string {
	if b < 0 {
		return "-"
	}
	return "+"
}

func fmtRate(r float64) string { return strconv.FormatFloat(round6(r), 'f', -1, 64) }

func fitSources(res *FitResult, opts FitOptions, parent *credit.RuleSet) []credit.Source {
	var kept []string
	for _, f := range res.Characteristics {
		if f.Status == StatusKept {
			kept = append(kept, fmt.Sprintf("%s (IV %.4f)", f.ID, f.Binning.IV))
		}
	}
	bins := "quantile pre-bins"
	if opts.Bins == BinsParent {
		bins = "the parent's bins as pre-bins"
	}
	bo := opts.Binning.withDefaults()
	hold := "no holdout"
	if res.Holdout != nil {
		hold = fmt.Sprintf("the same method fitted without a held-out cut of %d records (%d defaults, chosen by a hash of record_id) reaches AUC %.4f (95%% CI %.4f-%.4f) on it",
			res.HoldoutRecords, res.HoldoutDefaults, res.Holdout.AUC, res.Holdout.AUCLow, res.Holdout.AUCHigh)
	}
	return []credit.Source{
		{
			ID:    fitSourceID,
			Title: "Fitted with creditsco credit/calibrate on labelled records",
			Citation: fmt.Sprintf("Training data %s: %d records, %d defaults (sample default rate %s); prior %s. Parent %s %s (%s). "+
				"Method: %s (at most %d pre-bins, %d bins) merged into the bins of the largest information value with a strictly monotone (or, without a declared direction, unimodal) default rate, each of at least %.4g of the records and %d defaults and %d non-defaults (optimal binning, exact dynamic programming); "+
				"missing values binned on their own; weight of evidence ln(share of non-defaults / share of defaults); IV floor %.4g; WoE correlation at most %.4g; "+
				"logistic regression by Newton-Raphson (L2 %.4g, %d iterations), coefficients that would flip a trend dropped; points in the parent's scaling%s. "+
				"Kept: %s. Score-to-PD mapping fitted on the %s. Fit statistics: intercept %.6f; training AUC %.4f (95%% CI %.4f-%.4f), Gini %.4f, KS %.4f; %s.",
				res.Digest, res.Records, res.Defaults, fmtRate(res.SampleRate), fmtRate(res.Prior),
				parent.ID, parent.Version, parent.Digest(),
				bins, bo.MaxPrebins, bo.MaxBins, bo.MinBinShare, bo.MinBinDefaults, bo.MinBinNonDefaults,
				opts.MinIV, opts.MaxCorrelation, opts.L2, res.Iterations, pointScaleNote(res),
				strings.Join(kept, ", "), calibrationWhat(opts, res), res.Intercept, res.Train.AUC, res.Train.AUCLow, res.Train.AUCHigh, res.Train.Gini, res.Train.KS, hold),
		},
		{
			ID:       "king-zeng-2001",
			Title:    "King and Zeng: Logistic Regression in Rare Events Data, Political Analysis 9(2):137-163 (2001)",
			Citation: "Section 4.1, prior correction: under sampling on the outcome the slopes are consistent and only the intercept moves, by ln[(prior/(1-prior))·((1-rate)/rate)].",
		},
	}
}

// article is the indefinite article of an English word: "an ascending",
// "a valley".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
