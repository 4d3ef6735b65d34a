package credit

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"slices"
)

// Scorer scores records of any country, each with the rule set that its
// registry selects for the record's country and as_of
// (RuleSetRegistry.Select): a mixed batch in one call. It builds one
// Engine per rule set it can select when it is made, so that choosing a
// rule set costs a map lookup and a date comparison per record and no
// engine is built twice. It is safe for concurrent use.
//
// A Scorer works on a snapshot of the registry: rule sets registered or
// defaults set afterwards do not change it. To force one rule set on every
// record, use that rule set's Engine instead; a record of another country
// then carries a RULESET_OTHER_COUNTRY warning.
type Scorer struct {
	sel       *selector
	engines   map[*RuleSet]*Engine
	validator *Validator
	workers   int
}

// NewScorer builds a Scorer over the rule sets of reg. opts apply to every
// engine; they share one validator (opts.Validator, or a new one with the
// built-in identifier schemes). It fails when reg holds a rule set that
// NewEngine refuses (one changed after loading, wrapping
// ErrRuleSetModified) or when opts are invalid.
func NewScorer(reg *RuleSetRegistry, opts EngineOptions) (*Scorer, error) {
	if reg == nil {
		return nil, fmt.Errorf("%w: NewScorer needs a registry", ErrNilArgument)
	}
	if opts.Validator == nil {
		v, err := NewValidator(ValidatorOptions{})
		if err != nil {
			return nil, err
		}
		opts.Validator = v
	}
	s := &Scorer{sel: reg.selector(), engines: map[*RuleSet]*Engine{}, validator: opts.Validator, workers: opts.Workers}
	if s.workers <= 0 {
		s.workers = runtime.GOMAXPROCS(0)
	}
	var built []*Engine
	for _, rs := range s.sel.all() {
		e, err := NewEngine(rs, opts)
		if err != nil {
			return nil, fmt.Errorf("credit: NewScorer: rule set %s %s: %w", rs.ID, rs.Version, err)
		}
		shareCompiled(e, built)
		built = append(built, e)
		s.engines[rs] = e
	}
	return s, nil
}

// shareCompiled points e's compiled characteristics, indicator list,
// caps, reason texts, score table and master scale at those of an engine
// built before from equal content.
// Country rule sets inherit their characteristics, scaling and master
// scale from the baseline, so their engines compile the same bins; sharing
// one copy means a mixed batch touches the memory of one engine's bins, as
// a single-country batch does, instead of twelve (about 7 % of the cost of
// a Score, measured). What is shared is never written after NewEngine.
func shareCompiled(e *Engine, built []*Engine) {
	for _, p := range built {
		if slices.EqualFunc(e.needed, p.needed, func(a, b indicatorDef) bool { return a.ID == b.ID }) &&
			reflect.DeepEqual(e.rs.Characteristics, p.rs.Characteristics) {
			// The same characteristics and indicator positions compile to the
			// same bins and pillars.
			e.needed, e.chars, e.pillars = p.needed, p.chars, p.pillars
			if reflect.DeepEqual(e.rs.Caps, p.rs.Caps) {
				e.caps = p.caps
			}
		}
		if reflect.DeepEqual(e.rs.Reasons, p.rs.Reasons) {
			e.rs.Reasons = p.rs.Reasons
		}
		if reflect.DeepEqual(e.rs.Scaling, p.rs.Scaling) && reflect.DeepEqual(e.rs.MasterScale, p.rs.MasterScale) && e.floor.Equal(p.floor) {
			e.table, e.rs.Scaling, e.rs.MasterScale = p.table, p.rs.Scaling, p.rs.MasterScale
		}
	}
}

// ready returns ErrZeroEngine for a Scorer not made by NewScorer.
func (s *Scorer) ready() error {
	if s == nil || s.sel == nil {
		return ErrZeroEngine
	}
	return nil
}

// Engine returns the engine that scores records of country as of asOf; the
// error wraps ErrNoRuleSet when the registry had no rule set for them.
func (s *Scorer) Engine(country string, asOf Date) (*Engine, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	rs, err := s.sel.pick(country, asOf)
	if err != nil {
		return nil, err
	}
	return s.engines[rs], nil
}

// Score scores one record with the engine of its country and as_of (see
// Engine.Score). The error wraps ErrNoRuleSet when there is none.
func (s *Scorer) Score(ctx context.Context, rec *Record) (*Profile, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if rec == nil || ctx == nil {
		return nil, fmt.Errorf("%w: Score needs a context and a record", ErrNilArgument)
	}
	e, err := s.Engine(rec.Enterprise.Country, rec.AsOf)
	if err != nil {
		return nil, err
	}
	return e.Score(ctx, rec)
}

// ScoreJSON validates one JSON record and scores it when it is valid, as
// Engine.ScoreJSON does, with the engine of its country and as_of. A valid
// record for which no rule set exists gives a result with a NO_RULESET
// problem and no profile.
func (s *Scorer) ScoreJSON(ctx context.Context, data []byte) (StreamResult, error) {
	if err := s.ready(); err != nil {
		return StreamResult{}, err
	}
	if ctx == nil {
		return StreamResult{}, fmt.Errorf("%w: ScoreJSON needs a context", ErrNilArgument)
	}
	return s.scoreRaw(ctx, RawRecord{Index: 1, Data: slices.Clone(data)})
}

func (s *Scorer) scoreRaw(ctx context.Context, raw RawRecord) (StreamResult, error) {
	res, rec := validateRaw(s.validator, raw)
	if rec == nil {
		return res, nil
	}
	e, err := s.Engine(rec.Enterprise.Country, rec.AsOf)
	if err != nil {
		res.Problems = sortProblems(append(res.Problems, Problem{Path: "/enterprise/country", Code: CodeNoRuleSet,
			Severity: SeverityError, Message: err.Error()}))
		return res, nil
	}
	return res, e.scoreValid(ctx, &res, rec, raw.Data, s.validator)
}

// ScoreStream reads records from r (one JSON record, a JSON array of
// records, or NDJSON), validates them and scores each with the engine of
// its country and as_of on the scorer's workers, and calls emit once per
// record, in input order, from the calling goroutine, exactly as
// Engine.ScoreStream does (bounded memory, the same errors). A record
// without a rule set is not dropped: it gives a result with a NO_RULESET
// problem.
func (s *Scorer) ScoreStream(ctx context.Context, r io.Reader, emit func(StreamResult) error) error {
	if err := s.ready(); err != nil {
		return err
	}
	return orderedStream(ctx, r, s.workers, s.scoreRaw, emit)
}

// RuleSets returns the rule sets the scorer can select, each once: the
// fallback's versions first, then those of each country in code order.
// They are the scorer's engines' own copies.
func (s *Scorer) RuleSets() []*RuleSet {
	if s.ready() != nil {
		return nil
	}
	all := s.sel.all()
	out := make([]*RuleSet, len(all))
	for i, rs := range all {
		out[i] = s.engines[rs].RuleSet()
	}
	return out
}
