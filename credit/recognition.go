package credit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// scoCountries are the SCO member states and observers, in the order of
// the record standard.
var scoCountries = []string{"CN", "RU", "KZ", "KG", "TJ", "UZ", "IN", "PK", "IR", "BY", "MN", "AF"}

// SCOCountries returns the ISO 3166-1 alpha-2 codes of the SCO member
// states (CN RU KZ KG TJ UZ IN PK IR BY) and observers (MN AF).
func SCOCountries() []string { return slices.Clone(scoCountries) }

// RecognitionTable says, for each country, which rule set scores its
// records as of a date and what each master grade means there: the PD
// band, the local label, whether it can be certified, and the identifier
// its certificates name. A verifier shows it so that a grade issued under
// one country's rule set can be read in another: a KZ bank reading a CN
// certificate sees that AA carries the same PD band in both.
type RecognitionTable struct {
	// AsOf is the date of the selection.
	AsOf Date `json:"as_of"`
	// Countries are the countries, in the order asked for.
	Countries []CountryRecognition `json:"countries"`
}

// CountryRecognition is one country's column of a RecognitionTable.
type CountryRecognition struct {
	// Country is the ISO 3166-1 alpha-2 code.
	Country string `json:"country"`
	// RuleSet names the rule set selected for the country.
	RuleSet RuleSetRef `json:"ruleset"`
	// PrimaryIdentifiers are the schemes its certificates name as the
	// primary identifier, in order of preference; empty when the rule set
	// does not say (the first valid identifier of the country is named).
	PrimaryIdentifiers []string `json:"primary_identifiers"`
	// LocalScale is the name of the national scale its local labels are
	// on; empty when it names none.
	LocalScale string `json:"local_scale,omitempty"`
	// Grades are the master grades, best first.
	Grades []GradeRecognition `json:"grades"`
}

// GradeRecognition is what one master grade means under a country's rule
// set.
type GradeRecognition struct {
	// Grade is the master grade.
	Grade string `json:"grade"`
	// PDLower is the lower bound of the grade's model-PD band (inclusive),
	// a decimal fraction.
	PDLower string `json:"pd_lower"`
	// PDUpper is its upper bound (exclusive; 1, inclusive, for the last
	// grade).
	PDUpper string `json:"pd_upper"`
	// LocalLabel is the grade's label on the national scale; empty when
	// the rule set names none.
	LocalLabel string `json:"local_label,omitempty"`
	// Certifiable reports whether a profile of this grade can be
	// certified (it is no worse than certification.min_grade); caps and
	// the other certification requirements still apply.
	Certifiable bool `json:"certifiable"`
}

// Recognition returns the recognition table of countries (nil: every SCO
// country, SCOCountries) as of asOf, from the rule sets Select picks. The
// error wraps ErrNoRuleSet when a country has none.
func (g *RuleSetRegistry) Recognition(countries []string, asOf Date) (*RecognitionTable, error) {
	if countries == nil {
		countries = scoCountries
	}
	sel := g.selector()
	t := &RecognitionTable{AsOf: asOf, Countries: make([]CountryRecognition, 0, len(countries))}
	for _, cc := range countries {
		rs, err := sel.pick(cc, asOf)
		if err != nil {
			return nil, err
		}
		t.Countries = append(t.Countries, countryRecognition(cc, rs))
	}
	return t, nil
}

func countryRecognition(cc string, rs *RuleSet) CountryRecognition {
	c := CountryRecognition{Country: cc, RuleSet: RuleSetRef{ID: rs.ID, Version: rs.Version, Digest: rs.Digest()},
		PrimaryIdentifiers: []string{}}
	if rs.Identity != nil {
		c.PrimaryIdentifiers = slices.Clone(rs.Identity.Primary)
	}
	if rs.LocalScale != nil {
		c.LocalScale = rs.LocalScale.Name
	}
	minGrade := len(rs.MasterScale.Grades) - 1
	if mg := rs.Certification.MinGrade; mg != "" {
		minGrade = slices.IndexFunc(rs.MasterScale.Grades, func(g Grade) bool { return g.Grade == mg })
	}
	lower := decimal.Zero
	for i, g := range rs.MasterScale.Grades {
		label, _ := rs.LocalLabel(g.Grade)
		c.Grades = append(c.Grades, GradeRecognition{Grade: g.Grade, PDLower: lower.String(), PDUpper: g.PDUpper.String(),
			LocalLabel: label, Certifiable: i <= minGrade})
		lower = g.PDUpper
	}
	return c
}

// Markdown writes the table as one Markdown table: a row per master grade
// with its PD band and whether it is certifiable, a column per country
// with the grade's local label ("—" when there is none), and first a row
// with the rule set and one with the primary identifier of each country.
// Where a country's PD band or certifiability differs from the first
// country's, its cell says so.
func (t *RecognitionTable) Markdown() string {
	var b strings.Builder
	if len(t.Countries) == 0 {
		return ""
	}
	ref := t.Countries[0]
	b.WriteString("| grade | model PD band | certifiable |")
	for _, c := range t.Countries {
		b.WriteString(" " + c.Country + " |")
	}
	b.WriteString("\n|---|---|---|")
	b.WriteString(strings.Repeat("---|", len(t.Countries)))
	b.WriteString("\n| rule set | | |")
	for _, c := range t.Countries {
		b.WriteString(" `" + c.RuleSet.ID + "` " + c.RuleSet.Version + " |")
	}
	b.WriteString("\n| primary identifier | | |")
	for _, c := range t.Countries {
		ids := make([]string, len(c.PrimaryIdentifiers))
		for i, s := range c.PrimaryIdentifiers {
			ids[i] = "`" + s + "`"
		}
		b.WriteString(" " + orDash(strings.Join(ids, ", ")) + " |")
	}
	for i, g := range ref.Grades {
		fmt.Fprintf(&b, "\n| %s | %s | %s |", g.Grade, pdBand(g, i == len(ref.Grades)-1), yesNo(g.Certifiable))
		for _, c := range t.Countries {
			cell := "—"
			if i < len(c.Grades) {
				cg := c.Grades[i]
				cell = orDash(cg.LocalLabel)
				if cg.Grade != g.Grade || cg.PDLower != g.PDLower || cg.PDUpper != g.PDUpper || cg.Certifiable != g.Certifiable {
					cell += fmt.Sprintf(" (%s %s, certifiable %s)", cg.Grade, pdBand(cg, i == len(c.Grades)-1), yesNo(cg.Certifiable))
				}
			}
			b.WriteString(" " + cell + " |")
		}
	}
	b.WriteString("\n")
	return b.String()
}

// pdBand writes a grade's model-PD band in percent.
func pdBand(g GradeRecognition, last bool) string {
	switch {
	case g.PDLower == "0":
		return "< " + percentOf(g.PDUpper)
	case last:
		return "≥ " + percentOf(g.PDLower)
	}
	return percentOf(g.PDLower) + " – " + percentOf(g.PDUpper)
}

// percentOf writes a decimal fraction as a percentage, exactly.
func percentOf(s string) string {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return s
	}
	return d.Shift(2).String() + "%"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
