package credit

import (
	"cmp"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countryRuleSet builds a minimal rule set of country cc extending
// SCO-BASE, effective from the given date ("" for none).
func countryRuleSet(t *testing.T, id, version, cc, from string) *RuleSet {
	t.Helper()
	rs, err := NewRuleSet(RuleSet{ID: id, Version: version, Country: cc, Extends: SCOBaseID, EffectiveFrom: from,
		Description: "test rule set", Sources: []Source{{ID: "test", Title: "test"}},
		Parameters: map[string]SourcedValue{"payment_grace_days": {Value: goDec("3"), Source: "[test]"}}})
	require.NoError(t, err)
	return rs
}

func TestSelectBuiltins(t *testing.T) {
	reg := BuiltinRuleSets()
	asOf := MustParseDate("2026-09-30")
	for _, cc := range SCOCountries() {
		rs, err := reg.Select(cc, asOf)
		require.NoError(t, err, cc)
		assert.Equal(t, "SCO-"+cc, rs.ID)
		assert.Equal(t, cc, rs.Country)
	}
	// A country without a rule set of its own falls back to the baseline.
	rs, err := reg.Select("TR", asOf)
	require.NoError(t, err)
	assert.Equal(t, SCOBaseID, rs.ID)
	// Before the country rule sets take effect, the baseline applies.
	base, _ := reg.Lookup(SCOBaseID)
	rs, err = reg.Select("KZ", MustParseDate("2025-12-31"))
	if base.EffectiveFrom > "2025-12-31" {
		require.ErrorIs(t, err, ErrNoRuleSet)
	} else {
		require.NoError(t, err)
		assert.Equal(t, SCOBaseID, rs.ID)
	}
}

func TestSelectByEffectiveDateAndVersion(t *testing.T) {
	reg := BuiltinRuleSets()
	v1 := countryRuleSet(t, "KZ-BANK", "1.0.0", "KZ", "2026-03-01")
	v2 := countryRuleSet(t, "KZ-BANK", "1.1.0", "KZ", "2026-07-01")
	v10 := countryRuleSet(t, "KZ-BANK", "1.10.0", "KZ", "2027-01-01")
	for _, rs := range []*RuleSet{v2, v10, v1} { // registration order does not matter
		require.NoError(t, reg.Register(rs))
	}
	require.Error(t, reg.Register(countryRuleSet(t, "KZ-BANK", "1.1.0", "KZ", "2026-08-01")), "id+version unique")
	assert.Equal(t, []string{"1.10.0", "1.1.0", "1.0.0"}, reg.Versions("KZ-BANK"))
	latest, _ := reg.Lookup("KZ-BANK")
	assert.Equal(t, "1.10.0", latest.Version, "Lookup gives the highest version")
	old, ok := reg.LookupVersion("KZ-BANK", "1.0.0")
	require.True(t, ok)
	assert.Equal(t, "1.0.0", old.Version)

	for _, tc := range []struct{ date, id, version string }{
		{"2026-02-28", "SCO-KZ", "1.1.0"},   // only the built-in is effective
		{"2026-03-01", "KZ-BANK", "1.0.0"},  // newest effective_from first
		{"2026-06-30", "KZ-BANK", "1.0.0"},  //
		{"2026-07-01", "KZ-BANK", "1.1.0"},  //
		{"2027-05-01", "KZ-BANK", "1.10.0"}, // 1.10.0 > 1.9.x, numerically
	} {
		rs, err := reg.Select("KZ", MustParseDate(tc.date))
		require.NoError(t, err)
		assert.Equal(t, tc.id+" "+tc.version, rs.ID+" "+rs.Version, tc.date)
	}
	// Other countries are untouched.
	rs, err := reg.Select("CN", MustParseDate("2026-09-30"))
	require.NoError(t, err)
	assert.Equal(t, "SCO-CN", rs.ID)
}

func TestSelectTieGoesToTheLastRegistered(t *testing.T) {
	reg := BuiltinRuleSets()
	own := countryRuleSet(t, "CN-MYBANK", "0.1.0", "CN", "2026-01-01")
	require.NoError(t, reg.Register(own))
	rs, err := reg.Select("CN", MustParseDate("2026-09-30"))
	require.NoError(t, err)
	assert.Equal(t, "CN-MYBANK", rs.ID, "a user's rule set with the same effective date replaces the built-in one")
	// The built-in registry of every other caller is unchanged.
	rs, err = BuiltinRuleSets().Select("CN", MustParseDate("2026-09-30"))
	require.NoError(t, err)
	assert.Equal(t, "SCO-CN", rs.ID)
}

func TestSetDefault(t *testing.T) {
	reg := BuiltinRuleSets()
	asOf := MustParseDate("2026-09-30")
	require.NoError(t, reg.SetDefault("CN", SCOBaseID))
	rs, err := reg.Select("CN", asOf)
	require.NoError(t, err)
	assert.Equal(t, SCOBaseID, rs.ID, "pinned to the baseline")

	require.NoError(t, reg.Register(countryRuleSet(t, "MY-BASE", "1.0.0", "", "2026-06-01")))
	require.NoError(t, reg.SetDefault("", "MY-BASE"))
	rs, err = reg.Select("TR", asOf)
	require.NoError(t, err)
	assert.Equal(t, "MY-BASE", rs.ID, "the fallback is pinned")
	_, err = reg.Select("TR", MustParseDate("2026-05-31"))
	require.ErrorIs(t, err, ErrNoRuleSet, "no version of the pinned fallback is effective")

	require.NoError(t, reg.SetDefault("KZ", "MY-BASE"))
	_, err = reg.Select("KZ", MustParseDate("2026-05-31"))
	require.ErrorIs(t, err, ErrNoRuleSet, "a pinned country does not fall back")
	require.Error(t, reg.SetDefault("RU", "NO-SUCH"))
}

func TestSelectEmptyRegistry(t *testing.T) {
	_, err := NewRuleSetRegistry().Select("CN", MustParseDate("2026-09-30"))
	require.ErrorIs(t, err, ErrNoRuleSet)
	assert.True(t, errors.Is(err, ErrNoRuleSet))
}

func TestRegistryConcurrentUse(t *testing.T) {
	reg := BuiltinRuleSets()
	asOf := MustParseDate("2026-09-30")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				assert.NoError(t, reg.Register(countryRuleSet(t, fmt.Sprintf("KG-T%d", i), "1.0.0", "KG", "2026-02-01")))
				return
			}
			for range 20 {
				rs, err := reg.Select("KG", asOf)
				if assert.NoError(t, err) {
					assert.Equal(t, "KG", rs.Country)
				}
				reg.IDs()
			}
		}()
	}
	wg.Wait()
	rs, err := reg.Select("KG", asOf)
	require.NoError(t, err)
	assert.Contains(t, []string{"KG-T0", "KG-T2", "KG-T4", "KG-T6"}, rs.ID)
}

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		sign int
	}{
		{"1.0.0", "1.0.0", 0}, {"1.10.0", "1.9.0", 1}, {"2.0.0", "10.0.0", -1},
		{"1.0.01", "1.0.1", 0}, {"99999999999999999999.0.0", "99999999999999999998.0.0", 1},
	} {
		got := compareVersions(tc.a, tc.b)
		assert.Equal(t, tc.sign, cmp.Compare(got, 0), "%s vs %s", tc.a, tc.b)
	}
}
