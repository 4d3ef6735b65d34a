package credit

import (
	"fmt"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/creditsco/creditsco/credit/ident"
	"github.com/shopspring/decimal"
)

// staleMonths is the age at as_of beyond which the latest statement no
// longer describes the enterprise well: one annual cycle plus the six
// months that filing deadlines commonly allow.
const staleMonths = 18

// balanceTolerance is the share of total assets by which assets may differ
// from liabilities plus equity before a warning: rounding in published
// statements and minority interests stay well inside it.
var balanceTolerance = decimal.RequireFromString("0.01")

// The plausible calendar window of every date of a record. The oldest
// registrations that SCO countries' registers still carry date from the
// 1850s (British India's Joint Stock Companies Act of 1850; Indian CINs
// give years of incorporation back to then). Year 0000, which the date
// format admits, would make an enterprise two thousand years old and earn
// the best age points; the upper end keeps every date a four-digit year
// after the arithmetic of scoring and certification (look-back windows,
// validity periods of up to five years).
var (
	minRecordDate = Date{Year: 1850, Month: time.January, Day: 1}
	maxRecordDate = Date{Year: 2099, Month: time.December, Day: 31}
)

// semanticChecker holds what a check of one record needs.
type semanticChecker struct {
	rec    *Record
	idents *ident.Registry
	ps     *problemList
	// asOfOK and regOK say whether as_of and registered_on are within
	// the calendar window; other dates are compared with them only then,
	// so that one wrong date does not make every other one wrong too.
	asOfOK, regOK bool
}

func (c *semanticChecker) add(path, code string, sev Severity, format string, args ...any) {
	c.ps.add(Problem{Path: path, Code: code, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

// semanticProblems checks what the schema cannot say and adds the
// problems to ps, which bounds them (10,000 payments can give 30,000). It
// runs on records that passed the schema layer, so every required field is
// present.
func semanticProblems(rec *Record, idents *ident.Registry, ps *problemList) {
	c := &semanticChecker{rec: rec, idents: idents, ps: ps}
	c.asOfOK = c.inWindow("/as_of", "", rec.AsOf)
	c.regOK = c.inWindow("/enterprise/registered_on", "", rec.Enterprise.RegisteredOn)
	c.text("/record_id", "", rec.RecordID)
	c.enterprise()
	c.financials()
	c.payments()
	c.publicRecords()
	c.trade()
	if o := rec.Outcome; o != nil && o.ObservedOn != nil {
		c.inWindow("/outcome/observed_on", "", *o.ObservedOn)
	}
}

// inWindow reports whether d is within the plausible calendar window,
// and reports it if not.
func (c *semanticChecker) inWindow(base, field string, d Date) bool {
	if d.Before(minRecordDate) || d.After(maxRecordDate) {
		c.add(base+field, CodeDateOutOfRange, SeverityError, "%s is outside the plausible calendar window %s to %s",
			d, minRecordDate, maxRecordDate)
		return false
	}
	return true
}

// pastEvent checks the date of an event of the enterprise: within the
// calendar window, not after as_of and not before the enterprise was
// registered.
func (c *semanticChecker) pastEvent(base, field string, d Date) {
	if !c.inWindow(base, field, d) {
		return
	}
	if c.asOfOK && d.After(c.rec.AsOf) {
		c.add(base+field, CodeDateAfterAsOf, SeverityError, "%s is after the assessment date as_of %s", d, c.rec.AsOf)
	}
	if reg := c.rec.Enterprise.RegisteredOn; c.regOK && d.Before(reg) {
		c.add(base+field, CodeDateBeforeRegistration, SeverityError,
			"%s is before the enterprise was registered on %s; registered_on is the date of first registration, not of a later re-registration", d, reg)
	}
}

// text refuses control characters (C0, DEL, C1), the line and paragraph
// separators and bidirectional controls (such as U+202E RIGHT-TO-LEFT
// OVERRIDE) in a name or other text. No register writes them, and they
// can make a name display as another one, in reports and in signed
// certificates alike. Joiners (U+200C, U+200D), which Persian and Indic
// scripts need, are allowed.
func (c *semanticChecker) text(base, field, s string) {
	for i, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			c.add(base+field, CodeControlCharacter, SeverityError,
				"%U at character %d is a control or bidirectional-control character; write the text as registered, without them",
				r, utf8.RuneCountInString(s[:i])+1)
			return
		}
	}
}

func (c *semanticChecker) notNegative(base, field string, v decimal.Decimal) {
	if v.IsNegative() {
		c.add(base+field, CodeNegativeAmount, SeverityError, "%s must not be negative", v)
	}
}

func (c *semanticChecker) notNegativeNull(base, field string, v decimal.NullDecimal) {
	if v.Valid {
		c.notNegative(base, field, v.Decimal)
	}
}

func (c *semanticChecker) currency(base, field, code string) {
	if code != "" && !IsCurrency(code) {
		c.add(base+field, CodeUnknownCurrency, SeverityError, "%q is not an ISO 4217 currency in circulation", code)
	}
}

func (c *semanticChecker) country(base, field, code string) {
	if code != "" && !IsCountry(code) {
		c.add(base+field, CodeUnknownCountry, SeverityError, "%q is not an ISO 3166-1 alpha-2 country code", code)
	}
}

func (c *semanticChecker) enterprise() {
	e := &c.rec.Enterprise
	if c.regOK && c.asOfOK && e.RegisteredOn.After(c.rec.AsOf) {
		c.add("/enterprise/registered_on", CodeDateAfterAsOf, SeverityError,
			"%s is after the assessment date as_of %s", e.RegisteredOn, c.rec.AsOf)
	}
	c.text("/enterprise/legal_name", "", e.LegalName)
	c.text("/enterprise/legal_name_latin", "", e.LegalNameLatin)
	c.text("/enterprise/legal_form", "", e.LegalForm)
	c.identifiers()
}

func (c *semanticChecker) identifiers() {
	e := &c.rec.Enterprise
	home := false
	seen := make(map[Identifier]int, len(e.Identifiers))
	checked := make([]ident.Identifier, len(e.Identifiers)) // valid ones, for crossCheck
	for i, id := range e.Identifiers {
		// Every identifier problem is reported at .../value, the path
		// that partners' tools are written against, also when the scheme
		// is what is wrong: the value cannot be read without it.
		base := "/enterprise/identifiers/" + strconv.Itoa(i)
		s, ok := c.idents.Lookup(id.Scheme)
		if !ok {
			c.add(base+"/value", CodeIdentUnknownScheme, SeverityError,
				"identifier scheme %q is not known; known schemes for %s: %v, and for any country: %v",
				id.Scheme, e.Country, schemeNames(c.idents.ForCountry(e.Country)), anyCountrySchemes(c.idents))
			continue
		}
		if sc := s.Country(); sc != "" && sc != e.Country {
			c.add(base+"/value", CodeIdentWrongCountry, SeverityError,
				"scheme %s identifies enterprises of %s, but the enterprise is registered in %s", id.Scheme, sc, e.Country)
			continue
		}
		if s.Country() == e.Country {
			// An invalid home identifier is reported as such below, not
			// again as a missing one.
			home = true
		}
		if err := s.Validate(id.Value); err != nil {
			c.add(base+"/value", identCode(err), SeverityError, "%s", err.Error())
			continue
		}
		key := Identifier{Scheme: s.Name(), Value: s.Normalize(id.Value)}
		checked[i] = ident.Identifier{Scheme: key.Scheme, Value: key.Value}
		if j, dup := seen[key]; dup {
			c.add(base, CodeDuplicateIdentifier, SeverityWarning, "same identifier as /enterprise/identifiers/%d", j)
		} else {
			seen[key] = i
		}
	}
	c.crossCheck(checked)
	if !home {
		c.add("/enterprise/identifiers", CodeNoHomeIdentifier, SeverityError,
			"no identifier of the enterprise's own country %s; give one of %v", e.Country, schemeNames(c.idents.ForCountry(e.Country)))
	}
}

// anyCountrySchemes returns the names of the schemes that identify
// enterprises of every country, such as LEI.
func anyCountrySchemes(r *ident.Registry) []string {
	var names []string
	for _, n := range r.Schemes() {
		if s, ok := r.Lookup(n); ok && s.Country() == "" {
			names = append(names, n)
		}
	}
	return names
}

func schemeNames(ss []ident.Scheme) []string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.Name()
	}
	return names
}

type periodKey struct {
	end    Date
	months int
}

func (c *semanticChecker) financials() {
	seen := make(map[periodKey]int, len(c.rec.Financials))
	latest := -1
	for i := range c.rec.Financials {
		s := &c.rec.Financials[i]
		base := "/financials/" + strconv.Itoa(i)
		c.pastEvent(base, "/period_end", s.PeriodEnd)
		c.currency(base, "/currency", s.Currency)
		c.notNegative(base, "/total_assets", s.TotalAssets)
		c.notNegative(base, "/total_liabilities", s.TotalLiabilities)
		c.notNegative(base, "/revenue", s.Revenue)
		c.notNegativeNull(base, "/interest_expense", s.InterestExpense)
		c.notNegativeNull(base, "/current_assets", s.CurrentAssets)
		c.notNegativeNull(base, "/current_liabilities", s.CurrentLiabilities)
		c.notNegativeNull(base, "/cash", s.Cash)
		if s.CurrentAssets.Valid && s.CurrentAssets.Decimal.GreaterThan(s.TotalAssets) {
			c.add(base+"/current_assets", CodeCurrentAssetsExceed, SeverityError,
				"current assets %s exceed total assets %s", s.CurrentAssets.Decimal, s.TotalAssets)
		}
		if s.CurrentLiabilities.Valid && s.CurrentLiabilities.Decimal.GreaterThan(s.TotalLiabilities) {
			c.add(base+"/current_liabilities", CodeCurrentLiabilitiesExceed, SeverityError,
				"current liabilities %s exceed total liabilities %s", s.CurrentLiabilities.Decimal, s.TotalLiabilities)
		}
		c.balance(base, s)
		key := periodKey{s.PeriodEnd, s.PeriodMonths}
		if j, dup := seen[key]; dup {
			c.add(base, CodeDuplicateStatement, SeverityError,
				"same period (%d months to %s) as /financials/%d", s.PeriodMonths, s.PeriodEnd, j)
		} else {
			seen[key] = i
		}
		if start := s.PeriodStart(); c.regOK && !s.PeriodEnd.Before(c.rec.Enterprise.RegisteredOn) && start.Before(c.rec.Enterprise.RegisteredOn) {
			c.add(base+"/period_end", CodePeriodBeforeRegistration, SeverityWarning,
				"the period starts on %s, before the enterprise was registered on %s", start, c.rec.Enterprise.RegisteredOn)
		}
		if latest < 0 || s.PeriodEnd.After(c.rec.Financials[latest].PeriodEnd) {
			latest = i
		}
	}
	if latest >= 0 && c.asOfOK {
		end := c.rec.Financials[latest].PeriodEnd
		if statementTooOld(end, staleMonths, c.rec.AsOf) {
			c.add("/financials/"+strconv.Itoa(latest)+"/period_end", CodeStaleFinancials, SeverityWarning,
				"the latest statement ends on %s, more than %d months before as_of %s", end, staleMonths, c.rec.AsOf)
		}
	}
}

// balance warns when total assets differ from liabilities plus equity by
// more than balanceTolerance of total assets. The comparison is
// multiplied out so that zero assets need no division.
func (c *semanticChecker) balance(base string, s *Statement) {
	diff := s.TotalAssets.Sub(s.TotalLiabilities.Add(s.Equity)).Abs()
	if diff.GreaterThan(s.TotalAssets.Abs().Mul(balanceTolerance)) {
		c.add(base+"/total_assets", CodeBalanceSheetMismatch, SeverityWarning,
			"total assets %s differ from liabilities plus equity %s by %s, more than 1%% of total assets",
			s.TotalAssets, s.TotalLiabilities.Add(s.Equity), diff)
	}
}

func (c *semanticChecker) payments() {
	for i := range c.rec.Payments {
		p := &c.rec.Payments[i]
		base := "/payments/" + strconv.Itoa(i)
		c.pastEvent(base, "/due_date", p.DueDate)
		if p.PaidDate != nil {
			c.pastEvent(base, "/paid_date", *p.PaidDate)
			if p.WrittenOff {
				// paid_date means paid in full, written_off uncollectable:
				// one of the two is wrong, and they score differently.
				c.add(base+"/written_off", CodePaidAndWrittenOff, SeverityError,
					"a payment paid in full (paid_date %s) cannot also be written off as uncollectable", *p.PaidDate)
			}
		}
		switch {
		case p.Amount.IsNegative():
			c.notNegative(base, "/amount", p.Amount)
		case p.Amount.IsZero():
			c.add(base+"/amount", CodeZeroPayment, SeverityError, "a payment obligation must be greater than zero")
		}
		c.currency(base, "/currency", p.Currency)
		c.country(base, "/creditor_country", p.CreditorCountry)
	}
}

func (c *semanticChecker) publicRecords() {
	for i := range c.rec.PublicRecords {
		r := &c.rec.PublicRecords[i]
		base := "/public_records/" + strconv.Itoa(i)
		c.pastEvent(base, "/date", r.Date)
		c.text(base, "/authority", r.Authority)
		c.text(base, "/reference", r.Reference)
		if r.ResolvedOn != nil && c.inWindow(base, "/resolved_on", *r.ResolvedOn) && r.ResolvedOn.Before(r.Date) {
			c.add(base+"/resolved_on", CodeResolvedBeforeDate, SeverityError,
				"resolved on %s, before the entry's date %s", *r.ResolvedOn, r.Date)
		}
		c.notNegativeNull(base, "/amount", r.Amount)
		c.currency(base, "/currency", r.Currency)
		if r.Amount.Valid && r.Currency == "" {
			c.add(base+"/amount", CodeAmountWithoutCurrency, SeverityWarning, "amount %s has no currency", r.Amount.Decimal)
		}
	}
}

func (c *semanticChecker) trade() {
	t := c.rec.Trade
	if t == nil {
		return
	}
	c.currency("/trade/currency", "", t.Currency)
	for _, f := range []struct {
		name string
		v    decimal.NullDecimal
	}{{"exports_12m", t.Exports12m}, {"imports_12m", t.Imports12m}} {
		c.notNegativeNull("/trade/", f.name, f.v)
		if f.v.Valid && t.Currency == "" {
			c.add("/trade/"+f.name, CodeAmountWithoutCurrency, SeverityWarning, "amount %s has no currency", f.v.Decimal)
		}
	}
	for i, cc := range t.PartnerCountries {
		c.country("/trade/partner_countries/", strconv.Itoa(i), cc)
	}
	if t.TradingSince != nil {
		c.pastEvent("/trade/trading_since", "", *t.TradingSince)
	}
}

// identCode maps an identifier error to its problem code. A scheme
// registered by a user may return an error that is not an *ident.Error;
// it is reported as a format problem rather than under a code that does
// not exist.
func identCode(err error) string {
	if c := ident.Code(err); c != "" {
		return "IDENT_" + c
	}
	return CodeIdentFormat
}
