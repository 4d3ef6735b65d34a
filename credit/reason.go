package credit

import (
	"cmp"
	"slices"

	"github.com/shopspring/decimal"
)

// MaxReasons is the largest number of reasons a profile lists (US
// Regulation B: more than four is "not likely to be helpful").
const MaxReasons = 4

// Reason is one reason why the score is not higher: the points lost
// against the best bin of the characteristics that carry the code (PMML
// Scorecard reasonCodeAlgorithm "pointsBelow" with baselineMethod "max").
type Reason struct {
	// Code is the reason code, such as FIN_CASH_FLOW_LOW.
	Code string `json:"code"`
	// Points are the points lost against the best bins, a decimal with at
	// most 4 places.
	Points string `json:"points"`
	// Text is the code's text in the engine's language
	// (EngineOptions.Lang).
	Text string `json:"text"`
}

// reasonLoss is the points a reason code lost, as decimals or, in an
// engine that adds integers (engine_tally.go), units of 10^pointExp.
type reasonLoss[T decimal.Decimal | int64] struct {
	code   string
	points T
}

// lossOps are the operations rankReasons needs on points.
type lossOps[T decimal.Decimal | int64] struct {
	add  func(a, b T) T
	cmp  func(a, b T) int
	sign func(T) int
	text func(T) string
}

var (
	decimalLoss = lossOps[decimal.Decimal]{
		add:  decimal.Decimal.Add,
		cmp:  decimal.Decimal.Cmp,
		sign: decimal.Decimal.Sign,
		text: decText,
	}
	unitLoss = lossOps[int64]{
		add:  func(a, b int64) int64 { return a + b },
		cmp:  cmp.Compare[int64],
		sign: func(x int64) int { return cmp.Compare(x, 0) },
		text: unitsText,
	}
)

// rankReasons sums the points lost per reason code, drops codes that lost
// nothing, ranks them by points lost, largest first, breaks ties by code
// (ascending, byte order) and keeps at most MaxReasons.
func rankReasons[T decimal.Decimal | int64](losses []reasonLoss[T], ops lossOps[T], texts map[string]ReasonText, lang string) []Reason {
	// A profile has a few dozen characteristics at most: a linear search
	// of the codes seen so far costs less than a map built per Score.
	sums := make([]reasonLoss[T], 0, len(losses))
	for _, l := range losses {
		if l.code == "" {
			continue
		}
		j := slices.IndexFunc(sums, func(s reasonLoss[T]) bool { return s.code == l.code })
		if j < 0 {
			sums = append(sums, l)
			continue
		}
		sums[j].points = ops.add(sums[j].points, l.points)
	}
	sums = slices.DeleteFunc(sums, func(s reasonLoss[T]) bool { return ops.sign(s.points) <= 0 })
	slices.SortFunc(sums, func(a, b reasonLoss[T]) int {
		if c := ops.cmp(b.points, a.points); c != 0 {
			return c
		}
		return cmp.Compare(a.code, b.code)
	})
	if len(sums) > MaxReasons {
		sums = sums[:MaxReasons]
	}
	out := make([]Reason, len(sums))
	for i, s := range sums {
		out[i] = Reason{Code: s.code, Points: ops.text(s.points), Text: texts[s.code].Text(lang)}
	}
	return out
}

// decText formats points: up to 4 decimal places, trailing zeros removed,
// never "-0", independent of shopspring's package settings.
func decText(d decimal.Decimal) string {
	s := d.StringFixed(4)
	if i := len(s) - 1; s[i] == '0' || s[i] == '.' {
		for s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		s = trimDot(s)
	}
	if s == "-0" {
		return "0"
	}
	return s
}

func trimDot(s string) string {
	if s[len(s)-1] == '.' {
		return s[:len(s)-1]
	}
	return s
}
