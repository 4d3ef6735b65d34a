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
//
// Days past due are computed once per record (indicatorCtx.dpd), and the
// window starts once per record (indicatorCtx.windowStart).

// hasPayments reports whether the record has a payments list, possibly
// empty.
func (c *indicatorCtx) hasPayments() bool { return c.rec.Payments != nil }

// paymentWeights returns the weight of each payment rec.Payments[idx[k]]
// for amount-weighted shares: the amount converted to the rates' base
// currency when rates cover every currency used; the raw amount when all
// payments share one currency; otherwise 1 per payment (count-weighted)
// with a warning.
func (c *indicatorCtx) paymentWeights(idx []int) []decimal.Decimal {
	ps := c.rec.Payments
	w := make([]decimal.Decimal, len(idx))
	same := true
	for _, i := range idx {
		if ps[i].Currency != ps[idx[0]].Currency {
			same = false
			break
		}
	}
	if same {
		for k, i := range idx {
			w[k] = ps[i].Amount
		}
		return w
	}
	if c.rates != nil {
		ok := true
		for k, i := range idx {
			p := &ps[i]
			v, err := c.rates.Convert(p.Amount, p.Currency, c.rates.Base())
			if err != nil {
				ok = false
				break
			}
			w[k] = v
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
	var idx []int
	for i := range c.rec.Payments {
		if c.inWindow(c.rec.Payments[i].DueDate, c.fromOnTime) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return missing(MissingNoPaymentsInWindow)
	}
	w := c.paymentWeights(idx)
	total, good := decimal.Zero, decimal.Zero
	for k, i := range idx {
		total = total.Add(w[k])
		if !c.rec.Payments[i].WrittenOff && c.dpd[i] <= c.params.graceDays {
			good = good.Add(w[k])
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
		from := c.windowStart(months)
		m, found := 0, false
		for i := range c.rec.Payments {
			if c.inWindow(c.rec.Payments[i].DueDate, from) {
				found = true
				m = max(m, c.dpd[i])
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
		if c.inWindow(c.rec.Payments[i].DueDate, c.from24) && c.dpd[i] >= 90 {
			n++
		}
	}
	return numInt(n)
}

// payOpenOverdueToRevenue is the amount of payments unpaid at as_of and
// more than payment_grace_days past due, in the latest statement's
// currency, divided by its annualised revenue, following cappedRatio:
// clamped to [-100, 100]; with no revenue, 100 when something is overdue
// and missing (ZERO_DENOMINATOR) when nothing is. Missing when there is no
// statement or an amount has no FX rate.
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
		// A payment not yet due is 0 days past due, within any grace
		// (graceDays >= 0, see paramsFrom).
		if (p.PaidDate != nil && !p.PaidDate.After(c.rec.AsOf)) || c.dpd[i] <= c.params.graceDays {
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
	return cappedRatio(sum, c.latestRevenue)
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
		if p.WrittenOff && c.inWindow(p.DueDate, c.from36) {
			n++
		}
	}
	return numInt(n)
}
