package credit

import (
	"math/bits"
	"strconv"

	"github.com/shopspring/decimal"
)

// A Score adds up, per record, the points of about thirty
// characteristics into the score and the pillars' points, their weights
// into the coverages, and the points lost into the reasons: over a
// hundred additions, each of which allocates in shopspring/decimal. Most
// rule sets state points and weights with a few decimal places, so an
// engine holds them also as integers of pointUnit (10^-8) and adds
// those, exactly, when every value of the rule set is such an integer
// and no sum can overflow (Engine.unitSums); otherwise it adds decimals.
// Both tallies give the same strings and numbers
// (TestTallyUnitsEqualsDecimal, TestScoreUnitsEqualsDecimal and
// FuzzScoreUnitsEqualsDecimal compare them), and no float64 is involved.

// pointExp is the exponent of the integer unit of points and weights.
const pointExp = -8

// pointUnit is 10^-pointExp, the units in one point.
const pointUnit = 100_000_000

// maxUnitSum bounds the absolute sum of the values an engine may add in
// units, far below the int64 range, so that no tally can overflow.
const maxUnitSum = 1 << 60

// toUnits returns d in units of 10^pointExp, if that is an integer
// within ±maxUnitSum.
func toUnits(d decimal.Decimal) (int64, bool) {
	s := d.Shift(-pointExp)
	if !s.IsInteger() || s.Abs().Cmp(decimal.NewFromInt(maxUnitSum)) > 0 {
		return 0, false
	}
	return s.IntPart(), true
}

// compileUnits sets the integer forms of the engine's points and
// weights and reports whether every tally can use them.
func (e *Engine) compileUnits() bool {
	base, ok := toUnits(e.base)
	if !ok {
		return false
	}
	points, weights := abs64(base), int64(0)
	for i := range e.chars {
		c := &e.chars[i]
		w, ok := toUnits(c.weight)
		if !ok || w < 0 || !c.miss.compileUnits() {
			return false
		}
		c.weightUnits = w
		weights += w
		most := max(abs64(c.miss.units), c.miss.lossUnits)
		for _, bs := range [][]compiledBin{c.bins, c.cats} {
			for j := range bs {
				if !bs[j].compileUnits() {
					return false
				}
				most = max(most, abs64(bs[j].units), abs64(bs[j].lossUnits))
			}
		}
		points += most
		if points > maxUnitSum || weights > maxUnitSum {
			return false
		}
	}
	for i := range e.pillars {
		w, ok := toUnits(e.pillars[i].weight)
		if !ok {
			return false
		}
		e.pillars[i].weightUnits = w
	}
	totalW, ok := toUnits(e.totalW)
	if !ok {
		return false
	}
	e.baseUnits, e.totalWUnits = base, totalW
	return true
}

func (b *compiledBin) compileUnits() bool {
	var ok1, ok2 bool
	b.units, ok1 = toUnits(b.points)
	b.lossUnits, ok2 = toUnits(b.loss)
	return ok1 && ok2
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// tally is what the sums of a Score give.
type tally struct {
	score    int64           // the total points rounded half away from zero, not yet clamped
	coverage decimal.Decimal // share of the weight with data, 16 places
	// coverageText is coverage with 4 places, where the tally wrote it
	// without decimal arithmetic; empty otherwise.
	coverageText string
	pillars      []PillarScore
	reasons      []Reason
}

// tally adds up the outcomes of the characteristics (outcomes[i] of
// e.chars[i]; has[i]: the indicator had a value), in units where the
// engine can.
func (e *Engine) tally(outcomes []*compiledBin, has []bool) tally {
	if e.unitSums {
		return e.tallyUnits(outcomes, has)
	}
	return e.tallyDecimal(outcomes, has)
}

// tallyDecimal adds up in decimal arithmetic.
func (e *Engine) tallyDecimal(outcomes []*compiledBin, has []bool) tally {
	total := e.base
	covered := decimal.Zero
	type pillarAcc struct{ points, covered decimal.Decimal }
	pillars := make([]pillarAcc, len(e.pillars))
	losses := make([]reasonLoss[decimal.Decimal], 0, len(e.chars))
	for i := range e.chars {
		c, b := &e.chars[i], outcomes[i]
		total = total.Add(b.points)
		pa := &pillars[c.pillar]
		pa.points = pa.points.Add(b.points)
		if has[i] {
			covered = covered.Add(c.weight)
			pa.covered = pa.covered.Add(c.weight)
		}
		if b.loss.Sign() > 0 {
			losses = append(losses, reasonLoss[decimal.Decimal]{code: b.reason, points: b.loss})
		}
	}
	t := tally{score: total.Round(0).IntPart(), coverage: share(covered, e.totalW), pillars: make([]PillarScore, len(e.pillars))}
	for i := range e.pillars {
		pl, pa := &e.pillars[i], &pillars[i]
		t.pillars[i] = PillarScore{
			ID: pl.id, Points: decText(pa.points), MaxPoints: pl.maxText,
			Coverage: share(pa.covered, pl.weight).StringFixed(4),
		}
	}
	t.reasons = rankReasons(losses, decimalLoss, e.rs.Reasons, e.lang)
	return t
}

// tallyUnits adds up in integer units, with the results of tallyDecimal.
func (e *Engine) tallyUnits(outcomes []*compiledBin, has []bool) tally {
	total, covered := e.baseUnits, int64(0)
	type pillarAcc struct{ points, covered int64 }
	var buf [16]pillarAcc
	pillars := buf[:0]
	if len(e.pillars) > len(buf) {
		pillars = make([]pillarAcc, 0, len(e.pillars))
	}
	pillars = pillars[:len(e.pillars)]
	clear(pillars)
	losses := make([]reasonLoss[int64], 0, len(e.chars))
	for i := range e.chars {
		c, b := &e.chars[i], outcomes[i]
		total += b.units
		pa := &pillars[c.pillar]
		pa.points += b.units
		if has[i] {
			covered += c.weightUnits
			pa.covered += c.weightUnits
		}
		if b.lossUnits > 0 {
			losses = append(losses, reasonLoss[int64]{code: b.reason, points: b.lossUnits})
		}
	}
	t := tally{score: roundUnits(total, pointUnit), coverage: shareUnits(covered, e.totalWUnits),
		coverageText: shareText(covered, e.totalWUnits), pillars: make([]PillarScore, len(e.pillars))}
	for i := range e.pillars {
		pl, pa := &e.pillars[i], &pillars[i]
		t.pillars[i] = PillarScore{
			ID: pl.id, Points: unitsText(pa.points), MaxPoints: pl.maxText,
			Coverage: shareText(pa.covered, pl.weightUnits),
		}
	}
	t.reasons = rankReasons(losses, unitLoss, e.rs.Reasons, e.lang)
	return t
}

// roundUnits returns x/unit rounded half away from zero, as
// decimal.Round(0) rounds.
func roundUnits(x, unit int64) int64 {
	q, r := x/unit, x%unit
	if 2*abs64(r) >= unit {
		if x < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

// tenTo16 is 10^ratioPrecision.
const tenTo16 = 10_000_000_000_000_000

// shareUnits is share for sums in units: part/whole with 16 places,
// rounded half away from zero as DivRound rounds; 1 when whole is not
// positive. part and whole are not negative (weights are positive), and
// part is at most whole, so the quotient fits 64 bits.
func shareUnits(part, whole int64) decimal.Decimal {
	if whole <= 0 {
		return one
	}
	return decimal.New(shareQuotient(part, whole), -ratioPrecision)
}

// shareQuotient is part/whole in units of 10^-16, rounded half away from
// zero, for 0 <= part <= whole, whole > 0.
func shareQuotient(part, whole int64) int64 {
	hi, lo := bits.Mul64(uint64(part), tenTo16)
	q, r := bits.Div64(hi, lo, uint64(whole))
	if r >= uint64(whole)-r { // 2r >= whole, without overflow
		q++
	}
	return int64(q)
}

// shareText is shareUnits(part, whole).StringFixed(4) without decimal
// arithmetic: the 16-place share rounded again, half away from zero, to
// 4 places, as StringFixed rounds.
func shareText(part, whole int64) string {
	q := int64(10_000) // 1 when whole is not positive
	if whole > 0 {
		q = roundUnits(shareQuotient(part, whole), tenTo16/10_000)
	}
	f := q % 10_000
	var buf [8]byte
	b := strconv.AppendInt(buf[:0], q/10_000, 10)
	b = append(b, '.', byte('0'+f/1000), byte('0'+f/100%10), byte('0'+f/10%10), byte('0'+f%10))
	return string(b)
}

// unitsText is decText for a value in units: at most 4 places, half away
// from zero, trailing zeros removed, never "-0".
func unitsText(x int64) string {
	const toFour = pointUnit / 10_000
	q := roundUnits(x, toFour) // in units of 10^-4
	neg := q < 0
	if neg {
		q = -q
	}
	var buf [24]byte
	b := buf[:0]
	if neg {
		b = append(b, '-')
	}
	b = strconv.AppendInt(b, q/10_000, 10)
	if frac := q % 10_000; frac != 0 {
		digits := strconv.AppendInt(nil, 10_000+frac, 10)[1:] // four digits
		for digits[len(digits)-1] == '0' {
			digits = digits[:len(digits)-1]
		}
		b = append(append(b, '.'), digits...)
	}
	s := string(b)
	if s == "-0" {
		return "0"
	}
	return s
}
