package credit

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/creditsco/creditsco/credit/rulesets"
)

// SCOBaseID is the id of the SCO baseline rule set, the default for every
// country that has no rule set of its own.
const SCOBaseID = "SCO-BASE"

// ErrNoRuleSet is returned (wrapped) by RuleSetRegistry.Select and by a
// Scorer when no registered rule set scores a record of the country at
// the date.
var ErrNoRuleSet = errors.New("credit: no rule set")

// RuleSetRegistry holds resolved rule sets by id and version and answers
// which one scores a record of a country as of a date (Select). It is safe
// for concurrent use.
//
// Several versions of one id may be registered; id and version together
// are unique. Selection for a country takes the rule sets of that country
// (RuleSet.Country) whose effective_from is on or before the date, newest
// effective_from first; among those effective from the same date, the id
// registered last, and of that id the highest version; a country without one falls back to the baseline, SCO-BASE, chosen
// the same way among its versions. SetDefault pins a country (or the
// fallback) to an id instead, so a user can replace a built-in country rule
// set in their own registry without touching anyone else's.
// RegisterRetired keeps earlier versions for verification only.
//
// The zero RuleSetRegistry is empty and ready to use. A nil
// *RuleSetRegistry reads as empty (Select finds no rule set), and Register
// and SetDefault on it are errors wrapping ErrNilArgument.
type RuleSetRegistry struct {
	mu       sync.RWMutex
	sets     map[string][]*RuleSet // by id, highest version first
	seq      map[*RuleSet]int      // registration order
	next     int
	defaults map[string]string // country ("" for the fallback) → pinned id
	retired  map[*RuleSet]bool // registered by RegisterRetired
}

// NewRuleSetRegistry returns an empty registry.
func NewRuleSetRegistry() *RuleSetRegistry {
	return &RuleSetRegistry{sets: map[string][]*RuleSet{}, seq: map[*RuleSet]int{}, defaults: map[string]string{}}
}

// Register adds a rule set. A rule set that extends another is resolved
// against the highest registered version of its parent that is not
// retired (which must already be there) and the resolved rule set is
// stored; the registered value is returned by Lookup. Registering an id
// and version twice, a nil rule set, or one changed since it was loaded
// (ErrRuleSetModified) is an error.
func (g *RuleSetRegistry) Register(rs *RuleSet) error {
	return g.register("Register", rs, false, "")
}

// RegisterRetired adds a rule set that certificates were issued under but
// that no longer scores: LookupVersion and Versions find it, so that those
// certificates keep verifying, while Lookup, Select and SetDefault pass it
// by. A rule set that extends another is resolved against version
// parentVersion of its parent, retired or not, which must be registered:
// a rule set's digest covers its parent's file, so an earlier version
// keeps its digest only beside the parent it was issued with. For a
// stand-alone rule set parentVersion must be empty. The errors are those
// of Register.
func (g *RuleSetRegistry) RegisterRetired(rs *RuleSet, parentVersion string) error {
	return g.register("RegisterRetired", rs, true, parentVersion)
}

func (g *RuleSetRegistry) register(op string, rs *RuleSet, retired bool, parentVersion string) error {
	if g == nil {
		return fmt.Errorf("%w: %s on a nil registry", ErrNilArgument, op)
	}
	if rs == nil {
		return fmt.Errorf("credit: %s: nil rule set", op)
	}
	if err := rs.verify(); err != nil {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.lookupVersion(rs.ID, rs.Version) != nil {
		return fmt.Errorf("credit: rule set %s %s is already registered", rs.ID, rs.Version)
	}
	if rs.resolved && parentVersion != "" {
		return fmt.Errorf("credit: rule set %s %s stands alone (or is resolved already): it takes no parent version", rs.ID, rs.Version)
	}
	if !rs.resolved {
		r, err := g.resolveAgainst(rs, retired, parentVersion)
		if err != nil {
			return err
		}
		rs = r
	}
	g.add(rs)
	if retired {
		if g.retired == nil {
			g.retired = map[*RuleSet]bool{}
		}
		g.retired[rs] = true
	}
	return nil
}

// resolveAgainst resolves rs against its parent: the current one, or for
// a retired rule set the version named. The caller holds the write lock.
func (g *RuleSetRegistry) resolveAgainst(rs *RuleSet, retired bool, parentVersion string) (*RuleSet, error) {
	if !retired {
		parent := g.lookup(rs.Extends)
		if parent == nil {
			return nil, Problems{rsProblem("/extends", CodeRuleSetUnknownParent,
				"rule set %s extends %q, which is not registered", rs.ID, rs.Extends)}
		}
		return resolve(parent, rs)
	}
	parent := g.lookupVersion(rs.Extends, parentVersion)
	if parent == nil {
		return nil, Problems{rsProblem("/extends", CodeRuleSetUnknownParent,
			"rule set %s extends %q version %q, which is not registered", rs.ID, rs.Extends, parentVersion)}
	}
	return resolve(parent, rs)
}

// add stores a resolved rule set; the caller holds the write lock.
func (g *RuleSetRegistry) add(rs *RuleSet) {
	if g.sets == nil { // the zero RuleSetRegistry
		g.sets, g.seq = map[string][]*RuleSet{}, map[*RuleSet]int{}
	}
	vs := append(g.sets[rs.ID], rs)
	slices.SortStableFunc(vs, func(a, b *RuleSet) int { return compareVersions(b.Version, a.Version) })
	g.sets[rs.ID] = vs
	g.seq[rs] = g.next
	g.next++
}

// Lookup returns the highest registered version of the rule set with the
// given id, retired versions (RegisterRetired) passed by. It is the registry's own value, shared by every caller: treat
// it as read-only (NewEngine refuses it once changed).
func (g *RuleSetRegistry) Lookup(id string) (*RuleSet, bool) {
	if g == nil {
		return nil, false
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	rs := g.lookup(id)
	return rs, rs != nil
}

// LookupVersion returns the rule set with the given id and version, as
// Lookup does.
func (g *RuleSetRegistry) LookupVersion(id, version string) (*RuleSet, bool) {
	if g == nil {
		return nil, false
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	rs := g.lookupVersion(id, version)
	return rs, rs != nil
}

func (g *RuleSetRegistry) lookup(id string) *RuleSet {
	for _, rs := range g.sets[id] {
		if !g.retired[rs] {
			return rs
		}
	}
	return nil
}

func (g *RuleSetRegistry) lookupVersion(id, version string) *RuleSet {
	for _, rs := range g.sets[id] {
		if rs.Version == version {
			return rs
		}
	}
	return nil
}

// Retired reports whether version of the rule set id was registered with
// RegisterRetired: kept for verification, never chosen to score.
func (g *RuleSetRegistry) Retired(id, version string) bool {
	if g == nil {
		return false
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	rs := g.lookupVersion(id, version)
	return rs != nil && g.retired[rs]
}

// IDs returns the ids of the registered rule sets, sorted, each once.
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

// Versions returns the registered versions of the rule set with the given
// id, highest first.
func (g *RuleSetRegistry) Versions(id string) []string {
	if g == nil {
		return nil
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	var out []string
	for _, rs := range g.sets[id] {
		out = append(out, rs.Version)
	}
	return out
}

// SetDefault pins the rule set that scores records of country (an ISO
// 3166-1 alpha-2 code; "" for the fallback of countries without a rule set
// of their own) to the registered id: Select then chooses among the
// versions of that id only, the newest effective one. It replaces the
// selection by country and effective date for that country in this
// registry alone. The id must be registered.
func (g *RuleSetRegistry) SetDefault(country, id string) error {
	if g == nil {
		return fmt.Errorf("%w: SetDefault on a nil registry", ErrNilArgument)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.lookup(id) == nil {
		return fmt.Errorf("credit: SetDefault: rule set %s is not registered", id)
	}
	if g.defaults == nil {
		g.defaults = map[string]string{}
	}
	g.defaults[country] = id
	return nil
}

// Select returns the rule set that scores a record of country as of the
// date asOf (see RuleSetRegistry for the order). The error wraps
// ErrNoRuleSet when there is none: a country without a rule set of its
// own and no effective fallback, or a pinned id with no version effective
// at asOf.
func (g *RuleSetRegistry) Select(country string, asOf Date) (*RuleSet, error) {
	return g.selector().pick(country, asOf)
}

// selector returns a snapshot of what selection needs, so that a Scorer
// selects without locks or allocation.
func (g *RuleSetRegistry) selector() *selector {
	s := &selector{byCountry: map[string][]choice{}, pinned: map[string]bool{}, baseID: SCOBaseID}
	if g == nil {
		return s
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	// Among rule sets effective from the same date, the id registered (in
	// any version) last wins, and within an id the highest version.
	idSeq := map[string]int{}
	for rs, n := range g.seq {
		if g.retired[rs] {
			continue // registering an old version moves no id ahead
		}
		idSeq[rs.ID] = max(idSeq[rs.ID], n)
	}
	byRecency := func(cs []choice) {
		slices.SortStableFunc(cs, func(a, b choice) int {
			if c := b.from.Compare(a.from); c != 0 {
				return c
			}
			if c := idSeq[b.rs.ID] - idSeq[a.rs.ID]; c != 0 {
				return c
			}
			return compareVersions(b.rs.Version, a.rs.Version)
		})
	}
	versions := func(id string) []choice {
		var cs []choice
		for _, rs := range g.sets[id] {
			if !g.retired[rs] {
				cs = append(cs, choiceOf(rs))
			}
		}
		byRecency(cs)
		return cs
	}
	for _, vs := range g.sets {
		for _, rs := range vs {
			if rs.Country != "" && !g.retired[rs] {
				s.byCountry[rs.Country] = append(s.byCountry[rs.Country], choiceOf(rs))
			}
		}
	}
	for cc, cs := range s.byCountry {
		byRecency(cs)
		s.byCountry[cc] = cs
	}
	for cc, id := range g.defaults {
		if cc == "" {
			continue
		}
		s.byCountry[cc] = versions(id)
		s.pinned[cc] = true
	}
	base := SCOBaseID
	if id, ok := g.defaults[""]; ok {
		base = id
	}
	s.baseID = base
	s.base = versions(base)
	return s
}

// choice is one rule set a selector may pick, with its effective date
// (the zero Date when the rule set states none, effective always).
type choice struct {
	from Date
	rs   *RuleSet
}

func choiceOf(rs *RuleSet) choice {
	from, _ := ParseDate(rs.EffectiveFrom) // checked when the rule set was loaded; "" gives the zero Date
	return choice{from: from, rs: rs}
}

// selector picks rule sets by country and date from a snapshot of a
// registry: per country, the candidates newest first.
type selector struct {
	byCountry map[string][]choice
	pinned    map[string]bool
	base      []choice
	baseID    string
}

func (s *selector) pick(country string, asOf Date) (*RuleSet, error) {
	if rs := firstEffective(s.byCountry[country], asOf); rs != nil {
		return rs, nil
	}
	if s.pinned[country] {
		return nil, fmt.Errorf("%w for %s as of %s: no version of the rule set set as its default is effective", ErrNoRuleSet, country, asOf)
	}
	if rs := firstEffective(s.base, asOf); rs != nil {
		return rs, nil
	}
	return nil, fmt.Errorf("%w for %s as of %s: no rule set of the country and no effective version of %s", ErrNoRuleSet, country, asOf, s.baseID)
}

// firstEffective returns the first candidate effective at asOf.
func firstEffective(cs []choice, asOf Date) *RuleSet {
	for i := range cs {
		if !cs[i].from.After(asOf) {
			return cs[i].rs
		}
	}
	return nil
}

// all returns every rule set the selector can pick, each once, in a fixed
// order.
func (s *selector) all() []*RuleSet {
	var out []*RuleSet
	add := func(cs []choice) {
		for _, c := range cs {
			if !slices.Contains(out, c.rs) {
				out = append(out, c.rs)
			}
		}
	}
	add(s.base)
	ccs := make([]string, 0, len(s.byCountry))
	for cc := range s.byCountry {
		ccs = append(ccs, cc)
	}
	slices.Sort(ccs)
	for _, cc := range ccs {
		add(s.byCountry[cc])
	}
	return out
}

// compareVersions compares two MAJOR.MINOR.PATCH versions numerically
// (the schema guarantees the form); leading zeros do not count, and any
// number of digits is compared exactly.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range min(len(as), len(bs)) {
		x, y := strings.TrimLeft(as[i], "0"), strings.TrimLeft(bs[i], "0")
		if len(x) != len(y) {
			return len(x) - len(y)
		}
		if c := strings.Compare(x, y); c != 0 {
			return c
		}
	}
	return len(as) - len(bs)
}

// BuiltinRuleSets returns a new registry holding the built-in rule sets
// embedded from credit/rulesets: SCO-BASE and the rule set of every SCO
// member and observer state (SCO-CN, SCO-RU, …), each extending SCO-BASE.
// Each call returns a fresh registry that the caller may add to or pin
// (SetDefault), holding fresh copies of the rule sets, so that changing one
// (which NewEngine would refuse anyway) cannot affect another caller. The
// files are parsed and checked once per process; a copy costs one JSON
// decode per rule set.
//
// The registry also holds the built-in versions of earlier releases,
// retired (RegisterRetired; see credit/rulesets/history), so that the
// certificates issued under them keep verifying.
func BuiltinRuleSets() *RuleSetRegistry {
	g := NewRuleSetRegistry()
	g.retired = map[*RuleSet]bool{}
	for _, rs := range mustBuiltinSets() {
		g.add(mustClone(rs))
	}
	for _, rs := range mustRetiredBuiltinSets() {
		c := mustClone(rs)
		g.add(c)
		g.retired[c] = true
	}
	return g
}

func mustClone(rs *RuleSet) *RuleSet {
	c, err := rs.clone()
	if err != nil {
		panic(err) // cannot happen: the snapshot was decoded when loaded
	}
	return c
}

func mustBuiltinSets() []*RuleSet {
	sets, err := builtinSets()
	if err != nil {
		// The tests of this package load every built-in file.
		panic(err)
	}
	return sets
}

func mustRetiredBuiltinSets() []*RuleSet {
	sets, err := retiredBuiltinSets()
	if err != nil {
		panic(err) // as mustBuiltinSets
	}
	return sets
}

// builtinSets loads the embedded files, parents registered before the rule
// sets that extend them, and returns the resolved rule sets in order of
// registration.
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
	var out []*RuleSet
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
			r, _ := g.LookupVersion(rs.ID, rs.Version)
			out = append(out, r)
		}
		if len(rest) == len(pending) {
			return nil, fmt.Errorf("credit: built-in rule set %s extends unknown %s", rest[0].ID, rest[0].Extends)
		}
		pending = rest
	}
	return out, nil
})

// DefaultRuleSet returns a fresh copy of the built-in SCO baseline rule
// set (its highest version): changing it affects no other caller (and
// NewEngine refuses the changed copy; see RuleSet).
func DefaultRuleSet() *RuleSet {
	var base *RuleSet
	for _, rs := range mustBuiltinSets() {
		if rs.ID == SCOBaseID && (base == nil || compareVersions(rs.Version, base.Version) > 0) {
			base = rs
		}
	}
	if base == nil {
		panic("credit: built-in rule set " + SCOBaseID + " is missing")
	}
	c, err := base.clone()
	if err != nil {
		panic(err) // cannot happen: the snapshot was decoded when loaded
	}
	return c
}
