package credit

// Profile is the result of scoring one record under one rule set. Its JSON
// form has fixed top-level keys that other programs parse:
//
//	{"record_id","country","ruleset":{"id","version","digest"},"score","pd",
//	 "grade","certifiable","coverage","pillars","characteristics","reasons",
//	 "caps","warnings"}
//
// Decimals are strings with a fixed number of places (pd: PDDecimals,
// coverage: 4); lists are never null. The same record, rule set and rates
// give a byte-identical JSON encoding on every run and platform.
type Profile struct {
	RecordID string     `json:"record_id"`
	Country  string     `json:"country"`
	RuleSet  RuleSetRef `json:"ruleset"`
	Score    int64      `json:"score"`
	// PD is the reported PD. It is the model PD of the score floored at
	// the rule set's pd_floor; the grade is taken from the model PD before
	// the floor, so an AAA or AA profile reports the floor although its
	// band lies below it. When a cap lowered the grade, the PD is raised to
	// at least the lower bound of the capped grade's band, and a cap to
	// the default (last) grade reports "1.000000" (a defaulted borrower
	// has PD 100%), so that PD and grade never contradict each other.
	PD              string                `json:"pd"`
	Grade           string                `json:"grade"`
	Certifiable     bool                  `json:"certifiable"`
	Coverage        string                `json:"coverage"`
	Pillars         []PillarScore         `json:"pillars"`
	Characteristics []CharacteristicScore `json:"characteristics"`
	Reasons         []Reason              `json:"reasons"`
	Caps            []AppliedCap          `json:"caps"`
	Warnings        []Problem             `json:"warnings"`
}

// RuleSetRef names the rule set a profile was scored with. Digest is the
// rule set's RuleSet.Digest: "sha256:<hex>" of its RFC 8785 (JCS) form.
type RuleSetRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

// PillarScore sums the characteristics of one pillar.
type PillarScore struct {
	ID        string `json:"id"`
	Points    string `json:"points"`
	MaxPoints string `json:"max_points"`
	// Coverage is the pillar's share of characteristic weight with data.
	Coverage string `json:"coverage"`
}

// CharacteristicScore is what one characteristic gave. Value is the
// indicator value (a decimal string at the indicator's scale, or a
// category), nil when missing; Missing then says why.
type CharacteristicScore struct {
	ID        string  `json:"id"`
	Indicator string  `json:"indicator"`
	Pillar    string  `json:"pillar"`
	Value     *string `json:"value"`
	Missing   string  `json:"missing,omitempty"`
	Points    string  `json:"points"`
	MaxPoints string  `json:"max_points"`
	Reason    string  `json:"reason,omitempty"`
}

// AppliedCap is a restriction that applies to the profile: a cap of the
// rule set whose conditions hold (Kind "cap"), or a certification
// requirement the record does not meet (Kind "certification"). GradeBefore
// is the grade the score alone gave, for a cap that lowered it.
type AppliedCap struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	MaxGrade    string `json:"max_grade,omitempty"`
	GradeBefore string `json:"grade_before,omitempty"`
	Certifiable bool   `json:"certifiable"`
	Reason      string `json:"reason"`
	Text        string `json:"text"`
}
