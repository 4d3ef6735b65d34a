package calibrate

import (
	"fmt"
	"hash/fnv"
	"math"
	"strconv"

	"github.com/creditsco/creditsco/credit"
)

// CVOptions configures CrossValidate. The zero value means 5 folds, one
// repeat.
type CVOptions struct {
	// Folds is the number of folds, 2 to 20; 0 means 5.
	Folds int
	// Repeats is the number of repeats, each with its own assignment of
	// records to folds, 1 to 20; 0 means 1. Repeats average out the luck
	// of one split, which on a few thousand records moves the AUC by about
	// as much as the options being compared.
	Repeats int
}

// CVResult is the out-of-sample discrimination of a fitting method,
// estimated by cross-validation.
type CVResult struct {
	// Folds and Repeats are the options used.
	Folds   int `json:"folds"`
	Repeats int `json:"repeats"`
	// AUC is the mean over the repeats of RepeatAUC.
	AUC float64 `json:"auc"`
	// RepeatAUC holds, per repeat, the AUC of the pooled out-of-fold
	// scores: every record scored by the rule set fitted without its
	// fold. The scores of all folds are in the parent's point scale, so
	// they can be pooled.
	RepeatAUC []float64 `json:"repeat_auc"`
	// StdErr is the standard deviation of RepeatAUC over √Repeats (0 with
	// one repeat): how much of a difference between two methods the split
	// alone could explain.
	StdErr float64 `json:"std_err"`
}

// CrossValidate estimates the out-of-sample discrimination of Fit with
// opts on data by k-fold cross-validation: the records are assigned to
// folds by a hash of their record_id and the repeat number (so the
// assignment does not depend on input order, and two methods compared on
// the same data see the same folds), a rule set is fitted without each
// fold (opts.Holdout is ignored) and scores that fold. Use it to choose
// fitting options (pre-bins, minimum bin share, IV floor, correlation
// threshold, L2, candidate characteristics) on training data alone,
// leaving out-of-time data for the final test.
func CrossValidate(parent *credit.RuleSet, data *Dataset, opts FitOptions, cv CVOptions) (*CVResult, error) {
	if cv.Folds == 0 {
		cv.Folds = 5
	}
	if cv.Repeats == 0 {
		cv.Repeats = 1
	}
	if cv.Folds < 2 || cv.Folds > 20 {
		return nil, fmt.Errorf("calibrate: %d folds: want 2 to 20", cv.Folds)
	}
	if cv.Repeats < 1 || cv.Repeats > 20 {
		return nil, fmt.Errorf("calibrate: %d repeats: want 1 to 20", cv.Repeats)
	}
	opts, err := opts.resolve(parent, data)
	if err != nil {
		return nil, err
	}
	// Only discrimination is measured: no holdout inside a fold, and no
	// score-to-PD mapping (the points alone rank the records).
	opts.Holdout, opts.CalibrationData = 0, nil
	res := &CVResult{Folds: cv.Folds, Repeats: cv.Repeats}
	// Indicators are computed once for every record and shared by the
	// folds.
	all := computeIndicators(parent, data, opts.Rates)
	for r := range cv.Repeats {
		fold := make([]int, len(data.Examples))
		salt := "cv" + strconv.Itoa(r) + ":"
		for i := range data.Examples {
			h := fnv.New32a()
			h.Write([]byte(salt + data.Examples[i].Record.RecordID))
			fold[i] = int(h.Sum32() % uint32(cv.Folds))
		}
		risk := make([]float64, len(data.Examples))
		y := make([]bool, len(data.Examples))
		for f := range cv.Folds {
			var train, test Dataset
			var at, in []int
			for i := range data.Examples {
				if fold[i] == f {
					test.Examples = append(test.Examples, data.Examples[i])
					at = append(at, i)
				} else {
					train.Examples = append(train.Examples, data.Examples[i])
					in = append(in, i)
				}
			}
			values := func(id string) []credit.IndicatorValue {
				col := all(id)
				out := make([]credit.IndicatorValue, len(in))
				for k, i := range in {
					out[k] = col[i]
				}
				return out
			}
			if len(test.Examples) == 0 {
				continue
			}
			if err := train.check(); err != nil {
				return nil, fmt.Errorf("calibrate: repeat %d, fold %d: training part: %w", r+1, f+1, err)
			}
			fit, err := fitCore(parent, &train, opts, values, nil, 0, 0, false)
			if err != nil {
				return nil, fmt.Errorf("calibrate: repeat %d, fold %d: %w", r+1, f+1, err)
			}
			eng, err := engineFor(parent, fit.RuleSet, opts.Rates)
			if err != nil {
				return nil, err
			}
			s, err := scores(eng, &test)
			if err != nil {
				return nil, err
			}
			for k, i := range at {
				risk[i] = -float64(s[k])
				y[i] = data.Examples[i].Defaulted
			}
		}
		d, err := AUC(risk, y)
		if err != nil {
			return nil, err
		}
		res.RepeatAUC = append(res.RepeatAUC, round6(d.AUC))
		res.AUC += d.AUC
	}
	res.AUC /= float64(cv.Repeats)
	if cv.Repeats > 1 {
		var ss float64
		for _, a := range res.RepeatAUC {
			ss += sq(a - res.AUC)
		}
		res.StdErr = round6(math.Sqrt(ss/float64(cv.Repeats-1)) / math.Sqrt(float64(cv.Repeats)))
	}
	res.AUC = round6(res.AUC)
	return res, nil
}
