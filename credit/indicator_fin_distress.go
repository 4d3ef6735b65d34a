package credit

// Ratios of the bankruptcy-prediction literature that the record supports
// and that the labelled training data showed to add separation to the
// financial characteristics (credit/calibrate cross-validation, MODEL.md):
// Altman's retained earnings to total assets, the total-liabilities ratio
// of Ohlson and Zmijewski, and the operating cash flow ratio. Each follows
// cappedRatio (clamped to [-100, 100]; a zero denominator gives the
// capped ratio with the sign of the numerator, 0/0 is missing
// ZERO_DENOMINATOR, a negative denominator is missing
// NEGATIVE_DENOMINATOR) and is missing (NO_STATEMENT) without a statement
// dated on or before as_of.

// finRetainedEarningsToAssets is retained earnings / total assets: X2 of
// Altman's Z (1968) and of the Emerging Market Score, the firm's
// cumulative profitability and, through it, its age and the share of its
// assets financed by its own earnings. Missing when retained earnings are
// not reported.
func finRetainedEarningsToAssets(_ *indicatorCtx, s *Statement) IndicatorValue {
	if !s.RetainedEarnings.Valid {
		return missingField("retained_earnings")
	}
	return cappedRatio(s.RetainedEarnings.Decimal, s.TotalAssets)
}

// finLiabilitiesToAssets is total liabilities / total assets: TLTA of
// Ohlson's O-score (1980) and Zmijewski's model (1984). Higher is riskier;
// liabilities without assets (an insolvent shell) give the cap, 100.
func finLiabilitiesToAssets(_ *indicatorCtx, s *Statement) IndicatorValue {
	return cappedRatio(s.TotalLiabilities, s.TotalAssets)
}

// finOCFToCurrentLiabilities is annualised operating cash flow / current
// liabilities, the operating cash flow ratio (Zeller and Stanko 1994):
// the cash the business generates in a year against the obligations due
// within it. With no current liabilities, 100 for a positive cash flow
// and -100 for a negative one. Missing when either figure is not
// reported.
func finOCFToCurrentLiabilities(_ *indicatorCtx, s *Statement) IndicatorValue {
	if !s.OperatingCashFlow.Valid {
		return missingField("operating_cash_flow")
	}
	if !s.CurrentLiabilities.Valid {
		return missingField("current_liabilities")
	}
	return cappedRatio(annualise(s.OperatingCashFlow.Decimal, s.PeriodMonths), s.CurrentLiabilities.Decimal)
}
