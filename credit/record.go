package credit

import "github.com/shopspring/decimal"

// SchemaVersion is the version of the enterprise record standard that this
// package reads and writes.
const SchemaVersion = "1.0"

// Record is one enterprise record as a partner sends it: who the enterprise
// is, its financial statements, its payment behaviour, public records about
// it and its foreign trade, all as known on the assessment date AsOf.
//
// The field names follow the JSON record standard
// (schema/enterprise-record.schema.json). Amounts are exact decimals; dates
// are calendar dates.
type Record struct {
	// SchemaVersion is the version of the record standard the record
	// follows; it must be SchemaVersion ("1.0").
	SchemaVersion string `json:"schema_version"`
	// RecordID is the partner's own identifier of the record, 1 to 128
	// characters, echoed in every output about it; empty if the partner
	// gave none.
	RecordID string `json:"record_id,omitempty"`
	// AsOf is the assessment date: the day on which the data are known.
	// Dates of past events in the record must not be after it.
	AsOf Date `json:"as_of"`
	// Enterprise says who the enterprise is.
	Enterprise Enterprise `json:"enterprise"`
	// Financials are the financial statements, in any order, at most one
	// per PeriodEnd and PeriodMonths; empty if none were reported.
	Financials []Statement `json:"financials,omitempty"`
	// Payments are payment obligations (loans, supplier invoices, taxes,
	// utilities, leases) and how they were met. Nil means the partner sent
	// no payment history; an empty, non-nil slice (JSON []) means it was
	// looked at and holds no obligations. omitzero keeps that difference
	// when the record is written back.
	Payments []Payment `json:"payments,omitzero"`
	// PublicRecords are the entries about the enterprise in public
	// registers. Nil means the registers were not checked; an empty,
	// non-nil slice (JSON []) means they were checked and hold nothing.
	PublicRecords []PublicRecord `json:"public_records,omitzero"`
	// Trade describes the enterprise's foreign trade; nil if not reported,
	// which makes the trade indicators missing.
	Trade *Trade `json:"trade,omitempty"`
	// Outcome is the observed outcome, for back-testing; nil if none was
	// observed. Scoring never reads it.
	Outcome *Outcome `json:"outcome,omitempty"`
}

// Enterprise identifies the assessed enterprise.
type Enterprise struct {
	// Country is the ISO 3166-1 alpha-2 code of the country of
	// registration: an SCO member state (CN RU KZ KG TJ UZ IN PK IR BY) or
	// observer (MN AF).
	Country string `json:"country"`
	// LegalName is the registered legal name in the script of the register
	// (Chinese, Cyrillic, Persian and so on).
	LegalName string `json:"legal_name"`
	// LegalNameLatin is the legal name in Latin script, as registered or
	// transliterated; empty if not given.
	LegalNameLatin string `json:"legal_name_latin,omitempty"`
	// Identifiers are the registry and tax identifiers, 1 to 10. At least
	// one must be of a scheme of Country; LEI is accepted for every
	// country.
	Identifiers []Identifier `json:"identifiers"`
	// LegalForm is the legal form as written locally, such as
	// 有限责任公司, ООО, ТОО or Private Limited; empty if not given.
	LegalForm string `json:"legal_form,omitempty"`
	// RegisteredOn is the date of first registration, on or before the
	// record's AsOf.
	RegisteredOn Date `json:"registered_on"`
	// Status is the legal status in the register at the record's AsOf.
	Status Status `json:"status"`
	// Industry is the main activity; nil if not reported.
	Industry *Industry `json:"industry,omitempty"`
	// Employees is the number of employees at the record's AsOf, 0 to
	// 10,000,000; nil if not reported (a pointer, so that zero employees
	// can be told apart from no answer).
	Employees *int64 `json:"employees,omitempty"`
}

// Identifier is one registry or tax identifier of an enterprise, such as
// {"scheme": "KZ-BIN", "value": "180440012345"}. The schemes are defined by
// package credit/ident.
type Identifier struct {
	// Scheme is the identifier scheme, such as CN-USCC, RU-INN, KZ-BIN,
	// IN-GSTIN or LEI.
	Scheme string `json:"scheme"`
	// Value is the identifier as written; separators such as spaces and
	// hyphens are allowed and removed before checking.
	Value string `json:"value"`
}

// Industry classifies the enterprise's main activity.
type Industry struct {
	Scheme string `json:"scheme"` // "ISIC4": ISIC Rev. 4
	Code   string `json:"code"`   // section letter (A-U), or 2- to 4-digit code
}

// Status is the legal status of an enterprise in its register.
type Status string

// The legal statuses of the record standard. StatusActive includes an
// enterprise in a merger, split, conversion or other corporate
// reorganisation (Russian реорганизация); StatusReorganizing means
// restructuring under insolvency law while the enterprise goes on
// operating (PRC 破产重整; Russia финансовое оздоровление or внешнее
// управление; Kazakhstan реабилитационная процедура).
const (
	StatusActive       Status = "active"
	StatusReorganizing Status = "reorganizing"
	StatusLiquidating  Status = "liquidating"
	StatusBankrupt     Status = "bankrupt"
	StatusDissolved    Status = "dissolved"
)

// Statement is one financial statement: a balance sheet at PeriodEnd and
// the flows of the PeriodMonths months that end there. Required amounts are
// decimal.Decimal; optional ones are decimal.NullDecimal, whose Valid field
// tells whether the partner reported the amount.
type Statement struct {
	// PeriodEnd is the last day of the period, on or before the record's
	// AsOf.
	PeriodEnd Date `json:"period_end"`
	// PeriodMonths is the length of the period in months, 1 to 12 (12 for
	// an annual statement).
	PeriodMonths int `json:"period_months"`
	// Currency is the ISO 4217 code of every amount in the statement.
	Currency string `json:"currency"`
	// Audited reports whether an independent auditor audited the statement.
	Audited bool `json:"audited"`
	// TotalAssets is the balance sheet total at PeriodEnd; not negative.
	TotalAssets decimal.Decimal `json:"total_assets"`
	// TotalLiabilities is current plus non-current liabilities at
	// PeriodEnd; not negative.
	TotalLiabilities decimal.Decimal `json:"total_liabilities"`
	// Equity is the book value of equity at PeriodEnd; it may be negative.
	Equity decimal.Decimal `json:"equity"`
	// Revenue is the net sales of the period; not negative.
	Revenue decimal.Decimal `json:"revenue"`
	// NetIncome is the profit after tax of the period; negative for a loss.
	NetIncome decimal.Decimal `json:"net_income"`
	// CurrentAssets is the current assets at PeriodEnd; not negative and at
	// most TotalAssets.
	CurrentAssets decimal.NullDecimal `json:"current_assets,omitzero"`
	// CurrentLiabilities is the current liabilities at PeriodEnd; not
	// negative and at most TotalLiabilities.
	CurrentLiabilities decimal.NullDecimal `json:"current_liabilities,omitzero"`
	// RetainedEarnings is the accumulated profit or loss at PeriodEnd; it
	// may be negative.
	RetainedEarnings decimal.NullDecimal `json:"retained_earnings,omitzero"`
	// EBIT is the earnings before interest and taxes of the period; it may
	// be negative.
	EBIT decimal.NullDecimal `json:"ebit,omitzero"`
	// InterestExpense is the interest expense of the period; not negative.
	InterestExpense decimal.NullDecimal `json:"interest_expense,omitzero"`
	// OperatingCashFlow is the net cash flow from operating activities of
	// the period; it may be negative.
	OperatingCashFlow decimal.NullDecimal `json:"operating_cash_flow,omitzero"`
	// Cash is the cash and cash equivalents at PeriodEnd; not negative.
	Cash decimal.NullDecimal `json:"cash,omitzero"`
}

// PeriodStart returns the first day of the statement's period.
func (s *Statement) PeriodStart() Date {
	return s.PeriodEnd.AddDays(1).AddMonths(-s.PeriodMonths)
}

// CreditorType is the kind of creditor of a payment obligation.
type CreditorType string

// The creditor types of the record standard.
const (
	CreditorBank     CreditorType = "bank"
	CreditorSupplier CreditorType = "supplier"
	CreditorTax      CreditorType = "tax"
	CreditorUtility  CreditorType = "utility"
	CreditorLeasing  CreditorType = "leasing"
	CreditorOther    CreditorType = "other"
)

// Payment is one payment obligation and how it was met. A nil PaidDate
// means the obligation was unpaid at the record's AsOf date.
type Payment struct {
	// CreditorType is the kind of creditor.
	CreditorType CreditorType `json:"creditor_type"`
	// CreditorCountry is the ISO 3166-1 alpha-2 code of the creditor's
	// country; empty if not given.
	CreditorCountry string `json:"creditor_country,omitempty"`
	// Amount is the amount due, in Currency; greater than zero.
	Amount decimal.Decimal `json:"amount"`
	// Currency is the ISO 4217 code of Amount.
	Currency string `json:"currency"`
	// DueDate is the date the payment was due, on or before the record's
	// AsOf.
	DueDate Date `json:"due_date"`
	// PaidDate is the date the obligation was paid in full, on or before
	// the record's AsOf; nil if it was unpaid then.
	PaidDate *Date `json:"paid_date,omitempty"`
	// WrittenOff reports whether the creditor wrote the obligation off as
	// uncollectable.
	WrittenOff bool `json:"written_off,omitempty"`
}

// PublicRecordType is the kind of an entry in a public register.
type PublicRecordType string

// The public record types of the record standard.
const (
	PublicTaxArrears            PublicRecordType = "tax_arrears"
	PublicCourtJudgment         PublicRecordType = "court_judgment"
	PublicEnforcement           PublicRecordType = "enforcement"
	PublicAdministrativePenalty PublicRecordType = "administrative_penalty"
	PublicDishonestDebtor       PublicRecordType = "dishonest_debtor"
	PublicAbnormalOperations    PublicRecordType = "abnormal_operations"
	PublicSanction              PublicRecordType = "sanction"
	PublicBankruptcyFiling      PublicRecordType = "bankruptcy_filing"
)

// PublicRecord is one entry about the enterprise in a public register: a
// tax arrear, a court judgment, an enforcement proceeding and so on. A nil
// ResolvedOn means the entry was open at the record's AsOf date.
type PublicRecord struct {
	// Type is the kind of entry.
	Type PublicRecordType `json:"type"`
	// Date is the date of the entry (judgment, listing, filing), on or
	// before the record's AsOf.
	Date Date `json:"date"`
	// Amount is the amount involved, in Currency; not Valid if there is
	// none.
	Amount decimal.NullDecimal `json:"amount,omitzero"`
	// Currency is the ISO 4217 code of Amount. An Amount without a Currency
	// draws a warning.
	Currency string `json:"currency,omitempty"`
	// ResolvedOn is the date the entry was resolved (paid, lifted,
	// delisted), not before Date; nil while the entry is open.
	ResolvedOn *Date `json:"resolved_on,omitempty"`
	// Authority is the court, agency or register that made the entry; empty
	// if not given.
	Authority string `json:"authority,omitempty"`
	// Reference is the case or register number; empty if not given.
	Reference string `json:"reference,omitempty"`
}

// OpenAt reports whether the entry was open (dated and not yet resolved) on d.
func (p *PublicRecord) OpenAt(d Date) bool {
	return !p.Date.After(d) && (p.ResolvedOn == nil || p.ResolvedOn.After(d))
}

// CustomsStatus is the enterprise's standing with its customs authority.
type CustomsStatus string

// The customs statuses of the record standard. AEO is the WCO Authorized
// Economic Operator programme.
const (
	CustomsAEOAdvanced CustomsStatus = "aeo_advanced"
	CustomsAEOGeneral  CustomsStatus = "aeo_general"
	CustomsGeneral     CustomsStatus = "general"
	CustomsDishonest   CustomsStatus = "dishonest"
	CustomsNone        CustomsStatus = "none"
)

// Trade describes the enterprise's foreign trade over the last 12 months.
type Trade struct {
	// CustomsStatus is the standing with the customs authority; empty if
	// not reported.
	CustomsStatus CustomsStatus `json:"customs_status,omitempty"`
	// Exports12m is the value of exports in the 12 months before the
	// record's AsOf, in Currency; not Valid if not reported.
	Exports12m decimal.NullDecimal `json:"exports_12m,omitzero"`
	// Imports12m is the value of imports in the 12 months before the
	// record's AsOf, in Currency; not Valid if not reported.
	Imports12m decimal.NullDecimal `json:"imports_12m,omitzero"`
	// Currency is the ISO 4217 code of Exports12m and Imports12m. An amount
	// without a Currency draws a warning.
	Currency string `json:"currency,omitempty"`
	// PartnerCountries are the ISO 3166-1 alpha-2 codes of the main
	// trading-partner countries, each listed once.
	PartnerCountries []string `json:"partner_countries,omitempty"`
	// TradingSince is the date of the first foreign-trade operation, on or
	// before the record's AsOf; nil if not reported.
	TradingSince *Date `json:"trading_since,omitempty"`
}

// Outcome records whether the enterprise later defaulted. It exists for
// back-testing rule sets and is never used in scoring.
type Outcome struct {
	// Defaulted reports whether the enterprise defaulted within the
	// observation window.
	Defaulted bool `json:"defaulted"`
	// ObservedOn is the date the outcome was observed; nil if not given.
	ObservedOn *Date `json:"observed_on,omitempty"`
}
