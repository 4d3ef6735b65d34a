package main

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/creditsco/creditsco/credit"
)

// evidence is a kind of record by the evidence it carries.
type evidence struct {
	name                      string
	payments, register, trade bool
}

var evidences = []evidence{
	{name: "statements only"},
	{name: "statements and trade data", trade: true},
	{name: "statements, trade data and a register check", register: true, trade: true},
	{name: "statements, trade data and a payment history", payments: true, trade: true},
	{name: "statements, trade data, payment history and register check", payments: true, register: true, trade: true},
}

// reach is the best a record with some evidence can get under a rule set.
type reach struct {
	evidence
	score        int64
	pd           float64
	byPoints     string // grade of the model PD of the best score
	capped       string // after the evidence ceilings
	ceilingGrade string // the ceiling that applies, "" for none
}

// reachable returns, per kind of evidence, the best score a record can
// reach (every characteristic it has data for in its best bin, the others
// missing), its model PD and grade, and the grade after the evidence
// ceilings. It reads the rule set and maps the score to its PD and grade
// as the engine does (credit.ScoreToPD, the PD to the places a profile
// reports).
func reachable(rs *credit.RuleSet) ([]reach, error) {
	var out []reach
	for _, ev := range evidences {
		has := map[string]bool{"financial": true, "operations": true, "payment": ev.payments, "public_record": ev.register, "trade": ev.trade}
		total := rs.Scaling.BasePoints
		for _, c := range rs.Characteristics {
			if !has[c.Pillar] {
				total = total.Add(c.Missing.Points)
				continue
			}
			var points []decimal.Decimal
			for _, b := range c.Bins {
				points = append(points, b.Points)
			}
			for _, b := range c.Categories {
				points = append(points, b.Points)
			}
			total = total.Add(decimal.Max(points[0], points[1:]...))
		}
		score := min(max(total.Round(0).IntPart(), rs.Scaling.MinScore), rs.Scaling.MaxScore)
		pd, err := credit.ScoreToPD(rs.Scaling, score)
		if err != nil {
			return nil, err
		}
		pd = pd.Round(credit.PDDecimals)
		r := reach{evidence: ev, score: score, pd: pd.InexactFloat64()}
		r.byPoints = gradeOf(rs, pd)
		r.capped = r.byPoints
		for _, cp := range rs.Caps {
			if applies(cp, ev) && worse(rs, cp.MaxGrade, r.capped) {
				r.capped, r.ceilingGrade = cp.MaxGrade, cp.MaxGrade
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// applies reports whether an evidence ceiling (a cap whose conditions are
// all "missing" of payment or public-record indicators) applies to a
// record with the evidence ev. Other caps are knock-outs that a clean
// record does not meet.
func applies(cp credit.Cap, ev evidence) bool {
	if cp.MaxGrade == "" || len(cp.When) == 0 {
		return false
	}
	for _, w := range cp.When {
		if w.Op != credit.OpMissing {
			return false
		}
		switch {
		case strings.HasPrefix(w.Indicator, "pay."):
			if ev.payments {
				return false
			}
		case strings.HasPrefix(w.Indicator, "pub."):
			if ev.register {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func gradeOf(rs *credit.RuleSet, pd decimal.Decimal) string {
	for _, g := range rs.MasterScale.Grades {
		if pd.LessThan(g.PDUpper) {
			return g.Grade
		}
	}
	return rs.MasterScale.Grades[len(rs.MasterScale.Grades)-1].Grade
}

// worse reports whether grade a is below grade b on the master scale.
func worse(rs *credit.RuleSet, a, b string) bool {
	idx := func(g string) int {
		return slices.IndexFunc(rs.MasterScale.Grades, func(x credit.Grade) bool { return x.Grade == g })
	}
	return idx(a) > idx(b)
}
