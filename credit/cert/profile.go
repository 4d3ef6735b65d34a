package cert

import (
	"cmp"
	"fmt"
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

// certificateFast is the certificate schema compiled to decide validity
// alone (jsonschema.Fast), which it does exactly as gojsonschema does and
// about ten times as fast; gojsonschema is asked only about a document
// that fails, for its errors.
var certificateFast = sync.OnceValues(func() (*jsonschema.Fast, error) {
	return jsonschema.CompileFast(schema.CreditCertificate)
})

// maxSchemaProblems is the number of schema problems named in the detail
// of an ErrMalformed error; the others are counted.
const maxSchemaProblems = 3

// checkSchema validates the signed certificate (without its proof),
// given as the tree of its parsed value (jcs.Value.Tree), against the
// certificate's JSON Schema. Problems are reported, sorted by JSON
// Pointer, as one ErrMalformed error.
func checkSchema(id string, tree any) error {
	fast, err := certificateFast()
	if err != nil {
		// As for the schema itself below: cannot happen; fail closed.
		return verr(ErrMalformed, id, "certificate schema does not compile: %v", err)
	}
	return checkSchemaWith(id, tree, fast)
}

// checkSchemaWith is checkSchema with the compiled schema fast, or none
// (nil: gojsonschema decides every document).
func checkSchemaWith(id string, tree any, fast *jsonschema.Fast) error {
	// The schema library reports (and renders a message for) every
	// member it does not allow, at some 20 µs each: bound the work before
	// it sees the tree.
	if n := countValues(tree, maxCertificateValues+1); n > maxCertificateValues {
		return verr(ErrMalformed, id, "more than %d JSON values, which no credit certificate has (it has about 100)", maxCertificateValues)
	}
	if fast != nil && fast.Valid(tree) {
		return nil
	}
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

// maxCertificateValues bounds the JSON values (objects, arrays, members,
// elements and scalars) of a document checked against the certificate
// schema. A certificate has about 100: its subject with up to ten
// identifiers and four reasons, two status entries, contexts and types.
const maxCertificateValues = 1000

// countValues counts the values of a parsed JSON tree (jcs.Value.Tree),
// stopping at limit.
func countValues(tree any, limit int) int {
	n := 0
	var walk func(v any)
	walk = func(v any) {
		if n >= limit {
			return
		}
		n++
		switch t := v.(type) {
		case map[string]any:
			for _, e := range t {
				walk(e)
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		}
	}
	walk(tree)
	return n
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
// (checkContent) read from the certificate's rule set: copies, sharing no
// slice or map with the rule set, so that changes made to it afterwards
// do not reach them (decimals are immutable values).
type subjectRules struct {
	id       string
	scale    credit.MasterScale
	scaling  credit.Scaling
	minGrade string // certification.min_grade; "" for any grade
	floor    decimal.Decimal
	validity int // certification.validity_months; 12 if the rule set sets none
	// capGrades are the grades that the caps which leave a profile
	// certifiable lower a grade to.
	capGrades []string
	// reasons are the reason codes a profile can list: those of the bins
	// (or, for bins without one, of the characteristic) that give fewer
	// points than the characteristic's best bin.
	reasons map[string]bool
	// bestScore is the score of a record that loses no points in any
	// characteristic, the only score a profile without reasons can have.
	bestScore int64
	// country is the country the rule set was made for; "" for one made
	// for every country, such as SCO-BASE.
	country string
	// primary are the schemes certificates name as the primary
	// identifier, in order of preference (credit.Identity.Primary); nil
	// when the rule set names none.
	primary []string
	// local are the local labels by grade index (nil where the rule set
	// names none), as the engine gives them in Profile.LocalGrade.
	local []*LocalGrade
	// rawPD holds the model PD of every score of the scaling's range
	// (credit.ScoreToPD, by score - MinScore), computed once, as the
	// engine's own table is: a power of two in decimal arithmetic costs
	// a tenth of a verification.
	rawPD []decimal.Decimal
}

// maxPDTable bounds the score range whose PDs rulesOf tabulates; a
// rule set with a wider range has them computed per certificate.
const maxPDTable = 100_000

// scorePD returns the model PD of score, which lies in the scaling's
// range.
func (r *subjectRules) scorePD(score int64) (decimal.Decimal, error) {
	if i := score - r.scaling.MinScore; i >= 0 && i < int64(len(r.rawPD)) {
		return r.rawPD[i], nil
	}
	return credit.ScoreToPD(&r.scaling, score)
}

// rulesCache holds the subject rules of rule sets by digest. A rule set
// that passed credit.RuleSet.Unmodified has the content its digest was
// computed over, so rules computed once serve every rule set of that
// digest.
var rulesCache sync.Map // digest → *subjectRules

// cachedRules returns the subject rules of the rule set of digest, if
// rulesOf computed them before.
func cachedRules(digest string) (*subjectRules, bool) {
	r, ok := rulesCache.Load(digest)
	if !ok {
		return nil, false
	}
	return r.(*subjectRules), true
}

// rulesOf returns the subject rules of rs, which must be unmodified since
// loading (the callers check it). A rule set without master scale or
// scaling, which a resolved rule set cannot be, is an error.
func rulesOf(rs *credit.RuleSet) (*subjectRules, error) {
	if r, ok := cachedRules(rs.Digest()); ok {
		return r, nil
	}
	if rs.MasterScale == nil || len(rs.MasterScale.Grades) == 0 || rs.Scaling == nil {
		return nil, fmt.Errorf("rule set %s has no master scale or scaling", rs.ID)
	}
	r := &subjectRules{id: rs.ID, scale: *rs.MasterScale, scaling: *rs.Scaling, floor: decimal.Zero, validity: 12, reasons: map[string]bool{},
		country: rs.Country}
	r.scale.Grades = slices.Clone(r.scale.Grades)
	if rs.Identity != nil {
		r.primary = slices.Clone(rs.Identity.Primary)
	}
	if rs.LocalScale != nil {
		r.local = make([]*LocalGrade, len(r.scale.Grades))
		for i, g := range r.scale.Grades {
			if label, ok := rs.LocalLabel(g.Grade); ok {
				r.local[i] = &LocalGrade{Label: label, Scale: rs.LocalScale.Name}
			}
		}
	}
	if cf := rs.Certification; cf != nil {
		r.minGrade = cf.MinGrade
		if cf.ValidityMonths > 0 {
			r.validity = cf.ValidityMonths
		}
	}
	if rs.PDFloor != nil {
		r.floor = rs.PDFloor.Value
	}
	for _, cp := range rs.Caps {
		if cp.MaxGrade != "" && (cp.Certifiable == nil || *cp.Certifiable) {
			r.capGrades = append(r.capGrades, cp.MaxGrade)
		}
	}
	best := rs.Scaling.BasePoints
	for _, c := range rs.Characteristics {
		hi := c.Missing.Points
		for _, b := range c.Bins {
			hi = decimal.Max(hi, b.Points)
		}
		for _, b := range c.Categories {
			hi = decimal.Max(hi, b.Points)
		}
		best = best.Add(hi)
		lose := func(points decimal.Decimal, reason string) {
			if points.LessThan(hi) {
				r.reasons[cmp.Or(reason, c.Reason)] = true
			}
		}
		for _, b := range c.Bins {
			lose(b.Points, b.Reason)
		}
		for _, b := range c.Categories {
			lose(b.Points, b.Reason)
		}
		lose(c.Missing.Points, c.Missing.Reason)
	}
	// As credit.Engine.Score: round half away from zero, then clamp.
	r.bestScore = max(rs.Scaling.MinScore, min(best.Round(0).IntPart(), rs.Scaling.MaxScore))
	if n := rs.Scaling.MaxScore - rs.Scaling.MinScore + 1; n > 0 && n <= maxPDTable {
		r.rawPD = make([]decimal.Decimal, n)
		for i := range r.rawPD {
			pd, err := credit.ScoreToPD(rs.Scaling, rs.Scaling.MinScore+int64(i))
			if err != nil {
				// Left to scorePD, which reports it for the scores it
				// concerns, as before the table.
				r.rawPD = nil
				break
			}
			r.rawPD[i] = pd
		}
	}
	rulesCache.Store(rs.Digest(), r)
	return r, nil
}

// profilePD reads the pd of a profile that is to be certified: a plain
// decimal in [0, 1], the form the engine writes and the certificate
// schema requires, so that Issue signs nothing the schema rejects.
func profilePD(s string) (decimal.Decimal, error) {
	if !isPlainDecimal(s) {
		return decimal.Decimal{}, verr(ErrBadSubject, "", "/credentialSubject/pd: %q is not a decimal string", s)
	}
	pd, err := decimal.NewFromString(s)
	if err != nil || pd.IsNegative() || pd.GreaterThan(decimal.NewFromInt(1)) {
		return decimal.Decimal{}, verr(ErrBadSubject, "", "/credentialSubject/pd: %s is not a probability in [0, 1]", s)
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
//   - the local label is the one the rule set gives the grade, and there
//     is none where it gives none (checkLocalGrade);
//   - the reason codes are ones its characteristics give (checkReasons).
//
// A certificate that fails any of these was not produced by the engine
// under rs, whoever signed it.
func checkRuleSetContent(c *Certificate, pd decimal.Decimal, rs *subjectRules) error {
	s := c.CredentialSubject
	m, sc := &rs.scale, &rs.scaling
	g := slices.IndexFunc(m.Grades, func(gr credit.Grade) bool { return gr.Grade == s.Grade })
	if g < 0 {
		return verr(ErrBadSubject, c.ID, "/credentialSubject/grade: %q is not a grade of the master scale of rule set %s", s.Grade, rs.id)
	}
	if s.MasterScale != m.Name {
		return verr(ErrBadSubject, c.ID, "/credentialSubject/masterScale: %q is not the master scale of rule set %s", s.MasterScale, rs.id)
	}
	if rs.minGrade != "" {
		if worst := gradeIndex(m, rs.minGrade); worst >= 0 && g > worst {
			return verr(ErrBadSubject, c.ID, "/credentialSubject/grade: %s is worse than %s, the worst grade rule set %s certifies (certification.min_grade)",
				s.Grade, rs.minGrade, rs.id)
		}
	}
	if s.Score < sc.MinScore || s.Score > sc.MaxScore {
		return verr(ErrBadSubject, c.ID, "/credentialSubject/score: %d is outside the range [%d, %d] of rule set %s", s.Score, sc.MinScore, sc.MaxScore, rs.id)
	}
	floor := rs.floor
	if lo, hi := gradePDBand(m, floor, g); pd.LessThan(lo) || pd.GreaterThan(hi) {
		return verr(ErrBadSubject, c.ID, "/credentialSubject/pd: %s is not a PD of grade %s under rule set %s, which reports PDs in [%s, %s] for it",
			s.PD, s.Grade, rs.id, lo.StringFixed(credit.PDDecimals), hi.StringFixed(credit.PDDecimals))
	}
	raw, err := rs.scorePD(s.Score)
	if err != nil {
		// Cannot happen for a loaded rule set and a score in its range.
		return verr(ErrBadSubject, c.ID, "/credentialSubject/score: %d has no PD under rule set %s: %v", s.Score, rs.id, err)
	}
	scoreGrade := gradeOfPD(m, raw)
	switch {
	case g < scoreGrade:
		return verr(ErrBadSubject, c.ID, "/credentialSubject/grade: %s is better than %s, the grade of score %d under rule set %s; caps only lower grades",
			s.Grade, m.Grades[scoreGrade].Grade, s.Score, rs.id)
	case g > scoreGrade && !hasCertifiableCapTo(rs, s.Grade):
		return verr(ErrBadSubject, c.ID, "/credentialSubject/grade: %s is worse than %s, the grade of score %d under rule set %s, and no cap of the rule set that allows certification lowers a grade to %s",
			s.Grade, m.Grades[scoreGrade].Grade, s.Score, rs.id, s.Grade)
	}
	want := expectedPDs(rs, floor, raw, scoreGrade, g)
	if !slices.ContainsFunc(want, pd.Equal) {
		texts := make([]string, len(want))
		for i, w := range want {
			texts[i] = w.StringFixed(credit.PDDecimals)
		}
		return verr(ErrBadSubject, c.ID, "/credentialSubject/pd: %s is not the PD that rule set %s reports for score %d with grade %s (%s)",
			s.PD, rs.id, s.Score, s.Grade, strings.Join(texts, " or "))
	}
	if err := checkLocalGrade(c, g, rs); err != nil {
		return err
	}
	return checkReasons(c, rs)
}

// checkLocalGrade checks the local label of c, whose grade is the master
// grade of index g: the label and scale that rule set rs names for the
// grade, and none when it names none.
func checkLocalGrade(c *Certificate, g int, rs *subjectRules) error {
	var want *LocalGrade
	if g < len(rs.local) {
		want = rs.local[g]
	}
	got := c.CredentialSubject.LocalGrade
	switch {
	case want == nil && got != nil:
		return verr(ErrBadSubject, c.ID, "/credentialSubject/localGrade: rule set %s names no local label for grade %s, but the certificate says %q",
			rs.id, c.CredentialSubject.Grade, got.Label)
	case want != nil && got == nil:
		return verr(ErrBadSubject, c.ID, "/credentialSubject/localGrade: missing; rule set %s labels grade %s %q on the %s",
			rs.id, c.CredentialSubject.Grade, want.Label, want.Scale)
	case want != nil && got.Scale != want.Scale:
		return verr(ErrBadSubject, c.ID, "/credentialSubject/localGrade/scale: %q is not the %s, the national scale of rule set %s",
			got.Scale, want.Scale, rs.id)
	case want != nil && got.Label != want.Label:
		return verr(ErrBadSubject, c.ID, "/credentialSubject/localGrade/label: %q is not %q, the label rule set %s gives grade %s on the %s",
			got.Label, want.Label, rs.id, c.CredentialSubject.Grade, want.Scale)
	}
	return nil
}

// checkReasons checks the reason codes of c against rule set rs: each a
// code that some characteristic of rs gives when it loses points (not a
// cap's or a certification requirement's), each listed once, and none
// only for the best score, which loses no points.
func checkReasons(c *Certificate, rs *subjectRules) error {
	s := c.CredentialSubject
	for i, code := range s.Reasons {
		if !rs.reasons[code] {
			return verr(ErrBadSubject, c.ID, "/credentialSubject/reasons/%d: %q is not a reason code that a characteristic of rule set %s gives", i, code, rs.id)
		}
		if j := slices.Index(s.Reasons[:i], code); j >= 0 {
			return verr(ErrBadSubject, c.ID, "/credentialSubject/reasons/%d: %q is listed already at /credentialSubject/reasons/%d", i, code, j)
		}
	}
	if len(s.Reasons) == 0 && s.Score != rs.bestScore {
		return verr(ErrBadSubject, c.ID, "/credentialSubject/reasons: empty, but score %d lost points against rule set %s's best score %d, and each loss has a reason",
			s.Score, rs.id, rs.bestScore)
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
// and version (found with LookupVersion if lookup is a
// RuleSetVersionLookup, else with Lookup) with the same digest, resolved,
// and whose exported fields were not changed after it was loaded
// (credit.RuleSet.Unmodified), since the verifier reads them and the
// digest vouches for them. Otherwise it returns an ErrUnknownRuleSet error
// saying why.
func lookupRuleSet(c *Certificate, lookup RuleSetLookup) (*credit.RuleSet, error) {
	// The package's own built-in registry holds copies that no one else
	// can reach, so they need no check for changes, which costs about as
	// much as the rest of the verification.
	private := lookup == nil
	if private {
		lookup = builtinRuleSets()
	}
	ref := c.CredentialSubject.RuleSet
	var (
		rs *credit.RuleSet
		ok bool
	)
	vl, byVersion := lookup.(RuleSetVersionLookup)
	if byVersion {
		rs, ok = vl.LookupVersion(ref.ID, ref.Version)
	} else {
		rs, ok = lookup.Lookup(ref.ID)
	}
	switch {
	case (!ok || rs == nil) && byVersion:
		return nil, verr(ErrUnknownRuleSet, c.ID, "rule set %s version %s is not recognised", ref.ID, ref.Version)
	case !ok || rs == nil:
		return nil, verr(ErrUnknownRuleSet, c.ID, "rule set %s is not recognised", ref.ID)
	case rs.ID != ref.ID || rs.Version != ref.Version || rs.Digest() != ref.Digest:
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
