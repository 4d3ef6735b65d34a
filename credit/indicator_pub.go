package credit

// Public-record indicators count entries of one type that are open at
// as_of (dated on or before as_of and not resolved by then) or dated in a
// window (as_of - N months, as_of]. The record standard cannot say
// "registers checked, nothing found" apart from "not checked", so every
// public-record indicator is missing when the record lists no public
// records at all; a rule set gives that a neutral missing bin.

func pubOpen(t PublicRecordType) func(*indicatorCtx) IndicatorValue {
	return func(c *indicatorCtx) IndicatorValue {
		if len(c.rec.PublicRecords) == 0 {
			return missing(MissingNoPublicRecords)
		}
		n := 0
		for i := range c.rec.PublicRecords {
			p := &c.rec.PublicRecords[i]
			if p.Type == t && p.OpenAt(c.rec.AsOf) {
				n++
			}
		}
		return numInt(n)
	}
}

func pubInWindow(t PublicRecordType, months int) func(*indicatorCtx) IndicatorValue {
	return func(c *indicatorCtx) IndicatorValue {
		if len(c.rec.PublicRecords) == 0 {
			return missing(MissingNoPublicRecords)
		}
		n := 0
		for i := range c.rec.PublicRecords {
			p := &c.rec.PublicRecords[i]
			if p.Type == t && c.inWindow(p.Date, months) {
				n++
			}
		}
		return numInt(n)
	}
}

// pubSanction is "active" when a sanction entry is open at as_of, "past"
// when there are only resolved (or future-dated) ones, "none" otherwise.
func pubSanction(c *indicatorCtx) IndicatorValue {
	if len(c.rec.PublicRecords) == 0 {
		return missing(MissingNoPublicRecords)
	}
	v := "none"
	for i := range c.rec.PublicRecords {
		p := &c.rec.PublicRecords[i]
		if p.Type != PublicSanction {
			continue
		}
		if p.OpenAt(c.rec.AsOf) {
			return cat("active")
		}
		if !p.Date.After(c.rec.AsOf) {
			v = "past"
		}
	}
	return cat(v)
}
