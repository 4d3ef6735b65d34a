package main

import (
	"math"
	"slices"

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
// ceilings. It reads the rule set; the PD is computed in float64, for the
// report only.
func reachable(rs *credit.RuleSet) []reach {
	var out []reach
	for _, ev := range evidences {
		has := map[string]bool{"financial": true, "operations": true, "payment": ev.payments, "public_record": ev.register, "trade": ev.trade}
		total := rs.Scaling.BasePoints.InexactFloat64()
		for _, c := range rs.Characteristics {
			if !has[c.Pillar] {
				total += c.Missing.Points.InexactFloat64()
				continue
			}
			best := math.Inf(-1)
			for _, b := range c.Bins {
				best = math.Max(best, b.Points.InexactFloat64())
			}
			for _, b := range c.Categories {
				best = math.Max(best, b.Points.InexactFloat64())
			}
			total += best
		}
		score := int64(math.Round(total))
		score = min(max(score, rs.Scaling.MinScore), rs.Scaling.MaxScore)
		odds := rs.Scaling.BaseOdds.InexactFloat64() * math.Pow(2, float64(score-rs.Scaling.BaseScore)/rs.Scaling.PDO.InexactFloat64())
		r := reach{evidence: ev, score: score, pd: 1 / (1 + odds)}
		r.byPoints = gradeOf(rs, r.pd)
		r.capped = r.byPoints
		for _, cp := range rs.Caps {
			if applies(cp, ev) && worse(rs, cp.MaxGrade, r.capped) {
				r.capped, r.ceilingGrade = cp.MaxGrade, cp.MaxGrade
			}
		}
		out = append(out, r)
	}
	return out
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
		case len(w.Indicator) > 4 && w.Indicator[:4] == "pay.":
			if ev.payments {
				return false
			}
		case len(w.Indicator) > 4 && w.Indicator[:4] == "pub.":
			if ev.register {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func gradeOf(rs *credit.RuleSet, pd float64) string {
	for _, g := range rs.MasterScale.Grades {
		if pd < g.PDUpper.InexactFloat64() {
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
