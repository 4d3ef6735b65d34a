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
	SchemaVersion string         `json:"schema_version"`
	RecordID      string         `json:"record_id,omitempty"`
	AsOf          Date           `json:"as_of"`
	Enterprise    Enterprise     `json:"enterprise"`
	Financials    []Statement    `json:"financials,omitempty"`
	Payments      []Payment      `json:"payments,omitempty"`
	PublicRecords []PublicRecord `json:"public_records,omitempty"`
	Trade         *Trade         `json:"trade,omitempty"`
	Outcome       *Outcome       `json:"outcome,omitempty"`
}

// Enterprise identifies the assessed enterprise.
type Enterprise struct {
	Country        string       `json:"country"`
	LegalName      string       `json:"legal_name"`
	LegalNameLatin string       `json:"legal_name_latin,omitempty"`
	Identifiers    []Identifier `json:"identifiers"`
	LegalForm      string       `json:"legal_form,omitempty"`
	RegisteredOn   Date         `json:"registered_on"`
	Status         Status       `json:"status"`
	Industry       *Industry    `json:"industry,omitempty"`
	Employees      *int64       `json:"employees,omitempty"`
}

// Identifier is one registry or tax identifier of an enterprise, such as
// {"scheme": "KZ-BIN", "value": "180440012345"}. The schemes are defined by
// package credit/ident.
type Identifier struct {
	Scheme string `json:"scheme"`
	Value  string `json:"value"`
}

// Industry classifies the enterprise's main activity.
type Industry struct {
	Scheme string `json:"scheme"` // "ISIC4": ISIC Rev. 4
	Code   string `json:"code"`
}

// Status is the legal status of an enterprise in its register.
type Status string

// The legal statuses of the record standard.
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
	PeriodEnd          Date                `json:"period_end"`
	PeriodMonths       int                 `json:"period_months"`
	Currency           string              `json:"currency"`
	Audited            bool                `json:"audited"`
	TotalAssets        decimal.Decimal     `json:"total_assets"`
	TotalLiabilities   decimal.Decimal     `json:"total_liabilities"`
	Equity             decimal.Decimal     `json:"equity"`
	Revenue            decimal.Decimal     `json:"revenue"`
	NetIncome          decimal.Decimal     `json:"net_income"`
	CurrentAssets      decimal.NullDecimal `json:"current_assets,omitzero"`
	CurrentLiabilities decimal.NullDecimal `json:"current_liabilities,omitzero"`
	RetainedEarnings   decimal.NullDecimal `json:"retained_earnings,omitzero"`
	EBIT               decimal.NullDecimal `json:"ebit,omitzero"`
	InterestExpense    decimal.NullDecimal `json:"interest_expense,omitzero"`
	OperatingCashFlow  decimal.NullDecimal `json:"operating_cash_flow,omitzero"`
	Cash               decimal.NullDecimal `json:"cash,omitzero"`
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
	CreditorType    CreditorType    `json:"creditor_type"`
	CreditorCountry string          `json:"creditor_country,omitempty"`
	Amount          decimal.Decimal `json:"amount"`
	Currency        string          `json:"currency"`
	DueDate         Date            `json:"due_date"`
	PaidDate        *Date           `json:"paid_date,omitempty"`
	WrittenOff      bool            `json:"written_off,omitempty"`
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
	Type       PublicRecordType    `json:"type"`
	Date       Date                `json:"date"`
	Amount     decimal.NullDecimal `json:"amount,omitzero"`
	Currency   string              `json:"currency,omitempty"`
	ResolvedOn *Date               `json:"resolved_on,omitempty"`
	Authority  string              `json:"authority,omitempty"`
	Reference  string              `json:"reference,omitempty"`
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
	CustomsStatus    CustomsStatus       `json:"customs_status,omitempty"`
	Exports12m       decimal.NullDecimal `json:"exports_12m,omitzero"`
	Imports12m       decimal.NullDecimal `json:"imports_12m,omitzero"`
	Currency         string              `json:"currency,omitempty"`
	PartnerCountries []string            `json:"partner_countries,omitempty"`
	TradingSince     *Date               `json:"trading_since,omitempty"`
}

// Outcome records whether the enterprise later defaulted. It exists for
// back-testing rule sets and is never used in scoring.
type Outcome struct {
	Defaulted  bool  `json:"defaulted"`
	ObservedOn *Date `json:"observed_on,omitempty"`
}
