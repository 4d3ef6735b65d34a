package ident

import (
	"errors"
	"slices"
	"strings"
	"sync"
)

// Registry maps scheme names to schemes. It is safe for concurrent use: lookups
// take a read lock only, so validation on many goroutines does not contend.
// Schemes cannot be removed or replaced, so a name seen once keeps its meaning.
// The zero Registry is empty and ready to use; a nil *Registry is empty and
// refuses Register.
type Registry struct {
	mu      sync.RWMutex
	schemes map[string]Scheme
}

// NewRegistry returns a registry holding the given schemes. It fails like
// Register on a nil scheme, an empty name or a duplicate name.
func NewRegistry(schemes ...Scheme) (*Registry, error) {
	r := &Registry{schemes: make(map[string]Scheme, len(schemes))}
	for _, s := range schemes {
		if err := r.Register(s); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Register adds s. It returns an error for a nil scheme, an empty name or a name
// already registered: silently replacing a scheme would change the meaning of
// stored records, so it is refused rather than overwritten.
func (r *Registry) Register(s Scheme) error {
	if r == nil {
		return errors.New("ident: Register: nil registry")
	}
	if s == nil {
		return errors.New("ident: Register: nil scheme")
	}
	name := s.Name()
	if name == "" {
		return errors.New("ident: Register: empty scheme name")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.schemes == nil {
		r.schemes = make(map[string]Scheme)
	}
	if _, dup := r.schemes[name]; dup {
		return errors.New("ident: Register: scheme " + name + " already registered")
	}
	r.schemes[name] = s
	return nil
}

// Lookup returns the scheme registered under name. Names are matched exactly
// (they are fixed identifiers, not user text).
func (r *Registry) Lookup(name string) (Scheme, bool) {
	if r == nil {
		return nil, false
	}
	r.mu.RLock()
	s, ok := r.schemes[name]
	r.mu.RUnlock()
	return s, ok
}

// Schemes returns the registered names in sorted order.
func (r *Registry) Schemes() []string {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	names := make([]string, 0, len(r.schemes))
	for n := range r.schemes {
		names = append(names, n)
	}
	r.mu.RUnlock()
	slices.Sort(names)
	return names
}

// ForCountry returns the schemes issued by the country with ISO 3166-1 alpha-2
// code cc (case-insensitive), sorted by name. Country-less schemes such as LEI
// are not included: they apply everywhere and a caller asking "what does
// Kazakhstan issue" should not get them.
func (r *Registry) ForCountry(cc string) []Scheme {
	cc = strings.ToUpper(cc)
	if cc == "" || r == nil {
		return nil
	}
	var out []Scheme
	r.mu.RLock()
	for _, s := range r.schemes {
		if s.Country() == cc {
			out = append(out, s)
		}
	}
	r.mu.RUnlock()
	slices.SortFunc(out, func(a, b Scheme) int { return strings.Compare(a.Name(), b.Name()) })
	return out
}

// Validate looks up scheme and validates value with it, returning the
// normalized value. An unregistered scheme gives an *Error with Kind
// ErrUnknownScheme whose message lists the registered schemes. The
// normalized value is returned even when it is invalid, so callers can show
// what was checked.
func (r *Registry) Validate(scheme, value string) (string, error) {
	s, ok := r.Lookup(scheme)
	if !ok {
		return "", &Error{Scheme: scheme, Kind: ErrUnknownScheme,
			Detail: "no scheme with this name is registered; known schemes: " + strings.Join(r.Schemes(), ", ")}
	}
	n := s.Normalize(value)
	return n, s.Validate(n)
}

// defaultRegistry is built on first use; no init() side effects.
var defaultRegistry = sync.OnceValue(func() *Registry {
	r, err := NewRegistry(Builtins()...)
	if err != nil {
		panic(err) // unreachable: built-in names are unique, a test asserts it
	}
	return r
})

// Default returns the package-level registry holding all built-in schemes. It is
// shared by the whole process; use NewRegistry(Builtins()...) for an isolated one.
func Default() *Registry { return defaultRegistry() }

// Register adds s to the default registry. See Registry.Register.
func Register(s Scheme) error { return Default().Register(s) }

// Lookup finds a scheme in the default registry. See Registry.Lookup.
func Lookup(name string) (Scheme, bool) { return Default().Lookup(name) }

// Schemes returns the sorted names in the default registry.
func Schemes() []string { return Default().Schemes() }

// ForCountry returns the default registry's schemes of country cc. See
// Registry.ForCountry.
func ForCountry(cc string) []Scheme { return Default().ForCountry(cc) }

// Validate validates value with the named scheme of the default registry and
// returns the normalized value. See Registry.Validate.
func Validate(scheme, value string) (normalized string, err error) {
	return Default().Validate(scheme, value)
}
