package credit

import (
	"slices"
	"strconv"

	"github.com/shopspring/decimal"
)

// ratioPrecision is the number of decimal places kept by every division of
// the indicators, before the value is rounded to the indicator's scale.
const ratioPrecision = 16

// IndicatorKind tells whether an indicator is a number or a category.
type IndicatorKind int

// The indicator kinds.
const (
	Numeric IndicatorKind = iota
	Categorical
)

// Reasons why an indicator is missing (IndicatorValue.Missing).
const (
	MissingNoStatement        = "NO_STATEMENT"
	MissingField              = "FIELD_NOT_REPORTED"
	MissingZeroDenominator    = "ZERO_DENOMINATOR"
	MissingNegativeDenom      = "NEGATIVE_DENOMINATOR"
	MissingNoPriorStatement   = "NO_PRIOR_STATEMENT"
	MissingNoFullYear         = "NO_FULL_YEAR_STATEMENT"
	MissingNoRate             = "NO_FX_RATE"
	MissingNoPayments         = "NO_PAYMENT_DATA"
	MissingNoPaymentsInWindow = "NO_PAYMENTS_IN_WINDOW"
	MissingNoPublicRecords    = "NO_PUBLIC_RECORD_DATA"
	MissingNoTrade            = "NO_TRADE_DATA"
	MissingNotReported        = "NOT_REPORTED"
	MissingDateOrder          = "DATE_AFTER_AS_OF"
)

// IndicatorValue is the value of one indicator for one record: a decimal
// (Numeric), a category (Categorical), or missing with a reason code.
type IndicatorValue struct {
	Num     decimal.Decimal // value of a Numeric indicator; zero otherwise
	Cat     string          // category of a Categorical indicator; empty otherwise
	Missing string          // non-empty: the indicator is missing, and why
}

// IsMissing reports whether the value is missing.
func (v IndicatorValue) IsMissing() bool { return v.Missing != "" }

// IndicatorInfo describes an indicator.
type IndicatorInfo struct {
	ID          string        // such as "fin.ems" (see IndicatorIDs)
	Kind        IndicatorKind // Numeric or Categorical
	Scale       int32         // numeric values are rounded half away from zero to Scale places
	Categories  []string      // every value a categorical indicator can take
	Description string        // what the indicator measures, in plain English
}

type indicatorDef struct {
	IndicatorInfo
	compute func(*indicatorCtx) IndicatorValue
}

func num(d decimal.Decimal) IndicatorValue { return IndicatorValue{Num: d} }
func numInt(n int) IndicatorValue          { return IndicatorValue{Num: decimal.NewFromInt(int64(n))} }
func cat(s string) IndicatorValue          { return IndicatorValue{Cat: s} }
func missing(reason string) IndicatorValue { return IndicatorValue{Missing: reason} }
func missingField(f string) IndicatorValue { return IndicatorValue{Missing: MissingField + ":" + f} }

// ratioCap bounds ratios whose denominator can be close to zero, so that no
// indicator is ever "infinite": the value is clamped to [-ratioCap, ratioCap].
var ratioCap = decimal.NewFromInt(100)

// x4Cap bounds BVE/TL in the EMS (a firm without liabilities gets the cap).
var x4Cap = decimal.NewFromInt(10)

func clamp(d, lo, hi decimal.Decimal) decimal.Decimal {
	if d.Cmp(lo) < 0 {
		return lo
	}
	if d.Cmp(hi) > 0 {
		return hi
	}
	return d
}

func clampRatio(d decimal.Decimal) decimal.Decimal { return clamp(d, ratioCap.Neg(), ratioCap) }

// divide returns a/b with ratioPrecision places, or a missing reason when b
// is zero or negative (a denominator that must be positive).
func divide(a, b decimal.Decimal) (decimal.Decimal, string) {
	switch b.Sign() {
	case 0:
		return decimal.Decimal{}, MissingZeroDenominator
	case -1:
		return decimal.Decimal{}, MissingNegativeDenom
	}
	return a.DivRound(b, ratioPrecision), ""
}

var (
	twelve = decimal.NewFromInt(12)
	one    = decimal.NewFromInt(1)
)

// annualise scales a flow of a period of months to 12 months.
func annualise(d decimal.Decimal, months int) decimal.Decimal {
	if months == 12 || months <= 0 {
		return d
	}
	return d.Mul(twelve).DivRound(decimal.NewFromInt(int64(months)), ratioPrecision)
}

// IndicatorIDs returns the ids of every indicator, sorted.
func IndicatorIDs() []string {
	ids := make([]string, 0, len(indicators))
	for id := range indicators {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Indicator returns the description of an indicator.
func Indicator(id string) (IndicatorInfo, bool) {
	d, ok := indicators[id]
	if !ok {
		return IndicatorInfo{}, false
	}
	info := d.IndicatorInfo
	info.Categories = slices.Clone(info.Categories)
	return info, true
}

// ComputeIndicator computes one indicator for rec with the given
// parameters (as in a rule set: payment_grace_days, expected_inflation,
// on_time_window_months; absent ones take their defaults) and rates (may be
// nil). Numeric values are rounded to the indicator's scale. Warnings, such
// as a missing FX rate, are returned as problems of severity warning.
func ComputeIndicator(id string, rec *Record, params map[string]decimal.Decimal, rates *Rates) (IndicatorValue, Problems, bool) {
	d, ok := indicators[id]
	if !ok {
		return IndicatorValue{}, nil, false
	}
	ctx := newIndicatorCtx(rec, paramsFrom(params), rates)
	v := d.compute(ctx)
	if !v.IsMissing() && d.Kind == Numeric {
		v.Num = v.Num.Round(d.Scale)
	}
	return v, ctx.warnings, true
}

// indicatorParams are the rule-set parameters the indicators use.
type indicatorParams struct {
	graceDays         int
	expectedInflation decimal.Decimal
	onTimeWindow      int
}

func paramsFrom(m map[string]decimal.Decimal) indicatorParams {
	p := indicatorParams{graceDays: 0, expectedInflation: decimal.Zero, onTimeWindow: 12}
	if v, ok := m["payment_grace_days"]; ok {
		p.graceDays = int(v.IntPart())
	}
	if v, ok := m["expected_inflation"]; ok {
		p.expectedInflation = v
	}
	if v, ok := m["on_time_window_months"]; ok {
		p.onTimeWindow = int(v.IntPart())
	}
	return p
}

// knownParameters are the parameters rule sets may set, with their bounds
// (inclusive).
var knownParameters = map[string][2]decimal.Decimal{
	"payment_grace_days":    {decimal.Zero, decimal.NewFromInt(365)},
	"expected_inflation":    {decimal.NewFromFloat(-0.5), decimal.NewFromInt(10)},
	"on_time_window_months": {one, decimal.NewFromInt(120)},
}

// indicatorCtx holds per-record precomputed data.
type indicatorCtx struct {
	rec      *Record
	params   indicatorParams
	rates    *Rates
	stmts    []*Statement // statements with period_end not after as_of, newest first
	latest   *Statement
	warnings Problems
	warned   map[string]bool
}

func newIndicatorCtx(rec *Record, p indicatorParams, rates *Rates) *indicatorCtx {
	c := &indicatorCtx{rec: rec, params: p, rates: rates}
	for i := range rec.Financials {
		s := &rec.Financials[i]
		if s.PeriodEnd.After(rec.AsOf) || s.PeriodMonths <= 0 {
			continue
		}
		c.stmts = append(c.stmts, s)
	}
	// Newest first; for the same period end the longer period first; then
	// input order (stable).
	slices.SortStableFunc(c.stmts, func(a, b *Statement) int {
		if x := b.PeriodEnd.Compare(a.PeriodEnd); x != 0 {
			return x
		}
		return b.PeriodMonths - a.PeriodMonths
	})
	if len(c.stmts) > 0 {
		c.latest = c.stmts[0]
	}
	return c
}

func (c *indicatorCtx) warn(path, code, msg string) {
	key := path + "|" + code
	if c.warned[key] {
		return
	}
	if c.warned == nil {
		c.warned = map[string]bool{}
	}
	c.warned[key] = true
	c.warnings = append(c.warnings, Problem{Path: path, Code: code, Severity: SeverityWarning, Message: msg})
}

// statementIndex returns the index of s in rec.Financials, for paths.
func (c *indicatorCtx) statementIndex(s *Statement) int {
	for i := range c.rec.Financials {
		if &c.rec.Financials[i] == s {
			return i
		}
	}
	return -1
}

// dpd returns the days past due of a payment at as_of: paid late → days
// between due and paid date; unpaid → days between due date and as_of;
// never negative.
func (c *indicatorCtx) dpd(p *Payment) int {
	end := c.rec.AsOf
	if p.PaidDate != nil && !p.PaidDate.After(end) {
		end = *p.PaidDate
	}
	return max(0, end.DaysSince(p.DueDate))
}

// inWindow reports whether d lies in (as_of - months, as_of].
func (c *indicatorCtx) inWindow(d Date, months int) bool {
	return !d.After(c.rec.AsOf) && d.After(c.rec.AsOf.AddMonths(-months))
}

func itoa(n int) string { return strconv.Itoa(n) }
