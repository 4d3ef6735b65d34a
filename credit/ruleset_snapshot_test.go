package credit

import (
	"bytes"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// emsTopBin returns the points of the best fin_ems bin of rs.
func emsTopBin(t *testing.T, rs *RuleSet) *decimal.Decimal {
	t.Helper()
	for i := range rs.Characteristics {
		if c := &rs.Characteristics[i]; c.ID == "fin_ems" {
			return &c.Bins[len(c.Bins)-1].Points
		}
	}
	t.Fatal("no fin_ems")
	return nil
}

// TestRuleSetMutation: a rule set changed after loading cannot score under
// its old digest, and changing one copy never changes another.
func TestRuleSetMutation(t *testing.T) {
	kzRegistry := func(t *testing.T) *RuleSetRegistry {
		g := BuiltinRuleSets()
		child, err := LoadRuleSet(bytes.NewReader(mustRead(t, "../testdata/rulesets/kz-example.json")))
		require.NoError(t, err)
		require.NoError(t, g.Register(child))
		return g
	}
	tests := []struct {
		name string
		get  func(t *testing.T) *RuleSet
	}{
		{"DefaultRuleSet", func(*testing.T) *RuleSet { return DefaultRuleSet() }},
		{"BuiltinRuleSets", func(*testing.T) *RuleSet { rs, _ := BuiltinRuleSets().Lookup(SCOBaseID); return rs }},
		{"LoadRuleSet", func(t *testing.T) *RuleSet {
			rs, err := LoadRuleSet(bytes.NewReader(mustRead(t, "rulesets/sco-base.json")))
			require.NoError(t, err)
			return rs
		}},
		{"resolved from a registry", func(t *testing.T) *RuleSet { rs, _ := kzRegistry(t).Lookup("KZ-EXAMPLE"); return rs }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := tc.get(t)
			digest := rs.Digest()
			_, err := NewEngine(rs, EngineOptions{})
			require.NoError(t, err, "unchanged")

			*emsTopBin(t, rs) = decimal.NewFromInt(500)
			_, err = NewEngine(rs, EngineOptions{})
			assert.ErrorIs(t, err, ErrRuleSetModified)
			assert.ErrorContains(t, err, "rule set modified after loading; load it again or use NewRuleSet")
			assert.ErrorIs(t, NewRuleSetRegistry().Register(rs), ErrRuleSetModified)
			assert.Equal(t, digest, rs.Digest(), "the digest is that of the loaded content")

			// Other copies are unaffected.
			assert.Equal(t, "0", emsTopBin(t, DefaultRuleSet()).String())
			fresh, _ := BuiltinRuleSets().Lookup(SCOBaseID)
			assert.Equal(t, "0", emsTopBin(t, fresh).String())
			_, err = NewEngine(fresh, EngineOptions{})
			assert.NoError(t, err)

			// Changing it back makes it usable again: the check is on
			// content, not on having been touched.
			*emsTopBin(t, rs) = decimal.Zero
			_, err = NewEngine(rs, EngineOptions{})
			assert.NoError(t, err)
		})
	}

	t.Run("nested parts of a resolved rule set are not shared with its parent", func(t *testing.T) {
		g := kzRegistry(t)
		kz, _ := g.Lookup("KZ-EXAMPLE")
		kz.MasterScale.Grades[0].PDUpper = decimal.RequireFromString("0.0002")
		kz.Reasons["FIN_EMS_LOW"] = ReasonText{EN: "changed"}
		base, _ := g.Lookup(SCOBaseID)
		_, err := NewEngine(base, EngineOptions{})
		assert.NoError(t, err)
		assert.Equal(t, "0.000141", base.MasterScale.Grades[0].PDUpper.String())
		_, err = NewEngine(kz, EngineOptions{})
		assert.ErrorIs(t, err, ErrRuleSetModified)
	})

	t.Run("a parent changed after loading cannot be extended", func(t *testing.T) {
		g := BuiltinRuleSets()
		base, _ := g.Lookup(SCOBaseID)
		base.Parameters["payment_grace_days"] = SourcedValue{Value: decimal.NewFromInt(30), Source: "changed"}
		child, err := LoadRuleSet(bytes.NewReader(mustRead(t, "../testdata/rulesets/kz-example.json")))
		require.NoError(t, err)
		assert.ErrorIs(t, g.Register(child), ErrRuleSetModified)
	})

	t.Run("the engine keeps its own copy", func(t *testing.T) {
		rs := DefaultRuleSet()
		e, err := NewEngine(rs, EngineOptions{})
		require.NoError(t, err)
		before := scoreOf(t, e, goodRecord())
		*emsTopBin(t, rs) = decimal.NewFromInt(500)
		*emsTopBin(t, e.RuleSet()) = decimal.NewFromInt(500)
		assert.Equal(t, before, scoreOf(t, e, goodRecord()))
		assert.Equal(t, "0", emsTopBin(t, e.RuleSet()).String())
	})

	t.Run("NewRuleSet gives changed content its own digest", func(t *testing.T) {
		rs := DefaultRuleSet()
		*emsTopBin(t, rs) = decimal.NewFromInt(25)
		rs.Version = "1.1.1"
		changed, err := NewRuleSet(*rs)
		require.NoError(t, err)
		assert.NotEqual(t, DefaultRuleSet().Digest(), changed.Digest())
		e, err := NewEngine(changed, EngineOptions{})
		require.NoError(t, err)
		p := scoreOf(t, e, goodRecord())
		assert.Equal(t, changed.Digest(), p.RuleSet.Digest)
		base := scoreOf(t, baseEngine(t, EngineOptions{}), goodRecord())
		assert.Equal(t, base.Score+25, p.Score, "the changed points (0 to 25) are the ones scored")
	})
}

// TestBuiltinCopyIsFaithful: a copy decoded from the snapshot has the
// content of the embedded file (same JSON form, digest and resolution).
func TestBuiltinCopyIsFaithful(t *testing.T) {
	loaded, err := LoadRuleSet(bytes.NewReader(mustRead(t, "rulesets/sco-base.json")))
	require.NoError(t, err)
	want, err := loaded.JSON()
	require.NoError(t, err)
	for range 2 {
		rs := DefaultRuleSet()
		got, err := rs.JSON()
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got))
		assert.Equal(t, loaded.Digest(), rs.Digest())
		assert.True(t, rs.Resolved())
	}
}
