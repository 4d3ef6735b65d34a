package credit

// Problem codes that scoring adds to a profile's warnings (severity
// warning) or to a stream result. Like the validator's codes (codes.go)
// they are stable: programs match on them, and a code, once published,
// keeps its meaning.
const (
	// CodeFXRateMissing: an amount had to be converted into another
	// currency (total assets into USD for fin.size_usd, an overdue payment
	// into the statement currency, or the prior statement into the latest
	// one's currency for revenue growth) and EngineOptions.Rates has no
	// rate for one of the two currencies. The indicator concerned is
	// missing (NO_FX_RATE); the path points at the currency field.
	CodeFXRateMissing = "FX_RATE_MISSING"

	// CodePaymentCurrenciesMixed: the payments in the pay.on_time_share
	// window are in several currencies and the rates cannot convert them
	// all, so the share counts payments instead of weighing them by amount.
	CodePaymentCurrenciesMixed = "PAYMENT_CURRENCIES_MIXED"

	// CodeRuleSetOtherCountry: the record was scored with a rule set made
	// for another country (RuleSet.Country), as when one rule set is
	// forced on a batch of several countries; its country-specific parts
	// (inflation, registers, caps, local labels) may not fit the record.
	// The path is /enterprise/country.
	CodeRuleSetOtherCountry = "RULESET_OTHER_COUNTRY"

	// CodeNoRuleSet (severity error, in StreamResult.Problems of a
	// Scorer): no registered rule set scores a record of the enterprise's
	// country at its as_of (ErrNoRuleSet). The path is
	// /enterprise/country.
	CodeNoRuleSet = "NO_RULESET"

	// CodeInvalidRecord (severity error, in StreamResult.Problems): the
	// validator returned no record and no problem saying why. It is a
	// safeguard so that an unreadable record is never dropped silently;
	// the validator normally reports a more specific code.
	CodeInvalidRecord = "INVALID_RECORD"
)
