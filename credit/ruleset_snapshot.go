package credit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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
	return nil
}

// Unmodified returns an error wrapping ErrRuleSetModified when rs's
// exported fields were changed after it was loaded, so that its Digest no
// longer describes it. Code that reads a rule set's fields and vouches for
// them with its digest (as credit/cert does when it issues a certificate)
// calls it first.
func (rs *RuleSet) Unmodified() error { return rs.verify() }

// verify returns an error wrapping ErrRuleSetModified when rs's exported
// fields no longer give the snapshot taken at loading.
func (rs *RuleSet) verify() error {
	c, err := contentJSON(rs)
	if err != nil || !bytes.Equal(c, rs.content) {
		return fmt.Errorf("credit: rule set %s %s: %w", rs.ID, rs.Version, ErrRuleSetModified)
	}
	return nil
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
	out.digest = rs.digest
	out.resolved = rs.resolved
	return out, nil
}
