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
// decimal library's package-level settings. Amounts in records are JSON
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
// ErrInvalidRecord) tells whether a record was rejected. Validator, Engine
// and RuleSetRegistry are built once and safe for concurrent use. The
// package does not log or print, read the environment or keep global state
// that users must set.
package credit
