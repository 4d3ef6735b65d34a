package credit

// localGrades compiles the rule set's local labels by grade index.
func localGrades(rs *RuleSet) []*LocalGrade {
	if rs.LocalScale == nil {
		return nil
	}
	out := make([]*LocalGrade, len(rs.MasterScale.Grades))
	for i, g := range rs.MasterScale.Grades {
		if label, ok := rs.LocalLabel(g.Grade); ok {
			out[i] = &LocalGrade{Label: label, Scale: rs.LocalScale.Name}
		}
	}
	return out
}

// localGrade returns a profile's own copy of the local label of grade g,
// or nil.
func (e *Engine) localGrade(g int) *LocalGrade {
	if g >= len(e.local) || e.local[g] == nil {
		return nil
	}
	lg := *e.local[g]
	return &lg
}

// warnOtherCountry adds CodeRuleSetOtherCountry when the rule set was made
// for another country than the record's.
func (e *Engine) warnOtherCountry(ic *indicatorCtx, rec *Record) {
	if cc := e.rs.Country; cc != "" && cc != rec.Enterprise.Country {
		ic.warnings = append(ic.warnings, Problem{Path: "/enterprise/country", Code: CodeRuleSetOtherCountry, Severity: SeverityWarning,
			Message: "the record of " + rec.Enterprise.Country + " was scored with rule set " + e.rs.ID + " " + e.rs.Version + ", made for " + cc})
	}
}
