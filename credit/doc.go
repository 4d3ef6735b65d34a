// Package credit is the Credit SCO (信用上合) model of cross-border
// enterprise credit assessment across the member states of the Shanghai
// Cooperation Organisation: one record standard, one scoring engine, one
// harmonised master scale (AAA..C).
//
// A record flows through the package like this:
//
//	bytes ──Reader (JSON, JSON array or NDJSON; bounded memory)
//	      ──Validator: limits, JSON Schema, typed Record, semantic rules
//	        (dates, accounting identities, currencies, identifiers of
//	        package credit/ident) → Problems with JSON Pointer paths and codes
//	      ──Scorer: the rule set of the record's country as of its date
//	        (RuleSetRegistry.Select), then its Engine
//	      ──Engine(rule set).Score: indicators → bins → points → score →
//	        PD → grade → caps → reasons → Profile
//
// and package credit/cert turns the Assessment of a certifiable record
// (Engine.Assess, StreamResult.Assessment) into a signed W3C Verifiable
// Credential under the rule set that scored it, naming the primary
// identifier and local label that rule set gives.
//
// # Exactness
//
// All money and all scoring arithmetic use github.com/shopspring/decimal;
// no float64 is on the scoring path, and the package never touches the
// decimal library's package-level settings. Where a rule set's points and
// weights are whole multiples of 10^-8 (every built-in one), an Engine
// adds them as integers of that unit instead, which is exact and gives
// the same profiles byte for byte (tested against the decimal sums). Amounts in records are JSON
// strings, dates are calendar dates (Date), so the same record, rule set and
// FX rates give a byte-identical Profile on every platform and run.
//
// # Rule sets
//
// Rule sets are versioned JSON files (schema/ruleset.schema.json) that one
// engine interprets, so that a partner can read, diff, audit and publish
// exactly what was applied; every number in them carries its source. Each
// has a content digest, the SHA-256 of its RFC 8785 form, which every
// Profile carries. The built-in SCO baseline SCO-BASE and a rule set for
// every SCO member and observer state extending it (SCO-CN, SCO-RU, …,
// SCO-AF: inflation, identifiers and their cross-checks, registers, customs
// tiers, local rating labels) are embedded (BuiltinRuleSets,
// DefaultRuleSet); LoadRuleSet reads a user's, which may extend a built-in
// one and is registered in a RuleSetRegistry. The registry answers which
// rule set scores a record of a country as of a date (Select: by
// effective_from, newest first; SetDefault to replace a country's choice in
// one's own registry), a Scorer scores a mixed batch with one engine per
// rule set, and Recognition tabulates what each master grade means in
// each country.
//
// # Validation
//
// The record standard is schema/enterprise-record.schema.json;
// schema/record-standard.md describes its fields and the rules beyond the
// schema, credit/problem-codes.md every problem code with an example. A
// Validator (compiled once, shared; ParseRecord uses a default one)
// checks a record in three layers:
//
//  1. Decoding with limits (see Limits below): size, UTF-8 and no \u
//     escape of a lone surrogate (which encodes no character and which
//     signing refuses), nesting no deeper than the standard needs, no
//     duplicate keys, short JSON numbers (the schema library parses every
//     number into a big.Rat, so long numbers and large exponents would be
//     a denial-of-service lever). Input that is not JSON at all (a CSV
//     file) is told that JSON or NDJSON is expected.
//  2. The schema layer: the embedded JSON Schema (draft-07, compiled once,
//     never fetching remote references). A compiled form of it decides
//     whether a record is valid, exactly as gojsonschema does (a
//     differential fuzz test holds the two together); gojsonschema is asked
//     only about a record that fails, for its errors. Each schema error is
//     mapped to a JSON Pointer path and a code of this package, with a
//     message of its own. Its work is bounded by the schema, not by the
//     record. The typed record is built from the tree the decoder read, so
//     a record is parsed once.
//  3. The semantic layer, for records that pass the schema, since it
//     compares typed values: dates against as_of and the calendar window,
//     accounting relations, duplicate statements and identifiers, ISO 4217
//     currencies and ISO 3166 countries, and the identifier schemes of
//     package credit/ident (check digits, components, the country each
//     scheme belongs to, and credit/ident.CrossCheck between the
//     identifiers of one record).
//
// Problems are sorted by path, then code. Problems of severity error
// reject the record; warnings keep it and are carried into its profile.
// Validation.Record is the typed record: decimal.Decimal amounts, Date
// dates, enum types. Validator.ValidateStream checks a whole input on
// every core and reports in input order, with bounded memory.
//
// # Scoring
//
// An Engine applies one rule set to a validated record:
//
//  1. Indicators (34, fixed ids such as fin.interest_coverage) are
//     computed with decimal arithmetic from the latest statement by
//     period_end (flows annualised), the payments, the public records and
//     the trade data. Every ratio follows one rule: a zero denominator
//     gives ±100 with the sign of the numerator, 0/0 and a negative
//     denominator are missing (ZERO_DENOMINATOR, NEGATIVE_DENOMINATOR),
//     and ratios are clamped to ±100. Amounts in other currencies are
//     converted with EngineOptions.Rates or the indicator is missing
//     (NO_FX_RATE, and the profile warning FX_RATE_MISSING).
//  2. Characteristics bin one indicator each into points (numeric bins
//     [lower, upper) covering the whole line, or categories) plus a
//     missing bin, grouped into pillars.
//  3. The score is the base points plus the points, rounded half away from
//     zero and clamped to the scaling's range.
//  4. The model PD is 1/(1+odds) with odds = base_odds ·
//     2^((score − base_score)/pdo), computed in decimal; the grade is the
//     master-scale band of that PD before the floor, to the 6 places it is
//     reported with; the reported PD is floored at pd_floor.
//  5. Caps lower the grade (never raise it; the reported PD rises into the
//     capped grade's band, 1 for the last grade) or forbid certification;
//     a cap condition with op "missing" or "present" tests whether an
//     indicator could be computed at all (evidence ceilings).
//  6. Reasons follow PMML's pointsBelow with the max baseline: for each
//     characteristic the points lost against its best bin, summed per
//     reason code, ranked descending (ties by code), at most MaxReasons,
//     zero losses dropped; reason codes may be set per bin.
//  7. Coverage is the share of characteristic weight (a characteristic's
//     points range, or its explicit weight) whose indicator had data;
//     certifiable needs the rule set's Certification requirements, and
//     each unmet one is listed in the profile's caps with kind
//     "certification".
//
// credit/rulesets/sco-base.md describes SCO-BASE in one page with its numbers: the
// pillars and their points, the PD mapping fitted to labelled data, the
// grade bands, the evidence ceilings, the caps and the warnings.
//
// # Country rule sets
//
// Each country rule set (credit/rulesets/<cc>.json) extends SCO-BASE and
// overrides only what the country's public sources support, with a source
// next to every number; where a country's practice is not public
// (registers, AEO tiers, rating scales, payment practice) its description
// says so and it keeps the baseline. The README's country table, generated
// from the rule sets, summarises them; what its columns mean:
//
//   - Identifiers (RuleSet.Identity): the accepted schemes, check digits
//     verified where the algorithm is public ("format" means any number
//     of the right shape passes). The primary scheme is the one a
//     certificate names (RuleSet.PrimaryIdentifier: the first valid
//     identifier of the first primary scheme the record carries, such as
//     a KZ legal entity's BIN, else an individual entrepreneur's IIN).
//     Cross-checks compare what several identifiers of one record say: a
//     GSTIN embeds its holder's PAN (IDENT_GSTIN_PAN_MISMATCH); a legal
//     entity's and an individual's identifiers do not go together
//     (IDENT_ENTITY_KIND_CONFLICT: RU 10-digit INN, OGRN, KPP against
//     12-digit INN, OGRNIP; KZ BIN entity-type digit 4/5 against IIN; IN
//     CIN against a PAN whose holder type is not C; IR NID against NC);
//     an OGRN's region differs from its INN's (IDENT_REGION_MISMATCH, a
//     warning: INNs issued before 2002 may); a second, different value of
//     a scheme an enterprise has once (IDENT_SECOND_VALUE).
//   - Inflation (parameter expected_inflation): revenue growth is deflated
//     by the country's measured inflation for the year of the statements
//     the version is for (annual average where found, else December on
//     December, else a target, as each source says), so that nominal
//     growth in high-inflation economies (IR 42.4 %, KZ 12.3 %, UZ 7.3 %)
//     is not rewarded. Afghanistan's deflation (IMF: −4.3 % in 2024) is
//     not credited on weak data: 0 %.
//   - Registers (RuleSet.Registers): national registers map onto the
//     record's public_records types; those whose open entries trigger a
//     cap of the baseline (dishonest debtors, enforcement, bankruptcy) or
//     of the country are marked: CN 经营异常名录, RU ЕГРЮЛ недостоверность
//     and IN strike-off notices cap at BB and rule out certification
//     (CAP_ABNORMAL_OPERATIONS); KZ's tax-debtor list caps at B
//     (CAP_TAX_DEBTOR_LIST). Customs tiers map onto trade.customs_status
//     (customs_tiers in each rule set).
//   - Local labels (RuleSet.LocalScale): a profile carries local_grade
//     after grade where a published correspondence exists: on S&P's
//     Kazakhstan scale the sovereign's global BBB- is kzAAA, so master
//     AAA to BBB are kzAAA; below that the mapping table is not public and
//     nothing is given. The Russian national scales are relative to a
//     sovereign whose global ratings were withdrawn in 2022, India's SEBI
//     symbols and Pakistan's PACRA/VIS scales have no published PD
//     correspondence, and China's domestic symbols are those of the master
//     scale itself, so none of them is mapped.
//   - Languages: reason texts are in English, Chinese and Russian for
//     every code; a text in the country's own language (local, with a lang
//     tag) is given only where it could be written correctly (kk for KZ's
//     and hi for IN's own codes); other codes fall back to English in that
//     language (EngineOptions.Lang).
//
// The sample records (testdata/records/<cc>.ndjson) are fictional firms:
// a strong, a middling and a weak one per country, in the home currency,
// with legal names in the register's script (Latin for IN and PK, whose
// registers use it, and for UZ, whose official alphabet is Latin) and
// identifiers whose check digits really pass. The file
// testdata/rulesets/kz-example.json (KZ-EXAMPLE) is the short
// illustration of the rule-set format, not the Kazakh rule set.
//
// # Writing a rule set
//
// A rule set is a JSON file read by LoadRuleSet (see its example) or a
// RuleSet value loaded by NewRuleSet (see its example), which writes it
// as its JSON file (RuleSet.JSON) and loads that exactly as LoadRuleSet
// would: the same checks, the same Problems (JSON Pointer paths into the
// JSON form) and the same digest, so that a rule set written in Go can
// be published and re-loaded by anyone. The command examples/custom-ruleset
// compares SCO-BASE, kz-example.json and a rule set written in Go.
//
// A rule set that extends another overrides parts of it: scaling,
// pd_floor, master_scale and certification whole; parameters,
// characteristics and caps by key or id (new ones are added); reasons by
// code; the country parts identity (accepted schemes, primary schemes in
// order of preference, cross_checks), currency, registers (name,
// public_records type, the caps an open entry triggers), customs_tiers
// (national tier → trade.customs_status) and local_scale (labels by
// master grade) whole. Reason texts may add "local": [{"lang": "kk",
// "text": "…"}] in the countries' own languages (kk ky tg uz hi ur fa be
// mn ps; EngineOptions.Lang takes these tags, falling back to English).
// Certification requirements are min_statements,
// max_statement_age_months, min_coverage, require_audited, min_grade and
// validity_months (Certification).
//
// A rule set is checked against schema/ruleset.schema.json and
// semantically: bins sorted and covering the line, declared direction
// holds, PD bounds increasing, every reason code has en/zh/ru texts, caps
// on known indicators and grades, schemes registered in credit/ident and
// of the rule set's country, registers' caps conditioned on the
// register's indicator, local labels on master grades, effective_from a
// real date. Problems come back as Problems with JSON Pointer paths,
// worded for rule sets (codes RULESET_…); the file is bounded like a
// record (see Limits).
//
// Registering a rule set resolves its extends against the registry (the
// built-in SCO-BASE in BuiltinRuleSets); Select then chooses it for its
// country by effective_from, and SetDefault pins a country, or the
// fallback, to an id. RegisterRetired keeps an earlier version for
// verification only, resolved against the parent version it was issued
// with (the built-ins keep their released versions so). Registering or
// pinning changes only that registry:
// BuiltinRuleSets hands every caller a fresh one. A loaded RuleSet is
// read-only: NewEngine, RuleSetRegistry.Register and credit/cert's Issue
// refuse one whose fields were changed after loading
// (ErrRuleSetModified, RuleSet.Unmodified), because its digest would no
// longer describe the scoring. To derive a rule set, change a copy
// (DefaultRuleSet returns a fresh one) and load it with NewRuleSet, which
// gives it its own digest.
//
// # FX rates
//
// fin.size_usd converts total assets to US dollars, and overdue payments
// and a change of reporting currency are converted, with rates the caller
// supplies (LoadRates, EngineOptions.Rates; the -rates flag of the
// example programs); without a rate the indicator is missing and the
// profile carries an FX_RATE_MISSING warning. LoadRates refuses a repeated
// currency or member, a missing or empty rates member, unknown members and
// rates outside 0.000000001 to 1,000,000,000,000 (such as 1e400), with
// errors that wrap ErrInvalidRates. The bundled
// testdata/fx/rates-2025-12-31.json states its source per currency (see
// testdata/fx/README.md): RUB and BYN are the central banks' official
// rates, CNY, EUR and INR derive from the IMF's SDR table, and the other
// eight are approximate market levels for testing. Use your central
// bank's published rates in production.
//
// # Errors and concurrency
//
// Bad input never panics and never loses the other records of a batch:
// every problem of a record is collected in Problems, which is an error
// that unwraps to its *Problem members, and errors.Is(err,
// ErrInvalidRecord) tells whether a record was rejected. A nil reader,
// record, context or callback gives an error wrapping ErrNilArgument, an
// Engine not made by NewEngine ErrZeroEngine; the zero Validator and
// RuleSetRegistry and nil *Rates are ready to use. Validator, Engine and
// RuleSetRegistry are built once and safe for concurrent use. The package
// does not log or print, read the environment or keep global state that
// users must set.
//
// # Limits
//
// Records, rule sets and rate files come from people the caller does not
// control, so every one of them is bounded in size, shape and the work it
// causes, and a breach is a problem of the document, never a crash or an
// unbounded allocation:
//
//   - A record: at most MaxRecordBytes (1 MiB, RECORD_TOO_LARGE), valid
//     UTF-8 without \u escapes of lone surrogates (INVALID_UTF8), nesting
//     of at most 4 levels (TOO_DEEP), no repeated key (DUPLICATE_KEY,
//     reported once per key), JSON numbers of at most 24 characters and 2
//     exponent digits (NUMBER_TOO_LONG). The schema layer checks arrays up
//     to their maxItems (TOO_MANY_ITEMS; the items beyond are not
//     checked), removes members the standard does not define before the
//     schema library sees them (UNKNOWN_FIELD), and validates long
//     top-level arrays one item at a time, so that its work and memory are
//     bounded by the schema, not by the record. At most MaxProblems (100)
//     problems are listed, the first in the order of Problems, and
//     TOO_MANY_PROBLEMS counts the rest; it is an error when one of the
//     rest is, so the list rejects exactly when the full list would. A 1
//     MiB record built for the most problems is checked in about 0.15 s
//     and under 100 MB, most of it the decoded tree; a line that is not a
//     record, such as {}, in about 0.5 µs (see BENCHMARKS.md).
//   - Dates: every date of a record within 1850-01-01 to 2099-12-31
//     (DATE_OUT_OF_RANGE), events of the enterprise not before its
//     registration (DATE_BEFORE_REGISTRATION); names and texts without
//     control, line-separator or bidirectional-control characters
//     (CONTROL_CHARACTER).
//   - A rule set: at most 1 MiB (RULESET_TOO_LARGE), the same number limits
//     (RULESET_NUMBER_TOO_LONG), nesting of at most 8 levels
//     (RULESET_TOO_DEEP), no repeated key (RULESET_MALFORMED_JSON), the
//     counts of schema/ruleset.schema.json (100 sources, characteristics,
//     bins per characteristic and caps; 1000 reasons), and at most
//     MaxProblems problems (RULESET_TOO_MANY_PROBLEMS). The limits apply
//     before the RFC 8785 canonicaliser and the schema library see the
//     file: 1e-9999999 crashed the one and 1e-999999 took the other
//     minutes.
//   - A rates file (LoadRates): at most 4 MiB, the same number limits, no
//     repeated key, rates between 0.000000001 and 1,000,000,000,000.
//   - A Reader holds at most one record of MaxRecordBytes at a time (a
//     longer one is RECORD_TOO_LARGE, and reading goes on), and
//     ScoreStream, Validator.ValidateStream and ProcessStream, which
//     work on every core and hand results on in input order, about three
//     records per worker.
//
// # Speed
//
// Validation decodes a record once, into a tree that a compiled form of
// the record schema checks (exactly as gojsonschema would, which is asked
// only about invalid records, for their errors) and from which the
// Record is typed. Validating a 3.4 KB record costs about what a plain
// encoding/json decode of it into Record costs, scoring it under half
// that; Profile.AppendJSON writes a profile as encoding/json would,
// without reflection. BENCHMARKS.md has the figures, against their
// floors, and the example programs' throughput next to jq.
package credit
