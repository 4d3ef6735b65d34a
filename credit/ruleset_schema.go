package credit

import (
	"fmt"
	"strings"
	"sync"

	"github.com/creditsco/creditsco/schema"
	"github.com/xeipuuv/gojsonschema"
)

// ruleSetLimits are the decoding limits of a rule-set file, as for
// records: the schema library parses every number into a big.Rat, so a
// number such as 1e-9999999 would crash it and a file full of 1e-999999
// would take minutes; no rule set needs more than 24 characters or a
// two-digit exponent (a double holds 17 significant digits, and the
// numbers must be doubles, see inexactNumbers). The deepest part of the
// rule-set schema (caps → when → values) is 6 levels deep.
var ruleSetLimits = &jsonLimits{
	maxBytes: maxRuleSetBytes, maxDepth: 8, doc: "rule set",
	need:          "the rule-set schema needs no more than 6",
	startHint:     "a rule set is one JSON object (schema/ruleset.schema.json)",
	afterHint:     "a rule-set file holds one JSON object (schema/ruleset.schema.json), not several records or lines",
	codeTooLarge:  CodeRuleSetTooLarge,
	codeMalformed: CodeRuleSetMalformed,
	codeUTF8:      CodeRuleSetMalformed,
	codeDeep:      CodeRuleSetTooDeep,
	codeDupKey:    CodeRuleSetMalformed,
	codeNumber:    CodeRuleSetNumberTooLong,
}

// ruleSetSchema is the compiled, bounded rule-set schema.
var ruleSetSchema = sync.OnceValues(func() (*boundedSchema, error) {
	src, err := schema.Files.ReadFile("ruleset.schema.json")
	if err != nil {
		return nil, err
	}
	return compileBounded(src, ruleSetVocab)
})

// ruleSetVocab words schema errors of rule sets as such: with the codes
// of record problems (REQUIRED, UNKNOWN_FIELD, WRONG_TYPE…), which mean
// the same thing, but messages that speak of rule sets.
var ruleSetVocab = &schemaVocab{
	standard: "the rule-set schema (schema/ruleset.schema.json)",
	pattern:  ruleSetPatternProblem,
	skip:     ruleSetSkip,
	summary:  ruleSetSummary,
}

// ruleSetPatternProblem words a pattern error of a rule-set field.
func ruleSetPatternProblem(field, path string, v any) (code, msg string) {
	q := quoteValue(v)
	switch {
	case path == "/id":
		return CodeInvalidFormat, q + " is not a rule-set id: capital letters and digits in groups joined by hyphens, such as SCO-BASE or CN-2026"
	case path == "/version":
		return CodeInvalidFormat, q + " is not a version MAJOR.MINOR.PATCH, such as 1.3.0"
	case path == "/country":
		return CodeInvalidFormat, q + " is not a country code of two capital letters (ISO 3166-1 alpha-2), nor empty"
	case path == "/effective_from":
		return CodeInvalidDate, q + " is not a date YYYY-MM-DD"
	case strings.HasPrefix(path, "/reasons/"):
		return CodeInvalidFormat, q + " is not a reason code: a capital letter, then capital letters, digits and underscores, such as CAP_SANCTION"
	case strings.HasPrefix(path, "/sources/") && field == "id":
		return CodeInvalidFormat, q + " is not a source id: lower-case letters, digits and hyphens, such as sp-2024"
	case field == "id":
		return CodeInvalidFormat, q + " is not an id: a lower-case letter, then lower-case letters, digits, '_' and '.', such as fin.ems"
	case field == "grade" || field == "min_grade":
		return CodeInvalidFormat, q + " is not a grade symbol: a capital letter and up to 7 letters, '+' or '-', such as AAA or BB+"
	case field == "reason":
		return CodeInvalidFormat, q + " is not a reason code: a capital letter, then capital letters, digits and underscores, such as CAP_SANCTION"
	}
	return CodeInvalidFormat, q + " does not have the format the rule-set schema requires"
}

// ruleSetSkip drops errors that a summary reports better: the required
// (or forbidden) bins or categories of a characteristic (it has exactly
// one of them) and
// the required max_grade or certifiable of a cap (it has one or both), and
// the pattern error that accompanies a reason code's invalid name.
func ruleSetSkip(e gojsonschema.ResultError, path string) bool {
	d := e.Details()
	switch e.Type() {
	case "required":
		switch prop, _ := d["property"].(string); prop {
		case "bins", "categories":
			return strings.HasPrefix(path, "/characteristics/")
		case "max_grade", "certifiable":
			return strings.HasPrefix(path, "/caps/")
		}
	case "number_not":
		// The "not" of the bins-or-categories choice.
		return strings.HasPrefix(path, "/characteristics/")
	case "pattern":
		// propertyNames: reported as invalid_property_name at the key.
		return path == "/reasons"
	}
	return false
}

// ruleSetSummary words the oneOf and anyOf failures of the rule-set
// schema.
func ruleSetSummary(e gojsonschema.ResultError, path string) (Problem, bool) {
	p := Problem{Path: path, Code: CodeRuleSetSchema, Severity: SeverityError}
	switch {
	case e.Type() == "number_one_of" && strings.HasPrefix(path, "/characteristics/"):
		p.Message = "a characteristic gives exactly one of bins (for a numeric indicator) and categories (for a categorical one)"
	case e.Type() == "number_any_of" && strings.HasPrefix(path, "/caps/"):
		p.Message = "a cap sets max_grade, certifiable or both"
	default:
		p.Message = fmt.Sprintf("violates schema rule %q: %s", e.Type(), e.Description())
	}
	return p, true
}
