package credit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// NewRates returns a rate table. Every rate must be positive; the base
// currency's own rate, if given, must be 1.
//
// The base and every currency must be ISO 4217 codes of currencies in
// circulation (IsCurrency), the only codes a valid record can carry: a rate
// for any other three-letter code (a typo such as "USX", or a metal or
// test code such as XAU or XTS) could never be used, so it is refused
// rather than silently ignored.
func NewRates(base string, date Date, source string, rates map[string]decimal.Decimal) (*Rates, error) {
	if !IsCurrency(base) {
		return nil, fmt.Errorf("credit: rates: base %q is not an ISO 4217 code of a currency in circulation", base)
	}
	m := make(map[string]decimal.Decimal, len(rates)+1)
	for c, r := range rates {
		if !IsCurrency(c) {
			return nil, fmt.Errorf("credit: rates: %q is not an ISO 4217 code of a currency in circulation", c)
		}
		if r.Sign() <= 0 {
			return nil, fmt.Errorf("credit: rates: rate of %s must be positive, got %s", c, r)
		}
		if c == base && !r.Equal(one) {
			return nil, fmt.Errorf("credit: rates: rate of the base currency %s must be 1, got %s", c, r)
		}
		m[c] = r
	}
	m[base] = one
	return &Rates{base: base, date: date, source: source, rates: m}, nil
}

// LoadRates reads a rate table in the form
//
//	{"date":"2025-12-31","base":"USD","source":"…","note":"…","rates":{"CNY":"7.0288",…}}
//
// Rates are decimal strings (JSON numbers are accepted too). Input larger than
// 4 MiB is rejected.
func LoadRates(r io.Reader) (*Rates, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxRatesBytes+1))
	if err != nil {
		return nil, fmt.Errorf("credit: rates: %w", err)
	}
	if len(data) > maxRatesBytes {
		return nil, errors.New("credit: rates: input larger than 4 MiB")
	}
	var f struct {
		Date   string                     `json:"date"`
		Base   string                     `json:"base"`
		Source string                     `json:"source"`
		Note   string                     `json:"note"`
		Rates  map[string]decimal.Decimal `json:"rates"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("credit: rates: %w", err)
	}
	d, err := ParseDate(f.Date)
	if err != nil {
		return nil, fmt.Errorf("credit: rates: date: %w", err)
	}
	rs, err := NewRates(f.Base, d, f.Source, f.Rates)
	if err != nil {
		return nil, err
	}
	rs.note = f.Note
	return rs, nil
}

// Base returns the base currency.
func (r *Rates) Base() string { return r.base }

// Date returns the date of the rates.
func (r *Rates) Date() Date { return r.date }

// Source returns where the rates come from.
func (r *Rates) Source() string { return r.source }

// Note returns the free-text note of the rate file.
func (r *Rates) Note() string { return r.note }

// Currencies returns the currencies with a rate, sorted.
func (r *Rates) Currencies() []string {
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
