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

var negRatioCap = ratioCap.Neg()

func clampRatio(d decimal.Decimal) decimal.Decimal { return clamp(d, negRatioCap, ratioCap) }

// cappedRatio is the one rule of every ratio indicator whose denominator
// must be positive and may be close to zero:
//
//   - den > 0: num/den (ratioPrecision places), clamped to
//     [-ratioCap, ratioCap];
//   - den = 0 and num ≠ 0: the limit of num/den as den falls to zero,
//     sign(num) × ratioCap (earnings and nothing to pay: the top; a loss
//     and nothing to measure it against: the bottom);
//   - den = 0 and num = 0: 0/0 says nothing, missing (ZERO_DENOMINATOR);
//   - den < 0: the ratio would read the wrong way round, missing
//     (NEGATIVE_DENOMINATOR).
func cappedRatio(num, den decimal.Decimal) IndicatorValue {
	switch den.Sign() {
	case 0:
		switch num.Sign() {
		case 1:
			return IndicatorValue{Num: ratioCap}
		case -1:
			return IndicatorValue{Num: negRatioCap}
		}
		return missing(MissingZeroDenominator)
	case -1:
		return missing(MissingNegativeDenom)
	}
	return IndicatorValue{Num: clampRatio(num.DivRound(den, ratioPrecision))}
}

// needStatement wraps an indicator of the latest statement: missing
// (NO_STATEMENT) when the record has none dated on or before as_of.
func needStatement(f func(*indicatorCtx, *Statement) IndicatorValue) func(*indicatorCtx) IndicatorValue {
	return func(c *indicatorCtx) IndicatorValue {
		if c.latest == nil {
			return missing(MissingNoStatement)
		}
		return f(c, c.latest)
	}
}

// divide returns a/b with ratioPrecision places, or a missing reason when b
// is zero or negative (a denominator that must be positive). Shares and
// growth rates use it; ratios use cappedRatio.
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
// as a missing FX rate, are returned as problems of severity warning. A
// nil rec is read as an empty Record, whose indicators are missing.
func ComputeIndicator(id string, rec *Record, params map[string]decimal.Decimal, rates *Rates) (IndicatorValue, Problems, bool) {
	d, ok := indicators[id]
	if !ok {
		return IndicatorValue{}, nil, false
	}
	if rec == nil {
		rec = &Record{}
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

// paramsFrom reads the parameters of m, with their defaults. Grace days
// below zero (which a rule set cannot give, but ComputeIndicator's caller
// can) count as zero: the payment indicators rely on graceDays >= 0, so
// that a payment not yet due (0 days past due) is never overdue.
func paramsFrom(m map[string]decimal.Decimal) indicatorParams {
	p := indicatorParams{graceDays: 0, expectedInflation: decimal.Zero, onTimeWindow: 12}
	if v, ok := m["payment_grace_days"]; ok {
		p.graceDays = max(0, int(v.IntPart()))
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
	"expected_inflation":    {decimal.RequireFromString("-0.5"), decimal.NewFromInt(10)},
	"on_time_window_months": {one, decimal.NewFromInt(120)},
}

// indicatorCtx holds per-record precomputed data.
type indicatorCtx struct {
	rec    *Record
	params indicatorParams
	rates  *Rates
	stmts  []*Statement // statements with period_end not after as_of, newest first
	// stmtIdx[k] is the index of stmts[k] in rec.Financials, for paths.
	stmtIdx []int
	latest  *Statement // stmts[0]; nil when there is none
	// latestRevenue is latest's revenue annualised to 12 months.
	latestRevenue decimal.Decimal
	// from12, from24, from36 and fromOnTime are as_of minus 12, 24, 36
	// and on_time_window_months months: the exclusive starts of the
	// windows (see inWindow).
	from12, from24, from36, fromOnTime Date
	// dpd[i] is the days past due of rec.Payments[i] at as_of (see
	// daysPastDue).
	dpd      []int
	warnings Problems
	warned   map[string]bool
}

func newIndicatorCtx(rec *Record, p indicatorParams, rates *Rates) *indicatorCtx {
	asOf := rec.AsOf
	c := &indicatorCtx{rec: rec, params: p, rates: rates,
		from12: asOf.AddMonths(-12), from24: asOf.AddMonths(-24), from36: asOf.AddMonths(-36)}
	c.fromOnTime = c.windowStart(p.onTimeWindow)
	for i := range rec.Financials {
		s := &rec.Financials[i]
		if s.PeriodEnd.After(asOf) || s.PeriodMonths <= 0 {
			continue
		}
		c.stmtIdx = append(c.stmtIdx, i)
	}
	// Newest first; for the same period end the longer period first; then
	// input order (stable).
	slices.SortStableFunc(c.stmtIdx, func(i, j int) int {
		a, b := &rec.Financials[i], &rec.Financials[j]
		if x := b.PeriodEnd.Compare(a.PeriodEnd); x != 0 {
			return x
		}
		return b.PeriodMonths - a.PeriodMonths
	})
	if len(c.stmtIdx) > 0 {
		c.stmts = make([]*Statement, len(c.stmtIdx))
		for k, i := range c.stmtIdx {
			c.stmts[k] = &rec.Financials[i]
		}
		c.latest = c.stmts[0]
		c.latestRevenue = annualise(c.latest.Revenue, c.latest.PeriodMonths)
	}
	if len(rec.Payments) > 0 {
		c.dpd = make([]int, len(rec.Payments))
		for i := range rec.Payments {
			c.dpd[i] = daysPastDue(&rec.Payments[i], asOf)
		}
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

// daysPastDue returns the days past due of a payment at asOf: paid late →
// days between due and paid date; unpaid (or paid after asOf) → days
// between due date and asOf; never negative, so 0 for a payment not yet
// due.
func daysPastDue(p *Payment, asOf Date) int {
	end := asOf
	if p.PaidDate != nil && !p.PaidDate.After(end) {
		end = *p.PaidDate
	}
	return max(0, end.DaysSince(p.DueDate))
}

// windowStart returns as_of - months, the exclusive start of a window of
// that many months: precomputed for 12, 24 and 36 months.
func (c *indicatorCtx) windowStart(months int) Date {
	switch months {
	case 12:
		return c.from12
	case 24:
		return c.from24
	case 36:
		return c.from36
	}
	return c.rec.AsOf.AddMonths(-months)
}

// inWindow reports whether d lies in (from, as_of], from being a window
// start (windowStart).
func (c *indicatorCtx) inWindow(d, from Date) bool {
	return !d.After(c.rec.AsOf) && d.After(from)
}

func itoa(n int) string { return strconv.Itoa(n) }
