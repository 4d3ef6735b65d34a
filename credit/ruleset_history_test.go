package credit

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRetiredBuiltins checks that the built-in rule sets of earlier
// releases keep the digests their certificates carry (taken from the
// certificates of that release, testdata/released/certificates), are
// found by version, and are never chosen to score.
func TestRetiredBuiltins(t *testing.T) {
	released := map[string]string{
		"SCO-AF": "sha256:d33f70f04e7ed8ba3281a1054df74ce67223758965622ed35ee233666cd01f50",
		"SCO-BY": "sha256:0f92523139b0dea74885a27cc49a4787d5074fb237938badf2bf31a9d7a87cc0",
		"SCO-CN": "sha256:4b66ff5e1677f39e9c4d2dbab47214d87ab8f17a8a440b828b218bc3a60a54e3",
		"SCO-IN": "sha256:f08f569e79df2f4bbe7cce3b96cddc027fa8c449e3ad78aa8f777472948435f2",
		"SCO-IR": "sha256:e84843fb8f1ef5741515209e813d2cb7184be2313c85a7e595012fca8b1d3d47",
		"SCO-KG": "sha256:da131abb47a86201bf74123452f92052b388a426fd36cebb977f034891e3f5c1",
		"SCO-KZ": "sha256:eda28306d4965e29b97e704eded5a098361f32a6513c3de9c1da0a83148bbcc4",
		"SCO-MN": "sha256:177bec8095a8b8330e9ff00c77ff0a2fb86e36d20820bee43f90d12eacfd6601",
		"SCO-PK": "sha256:7bf282f000a512553e9f7994bb5094b14c5e04f936964fc0c3d69ec18acac6bd",
		"SCO-RU": "sha256:e87eb8948fad3aa129533b11de757512b391206b5bd44f449007501e97eece7a",
		"SCO-TJ": "sha256:c03c9915e067418e96e0e24cd8c745b8c29846bec3a6def729f7cfbe54d93a14",
		"SCO-UZ": "sha256:ea26fc5bf4643f28b04e8a1370370bad44b989f43cf49b0db8fd87b01b246103",
	}
	reg := BuiltinRuleSets()
	asOf := MustParseDate("2026-09-30")
	for _, cc := range SCOCountries() {
		id := "SCO-" + cc
		old, ok := reg.LookupVersion(id, "1.0.0")
		require.True(t, ok, id)
		assert.Equal(t, released[id], old.Digest(), id)
		assert.True(t, old.Resolved(), id)
		current, _ := reg.Lookup(id)
		assert.Equal(t, "1.1.0", current.Version, "%s: Lookup passes a retired version by", id)
		assert.Equal(t, []string{"1.1.0", "1.0.0"}, reg.Versions(id))
		selected, err := reg.Select(cc, asOf)
		require.NoError(t, err)
		assert.Same(t, current, selected, id)
		assert.True(t, reg.Retired(id, "1.0.0"), id)
		assert.False(t, reg.Retired(id, "1.1.0"), id)
	}
	old, ok := reg.LookupVersion(SCOBaseID, "2.1.0")
	require.True(t, ok)
	assert.Equal(t, "2026-01-01", old.EffectiveFrom)
	// 2.1.0 states a later effective_from than 2.2.0 (none), and would win
	// the fallback at any date from 2026 if it were not retired.
	base, err := reg.Select("TR", asOf)
	require.NoError(t, err)
	assert.Equal(t, "2.2.0", base.Version)
	assert.Equal(t, DefaultRuleSet().Version, base.Version)
}

func TestRegisterRetired(t *testing.T) {
	reg := BuiltinRuleSets()
	old := countryRuleSet(t, "KZ-BANK", "1.0.0", "KZ", "2026-03-01")
	// Resolved against SCO-BASE 2.1.0, it differs from the same file
	// resolved against the current SCO-BASE.
	require.NoError(t, reg.RegisterRetired(old, "2.1.0"))
	got, ok := reg.LookupVersion("KZ-BANK", "1.0.0")
	require.True(t, ok)
	parent, _ := reg.LookupVersion(SCOBaseID, "2.1.0")
	assert.Equal(t, parent.Scaling.BaseOdds.String(), got.Scaling.BaseOdds.String(), "resolved against the version named")
	other := BuiltinRuleSets()
	require.NoError(t, other.Register(countryRuleSet(t, "KZ-BANK", "1.0.0", "KZ", "2026-03-01")))
	current, _ := other.LookupVersion("KZ-BANK", "1.0.0")
	assert.NotEqual(t, current.Digest(), got.Digest(), "the digest covers the parent's file")

	_, ok = reg.Lookup("KZ-BANK")
	assert.False(t, ok, "Lookup passes a retired version by")
	rs, err := reg.Select("KZ", MustParseDate("2026-09-30"))
	require.NoError(t, err)
	assert.Equal(t, "SCO-KZ", rs.ID, "Select passes a retired version by")
	assert.Error(t, reg.SetDefault("KZ", "KZ-BANK"), "only retired versions: nothing to pin")

	// A user's rule set effective from the same date as SCO-KZ, registered
	// later, wins; registering a retired SCO-KZ after it changes nothing.
	mine := countryRuleSet(t, "MY-KZ", "1.0.0", "KZ", "2026-01-01")
	require.NoError(t, reg.Register(mine))
	rs, err = reg.Select("KZ", MustParseDate("2026-09-30"))
	require.NoError(t, err)
	require.Equal(t, "MY-KZ", rs.ID)
	require.NoError(t, reg.RegisterRetired(countryRuleSet(t, "SCO-KZ", "0.9.0", "KZ", "2026-01-01"), "2.1.0"))
	rs, err = reg.Select("KZ", MustParseDate("2026-09-30"))
	require.NoError(t, err)
	assert.Equal(t, "MY-KZ", rs.ID, "a retired version moves no id ahead")

	tpl := DefaultRuleSet()
	tpl.Version = "9.0.0"
	standAlone, err := NewRuleSet(*tpl)
	require.NoError(t, err)
	for _, tc := range []struct {
		name          string
		rs            *RuleSet
		parentVersion string
	}{
		{"twice", countryRuleSet(t, "KZ-BANK", "1.0.0", "KZ", "2026-03-01"), "2.1.0"},
		{"unknown parent version", countryRuleSet(t, "KZ-BANK", "0.9.0", "KZ", "2026-03-01"), "9.9.9"},
		{"no parent version", countryRuleSet(t, "KZ-BANK", "0.8.0", "KZ", "2026-03-01"), ""},
		{"a parent version for a stand-alone rule set", standAlone, "2.1.0"},
		{"nil", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Error(t, reg.RegisterRetired(tc.rs, tc.parentVersion))
		})
	}
	var nilReg *RuleSetRegistry
	assert.ErrorIs(t, nilReg.RegisterRetired(old, "2.1.0"), ErrNilArgument)
	assert.False(t, nilReg.Retired("KZ-BANK", "1.0.0"))
	assert.False(t, reg.Retired("KZ-BANK", "0.9.0"), "not registered")
}
