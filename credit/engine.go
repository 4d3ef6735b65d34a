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
	// ReasonCertGradeBelowMinimum: the grade (after caps) is worse than
	// certification.min_grade.
	ReasonCertGradeBelowMinimum = "CERT_GRADE_BELOW_MINIMUM"
)

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
	// Lang is the language of reason texts: "en" (default), "zh", "ru",
	// or a local language tag (LocalLanguages), in which texts the rule
	// set does not give in that language are written in English.
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
	pillars   []compiledPillar // in order of first appearance among the characteristics
	gradeIdx  map[string]int
	local     []*LocalGrade  // by grade index; nil where the rule set names no local label
	minGrade  int            // index of certification.min_grade; -1: none
	needed    []indicatorDef // indicators to compute, sorted by id; a value's position is its index here
	totalW    decimal.Decimal
	// unitSums says whether Score adds points and weights as integers of
	// 10^pointExp (engine_tally.go); baseUnits and totalWUnits are base
	// and totalW in those units.
	unitSums               bool
	baseUnits, totalWUnits int64
}

// compiledPillar holds what does not change from one Score to the next:
// the sum of its characteristics' best points (and its text) and weights.
type compiledPillar struct {
	id        string
	maxPoints decimal.Decimal
	maxText   string // decText(maxPoints)
	weight    decimal.Decimal
	// weightUnits is weight in units of 10^pointExp (Engine.unitSums).
	weightUnits int64
}

type compiledChar struct {
	Characteristic
	def       indicatorDef
	maxPoints decimal.Decimal
	maxText   string // decText(maxPoints)
	weight    decimal.Decimal
	catBin    map[string]int
	pos       int           // position of the indicator's value (Engine.needed)
	pillar    int           // position of the pillar (Engine.pillars)
	bins      []compiledBin // one per Bins element
	cats      []compiledBin // one per Categories element
	miss      compiledBin   // the missing bin
	// weightUnits is weight in units of 10^pointExp (Engine.unitSums).
	weightUnits int64
}

// compiledBin is what a characteristic gives for one outcome (a numeric
// bin, a category or a missing value), fixed when the engine is built.
type compiledBin struct {
	points decimal.Decimal
	text   string          // decText(points)
	loss   decimal.Decimal // maxPoints - points: the points lost against the best bin
	reason string          // the bin's reason code, else the characteristic's
	// units and lossUnits are points and loss in units of 10^pointExp
	// (Engine.unitSums).
	units, lossUnits int64
}

type compiledCap struct {
	Cap
	conds    []compiledCond
	maxGrade int // -1: none
}

type compiledCond struct {
	indicator   string
	pos         int  // position of the indicator's value (Engine.needed)
	categorical bool // the indicator is Categorical
	op          string
	num         decimal.Decimal
	str         string
	values      []string
}

// NewEngine compiles a resolved rule set (see RuleSet.Resolved) into an
// engine. A rule set whose exported fields were changed after loading is
// refused with an error wrapping ErrRuleSetModified: its digest, which
// every profile carries, would no longer describe the scoring. The engine
// keeps its own copy, so changing rs later does not change the engine.
func NewEngine(rs *RuleSet, opts EngineOptions) (*Engine, error) {
	if rs == nil {
		return nil, errors.New("credit: NewEngine: nil rule set")
	}
	if !rs.resolved {
		return nil, fmt.Errorf("credit: rule set %s extends %s and is not resolved: register it in a RuleSetRegistry", rs.ID, rs.Extends)
	}
	if err := rs.verify(); err != nil {
		return nil, err
	}
	rs, err := rs.clone()
	if err != nil {
		return nil, err
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
		if !slices.Contains(localLanguages, e.lang) {
			return nil, fmt.Errorf("credit: NewEngine: unknown language %q (want en, zh, ru or one of %v)", opts.Lang, localLanguages)
		}
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
	e.local = localGrades(rs)
	e.minGrade = -1
	if mg := rs.Certification.MinGrade; mg != "" {
		e.minGrade = e.gradeIdx[mg] // the loader checks it is on the scale
	}
	need := map[string]bool{}
	e.totalW = decimal.Zero
	pillarPos := map[string]int{}
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
		cc.maxText = decText(hi)
		cc.weight = hi.Sub(lo)
		if c.Weight.Valid {
			cc.weight = c.Weight.Decimal
		}
		cc.miss = cc.compileBin(c.Missing.Points, c.Missing.Reason)
		for _, b := range c.Bins {
			cc.bins = append(cc.bins, cc.compileBin(b.Points, b.Reason))
		}
		for _, b := range c.Categories {
			cc.cats = append(cc.cats, cc.compileBin(b.Points, b.Reason))
		}
		e.totalW = e.totalW.Add(cc.weight)
		need[c.Indicator] = true
		j, ok := pillarPos[c.Pillar]
		if !ok {
			j = len(e.pillars)
			pillarPos[c.Pillar] = j
			e.pillars = append(e.pillars, compiledPillar{id: c.Pillar})
		}
		cc.pillar = j
		// The same sums, in the same order, as Score made before they
		// were precomputed.
		pl := &e.pillars[j]
		pl.maxPoints = pl.maxPoints.Add(cc.maxPoints)
		pl.weight = pl.weight.Add(cc.weight)
		e.chars = append(e.chars, cc)
	}
	for i := range e.pillars {
		e.pillars[i].maxText = decText(e.pillars[i].maxPoints)
	}
	for _, cp := range rs.Caps {
		cc := compiledCap{Cap: cp, maxGrade: -1}
		if cp.MaxGrade != "" {
			cc.maxGrade = e.gradeIdx[cp.MaxGrade]
		}
		for _, w := range cp.When {
			cd := compiledCond{indicator: w.Indicator, op: w.Op, values: w.Values,
				categorical: indicators[w.Indicator].Kind == Categorical}
			if len(w.Value) > 0 {
				if cd.categorical {
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
	ids := make([]string, 0, len(need))
	for id := range need {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
		e.needed = append(e.needed, indicators[id])
	}
	for i := range e.chars {
		e.chars[i].pos = pos[e.chars[i].Indicator]
	}
	for i := range e.caps {
		for j := range e.caps[i].conds {
			cd := &e.caps[i].conds[j]
			cd.pos = pos[cd.indicator]
		}
	}
	e.unitSums = e.compileUnits()
	return e, nil
}

// compileBin returns the outcome of a bin with the given points and
// reason code, once the characteristic's maxPoints is known.
func (c *compiledChar) compileBin(points decimal.Decimal, reason string) compiledBin {
	if reason == "" {
		reason = c.Reason
	}
	return compiledBin{points: points, text: decText(points), loss: c.maxPoints.Sub(points), reason: reason}
}

// ready returns ErrZeroEngine for an Engine not made by NewEngine.
func (e *Engine) ready() error {
	if e == nil || e.table == nil {
		return ErrZeroEngine
	}
	return nil
}

// RuleSet returns a copy of the engine's rule set (the engine keeps its
// own, which callers cannot change); nil for an Engine not made by
// NewEngine.
func (e *Engine) RuleSet() *RuleSet {
	if e.ready() != nil {
		return nil
	}
	c, err := e.rs.clone()
	if err != nil {
		panic(err) // cannot happen: NewEngine decoded the same snapshot
	}
	return c
}

// PD returns the model PD of a score (clamped to the rule set's score
// range) before the floor, the PD reported in profiles (floored, PDDecimals
// places) and the grade of the score before caps. An Engine not made by
// NewEngine returns zero values.
func (e *Engine) PD(score int64) (raw decimal.Decimal, reported string, grade string) {
	if e.ready() != nil {
		return decimal.Decimal{}, "", ""
	}
	score = max(e.rs.Scaling.MinScore, min(score, e.rs.Scaling.MaxScore))
	r, t, g := e.table.at(score)
	return r, t, e.rs.MasterScale.Grades[g].Grade
}

// Score scores one record. The record should have passed validation; the
// engine itself never panics on odd values (zero or negative
// denominators, missing fields): the indicators concerned are missing.
// The only errors are a nil record or context (ErrNilArgument), an Engine
// not made by NewEngine (ErrZeroEngine) and a cancelled context.
func (e *Engine) Score(ctx context.Context, rec *Record) (*Profile, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	if rec == nil || ctx == nil {
		return nil, fmt.Errorf("%w: Score needs a context and a record", ErrNilArgument)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ic := newIndicatorCtx(rec, e.params, e.rates)
	values := make([]IndicatorValue, len(e.needed))
	for i := range e.needed {
		d := &e.needed[i]
		v := d.compute(ic)
		if !v.IsMissing() && d.Kind == Numeric {
			v.Num = v.Num.Round(d.Scale)
		}
		values[i] = v
	}

	p := &Profile{
		RecordID:        rec.RecordID,
		Country:         rec.Enterprise.Country,
		RuleSet:         e.ref,
		Characteristics: make([]CharacteristicScore, 0, len(e.chars)),
		Reasons:         []Reason{},
		Caps:            []AppliedCap{},
	}
	outcomes := make([]*compiledBin, len(e.chars))
	has := make([]bool, len(e.chars))
	texts := make([]string, len(e.chars)) // the characteristics' Values point here: one allocation
	for i := range e.chars {
		c := &e.chars[i]
		v := values[c.pos]
		b := c.outcome(v)
		outcomes[i] = b
		cs := CharacteristicScore{
			ID: c.ID, Indicator: c.Indicator, Pillar: c.Pillar,
			Points: b.text, MaxPoints: c.maxText,
		}
		if v.IsMissing() {
			cs.Missing = v.Missing
		} else {
			has[i] = true
			texts[i] = v.Cat
			if c.def.Kind == Numeric {
				texts[i] = v.Num.StringFixed(c.def.Scale)
			}
			cs.Value = &texts[i]
		}
		if b.loss.Sign() > 0 {
			cs.Reason = b.reason
		}
		p.Characteristics = append(p.Characteristics, cs)
	}
	t := e.tally(outcomes, has)
	p.Pillars = t.pillars

	// Score: rounded half away from zero (tally), then clamped.
	score := max(e.rs.Scaling.MinScore, min(t.score, e.rs.Scaling.MaxScore))
	p.Score = score
	rawPD, pdText, g := e.table.at(score)
	coverage := t.coverage
	p.Coverage = t.coverageText
	if p.Coverage == "" {
		p.Coverage = coverage.StringFixed(4)
	}
	p.Certifiable = true

	// Caps lower the grade (a higher index is a worse grade), never raise it.
	scoreGrade := g
	last := len(e.rs.MasterScale.Grades) - 1
	defaulted := false
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
		if cp.maxGrade == last {
			defaulted = true
		}
		if cp.Certifiable != nil && !*cp.Certifiable {
			ac.Certifiable = false
			p.Certifiable = false
		}
		p.Caps = append(p.Caps, ac)
	}
	p.Grade = e.rs.MasterScale.Grades[g].Grade
	p.LocalGrade = e.localGrade(g)
	p.PD = e.cappedPD(rawPD, pdText, scoreGrade, g, defaulted)

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
	// The same rule as the validator's STALE_FINANCIALS warning (strictly
	// more than the allowed months, day-exact, month ends clamped), so that
	// a profile never carries that warning and is still certifiable.
	if ic.latest != nil && statementTooOld(ic.latest.PeriodEnd, cert.MaxStatementAgeMonths, rec.AsOf) {
		fail("certification.max_statement_age_months", ReasonCertStaleStatement)
	}
	if cert.RequireAudited && (ic.latest == nil || !ic.latest.Audited) {
		fail("certification.require_audited", ReasonCertNotAudited)
	}
	if e.minGrade >= 0 && g > e.minGrade {
		fail("certification.min_grade", ReasonCertGradeBelowMinimum)
	}

	p.Reasons = t.reasons
	e.warnOtherCountry(ic, rec)
	p.Warnings = sortProblems(ic.warnings)
	if p.Warnings == nil {
		p.Warnings = []Problem{}
	}
	return p, nil
}

// statementTooOld reports whether a statement ending on periodEnd is more
// than months old at asOf: periodEnd plus months (the day clamped to the
// end of the target month, as Date.AddMonths does) is before asOf. A
// statement ending 2025-03-31 is 18 months old on 2026-09-30 and too old
// from 2026-10-01.
func statementTooOld(periodEnd Date, months int, asOf Date) bool {
	return periodEnd.AddMonths(months).Before(asOf)
}

// cappedPD returns the reported PD. Without a cap that lowered the grade
// it is the model PD of the score, floored (pdText). A cap lowers the
// grade because of information the score does not carry, so the PD must
// follow: it becomes at least the lower PD bound of the capped grade (the
// previous grade's pd_upper), so that the reported PD lies in the band of
// the reported grade. A cap to the default grade (the last one) reports
// PD 1: a defaulted borrower has PD 100% under the Basel IRB approach
// (CRE32; credit-model-facts 2.6), whatever its score. The floor still
// applies, so a cap to a grade whose band lies below the floor (AA under
// SCO-BASE) reports the floor, as an uncapped AAA or AA does.
func (e *Engine) cappedPD(raw decimal.Decimal, pdText string, scoreGrade, g int, defaulted bool) string {
	switch {
	case defaulted:
		return one.StringFixed(PDDecimals)
	case g > scoreGrade:
		lower := e.rs.MasterScale.Grades[g-1].PDUpper
		return decimal.Max(raw, lower, e.floor).StringFixed(PDDecimals)
	}
	return pdText
}

// share returns part/whole with 16 places; 1 when whole is zero.
func share(part, whole decimal.Decimal) decimal.Decimal {
	if whole.Sign() <= 0 {
		return one
	}
	return part.DivRound(whole, ratioPrecision)
}

// outcome returns the precompiled bin v falls into.
func (c *compiledChar) outcome(v IndicatorValue) *compiledBin {
	if v.IsMissing() {
		return &c.miss
	}
	if c.catBin != nil {
		j, ok := c.catBin[v.Cat]
		if !ok { // cannot happen: the loader checks every category has a bin
			return &c.miss
		}
		return &c.cats[j]
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
	return &c.bins[j]
}

// holds reports whether every condition of the cap holds; values are
// indexed by position (Engine.needed).
func (cp *compiledCap) holds(values []IndicatorValue) bool {
	for i := range cp.conds {
		cd := &cp.conds[i]
		v := values[cd.pos]
		switch cd.op {
		case OpMissing, OpPresent:
			// Conditions on evidence itself: whether the indicator could
			// be computed at all.
			if v.IsMissing() != (cd.op == OpMissing) {
				return false
			}
			continue
		}
		if v.IsMissing() {
			return false
		}
		var ok bool
		switch {
		case cd.op == "in":
			ok = slices.Contains(cd.values, v.Cat)
		case cd.categorical:
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
