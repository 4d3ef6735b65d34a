package credit

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRecognition(t *testing.T) {
	reg := BuiltinRuleSets()
	tab, err := reg.Recognition(nil, MustParseDate("2026-09-30"))
	require.NoError(t, err)
	require.Len(t, tab.Countries, len(SCOCountries()))
	base := DefaultRuleSet()
	for i, c := range tab.Countries {
		assert.Equal(t, SCOCountries()[i], c.Country)
		rs, _ := reg.Lookup("SCO-" + c.Country)
		assert.Equal(t, RuleSetRef{ID: rs.ID, Version: rs.Version, Digest: rs.Digest()}, c.RuleSet)
		assert.Equal(t, rs.Identity.Primary, c.PrimaryIdentifiers)
		require.Len(t, c.Grades, len(base.MasterScale.Grades))
		lower := "0"
		for j, g := range c.Grades {
			mg := base.MasterScale.Grades[j]
			assert.Equal(t, mg.Grade, g.Grade)
			assert.Equal(t, lower, g.PDLower, "bands follow each other")
			assert.Equal(t, mg.PDUpper.String(), g.PDUpper)
			assert.Equal(t, j <= gradePos(base, base.Certification.MinGrade), g.Certifiable)
			label, _ := rs.LocalLabel(g.Grade)
			assert.Equal(t, label, g.LocalLabel)
			lower = g.PDUpper
		}
	}
	// Every country carries the same bands: the table's point.
	kz, cn := tab.Countries[2], tab.Countries[0]
	for j := range kz.Grades {
		assert.Equal(t, cn.Grades[j].PDLower+cn.Grades[j].PDUpper, kz.Grades[j].PDLower+kz.Grades[j].PDUpper)
	}
	b, err := json.Marshal(tab)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"local_label":"kzAAA"`)

	_, err = NewRuleSetRegistry().Recognition([]string{"CN"}, MustParseDate("2026-09-30"))
	require.ErrorIs(t, err, ErrNoRuleSet)
}

// TestRecognitionMarkdownShowsDifferences: a country whose rule set has
// another master scale says so in its cells.
func TestRecognitionMarkdownShowsDifferences(t *testing.T) {
	reg := BuiltinRuleSets()
	ms := *DefaultRuleSet().MasterScale
	ms.Grades = append([]Grade(nil), ms.Grades...)
	ms.Grades[0].PDUpper = dec("0.0001")
	rs, err := NewRuleSet(RuleSet{ID: "TJ-STRICT", Version: "1.0.0", Country: "TJ", Extends: SCOBaseID, EffectiveFrom: "2026-02-01",
		Description: "test", Sources: []Source{{ID: "t", Title: "t"}}, MasterScale: &ms})
	require.NoError(t, err)
	require.NoError(t, reg.Register(rs))
	tab, err := reg.Recognition([]string{"CN", "TJ"}, MustParseDate("2026-09-30"))
	require.NoError(t, err)
	md := tab.Markdown()
	assert.Contains(t, md, "| AAA | < 0.0141% | yes | — | — (AAA < 0.01%, certifiable yes) |")
	assert.Contains(t, md, "| AA | 0.0141% – 0.0316% | yes | — | — (AA 0.01% – 0.0316%, certifiable yes) |")
	assert.Equal(t, 2+2+len(ms.Grades), strings.Count(md, "\n"))
	assert.Empty(t, (&RecognitionTable{}).Markdown())
}
