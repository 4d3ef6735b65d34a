package credit

import (
	"bytes"
	"encoding/json"
	"slices"

	"github.com/shopspring/decimal"
)

// checkRuleSet runs the semantic checks of a rule set. With full, the rule
// set must be complete (stand-alone or resolved) and cross-references
// (reason codes, grades) are checked too. The problems are sorted and, as
// those of the schema layer, at most MaxProblems and one counting the
// rest: a 1 MiB file of category values gave 200,000 of them.
func checkRuleSet(rs *RuleSet, full bool) Problems {
	ps := problemList{limit: MaxProblems}
	add := func(path, code, format string, args ...any) {
		ps.add(rsProblem(path, code, format, args...))
	}
	if full {
		for name, present := range map[string]bool{
			"scaling": rs.Scaling != nil, "pd_floor": rs.PDFloor != nil, "master_scale": rs.MasterScale != nil,
			"certification": rs.Certification != nil, "characteristics": len(rs.Characteristics) > 0,
		} {
			if !present {
				add("/"+name, CodeRuleSetMissingPart, "a rule set that extends no other must have %s", name)
			}
		}
	}
	if s := rs.Scaling; s != nil {
		if s.MinScore >= s.MaxScore {
			add("/scaling/min_score", CodeRuleSetScaling, "min_score %d must be below max_score %d", s.MinScore, s.MaxScore)
		} else if s.MaxScore-s.MinScore > maxScoreRange {
			add("/scaling/max_score", CodeRuleSetScaling, "max_score - min_score must be at most %d", maxScoreRange)
		}
		if s.BaseOdds.Sign() <= 0 {
			add("/scaling/base_odds", CodeRuleSetScaling, "base_odds must be positive")
		}
		if s.PDO.Sign() <= 0 {
			add("/scaling/pdo", CodeRuleSetScaling, "pdo must be positive")
		}
	}
	grades := map[string]bool{}
	if m := rs.MasterScale; m != nil {
		prev := decimal.Zero
		for i, g := range m.Grades {
			p := pointer("/master_scale/grades", itoa(i))
			if grades[g.Grade] {
				add(p+"/grade", CodeRuleSetMasterScale, "grade %s appears twice", g.Grade)
			}
			grades[g.Grade] = true
			if g.PDUpper.Cmp(prev) <= 0 {
				add(p+"/pd_upper", CodeRuleSetMasterScale, "pd_upper %s must be above the previous grade's %s", g.PDUpper, prev)
			}
			last := i == len(m.Grades)-1
			if last && !g.PDUpper.Equal(one) {
				add(p+"/pd_upper", CodeRuleSetMasterScale, "the last (default) grade must have pd_upper 1")
			}
			if !last && g.PDUpper.Cmp(one) >= 0 {
				add(p+"/pd_upper", CodeRuleSetMasterScale, "only the last grade may have pd_upper 1")
			}
			prev = g.PDUpper
		}
	}
	for name, v := range rs.Parameters {
		p := pointer("/parameters", name, "value")
		b, ok := knownParameters[name]
		if !ok {
			add(pointer("/parameters", name), CodeRuleSetParameter, "unknown parameter %q", name)
			continue
		}
		if v.Value.Cmp(b[0]) < 0 || v.Value.Cmp(b[1]) > 0 {
			add(p, CodeRuleSetParameter, "%s must be between %s and %s", name, b[0], b[1])
		}
		if name != "expected_inflation" && !v.Value.IsInteger() {
			add(p, CodeRuleSetParameter, "%s must be a whole number", name)
		}
	}
	reasonKnown := func(path, code string) {
		if full && code != "" {
			if _, ok := rs.Reasons[code]; !ok {
				add(path, CodeRuleSetUnknownReason, "reason code %s has no texts in reasons", code)
			}
		}
	}
	ids := map[string]bool{}
	for i, c := range rs.Characteristics {
		p := pointer("/characteristics", itoa(i))
		if ids[c.ID] {
			add(p+"/id", CodeRuleSetDuplicateID, "characteristic %s appears twice", c.ID)
		}
		ids[c.ID] = true
		reasonKnown(p+"/reason", c.Reason)
		reasonKnown(p+"/missing/reason", c.Missing.Reason)
		def, ok := indicators[c.Indicator]
		if !ok {
			add(p+"/indicator", CodeRuleSetUnknownIndicator, "unknown indicator %q", c.Indicator)
			continue
		}
		switch def.Kind {
		case Numeric:
			if len(c.Bins) == 0 {
				add(p, CodeRuleSetIndicatorKind, "indicator %s is numeric: give bins, not categories", c.Indicator)
				continue
			}
			for j, b := range c.Bins {
				reasonKnown(pointer(p, "bins", itoa(j), "reason"), b.Reason)
			}
			ps.addAll(checkBins(p, c))
		case Categorical:
			if len(c.Categories) == 0 {
				add(p, CodeRuleSetIndicatorKind, "indicator %s is categorical: give categories, not bins", c.Indicator)
				continue
			}
			if c.Direction != NoDirection {
				add(p+"/direction", CodeRuleSetDirection, "categorical characteristics must have direction none")
			}
			seen := map[string]bool{}
			for j, b := range c.Categories {
				reasonKnown(pointer(p, "categories", itoa(j), "reason"), b.Reason)
				for k, v := range b.Values {
					vp := pointer(p, "categories", itoa(j), "values", itoa(k))
					switch {
					case !slices.Contains(def.Categories, v):
						add(vp, CodeRuleSetCategories, "%q is not a value of %s (values: %v)", v, c.Indicator, def.Categories)
					case seen[v]:
						add(vp, CodeRuleSetCategories, "%q appears in two bins", v)
					}
					seen[v] = true
				}
			}
			for _, v := range def.Categories {
				if !seen[v] {
					add(p+"/categories", CodeRuleSetCategories, "value %q of %s is in no bin", v, c.Indicator)
				}
			}
		}
	}
	if c := rs.Certification; full && c != nil && c.MinGrade != "" && !grades[c.MinGrade] {
		add("/certification/min_grade", CodeRuleSetUnknownGrade, "grade %s is not on the master scale", c.MinGrade)
	}
	capIDs := map[string]bool{}
	for i, cp := range rs.Caps {
		p := pointer("/caps", itoa(i))
		if capIDs[cp.ID] {
			add(p+"/id", CodeRuleSetDuplicateID, "cap %s appears twice", cp.ID)
		}
		capIDs[cp.ID] = true
		reasonKnown(p+"/reason", cp.Reason)
		if full && cp.MaxGrade != "" && !grades[cp.MaxGrade] {
			add(p+"/max_grade", CodeRuleSetUnknownGrade, "grade %s is not on the master scale", cp.MaxGrade)
		}
		for j, cond := range cp.When {
			if err := checkCondition(cond); err != "" {
				add(pointer(p, "when", itoa(j)), CodeRuleSetCapCondition, "%s", err)
			}
		}
	}
	ps.addAll(checkCountryParts(rs, full))
	return ps.result(CodeRuleSetTooManyProblems, "rule set")
}

func checkBins(p string, c Characteristic) Problems {
	var ps Problems
	add := func(path, code, format string, args ...any) {
		ps = append(ps, rsProblem(path, code, format, args...))
	}
	n := len(c.Bins)
	if c.Bins[0].Lower != nil {
		add(pointer(p, "bins", "0", "lower"), CodeRuleSetBinsOpenEnds, "the first bin must have no lower bound, so that the bins cover the whole line")
	}
	if c.Bins[n-1].Upper != nil {
		add(pointer(p, "bins", itoa(n-1), "upper"), CodeRuleSetBinsOpenEnds, "the last bin must have no upper bound, so that the bins cover the whole line")
	}
	for j, b := range c.Bins {
		bp := pointer(p, "bins", itoa(j))
		if b.Lower != nil && b.Upper != nil && b.Lower.Cmp(*b.Upper) >= 0 {
			add(bp, CodeRuleSetBinsUnsorted, "lower bound %s must be below upper bound %s", b.Lower, b.Upper)
		}
		if j > 0 {
			prev := c.Bins[j-1]
			switch {
			case b.Lower == nil:
				add(bp+"/lower", CodeRuleSetBinsOpenEnds, "only the first bin may have no lower bound")
			case prev.Upper == nil:
				add(pointer(p, "bins", itoa(j-1), "upper"), CodeRuleSetBinsOpenEnds, "only the last bin may have no upper bound")
			case b.Lower.Cmp(*prev.Upper) < 0:
				add(bp+"/lower", CodeRuleSetBinsUnsorted, "bins overlap or are not sorted: lower bound %s is below the previous upper bound %s", b.Lower, prev.Upper)
			case b.Lower.Cmp(*prev.Upper) > 0:
				add(bp+"/lower", CodeRuleSetBinsGap, "gap between %s and %s: no bin covers it", prev.Upper, b.Lower)
			}
			switch c.Direction {
			case Increasing:
				if b.Points.Cmp(prev.Points) < 0 {
					add(bp+"/points", CodeRuleSetDirection, "direction increasing, but points fall from %s to %s", prev.Points, b.Points)
				}
			case Decreasing:
				if b.Points.Cmp(prev.Points) > 0 {
					add(bp+"/points", CodeRuleSetDirection, "direction decreasing, but points rise from %s to %s", prev.Points, b.Points)
				}
			}
		}
	}
	return ps
}

func checkCondition(c Condition) string {
	def, ok := indicators[c.Indicator]
	if !ok {
		return "unknown indicator " + c.Indicator
	}
	if c.Op == OpMissing || c.Op == OpPresent {
		if len(c.Value) > 0 || len(c.Values) > 0 {
			return "op " + c.Op + " takes no value"
		}
		return ""
	}
	if c.Op == "in" {
		if len(c.Values) == 0 {
			return "op in needs values"
		}
		if def.Kind != Categorical {
			return "op in is for categorical indicators"
		}
		for _, v := range c.Values {
			if !slices.Contains(def.Categories, v) {
				return v + " is not a value of " + c.Indicator
			}
		}
		return ""
	}
	if len(c.Value) == 0 {
		return "op " + c.Op + " needs value"
	}
	if def.Kind == Categorical {
		var s string
		if err := json.Unmarshal(c.Value, &s); err != nil {
			return c.Indicator + " is categorical: value must be a string"
		}
		if c.Op != "eq" && c.Op != "ne" {
			return "op " + c.Op + " is for numeric indicators"
		}
		if !slices.Contains(def.Categories, s) {
			return s + " is not a value of " + c.Indicator
		}
		return ""
	}
	if _, err := conditionNumber(c.Value); err != nil {
		return c.Indicator + " is numeric: value must be a number"
	}
	return ""
}

func conditionNumber(raw json.RawMessage) (decimal.Decimal, error) {
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&n); err != nil {
		return decimal.Decimal{}, err
	}
	return decimal.NewFromString(n.String())
}
