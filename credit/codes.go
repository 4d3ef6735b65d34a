package credit

// Problem codes. They are stable: programs match on them, and a code, once
// published, keeps its meaning. credit/problem-codes.md lists each with an example.
const (
	// Decoding and limits.
	CodeMalformedJSON  = "MALFORMED_JSON"   // not valid JSON
	CodeRecordTooLarge = "RECORD_TOO_LARGE" // over MaxRecordBytes
	CodeInvalidUTF8    = "INVALID_UTF8"     // text is not valid UTF-8
	CodeTooDeep        = "TOO_DEEP"         // nesting deeper than the standard allows
	CodeDuplicateKey   = "DUPLICATE_KEY"    // the same key twice in one object
	CodeNumberTooLong  = "NUMBER_TOO_LONG"  // a JSON number with too many characters or exponent digits

	// CodeTooManyProblems counts the problems beyond MaxProblems that are
	// not listed. It is an error when one of them is an error, else a
	// warning, so that the shortened list rejects exactly when the whole
	// list would.
	CodeTooManyProblems = "TOO_MANY_PROBLEMS"

	// Schema layer.
	CodeRequired           = "REQUIRED"            // a required field is missing
	CodeUnknownField       = "UNKNOWN_FIELD"       // a field the standard does not define
	CodeWrongType          = "WRONG_TYPE"          // e.g. a number where a string is required
	CodeAmountNotString    = "AMOUNT_NOT_STRING"   // an amount given as a JSON number
	CodeInvalidAmount      = "INVALID_AMOUNT"      // an amount string that is not a plain decimal
	CodeInvalidDate        = "INVALID_DATE"        // not a real date YYYY-MM-DD
	CodeInvalidValue       = "INVALID_VALUE"       // not one of the allowed values
	CodeInvalidFormat      = "INVALID_FORMAT"      // a code or name of the wrong shape
	CodeUnsupportedVersion = "UNSUPPORTED_VERSION" // schema_version is not "1.0"
	CodeTooShort           = "TOO_SHORT"           // a string shorter than allowed
	CodeTooLong            = "TOO_LONG"            // a string longer than allowed
	CodeTooFewItems        = "TOO_FEW_ITEMS"       // an array shorter than allowed
	CodeTooManyItems       = "TOO_MANY_ITEMS"      // an array longer than allowed
	CodeDuplicateItem      = "DUPLICATE_ITEM"      // an array whose items must be unique
	CodeOutOfRange         = "OUT_OF_RANGE"        // a number outside its bounds
	CodeSchemaViolation    = "SCHEMA_VIOLATION"    // any other schema rule

	// Semantic layer: errors.
	CodeDateAfterAsOf            = "DATE_AFTER_AS_OF"     // a past event dated after as_of
	CodeResolvedBeforeDate       = "RESOLVED_BEFORE_DATE" // resolved_on before the entry's date
	CodeCurrentAssetsExceed      = "CURRENT_ASSETS_EXCEED_TOTAL"
	CodeCurrentLiabilitiesExceed = "CURRENT_LIABILITIES_EXCEED_TOTAL"
	CodeNegativeAmount           = "NEGATIVE_AMOUNT"     // an amount that cannot be negative
	CodeZeroPayment              = "ZERO_PAYMENT"        // a payment obligation of zero
	CodeDuplicateStatement       = "DUPLICATE_STATEMENT" // two statements for the same period
	CodeUnknownCurrency          = "UNKNOWN_CURRENCY"    // not an ISO 4217 code
	CodeUnknownCountry           = "UNKNOWN_COUNTRY"     // not an ISO 3166-1 alpha-2 code
	CodeNoHomeIdentifier         = "NO_HOME_IDENTIFIER"  // no identifier of the enterprise's own country
	CodeIdentUnknownScheme       = "IDENT_UNKNOWN_SCHEME"
	CodeIdentWrongCountry        = "IDENT_WRONG_COUNTRY"
	CodeIdentLength              = "IDENT_LENGTH"
	CodeIdentFormat              = "IDENT_FORMAT"
	CodeIdentChecksum            = "IDENT_CHECKSUM"
	CodeIdentComponent           = "IDENT_COMPONENT"
	CodeIdentPlaceholder         = "IDENT_PLACEHOLDER"        // one character repeated, such as RU-INN 0000000000
	CodeDateOutOfRange           = "DATE_OUT_OF_RANGE"        // a date outside 1850-01-01..2099-12-31
	CodeDateBeforeRegistration   = "DATE_BEFORE_REGISTRATION" // an event of the enterprise before it was registered
	CodePaidAndWrittenOff        = "PAID_AND_WRITTEN_OFF"     // a payment both paid in full and written off
	CodeControlCharacter         = "CONTROL_CHARACTER"        // a control or bidirectional-control character in a name or text

	// Semantic layer: warnings.
	CodeBalanceSheetMismatch     = "BALANCE_SHEET_MISMATCH"     // assets differ from liabilities + equity by over 1 %
	CodeStaleFinancials          = "STALE_FINANCIALS"           // latest statement older than 18 months
	CodePeriodBeforeRegistration = "PERIOD_BEFORE_REGISTRATION" // a period starting before registration
	CodeAmountWithoutCurrency    = "AMOUNT_WITHOUT_CURRENCY"    // an amount whose currency is not given
	CodeDuplicateIdentifier      = "DUPLICATE_IDENTIFIER"       // the same identifier listed twice
)

// Semantic layer: identifier cross-checks (credit/ident.CrossCheck), each
// reported at the path of the identifier at fault.
const (
	CodeIdentGSTINPANMismatch   = "IDENT_GSTIN_PAN_MISMATCH"   // a GSTIN whose embedded PAN is not the record's PAN
	CodeIdentEntityKindConflict = "IDENT_ENTITY_KIND_CONFLICT" // identifiers of a legal entity and of an individual (or another holder type) together
	CodeIdentRegionMismatch     = "IDENT_REGION_MISMATCH"      // warning: an OGRN's region differs from its INN's
	CodeIdentSecondValue        = "IDENT_SECOND_VALUE"         // two different values of a scheme an enterprise has once
)
