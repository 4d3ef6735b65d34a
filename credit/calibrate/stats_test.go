package calibrate

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The worked numbers below are those of the team's calibration reference
// sheet (calibration-facts.md), computed independently in plain Python.

func TestAUCWithTies(t *testing.T) {
	// Bads {0.8, 0.6, 0.6}, goods {0.6, 0.4, 0.4, 0.2}: pair credits
	// 4 + 3.5 + 3.5 = 11 of 12.
	risk := []float64{0.8, 0.6, 0.6, 0.6, 0.4, 0.4, 0.2}
	bad := []bool{true, true, true, false, false, false, false}
	d, err := AUC(risk, bad)
	require.NoError(t, err)
	assert.InDelta(t, 11.0/12, d.AUC, 1e-12)
	assert.InDelta(t, 0.833333, d.Gini, 1e-6)
	assert.InDelta(t, 0.093169, d.AUCStdErr, 1e-6, "DeLong")
	assert.InDelta(t, 0.7341, d.AUCLow, 1e-4)
	assert.Equal(t, 1.0, d.AUCHigh, "clipped")
	assert.InDelta(t, 0.75, d.KS, 1e-12)
	assert.Equal(t, 0.6, d.KSAt, "records at or above 0.6 against the rest")
	assert.Equal(t, int64(3), d.Bad)
	assert.Equal(t, int64(4), d.Good)

	// Order and grouping do not matter.
	d2, err := Discriminate([]RiskCount{{Risk: 0.2, Good: 1}, {Risk: 0.6, Bad: 2, Good: 1}, {Risk: 0.4, Good: 2}, {Risk: 0.8, Bad: 1}})
	require.NoError(t, err)
	assert.Equal(t, d, d2)
}

func TestAUCSmallAndDegenerate(t *testing.T) {
	// One record per class: Hanley-McNeil, no NaN.
	d, err := AUC([]float64{1, 0}, []bool{true, false})
	require.NoError(t, err)
	assert.Equal(t, 1.0, d.AUC)
	assert.False(t, math.IsNaN(d.AUCStdErr))
	// All tied: 0.5.
	d, err = AUC([]float64{3, 3, 3}, []bool{true, false, false})
	require.NoError(t, err)
	assert.Equal(t, 0.5, d.AUC)
	assert.Equal(t, 0.0, d.KS)

	_, err = AUC([]float64{1, 2}, []bool{false, false})
	assert.ErrorIs(t, err, ErrNoDefaults)
	_, err = AUC([]float64{1, 2}, []bool{true, true})
	assert.ErrorIs(t, err, ErrNoNonDefaults)
	_, err = AUC(nil, nil)
	assert.ErrorIs(t, err, ErrNoDefaults)
	_, err = AUC([]float64{1}, []bool{true, false})
	assert.Error(t, err)
	_, err = AUC([]float64{math.NaN(), 1}, []bool{true, false})
	assert.Error(t, err)
}

func TestPSI(t *testing.T) {
	psi, err := PSI([]int64{25, 25, 25, 25}, []int64{30, 25, 25, 20})
	require.NoError(t, err)
	assert.InDelta(t, 0.020273, psi, 1e-6)

	// An empty bucket: 0.5 added to every bucket of that sample.
	psi, err = PSI([]int64{10, 0}, []int64{5, 5})
	require.NoError(t, err)
	assert.InDelta(t, 1.383874, psi, 1e-6)

	same, err := PSI([]int64{3, 7}, []int64{30, 70})
	require.NoError(t, err)
	assert.InDelta(t, 0, same, 1e-15)

	_, err = PSI([]int64{0, 0}, []int64{1, 1})
	assert.ErrorIs(t, err, ErrTooFewRecords)
	_, err = PSI([]int64{1}, []int64{1, 1})
	assert.Error(t, err)
	_, err = PSI([]int64{-1, 2}, []int64{1, 1})
	assert.Error(t, err)

	for v, want := range map[float64]string{0: "no significant change", 0.0999: "no significant change", 0.1: "some change", 0.1991: "some change", 0.25: "major shift", 1.38: "major shift"} {
		assert.Equal(t, want, PSIReading(v), v)
	}
}

func TestJeffreysAndBinomial(t *testing.T) {
	for _, tc := range []struct {
		n, d            int64
		pd              float64
		jeffreys, binom float64
	}{
		{500, 12, 0.01, 0.0031747, 0.0052080},
		{300, 9, 0.03, 0.478577, 0.546358},
		{200, 20, 0.08, 0.148777, 0.178873},
		{1000, 41, 0.03, 0.024918, math.NaN()},
	} {
		p, err := JeffreysTest(tc.n, tc.d, tc.pd)
		require.NoError(t, err)
		assert.InDelta(t, tc.jeffreys, p, 5e-7, "Jeffreys %d/%d at %v", tc.d, tc.n, tc.pd)
		if !math.IsNaN(tc.binom) {
			b, err := BinomialTest(tc.n, tc.d, tc.pd)
			require.NoError(t, err)
			assert.InDelta(t, tc.binom, b, 5e-7, "binomial %d/%d at %v", tc.d, tc.n, tc.pd)
		}
	}
	// The 90% equal-tailed interval is the 5% and 95% quantiles.
	lo, hi, err := JeffreysInterval(500, 12, 0.90)
	require.NoError(t, err)
	assert.InDelta(t, 0.014673, lo, 5e-7)
	assert.InDelta(t, 0.037377, hi, 5e-7)

	// Edges: no defaults, PD 0 and 1, bad input.
	p, err := JeffreysTest(10, 0, 0.5)
	require.NoError(t, err)
	assert.Greater(t, p, 0.99)
	p, _ = JeffreysTest(10, 3, 0)
	assert.Equal(t, 0.0, p)
	p, _ = JeffreysTest(10, 3, 1)
	assert.Equal(t, 1.0, p)
	b, _ := BinomialTest(10, 0, 0.5)
	assert.Equal(t, 1.0, b)
	_, err = JeffreysTest(0, 0, 0.1)
	assert.ErrorIs(t, err, ErrTooFewRecords)
	_, err = JeffreysTest(5, 6, 0.1)
	assert.Error(t, err)
	_, err = JeffreysTest(5, 1, math.NaN())
	assert.Error(t, err)
	_, _, err = JeffreysInterval(5, 1, 1)
	assert.Error(t, err)
}

func TestWoE(t *testing.T) {
	// 30 of 100 non-defaults and 10 of 50 defaults: ln(0.3/0.2).
	w, iv, err := WoE(30, 10, 100, 50)
	require.NoError(t, err)
	assert.InDelta(t, 0.405465, w, 1e-6)
	assert.InDelta(t, 0.0405465, iv, 1e-7)
	// A riskier bin than average has a negative WoE; IV is positive both
	// ways.
	w, iv, err = WoE(10, 20, 100, 50)
	require.NoError(t, err)
	assert.InDelta(t, math.Log(0.1/0.4), w, 1e-12)
	assert.InDelta(t, 0.3*math.Log(4), iv, 1e-12)

	_, _, err = WoE(0, 5, 100, 50)
	assert.Error(t, err, "no finite WoE")
	_, _, err = WoE(1, 1, 0, 50)
	assert.ErrorIs(t, err, ErrNoNonDefaults)
	_, _, err = WoE(1, 1, 10, 0)
	assert.ErrorIs(t, err, ErrNoDefaults)
}

func TestPriorShiftAndBrier(t *testing.T) {
	s, err := PriorShift(0.02, 0.5)
	require.NoError(t, err)
	assert.InDelta(t, -3.891820, s, 1e-6)
	assert.InDelta(t, 0.02, sigmoid(logit(0.5)+s), 1e-12)
	assert.InDelta(t, 0.008671, sigmoid(logit(0.3)+s), 1e-6)
	_, err = PriorShift(0, 0.5)
	assert.Error(t, err)
	_, err = PriorShift(0.1, 1)
	assert.Error(t, err)

	// Grade-level Brier of the three-grade example: 0.038620.
	var pd []float64
	var y []bool
	for _, g := range []struct {
		n, d int
		pd   float64
	}{{500, 12, 0.01}, {300, 9, 0.03}, {200, 20, 0.08}} {
		for i := range g.n {
			pd = append(pd, g.pd)
			y = append(y, i < g.d)
		}
	}
	b, err := Brier(pd, y)
	require.NoError(t, err)
	assert.InDelta(t, 0.038620, b, 1e-6)
	_, err = Brier(nil, nil)
	assert.ErrorIs(t, err, ErrTooFewRecords)
}

func TestFitLogit(t *testing.T) {
	// Binary regressor: the MLE is saturated, intercept logit(1/4) and
	// slope logit(3/4) - logit(1/4); standard errors sqrt(1/1 + 1/3) and
	// sqrt(1/1 + 1/3 + 1/3 + 1/1).
	x := [][]float64{{0}, {0}, {0}, {0}, {1}, {1}, {1}, {1}}
	y := []bool{true, false, false, false, true, true, true, false}
	f, err := FitLogit(x, y, LogitOptions{})
	require.NoError(t, err)
	assert.InDelta(t, math.Log(1.0/3), f.Coef[0], 1e-9)
	assert.InDelta(t, 2*math.Log(3), f.Coef[1], 1e-9)
	assert.InDelta(t, math.Sqrt(4.0/3), f.StdErr[0], 1e-6)
	assert.InDelta(t, math.Sqrt(8.0/3), f.StdErr[1], 1e-6)

	// Separable: defaults exactly above 2.5. No MLE.
	sx := [][]float64{{1}, {2}, {3}, {4}}
	sy := []bool{false, false, true, true}
	_, err = FitLogit(sx, sy, LogitOptions{})
	assert.ErrorIs(t, err, ErrSeparation)
	// A ridge penalty makes it well posed.
	f, err = FitLogit(sx, sy, LogitOptions{L2: 1})
	require.NoError(t, err)
	assert.Greater(t, f.Coef[1], 0.0)
	assert.Less(t, f.Coef[1], 50.0)

	// Same input, same bits.
	g, err := FitLogit(sx, sy, LogitOptions{L2: 1})
	require.NoError(t, err)
	assert.Equal(t, f, g)

	_, err = FitLogit(x, make([]bool, 8), LogitOptions{})
	assert.ErrorIs(t, err, ErrNoDefaults)
	_, err = FitLogit([][]float64{{math.Inf(1)}, {0}}, []bool{true, false}, LogitOptions{})
	assert.Error(t, err)
	_, err = FitLogit(nil, nil, LogitOptions{})
	assert.ErrorIs(t, err, ErrTooFewRecords)
}

func TestPointsScaling(t *testing.T) {
	// pdo 20: factor 20/ln 2 = 28.853901; points -β·WoE·factor rounded.
	factor := dec6(20).DivRound(ln2, 24)
	assert.Equal(t, "28.853901", factor.StringFixed(6))
	assert.Equal(t, "12", pointsOf(-0.8, 0.5, factor).String())   // 11.5416
	assert.Equal(t, "-10", pointsOf(-1.2, -0.3, factor).String()) // -10.3874
}
