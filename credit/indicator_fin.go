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
// The EMS is a sum of ratios clamped once, as a whole, so its parts are
// plain quotients, not cappedRatio (which would clamp each part), and its
// degenerate denominators keep rules of their own. Total assets of zero
// with positive liabilities is an insolvent shell (debts and nothing to
// pay them with); as TA falls to zero the ratios of such a firm fall
// without bound, so it gets the lowest value, -100, which lies in the
// worst bin of any sensible rule set, whatever fields it reports. Zero
// liabilities give BVE/TL its cap, 10. Missing when one of the fields is
// not reported, total assets or total liabilities are negative
// (NEGATIVE_DENOMINATOR), or assets and liabilities are both zero
// (ZERO_DENOMINATOR: a balance sheet with nothing on it says nothing about
// solvency).
func finEMS(_ *indicatorCtx, s *Statement) IndicatorValue {
	ta := s.TotalAssets
	if ta.Sign() == 0 && s.TotalLiabilities.Sign() > 0 {
		return num(negRatioCap)
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
	switch ta.Sign() {
	case 0:
		return missing(MissingZeroDenominator)
	case -1:
		return missing(MissingNegativeDenom)
	}
	// From here TA > 0: every quotient below is defined.
	wc := s.CurrentAssets.Decimal.Sub(s.CurrentLiabilities.Decimal)
	x1 := wc.DivRound(ta, ratioPrecision)
	x2 := s.RetainedEarnings.Decimal.DivRound(ta, ratioPrecision)
	x3 := annualise(s.EBIT.Decimal, s.PeriodMonths).DivRound(ta, ratioPrecision)
	var x4 decimal.Decimal
	switch tl := s.TotalLiabilities; tl.Sign() {
	case 0:
		x4 = x4Cap
	case -1:
		return missing(MissingNegativeDenom)
	default:
		x4 = decimal.Min(s.Equity.DivRound(tl, ratioPrecision), x4Cap)
	}
	ems := emsConst.Add(emsA.Mul(x1)).Add(emsB.Mul(x2)).Add(emsC.Mul(x3)).Add(emsD.Mul(x4))
	return num(clampRatio(ems))
}

// The ratios below follow cappedRatio: clamped to [-100, 100]; a zero
// denominator gives 100 or -100 by the sign of the numerator, and is
// missing (ZERO_DENOMINATOR) when the numerator is zero too; a negative
// denominator is missing (NEGATIVE_DENOMINATOR). Like every indicator of
// the latest statement they are missing (NO_STATEMENT) without a
// statement dated on or before as_of (needStatement).

// finEquityRatio is equity / total assets.
func finEquityRatio(_ *indicatorCtx, s *Statement) IndicatorValue {
	return cappedRatio(s.Equity, s.TotalAssets)
}

// finCurrentRatio is current assets / current liabilities: 100 with no
// current liabilities and some current assets.
func finCurrentRatio(_ *indicatorCtx, s *Statement) IndicatorValue {
	if !s.CurrentAssets.Valid {
		return missingField("current_assets")
	}
	if !s.CurrentLiabilities.Valid {
		return missingField("current_liabilities")
	}
	return cappedRatio(s.CurrentAssets.Decimal, s.CurrentLiabilities.Decimal)
}

// finROA is annualised net income / total assets.
func finROA(_ *indicatorCtx, s *Statement) IndicatorValue {
	return cappedRatio(annualise(s.NetIncome, s.PeriodMonths), s.TotalAssets)
}

// finEBITMargin is EBIT / revenue (same period, so no annualisation is
// needed): with no revenue, 100 for an operating profit and -100 for an
// operating loss.
func finEBITMargin(_ *indicatorCtx, s *Statement) IndicatorValue {
	if !s.EBIT.Valid {
		return missingField("ebit")
	}
	return cappedRatio(s.EBIT.Decimal, s.Revenue)
}

// finInterestCoverage is EBIT / interest expense. With zero interest
// expense, positive EBIT is the best case (earnings and nothing to pay),
// 100; a loss is the worst case (earnings do not cover anything, and the
// firm reports no interest only because it borrows nothing or capitalises
// it), -100, like a loss against any small interest expense. A negative
// interest expense (net interest income reported as a negative expense)
// is missing (NEGATIVE_DENOMINATOR).
func finInterestCoverage(_ *indicatorCtx, s *Statement) IndicatorValue {
	if !s.EBIT.Valid {
		return missingField("ebit")
	}
	if !s.InterestExpense.Valid {
		return missingField("interest_expense")
	}
	return cappedRatio(s.EBIT.Decimal, s.InterestExpense.Decimal)
}

// finOCFToLiabilities is annualised operating cash flow / total
// liabilities: with no liabilities, 100 for a positive cash flow and -100
// for a negative one.
func finOCFToLiabilities(_ *indicatorCtx, s *Statement) IndicatorValue {
	if !s.OperatingCashFlow.Valid {
		return missingField("operating_cash_flow")
	}
	return cappedRatio(annualise(s.OperatingCashFlow.Decimal, s.PeriodMonths), s.TotalLiabilities)
}

// priorStatement returns the position in stmts of the statement whose
// period end is closest to 12 months before the latest one's, within 9 to
// 15 months; ties go to the earlier-listed (longer-period) statement; -1
// when there is none. Its currency may differ from the latest one's (a
// change of reporting currency).
func (c *indicatorCtx) priorStatement() int {
	if c.latest == nil {
		return -1
	}
	target := c.latest.PeriodEnd.AddMonths(-12)
	lo, hi := c.latest.PeriodEnd.AddMonths(-15), c.latest.PeriodEnd.AddMonths(-9)
	best, bestDist := -1, 0
	for k := 1; k < len(c.stmts); k++ {
		s := c.stmts[k]
		if s.PeriodEnd.Before(lo) || s.PeriodEnd.After(hi) {
			continue
		}
		d := s.PeriodEnd.DaysSince(target)
		if d < 0 {
			d = -d
		}
		if best < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// finRevenueGrowthReal is the year-on-year growth of annualised revenue
// against the statement about 12 months earlier (9 to 15 months), deflated
// by the rule set's expected_inflation: (rev / prior_rev) / (1 +
// inflation) - 1, clamped to [-1, 100]. Missing when there is no such
// statement (NO_PRIOR_STATEMENT), the prior revenue is not positive
// (ZERO_DENOMINATOR, NEGATIVE_DENOMINATOR: a growth rate has no cap to
// fall back on, so it does not follow cappedRatio) or no statement is
// dated on or before as_of (NO_STATEMENT).
//
// When the enterprise changed its reporting currency between the two
// statements, the prior revenue is converted into the latest statement's
// currency with the engine's rates (one table, so the growth is at
// constant exchange rates); without a rate for either currency the
// indicator is missing with NO_FX_RATE and an FX_RATE_MISSING warning at
// the prior statement's currency, rather than comparing amounts in two
// currencies or claiming there is no prior statement.
func finRevenueGrowthReal(c *indicatorCtx, latest *Statement) IndicatorValue {
	k := c.priorStatement()
	if k < 0 {
		return missing(MissingNoPriorStatement)
	}
	p := c.stmts[k]
	prev, err := c.rates.Convert(annualise(p.Revenue, p.PeriodMonths), p.Currency, latest.Currency)
	if err != nil {
		c.warn(pointer("/financials", itoa(c.stmtIdx[k]), "currency"), CodeFXRateMissing,
			"no exchange rate from "+p.Currency+" to "+latest.Currency+": fin.revenue_growth_real is missing")
		return missing(MissingNoRate)
	}
	nominal, why := divide(c.latestRevenue, prev)
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
		if s.PeriodMonths < 12 || !c.inWindow(s.PeriodEnd, c.from36) {
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
func finSizeUSD(c *indicatorCtx, s *Statement) IndicatorValue {
	v, err := c.rates.Convert(s.TotalAssets, s.Currency, "USD")
	if err != nil {
		c.warn(pointer("/financials", itoa(c.stmtIdx[0]), "currency"), CodeFXRateMissing,
			"no exchange rate from "+s.Currency+" to USD: fin.size_usd is missing")
		return missing(MissingNoRate)
	}
	return num(v)
}

// finStatementAgeMonths is the number of whole months from the latest
// statement's period end to as_of.
func finStatementAgeMonths(c *indicatorCtx, s *Statement) IndicatorValue {
	return numInt(c.rec.AsOf.MonthsSince(s.PeriodEnd))
}

// finAudited is "true" or "false": whether the latest statement is audited.
func finAudited(_ *indicatorCtx, s *Statement) IndicatorValue {
	if s.Audited {
		return cat("true")
	}
	return cat("false")
}
