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

// ErrNoRate is returned (wrapped) by Rates.Convert when a currency has no
// rate.
var ErrNoRate = errors.New("credit: no exchange rate")

// fxPrecision is the number of decimal places kept by currency conversion.
const fxPrecision = 16

// maxRatesBytes bounds the size of an FX rates file.
const maxRatesBytes = 4 << 20

// Rates is a table of exchange rates on one date: for each currency the
// number of its units that buy one unit of the base currency (for base USD,
// "CNY": 7.0288 means 1 USD = 7.0288 CNY). The scoring engine uses it to
// convert amounts (for example total assets into USD for fin.size_usd); it
// never fetches rates itself. A Rates is immutable and safe for concurrent
// use.
type Rates struct {
	base   string
	date   Date
	source string
	note   string
	rates  map[string]decimal.Decimal
}

// NewRates returns a rate table. Every rate must be between 0.000000001
// and 1,000,000,000,000 (the extremes between currencies in circulation,
// with a wide margin); the base currency's own rate, if given, must be 1.
// Errors wrap ErrInvalidRates.
//
// The base and every currency must be ISO 4217 codes of currencies in
// circulation (IsCurrency), the only codes a valid record can carry: a rate
// for any other three-letter code (a typo such as "USX", or a metal or
// test code such as XAU or XTS) could never be used, so it is refused
// rather than silently ignored.
func NewRates(base string, date Date, source string, rates map[string]decimal.Decimal) (*Rates, error) {
	if !IsCurrency(base) {
		return nil, ratesErrorf("base %q is not an ISO 4217 code of a currency in circulation", base)
	}
	m := make(map[string]decimal.Decimal, len(rates)+1)
	for _, c := range slices.Sorted(maps.Keys(rates)) {
		r := rates[c]
		if !IsCurrency(c) {
			return nil, ratesErrorf("%q is not an ISO 4217 code of a currency in circulation", c)
		}
		if r.Cmp(minRate) < 0 || r.Cmp(maxRate) > 0 {
			return nil, ratesErrorf("rate of %s is %s, outside the plausible range of an exchange rate, %s to %s", c, r, minRate, maxRate.StringFixed(0))
		}
		if c == base && !r.Equal(one) {
			return nil, ratesErrorf("rate of the base currency %s must be 1, got %s", c, r)
		}
		m[c] = r
	}
	m[base] = one
	return &Rates{base: base, date: date, source: source, rates: m}, nil
}

// ratesShape is what a rates file looks like, for error messages.
const ratesShape = `a rates file is one JSON object {"date":"2025-12-31","base":"USD","source":"…","note":"…","rates":{"CNY":"7.0288",…}}`

// The bounds of one exchange rate, in units of the currency per unit of
// the base. The extremes between currencies in circulation are about
// 3·10^6 (Iranian rials per Kuwaiti dinar, at the 2025 market rate) and
// its inverse; the bounds leave three orders of magnitude on each side
// for hyperinflation, and refuse typing errors and values such as 1e400
// that no decimal arithmetic should be handed.
var (
	minRate = decimal.New(1, -9)
	maxRate = decimal.New(1, 12)
)

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
	text := func(k string, required bool) (string, error) {
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
	var f struct{ date, base, source, note string }
	for _, x := range []struct {
		k        string
		dst      *string
		required bool
	}{{"date", &f.date, true}, {"base", &f.base, true}, {"source", &f.source, false}, {"note", &f.note, false}} {
		if *x.dst, err = text(x.k, x.required); err != nil {
			return nil, err
		}
	}
	d, err := ParseDate(f.date)
	if err != nil {
		return nil, ratesErrorf("date: %q is not a real calendar date YYYY-MM-DD", f.date)
	}
	if d.Before(minRecordDate) || d.After(maxRecordDate) {
		return nil, ratesErrorf("date %s is outside the plausible calendar window %s to %s", d, minRecordDate, maxRecordDate)
	}
	rv, present := m["rates"]
	if !present {
		return nil, ratesErrorf(`"rates" is missing; %s`, ratesShape)
	}
	rm, ok := rv.(map[string]any)
	if !ok {
		return nil, ratesErrorf(`"rates" must be an object of currency codes and rates, not %s; %s`, friendlyType(jsonType(rv)), ratesShape)
	}
	if _, onlyBase := rm[f.base]; len(rm) == 0 || len(rm) == 1 && onlyBase {
		return nil, ratesErrorf(`"rates" lists no currency other than the base; %s`, ratesShape)
	}
	rates := make(map[string]decimal.Decimal, len(rm))
	for _, c := range slices.Sorted(maps.Keys(rm)) {
		v, err := parseRate(rm[c])
		if err != nil {
			return nil, ratesErrorf("rates: %s: %v", c, err)
		}
		rates[c] = v
	}
	rs, err := NewRates(f.base, d, f.source, rates)
	if err != nil {
		return nil, err
	}
	rs.note = f.note
	return rs, nil
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

// Base returns the base currency.
func (r *Rates) Base() string {
	if r == nil {
		return ""
	}
	return r.base
}

// Date returns the date of the rates.
func (r *Rates) Date() Date {
	if r == nil {
		return Date{}
	}
	return r.date
}

// Source returns where the rates come from.
func (r *Rates) Source() string {
	if r == nil {
		return ""
	}
	return r.source
}

// Note returns the free-text note of the rate file.
func (r *Rates) Note() string {
	if r == nil {
		return ""
	}
	return r.note
}

// Currencies returns the currencies with a rate, sorted; nil for nil
// Rates, which has none.
func (r *Rates) Currencies() []string {
	if r == nil {
		return nil
	}
	cs := make([]string, 0, len(r.rates))
	for c := range r.rates {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	return cs
}

// Rate returns the units of currency c per one unit of the base currency.
func (r *Rates) Rate(c string) (decimal.Decimal, bool) {
	if r == nil {
		return decimal.Decimal{}, false
	}
	v, ok := r.rates[c]
	return v, ok
}

// Convert converts amount from currency from into currency to, through the
// base currency, keeping 16 decimal places. It returns an error wrapping
// ErrNoRate when either currency has no rate (or r is nil). Converting a
// currency into itself returns the amount unchanged, even without rates.
func (r *Rates) Convert(amount decimal.Decimal, from, to string) (decimal.Decimal, error) {
	if from == to {
		return amount, nil
	}
	rf, ok := r.Rate(from)
	if !ok {
		return decimal.Decimal{}, fmt.Errorf("%w for %s", ErrNoRate, from)
	}
	rt, ok := r.Rate(to)
	if !ok {
		return decimal.Decimal{}, fmt.Errorf("%w for %s", ErrNoRate, to)
	}
	// rf > 0 is guaranteed by NewRates.
	return amount.Mul(rt).DivRound(rf, fxPrecision), nil
}
