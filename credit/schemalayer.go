package credit

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/creditsco/creditsco/credit/internal/jsonschema"
	"github.com/creditsco/creditsco/schema"
	"github.com/shopspring/decimal"
	"github.com/xeipuuv/gojsonschema"
)

// recordSchema is the compiled record schema, bounded (see
// boundedSchema). A compiled gojsonschema Schema is safe for concurrent
// Validate calls, so one serves the process. It is compiled from the
// embedded bytes only: gojsonschema would otherwise follow remote $ref
// over the network.
var recordSchema = sync.OnceValues(func() (*boundedSchema, error) {
	return compileBounded(schema.EnterpriseRecord, recordVocab)
})

// schemaVocab says how the schema errors of one kind of document are
// reported: the name of its standard and the wording of format errors.
type schemaVocab struct {
	// standard names the document's standard in messages: "the record
	// standard v1.0".
	standard string
	// amounts says whether the document has amount fields, which get
	// their own codes (records do).
	amounts bool
	// pattern words a pattern or format error of a field.
	pattern func(field, path string, v any) (code, msg string)
	// skip reports errors that another error of the same call already
	// reports better.
	skip func(e gojsonschema.ResultError, path string) bool
	// summary, if set, words the failures of oneOf, anyOf and allOf;
	// otherwise they are dropped, their sub-errors being reported.
	summary func(e gojsonschema.ResultError, path string) (Problem, bool)
}

var recordVocab = &schemaVocab{
	standard: "the record standard v" + SchemaVersion,
	amounts:  true,
	pattern:  patternProblem,
}

// amountFields are the record fields whose values are amounts. They get
// their own codes so that a partner sending 1250000.5 learns to send
// "1250000.5".
var amountFields = map[string]bool{
	"total_assets": true, "total_liabilities": true, "equity": true, "revenue": true,
	"net_income": true, "current_assets": true, "current_liabilities": true,
	"retained_earnings": true, "ebit": true, "interest_expense": true,
	"operating_cash_flow": true, "cash": true, "amount": true,
	"exports_12m": true, "imports_12m": true,
}

var dateFields = map[string]bool{
	"as_of": true, "registered_on": true, "period_end": true, "due_date": true,
	"paid_date": true, "date": true, "resolved_on": true, "trading_since": true,
	"observed_on": true,
}

func lastToken(path string) string {
	return path[strings.LastIndexByte(path, '/')+1:]
}

// mapError maps a schema error, found at prefix in the document, to a
// Problem with a JSON Pointer path and a stable code; gojsonschema's own
// wording is never the only information given. It reports false for
// errors that only summarise others.
func (vc *schemaVocab) mapError(e gojsonschema.ResultError, prefix string) (Problem, bool) {
	path := prefix + jsonschema.Pointer(e.Context())
	field := lastToken(path)
	d := e.Details()
	p := Problem{Path: path, Severity: SeverityError}
	if vc.skip != nil && vc.skip(e, path) {
		return p, false
	}
	switch e.Type() {
	case "required":
		prop, _ := d["property"].(string)
		p = requiredProblem(path, prop)
	case "additional_property_not_allowed":
		prop, _ := d["property"].(string)
		p.Path = pointer(path, prop)
		p.Code = CodeUnknownField
		p.Message = fmt.Sprintf("field %q is not part of %s", prop, vc.standard)
	case "invalid_type":
		expected, _ := d["expected"].(string)
		given, _ := d["given"].(string)
		if n, isNum := e.Value().(json.Number); isNum && vc.amounts && amountFields[field] {
			p.Code = CodeAmountNotString
			if s := plainDecimal(n); amountPattern.MatchString(s) {
				p.Message = fmt.Sprintf("amounts are JSON strings: write %q, not %s", s, n)
			} else {
				p.Message = fmt.Sprintf("amounts are JSON strings of at most 18 integer and 6 fraction digits; %s is not one and cannot be written as one", n)
			}
			break
		}
		p.Code = CodeWrongType
		p.Message = fmt.Sprintf("expected %s, got %s", friendlyType(expected), friendlyType(given))
	case "pattern", "format":
		p.Code, p.Message = vc.pattern(field, path, e.Value())
	case "invalid_property_name":
		prop, _ := d["property"].(string)
		p.Path = pointer(path, prop)
		p.Code, p.Message = vc.pattern(prop, p.Path, prop)
	case "enum":
		p.Code = CodeInvalidValue
		p.Message = fmt.Sprintf("%s is not one of the allowed values: %v", quoteValue(e.Value()), d["allowed"])
	case "const":
		if path == "/schema_version" && vc == recordVocab {
			p.Code = CodeUnsupportedVersion
			p.Message = fmt.Sprintf("schema_version %s is not supported; this validator reads %q", quoteValue(e.Value()), SchemaVersion)
		} else {
			p.Code = CodeInvalidValue
			p.Message = fmt.Sprintf("%s must be %v", quoteValue(e.Value()), d["allowed"])
		}
	case "string_gte":
		p.Code = CodeTooShort
		p.Message = fmt.Sprintf("must have at least %v characters", d["min"])
	case "string_lte":
		p.Code = CodeTooLong
		p.Message = fmt.Sprintf("must have at most %v characters", d["max"])
	case "array_min_items":
		p.Code = CodeTooFewItems
		p.Message = fmt.Sprintf("must have at least %v items", d["min"])
	case "array_max_items":
		p.Code = CodeTooManyItems
		p.Message = fmt.Sprintf("must have at most %v items", d["max"])
	case "unique":
		p.Code = CodeDuplicateItem
		p.Message = "items must be unique"
	case "number_gte", "number_gt":
		p.Code = CodeOutOfRange
		p.Message = fmt.Sprintf("%v is below the minimum %s", e.Value(), formatBound(d["min"]))
	case "number_lte", "number_lt":
		p.Code = CodeOutOfRange
		p.Message = fmt.Sprintf("%v is above the maximum %s", e.Value(), formatBound(d["max"]))
	case "number_one_of", "number_any_of", "number_all_of", "condition_then", "condition_else":
		// Summaries of sub-schema failures that are reported on their own.
		if vc.summary != nil {
			return vc.summary(e, path)
		}
		return p, false
	default:
		p.Code = CodeSchemaViolation
		p.Message = fmt.Sprintf("violates schema rule %q: %s", e.Type(), e.Description())
	}
	return p, true
}

func patternProblem(field, path string, v any) (code, msg string) {
	switch {
	case amountFields[field]:
		return CodeInvalidAmount, fmt.Sprintf("%s is not a plain decimal amount: optional minus, 1 to 18 digits, optional point and 1 to 6 digits, no exponent or separators", quoteValue(v))
	case dateFields[field]:
		return CodeInvalidDate, fmt.Sprintf("%s is not a real calendar date YYYY-MM-DD", quoteValue(v))
	case field == "currency":
		return CodeInvalidFormat, fmt.Sprintf("%s is not a currency code of three capital letters (ISO 4217)", quoteValue(v))
	case field == "creditor_country" || strings.Contains(path, "/partner_countries/"):
		return CodeInvalidFormat, fmt.Sprintf("%s is not a country code of two capital letters (ISO 3166-1 alpha-2)", quoteValue(v))
	case field == "scheme":
		return CodeInvalidFormat, fmt.Sprintf("%s is not an identifier scheme name such as CN-USCC or LEI", quoteValue(v))
	case field == "code":
		return CodeInvalidFormat, fmt.Sprintf("%s is not an ISIC Rev. 4 code (section letter or 2 to 4 digits)", quoteValue(v))
	}
	return CodeInvalidFormat, fmt.Sprintf("%s does not have the required format", quoteValue(v))
}

// plainDecimal renders a JSON number as the amount string the standard
// wants, e.g. 1.5e6 as "1500000".
func plainDecimal(n json.Number) string {
	d, err := decimal.NewFromString(string(n))
	if err != nil {
		return string(n)
	}
	return d.String()
}

func quoteValue(v any) string {
	if s, ok := v.(string); ok {
		if len(s) > 64 {
			s = s[:64] + "…"
		}
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

// friendlyType names a JSON type with its article: "an object", "a string".
// gojsonschema gives lists of types as "[number,null]".
func friendlyType(t string) string {
	t = strings.Trim(t, "[]")
	switch {
	case t == "null":
		return "null"
	case t == "":
		return "another type"
	case strings.Contains(t, ","):
		return "one of " + strings.ReplaceAll(t, ",", ", ")
	case strings.ContainsRune("aeiou", rune(t[0])):
		return "an " + t
	}
	return "a " + t
}

// amountPattern is the amount format of the standard, as in the schema.
var amountPattern = regexp.MustCompile(`^-?[0-9]{1,18}(\.[0-9]{1,6})?$`)

// formatBound writes a schema bound without the exponent notation that
// gojsonschema's float64 details would print (1e+07 for 10000000).
func formatBound(v any) string {
	switch b := v.(type) {
	case float64:
		return strconv.FormatFloat(b, 'f', -1, 64)
	case json.Number:
		return plainDecimal(b)
	case string:
		return plainDecimal(json.Number(b))
	case *big.Float:
		return b.Text('f', -1)
	}
	return fmt.Sprint(v)
}
