package credit

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/creditsco/creditsco/credit/rulesets"
)

// retiredBuiltins are the built-in rule sets of earlier releases, each
// file as it was released, in credit/rulesets/history, with the version
// of the parent it was resolved against then. A rule set's digest covers
// its parent's file, and extends names the parent by id alone, so a
// retired version needs its parent named here to keep the digest its
// certificates carry. Parents come before the rule sets that extend them.
var retiredBuiltins = []struct{ file, parentVersion string }{
	// SCO-BASE 2.1.0 and the country rule sets 1.0.0 that extended it,
	// replaced by SCO-BASE 2.2.0 (a margin of conservatism added to its
	// PDs, no effective_from) and the countries' 1.1.0.
	{"history/sco-base-2.1.0.json", ""},
	{"history/af-1.0.0.json", "2.1.0"},
	{"history/by-1.0.0.json", "2.1.0"},
	{"history/cn-1.0.0.json", "2.1.0"},
	{"history/in-1.0.0.json", "2.1.0"},
	{"history/ir-1.0.0.json", "2.1.0"},
	{"history/kg-1.0.0.json", "2.1.0"},
	{"history/kz-1.0.0.json", "2.1.0"},
	{"history/mn-1.0.0.json", "2.1.0"},
	{"history/pk-1.0.0.json", "2.1.0"},
	{"history/ru-1.0.0.json", "2.1.0"},
	{"history/tj-1.0.0.json", "2.1.0"},
	{"history/uz-1.0.0.json", "2.1.0"},
}

// retiredBuiltinSets loads retiredBuiltins, resolved, in their order.
var retiredBuiltinSets = sync.OnceValues(func() ([]*RuleSet, error) {
	g := NewRuleSetRegistry()
	for _, rs := range mustBuiltinSets() {
		g.add(rs)
	}
	var out []*RuleSet
	for _, r := range retiredBuiltins {
		data, err := rulesets.Files.ReadFile(r.file)
		if err != nil {
			return nil, err
		}
		rs, err := LoadRuleSet(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("credit: built-in rule set %s: %w", r.file, err)
		}
		if err := g.RegisterRetired(rs, r.parentVersion); err != nil {
			return nil, fmt.Errorf("credit: built-in rule set %s: %w", r.file, err)
		}
		got, _ := g.LookupVersion(rs.ID, rs.Version)
		out = append(out, got)
	}
	return out, nil
})
