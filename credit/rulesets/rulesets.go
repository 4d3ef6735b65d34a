// Package rulesets holds the built-in scoring rule sets of creditsco as
// JSON files, embedded so that what a partner audits is the very file the
// engine runs. Load them with credit.BuiltinRuleSets.
package rulesets

import "embed"

// Files holds every built-in rule set, by file name (e.g. "sco-base.json"),
// and under history/ the files of earlier releases (see credit.BuiltinRuleSets).
//
//go:embed *.json history/*.json
var Files embed.FS
