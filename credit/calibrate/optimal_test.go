package calibrate

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bruteBins returns the largest IV of any partition of pre into
// contiguous bins that meet ok, number at most maxBins and follow shape,
// by enumerating all 2^(n-1) partitions; -Inf when none does.
func bruteBins(pre []group, shape Trend, ok func(*group) bool, maxBins int, goods, bads int64) float64 {
	n := len(pre)
	best := math.Inf(-1)
	for mask := 0; mask < 1<<(n-1); mask++ {
		var gs []group
		cur := group{first: pre[0].first}
		for i, g := range pre {
			pool(&cur, &g)
			if i == n-1 || mask&(1<<i) != 0 {
				gs = append(gs, cur)
				if i+1 < n {
					cur = group{first: pre[i+1].first}
				}
			}
		}
		if len(gs) > maxBins || !follows(gs, shape) {
			continue
		}
		feasible := true
		for i := range gs {
			if !ok(&gs[i]) || gs[i].bad == 0 || gs[i].bad == gs[i].n {
				feasible = false
			}
		}
		if feasible {
			best = math.Max(best, ivOf(gs, goods, bads))
		}
	}
	return best
}

// follows reports whether the default rates of gs follow shape strictly.
func follows(gs []group, shape Trend) bool {
	var moves []int
	for i := 1; i < len(gs); i++ {
		l, r := gs[i-1].bad*gs[i].n, gs[i].bad*gs[i-1].n
		switch {
		case r > l:
			moves = append(moves, 1)
		case r < l:
			moves = append(moves, -1)
		default:
			return false
		}
	}
	turns := 0
	for i := 1; i < len(moves); i++ {
		if moves[i] != moves[i-1] {
			turns++
		}
	}
	switch shape {
	case TrendAscending:
		return turns == 0 && (len(moves) == 0 || moves[0] == 1)
	case TrendDescending:
		return turns == 0 && (len(moves) == 0 || moves[0] == -1)
	case TrendValley:
		return turns == 0 || (turns == 1 && moves[0] == -1)
	case TrendPeak:
		return turns == 0 || (turns == 1 && moves[0] == 1)
	}
	return false
}

// TestOptimalBinsIsExact compares the dynamic programme with an
// enumeration of every partition on random pre-bins, for every shape and
// random minimums: the IV it finds is the largest there is, and its bins
// follow the shape and meet the minimums.
func TestOptimalBinsIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for iter := range 300 {
		n := 2 + rng.IntN(9)
		pre := make([]group, n)
		var goods, bads int64
		for i := range pre {
			pre[i] = group{first: decimal.NewFromInt(int64(i)), n: 5 + rng.Int64N(40)}
			pre[i].bad = rng.Int64N(pre[i].n + 1)
			goods += pre[i].n - pre[i].bad
			bads += pre[i].bad
		}
		if goods == 0 || bads == 0 {
			continue
		}
		minN := 5 + rng.Int64N(40)
		minOutcome := 1 + rng.Int64N(4)
		ok := func(g *group) bool { return g.n >= minN && g.bad >= minOutcome && g.n-g.bad >= minOutcome }
		maxBins := 1 + rng.IntN(n)
		for _, shape := range []Trend{TrendAscending, TrendDescending, TrendValley, TrendPeak} {
			want := bruteBins(pre, shape, ok, maxBins, goods, bads)
			got := optimalBins(pre, shape, ok, maxBins, goods, bads)
			var total int64
			for _, g := range got {
				total += g.n
			}
			require.Equal(t, cn(pre), total, "iter %d %s: every record in one bin", iter, shape)
			if math.IsInf(want, -1) {
				require.Len(t, got, 1, "iter %d %s: no feasible partition pools everything", iter, shape)
				continue
			}
			assert.InDelta(t, want, ivOf(got, goods, bads), 1e-12, "iter %d %s", iter, shape)
			assert.LessOrEqual(t, len(got), maxBins)
			assert.True(t, follows(got, shape), "iter %d %s: %v", iter, shape, got)
			for i := range got {
				assert.True(t, ok(&got[i]), "iter %d %s: bin %d below the minimums", iter, shape, i)
			}
		}
	}
}

func cn(gs []group) int64 {
	var n int64
	for _, g := range gs {
		n += g.n
	}
	return n
}

// TestOptimalBinsKeepsASupportedSplit: where merging the smallest bins
// into their nearest neighbours one at a time ends with a single bin, the
// exact search keeps the split the data support. Default rates 48%, 43%,
// 28%, 19% on 8%, 4%, 8% and 80% of the records with bins of at least
// 15%: the first three together (20%) against the rest.
func TestOptimalBinsKeepsASupportedSplit(t *testing.T) {
	pre := []group{{n: 236, bad: 113}, {n: 118, bad: 51}, {n: 236, bad: 66}, {n: 2360, bad: 449}}
	var goods, bads int64
	for i := range pre {
		pre[i].first = decimal.NewFromInt(int64(i))
		goods += pre[i].n - pre[i].bad
		bads += pre[i].bad
	}
	ok := func(g *group) bool { return g.n >= 443 && g.bad >= 5 && g.n-g.bad >= 5 }
	got := optimalBins(pre, TrendDescending, ok, 8, goods, bads)
	require.Len(t, got, 2)
	assert.Equal(t, int64(590), got[0].n)
	assert.Equal(t, int64(230), got[0].bad)
	assert.Equal(t, "3", got[1].first.String())
}

func TestBinningLimits(t *testing.T) {
	values, y := nums("1", "2", "3", "4"), []bool{true, false, true, false}
	_, err := BinIndicator(numInfo("x"), values, y, BinningOptions{MaxPrebins: 101})
	assert.ErrorContains(t, err, "at most 100 pre-bins")
	_, err = BinIndicator(numInfo("x"), values, y, BinningOptions{MaxBins: 21})
	assert.Error(t, err)
	edges := make([]decimal.Decimal, 100)
	for i := range edges {
		edges[i] = decimal.NewFromInt(int64(i))
	}
	_, err = BinIndicator(numInfo("x"), values, y, BinningOptions{Edges: edges})
	assert.Error(t, err)
	_, err = BinIndicator(numInfo("x"), values, y, BinningOptions{MaxPrebins: 100, MaxBins: 20})
	assert.NoError(t, err)
}
