package credit

import (
	"slices"

	"github.com/shopspring/decimal"
)

// yearsSince returns the whole months from from to as_of, divided by 12,
// with ratioPrecision places; missing when from is zero (NOT_REPORTED) or
// after as_of (DATE_AFTER_AS_OF).
func (c *indicatorCtx) yearsSince(from Date) IndicatorValue {
	if from.IsZero() {
		return missing(MissingNotReported)
	}
	if from.After(c.rec.AsOf) {
		return missing(MissingDateOrder)
	}
	m := c.rec.AsOf.MonthsSince(from)
	return num(decimal.NewFromInt(int64(m)).DivRound(twelve, ratioPrecision))
}

// opsAgeYears is the enterprise's age at as_of in years (whole months / 12)
// since its registration date.
func opsAgeYears(c *indicatorCtx) IndicatorValue {
	return c.yearsSince(c.rec.Enterprise.RegisteredOn)
}

var statusCategories = []string{
	string(StatusActive), string(StatusReorganizing), string(StatusLiquidating),
	string(StatusBankrupt), string(StatusDissolved),
}

// opsStatus is the enterprise's legal status.
func opsStatus(c *indicatorCtx) IndicatorValue {
	s := string(c.rec.Enterprise.Status)
	if s == "" || !slices.Contains(statusCategories, s) {
		return missing(MissingNotReported)
	}
	return cat(s)
}

var customsCategories = []string{
	string(CustomsAEOAdvanced), string(CustomsAEOGeneral), string(CustomsGeneral),
	string(CustomsDishonest), string(CustomsNone),
}

// tradeCustomsStatus is the enterprise's customs credit standing; missing
// when the record has no trade section or does not report it.
func tradeCustomsStatus(c *indicatorCtx) IndicatorValue {
	t := c.rec.Trade
	if t == nil {
		return missing(MissingNoTrade)
	}
	s := string(t.CustomsStatus)
	if s == "" || !slices.Contains(customsCategories, s) {
		return missing(MissingNotReported)
	}
	return cat(s)
}

// tradeYearsTrading is the number of years (whole months / 12) since the
// enterprise started foreign trade.
func tradeYearsTrading(c *indicatorCtx) IndicatorValue {
	t := c.rec.Trade
	if t == nil {
		return missing(MissingNoTrade)
	}
	if t.TradingSince == nil {
		return missing(MissingNotReported)
	}
	return c.yearsSince(*t.TradingSince)
}

// tradePartnerCountries is the number of distinct partner countries.
func tradePartnerCountries(c *indicatorCtx) IndicatorValue {
	t := c.rec.Trade
	if t == nil {
		return missing(MissingNoTrade)
	}
	seen := make(map[string]bool, len(t.PartnerCountries))
	for _, p := range t.PartnerCountries {
		seen[p] = true
	}
	return numInt(len(seen))
}
