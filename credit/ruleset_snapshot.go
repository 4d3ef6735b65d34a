package credit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/shopspring/decimal"
)

// A RuleSet's exported fields are plain Go values that any holder of the
// pointer can change, while its digest is fixed when it is loaded. An
// engine built from a changed rule set would score with content that its
// digest (printed on every profile and certificate) no longer describes.
// So a loaded rule set keeps a snapshot of its content (the JSON of its
// exported fields, as RuleSet.JSON writes them) taken when the digest was
// computed, and everything that trusts the digest (NewEngine, resolution
// against a parent) first checks that the exported fields still give the
// same snapshot. Built-in rule sets are handed out as fresh copies decoded
// from their snapshots, so that no caller can change another's.

// ErrRuleSetModified is returned (wrapped) by NewEngine and
// RuleSetRegistry.Register when a rule set's exported fields were changed
// after it was loaded, so that its digest no longer describes it.
var ErrRuleSetModified = errors.New("rule set modified after loading; load it again or use NewRuleSet")

// contentJSON writes the exported content of rs in the form of its JSON
// file (docOf), also for a resolved rule set, which RuleSet.JSON refuses.
// Maps are written with sorted keys and decimals in their shortest exact
// form, so equal content gives equal bytes.
func contentJSON(rs *RuleSet) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(docOf(rs)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// seal records the snapshot of rs's current content. It is called once
// the digest is set, by the loader and by resolution.
func (rs *RuleSet) seal() error {
	c, err := contentJSON(rs)
	if err != nil {
		return fmt.Errorf("credit: rule set %s: %w", rs.ID, err)
	}
	rs.content = c
	p, err := rs.clone()
	if err != nil {
		return err
	}
	rs.pristine = p
	return nil
}

// Unmodified returns an error wrapping ErrRuleSetModified when rs's
// exported fields were changed after it was loaded, so that its Digest no
// longer describes it. Code that reads a rule set's fields and vouches for
// them with its digest (as credit/cert does when it issues a certificate)
// calls it first.
func (rs *RuleSet) Unmodified() error { return rs.verify() }

// verify returns an error wrapping ErrRuleSetModified when rs's exported
// fields differ from the private copy taken at loading, or when rs was
// never loaded (a RuleSet literal, which has no digest to vouch for it).
// A walk of the fields is an order of magnitude cheaper than encoding
// them again, and Issue and Verify call this per certificate.
func (rs *RuleSet) verify() error {
	if rs == nil {
		return fmt.Errorf("%w: nil rule set", ErrNilArgument)
	}
	if rs.pristine == nil || !sameContent(reflect.ValueOf(rs).Elem(), reflect.ValueOf(rs.pristine).Elem()) {
		return fmt.Errorf("credit: rule set %s %s: %w", rs.ID, rs.Version, ErrRuleSetModified)
	}
	return nil
}

var (
	decimalType = reflect.TypeFor[decimal.Decimal]()
	rawType     = reflect.TypeFor[json.RawMessage]()
)

// sameContent reports whether a and b hold the same exported content:
// decimals equal in value (a file's "1.50" and its snapshot's "1.5" are
// the same number), raw JSON equal once compacted, unexported fields
// ignored.
func sameContent(a, b reflect.Value) bool {
	switch t := a.Type(); {
	case t == decimalType:
		return decimalOf(a).Equal(*decimalOf(b))
	case t == rawType:
		return sameJSON(a.Bytes(), b.Bytes())
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameContent(a.Elem(), b.Elem())
	case reflect.Struct:
		for _, i := range exportedFields(a.Type()) {
			if !sameContent(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameContent(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() || !sameContent(a.MapIndex(k), bv) {
				return false
			}
		}
		return true
	default:
		return a.Equal(b)
	}
}

// decimalOf reads a decimal without boxing it when it is addressable (a
// field reached through a pointer), as nearly every decimal of a rule set
// is.
func decimalOf(v reflect.Value) *decimal.Decimal {
	if v.CanAddr() {
		return v.Addr().Interface().(*decimal.Decimal)
	}
	d := v.Interface().(decimal.Decimal)
	return &d
}

// exportedFieldsByType caches the indices of the exported fields of the
// rule-set types that sameContent walks.
var exportedFieldsByType sync.Map // reflect.Type → []int

func exportedFields(t reflect.Type) []int {
	if f, ok := exportedFieldsByType.Load(t); ok {
		return f.([]int)
	}
	var idx []int
	for i := range t.NumField() {
		if t.Field(i).IsExported() {
			idx = append(idx, i)
		}
	}
	exportedFieldsByType.Store(t, idx)
	return idx
}

func sameJSON(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var ca, cb bytes.Buffer
	return json.Compact(&ca, a) == nil && json.Compact(&cb, b) == nil && bytes.Equal(ca.Bytes(), cb.Bytes())
}

// clone returns a deep copy of the loaded content of rs (its snapshot,
// not its possibly changed exported fields) with the same digest. Decoding
// the snapshot skips the schema and semantic checks, which the snapshot
// passed when it was taken, so a copy costs one JSON decode.
func (rs *RuleSet) clone() (*RuleSet, error) {
	out := new(RuleSet)
	if err := json.Unmarshal(rs.content, out); err != nil {
		return nil, fmt.Errorf("credit: copying rule set %s: %w", rs.ID, err)
	}
	out.canon = rs.canon // never written after loading
	out.content = rs.content
	out.pristine = rs.pristine
	out.digest = rs.digest
	out.resolved = rs.resolved
	return out, nil
}
