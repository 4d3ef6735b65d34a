package credit

import (
	"bytes"
	"fmt"
	"io/fs"
	"slices"
	"sync"

	"github.com/creditsco/creditsco/credit/rulesets"
)

// SCOBaseID is the id of the SCO baseline rule set, the default for every
// country.
const SCOBaseID = "SCO-BASE"

// RuleSetRegistry holds resolved rule sets by id. It is safe for
// concurrent use. The zero RuleSetRegistry is empty and ready to use; a nil
// *RuleSetRegistry is empty and refuses Register.
type RuleSetRegistry struct {
	mu   sync.RWMutex
	sets map[string]*RuleSet
}

// NewRuleSetRegistry returns an empty registry.
func NewRuleSetRegistry() *RuleSetRegistry {
	return &RuleSetRegistry{sets: map[string]*RuleSet{}}
}

// Register adds a rule set. A rule set that extends another is resolved
// against the registered parent (which must already be there) and the
// resolved rule set is stored; the registered value is returned by
// Lookup. Registering an id twice, a nil rule set, or one changed since it
// was loaded (ErrRuleSetModified) is an error.
func (g *RuleSetRegistry) Register(rs *RuleSet) error {
	if g == nil {
		return fmt.Errorf("%w: Register on a nil registry", ErrNilArgument)
	}
	if rs == nil {
		return fmt.Errorf("credit: Register: nil rule set")
	}
	if err := rs.verify(); err != nil {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.sets == nil {
		g.sets = map[string]*RuleSet{}
	}
	if _, dup := g.sets[rs.ID]; dup {
		return fmt.Errorf("credit: rule set %s is already registered", rs.ID)
	}
	if !rs.resolved {
		parent, ok := g.sets[rs.Extends]
		if !ok {
			return Problems{rsProblem("/extends", CodeRuleSetUnknownParent,
				"rule set %s extends %q, which is not registered", rs.ID, rs.Extends)}
		}
		r, err := resolve(parent, rs)
		if err != nil {
			return err
		}
		rs = r
	}
	g.sets[rs.ID] = rs
	return nil
}

// Lookup returns the rule set with the given id. It is the registry's own
// value, shared by every caller: treat it as read-only (NewEngine refuses
// it once changed).
func (g *RuleSetRegistry) Lookup(id string) (*RuleSet, bool) {
	if g == nil {
		return nil, false
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	rs, ok := g.sets[id]
	return rs, ok
}

// IDs returns the ids of the registered rule sets, sorted.
func (g *RuleSetRegistry) IDs() []string {
	if g == nil {
		return nil
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	ids := make([]string, 0, len(g.sets))
	for id := range g.sets {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// BuiltinRuleSets returns a new registry holding the built-in rule sets
// embedded from credit/rulesets (SCO-BASE and any country rule sets),
// parents registered before the rule sets that extend them. Each call
// returns a fresh registry that the caller may add to, holding fresh
// copies of the rule sets, so that changing one (which NewEngine would
// refuse anyway) cannot affect another caller. The files are parsed and
// checked once per process; a copy costs one JSON decode.
func BuiltinRuleSets() *RuleSetRegistry {
	sets := mustBuiltinSets()
	g := NewRuleSetRegistry()
	for _, rs := range sets {
		c, err := rs.clone()
		if err != nil {
			panic(err) // cannot happen: the snapshot was decoded when loaded
		}
		g.sets[rs.ID] = c
	}
	return g
}

func mustBuiltinSets() []*RuleSet {
	sets, err := builtinSets()
	if err != nil {
		// The tests of this package load every built-in file.
		panic(err)
	}
	return sets
}

var builtinSets = sync.OnceValues(func() ([]*RuleSet, error) {
	names, err := fs.Glob(rulesets.Files, "*.json")
	if err != nil {
		return nil, err
	}
	var pending []*RuleSet
	for _, n := range names {
		data, err := rulesets.Files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		rs, err := LoadRuleSet(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("credit: built-in rule set %s: %w", n, err)
		}
		pending = append(pending, rs)
	}
	g := NewRuleSetRegistry()
	// Register parents first: repeat passes until nothing changes.
	for len(pending) > 0 {
		var rest []*RuleSet
		for _, rs := range pending {
			if rs.Extends != "" {
				if _, ok := g.Lookup(rs.Extends); !ok {
					rest = append(rest, rs)
					continue
				}
			}
			if err := g.Register(rs); err != nil {
				return nil, fmt.Errorf("credit: built-in rule set %s: %w", rs.ID, err)
			}
		}
		if len(rest) == len(pending) {
			return nil, fmt.Errorf("credit: built-in rule set %s extends unknown %s", rest[0].ID, rest[0].Extends)
		}
		pending = rest
	}
	var out []*RuleSet
	for _, id := range g.IDs() {
		rs, _ := g.Lookup(id)
		out = append(out, rs)
	}
	return out, nil
})

// DefaultRuleSet returns a fresh copy of the built-in SCO baseline rule
// set: changing it affects no other caller (and NewEngine refuses the
// changed copy; see RuleSet).
func DefaultRuleSet() *RuleSet {
	for _, rs := range mustBuiltinSets() {
		if rs.ID == SCOBaseID {
			c, err := rs.clone()
			if err != nil {
				panic(err) // cannot happen: the snapshot was decoded when loaded
			}
			return c
		}
	}
	panic("credit: built-in rule set " + SCOBaseID + " is missing")
}
