package calibrate

import (
	"fmt"
	"math"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/creditsco/creditsco/credit"
)

// Trend is the monotone shape of the default rate across the numeric bins
// of an indicator, from low values to high.
type Trend string

// The trends. TrendAuto fits both monotone trends and keeps the one with
// the higher information value (ascending on a tie); TrendAutoUnimodal
// also fits the best valley and the best peak (the change point
// anywhere), for indicators where both extremes are risky (such as
// revenue growth: shrinking and very fast growth), and keeps the highest
// IV (ties: ascending, descending, valley, peak). Trends are strict: two
// neighbouring bins never have the same default rate.
const (
	TrendAuto         Trend = "auto"
	TrendAutoUnimodal Trend = "auto-unimodal"
	TrendAscending    Trend = "ascending"  // the default rate never falls as the value rises
	TrendDescending   Trend = "descending" // the default rate never rises as the value rises
	TrendValley       Trend = "valley"     // the default rate falls, then rises
	TrendPeak         Trend = "peak"       // the default rate rises, then falls
)

// BinningOptions configures the binning of one indicator. The zero value
// means the defaults given per field.
type BinningOptions struct {
	// MaxPrebins is the number of quantile pre-bins, at most 100; 0
	// means 20.
	MaxPrebins int
	// MaxBins bounds the number of numeric bins, at most 20; 0 means 8.
	MaxBins int
	// MinBinShare is the smallest share of the records (missing ones
	// included) that a bin may hold; 0 means 0.05.
	MinBinShare float64
	// MinBinDefaults and MinBinNonDefaults are the least number of records
	// of each outcome in a bin; 0 means 5. At least 1 is always required,
	// so that every bin has a finite weight of evidence.
	MinBinDefaults, MinBinNonDefaults int
	// Trend is the declared trend of the default rate; "" means
	// TrendAuto.
	Trend Trend
	// Edges, if not nil, are the pre-bin boundaries to use instead of
	// quantiles (such as the bounds of an existing rule set's bins): each
	// is the inclusive lower bound of a pre-bin.
	Edges []decimal.Decimal
}

func (o BinningOptions) withDefaults() BinningOptions {
	if o.MaxPrebins <= 0 {
		o.MaxPrebins = 20
	}
	if o.MaxBins <= 0 {
		o.MaxBins = 8
	}
	if o.MinBinShare <= 0 {
		o.MinBinShare = 0.05
	}
	if o.MinBinDefaults <= 0 {
		o.MinBinDefaults = 5
	}
	if o.MinBinNonDefaults <= 0 {
		o.MinBinNonDefaults = 5
	}
	if o.Trend == "" {
		o.Trend = TrendAuto
	}
	return o
}

// BinStat is one bin of a binning with its counts and statistics.
type BinStat struct {
	// Lower and Upper bound a numeric bin [Lower, Upper); nil is
	// unbounded. Both are nil for the missing bin and categorical bins.
	Lower *decimal.Decimal `json:"lower,omitempty"`
	Upper *decimal.Decimal `json:"upper,omitempty"`
	// Categories are the values of a categorical bin.
	Categories []string `json:"categories,omitempty"`
	// Records and Defaults count the records of the sample in the bin.
	Records  int64 `json:"records"`
	Defaults int64 `json:"defaults"`
	// WoE is the weight of evidence ln(g/b) (see WoE) the bin is given:
	// its own, or for a missing bin too small to estimate one, that of
	// the numeric bin of nearest default rate (WoEFrom says which).
	WoE float64 `json:"woe"`
	// IV is the bin's information value (from its own counts; 0 for a bin
	// that borrows its WoE).
	IV float64 `json:"iv"`
	// WoEFrom is empty when the WoE is the bin's own; otherwise it says
	// where it was taken from.
	WoEFrom string `json:"woe_from,omitempty"`
}

// DefaultRate is Defaults/Records, or 0 for an empty bin.
func (b *BinStat) DefaultRate() float64 {
	if b.Records == 0 {
		return 0
	}
	return float64(b.Defaults) / float64(b.Records)
}

// Binning is the result of binning one indicator.
type Binning struct {
	// Indicator is the indicator id.
	Indicator string `json:"indicator"`
	// Trend is the trend the numeric bins follow (ascending or
	// descending); empty for a categorical indicator.
	Trend Trend `json:"trend,omitempty"`
	// Bins are the numeric bins from low to high values, covering the
	// whole line, or the categorical bins.
	Bins []BinStat `json:"bins"`
	// Missing is the bin of records whose indicator is missing.
	Missing BinStat `json:"missing"`
	// IV is the information value of the binning, missing bin included.
	IV float64 `json:"iv"`
}

// obs is one observation of an indicator: its value, in float64 for
// ordering, and its decimal for the bin bounds.
type obs struct {
	f   float64
	d   decimal.Decimal
	cat string
	bad bool
}

// group is a run of records sharing one pre-bin or bin.
type group struct {
	first  decimal.Decimal // smallest value of the group (numeric)
	cats   []string
	n, bad int64
}

func (g *group) rate() float64 { return float64(g.bad) / float64(g.n) }

// BinIndicator bins the values of one indicator (as computed by
// credit.ComputeIndicator, numeric values rounded to the indicator's
// scale) against the outcomes. Numeric indicators get quantile pre-bins
// (or opts.Edges), which are then merged into the bins of the largest
// information value among those that follow the declared trend of the
// default rate (strictly), hold at least MinBinShare of the records and
// MinBinDefaults / MinBinNonDefaults of each outcome, and number at most
// MaxBins: optimal binning as optbinning formulates it, solved exactly by
// dynamic programming (see optimalBins); categorical indicators
// get a bin per category, small ones merged with the category of nearest
// default rate. Missing values get a bin of their own whose WoE comes from
// the data when it meets the same minimums; a smaller missing bin takes
// the WoE of the bin of nearest default rate, and a missing bin without
// records that of the riskiest bin (a record that does not report the
// figure earns no credit for it).
//
// Every step is deterministic (stable sorts, ties broken to the left), so
// the same data and options give the same bins.
func BinIndicator(info credit.IndicatorInfo, values []credit.IndicatorValue, defaulted []bool, opts BinningOptions) (*Binning, error) {
	if len(values) != len(defaulted) {
		return nil, fmt.Errorf("calibrate: %d values for %d outcomes", len(values), len(defaulted))
	}
	opts = opts.withDefaults()
	if opts.MaxPrebins > maxDPPrebins || opts.MaxBins > maxDPBins || len(opts.Edges) >= maxDPPrebins {
		return nil, fmt.Errorf("calibrate: at most %d pre-bins (or edges) and %d bins", maxDPPrebins, maxDPBins)
	}
	var total, bads int64
	var present []obs
	var miss BinStat
	for i, v := range values {
		total++
		if defaulted[i] {
			bads++
		}
		if v.IsMissing() {
			miss.Records++
			if defaulted[i] {
				miss.Defaults++
			}
			continue
		}
		o := obs{bad: defaulted[i]}
		if info.Kind == credit.Categorical {
			o.cat = v.Cat
		} else {
			o.d = v.Num
			o.f = v.Num.InexactFloat64()
		}
		present = append(present, o)
	}
	goods := total - bads
	switch {
	case total == 0:
		return nil, fmt.Errorf("%w: no records to bin", ErrTooFewRecords)
	case bads == 0:
		return nil, ErrNoDefaults
	case goods == 0:
		return nil, ErrNoNonDefaults
	}
	minN := int64(math.Ceil(opts.MinBinShare * float64(total)))
	ok := func(g *group) bool {
		return g.n >= minN && g.bad >= int64(opts.MinBinDefaults) && g.n-g.bad >= int64(opts.MinBinNonDefaults)
	}
	out := &Binning{Indicator: info.ID}
	var groups []group
	if info.Kind == credit.Categorical {
		groups = categoryGroups(present)
		groups = mergeSmall(groups, ok, 0)
	} else {
		pre := prebins(present, opts)
		var shapes []Trend
		switch opts.Trend {
		case TrendAuto:
			shapes = []Trend{TrendAscending, TrendDescending}
		case TrendAutoUnimodal:
			shapes = []Trend{TrendAscending, TrendDescending, TrendValley, TrendPeak}
		case TrendAscending, TrendDescending, TrendValley, TrendPeak:
			shapes = []Trend{opts.Trend}
		default:
			return nil, fmt.Errorf("calibrate: unknown trend %q", opts.Trend)
		}
		bestIV := math.Inf(-1)
		for _, shape := range shapes {
			gs := optimalBins(pre, shape, ok, opts.MaxBins, goods, bads)
			if iv := ivOf(gs, goods, bads); iv > bestIV {
				bestIV, groups, out.Trend = iv, gs, shape
			}
		}
		if out.Trend == TrendValley || out.Trend == TrendPeak {
			// Merging may have left a monotone sequence: name it so.
			out.Trend = shapeOf(groups, out.Trend)
		}
	}
	for i, g := range groups {
		b := BinStat{Records: g.n, Defaults: g.bad, Categories: g.cats}
		if info.Kind != credit.Categorical {
			if i > 0 {
				lo := g.first
				b.Lower = &lo
			}
			if i < len(groups)-1 {
				up := groups[i+1].first
				b.Upper = &up
			}
		}
		b.WoE, b.IV = woeOf(g.n-g.bad, g.bad, goods, bads)
		out.Bins = append(out.Bins, b)
		out.IV += b.IV
	}
	if info.Kind == credit.Categorical {
		// Categories not seen in the sample: WoE 0, the sample average.
		seen := map[string]bool{}
		for _, b := range out.Bins {
			for _, c := range b.Categories {
				seen[c] = true
			}
		}
		for _, c := range info.Categories {
			if !seen[c] {
				out.Bins = append(out.Bins, BinStat{Categories: []string{c}, WoEFrom: "not in the sample: WoE 0, the sample average"})
			}
		}
	}
	mg := group{n: miss.Records, bad: miss.Defaults}
	switch {
	case miss.Records > 0 && ok(&mg):
		miss.WoE, miss.IV = woeOf(mg.n-mg.bad, mg.bad, goods, bads)
		out.IV += miss.IV
	case len(out.Bins) == 0:
		// Every value missing: nothing to compare with.
		miss.WoEFrom = "every value missing"
	case miss.Records > 0:
		j := nearestRate(out.Bins, mg.rate())
		miss.WoE = out.Bins[j].WoE
		miss.WoEFrom = fmt.Sprintf("too few records for a WoE of its own: that of bin %d, the nearest default rate", j+1)
	default:
		j := riskiest(out.Bins)
		miss.WoE = out.Bins[j].WoE
		miss.WoEFrom = fmt.Sprintf("no record in the sample: that of bin %d, the riskiest", j+1)
	}
	out.Missing = miss
	return out, nil
}

// woeOf is WoE for counts that the binning guarantees are positive.
func woeOf(good, bad, goodTotal, badTotal int64) (float64, float64) {
	w, iv, err := WoE(good, bad, goodTotal, badTotal)
	if err != nil {
		return 0, 0
	}
	return w, iv
}

func nearestRate(bins []BinStat, rate float64) int {
	best, bestD := 0, math.Inf(1)
	for j := range bins {
		if bins[j].Records == 0 {
			continue
		}
		if d := math.Abs(bins[j].DefaultRate() - rate); d < bestD {
			best, bestD = j, d
		}
	}
	return best
}

func riskiest(bins []BinStat) int {
	best := 0
	for j := range bins {
		if bins[j].Records > 0 && bins[j].WoE < bins[best].WoE {
			best = j
		}
	}
	return best
}

func ivOf(gs []group, goods, bads int64) float64 {
	var iv float64
	for i := range gs {
		_, v := woeOf(gs[i].n-gs[i].bad, gs[i].bad, goods, bads)
		iv += v
	}
	return iv
}

// prebins sorts the present values and cuts them into pre-bins at
// quantiles (or at opts.Edges); a pre-bin never splits equal values.
func prebins(present []obs, opts BinningOptions) []group {
	// float64 conversion preserves the order of decimals (it may merge
	// neighbours, never swap them), so comparing the floats first and the
	// decimals only on a tie gives the decimal order, faster.
	slices.SortStableFunc(present, func(a, b obs) int {
		switch {
		case a.f < b.f:
			return -1
		case a.f > b.f:
			return 1
		}
		return a.d.Cmp(b.d)
	})
	var out []group
	n := len(present)
	if n == 0 {
		return nil
	}
	// lower is the lower bound of a pre-bin starting at i: the edge it
	// starts at (with Edges), else its smallest value.
	lower := present[0].d
	startNew := func(i int) bool {
		if i == 0 {
			return true
		}
		if present[i].d.Equal(present[i-1].d) {
			return false
		}
		if opts.Edges != nil {
			// A new pre-bin starts at the first value at or above an edge
			// that the previous value lies below; its bound is the highest
			// such edge, so the bins keep the given bounds.
			found := false
			for _, e := range opts.Edges {
				if present[i-1].d.Cmp(e) < 0 && present[i].d.Cmp(e) >= 0 {
					lower, found = e, true
				}
			}
			return found
		}
		lower = present[i].d
		// Quantile k/MaxPrebins: start a new pre-bin once the records
		// before i reach the next multiple of n/MaxPrebins.
		k := len(out)
		return float64(i) >= float64(k)*float64(n)/float64(opts.MaxPrebins)
	}
	for i, o := range present {
		if startNew(i) {
			out = append(out, group{first: lower})
		}
		g := &out[len(out)-1]
		g.n++
		if o.bad {
			g.bad++
		}
	}
	return out
}

// shapeOf names the shape of a valley or peak candidate after merging:
// ascending or descending when it no longer turns.
func shapeOf(gs []group, shape Trend) Trend {
	up, down := false, false
	for i := 1; i < len(gs); i++ {
		l, r := gs[i-1].bad*gs[i].n, gs[i].bad*gs[i-1].n
		switch {
		case r > l:
			up = true
		case r < l:
			down = true
		}
	}
	switch {
	case up && down:
		return shape
	case down:
		return TrendDescending
	}
	return TrendAscending
}

// mergeSmall repeatedly merges the smallest bin that fails ok (ties: the
// leftmost) into the neighbour of nearest default rate (ties: the left
// one), then, while more than maxBins remain (maxBins > 0), the pair of
// neighbours with the nearest default rates.
func mergeSmall(gs []group, ok func(*group) bool, maxBins int) []group {
	for len(gs) > 1 {
		worst := -1
		for i := range gs {
			if !ok(&gs[i]) && (worst < 0 || gs[i].n < gs[worst].n) {
				worst = i
			}
		}
		if worst < 0 {
			break
		}
		j := worst - 1
		if j < 0 || (worst+1 < len(gs) && math.Abs(gs[worst+1].rate()-gs[worst].rate()) < math.Abs(gs[j].rate()-gs[worst].rate())) {
			j = worst + 1
		}
		gs = mergeAt(gs, min(j, worst))
	}
	for maxBins > 0 && len(gs) > maxBins {
		best, bestD := 0, math.Inf(1)
		for i := 0; i+1 < len(gs); i++ {
			if d := math.Abs(gs[i+1].rate() - gs[i].rate()); d < bestD {
				best, bestD = i, d
			}
		}
		gs = mergeAt(gs, best)
	}
	return gs
}

// pool adds g's records and categories to into.
func pool(into, g *group) {
	into.n += g.n
	into.bad += g.bad
	into.cats = append(into.cats, g.cats...)
}

// mergeAt merges gs[i+1] into gs[i].
func mergeAt(gs []group, i int) []group {
	pool(&gs[i], &gs[i+1])
	return slices.Delete(gs, i+1, i+2)
}

// categoryGroups makes one group per category, ordered by default rate
// (ties: category name), so that merging neighbours merges similar
// categories.
func categoryGroups(present []obs) []group {
	idx := map[string]int{}
	var gs []group
	for _, o := range present {
		j, ok := idx[o.cat]
		if !ok {
			j = len(gs)
			idx[o.cat] = j
			gs = append(gs, group{cats: []string{o.cat}})
		}
		gs[j].n++
		if o.bad {
			gs[j].bad++
		}
	}
	slices.SortStableFunc(gs, func(a, b group) int {
		l, r := a.bad*b.n, b.bad*a.n
		switch {
		case l < r:
			return 1 // higher rate first: riskiest category first
		case l > r:
			return -1
		}
		if a.cats[0] < b.cats[0] {
			return -1
		}
		return 1
	})
	return gs
}
