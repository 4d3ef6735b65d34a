package credit

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/shopspring/decimal"
)

// ErrNoRate is returned (wrapped) by Rates.Convert when a currency has no
// rate.
var ErrNoRate = errors.New("credit: no exchange rate")

// fxPrecision is the number of decimal places kept by currency conversion.
const fxPrecision = 16

// maxRatesBytes bounds the size of an FX rates file.
const maxRatesBytes = 4 << 20

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
