package credit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"

	"github.com/shopspring/decimal"
)

// Reason codes of certification requirements that a record does not
// meet. Rule sets give their texts in reasons.
const (
	ReasonCertCoverage       = "CERT_LOW_COVERAGE"
	ReasonCertFewStatements  = "CERT_FEW_STATEMENTS"
	ReasonCertStaleStatement = "CERT_STALE_STATEMENT"
	ReasonCertNotAudited     = "CERT_NOT_AUDITED"
)

var certReasons = []string{ReasonCertCoverage, ReasonCertFewStatements, ReasonCertStaleStatement, ReasonCertNotAudited}

// EngineOptions configures an Engine. The zero value is ready to use.
type EngineOptions struct {
	// Rates converts amounts between currencies (fin.size_usd, mixed
	// currency payments). Nil: no conversion; indicators that need it are
	// missing, with a warning.
	Rates *Rates
	// Validator checks records in ScoreStream. Nil: a validator with the
	// built-in identifier schemes.
	Validator *Validator
	// Workers is the number of goroutines of ScoreStream. Zero or less:
	// runtime.GOMAXPROCS(0).
	Workers int
	// Lang is the language of reason texts: "en" (default), "zh" or "ru".
	Lang string
}

// Engine scores records under one resolved rule set. It is built once,
// holds everything precomputed (bins, the PD and grade of every score),
// and is safe for concurrent use.
type Engine struct {
	rs        *RuleSet
	ref       RuleSetRef
	params    indicatorParams
	rates     *Rates
	validator *Validator
	workers   int
	lang      string
	base      decimal.Decimal
	floor     decimal.Decimal
	table     *scoreTable
	chars     []compiledChar
	caps      []compiledCap
	pillars   []string
	gradeIdx  map[string]int
	needed    []string // indicator ids to compute, sorted
	totalW    decimal.Decimal
}

type compiledChar struct {
	Characteristic
	def       indicatorDef
	maxPoints decimal.Decimal
	weight    decimal.Decimal
	catBin    map[string]int
}

type compiledCap struct {
	Cap
	conds    []compiledCond
	maxGrade int // -1: none
}

type compiledCond struct {
	indicator string
	op        string
	num       decimal.Decimal
	str       string
	values    []string
}

// NewEngine compiles a resolved rule set (see RuleSet.Resolved) into an
// engine.
func NewEngine(rs *RuleSet, opts EngineOptions) (*Engine, error) {
	if rs == nil {
		return nil, errors.New("credit: NewEngine: nil rule set")
	}
	if !rs.resolved {
		return nil, fmt.Errorf("credit: rule set %s extends %s and is not resolved: register it in a RuleSetRegistry", rs.ID, rs.Extends)
	}
	e := &Engine{
		rs:      rs,
		ref:     RuleSetRef{ID: rs.ID, Version: rs.Version, Digest: rs.digest},
		rates:   opts.Rates,
		workers: opts.Workers,
		lang:    opts.Lang,
		base:    rs.Scaling.BasePoints,
		floor:   rs.PDFloor.Value,
	}
	if e.workers <= 0 {
		e.workers = runtime.GOMAXPROCS(0)
	}
	switch e.lang {
	case "", "en":
		e.lang = "en"
	case "zh", "ru":
	default:
		return nil, fmt.Errorf("credit: NewEngine: unknown language %q (want en, zh or ru)", opts.Lang)
	}
	e.validator = opts.Validator
	if e.validator == nil {
		v, err := NewValidator(ValidatorOptions{})
		if err != nil {
			return nil, err
		}
		e.validator = v
	}
	pm := make(map[string]decimal.Decimal, len(rs.Parameters))
	for k, v := range rs.Parameters {
		pm[k] = v.Value
	}
	e.params = paramsFrom(pm)
	table, err := buildScoreTable(rs.Scaling, e.floor, rs.MasterScale)
	if err != nil {
		return nil, err
	}
	e.table = table
	e.gradeIdx = make(map[string]int, len(rs.MasterScale.Grades))
	for i, g := range rs.MasterScale.Grades {
		e.gradeIdx[g.Grade] = i
	}
	need := map[string]bool{}
	e.totalW = decimal.Zero
	for _, c := range rs.Characteristics {
		cc := compiledChar{Characteristic: c, def: indicators[c.Indicator]}
		lo, hi := c.Missing.Points, c.Missing.Points
		for _, b := range c.Bins {
			lo, hi = decimal.Min(lo, b.Points), decimal.Max(hi, b.Points)
		}
		if len(c.Categories) > 0 {
			cc.catBin = map[string]int{}
			for j, b := range c.Categories {
				lo, hi = decimal.Min(lo, b.Points), decimal.Max(hi, b.Points)
				for _, v := range b.Values {
					cc.catBin[v] = j
				}
			}
		}
		cc.maxPoints = hi
		cc.weight = hi.Sub(lo)
		if c.Weight.Valid {
			cc.weight = c.Weight.Decimal
		}
		e.totalW = e.totalW.Add(cc.weight)
		e.chars = append(e.chars, cc)
		need[c.Indicator] = true
		if !slices.Contains(e.pillars, c.Pillar) {
			e.pillars = append(e.pillars, c.Pillar)
		}
	}
	for _, cp := range rs.Caps {
		cc := compiledCap{Cap: cp, maxGrade: -1}
		if cp.MaxGrade != "" {
			cc.maxGrade = e.gradeIdx[cp.MaxGrade]
		}
		for _, w := range cp.When {
			cd := compiledCond{indicator: w.Indicator, op: w.Op, values: w.Values}
			if len(w.Value) > 0 {
				if indicators[w.Indicator].Kind == Categorical {
					if err := json.Unmarshal(w.Value, &cd.str); err != nil {
						return nil, fmt.Errorf("credit: cap %s: %w", cp.ID, err)
					}
				} else {
					n, err := conditionNumber(w.Value)
					if err != nil {
						return nil, fmt.Errorf("credit: cap %s: %w", cp.ID, err)
					}
					cd.num = n
				}
			}
			cc.conds = append(cc.conds, cd)
			need[w.Indicator] = true
		}
		e.caps = append(e.caps, cc)
	}
	for id := range need {
		e.needed = append(e.needed, id)
	}
	slices.Sort(e.needed)
	return e, nil
}

// RuleSet returns the engine's rule set.
func (e *Engine) RuleSet() *RuleSet { return e.rs }

// PD returns the model PD of a score (clamped to the rule set's score
// range) before the floor, the PD reported in profiles (floored, PDDecimals
// places) and the grade of the score before caps.
func (e *Engine) PD(score int64) (raw decimal.Decimal, reported string, grade string) {
	score = max(e.rs.Scaling.MinScore, min(score, e.rs.Scaling.MaxScore))
	r, t, g := e.table.at(score)
	return r, t, e.rs.MasterScale.Grades[g].Grade
}

// Score scores one record. The record should have passed validation; the
// engine itself never panics on odd values (zero or negative
// denominators, missing fields): the indicators concerned are missing.
// The only errors are a nil record and a cancelled context.
func (e *Engine) Score(ctx context.Context, rec *Record) (*Profile, error) {
	if rec == nil {
		return nil, errors.New("credit: Score: nil record")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ic := newIndicatorCtx(rec, e.params, e.rates)
	values := make(map[string]IndicatorValue, len(e.needed))
	for _, id := range e.needed {
		d := indicators[id]
		v := d.compute(ic)
		if !v.IsMissing() && d.Kind == Numeric {
			v.Num = v.Num.Round(d.Scale)
		}
		values[id] = v
	}

	p := &Profile{
		RecordID:        rec.RecordID,
		Country:         rec.Enterprise.Country,
		RuleSet:         e.ref,
		Characteristics: make([]CharacteristicScore, 0, len(e.chars)),
		Reasons:         []Reason{},
		Caps:            []AppliedCap{},
	}
	total := e.base
	covered := decimal.Zero
	type pillarAcc struct{ points, maxPoints, w, covered decimal.Decimal }
	pillars := make(map[string]*pillarAcc, len(e.pillars))
	for _, id := range e.pillars {
		pillars[id] = &pillarAcc{}
	}
	losses := make([]reasonLoss, 0, len(e.chars))
	for i := range e.chars {
		c := &e.chars[i]
		v := values[c.Indicator]
		pts, reason := c.points(v)
		total = total.Add(pts)
		pa := pillars[c.Pillar]
		pa.points = pa.points.Add(pts)
		pa.maxPoints = pa.maxPoints.Add(c.maxPoints)
		pa.w = pa.w.Add(c.weight)
		cs := CharacteristicScore{
			ID: c.ID, Indicator: c.Indicator, Pillar: c.Pillar,
			Points: decText(pts), MaxPoints: decText(c.maxPoints),
		}
		if v.IsMissing() {
			cs.Missing = v.Missing
		} else {
			covered = covered.Add(c.weight)
			pa.covered = pa.covered.Add(c.weight)
			s := v.Cat
			if c.def.Kind == Numeric {
				s = v.Num.StringFixed(c.def.Scale)
			}
			cs.Value = &s
		}
		if loss := c.maxPoints.Sub(pts); loss.Sign() > 0 {
			cs.Reason = reason
			losses = append(losses, reasonLoss{code: reason, points: loss})
		}
		p.Characteristics = append(p.Characteristics, cs)
	}
	for _, id := range e.pillars {
		pa := pillars[id]
		p.Pillars = append(p.Pillars, PillarScore{
			ID: id, Points: decText(pa.points), MaxPoints: decText(pa.maxPoints),
			Coverage: share(pa.covered, pa.w).StringFixed(4),
		})
	}
	if p.Pillars == nil {
		p.Pillars = []PillarScore{}
	}

	// Score: round half away from zero, then clamp.
	score := total.Round(0).IntPart()
	score = max(e.rs.Scaling.MinScore, min(score, e.rs.Scaling.MaxScore))
	p.Score = score
	_, pdText, g := e.table.at(score)
	p.PD = pdText
	coverage := share(covered, e.totalW)
	p.Coverage = coverage.StringFixed(4)
	p.Certifiable = true

	// Caps lower the grade (a higher index is a worse grade), never raise it.
	for i := range e.caps {
		cp := &e.caps[i]
		if !cp.holds(values) {
			continue
		}
		ac := AppliedCap{ID: cp.ID, Kind: "cap", MaxGrade: cp.MaxGrade, Certifiable: true,
			Reason: cp.Reason, Text: e.rs.Reasons[cp.Reason].Text(e.lang)}
		if cp.maxGrade >= 0 && cp.maxGrade > g {
			ac.GradeBefore = e.rs.MasterScale.Grades[g].Grade
			g = cp.maxGrade
		}
		if cp.Certifiable != nil && !*cp.Certifiable {
			ac.Certifiable = false
			p.Certifiable = false
		}
		p.Caps = append(p.Caps, ac)
	}
	p.Grade = e.rs.MasterScale.Grades[g].Grade

	// Certification requirements.
	cert := e.rs.Certification
	fail := func(id, reason string) {
		p.Certifiable = false
		p.Caps = append(p.Caps, AppliedCap{ID: id, Kind: "certification", Certifiable: false,
			Reason: reason, Text: e.rs.Reasons[reason].Text(e.lang)})
	}
	if coverage.Cmp(cert.MinCoverage) < 0 {
		fail("certification.min_coverage", ReasonCertCoverage)
	}
	if len(ic.stmts) < cert.MinStatements {
		fail("certification.min_statements", ReasonCertFewStatements)
	}
	if ic.latest != nil && rec.AsOf.MonthsSince(ic.latest.PeriodEnd) > cert.MaxStatementAgeMonths {
		fail("certification.max_statement_age_months", ReasonCertStaleStatement)
	}
	if cert.RequireAudited && (ic.latest == nil || !ic.latest.Audited) {
		fail("certification.require_audited", ReasonCertNotAudited)
	}

	p.Reasons = rankReasons(losses, e.rs.Reasons, e.lang)
	p.Warnings = sortProblems(ic.warnings)
	if p.Warnings == nil {
		p.Warnings = []Problem{}
	}
	return p, nil
}

// share returns part/whole with 16 places; 1 when whole is zero.
func share(part, whole decimal.Decimal) decimal.Decimal {
	if whole.Sign() <= 0 {
		return one
	}
	return part.DivRound(whole, ratioPrecision)
}

// points returns the points and reason code of the bin v falls into.
func (c *compiledChar) points(v IndicatorValue) (decimal.Decimal, string) {
	reason := func(r string) string {
		if r != "" {
			return r
		}
		return c.Reason
	}
	if v.IsMissing() {
		return c.Missing.Points, reason(c.Missing.Reason)
	}
	if c.catBin != nil {
		j, ok := c.catBin[v.Cat]
		if !ok { // cannot happen: the loader checks every category has a bin
			return c.Missing.Points, reason(c.Missing.Reason)
		}
		return c.Categories[j].Points, reason(c.Categories[j].Reason)
	}
	// Bins are sorted and cover the line: the value falls in the last bin
	// whose lower bound is at or below it.
	j := 0
	for k := 1; k < len(c.Bins); k++ {
		if v.Num.Cmp(*c.Bins[k].Lower) >= 0 {
			j = k
		} else {
			break
		}
	}
	return c.Bins[j].Points, reason(c.Bins[j].Reason)
}

func (cp *compiledCap) holds(values map[string]IndicatorValue) bool {
	for _, cd := range cp.conds {
		v := values[cd.indicator]
		if v.IsMissing() {
			return false
		}
		var ok bool
		switch {
		case cd.op == "in":
			ok = slices.Contains(cd.values, v.Cat)
		case indicators[cd.indicator].Kind == Categorical:
			ok = (v.Cat == cd.str) == (cd.op == "eq")
		default:
			c := v.Num.Cmp(cd.num)
			switch cd.op {
			case "eq":
				ok = c == 0
			case "ne":
				ok = c != 0
			case "lt":
				ok = c < 0
			case "le":
				ok = c <= 0
			case "gt":
				ok = c > 0
			case "ge":
				ok = c >= 0
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
