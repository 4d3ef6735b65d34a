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
