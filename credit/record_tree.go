package credit

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

// recordFromTree types a decoded record (the tree of decodeJSON) that
// has passed the schema layer, without parsing its text a second time.
// It gives the Record that encoding/json's Unmarshal gives for the same
// JSON: the same strings, decimals (decimal.NewFromString, as
// decimal.Decimal.UnmarshalJSON calls it), dates (ParseDate), integers
// (strconv.ParseInt), and nil or empty slices and pointers exactly where
// members are absent or empty; TestRecordFromTreeEqualsUnmarshal holds
// the two to the same result over the samples and a generated corpus. A
// value of the wrong type, which the schema rules out, is an error, never
// a panic.
func recordFromTree(tree any) (*Record, error) {
	t := treeTyper{}
	rec := t.record(t.object(tree, ""))
	if t.err != nil {
		return nil, t.err
	}
	return rec, nil
}

// treeTyper keeps the first error of a recordFromTree call, so that the
// typing functions stay straight-line.
type treeTyper struct{ err error }

func (t *treeTyper) fail(path, want string, v any) {
	if t.err == nil {
		t.err = fmt.Errorf("%s: expected %s, got %T", path, want, v)
	}
}

func (t *treeTyper) object(v any, path string) map[string]any {
	m, ok := v.(map[string]any)
	if !ok && v != nil {
		t.fail(path, "an object", v)
	}
	return m
}

func (t *treeTyper) array(v any, path string) []any {
	a, ok := v.([]any)
	if !ok && v != nil {
		t.fail(path, "an array", v)
	}
	return a
}

func (t *treeTyper) str(m map[string]any, key string) string {
	v, ok := m[key]
	if !ok {
		return ""
	}
	return t.strValue(v, key)
}

func (t *treeTyper) strValue(v any, key string) string {
	s, ok := v.(string)
	if !ok {
		t.fail(key, "a string", v)
	}
	return s
}

func (t *treeTyper) boolean(m map[string]any, key string) bool {
	v, ok := m[key]
	if !ok {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		t.fail(key, "a boolean", v)
	}
	return b
}

func (t *treeTyper) integer(v any, key string) int64 {
	n, ok := v.(json.Number)
	if !ok {
		t.fail(key, "an integer", v)
		return 0
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil && t.err == nil {
		t.err = fmt.Errorf("%s: %w", key, err)
	}
	return i
}

func (t *treeTyper) date(m map[string]any, key string) Date {
	v, ok := m[key]
	if !ok {
		return Date{}
	}
	return t.dateValue(v, key)
}

func (t *treeTyper) dateValue(v any, key string) Date {
	d, err := ParseDate(t.strValue(v, key))
	if err != nil && t.err == nil {
		t.err = fmt.Errorf("%s: %w", key, err)
	}
	return d
}

// optDate is a date member that may be absent (nil); null reads as
// absent, as encoding/json reads it into a pointer.
func (t *treeTyper) optDate(m map[string]any, key string) *Date {
	v, ok := m[key]
	if !ok || v == nil {
		return nil
	}
	d := t.dateValue(v, key)
	return &d
}

func (t *treeTyper) amount(m map[string]any, key string) decimal.Decimal {
	v, ok := m[key]
	if !ok {
		return decimal.Decimal{}
	}
	return t.amountValue(v, key)
}

func (t *treeTyper) amountValue(v any, key string) decimal.Decimal {
	d, err := decimal.NewFromString(t.strValue(v, key))
	if err != nil && t.err == nil {
		t.err = fmt.Errorf("%s: %w", key, err)
	}
	return d
}

// optAmount is an amount member that may be absent (not Valid); null
// reads as absent, as decimal.NullDecimal reads it.
func (t *treeTyper) optAmount(m map[string]any, key string) decimal.NullDecimal {
	v, ok := m[key]
	if !ok || v == nil {
		return decimal.NullDecimal{}
	}
	return decimal.NullDecimal{Decimal: t.amountValue(v, key), Valid: true}
}

func (t *treeTyper) record(m map[string]any) *Record {
	r := &Record{
		SchemaVersion: t.str(m, "schema_version"),
		RecordID:      t.str(m, "record_id"),
		AsOf:          t.date(m, "as_of"),
		Enterprise:    t.enterprise(t.object(m["enterprise"], "enterprise")),
	}
	if fs, ok := m["financials"]; ok && fs != nil {
		items := t.array(fs, "financials")
		r.Financials = make([]Statement, len(items))
		for i, x := range items {
			t.statement(&r.Financials[i], t.object(x, "financials"))
		}
	}
	if ps, ok := m["payments"]; ok && ps != nil {
		items := t.array(ps, "payments")
		r.Payments = make([]Payment, len(items))
		for i, x := range items {
			t.payment(&r.Payments[i], t.object(x, "payments"))
		}
	}
	if ps, ok := m["public_records"]; ok && ps != nil {
		items := t.array(ps, "public_records")
		r.PublicRecords = make([]PublicRecord, len(items))
		for i, x := range items {
			t.publicRecord(&r.PublicRecords[i], t.object(x, "public_records"))
		}
	}
	if tr, ok := m["trade"]; ok && tr != nil {
		r.Trade = t.trade(t.object(tr, "trade"))
	}
	if o, ok := m["outcome"]; ok && o != nil {
		om := t.object(o, "outcome")
		r.Outcome = &Outcome{Defaulted: t.boolean(om, "defaulted"), ObservedOn: t.optDate(om, "observed_on")}
	}
	return r
}

func (t *treeTyper) enterprise(m map[string]any) Enterprise {
	e := Enterprise{
		Country:        t.str(m, "country"),
		LegalName:      t.str(m, "legal_name"),
		LegalNameLatin: t.str(m, "legal_name_latin"),
		LegalForm:      t.str(m, "legal_form"),
		RegisteredOn:   t.date(m, "registered_on"),
		Status:         Status(t.str(m, "status")),
	}
	if ids, ok := m["identifiers"]; ok && ids != nil {
		items := t.array(ids, "identifiers")
		e.Identifiers = make([]Identifier, len(items))
		for i, x := range items {
			im := t.object(x, "identifiers")
			e.Identifiers[i] = Identifier{Scheme: t.str(im, "scheme"), Value: t.str(im, "value")}
		}
	}
	if ind, ok := m["industry"]; ok && ind != nil {
		im := t.object(ind, "industry")
		e.Industry = &Industry{Scheme: t.str(im, "scheme"), Code: t.str(im, "code")}
	}
	if n, ok := m["employees"]; ok && n != nil {
		v := t.integer(n, "employees")
		e.Employees = &v
	}
	return e
}

func (t *treeTyper) statement(s *Statement, m map[string]any) {
	*s = Statement{
		PeriodEnd:          t.date(m, "period_end"),
		Currency:           t.str(m, "currency"),
		Audited:            t.boolean(m, "audited"),
		TotalAssets:        t.amount(m, "total_assets"),
		TotalLiabilities:   t.amount(m, "total_liabilities"),
		Equity:             t.amount(m, "equity"),
		Revenue:            t.amount(m, "revenue"),
		NetIncome:          t.amount(m, "net_income"),
		CurrentAssets:      t.optAmount(m, "current_assets"),
		CurrentLiabilities: t.optAmount(m, "current_liabilities"),
		RetainedEarnings:   t.optAmount(m, "retained_earnings"),
		EBIT:               t.optAmount(m, "ebit"),
		InterestExpense:    t.optAmount(m, "interest_expense"),
		OperatingCashFlow:  t.optAmount(m, "operating_cash_flow"),
		Cash:               t.optAmount(m, "cash"),
	}
	if n, ok := m["period_months"]; ok {
		s.PeriodMonths = int(t.integer(n, "period_months"))
	}
}

func (t *treeTyper) payment(p *Payment, m map[string]any) {
	*p = Payment{
		CreditorType:    CreditorType(t.str(m, "creditor_type")),
		CreditorCountry: t.str(m, "creditor_country"),
		Amount:          t.amount(m, "amount"),
		Currency:        t.str(m, "currency"),
		DueDate:         t.date(m, "due_date"),
		PaidDate:        t.optDate(m, "paid_date"),
		WrittenOff:      t.boolean(m, "written_off"),
	}
}

func (t *treeTyper) publicRecord(p *PublicRecord, m map[string]any) {
	*p = PublicRecord{
		Type:       PublicRecordType(t.str(m, "type")),
		Date:       t.date(m, "date"),
		Amount:     t.optAmount(m, "amount"),
		Currency:   t.str(m, "currency"),
		ResolvedOn: t.optDate(m, "resolved_on"),
		Authority:  t.str(m, "authority"),
		Reference:  t.str(m, "reference"),
	}
}

func (t *treeTyper) trade(m map[string]any) *Trade {
	tr := &Trade{
		CustomsStatus: CustomsStatus(t.str(m, "customs_status")),
		Exports12m:    t.optAmount(m, "exports_12m"),
		Imports12m:    t.optAmount(m, "imports_12m"),
		Currency:      t.str(m, "currency"),
		TradingSince:  t.optDate(m, "trading_since"),
	}
	if pc, ok := m["partner_countries"]; ok && pc != nil {
		items := t.array(pc, "partner_countries")
		tr.PartnerCountries = make([]string, len(items))
		for i, x := range items {
			s, ok := x.(string)
			if !ok {
				t.fail("partner_countries", "a string", x)
			}
			tr.PartnerCountries[i] = s
		}
	}
	return tr
}
