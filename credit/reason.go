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

type reasonLoss struct {
	code   string
	points decimal.Decimal
}

// rankReasons sums the points lost per reason code, drops codes that lost
// nothing, ranks them by points lost, largest first, breaks ties by code
// (ascending, byte order) and keeps at most MaxReasons.
func rankReasons(losses []reasonLoss, texts map[string]ReasonText, lang string) []Reason {
	sums := map[string]decimal.Decimal{}
	var codes []string
	for _, l := range losses {
		if l.code == "" {
			continue
		}
		s, ok := sums[l.code]
		if !ok {
			codes = append(codes, l.code)
		}
		sums[l.code] = s.Add(l.points)
	}
	codes = slices.DeleteFunc(codes, func(c string) bool { return sums[c].Sign() <= 0 })
	slices.SortFunc(codes, func(a, b string) int {
		if c := sums[b].Cmp(sums[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	if len(codes) > MaxReasons {
		codes = codes[:MaxReasons]
	}
	out := make([]Reason, len(codes))
	for i, c := range codes {
		out[i] = Reason{Code: c, Points: decText(sums[c]), Text: texts[c].Text(lang)}
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
