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
	"github.com/creditsco/creditsco/schema"
)

// certificateSchema is the compiled JSON Schema of the credit certificate
// (schema/credit-certificate.schema.json, draft-07). It is compiled once,
// from the embedded bytes only, so that gojsonschema never loads anything
// over the network; a compiled schema is safe for concurrent use.
var certificateSchema = sync.OnceValues(func() (*gojsonschema.Schema, error) {
	sl := gojsonschema.NewSchemaLoader()
	sl.Draft = gojsonschema.Draft7
	sl.AutoDetect = false
	sl.Validate = true
	return sl.Compile(gojsonschema.NewBytesLoader(schema.CreditCertificate))
})

// maxSchemaProblems is the number of schema problems named in the detail
// of an ErrMalformed error; the others are counted.
const maxSchemaProblems = 3

// checkSchema validates the signed certificate doc (without its proof)
// against the certificate's JSON Schema. Problems are reported, sorted by
// JSON Pointer, as one ErrMalformed error.
func checkSchema(id string, doc []byte) error {
	s, err := certificateSchema()
	if err != nil {
		// The schema is embedded and tested; this cannot happen in a
		// released build, but fail closed if it does.
		return verr(ErrMalformed, id, "certificate schema does not compile: %v", err)
	}
	res, err := s.Validate(gojsonschema.NewBytesLoader(doc))
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
// error is about: gojsonschema's context "(root).a.0.b" becomes "/a/0/b",
// and for a missing or unexpected member its name is appended.
func schemaPointer(e gojsonschema.ResultError) string {
	var tokens []string
	if c := e.Context(); c != nil {
		// NUL cannot occur in the member names the schema defines, which
		// are the only places errors are reported at.
		tokens = strings.Split(c.String("\x00"), "\x00")
		if len(tokens) > 0 && tokens[0] == gojsonschema.STRING_CONTEXT_ROOT {
			tokens = tokens[1:]
		}
	}
	switch e.Type() {
	case "required", "additional_property_not_allowed":
		if prop, ok := e.Details()["property"].(string); ok {
			tokens = append(tokens, prop)
		}
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}

func orRoot(pointer string) string {
	if pointer == "" {
		return "(root)"
	}
	return pointer
}

// checkProfile checks what the schema cannot: that pd is a plain decimal
// in [0, 1], that the validity period is present and ordered and, if the
// certificate's rule set is recognised (rs not nil), that the grade is one
// of its master scale, the master scale is its own and the score lies in
// its range. Whether the rule set is recognised is checked later, by
// checkRuleSet.
func checkProfile(c *Certificate, rs *credit.RuleSet) error {
	s := c.CredentialSubject
	if !isPlainDecimal(s.PD) {
		return verr(ErrMalformed, c.ID, "/credentialSubject/pd: %q is not a decimal string", s.PD)
	}
	if pd, err := decimal.NewFromString(s.PD); err != nil || pd.IsNegative() || pd.GreaterThan(decimal.NewFromInt(1)) {
		return verr(ErrMalformed, c.ID, "/credentialSubject/pd: %s is not a probability in [0, 1]", s.PD)
	}
	if c.ValidFrom == "" || c.ValidUntil == "" {
		return verr(ErrMalformed, c.ID, "a credit certificate needs both validFrom and validUntil")
	}
	from, err := parseTime(c.ValidFrom)
	if err != nil {
		return verr(ErrMalformed, c.ID, "/validFrom: %q is not an XML Schema dateTimeStamp", c.ValidFrom)
	}
	until, err := parseTime(c.ValidUntil)
	if err != nil {
		return verr(ErrMalformed, c.ID, "/validUntil: %q is not an XML Schema dateTimeStamp", c.ValidUntil)
	}
	if until.Before(from) {
		return verr(ErrMalformed, c.ID, "validUntil %s is before validFrom %s", c.ValidUntil, c.ValidFrom)
	}
	if rs == nil {
		return nil
	}
	if m := rs.MasterScale; m != nil {
		if !slices.ContainsFunc(m.Grades, func(g credit.Grade) bool { return g.Grade == s.Grade }) {
			return verr(ErrMalformed, c.ID, "/credentialSubject/grade: %q is not a grade of the master scale of rule set %s", s.Grade, rs.ID)
		}
		if s.MasterScale != m.Name {
			return verr(ErrMalformed, c.ID, "/credentialSubject/masterScale: %q is not the master scale of rule set %s", s.MasterScale, rs.ID)
		}
	}
	if sc := rs.Scaling; sc != nil && (s.Score < sc.MinScore || s.Score > sc.MaxScore) {
		return verr(ErrMalformed, c.ID, "/credentialSubject/score: %d is outside the range [%d, %d] of rule set %s", s.Score, sc.MinScore, sc.MaxScore, rs.ID)
	}
	return nil
}

// isPlainDecimal reports whether s is digits with an optional fraction,
// the form the engine writes PDs in: no sign, exponent or blanks.
func isPlainDecimal(s string) bool {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	digits := func(t string) bool { return t != "" && strings.Trim(t, "0123456789") == "" }
	return digits(intPart) && (!hasFrac || digits(frac))
}

// recognisedRuleSet returns the rule set of c if the verifier recognises
// it with the same version and digest, or nil.
func recognisedRuleSet(c *Certificate, lookup RuleSetLookup) *credit.RuleSet {
	if lookup == nil {
		lookup = credit.BuiltinRuleSets()
	}
	ref := c.CredentialSubject.RuleSet
	rs, ok := lookup.Lookup(ref.ID)
	if !ok || rs == nil || rs.Version != ref.Version || rs.Digest() != ref.Digest {
		return nil
	}
	return rs
}
