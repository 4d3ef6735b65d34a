// Package jsontree holds what the differential tests of the module do to
// decoded JSON trees (map[string]any, []any and scalars, as
// encoding/json decodes with UseNumber): copy them and reach every
// member and item, to mutate documents into near-valid variants.
package jsontree

import (
	"maps"
	"slices"
)

// Copy returns a deep copy of the tree v.
func Copy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = Copy(x)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			a[i] = Copy(x)
		}
		return a
	}
	return v
}

// A Slot is a place in a tree: a member of an object or an item of an
// array.
type Slot struct {
	obj map[string]any
	arr []any
	key string
	i   int
}

// Slots returns every member and item of the tree v, depth first, the
// members of an object in key order, so that a seeded choice among them
// repeats.
func Slots(v any) []Slot {
	var out []Slot
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(t)) {
				out = append(out, Slot{obj: t, key: k})
				walk(t[k])
			}
		case []any:
			for i, x := range t {
				out = append(out, Slot{arr: t, i: i})
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

// InObject reports whether the slot is a member of an object (else an
// item of an array).
func (s Slot) InObject() bool { return s.obj != nil }

// Get returns the slot's value.
func (s Slot) Get() any {
	if s.obj != nil {
		return s.obj[s.key]
	}
	return s.arr[s.i]
}

// Set replaces the slot's value.
func (s Slot) Set(v any) {
	if s.obj != nil {
		s.obj[s.key] = v
	} else {
		s.arr[s.i] = v
	}
}

// Delete removes a member; it does nothing to an item.
func (s Slot) Delete() {
	if s.obj != nil {
		delete(s.obj, s.key)
	}
}

// Add sets member key of the slot's object; it does nothing to an item.
func (s Slot) Add(key string, v any) {
	if s.obj != nil {
		s.obj[key] = v
	}
}

// Neighbour returns the value of the next item of the slot's array (the
// first after the last), for making repeats; nil for a member.
func (s Slot) Neighbour() any {
	if s.obj != nil {
		return nil
	}
	return s.arr[(s.i+1)%len(s.arr)]
}
