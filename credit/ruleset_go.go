package credit

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
)

// NewRuleSet loads a rule set written as Go code. It is LoadRuleSet for a
// RuleSet value instead of a file: the exported fields are written out as
// the JSON file that rs.JSON returns, and that file goes through exactly
// the loader LoadRuleSet uses. The checks, the Problems (codes and JSON
// Pointer paths into that file) and the digest are therefore the same as
// for the same content written as data, and publishing rs.JSON lets
// anyone re-load it with LoadRuleSet and recompute the digest.
//
// The unexported state of rs (its digest, whether it is resolved) is
// ignored, and rs is not retained: the result is decoded afresh from the
// JSON form, so changing rs afterwards does not change it. As with
// LoadRuleSet, a stand-alone result is ready for NewEngine, and one that
// extends another must be registered in a RuleSetRegistry holding the
// parent.
//
// A nil Sources is written as an empty list. Condition.Value holds raw
// JSON: json.RawMessage("1") for a number, json.RawMessage(`"active"`)
// for a string; an invalid one is reported as RULESET_MALFORMED_JSON at
// its path.
func NewRuleSet(rs RuleSet) (*RuleSet, error) {
	data, err := rs.JSON()
	if err != nil {
		return nil, err
	}
	return parseRuleSet(data)
}

// JSON returns the rule set as its JSON file, the file that NewRuleSet
// loads: LoadRuleSet reads it back to the same content and the same
// Digest, so it is the form to publish for a rule set written in Go. It is
// indented, with members in the order of the RuleSet fields. Decimals are
// written as JSON numbers, exactly; absent optional parts (nil pointers,
// empty optional strings, maps and lists, invalid NullDecimals) are left
// out.
//
// Only the exported fields are written, so a file that had members the
// Go types do not keep ("$schema", an empty "country", a null bound)
// comes back without them, and with another digest. A rule set that
// extends another and was resolved by a RuleSetRegistry holds the merged
// content and cannot be written as its own file: JSON returns an error
// for it; write the rule set as it was before registration instead.
func (rs *RuleSet) JSON() ([]byte, error) {
	if rs == nil {
		return nil, fmt.Errorf("credit: JSON: nil rule set")
	}
	if rs.resolved && rs.Extends != "" {
		return nil, fmt.Errorf("credit: rule set %s is resolved against %s; write the rule set as it was before Register", rs.ID, rs.Extends)
	}
	var ps Problems
	for i, c := range rs.Caps {
		for j, cond := range c.When {
			if len(cond.Value) > 0 && !json.Valid(cond.Value) {
				ps = append(ps, rsProblem(pointer("/caps", itoa(i), "when", itoa(j), "value"), CodeRuleSetMalformed,
					"condition value %q is not JSON: write json.RawMessage(\"1\") for a number, json.RawMessage(`\"text\"`) for a string", cond.Value))
			}
		}
	}
	if len(ps) > 0 {
		return nil, sortProblems(ps)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(docOf(rs)); err != nil {
		return nil, fmt.Errorf("credit: writing rule set %s as JSON: %w", rs.ID, err)
	}
	return b.Bytes(), nil
}

// The *Doc types mirror the rule-set types field by field (same JSON names
// and order, checked by a test) with decimals as json.Number, so that they
// are written as JSON numbers whatever decimal.MarshalJSONWithoutQuotes
// says, and invalid NullDecimals are left out rather than written as null.
// Types without decimals (Source, Cap, ReasonText and the country parts)
// are written as they are.

type ruleSetDoc struct {
	ID              string                     `json:"id"`
	Version         string                     `json:"version"`
	Country         string                     `json:"country,omitempty"`
	Extends         string                     `json:"extends,omitempty"`
	EffectiveFrom   string                     `json:"effective_from,omitempty"`
	Description     string                     `json:"description"`
	Sources         []Source                   `json:"sources"`
	Identity        *Identity                  `json:"identity,omitempty"`
	Currency        string                     `json:"currency,omitempty"`
	Registers       []Register                 `json:"registers,omitempty"`
	CustomsTiers    []CustomsTier              `json:"customs_tiers,omitempty"`
	LocalScale      *LocalScale                `json:"local_scale,omitempty"`
	Scaling         *scalingDoc                `json:"scaling,omitempty"`
	PDFloor         *sourcedValueDoc           `json:"pd_floor,omitempty"`
	MasterScale     *masterScaleDoc            `json:"master_scale,omitempty"`
	Parameters      map[string]sourcedValueDoc `json:"parameters,omitempty"`
	Characteristics []characteristicDoc        `json:"characteristics,omitempty"`
	Caps            []Cap                      `json:"caps,omitempty"`
	Certification   *certificationDoc          `json:"certification,omitempty"`
	Reasons         map[string]ReasonText      `json:"reasons,omitempty"`
}

type sourcedValueDoc struct {
	Value  json.Number `json:"value"`
	Source string      `json:"source"`
}

type scalingDoc struct {
	BaseScore  int64       `json:"base_score"`
	BaseOdds   json.Number `json:"base_odds"`
	PDO        json.Number `json:"pdo"`
	MinScore   int64       `json:"min_score"`
	MaxScore   int64       `json:"max_score"`
	BasePoints json.Number `json:"base_points"`
	Source     string      `json:"source"`
}

type masterScaleDoc struct {
	Name   string     `json:"name"`
	Source string     `json:"source"`
	Grades []gradeDoc `json:"grades"`
}

type gradeDoc struct {
	Grade    string       `json:"grade"`
	PDUpper  json.Number  `json:"pd_upper"`
	PDAnchor *json.Number `json:"pd_anchor,omitempty"`
	Meaning  string       `json:"meaning,omitempty"`
	Source   string       `json:"source"`
}

type characteristicDoc struct {
	ID          string           `json:"id"`
	Indicator   string           `json:"indicator"`
	Pillar      string           `json:"pillar"`
	Direction   Direction        `json:"direction"`
	Weight      *json.Number     `json:"weight,omitempty"`
	Reason      string           `json:"reason"`
	Description string           `json:"description,omitempty"`
	Source      string           `json:"source"`
	Bins        []binDoc         `json:"bins,omitempty"`
	Categories  []categoryBinDoc `json:"categories,omitempty"`
	Missing     missingBinDoc    `json:"missing"`
}

type binDoc struct {
	Lower  *json.Number `json:"lower,omitempty"`
	Upper  *json.Number `json:"upper,omitempty"`
	Points json.Number  `json:"points"`
	Reason string       `json:"reason,omitempty"`
	Source string       `json:"source"`
}

type categoryBinDoc struct {
	Values []string    `json:"values"`
	Points json.Number `json:"points"`
	Reason string      `json:"reason,omitempty"`
	Source string      `json:"source"`
}

type missingBinDoc struct {
	Points json.Number `json:"points"`
	Reason string      `json:"reason,omitempty"`
	Source string      `json:"source"`
}

type certificationDoc struct {
	MinStatements         int         `json:"min_statements"`
	MaxStatementAgeMonths int         `json:"max_statement_age_months"`
	MinCoverage           json.Number `json:"min_coverage"`
	RequireAudited        bool        `json:"require_audited"`
	MinGrade              string      `json:"min_grade,omitempty"`
	ValidityMonths        int         `json:"validity_months"`
	Source                string      `json:"source"`
}

// jsonNum writes a decimal exactly, in plain notation (decimal.String never
// uses an exponent), so that the loader's precision check sees every digit.
func jsonNum(d decimal.Decimal) json.Number { return json.Number(d.String()) }

func jsonNumPtr(d *decimal.Decimal) *json.Number {
	if d == nil {
		return nil
	}
	n := jsonNum(*d)
	return &n
}

func jsonNullNum(d decimal.NullDecimal) *json.Number {
	if !d.Valid {
		return nil
	}
	return jsonNumPtr(&d.Decimal)
}

func docOf(rs *RuleSet) *ruleSetDoc {
	d := &ruleSetDoc{
		ID:            rs.ID,
		Version:       rs.Version,
		Country:       rs.Country,
		Extends:       rs.Extends,
		EffectiveFrom: rs.EffectiveFrom,
		Description:   rs.Description,
		Sources:       rs.Sources,
		Identity:      rs.Identity,
		Currency:      rs.Currency,
		Registers:     rs.Registers,
		CustomsTiers:  rs.CustomsTiers,
		LocalScale:    rs.LocalScale,
		Caps:          rs.Caps,
		Reasons:       rs.Reasons,
	}
	if d.Sources == nil {
		d.Sources = []Source{}
	}
	if s := rs.Scaling; s != nil {
		d.Scaling = &scalingDoc{
			BaseScore: s.BaseScore, BaseOdds: jsonNum(s.BaseOdds), PDO: jsonNum(s.PDO),
			MinScore: s.MinScore, MaxScore: s.MaxScore, BasePoints: jsonNum(s.BasePoints), Source: s.Source,
		}
	}
	if f := rs.PDFloor; f != nil {
		d.PDFloor = &sourcedValueDoc{Value: jsonNum(f.Value), Source: f.Source}
	}
	if m := rs.MasterScale; m != nil {
		ms := &masterScaleDoc{Name: m.Name, Source: m.Source}
		if m.Grades != nil {
			ms.Grades = make([]gradeDoc, len(m.Grades))
		}
		for i, g := range m.Grades {
			ms.Grades[i] = gradeDoc{Grade: g.Grade, PDUpper: jsonNum(g.PDUpper), PDAnchor: jsonNullNum(g.PDAnchor), Meaning: g.Meaning, Source: g.Source}
		}
		d.MasterScale = ms
	}
	if rs.Parameters != nil {
		d.Parameters = make(map[string]sourcedValueDoc, len(rs.Parameters))
		for k, v := range rs.Parameters {
			d.Parameters[k] = sourcedValueDoc{Value: jsonNum(v.Value), Source: v.Source}
		}
	}
	if rs.Characteristics != nil {
		d.Characteristics = make([]characteristicDoc, len(rs.Characteristics))
	}
	for i, c := range rs.Characteristics {
		cd := characteristicDoc{
			ID: c.ID, Indicator: c.Indicator, Pillar: c.Pillar, Direction: c.Direction,
			Weight: jsonNullNum(c.Weight), Reason: c.Reason, Description: c.Description, Source: c.Source,
			Missing: missingBinDoc{Points: jsonNum(c.Missing.Points), Reason: c.Missing.Reason, Source: c.Missing.Source},
		}
		if c.Bins != nil {
			cd.Bins = make([]binDoc, len(c.Bins))
		}
		for j, b := range c.Bins {
			cd.Bins[j] = binDoc{Lower: jsonNumPtr(b.Lower), Upper: jsonNumPtr(b.Upper), Points: jsonNum(b.Points), Reason: b.Reason, Source: b.Source}
		}
		if c.Categories != nil {
			cd.Categories = make([]categoryBinDoc, len(c.Categories))
		}
		for j, b := range c.Categories {
			cd.Categories[j] = categoryBinDoc{Values: b.Values, Points: jsonNum(b.Points), Reason: b.Reason, Source: b.Source}
		}
		d.Characteristics[i] = cd
	}
	if c := rs.Certification; c != nil {
		d.Certification = &certificationDoc{
			MinStatements: c.MinStatements, MaxStatementAgeMonths: c.MaxStatementAgeMonths,
			MinCoverage: jsonNum(c.MinCoverage), RequireAudited: c.RequireAudited,
			MinGrade: c.MinGrade, ValidityMonths: c.ValidityMonths, Source: c.Source,
		}
	}
	return d
}
