package credit

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// PDDecimals is the number of decimal places of the PD in a profile
// ("0.019608" is 1.9608%).
const PDDecimals = 6

// pdPrecision is the number of decimal places kept while computing a PD.
const pdPrecision = 24

// maxDoublings bounds |score - base_score| / pdo for every score of the
// range, so that 2^x stays a reasonable number.
const maxDoublings = 400

var two = decimal.NewFromInt(2)

// ScoreToPD returns the probability of default of a score under the
// scaling: odds = base_odds · 2^((score - base_score)/pdo) (good:bad) and
// PD = 1/(1 + odds), with 24 decimal places and without any floor. It is
// computed in decimal arithmetic (no float64), so it is the same on every
// platform.
func ScoreToPD(s *Scaling, score int64) (decimal.Decimal, error) {
	if s == nil || s.PDO.Sign() <= 0 || s.BaseOdds.Sign() <= 0 {
		return decimal.Decimal{}, errors.New("credit: scaling needs positive pdo and base_odds")
	}
	x := decimal.NewFromInt(score-s.BaseScore).DivRound(s.PDO, pdPrecision)
	if x.Abs().Cmp(decimal.NewFromInt(maxDoublings)) > 0 {
		return decimal.Decimal{}, fmt.Errorf("credit: score %d is more than %d doublings from the base score", score, maxDoublings)
	}
	p, err := two.PowWithPrecision(x, pdPrecision)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("credit: 2^%s: %w", x, err)
	}
	odds := s.BaseOdds.Mul(p)
	return one.DivRound(one.Add(odds), pdPrecision), nil
}

// PDToScore returns the (unrounded) score of a PD under the scaling:
// score = offset + factor · ln(odds) with factor = pdo/ln 2, offset =
// base_score - factor · ln(base_odds) and odds = (1 - PD)/PD; 0 < PD < 1.
func PDToScore(s *Scaling, pd decimal.Decimal) (decimal.Decimal, error) {
	if s == nil || s.PDO.Sign() <= 0 || s.BaseOdds.Sign() <= 0 {
		return decimal.Decimal{}, errors.New("credit: scaling needs positive pdo and base_odds")
	}
	if pd.Sign() <= 0 || pd.Cmp(one) >= 0 {
		return decimal.Decimal{}, fmt.Errorf("credit: PD %s is not strictly between 0 and 1", pd)
	}
	odds := one.Sub(pd).DivRound(pd, pdPrecision)
	// ln(odds / base_odds) / ln 2 doublings from the base score.
	ratio := odds.DivRound(s.BaseOdds, pdPrecision)
	lnRatio, err := ratio.Ln(pdPrecision)
	if err != nil {
		return decimal.Decimal{}, err
	}
	ln2, err := two.Ln(pdPrecision)
	if err != nil {
		return decimal.Decimal{}, err
	}
	return decimal.NewFromInt(s.BaseScore).Add(s.PDO.Mul(lnRatio).DivRound(ln2, pdPrecision)), nil
}

// scoreTable holds, for every integer score of [min_score, max_score], the
// model PD (before the floor), the reported PD string (floored, PDDecimals
// places) and the grade index on the master scale. It is built once per
// engine so that scoring does no transcendental arithmetic.
type scoreTable struct {
	min    int64
	rawPD  []decimal.Decimal
	pdText []string
	grade  []int
}

func buildScoreTable(s *Scaling, floor decimal.Decimal, m *MasterScale) (*scoreTable, error) {
	t := &scoreTable{min: s.MinScore}
	n := int(s.MaxScore - s.MinScore + 1)
	t.rawPD = make([]decimal.Decimal, n)
	t.pdText = make([]string, n)
	t.grade = make([]int, n)
	for i := range n {
		pd, err := ScoreToPD(s, s.MinScore+int64(i))
		if err != nil {
			return nil, err
		}
		t.rawPD[i] = pd
		t.pdText[i] = decimal.Max(pd, floor).StringFixed(PDDecimals)
		// The grade is that of the model PD to the places it is reported
		// with, so that the reported PD always lies in its grade's band
		// (a PD just below a bound would otherwise be graded above it and
		// reported, rounded, at the bound).
		t.grade[i] = gradeOf(m, pd.Round(PDDecimals))
	}
	return t, nil
}

// gradeOf returns the index of the master-scale grade whose band holds pd:
// the first grade with pd < pd_upper, else the last (default) grade.
func gradeOf(m *MasterScale, pd decimal.Decimal) int {
	for i, g := range m.Grades {
		if pd.Cmp(g.PDUpper) < 0 {
			return i
		}
	}
	return len(m.Grades) - 1
}

func (t *scoreTable) at(score int64) (raw decimal.Decimal, text string, grade int) {
	i := score - t.min
	return t.rawPD[i], t.pdText[i], t.grade[i]
}
