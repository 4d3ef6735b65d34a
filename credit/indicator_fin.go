package credit

import (
	"github.com/shopspring/decimal"
)

// Financial indicators use the latest statement by period_end (statements
// dated after as_of are ignored); flows (revenue, net income, EBIT,
// interest, operating cash flow) are annualised to 12 months when the
// period is not 12 months long.

var (
	emsConst = decimal.RequireFromString("3.25")
	emsA     = decimal.RequireFromString("6.56")
	emsB     = decimal.RequireFromString("3.26")
	emsC     = decimal.RequireFromString("6.72")
	emsD     = decimal.RequireFromString("1.05")
)

// finEMS is Altman's Emerging Market Score:
// 3.25 + 6.56·WC/TA + 3.26·RE/TA + 6.72·EBIT/TA + 1.05·BVE/TL, with WC =
// current assets - current liabilities, EBIT annualised and BVE/TL capped
// at 10 (a firm without liabilities gets 10), clamped to [-100, 100] like
// every ratio.
//
// Degenerate cases: total assets of zero with positive liabilities is an
// insolvent shell (debts and nothing to pay them with); as TA falls to
// zero the ratios of such a firm fall without bound, so it gets the
// lowest value, -100, which lies in the worst bin of any sensible rule
// set, whatever fields it reports. Missing when there is no statement,
// one of the fields is not reported, total assets are negative, total
// liabilities are negative, or assets and liabilities are both zero (a
// balance sheet with nothing on it says nothing about solvency).
func finEMS(c *indicatorCtx) IndicatorValue {
	s := c.latest
	if s == nil {
		return missing(MissingNoStatement)
	}
	ta := s.TotalAssets
	if ta.Sign() == 0 && s.TotalLiabilities.Sign() > 0 {
		return num(ratioCap.Neg())
	}
	switch {
	case !s.CurrentAssets.Valid:
		return missingField("current_assets")
	case !s.CurrentLiabilities.Valid:
		return missingField("current_liabilities")
	case !s.RetainedEarnings.Valid:
		return missingField("retained_earnings")
	case !s.EBIT.Valid:
		return missingField("ebit")
	}
	if ta.Sign() <= 0 {
		return missing(denomReason(ta))
	}
	wc := s.CurrentAssets.Decimal.Sub(s.CurrentLiabilities.Decimal)
	x1, _ := divide(wc, ta)
	x2, _ := divide(s.RetainedEarnings.Decimal, ta)
	x3, _ := divide(annualise(s.EBIT.Decimal, s.PeriodMonths), ta)
	var x4 decimal.Decimal
	switch tl := s.TotalLiabilities; tl.Sign() {
	case 0:
		x4 = x4Cap
	case -1:
		return missing(MissingNegativeDenom)
	default:
		x4, _ = divide(s.Equity, tl)
		x4 = decimal.Min(x4, x4Cap)
	}
	ems := emsConst.Add(emsA.Mul(x1)).Add(emsB.Mul(x2)).Add(emsC.Mul(x3)).Add(emsD.Mul(x4))
	return num(clampRatio(ems))
}

func denomReason(d decimal.Decimal) string {
	if d.Sign() == 0 {
		return MissingZeroDenominator
	}
	return MissingNegativeDenom
}

// finEquityRatio is equity / total assets.
func finEquityRatio(c *indicatorCtx) IndicatorValue {
	s := c.latest
	if s == nil {
		return missing(MissingNoStatement)
	}
	v, why := divide(s.Equity, s.TotalAssets)
	if why != "" {
		return missing(why)
	}
	return num(v)
}

// finCurrentRatio is current assets / current liabilities, clamped to
// [0, 100]; with no current liabilities it is 100 when there are current
// assets and missing (ZERO_DENOMINATOR) when there are none.
func finCurrentRatio(c *indicatorCtx) IndicatorValue {
	s := c.latest
	if s == nil {
		return missing(MissingNoStatement)
	}
	if !s.CurrentAssets.Valid {
		return missingField("current_assets")
	}
	if !s.CurrentLiabilities.Valid {
		return missingField("current_liabilities")
	}
	ca, cl := s.CurrentAssets.Decimal, s.CurrentLiabilities.Decimal
	if cl.Sign() == 0 && ca.Sign() > 0 {
		return num(ratioCap)
	}
	v, why := divide(ca, cl)
	if why != "" {
		return missing(why)
	}
	return num(clampRatio(v))
}

// finROA is annualised net income / total assets.
func finROA(c *indicatorCtx) IndicatorValue {
	s := c.latest
	if s == nil {
		return missing(MissingNoStatement)
	}
	v, why := divide(annualise(s.NetIncome, s.PeriodMonths), s.TotalAssets)
	if why != "" {
		return missing(why)
	}
	return num(clampRatio(v))
}

// finEBITMargin is EBIT / revenue (same period, so no annualisation is
// needed); missing when revenue is not positive.
func finEBITMargin(c *indicatorCtx) IndicatorValue {
	s := c.latest
	if s == nil {
		return missing(MissingNoStatement)
	}
	if !s.EBIT.Valid {
		return missingField("ebit")
	}
	v, why := divide(s.EBIT.Decimal, s.Revenue)
	if why != "" {
		return missing(why)
	}
	return num(clampRatio(v))
}

// finInterestCoverage is EBIT / interest expense, clamped to [-100, 100].
//
// Degenerate cases, with zero interest expense: positive EBIT is the best
// case (earnings and nothing to pay) and gets the top of the range, 100; a
// loss is the worst case (earnings do not cover anything, and the firm
// reports no interest only because it borrows nothing or capitalises it)
// and gets the bottom, -100, like a loss against any small interest
// expense; zero EBIT and zero interest is 0/0 and missing
// (ZERO_DENOMINATOR). A negative interest expense (net interest income
// reported as a negative expense) is missing (NEGATIVE_DENOMINATOR).
func finInterestCoverage(c *indicatorCtx) IndicatorValue {
	s := c.latest
	if s == nil {
		return missing(MissingNoStatement)
	}
	if !s.EBIT.Valid {
		return missingField("ebit")
	}
	if !s.InterestExpense.Valid {
		return missingField("interest_expense")
	}
	ebit, ie := s.EBIT.Decimal, s.InterestExpense.Decimal
	if ie.Sign() == 0 {
		switch ebit.Sign() {
		case 1:
			return num(ratioCap)
		case -1:
			return num(ratioCap.Neg())
		}
	}
	v, why := divide(ebit, ie)
	if why != "" {
		return missing(why)
	}
	return num(clampRatio(v))
}

// finOCFToLiabilities is annualised operating cash flow / total
// liabilities, clamped to [-100, 100]; with no liabilities it is 100 when
// the cash flow is positive and missing otherwise.
func finOCFToLiabilities(c *indicatorCtx) IndicatorValue {
	s := c.latest
	if s == nil {
		return missing(MissingNoStatement)
	}
	if !s.OperatingCashFlow.Valid {
		return missingField("operating_cash_flow")
	}
	ocf := annualise(s.OperatingCashFlow.Decimal, s.PeriodMonths)
	if s.TotalLiabilities.Sign() == 0 && ocf.Sign() > 0 {
		return num(ratioCap)
	}
	v, why := divide(ocf, s.TotalLiabilities)
	if why != "" {
		return missing(why)
	}
	return num(clampRatio(v))
}

// priorStatement returns the statement whose period end is closest to 12
// months before the latest one's, within 9 to 15 months; ties go to the
// earlier-listed (longer-period) statement. Its currency may differ from
// the latest one's (a change of reporting currency).
func (c *indicatorCtx) priorStatement() *Statement {
	if c.latest == nil {
		return nil
	}
	target := c.latest.PeriodEnd.AddMonths(-12)
	lo, hi := c.latest.PeriodEnd.AddMonths(-15), c.latest.PeriodEnd.AddMonths(-9)
	var best *Statement
	bestDist := 0
	for _, s := range c.stmts[1:] {
		if s.PeriodEnd.Before(lo) || s.PeriodEnd.After(hi) {
			continue
		}
		d := s.PeriodEnd.DaysSince(target)
		if d < 0 {
			d = -d
		}
		if best == nil || d < bestDist {
			best, bestDist = s, d
		}
	}
	return best
}

// finRevenueGrowthReal is the year-on-year growth of annualised revenue
// against the statement about 12 months earlier (9 to 15 months), deflated
// by the rule set's expected_inflation: (rev / prior_rev) / (1 +
// inflation) - 1, clamped to [-1, 100]. Missing when there is no such
// statement (NO_PRIOR_STATEMENT) or the prior revenue is not positive.
//
// When the enterprise changed its reporting currency between the two
// statements, the prior revenue is converted into the latest statement's
// currency with the engine's rates (one table, so the growth is at
// constant exchange rates); without a rate for either currency the
// indicator is missing with NO_FX_RATE and an FX_RATE_MISSING warning at
// the prior statement's currency, rather than comparing amounts in two
// currencies or claiming there is no prior statement.
func finRevenueGrowthReal(c *indicatorCtx) IndicatorValue {
	if c.latest == nil {
		return missing(MissingNoStatement)
	}
	p := c.priorStatement()
	if p == nil {
		return missing(MissingNoPriorStatement)
	}
	cur := annualise(c.latest.Revenue, c.latest.PeriodMonths)
	prev, err := c.rates.Convert(annualise(p.Revenue, p.PeriodMonths), p.Currency, c.latest.Currency)
	if err != nil {
		c.warn(pointer("/financials", itoa(c.statementIndex(p)), "currency"), CodeFXRateMissing,
			"no exchange rate from "+p.Currency+" to "+c.latest.Currency+": fin.revenue_growth_real is missing")
		return missing(MissingNoRate)
	}
	nominal, why := divide(cur, prev)
	if why != "" {
		return missing(why)
	}
	deflator := one.Add(c.params.expectedInflation)
	real, why := divide(nominal, deflator)
	if why != "" {
		return missing(why)
	}
	return num(clamp(real.Sub(one), one.Neg(), ratioCap))
}

// finLossYears3y counts loss-making years among up to three full-year
// statements (period of 12 months or more) ending within the 36 months
// before as_of, taken newest first and not overlapping (each ends at least
// 9 months before the previous one). Missing when there is none.
func finLossYears3y(c *indicatorCtx) IndicatorValue {
	var taken []*Statement
	for _, s := range c.stmts {
		if s.PeriodMonths < 12 || !c.inWindow(s.PeriodEnd, 36) {
			continue
		}
		if n := len(taken); n > 0 && s.PeriodEnd.After(taken[n-1].PeriodEnd.AddMonths(-9)) {
			continue
		}
		taken = append(taken, s)
		if len(taken) == 3 {
			break
		}
	}
	if len(taken) == 0 {
		return missing(MissingNoFullYear)
	}
	n := 0
	for _, s := range taken {
		if s.NetIncome.Sign() < 0 {
			n++
		}
	}
	return numInt(n)
}

// finSizeUSD is total assets of the latest statement in US dollars, using
// the engine's rates; missing with a warning when there is no rate.
func finSizeUSD(c *indicatorCtx) IndicatorValue {
	s := c.latest
	if s == nil {
		return missing(MissingNoStatement)
	}
	v, err := c.rates.Convert(s.TotalAssets, s.Currency, "USD")
	if err != nil {
		c.warn(pointer("/financials", itoa(c.statementIndex(s)), "currency"), CodeFXRateMissing,
			"no exchange rate from "+s.Currency+" to USD: fin.size_usd is missing")
		return missing(MissingNoRate)
	}
	return num(v)
}

// finStatementAgeMonths is the number of whole months from the latest
// statement's period end to as_of.
func finStatementAgeMonths(c *indicatorCtx) IndicatorValue {
	if c.latest == nil {
		return missing(MissingNoStatement)
	}
	return numInt(c.rec.AsOf.MonthsSince(c.latest.PeriodEnd))
}

// finAudited is "true" or "false": whether the latest statement is audited.
func finAudited(c *indicatorCtx) IndicatorValue {
	if c.latest == nil {
		return missing(MissingNoStatement)
	}
	if c.latest.Audited {
		return cat("true")
	}
	return cat("false")
}
