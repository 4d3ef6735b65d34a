package credit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit/rulesets"
)

func TestRuleSetCanonical(t *testing.T) {
	reg := BuiltinRuleSets()
	base, ok := reg.Lookup(SCOBaseID)
	require.True(t, ok)
	kz, ok := reg.Lookup("SCO-KZ")
	require.True(t, ok)
	for _, rs := range []*RuleSet{base, kz} {
		c := rs.Canonical()
		sum := sha256.Sum256(c)
		assert.Equal(t, "sha256:"+hex.EncodeToString(sum[:]), rs.Digest(), rs.ID)
		c[0] = 'x' // a copy: the rule set keeps its own
		assert.NotEqual(t, c, rs.Canonical())
	}
	// The baseline's form is its embedded file's; an extending rule set's
	// is [parent, own file].
	file, err := rulesets.Files.ReadFile("sco-base.json")
	require.NoError(t, err)
	want, err := canonicalJSON(file)
	require.NoError(t, err)
	assert.Equal(t, want, base.Canonical())
	var pair []json.RawMessage
	require.NoError(t, json.Unmarshal(kz.Canonical(), &pair))
	require.Len(t, pair, 2)
	assert.True(t, bytes.Equal(base.Canonical(), pair[0]))

	// Nothing for a rule set without a digest.
	assert.Nil(t, (*RuleSet)(nil).Canonical())
	assert.Nil(t, (&RuleSet{ID: "X"}).Canonical())
	child, err := LoadRuleSet(bytes.NewReader([]byte(`{"id":"X","version":"1.0.0","extends":"SCO-BASE","description":"d","sources":[]}`)))
	require.NoError(t, err)
	assert.Nil(t, child.Canonical(), "an extending rule set before resolution")
}
