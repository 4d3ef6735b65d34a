package credit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// ratesShape is what a rates file looks like, for error messages.
const ratesShape = `a rates file is one JSON object {"date":"2025-12-31","base":"USD","source":"…","note":"…","rates":{"CNY":"7.0288",…}}`

// ratesLimits are the decoding limits of a rates file.
var ratesLimits = &jsonLimits{
	maxBytes: maxRatesBytes, maxDepth: 8, doc: "rates file", need: "a rates file needs 2",
	startHint:    ratesShape,
	codeTooLarge: CodeRecordTooLarge, codeMalformed: CodeMalformedJSON, codeUTF8: CodeInvalidUTF8,
	codeDeep: CodeTooDeep, codeDupKey: CodeDuplicateKey, codeNumber: CodeNumberTooLong,
}

// ratesMembers are the members of a rates file.
var ratesMembers = map[string]bool{"date": true, "base": true, "source": true, "note": true, "rates": true}

// ErrInvalidRates is wrapped by the errors of LoadRates and NewRates about
// the content of a rate table (not about reading it).
var ErrInvalidRates = errors.New("credit: invalid FX rates")

// ratesError is an error about a rate table: "credit: rates: " and its
// message, matching ErrInvalidRates.
type ratesError struct{ msg string }

func (e *ratesError) Error() string { return "credit: rates: " + e.msg }

func (e *ratesError) Is(target error) bool { return target == ErrInvalidRates }

func ratesErrorf(format string, a ...any) error {
	return &ratesError{fmt.Sprintf(format, a...)}
}

// LoadRates reads a rate table in the form
//
//	{"date":"2025-12-31","base":"USD","source":"…","note":"…","rates":{"CNY":"7.0288",…}}
//
// date, base and rates are required, rates with at least one currency;
// source and note are optional free text; no other member is accepted, nor
// a member or currency given twice. Rates are plain decimal strings (JSON
// numbers are accepted too) between 0.000000001 and 1,000,000,000,000:
// no exponents in strings, no signs, and the JSON number limits of
// records (24 characters, two exponent digits). Input larger than 4 MiB is
// rejected. Errors about the content wrap ErrInvalidRates and say what a
// rates file looks like where the input is of another shape.
func LoadRates(r io.Reader) (*Rates, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: LoadRates needs a reader", ErrNilArgument)
	}
	data, err := io.ReadAll(io.LimitReader(r, maxRatesBytes+1))
	if err != nil {
		return nil, fmt.Errorf("credit: rates: %w", err)
	}
	ps := problemList{limit: 1}
	tree := decodeJSON(data, ratesLimits, &ps)
	if ps.hasErrors() {
		ps.trim()
		p := ps.ps[0]
		msg := problemText(p)
		if p.Code == CodeMalformedJSON && !strings.Contains(msg, ratesShape) {
			// Such as several records, one per line.
			msg += "; " + ratesShape
		}
		return nil, ratesErrorf("%s", msg)
	}
	return ratesFromTree(tree)
}

// ratesFromTree checks the decoded rates file and builds its Rates.
func ratesFromTree(tree any) (*Rates, error) {
	m, ok := tree.(map[string]any)
	if !ok {
		return nil, ratesErrorf("the file holds %s; %s", friendlyType(jsonType(tree)), ratesShape)
	}
	if m["schema_version"] != nil || m["enterprise"] != nil || m["as_of"] != nil {
		return nil, ratesErrorf("this is an enterprise record, not a rates file; %s", ratesShape)
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !ratesMembers[k] {
			return nil, ratesErrorf("unknown member %q; %s", k, ratesShape)
		}
	}
	var f [4]string // date, base, source, note
	for i, k := range []string{"date", "base", "source", "note"} {
		var err error
		if f[i], err = ratesText(m, k, i < 2); err != nil {
			return nil, err
		}
	}
	d, err := ParseDate(f[0])
	if err != nil {
		return nil, ratesErrorf("date: %q is not a real calendar date YYYY-MM-DD", f[0])
	}
	if d.Before(minRecordDate) || d.After(maxRecordDate) {
		return nil, ratesErrorf("date %s is outside the plausible calendar window %s to %s", d, minRecordDate, maxRecordDate)
	}
	rates, err := ratesTable(m["rates"], f[1])
	if err != nil {
		return nil, err
	}
	rs, err := NewRates(f[1], d, f[2], rates)
	if err != nil {
		return nil, err
	}
	rs.note = f[3]
	return rs, nil
}

// ratesText returns the string member k of a rates file.
func ratesText(m map[string]any, k string, required bool) (string, error) {
	v, present := m[k]
	s, isString := v.(string)
	switch {
	case !present && required:
		return "", ratesErrorf("%q is missing; %s", k, ratesShape)
	case present && !isString:
		return "", ratesErrorf("%q must be a string, not %s", k, friendlyType(jsonType(v)))
	}
	return s, nil
}

// ratesTable reads the rates member v of a file with the given base.
func ratesTable(v any, base string) (map[string]decimal.Decimal, error) {
	if v == nil {
		return nil, ratesErrorf(`"rates" is missing; %s`, ratesShape)
	}
	rm, ok := v.(map[string]any)
	if !ok {
		return nil, ratesErrorf(`"rates" must be an object of currency codes and rates, not %s; %s`, friendlyType(jsonType(v)), ratesShape)
	}
	if _, onlyBase := rm[base]; len(rm) == 0 || len(rm) == 1 && onlyBase {
		return nil, ratesErrorf(`"rates" lists no currency other than the base; %s`, ratesShape)
	}
	rates := make(map[string]decimal.Decimal, len(rm))
	for _, c := range slices.Sorted(maps.Keys(rm)) {
		r, err := parseRate(rm[c])
		if err != nil {
			return nil, ratesErrorf("rates: %s: %v", c, err)
		}
		rates[c] = r
	}
	return rates, nil
}

// ratePattern is the form of a rate given as a string: a plain positive
// decimal.
var ratePattern = regexp.MustCompile(`^[0-9]{1,13}(\.[0-9]{1,15})?$`)

// parseRate reads one rate, a decimal string or a JSON number.
func parseRate(v any) (decimal.Decimal, error) {
	var s string
	switch t := v.(type) {
	case string:
		if !ratePattern.MatchString(t) {
			return decimal.Decimal{}, fmt.Errorf("%s is not a plain decimal such as \"7.0288\" (digits, an optional point and fraction; no sign, exponent or separators)", quoteValue(t))
		}
		s = t
	case json.Number:
		s = string(t)
	default:
		return decimal.Decimal{}, fmt.Errorf("a rate is a decimal string such as \"7.0288\", not %s", friendlyType(jsonType(v)))
	}
	return decimal.NewFromString(s)
}

// problemText writes a decoding problem as one line: its path, if any,
// and its message.
func problemText(p Problem) string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}
