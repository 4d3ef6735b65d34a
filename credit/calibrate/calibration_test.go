package calibrate

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
)

var pl3 = sync.OnceValues(func() (*Dataset, error) { return readFile(trainDir + "pl3.ndjson.gz") })

func trainPL3(t testing.TB) *Dataset {
	t.Helper()
	d, err := pl3()
	require.NoError(t, err)
	require.Len(t, d.Examples, 1516)
	require.Equal(t, 468, d.Defaults())
	return d
}

// TestFitCalibrationData: with CalibrationData the points come from the
// training records and the score-to-PD mapping from the calibration
// records: the same points as without it, a slope fitted on the other
// year's scores, and an intercept moved from that year's default rate.
func TestFitCalibrationData(t *testing.T) {
	d2, d3 := trainPL2(t), trainPL3(t)
	opts := FitOptions{ID: "T", Version: "1.0.0", Prior: 0.05}
	own, err := Fit(credit.DefaultRuleSet(), d2, opts)
	require.NoError(t, err)
	opts.CalibrationData = d3
	cal, err := Fit(credit.DefaultRuleSet(), d2, opts)
	require.NoError(t, err)

	for i, c := range own.RuleSet.Characteristics {
		assert.Equal(t, c.Bins, cal.RuleSet.Characteristics[i].Bins, "points do not depend on the calibration data: %s", c.ID)
	}
	assert.Equal(t, own.Train, cal.Train, "training discrimination is that of the training records")
	assert.Equal(t, d2.Digest(), own.CalibrationDigest)
	assert.Equal(t, d3.Digest(), cal.CalibrationDigest)
	assert.Equal(t, 1516, cal.CalibrationRecords)
	assert.Equal(t, 468, cal.CalibrationDefaults)
	assert.InDelta(t, 468.0/1516, cal.CalibrationRate, 1e-12)
	shift, err := PriorShift(0.05, 468.0/1516)
	require.NoError(t, err)
	assert.InDelta(t, shift, cal.PriorShift, 1e-6, "the intercept moves from the calibration records' rate")

	// The slope is that of a logistic regression on pl3's scores.
	eng, err := engineFor(credit.DefaultRuleSet(), cal.RuleSet, nil)
	require.NoError(t, err)
	s, err := scores(eng, d3)
	require.NoError(t, err)
	x := make([][]float64, len(s))
	y := make([]bool, len(s))
	for i := range s {
		x[i] = []float64{float64(s[i] - 600)}
		y[i] = d3.Examples[i].Defaulted
	}
	lf, err := FitLogit(x, y, LogitOptions{})
	require.NoError(t, err)
	assert.InDelta(t, lf.Coef[1], cal.ScoreSlope, 1e-12)
	assert.NotEqual(t, own.ScoreSlope, cal.ScoreSlope)
	assert.Contains(t, cal.RuleSet.Scaling.Source, "calibration records ("+d3.Digest())

	// Unusable calibration data is an error, not a NaN.
	_, err = Fit(credit.DefaultRuleSet(), d2, FitOptions{CalibrationData: &Dataset{}})
	assert.ErrorIs(t, err, ErrTooFewRecords)
	noBad := d3.Filter(func(e *Example) bool { return !e.Defaulted })
	_, err = Fit(credit.DefaultRuleSet(), d2, FitOptions{CalibrationData: noBad})
	assert.ErrorIs(t, err, ErrNoDefaults)
	assert.ErrorContains(t, err, "calibration data")
}

// TestFitKeepPDO: the fitted points are scaled so that the fitted pdo is
// the parent's, to the rounding of whole points; without KeepPDO the
// pdo carries the calibration data's slope instead. Points fitted on pl3
// separate pl2 much less steeply, so the two differ a lot.
func TestFitKeepPDO(t *testing.T) {
	d2, d3 := trainPL2(t), trainPL3(t)
	parent := credit.DefaultRuleSet()
	plain, err := Fit(parent, d3, FitOptions{CalibrationData: d2})
	require.NoError(t, err)
	kept, err := Fit(parent, d3, FitOptions{CalibrationData: d2, KeepPDO: true})
	require.NoError(t, err)
	assert.Zero(t, plain.PointScale)
	parentPDO := parent.Scaling.PDO.InexactFloat64()
	// The scale is the slope on the calibration records over the parent's.
	assert.InDelta(t, -plain.ScoreSlope*parentPDO/math.Ln2, kept.PointScale, 1e-6)
	assert.Less(t, kept.PointScale, 0.8)
	pdo := kept.RuleSet.Scaling.PDO.InexactFloat64()
	assert.InDelta(t, parentPDO, pdo, 0.05*parentPDO, "pdo %v against the parent's %v", pdo, parentPDO)
	assert.Greater(t, plain.RuleSet.Scaling.PDO.InexactFloat64(), 1.25*parentPDO)
	// Every kept characteristic's points shrank by the scale (to rounding).
	for i, c := range kept.RuleSet.Characteristics {
		p := plain.RuleSet.Characteristics[i]
		require.Equal(t, p.ID, c.ID)
		for j, b := range c.Bins {
			want := p.Bins[j].Points.InexactFloat64() * kept.PointScale
			assert.InDelta(t, want, b.Points.InexactFloat64(), 1, "%s bin %d", c.ID, j)
		}
	}
	assert.Contains(t, string(kept.JSON), "so that the score-to-PD mapping keeps the parent's pdo")
	assert.NotContains(t, string(plain.JSON), "keeps the parent's pdo")
}

// TestCrossValidate: deterministic, independent of the input order (the
// folds come from record ids), with one AUC per repeat, and checked
// options.
func TestCrossValidate(t *testing.T) {
	d := trainPL2(t)
	parent := credit.DefaultRuleSet()
	opts := FitOptions{Characteristics: []string{"fin_interest_coverage", "fin_ems", "fin_revenue_growth_real"}}
	cv, err := CrossValidate(parent, d, opts, CVOptions{Folds: 4, Repeats: 2})
	require.NoError(t, err)
	assert.Equal(t, 4, cv.Folds)
	assert.Equal(t, 2, cv.Repeats)
	require.Len(t, cv.RepeatAUC, 2)
	assert.InDelta(t, (cv.RepeatAUC[0]+cv.RepeatAUC[1])/2, cv.AUC, 1e-6)
	assert.Greater(t, cv.AUC, 0.6)
	assert.Less(t, cv.AUC, 0.8)
	assert.Positive(t, cv.StdErr)

	shuffled := &Dataset{Examples: append([]Example(nil), d.Examples...)}
	rand.New(rand.NewPCG(1, 1)).Shuffle(len(shuffled.Examples), func(i, j int) {
		shuffled.Examples[i], shuffled.Examples[j] = shuffled.Examples[j], shuffled.Examples[i]
	})
	again, err := CrossValidate(parent, shuffled, opts, CVOptions{Folds: 4, Repeats: 2})
	require.NoError(t, err)
	assert.Equal(t, cv, again, "folds by record id: the order of the input does not matter")

	one, err := CrossValidate(parent, d, opts, CVOptions{Folds: 4})
	require.NoError(t, err)
	assert.Equal(t, cv.RepeatAUC[0], one.RepeatAUC[0], "repeat 1 has the same folds whatever the number of repeats")
	assert.Zero(t, one.StdErr)

	for _, bad := range []CVOptions{{Folds: 1}, {Folds: 21}, {Repeats: 21}, {Folds: -1}} {
		_, err := CrossValidate(parent, d, opts, bad)
		assert.Error(t, err, "%+v", bad)
	}
	_, err = CrossValidate(parent, &Dataset{}, opts, CVOptions{})
	assert.ErrorIs(t, err, ErrTooFewRecords)
	_, err = CrossValidate(parent, d, FitOptions{Prior: 2}, CVOptions{})
	assert.Error(t, err)
	// A fold whose training part has no default is a clear error.
	first := d.Examples[slices.IndexFunc(d.Examples, func(e Example) bool { return e.Defaulted })].Record.RecordID
	few := d.Filter(func(e *Example) bool { return !e.Defaulted || e.Record.RecordID == first })
	require.Equal(t, 1, few.Defaults())
	_, err = CrossValidate(parent, few, opts, CVOptions{Folds: 2})
	assert.ErrorIs(t, err, ErrNoDefaults)
}

// TestCrossValidateConcurrent: cross-validations of one parent and one
// dataset may run at the same time (MODEL.md's study does), with the same
// results as one after the other.
func TestCrossValidateConcurrent(t *testing.T) {
	d := trainPL2(t)
	parent := credit.DefaultRuleSet()
	opts := []FitOptions{{}, {MaxCorrelation: 0.9, Binning: BinningOptions{MinBinShare: 0.08}}}
	want := make([]*CVResult, len(opts))
	for i, o := range opts {
		var err error
		want[i], err = CrossValidate(parent, d, o, CVOptions{Folds: 2})
		require.NoError(t, err)
	}
	got := make([]*CVResult, len(opts))
	errs := make([]error, len(opts))
	var wg sync.WaitGroup
	for i, o := range opts {
		wg.Go(func() { got[i], errs[i] = CrossValidate(parent, d, o, CVOptions{Folds: 2}) })
	}
	wg.Wait()
	for i := range opts {
		require.NoError(t, errs[i])
		assert.Equal(t, want[i], got[i])
	}
}
