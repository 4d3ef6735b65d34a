package credit

import (
	"slices"

	"github.com/creditsco/creditsco/credit/ident"
)

// Problem codes of the country parts of a rule set (identity, currency,
// registers, customs tiers, local scale, local-language texts, effective
// date). Paths are JSON Pointers into the rule-set file.
const (
	CodeRuleSetIdentity      = "RULESET_IDENTITY"
	CodeRuleSetCurrency      = "RULESET_CURRENCY"
	CodeRuleSetRegister      = "RULESET_REGISTER"
	CodeRuleSetCustomsTier   = "RULESET_CUSTOMS_TIER"
	CodeRuleSetLocalScale    = "RULESET_LOCAL_SCALE"
	CodeRuleSetLanguage      = "RULESET_LANGUAGE"
	CodeRuleSetEffectiveFrom = "RULESET_EFFECTIVE_FROM"
)

// Identity says which identifier schemes a country rule set accepts, which
// one certificates name, and which cross-checks between them the validator
// applies.
type Identity struct {
	// Schemes are the accepted identifier schemes (credit/ident names), of
	// the rule set's country or country-less (LEI).
	Schemes []string `json:"schemes"`
	// Primary lists, in order of preference, the schemes a certificate
	// names as the enterprise's primary identifier: the first of them that
	// the record carries with a valid value (see RuleSet.PrimaryIdentifier),
	// such as KZ-BIN for a legal entity and else KZ-IIN for an individual
	// entrepreneur. Each is one of Schemes.
	Primary []string `json:"primary"`
	// CrossChecks are the problem codes of the identifier cross-checks
	// (credit/ident.CrossCheck) that the structures of these schemes
	// allow, such as IDENT_GSTIN_PAN_MISMATCH. The validator applies them
	// to every record; the list documents which can fire for the country.
	CrossChecks []string `json:"cross_checks,omitempty"`
	// Source says where the schemes and their roles come from.
	Source string `json:"source"`
}

// Register is one national public register and how its entries map onto
// the record standard's public_records types.
type Register struct {
	// Name names the register, in the local language and in English.
	Name string `json:"name"`
	// Type is the public_records type its entries are reported as.
	Type PublicRecordType `json:"type"`
	// Caps are the ids of the rule set's caps that an open entry of this
	// register triggers; empty when entries only cost points.
	Caps []string `json:"caps,omitempty"`
	// Source is the law or publication that establishes the register.
	Source string `json:"source"`
}

// CustomsTier maps a tier of the national customs (AEO) programme onto a
// value of the record's trade.customs_status.
type CustomsTier struct {
	// Tier is the national tier, as the programme names it.
	Tier string `json:"tier"`
	// Status is the trade.customs_status value it is reported as.
	Status CustomsStatus `json:"status"`
	// Source is the act that defines the tier.
	Source string `json:"source"`
}

// LocalScale names the label that a national rating scale gives to a
// master grade's PD band. Grades without a label have no published
// correspondence and are left out.
type LocalScale struct {
	// Name is the name of the national scale, such as "S&P Global Ratings
	// Kazakhstan national scale".
	Name string `json:"name"`
	// Source says how the correspondence was established.
	Source string `json:"source"`
	// Labels are the local labels by master grade, best grade first, each
	// grade at most once.
	Labels []LocalLabel `json:"labels"`
}

// LocalLabel is the local label of one master grade.
type LocalLabel struct {
	// Grade is the master-scale grade.
	Grade string `json:"grade"`
	// Label is its label on the national scale, such as kzAAA.
	Label string `json:"label"`
}

// LocalGrade is the local label of a profile's grade, which a profile
// carries after its master grade when its rule set names one.
type LocalGrade struct {
	// Label is the label on the national scale.
	Label string `json:"label"`
	// Scale is the name of the national scale.
	Scale string `json:"scale"`
}

// LocalText is a reason text in a language other than the working
// languages en, zh and ru.
type LocalText struct {
	// Lang is the language tag: kk, ky, tg, uz, hi, ur, fa, be, mn or ps.
	Lang string `json:"lang"`
	// Text is the text in that language.
	Text string `json:"text"`
}

// localLanguages are the language tags that reason texts may carry beside
// en, zh and ru: the state languages of the SCO members and observers
// other than Chinese and Russian (Kazakh, Kyrgyz, Tajik, Uzbek, Hindi,
// Urdu, Persian, Belarusian, Mongolian, Pashto).
var localLanguages = []string{"kk", "ky", "tg", "uz", "hi", "ur", "fa", "be", "mn", "ps"}

// LocalLanguages returns the language tags that reason texts may carry
// beside en, zh and ru.
func LocalLanguages() []string { return slices.Clone(localLanguages) }

// publicRecordIndicator is the indicator each public_records type feeds.
var publicRecordIndicator = map[PublicRecordType]string{
	PublicTaxArrears:            "pub.tax_arrears_open",
	PublicCourtJudgment:         "pub.judgments_36m",
	PublicEnforcement:           "pub.enforcement_open",
	PublicAdministrativePenalty: "pub.penalties_24m",
	PublicDishonestDebtor:       "pub.dishonest_debtor_open",
	PublicAbnormalOperations:    "pub.abnormal_operations_open",
	PublicSanction:              "pub.sanction",
	PublicBankruptcyFiling:      "pub.bankruptcy_filing_open",
}

// crossCheckCodes are the problem codes of the identifier cross-checks.
var crossCheckCodes = []string{CodeIdentGSTINPANMismatch, CodeIdentEntityKindConflict, CodeIdentRegionMismatch, CodeIdentSecondValue}

// checkCountryParts checks the country parts of a rule set. With full,
// the rule set is complete, so references to its caps and grades and the
// country of its schemes are checked too.
func checkCountryParts(rs *RuleSet, full bool) Problems {
	var ps Problems
	add := func(path, code, format string, args ...any) {
		ps = append(ps, rsProblem(path, code, format, args...))
	}
	if rs.EffectiveFrom != "" {
		if _, err := ParseDate(rs.EffectiveFrom); err != nil {
			add("/effective_from", CodeRuleSetEffectiveFrom, "%q is not a real calendar date YYYY-MM-DD", rs.EffectiveFrom)
		}
	}
	if id := rs.Identity; id != nil {
		for i, name := range id.Schemes {
			p := pointer("/identity/schemes", itoa(i))
			s, ok := ident.Lookup(name)
			switch {
			case !ok:
				add(p, CodeRuleSetIdentity, "identifier scheme %q is not registered in credit/ident", name)
			case slices.Index(id.Schemes, name) != i:
				add(p, CodeRuleSetIdentity, "scheme %s appears twice", name)
			case full && s.Country() != "" && s.Country() != rs.Country:
				add(p, CodeRuleSetIdentity, "scheme %s identifies enterprises of %s, not of the rule set's country %q", name, s.Country(), rs.Country)
			}
		}
		if len(id.Primary) == 0 {
			add("/identity/primary", CodeRuleSetIdentity, "name at least one primary scheme")
		}
		for i, name := range id.Primary {
			if !slices.Contains(id.Schemes, name) {
				add(pointer("/identity/primary", itoa(i)), CodeRuleSetIdentity, "primary scheme %s is not one of the accepted schemes", name)
			}
		}
		for i, code := range id.CrossChecks {
			if !slices.Contains(crossCheckCodes, code) {
				add(pointer("/identity/cross_checks", itoa(i)), CodeRuleSetIdentity, "%q is not an identifier cross-check code (%v)", code, crossCheckCodes)
			}
		}
	}
	if rs.Currency != "" && !IsCurrency(rs.Currency) {
		add("/currency", CodeRuleSetCurrency, "%q is not an ISO 4217 currency in circulation", rs.Currency)
	}
	for i, r := range rs.Registers {
		p := pointer("/registers", itoa(i))
		ind, ok := publicRecordIndicator[r.Type]
		if !ok {
			add(p+"/type", CodeRuleSetRegister, "%q is not a public_records type", r.Type)
			continue
		}
		for j, capID := range r.Caps {
			if !full {
				continue
			}
			k := slices.IndexFunc(rs.Caps, func(c Cap) bool { return c.ID == capID })
			if k < 0 {
				add(pointer(p, "caps", itoa(j)), CodeRuleSetRegister, "no cap %s in the rule set", capID)
				continue
			}
			if !slices.ContainsFunc(rs.Caps[k].When, func(c Condition) bool { return c.Indicator == ind }) {
				add(pointer(p, "caps", itoa(j)), CodeRuleSetRegister, "cap %s has no condition on %s, the indicator of %s entries", capID, ind, r.Type)
			}
		}
	}
	for i, t := range rs.CustomsTiers {
		if !slices.Contains(customsCategories, string(t.Status)) {
			add(pointer("/customs_tiers", itoa(i), "status"), CodeRuleSetCustomsTier, "%q is not a trade.customs_status value (%v)", t.Status, customsCategories)
		}
	}
	if ls := rs.LocalScale; ls != nil {
		seen := map[string]bool{}
		for i, l := range ls.Labels {
			p := pointer("/local_scale/labels", itoa(i), "grade")
			if seen[l.Grade] {
				add(p, CodeRuleSetLocalScale, "grade %s has two labels", l.Grade)
			}
			seen[l.Grade] = true
			if full && !slices.ContainsFunc(rs.MasterScale.Grades, func(g Grade) bool { return g.Grade == l.Grade }) {
				add(p, CodeRuleSetLocalScale, "grade %s is not on the master scale", l.Grade)
			}
		}
	}
	for code, t := range rs.Reasons {
		for i, lt := range t.Local {
			p := pointer("/reasons", code, "local", itoa(i), "lang")
			switch {
			case !slices.Contains(localLanguages, lt.Lang):
				add(p, CodeRuleSetLanguage, "%q is not a local language tag (%v); en, zh and ru have their own fields", lt.Lang, localLanguages)
			case slices.IndexFunc(t.Local, func(o LocalText) bool { return o.Lang == lt.Lang }) != i:
				add(p, CodeRuleSetLanguage, "language %s appears twice", lt.Lang)
			}
		}
	}
	return ps
}

// mergeCountryParts gives out the child's country parts, or the parent's
// where the child has none: each part is replaced whole.
func mergeCountryParts(out, parent *RuleSet) {
	if out.Identity == nil {
		out.Identity = parent.Identity
	}
	if out.Currency == "" {
		out.Currency = parent.Currency
	}
	if out.Registers == nil {
		out.Registers = parent.Registers
	}
	if out.CustomsTiers == nil {
		out.CustomsTiers = parent.CustomsTiers
	}
	if out.LocalScale == nil {
		out.LocalScale = parent.LocalScale
	}
}

// PrimaryIdentifier returns the identifier of e that a certificate names as
// its primary one under this rule set: the first valid identifier (under
// the default credit/ident registry) of the first scheme in
// Identity.Primary that e carries, in normalised form. Without an identity
// part, or when e carries none of the primary schemes, it is the first
// valid identifier of e's own country. ok is false when e has no valid
// identifier of its country at all.
func (rs *RuleSet) PrimaryIdentifier(e *Enterprise) (id Identifier, ok bool) {
	valid := func(want func(ident.Scheme) bool) (Identifier, bool) {
		for _, x := range e.Identifiers {
			s, found := ident.Lookup(x.Scheme)
			if !found || !want(s) || s.Validate(x.Value) != nil {
				continue
			}
			return Identifier{Scheme: s.Name(), Value: s.Normalize(x.Value)}, true
		}
		return Identifier{}, false
	}
	if rs.Identity != nil {
		for _, p := range rs.Identity.Primary {
			if id, ok := valid(func(s ident.Scheme) bool { return s.Name() == p && s.Country() == e.Country }); ok {
				return id, true
			}
		}
	}
	return valid(func(s ident.Scheme) bool { return s.Country() == e.Country })
}

// LocalLabel returns the local label of a master grade under this rule
// set's local scale; ok is false when the rule set names none.
func (rs *RuleSet) LocalLabel(grade string) (label string, ok bool) {
	if rs.LocalScale == nil {
		return "", false
	}
	for _, l := range rs.LocalScale.Labels {
		if l.Grade == grade {
			return l.Label, true
		}
	}
	return "", false
}
