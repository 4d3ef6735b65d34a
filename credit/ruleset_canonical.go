package credit

import "slices"

// Canonical returns the bytes whose SHA-256 is the rule set's Digest: the
// RFC 8785 (JCS) form of its JSON file, and for a resolved rule set that
// extends another, the JCS form of the array [parent's form, own file]
// (see Digest). It is what a service publishes so that anyone can check
// the digest that profiles and certificates carry against the rule set's
// content. It returns nil when Digest is empty: a RuleSet not loaded, or
// an extending rule set not yet resolved. The bytes are a copy.
func (rs *RuleSet) Canonical() []byte {
	if rs == nil || rs.digest == "" {
		return nil
	}
	return slices.Clone(rs.canon)
}
