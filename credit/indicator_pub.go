package credit

// Public-record indicators count entries of one type that are open at
// as_of (dated on or before as_of and not resolved by then) or dated in a
// window (as_of - N months, as_of].
//
// The record tells "not checked" apart from "checked, nothing found"
// (Record.PublicRecords): when public_records is absent (nil) the registers
// were not checked and every public-record indicator is missing
// (NO_PUBLIC_RECORD_DATA), which a rule set gives a neutral missing bin;
// when it is an empty list ([]) the registers were checked and hold
// nothing, so every count is 0 and pub.sanction is "none", the best bins.
// A clean check therefore never covers less, nor scores lower, than a
// check that found only old or resolved entries.

// pubChecked reports whether the public registers were checked: the record
// has a public_records list, possibly empty.
func (c *indicatorCtx) pubChecked() bool { return c.rec.PublicRecords != nil }

func pubOpen(t PublicRecordType) func(*indicatorCtx) IndicatorValue {
	return func(c *indicatorCtx) IndicatorValue {
		if !c.pubChecked() {
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
		if !c.pubChecked() {
			return missing(MissingNoPublicRecords)
		}
		from := c.windowStart(months)
		n := 0
		for i := range c.rec.PublicRecords {
			p := &c.rec.PublicRecords[i]
			if p.Type == t && c.inWindow(p.Date, from) {
				n++
			}
		}
		return numInt(n)
	}
}

// pubSanction is "active" when a sanction entry is open at as_of, "past"
// when there are only entries resolved on or before as_of, "none"
// otherwise (including a checked, empty public_records list). Entries
// dated after as_of are ignored, like every public record: a record whose
// only sanction entries are future-dated is "none".
func pubSanction(c *indicatorCtx) IndicatorValue {
	if !c.pubChecked() {
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
