package credit

import "github.com/shopspring/decimal"

// Payment indicators look at payments due in a window counted back from
// as_of: (as_of - N months, as_of]. Payments due after as_of are not yet
// due and are ignored. Days past due (DPD) are counted from the due date to
// the paid date, or to as_of for an unpaid payment.
//
// The record tells "not sent" apart from "looked at, no obligations"
// (Record.Payments). When payments is absent (nil) every payment indicator
// is missing (NO_PAYMENT_DATA). When it is an empty list ([]), or lists no
// payment due in an indicator's window, the indicators take the values
// that the data support:
//
//   - pay.on_time_share and pay.max_dpd_12m/24m are a share and a maximum
//     over the payments due in the window; with none they are undefined
//     and stay missing (NO_PAYMENTS_IN_WINDOW), so no payments earns no
//     bonus for punctuality;
//   - pay.dpd90_count_24m and pay.written_off_count_36m are counts: 0;
//   - pay.open_overdue_to_revenue is 0 (nothing is overdue) when the
//     latest statement gives a positive revenue, missing otherwise.

// hasPayments reports whether the record has a payments list, possibly
// empty.
func (c *indicatorCtx) hasPayments() bool { return c.rec.Payments != nil }

// paymentWeights returns the weight of each payment for amount-weighted
// shares: the amount converted to the rates' base currency when rates cover
// every currency used; the raw amount when all payments share one currency;
// otherwise 1 per payment (count-weighted) with a warning.
func (c *indicatorCtx) paymentWeights(ps []*Payment) []decimal.Decimal {
	w := make([]decimal.Decimal, len(ps))
	same := true
	for _, p := range ps {
		if p.Currency != ps[0].Currency {
			same = false
			break
		}
	}
	if same {
		for i, p := range ps {
			w[i] = p.Amount
		}
		return w
	}
	if c.rates != nil {
		ok := true
		for i, p := range ps {
			v, err := c.rates.Convert(p.Amount, p.Currency, c.rates.Base())
			if err != nil {
				ok = false
				break
			}
			w[i] = v
		}
		if ok {
			return w
		}
	}
	c.warn("/payments", CodePaymentCurrenciesMixed,
		"payments in several currencies without exchange rates: pay.on_time_share counts payments instead of weighing amounts")
	for i := range w {
		w[i] = one
	}
	return w
}

// payOnTimeShare is the amount-weighted share of the payments due in the
// last on_time_window_months (default 12) that were paid, or are still
// open, no more than payment_grace_days past due. Missing when no payment
// falls in the window or the amounts sum to zero.
func payOnTimeShare(c *indicatorCtx) IndicatorValue {
	if !c.hasPayments() {
		return missing(MissingNoPayments)
	}
	var ps []*Payment
	for i := range c.rec.Payments {
		if p := &c.rec.Payments[i]; c.inWindow(p.DueDate, c.params.onTimeWindow) {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		return missing(MissingNoPaymentsInWindow)
	}
	w := c.paymentWeights(ps)
	total, good := decimal.Zero, decimal.Zero
	for i, p := range ps {
		total = total.Add(w[i])
		if !p.WrittenOff && c.dpd(p) <= c.params.graceDays {
			good = good.Add(w[i])
		}
	}
	v, why := divide(good, total)
	if why != "" {
		return missing(why)
	}
	return num(v)
}

func payMaxDPD(months int) func(*indicatorCtx) IndicatorValue {
	return func(c *indicatorCtx) IndicatorValue {
		if !c.hasPayments() {
			return missing(MissingNoPayments)
		}
		m, found := 0, false
		for i := range c.rec.Payments {
			p := &c.rec.Payments[i]
			if c.inWindow(p.DueDate, months) {
				found = true
				m = max(m, c.dpd(p))
			}
		}
		if !found {
			return missing(MissingNoPaymentsInWindow)
		}
		return numInt(m)
	}
}

// payDPD90Count24m counts payments due in the last 24 months that reached
// 90 or more days past due.
func payDPD90Count24m(c *indicatorCtx) IndicatorValue {
	if !c.hasPayments() {
		return missing(MissingNoPayments)
	}
	n := 0
	for i := range c.rec.Payments {
		p := &c.rec.Payments[i]
		if c.inWindow(p.DueDate, 24) && c.dpd(p) >= 90 {
			n++
		}
	}
	return numInt(n)
}

// payOpenOverdueToRevenue is the amount of payments unpaid at as_of and
// more than payment_grace_days past due, in the latest statement's
// currency, divided by its annualised revenue. Missing when there is no
// statement, revenue is not positive, or an amount has no FX rate.
func payOpenOverdueToRevenue(c *indicatorCtx) IndicatorValue {
	if !c.hasPayments() {
		return missing(MissingNoPayments)
	}
	s := c.latest
	if s == nil {
		return missing(MissingNoStatement)
	}
	sum := decimal.Zero
	for i := range c.rec.Payments {
		p := &c.rec.Payments[i]
		if (p.PaidDate != nil && !p.PaidDate.After(c.rec.AsOf)) || p.DueDate.After(c.rec.AsOf) || c.dpd(p) <= c.params.graceDays {
			continue
		}
		v, err := c.rates.Convert(p.Amount, p.Currency, s.Currency)
		if err != nil {
			c.warn(pointer("/payments", itoa(i), "currency"), CodeFXRateMissing,
				"no exchange rate from "+p.Currency+" to "+s.Currency+": pay.open_overdue_to_revenue is missing")
			return missing(MissingNoRate)
		}
		sum = sum.Add(v)
	}
	v, why := divide(sum, annualise(s.Revenue, s.PeriodMonths))
	if why != "" {
		return missing(why)
	}
	return num(clampRatio(v))
}

// payWrittenOffCount36m counts written-off payments due in the last 36
// months.
func payWrittenOffCount36m(c *indicatorCtx) IndicatorValue {
	if !c.hasPayments() {
		return missing(MissingNoPayments)
	}
	n := 0
	for i := range c.rec.Payments {
		p := &c.rec.Payments[i]
		if p.WrittenOff && c.inWindow(p.DueDate, 36) {
			n++
		}
	}
	return numInt(n)
}
