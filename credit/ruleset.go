package credit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/shopspring/decimal"
)

// Problem codes of rule-set loading. Paths are JSON Pointers into the rule
// set file.
const (
	CodeRuleSetTooLarge         = "RULESET_TOO_LARGE"
	CodeRuleSetMalformed        = "RULESET_MALFORMED_JSON"
	CodeRuleSetSchema           = "RULESET_SCHEMA_VIOLATION"
	CodeRuleSetDuplicateID      = "RULESET_DUPLICATE_ID"
	CodeRuleSetUnknownIndicator = "RULESET_UNKNOWN_INDICATOR"
	CodeRuleSetIndicatorKind    = "RULESET_INDICATOR_KIND"
	CodeRuleSetBinsUnsorted     = "RULESET_BINS_UNSORTED"
	CodeRuleSetBinsGap          = "RULESET_BINS_GAP"
	CodeRuleSetBinsOpenEnds     = "RULESET_BINS_OPEN_ENDS"
	CodeRuleSetCategories       = "RULESET_CATEGORIES"
	CodeRuleSetDirection        = "RULESET_DIRECTION_VIOLATED"
	CodeRuleSetMasterScale      = "RULESET_MASTER_SCALE"
	CodeRuleSetScaling          = "RULESET_SCALING"
	CodeRuleSetUnknownReason    = "RULESET_UNKNOWN_REASON"
	CodeRuleSetUnknownGrade     = "RULESET_UNKNOWN_GRADE"
	CodeRuleSetCapCondition     = "RULESET_CAP_CONDITION"
	CodeRuleSetMissingPart      = "RULESET_MISSING_PART"
	CodeRuleSetUnknownParent    = "RULESET_UNKNOWN_PARENT"
	CodeRuleSetParameter        = "RULESET_PARAMETER"
	CodeRuleSetNumberPrecision  = "RULESET_NUMBER_PRECISION"
	// CodeRuleSetNumberTooLong: a number of more than 24 characters or
	// with an exponent of more than 2 digits, as for records.
	CodeRuleSetNumberTooLong = "RULESET_NUMBER_TOO_LONG"
	// CodeRuleSetTooDeep: nesting deeper than the rule-set schema needs.
	CodeRuleSetTooDeep = "RULESET_TOO_DEEP"
	// CodeRuleSetTooManyProblems counts the problems beyond MaxProblems
	// that are not listed.
	CodeRuleSetTooManyProblems = "RULESET_TOO_MANY_PROBLEMS"
)

// maxRuleSetBytes bounds the size of a rule-set file.
const maxRuleSetBytes = 1 << 20

// maxScoreRange bounds max_score - min_score; the engine precomputes the PD
// of every integer score.
const maxScoreRange = 10000

// Direction is the declared monotonicity of a characteristic's points in
// its indicator value.
type Direction string

// The directions.
const (
	Increasing  Direction = "increasing"
	Decreasing  Direction = "decreasing"
	NoDirection Direction = "none"
)

// RuleSet is a scoring rule set as read from its JSON file (see
// schema/ruleset.schema.json) by LoadRuleSet, or as written in Go and
// loaded by NewRuleSet, which applies the same checks and gives the same
// digest; JSON returns the file to publish. A loaded rule set that extends
// another is not usable on its own: register it in a RuleSetRegistry that
// holds its parent, which resolves it.
//
// Treat a loaded RuleSet as read-only: its Digest was computed from the
// content it was loaded with, and NewEngine and RuleSetRegistry.Register
// refuse a rule set whose exported fields were changed since (an error
// wrapping ErrRuleSetModified), since profiles would carry a digest that no
// longer describes the scoring. To change a rule set, build the new
// content as a RuleSet value and load it with NewRuleSet, which gives it
// its own digest. DefaultRuleSet and BuiltinRuleSets hand out fresh copies,
// and an Engine scores with its own copy, so no holder of a RuleSet can
// change what another one scores with.
type RuleSet struct {
	// ID is the stable identifier of the rule set, such as SCO-BASE or
	// CN-2026. Profiles and certificates name it.
	ID string `json:"id"`
	// Version is the semantic version (MAJOR.MINOR.PATCH); any change to a
	// number changes the version.
	Version string `json:"version"`
	// Country is the ISO 3166-1 alpha-2 code of the country the rule set is
	// meant for; empty for the SCO baseline, which applies to every
	// country. An extending rule set without one takes its parent's.
	Country string `json:"country,omitempty"`
	// Extends is the ID of the parent rule set whose parts this one
	// overrides; empty for a stand-alone rule set. Scaling, PDFloor,
	// MasterScale and Certification replace the parent's whole, Parameters,
	// Characteristics and Caps replace by key or ID, and Reasons are merged
	// by code.
	Extends string `json:"extends,omitempty"`
	// EffectiveFrom is the first assessment date (YYYY-MM-DD) the rule set
	// is meant for; empty if not stated. It is informative: the engine does
	// not compare it with a record's AsOf.
	EffectiveFrom string `json:"effective_from,omitempty"`
	// Description says in plain English what the rule set is for and how it
	// was built.
	Description string `json:"description"`
	// Sources are the documents the numbers of the rule set come from. The
	// Source fields of individual numbers cite them by ID in brackets, such
	// as [sp-2024].
	Sources []Source `json:"sources"`
	// Identity names the identifier schemes a country rule set accepts,
	// the primary one certificates name and the cross-checks between
	// them; nil in the baseline.
	Identity *Identity `json:"identity,omitempty"`
	// Currency is the ISO 4217 code of the country's home currency; empty
	// in the baseline.
	Currency string `json:"currency,omitempty"`
	// Registers map the country's public registers onto the record's
	// public_records types and name the caps their entries trigger.
	Registers []Register `json:"registers,omitempty"`
	// CustomsTiers map the tiers of the country's customs (AEO) programme
	// onto trade.customs_status values.
	CustomsTiers []CustomsTier `json:"customs_tiers,omitempty"`
	// LocalScale names the label of each master grade on a national
	// rating scale, which profiles carry after the master grade; nil when
	// no published correspondence exists.
	LocalScale *LocalScale `json:"local_scale,omitempty"`
	// Scaling turns points into a score and a PD. It may be nil only in a
	// rule set that extends another, which then keeps its parent's, as for
	// PDFloor, MasterScale and Certification.
	Scaling *Scaling `json:"scaling,omitempty"`
	// PDFloor is the lowest PD a profile reports, such as a regulatory
	// floor, as a fraction in [0, 1). The grade is taken from the PD before
	// the floor, so grades whose bands lie below the floor stay distinct.
	PDFloor *SourcedValue `json:"pd_floor,omitempty"`
	// MasterScale maps PDs to grades.
	MasterScale *MasterScale `json:"master_scale,omitempty"`
	// Parameters are named numeric parameters of the indicators:
	// payment_grace_days, expected_inflation and on_time_window_months. An
	// absent parameter takes its default.
	Parameters map[string]SourcedValue `json:"parameters,omitempty"`
	// Characteristics are the scorecard characteristics, each binning one
	// indicator into points. A stand-alone rule set has at least one.
	Characteristics []Characteristic `json:"characteristics,omitempty"`
	// Caps are the knock-out rules, applied in order after scoring.
	Caps []Cap `json:"caps,omitempty"`
	// Certification holds what a profile needs to be certifiable.
	Certification *Certification `json:"certification,omitempty"`
	// Reasons maps every reason code to its text in the working languages.
	Reasons map[string]ReasonText `json:"reasons,omitempty"`

	// canon is the RFC 8785 (JCS) form of the file; for an extending rule
	// set, after resolution, the JCS form of the array [parent canon, own
	// canon].
	canon []byte
	// content is the JSON of the exported fields when the digest was set
	// (see seal, verify and clone).
	content []byte
	// pristine is a private copy of the loaded content, never handed
	// out, against which Unmodified compares the exported fields without
	// re-encoding them.
	pristine *RuleSet
	digest   string
	resolved bool
}

// Source is a document that numbers of the rule set come from.
type Source struct {
	// ID is the short id by which numbers cite the document, such as
	// sp-2024: lower-case letters, digits and hyphens.
	ID string `json:"id"`
	// Title is the title of the document.
	Title string `json:"title"`
	// URL is where the document can be read, if public; empty otherwise.
	URL string `json:"url,omitempty"`
	// Citation is a bibliographic citation or the part of the document
	// used; empty if not given.
	Citation string `json:"citation,omitempty"`
}

// SourcedValue is a number with the source it comes from.
type SourcedValue struct {
	// Value is the number.
	Value decimal.Decimal `json:"value"`
	// Source says where the number comes from, citing Sources by ID in
	// brackets.
	Source string `json:"source"`
}

// Scaling holds the points-to-double-the-odds parameters.
type Scaling struct {
	// BaseScore is the score at which the good:bad odds equal BaseOdds.
	BaseScore int64 `json:"base_score"`
	// BaseOdds are the good:bad odds at BaseScore, such as 50 for 50:1;
	// greater than zero.
	BaseOdds decimal.Decimal `json:"base_odds"`
	// PDO is the number of points that double the odds; greater than zero.
	PDO decimal.Decimal `json:"pdo"`
	// MinScore is the lowest score; lower totals are clamped to it.
	MinScore int64 `json:"min_score"`
	// MaxScore is the highest score; higher totals are clamped to it. It
	// exceeds MinScore by at most 10,000, since the engine precomputes the
	// PD of every score.
	MaxScore int64 `json:"max_score"`
	// BasePoints are the points every record starts with before the
	// characteristics' points are added (the scorecard intercept).
	BasePoints decimal.Decimal `json:"base_points"`
	// Source says where these numbers come from.
	Source string `json:"source"`
}

// MasterScale is the ordered list of grades with their PD bands.
type MasterScale struct {
	// Name is the name of the scale, which certificates carry.
	Name string `json:"name"`
	// Source says how the bands were derived.
	Source string `json:"source"`
	// Grades are the grades from best to worst, 2 to 32 of them; the last
	// is the default grade, with PDUpper 1.
	Grades []Grade `json:"grades"`
}

// Grade is one grade of a master scale. It owns the PDs from the previous
// grade's PDUpper (inclusive) to its own (exclusive; the last grade
// includes 1).
type Grade struct {
	// Grade is the grade symbol, such as AAA.
	Grade string `json:"grade"`
	// PDUpper is the upper PD bound of the grade, a fraction in (0, 1],
	// above the previous grade's.
	PDUpper decimal.Decimal `json:"pd_upper"`
	// PDAnchor is a representative PD of the grade, in [0, 1]; it is
	// informative and not used in scoring. Not Valid if not given.
	PDAnchor decimal.NullDecimal `json:"pd_anchor"`
	// Meaning says in words what the grade means; empty if not given.
	Meaning string `json:"meaning,omitempty"`
	// Source says where the bound and anchor come from.
	Source string `json:"source"`
}

// Characteristic bins one indicator into points.
type Characteristic struct {
	// ID identifies the characteristic, unique in the rule set; an
	// extending rule set replaces a characteristic by ID.
	ID string `json:"id"`
	// Indicator is the ID of the indicator binned, such as fin.ems (see
	// IndicatorIDs).
	Indicator string `json:"indicator"`
	// Pillar is the pillar the characteristic belongs to: financial,
	// payment, public_record, operations or trade.
	Pillar string `json:"pillar"`
	// Direction is the declared monotonicity of the points in the indicator
	// value; it is checked when the rule set is loaded.
	Direction Direction `json:"direction"`
	// Weight is the characteristic's weight in coverage. If not Valid, it
	// is the range of the points (best bin minus worst, the missing bin
	// included).
	Weight decimal.NullDecimal `json:"weight"`
	// Reason is the reason code reported when the characteristic gives
	// fewer points than its best bin, unless that bin has its own.
	Reason string `json:"reason"`
	// Description says what the characteristic measures; empty if not
	// given.
	Description string `json:"description,omitempty"`
	// Source says why the characteristic is in the rule set.
	Source string `json:"source"`
	// Bins are the bins of a numeric indicator, sorted and covering the
	// whole line; nil for a categorical one. The value is rounded to the
	// indicator's scale before binning.
	Bins []Bin `json:"bins,omitempty"`
	// Categories are the bins of a categorical indicator, which together
	// list every value it can take, each once; nil for a numeric one.
	Categories []CategoryBin `json:"categories,omitempty"`
	// Missing gives the points when the indicator cannot be computed.
	Missing MissingBin `json:"missing"`
}

// Bin is a numeric bin [Lower, Upper); a nil bound is unbounded.
type Bin struct {
	// Lower is the inclusive lower bound; nil (minus infinity) in the first
	// bin, and only there.
	Lower *decimal.Decimal `json:"lower,omitempty"`
	// Upper is the exclusive upper bound; nil (plus infinity) in the last
	// bin, and only there.
	Upper *decimal.Decimal `json:"upper,omitempty"`
	// Points are the points of the bin.
	Points decimal.Decimal `json:"points"`
	// Reason, if not empty, overrides the characteristic's reason code for
	// this bin.
	Reason string `json:"reason,omitempty"`
	// Source says where the bounds and points come from.
	Source string `json:"source"`
}

// CategoryBin gives points to a set of indicator categories.
type CategoryBin struct {
	// Values are the indicator values that fall into the bin, at least one.
	Values []string `json:"values"`
	// Points are the points of the bin.
	Points decimal.Decimal `json:"points"`
	// Reason, if not empty, overrides the characteristic's reason code for
	// this bin.
	Reason string `json:"reason,omitempty"`
	// Source says where the points come from.
	Source string `json:"source"`
}

// MissingBin gives points when the indicator is missing.
type MissingBin struct {
	// Points are the points when the indicator is missing.
	Points decimal.Decimal `json:"points"`
	// Reason, if not empty, overrides the characteristic's reason code when
	// the indicator is missing.
	Reason string `json:"reason,omitempty"`
	// Source says why these points.
	Source string `json:"source"`
}

// Cap is a knock-out rule.
type Cap struct {
	// ID identifies the cap, unique in the rule set; an extending rule set
	// replaces a cap by ID.
	ID string `json:"id"`
	// When lists the conditions, at least one, that must all hold for the
	// cap to apply. A condition on a missing indicator does not hold,
	// except OpMissing, which holds exactly then.
	When []Condition `json:"when"`
	// MaxGrade is the grade the profile is lowered to at most; empty leaves
	// the grade alone. Caps never raise a grade.
	MaxGrade string `json:"max_grade,omitempty"`
	// Certifiable, if it points to false, makes the profile not certifiable
	// when the cap applies; nil or true has no effect. At least one of
	// MaxGrade and Certifiable is set.
	Certifiable *bool `json:"certifiable,omitempty"`
	// Reason is the reason code of the cap.
	Reason string `json:"reason"`
	// Source names the public rule the cap follows.
	Source string `json:"source"`
}

// Operators of a Condition that test whether the indicator could be
// computed, on any indicator and without an operand. They let a cap
// require evidence: an evidence ceiling such as "no payment history (the
// payment counts are missing): at most grade A".
const (
	// OpMissing holds when the indicator is missing.
	OpMissing = "missing"
	// OpPresent holds when the indicator has a value.
	OpPresent = "present"
)

// Condition compares an indicator with a value, or tests whether it is
// missing (OpMissing, OpPresent). Value holds the raw JSON operand (a
// number or a string) of eq, ne, lt, le, gt, ge.
type Condition struct {
	// Indicator is the ID of the indicator compared.
	Indicator string `json:"indicator"`
	// Op is the comparison: eq, ne, lt, le, gt or ge for a numeric
	// indicator; eq, ne or in for a categorical one; missing or present
	// (no operand) for either.
	Op string `json:"op"`
	// Value is the operand of every Op but in: a JSON number for a numeric
	// indicator, a JSON string for a categorical one.
	Value json.RawMessage `json:"value,omitempty"`
	// Values is the operand of in: the categories, at least one, that the
	// indicator's value must be one of.
	Values []string `json:"values,omitempty"`
}

// Certification holds what a profile needs to be certifiable.
//
// MaxStatementAgeMonths is day-exact: the latest statement is too old when
// its period end plus that many months (the day clamped to the month's
// end) is before as_of, the validator's STALE_FINANCIALS rule for 18
// months. MinGrade, when set, is the worst grade (after caps) that can be
// certified; a worse grade fails with CERT_GRADE_BELOW_MINIMUM. Empty
// means any grade.
type Certification struct {
	// MinStatements is the minimum number of financial statements whose
	// period ends on or before the record's AsOf.
	MinStatements int `json:"min_statements"`
	// MaxStatementAgeMonths is the maximum age of the latest statement at
	// AsOf, in months, day-exact as described above.
	MaxStatementAgeMonths int `json:"max_statement_age_months"`
	// MinCoverage is the minimum coverage, a fraction in [0, 1]: the share
	// of the characteristics' weight whose indicator had data.
	MinCoverage decimal.Decimal `json:"min_coverage"`
	// RequireAudited, if true, requires the latest statement to be audited.
	RequireAudited bool `json:"require_audited"`
	// MinGrade is the worst grade that can be certified, a grade of the
	// master scale; empty means any grade.
	MinGrade string `json:"min_grade,omitempty"`
	// ValidityMonths is how long a certificate based on the profile is
	// valid, in months, 1 to 60.
	ValidityMonths int `json:"validity_months"`
	// Source says where these requirements come from.
	Source string `json:"source"`
}

// ReasonText is a reason code's text in the working languages.
type ReasonText struct {
	// EN is the English text.
	EN string `json:"en"`
	// ZH is the Chinese text.
	ZH string `json:"zh"`
	// RU is the Russian text.
	RU string `json:"ru"`
	// Local are texts in the country's own languages (see
	// LocalLanguages), each with its language tag; only where they could
	// be written correctly.
	Local []LocalText `json:"local,omitempty"`
}

// Text returns the text in lang: "zh", "ru", a tag of Local, or else
// English.
func (t ReasonText) Text(lang string) string {
	switch lang {
	case "zh":
		return t.ZH
	case "ru":
		return t.RU
	case "en", "":
		return t.EN
	}
	for _, l := range t.Local {
		if l.Lang == lang {
			return l.Text
		}
	}
	return t.EN
}

// Digest returns "sha256:<hex>" of the RFC 8785 JSON Canonicalization
// Scheme (JCS) form of the rule set's JSON file, as cert.Canonicalize or
// any conforming JCS implementation computes it. For an extending rule set
// it is the digest of the JCS form of the two-element array [parent's
// file, own file] (the parent itself being such an array if it extends
// another), so that a change in the parent changes the digest. It is empty
// for an extending rule set that is not resolved yet.
func (rs *RuleSet) Digest() string {
	if rs == nil {
		return ""
	}
	return rs.digest
}

// Resolved reports whether the rule set stands alone or has been resolved
// against its parent, so that an Engine can run it.
func (rs *RuleSet) Resolved() bool { return rs != nil && rs.resolved }

// LoadRuleSet reads one rule set in JSON, checks it against
// schema/ruleset.schema.json and then semantically (bins sorted and
// covering the line, declared directions hold, master-scale bounds
// increasing, reason codes with texts in en/zh/ru, caps on known indicators
// and grades...). Problems are returned as a Problems error, with paths
// into the file. A stand-alone rule set is ready for NewEngine; one that
// extends another must be registered in a RuleSetRegistry holding the
// parent.
func LoadRuleSet(r io.Reader) (*RuleSet, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: LoadRuleSet needs a reader", ErrNilArgument)
	}
	data, err := io.ReadAll(io.LimitReader(r, maxRuleSetBytes+1))
	if err != nil {
		return nil, fmt.Errorf("credit: reading rule set: %w", err)
	}
	return parseRuleSet(data)
}

func rsProblem(path, code, format string, args ...any) Problem {
	return Problem{Path: path, Code: code, Severity: SeverityError, Message: fmt.Sprintf(format, args...)}
}

func parseRuleSet(data []byte) (*RuleSet, error) {
	ps := problemList{limit: MaxProblems}
	fail := func() (*RuleSet, error) {
		return nil, ps.result(CodeRuleSetTooManyProblems, "rule set")
	}
	// Limits first: the canonicaliser and the schema library must only
	// see numbers they can handle.
	tree := decodeJSON(data, ruleSetLimits, &ps)
	if ps.hasErrors() {
		return fail()
	}
	s, err := ruleSetSchema()
	if err != nil {
		return nil, fmt.Errorf("credit: compiling the rule-set schema: %w", err)
	}
	s.validate(tree, &ps)
	if ps.hasErrors() {
		return fail()
	}
	inexactNumbers(tree, "", &ps)
	if ps.hasErrors() {
		return fail()
	}
	// Canonicalised only now: the RFC 8785 form of a rejected file is
	// never needed, and it costs as much memory again as the tree.
	canon, err := canonicalJSON(data)
	if err != nil {
		return nil, Problems{rsProblem("", CodeRuleSetMalformed, "%v", err)}
	}
	rs := new(RuleSet)
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(rs); err != nil {
		return nil, Problems{rsProblem("", CodeRuleSetMalformed, "%v", err)}
	}
	rs.canon = canon
	if rs.Extends == "" {
		if ps := checkRuleSet(rs, true); len(ps) > 0 {
			return nil, ps
		}
		rs.digest = digestOf(canon)
		rs.resolved = true
		if err := rs.seal(); err != nil {
			return nil, err
		}
		return rs, nil
	}
	if ps := checkRuleSet(rs, false); len(ps) > 0 {
		return nil, ps
	}
	if err := rs.seal(); err != nil {
		return nil, err
	}
	return rs, nil
}

// inexactNumbers reports numbers that an IEEE 754 double cannot hold
// exactly. The digest is taken over the RFC 8785 form, which writes every
// number as a double, while the engine reads the exact decimal: two rule
// sets differing beyond double precision would share a digest but score
// differently. Such numbers belong in fewer digits.
func inexactNumbers(v any, path string, ps *problemList) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			inexactNumbers(e, pointer(path, k), ps)
		}
	case []any:
		for i, e := range t {
			inexactNumbers(e, pointer(path, strconv.Itoa(i)), ps)
		}
	case json.Number:
		exact, err := decimal.NewFromString(string(t))
		f, err2 := strconv.ParseFloat(string(t), 64)
		if err != nil || err2 != nil || !exact.Equal(decimal.NewFromFloat(f)) {
			ps.add(rsProblem(path, CodeRuleSetNumberPrecision,
				"%s cannot be represented exactly as an IEEE 754 double, which the RFC 8785 digest uses; write it with fewer significant digits", t))
		}
	}
}

// resolve merges child over parent: scaling, pd_floor, master_scale and
// certification are replaced whole when the child gives them; parameters,
// characteristics and caps by key or id (new ones appended in the child's
// order); reasons merged by code. The result is checked in full. Parent
// and child must be unchanged since loading (their digests make the
// result's), and the result shares no memory with either.
func resolve(parent, child *RuleSet) (*RuleSet, error) {
	if !parent.resolved {
		return nil, errors.New("credit: parent rule set is not resolved")
	}
	if err := parent.verify(); err != nil {
		return nil, err
	}
	if err := child.verify(); err != nil {
		return nil, err
	}
	out := *child
	out.Sources = append(append([]Source(nil), parent.Sources...), child.Sources...)
	if out.Scaling == nil {
		out.Scaling = parent.Scaling
	}
	if out.PDFloor == nil {
		out.PDFloor = parent.PDFloor
	}
	if out.MasterScale == nil {
		out.MasterScale = parent.MasterScale
	}
	if out.Certification == nil {
		out.Certification = parent.Certification
	}
	out.Parameters = make(map[string]SourcedValue, len(parent.Parameters)+len(child.Parameters))
	for k, v := range parent.Parameters {
		out.Parameters[k] = v
	}
	for k, v := range child.Parameters {
		out.Parameters[k] = v
	}
	out.Reasons = make(map[string]ReasonText, len(parent.Reasons)+len(child.Reasons))
	for k, v := range parent.Reasons {
		out.Reasons[k] = v
	}
	for k, v := range child.Reasons {
		out.Reasons[k] = v
	}
	out.Characteristics = mergeByID(parent.Characteristics, child.Characteristics, func(c Characteristic) string { return c.ID })
	out.Caps = mergeByID(parent.Caps, child.Caps, func(c Cap) string { return c.ID })
	if out.Country == "" {
		out.Country = parent.Country
	}
	mergeCountryParts(&out, parent)
	if ps := checkRuleSet(&out, true); len(ps) > 0 {
		return nil, ps
	}
	var b bytes.Buffer
	b.WriteByte('[')
	b.Write(parent.canon)
	b.WriteByte(',')
	b.Write(child.canon)
	b.WriteByte(']')
	out.canon = b.Bytes()
	out.digest = digestOf(out.canon)
	out.resolved = true
	if err := out.seal(); err != nil {
		return nil, err
	}
	return out.clone()
}

func mergeByID[T any](parent, child []T, id func(T) string) []T {
	out := append([]T(nil), parent...)
	idx := make(map[string]int, len(out))
	for i, v := range out {
		idx[id(v)] = i
	}
	for _, v := range child {
		if i, ok := idx[id(v)]; ok {
			out[i] = v
		} else {
			idx[id(v)] = len(out)
			out = append(out, v)
		}
	}
	return out
}
