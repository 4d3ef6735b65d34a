package cert

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/shopspring/decimal"
	"github.com/xeipuuv/gojsonschema"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/internal/jsonschema"
	"github.com/creditsco/creditsco/schema"
)

// certificateSchema is the compiled JSON Schema of the credit certificate
// (schema/credit-certificate.schema.json, draft-07). It is compiled once,
// from the embedded bytes only; a compiled schema is safe for concurrent
// use.
var certificateSchema = sync.OnceValues(func() (*gojsonschema.Schema, error) {
	return jsonschema.Compile(schema.CreditCertificate)
})

// maxSchemaProblems is the number of schema problems named in the detail
// of an ErrMalformed error; the others are counted.
const maxSchemaProblems = 3

// checkSchema validates the signed certificate (without its proof),
// given as the tree of its parsed value (jcs.Value.Tree), against the
// certificate's JSON Schema. Problems are reported, sorted by JSON
// Pointer, as one ErrMalformed error.
func checkSchema(id string, tree any) error {
	s, err := certificateSchema()
	if err != nil {
		// The schema is embedded and tested; this cannot happen in a
		// released build, but fail closed if it does.
		return verr(ErrMalformed, id, "certificate schema does not compile: %v", err)
	}
	res, err := s.Validate(gojsonschema.NewRawLoader(tree))
	if err != nil {
		return verr(ErrMalformed, id, "not a credit certificate: %v", err)
	}
	if res.Valid() {
		return nil
	}
	type problem struct{ path, msg string }
	var ps, combinators []problem
	for _, e := range res.Errors() {
		p := problem{path: schemaPointer(e), msg: e.Description()}
		switch e.Type() {
		case "number_all_of", "number_any_of", "number_one_of", "number_not":
			// Summaries of the problems of subschemas, which are
			// reported themselves.
			combinators = append(combinators, p)
		default:
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		ps = combinators
	}
	slices.SortFunc(ps, func(a, b problem) int {
		return cmp.Or(cmp.Compare(a.path, b.path), cmp.Compare(a.msg, b.msg))
	})
	ps = slices.Compact(ps)
	parts := make([]string, 0, maxSchemaProblems+1)
	for i, p := range ps {
		if i == maxSchemaProblems {
			parts = append(parts, fmt.Sprintf("and %d more", len(ps)-i))
			break
		}
		parts = append(parts, orRoot(p.path)+": "+p.msg)
	}
	return verr(ErrMalformed, id, "does not match the credit certificate schema: %s", strings.Join(parts, "; "))
}

// schemaPointer returns the JSON Pointer (RFC 6901) of the member a schema
// error is about: for a missing or unexpected member, the pointer of the
// member itself rather than of the object holding it.
func schemaPointer(e gojsonschema.ResultError) string {
	switch e.Type() {
	case "required", "additional_property_not_allowed":
		if prop, ok := e.Details()["property"].(string); ok {
			return jsonschema.Pointer(e.Context(), prop)
		}
	}
	return jsonschema.Pointer(e.Context())
}

func orRoot(pointer string) string {
	if pointer == "" {
		return "(root)"
	}
	return pointer
}

// subjectRules is what the checks of a certificate's subject
// (checkRuleSetContent) read from the certificate's rule set.
type subjectRules struct {
	id       string
	scale    credit.MasterScale
	scaling  credit.Scaling
	minGrade string // certification.min_grade; "" for any grade
	floor    decimal.Decimal
	// capGrades are the grades that the caps which leave a profile
	// certifiable lower a grade to.
	capGrades []string
	reasons   map[string]credit.ReasonText
}

// rulesOf reads the subject rules of rs. With own set, the result shares
// no slice or map with rs, so that changes made to rs afterwards do not
// reach it (decimals are immutable values); without, the grades and the
// reason table are rs's own, for use while rs is known to be unchanged.
// A rule set without master scale or scaling, which a resolved rule set
// cannot be, is an error.
func rulesOf(rs *credit.RuleSet, own bool) (*subjectRules, error) {
	if rs.MasterScale == nil || len(rs.MasterScale.Grades) == 0 || rs.Scaling == nil {
		return nil, fmt.Errorf("rule set %s has no master scale or scaling", rs.ID)
	}
	r := &subjectRules{id: rs.ID, scale: *rs.MasterScale, scaling: *rs.Scaling, floor: decimal.Zero, reasons: rs.Reasons}
	if cf := rs.Certification; cf != nil {
		r.minGrade = cf.MinGrade
	}
	if rs.PDFloor != nil {
		r.floor = rs.PDFloor.Value
	}
	for _, cp := range rs.Caps {
		if cp.MaxGrade != "" && (cp.Certifiable == nil || *cp.Certifiable) {
			r.capGrades = append(r.capGrades, cp.MaxGrade)
		}
	}
	if own {
		r.scale.Grades = slices.Clone(r.scale.Grades)
		r.reasons = maps.Clone(r.reasons)
	}
	return r, nil
}

// checkCertificateProfile checks what the schema cannot: if the
// certificate's rule set is recognised (rs not nil: loaded, resolved and
// unmodified, see lookupRuleSet), that the certificate is one the rule set
// can produce (checkRuleSetContent). Whether the rule set is recognised
// is reported later, by VerifyCertificate. c has passed the schema, whose
// pattern makes pd a plain decimal in [0, 1].
func checkCertificateProfile(c *Certificate, rs *credit.RuleSet) error {
	if rs == nil {
		return nil
	}
	pd, err := decimal.NewFromString(c.CredentialSubject.PD)
	if err != nil {
		return verr(ErrMalformed, c.ID, "/credentialSubject/pd: %q is not a decimal", c.CredentialSubject.PD)
	}
	rules, err := rulesOf(rs, false)
	if err != nil {
		// Cannot happen for a resolved rule set; fail closed.
		return verr(ErrUnknownRuleSet, c.ID, "%v", err)
	}
	return checkRuleSetContent(c, pd, rules)
}

// profilePD reads the pd of a profile that is to be certified: a plain
// decimal in [0, 1], the form the engine writes and the certificate
// schema requires, so that Issue signs nothing the schema rejects.
func profilePD(s string) (decimal.Decimal, error) {
	if !isPlainDecimal(s) {
		return decimal.Decimal{}, verr(ErrMalformed, "", "/credentialSubject/pd: %q is not a decimal string", s)
	}
	pd, err := decimal.NewFromString(s)
	if err != nil || pd.IsNegative() || pd.GreaterThan(decimal.NewFromInt(1)) {
		return decimal.Decimal{}, verr(ErrMalformed, "", "/credentialSubject/pd: %s is not a probability in [0, 1]", s)
	}
	return pd, nil
}

// checkRuleSetContent checks that the subject of c is one that rule set
// rs can certify, by the rules of credit.Engine:
//
//   - the grade is one of the master scale, which is the rule set's, and
//     not worse than certification.min_grade;
//   - the score lies in the scaling's range;
//   - pd lies in the band the grade can report (gradePDBand);
//   - the grade is the grade of the score's model PD, or worse only when
//     a cap of the rule set that does not forbid certification lowers a
//     grade to exactly that grade (caps never raise a grade, and the
//     worst cap that applies sets it);
//   - pd is the PD the engine reports for that score and grade: the
//     score's model PD floored; for a grade lowered by a cap, the capped
//     grade's lower bound, floored; 1 for a cap to the last (default)
//     grade (expectedPDs);
//   - every reason code is in the rule set's reason table.
//
// A certificate that fails any of these was not produced by the engine
// under rs, whoever signed it.
func checkRuleSetContent(c *Certificate, pd decimal.Decimal, rs *subjectRules) error {
	s := c.CredentialSubject
	m, sc := &rs.scale, &rs.scaling
	g := slices.IndexFunc(m.Grades, func(gr credit.Grade) bool { return gr.Grade == s.Grade })
	if g < 0 {
		return verr(ErrMalformed, c.ID, "/credentialSubject/grade: %q is not a grade of the master scale of rule set %s", s.Grade, rs.id)
	}
	if s.MasterScale != m.Name {
		return verr(ErrMalformed, c.ID, "/credentialSubject/masterScale: %q is not the master scale of rule set %s", s.MasterScale, rs.id)
	}
	if rs.minGrade != "" {
		if worst := gradeIndex(m, rs.minGrade); worst >= 0 && g > worst {
			return verr(ErrMalformed, c.ID, "/credentialSubject/grade: %s is worse than %s, the worst grade rule set %s certifies (certification.min_grade)",
				s.Grade, rs.minGrade, rs.id)
		}
	}
	if s.Score < sc.MinScore || s.Score > sc.MaxScore {
		return verr(ErrMalformed, c.ID, "/credentialSubject/score: %d is outside the range [%d, %d] of rule set %s", s.Score, sc.MinScore, sc.MaxScore, rs.id)
	}
	floor := rs.floor
	if lo, hi := gradePDBand(m, floor, g); pd.LessThan(lo) || pd.GreaterThan(hi) {
		return verr(ErrMalformed, c.ID, "/credentialSubject/pd: %s is not a PD of grade %s under rule set %s, which reports PDs in [%s, %s] for it",
			s.PD, s.Grade, rs.id, lo.StringFixed(credit.PDDecimals), hi.StringFixed(credit.PDDecimals))
	}
	raw, err := credit.ScoreToPD(sc, s.Score)
	if err != nil {
		// Cannot happen for a loaded rule set and a score in its range.
		return verr(ErrMalformed, c.ID, "/credentialSubject/score: %d has no PD under rule set %s: %v", s.Score, rs.id, err)
	}
	scoreGrade := gradeOfPD(m, raw)
	switch {
	case g < scoreGrade:
		return verr(ErrMalformed, c.ID, "/credentialSubject/grade: %s is better than %s, the grade of score %d under rule set %s; caps only lower grades",
			s.Grade, m.Grades[scoreGrade].Grade, s.Score, rs.id)
	case g > scoreGrade && !hasCertifiableCapTo(rs, s.Grade):
		return verr(ErrMalformed, c.ID, "/credentialSubject/grade: %s is worse than %s, the grade of score %d under rule set %s, and no cap of the rule set that allows certification lowers a grade to %s",
			s.Grade, m.Grades[scoreGrade].Grade, s.Score, rs.id, s.Grade)
	}
	want := expectedPDs(rs, floor, raw, scoreGrade, g)
	if !slices.ContainsFunc(want, pd.Equal) {
		texts := make([]string, len(want))
		for i, w := range want {
			texts[i] = w.StringFixed(credit.PDDecimals)
		}
		return verr(ErrMalformed, c.ID, "/credentialSubject/pd: %s is not the PD that rule set %s reports for score %d with grade %s (%s)",
			s.PD, rs.id, s.Score, s.Grade, strings.Join(texts, " or "))
	}
	for i, code := range s.Reasons {
		if _, ok := rs.reasons[code]; !ok {
			return verr(ErrMalformed, c.ID, "/credentialSubject/reasons/%d: %q is not a reason code of rule set %s", i, code, rs.id)
		}
	}
	return nil
}

func gradeIndex(m *credit.MasterScale, grade string) int {
	return slices.IndexFunc(m.Grades, func(g credit.Grade) bool { return g.Grade == grade })
}

// gradeOfPD is the engine's grade of a model PD: the first grade with
// pd < pd_upper, else the last (default) grade, pd taken to the
// credit.PDDecimals places it is reported with.
func gradeOfPD(m *credit.MasterScale, pd decimal.Decimal) int {
	pd = roundPD(pd)
	for i, g := range m.Grades {
		if pd.LessThan(g.PDUpper) {
			return i
		}
	}
	return len(m.Grades) - 1
}

// roundPD rounds a PD as profiles write it: credit.PDDecimals places,
// half away from zero, as decimal.StringFixed does.
func roundPD(d decimal.Decimal) decimal.Decimal { return d.Round(credit.PDDecimals) }

// gradePDBand returns the smallest and largest PD that a profile of grade
// g can report under master scale m and PD floor floor. The reported PD
// is the model PD floored, rounded to credit.PDDecimals places: for an
// uncapped grade the model PD lies in the grade's band [lower, upper)
// (the last grade's includes 1), so the reported PD lies in
// [max(round(lower), round(floor)), max(round(upper), round(floor))],
// upper included because of rounding. A grade lowered by a cap reports
// max(lower, floor), rounded, the least value of that range; a cap to the
// last grade reports 1, its greatest. AAA and AA under SCO-BASE, whose
// bands lie below the 0.05% floor, report exactly the floor.
func gradePDBand(m *credit.MasterScale, floor decimal.Decimal, g int) (lo, hi decimal.Decimal) {
	lower := decimal.Zero
	if g > 0 {
		lower = m.Grades[g-1].PDUpper
	}
	f := roundPD(floor)
	return decimal.Max(roundPD(lower), f), decimal.Max(roundPD(m.Grades[g].PDUpper), f)
}

// hasCertifiableCapTo reports whether rs has a cap to grade whose
// application leaves a profile certifiable.
func hasCertifiableCapTo(rs *subjectRules, grade string) bool {
	return slices.Contains(rs.capGrades, grade)
}

// expectedPDs returns the PDs a certifiable profile of grade g can report
// for a score of model PD raw and uncapped grade scoreGrade (g >=
// scoreGrade), as credit.Engine computes them: a cap to the last grade
// reports 1; a grade lowered by a cap reports max(lower bound of g,
// floor); otherwise the model PD floored, or 1 if the last grade is also
// reached by a cap (which then applied without lowering the grade).
func expectedPDs(rs *subjectRules, floor, raw decimal.Decimal, scoreGrade, g int) []decimal.Decimal {
	m := &rs.scale
	last := len(m.Grades) - 1
	one := decimal.NewFromInt(1)
	switch {
	case g > scoreGrade && g == last:
		return []decimal.Decimal{one}
	case g > scoreGrade:
		return []decimal.Decimal{roundPD(decimal.Max(m.Grades[g-1].PDUpper, floor))}
	}
	want := []decimal.Decimal{roundPD(decimal.Max(raw, floor))}
	if g == last && hasCertifiableCapTo(rs, m.Grades[last].Grade) && !want[0].Equal(one) {
		want = append(want, one)
	}
	return want
}

// isPlainDecimal reports whether s is digits with an optional fraction,
// the form the engine writes PDs in: no sign, exponent or blanks.
func isPlainDecimal(s string) bool {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	digits := func(t string) bool { return t != "" && strings.Trim(t, "0123456789") == "" }
	return digits(intPart) && (!hasFrac || digits(frac))
}

// builtinRuleSets is the registry of built-in rule sets that verification
// uses when the caller gives none: made once, since a copy costs a JSON
// decode of every rule set, and never handed out, so that its rule sets
// stay as loaded.
var builtinRuleSets = sync.OnceValue(credit.BuiltinRuleSets)

// lookupRuleSet returns the rule set of c if the verifier recognises it:
// lookup (nil: the built-in rule sets) has a rule set of c's rule set id
// with the same version and digest, resolved, and whose exported fields
// were not changed after it was loaded (credit.RuleSet.Unmodified), since
// the verifier reads them and the digest vouches for them. Otherwise it
// returns an ErrUnknownRuleSet error saying why.
func lookupRuleSet(c *Certificate, lookup RuleSetLookup) (*credit.RuleSet, error) {
	// The package's own built-in registry holds copies that no one else
	// can reach, so they need no check for changes, which costs about as
	// much as the rest of the verification.
	private := lookup == nil
	if private {
		lookup = builtinRuleSets()
	}
	ref := c.CredentialSubject.RuleSet
	rs, ok := lookup.Lookup(ref.ID)
	switch {
	case !ok || rs == nil:
		return nil, verr(ErrUnknownRuleSet, c.ID, "rule set %s is not recognised", ref.ID)
	case rs.Version != ref.Version || rs.Digest() != ref.Digest:
		return nil, verr(ErrUnknownRuleSet, c.ID, "rule set %s version %s digest %s is not the recognised version %s digest %s",
			ref.ID, ref.Version, ref.Digest, rs.Version, rs.Digest())
	case !rs.Resolved():
		return nil, verr(ErrUnknownRuleSet, c.ID, "the recognised rule set %s %s is not resolved against its parent", ref.ID, ref.Version)
	}
	if private {
		return rs, nil
	}
	if err := rs.Unmodified(); err != nil {
		return nil, &VerifyError{Reason: ErrUnknownRuleSet, ID: c.ID,
			Detail: fmt.Sprintf("the recognised rule set %s %s was changed after loading, so its digest %s no longer describes it", ref.ID, ref.Version, ref.Digest),
			Err:    err}
	}
	return rs, nil
}
