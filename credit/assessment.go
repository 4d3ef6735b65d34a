package credit

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/creditsco/creditsco/credit/ident"
)

// An Assessment is one record as an Engine assessed it: the record's JSON
// text as received, its typed form, the Profile the engine gave it, the
// engine (its rule set) and the identifier registry the record was
// validated with, bound together so that they cannot be mixed up. It is what package credit/cert certifies: a
// certificate states the enterprise, the assessment date and the record
// digest of the same record whose profile it carries.
//
// Only an Engine makes Assessments (Engine.Assess, and in
// StreamResult.Assessment Engine.ScoreJSON, Engine.ScoreStream and the
// Scorer's ScoreJSON and ScoreStream). Its content is fixed
// when it is made: the methods return copies, so changing what they
// return changes nothing in the Assessment. An Assessment is safe for
// concurrent use. The zero Assessment holds nothing; code that certifies
// refuses it.
type Assessment struct {
	engine  *Engine
	idents  *ident.Registry // of the validator that validated the record
	data    []byte          // the record's JSON text; a private copy
	record  *Record         // typed from data by the engine's validator; never handed out
	profile *Profile        // a private copy of the profile

	canonOnce sync.Once
	canon     []byte
	digest    string
	canonErr  error
}

// newAssessment binds a record that v validated from data and e scored.
// data becomes the Assessment's own: no one else may hold it (the
// streams' private copy of a record, or ScoreJSON's copy of the caller's
// bytes). p is copied, so that a caller holding p (such as
// StreamResult.Profile) cannot change what the Assessment states.
func newAssessment(e *Engine, v *Validator, data []byte, rec *Record, p *Profile) *Assessment {
	return &Assessment{engine: e, idents: v.idents, data: data, record: rec, profile: cloneProfile(p)}
}

// Assess validates the JSON record data with the engine's validator and,
// if it is valid, scores it and returns the Assessment. For an invalid
// record the error is the record's Problems (errors and warnings); other
// errors are those of ScoreJSON: a nil or cancelled context and an Engine
// not made by NewEngine (ErrZeroEngine). data is copied.
//
// Assess is ScoreJSON returning only the Assessment; a batch reads
// StreamResult.Assessment from ScoreStream instead.
func (e *Engine) Assess(ctx context.Context, data []byte) (*Assessment, error) {
	res, err := e.ScoreJSON(ctx, data)
	if err != nil {
		return nil, err
	}
	if res.Assessment == nil {
		return nil, res.Problems
	}
	return res.Assessment, nil
}

// RecordID returns the record's record_id; "" if it has none or a is the
// zero Assessment.
func (a *Assessment) RecordID() string {
	if a == nil || a.record == nil {
		return ""
	}
	return a.record.RecordID
}

// AsOf returns the record's assessment date.
func (a *Assessment) AsOf() Date {
	if a == nil || a.record == nil {
		return Date{}
	}
	return a.record.AsOf
}

// Enterprise returns a copy of the record's enterprise.
func (a *Assessment) Enterprise() Enterprise {
	if a == nil || a.record == nil {
		return Enterprise{}
	}
	e := a.record.Enterprise
	e.Identifiers = slices.Clone(e.Identifiers)
	if e.Industry != nil {
		ind := *e.Industry
		e.Industry = &ind
	}
	if e.Employees != nil {
		n := *e.Employees
		e.Employees = &n
	}
	return e
}

// Profile returns a copy of the record's profile; nil for the zero
// Assessment.
func (a *Assessment) Profile() *Profile {
	if a == nil || a.profile == nil {
		return nil
	}
	return cloneProfile(a.profile)
}

// RuleSetRef names the rule set the record was scored with; the zero
// RuleSetRef for the zero Assessment.
func (a *Assessment) RuleSetRef() RuleSetRef {
	if a == nil || a.engine == nil {
		return RuleSetRef{}
	}
	return a.engine.ref
}

// RuleSet returns a copy of the rule set the record was scored with, as
// Engine.RuleSet does; nil for the zero Assessment.
func (a *Assessment) RuleSet() *RuleSet {
	if a == nil || a.engine == nil {
		return nil
	}
	return a.engine.RuleSet()
}

// Identifiers returns the identifier registry the record was validated
// with (ValidatorOptions.Identifiers of the engine's or scorer's
// validator, by default ident.Default()), so that schemes a user
// registered are known when the record is certified; nil for the zero
// Assessment.
func (a *Assessment) Identifiers() *ident.Registry {
	if a == nil {
		return nil
	}
	return a.idents
}

// Canonical returns the RFC 8785 (JCS) form of the record's JSON text, the
// bytes whose SHA-256 is the record digest. It is computed on first use,
// since scoring alone does not need it. An issuer keeps these bytes as the
// evidence behind a certificate. The error is the canonicaliser's, for a
// record that is not I-JSON.
func (a *Assessment) Canonical() ([]byte, error) {
	if err := a.canonicalize(); err != nil {
		return nil, err
	}
	return slices.Clone(a.canon), nil
}

// RecordDigest returns "sha256:<hex>" of Canonical(), the digest that a
// certificate carries as its recordDigest.
func (a *Assessment) RecordDigest() (string, error) {
	if err := a.canonicalize(); err != nil {
		return "", err
	}
	return a.digest, nil
}

func (a *Assessment) canonicalize() error {
	if a == nil || a.record == nil {
		return errors.New("credit: zero Assessment")
	}
	a.canonOnce.Do(func() {
		a.canon, a.canonErr = canonicalJSON(a.data)
		if a.canonErr == nil {
			a.digest = digestOf(a.canon)
		}
	})
	return a.canonErr
}

// cloneProfile returns a deep copy of p.
func cloneProfile(p *Profile) *Profile {
	if p == nil {
		return nil
	}
	c := *p
	c.Pillars = slices.Clone(p.Pillars)
	c.Characteristics = slices.Clone(p.Characteristics)
	values := make([]string, len(c.Characteristics)) // one allocation for every value
	for i := range c.Characteristics {
		if v := c.Characteristics[i].Value; v != nil {
			values[i] = *v
			c.Characteristics[i].Value = &values[i]
		}
	}
	c.Reasons = slices.Clone(p.Reasons)
	c.Caps = slices.Clone(p.Caps)
	c.Warnings = slices.Clone(p.Warnings)
	return &c
}
