package calibrate

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
)

func numInfo(id string) credit.IndicatorInfo {
	return credit.IndicatorInfo{ID: id, Kind: credit.Numeric, Scale: 4}
}

func nums(vs ...string) []credit.IndicatorValue {
	out := make([]credit.IndicatorValue, len(vs))
	for i, v := range vs {
		if v == "" {
			out[i] = credit.IndicatorValue{Missing: credit.MissingField}
			continue
		}
		out[i] = credit.IndicatorValue{Num: decimal.RequireFromString(v)}
	}
	return out
}

// TestBinIndicatorByHand: 12 values, 4 pre-bins of 3; default rates 2/3,
// 2/3, 1/3, 0 fall, so a descending trend keeps them apart except the
// first two, which PAVA pools (equal rates); the last bin has no default
// and is merged with its neighbour.
func TestBinIndicatorByHand(t *testing.T) {
	values := nums("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")
	y := []bool{true, true, false, true, false, true, true, false, false, false, false, false}
	b, err := BinIndicator(numInfo("x"), values, y, BinningOptions{MaxPrebins: 4, MinBinShare: 0.01, MinBinDefaults: 1, MinBinNonDefaults: 1, Trend: TrendDescending})
	require.NoError(t, err)
	require.Len(t, b.Bins, 2)
	assert.Nil(t, b.Bins[0].Lower)
	assert.Equal(t, "7", b.Bins[0].Upper.String())
	assert.Equal(t, "7", b.Bins[1].Lower.String())
	assert.Nil(t, b.Bins[1].Upper)
	assert.Equal(t, int64(6), b.Bins[0].Records)
	assert.Equal(t, int64(4), b.Bins[0].Defaults)
	assert.Equal(t, int64(6), b.Bins[1].Records)
	assert.Equal(t, int64(1), b.Bins[1].Defaults)
	// 5 defaults and 7 non-defaults: WoE ln((2/7)/(4/5)) and ln((5/7)/(1/5)).
	w0, iv0, _ := WoE(2, 4, 7, 5)
	w1, iv1, _ := WoE(5, 1, 7, 5)
	assert.InDelta(t, w0, b.Bins[0].WoE, 1e-12)
	assert.InDelta(t, w1, b.Bins[1].WoE, 1e-12)
	assert.InDelta(t, iv0+iv1, b.IV, 1e-12)
	assert.Equal(t, TrendDescending, b.Trend)
	// No missing record: the missing bin takes the riskiest bin's WoE.
	assert.Equal(t, b.Bins[0].WoE, b.Missing.WoE)
	assert.NotEmpty(t, b.Missing.WoEFrom)
}

func TestBinIndicatorMissingAndEdges(t *testing.T) {
	// Missing values that meet the minimums get their own WoE.
	values := nums("1", "2", "3", "4", "", "", "", "")
	y := []bool{false, false, true, false, true, true, false, true}
	b, err := BinIndicator(numInfo("x"), values, y, BinningOptions{MinBinShare: 0.1, MinBinDefaults: 1, MinBinNonDefaults: 1, Trend: TrendAuto})
	require.NoError(t, err)
	assert.Empty(t, b.Missing.WoEFrom)
	w, _, _ := WoE(1, 3, 4, 4)
	assert.InDelta(t, w, b.Missing.WoE, 1e-12)

	// Given edges become the bounds exactly.
	values = nums("0.5", "1.2", "1.7", "2.9", "3.1", "3.3")
	y = []bool{true, true, false, true, false, false}
	b, err = BinIndicator(numInfo("x"), values, y, BinningOptions{MinBinShare: 0.1, MinBinDefaults: 1, MinBinNonDefaults: 1,
		Trend: TrendDescending, Edges: []decimal.Decimal{decimal.NewFromInt(1), decimal.NewFromInt(3)}})
	require.NoError(t, err)
	for _, bin := range b.Bins[1:] {
		require.NotNil(t, bin.Lower)
		assert.Contains(t, []string{"1", "3"}, bin.Lower.String())
	}
}

func TestBinIndicatorCategorical(t *testing.T) {
	info := credit.IndicatorInfo{ID: "c", Kind: credit.Categorical, Categories: []string{"a", "b", "c", "d"}}
	var values []credit.IndicatorValue
	var y []bool
	add := func(cat string, n, bad int) {
		for i := range n {
			values = append(values, credit.IndicatorValue{Cat: cat})
			y = append(y, i < bad)
		}
	}
	add("a", 10, 1)
	add("b", 10, 5)
	add("c", 2, 1) // too small: merged with the nearest rate (b)
	b, err := BinIndicator(info, values, y, BinningOptions{MinBinShare: 0.2, MinBinDefaults: 1, MinBinNonDefaults: 1})
	require.NoError(t, err)
	require.Len(t, b.Bins, 3, "b+c, a, and d unseen")
	assert.ElementsMatch(t, []string{"b", "c"}, b.Bins[0].Categories)
	assert.Equal(t, []string{"a"}, b.Bins[1].Categories)
	assert.Equal(t, []string{"d"}, b.Bins[2].Categories)
	assert.Equal(t, 0.0, b.Bins[2].WoE, "unseen: the sample average")
}

func TestBinIndicatorBadInput(t *testing.T) {
	_, err := BinIndicator(numInfo("x"), nums("1", "2"), []bool{false, false}, BinningOptions{})
	assert.ErrorIs(t, err, ErrNoDefaults)
	_, err = BinIndicator(numInfo("x"), nums("1", "2"), []bool{true, true}, BinningOptions{})
	assert.ErrorIs(t, err, ErrNoNonDefaults)
	_, err = BinIndicator(numInfo("x"), nil, nil, BinningOptions{})
	assert.ErrorIs(t, err, ErrTooFewRecords)
	_, err = BinIndicator(numInfo("x"), nums("1"), []bool{true, false}, BinningOptions{})
	assert.Error(t, err)
	_, err = BinIndicator(numInfo("x"), nums("1", "2"), []bool{true, false}, BinningOptions{Trend: "sideways"})
	assert.Error(t, err)
	// Every value missing: one missing bin, no NaN.
	b, err := BinIndicator(numInfo("x"), nums("", ""), []bool{true, false}, BinningOptions{})
	require.NoError(t, err)
	assert.Empty(t, b.Bins)
	assert.Equal(t, 0.0, b.IV)
}

// TestBinningRespectsTrend is a property test: on random data with any
// relation between value and default, the bins follow the declared trend
// (default rates never rise, or never fall, from bin to bin), meet the
// minimums, cover the line in order, and every WoE is finite.
func TestBinningRespectsTrend(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for iter := range 200 {
		n := 50 + rng.IntN(400)
		slope := rng.Float64()*4 - 2
		values := make([]credit.IndicatorValue, n)
		y := make([]bool, n)
		for i := range n {
			x := rng.NormFloat64()
			values[i] = credit.IndicatorValue{Num: decimal.NewFromFloat(x).Round(2)}
			if rng.IntN(10) == 0 {
				values[i] = credit.IndicatorValue{Missing: credit.MissingField}
			}
			p := 1 / (1 + mathExp(-(slope*x + rng.NormFloat64())))
			y[i] = rng.Float64() < p
		}
		y[0], y[1] = true, false
		for _, trend := range []Trend{TrendAscending, TrendDescending, TrendAuto} {
			opts := BinningOptions{MaxPrebins: 5 + rng.IntN(30), MinBinShare: 0.02 + rng.Float64()*0.1, MinBinDefaults: 1 + rng.IntN(5), MinBinNonDefaults: 1 + rng.IntN(5), Trend: trend}
			b, err := BinIndicator(numInfo("x"), values, y, opts)
			require.NoError(t, err)
			got := b.Trend
			if trend != TrendAuto {
				assert.Equal(t, trend, got)
			}
			for j := 1; j < len(b.Bins); j++ {
				prev, cur := &b.Bins[j-1], &b.Bins[j]
				l, r := prev.Defaults*cur.Records, cur.Defaults*prev.Records
				if got == TrendAscending {
					assert.LessOrEqual(t, l, r, "iter %d: ascending broken at bin %d", iter, j)
				} else {
					assert.GreaterOrEqual(t, l, r, "iter %d: descending broken at bin %d", iter, j)
				}
				require.NotNil(t, cur.Lower)
				assert.Equal(t, prev.Upper.String(), cur.Lower.String())
			}
			if len(b.Bins) > 1 {
				for _, bin := range b.Bins {
					assert.Positive(t, bin.Defaults)
					assert.Less(t, bin.Defaults, bin.Records)
					assert.False(t, isBad(bin.WoE))
				}
			}
			assert.False(t, isBad(b.IV))
			assert.False(t, isBad(b.Missing.WoE))
		}
	}
}

func isBad(x float64) bool { return x != x || x > 1e300 || x < -1e300 }

func mathExp(x float64) float64 {
	return math.Exp(x)
}
