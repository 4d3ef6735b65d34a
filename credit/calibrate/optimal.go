package calibrate

import "math"

// maxDPPrebins and maxDPBins bound the pre-bins and bins of the exact
// search: its work grows with the cube of the pre-bins times the bins.
const (
	maxDPPrebins = 100
	maxDPBins    = 20
)

// optimalBins partitions the pre-bins pre (ordered by value) into
// contiguous bins that each satisfy ok, number at most maxBins and follow
// shape, and returns the partition of the largest information value: the
// optimal binning of Navas-Palencia's formulation (optbinning) without a
// solver. The default rates of the bins must be strictly monotone
// (ascending or descending), or fall then rise (valley), or rise then fall
// (peak), the turn anywhere, monotone included. Exact dynamic programming
// over the last bin of each prefix: O(maxBins·n³) for n pre-bins.
//
// Ties are broken deterministically towards fewer bins, then towards the
// partition found first in a left-to-right scan. When no partition meets
// the constraints (too few defaults in the whole sample, say), every
// pre-bin is pooled into one bin.
func optimalBins(pre []group, shape Trend, ok func(*group) bool, maxBins int, goods, bads int64) []group {
	n := len(pre)
	if n <= 1 {
		return pre
	}
	if maxBins <= 0 || maxBins > n {
		maxBins = n
	}
	// seg(a, b) is the pool of pre[a..b].
	cn := make([]int64, n+1)
	cb := make([]int64, n+1)
	for i, g := range pre {
		cn[i+1] = cn[i] + g.n
		cb[i+1] = cb[i] + g.bad
	}
	seg := func(a, b int) group {
		return group{first: pre[a].first, n: cn[b+1] - cn[a], bad: cb[b+1] - cb[a]}
	}
	// Per-segment feasibility and IV, computed once.
	feasible := make([]bool, n*n)
	iv := make([]float64, n*n)
	for a := range n {
		for b := a; b < n; b++ {
			g := seg(a, b)
			if ok(&g) && g.bad > 0 && g.bad < g.n {
				feasible[a*n+b] = true
				_, iv[a*n+b] = woeOf(g.n-g.bad, g.bad, goods, bads)
			}
		}
	}
	// rising(a1, b1, a2, b2): the rate of segment 2 is above segment 1's.
	cmpRate := func(a1, b1, a2, b2 int) int {
		s1, s2 := seg(a1, b1), seg(a2, b2)
		l, r := s1.bad*s2.n, s2.bad*s1.n
		switch {
		case r > l:
			return 1
		case r < l:
			return -1
		}
		return 0
	}
	// phase 0 is the first leg of the shape, phase 1 the second (only for
	// valley and peak): the sign the rate must move by in each.
	var legs [2]int
	switch shape {
	case TrendAscending:
		legs = [2]int{1, 0}
	case TrendDescending:
		legs = [2]int{-1, 0}
	case TrendValley:
		legs = [2]int{-1, 1}
	case TrendPeak:
		legs = [2]int{1, -1}
	}
	// best[k][p][j][i]: the largest IV of pre[0..i] in k+1 bins, the last
	// being pre[j..i], in phase p; -Inf when impossible.
	type state struct {
		iv       float64
		prevJ    int // start of the previous bin; -1 for the first bin
		prevP    int
		feasible bool
	}
	idx := func(k, p, j, i int) int { return ((k*2+p)*n+j)*n + i }
	st := make([]state, maxBins*2*n*n)
	for i := range n {
		if feasible[i] { // segment 0..i
			st[idx(0, 0, 0, i)] = state{iv: iv[i], prevJ: -1, feasible: true}
		}
	}
	for k := 1; k < maxBins; k++ {
		for i := 1; i < n; i++ {
			for j := 1; j <= i; j++ {
				if !feasible[j*n+i] {
					continue
				}
				// The previous bin is pre[pj..j-1].
				for p := range 2 {
					if legs[p] == 0 {
						continue
					}
					var bestS state
					for pj := 0; pj < j; pj++ {
						for pp := 0; pp <= p; pp++ {
							prev := st[idx(k-1, pp, pj, j-1)]
							if !prev.feasible {
								continue
							}
							if cmpRate(pj, j-1, j, i) != legs[p] {
								continue
							}
							if v := prev.iv + iv[j*n+i]; !bestS.feasible || v > bestS.iv {
								bestS = state{iv: v, prevJ: pj, prevP: pp, feasible: true}
							}
						}
					}
					st[idx(k, p, j, i)] = bestS
				}
			}
		}
	}
	// The best partition of all n pre-bins.
	bk, bp, bj := -1, 0, 0
	bestIV := math.Inf(-1)
	for k := range maxBins {
		for p := range 2 {
			for j := range n {
				if s := st[idx(k, p, j, n-1)]; s.feasible && s.iv > bestIV {
					bestIV, bk, bp, bj = s.iv, k, p, j
				}
			}
		}
	}
	if bk < 0 {
		all := seg(0, n-1)
		for _, g := range pre {
			all.cats = append(all.cats, g.cats...)
		}
		return []group{all}
	}
	out := make([]group, bk+1)
	end := n - 1
	for k := bk; k >= 0; k-- {
		s := st[idx(k, bp, bj, end)]
		out[k] = seg(bj, end)
		end = bj - 1
		bj, bp = s.prevJ, s.prevP
	}
	return out
}
