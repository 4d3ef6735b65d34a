package credit

// Profile is the result of scoring one record under one rule set. Its JSON
// form has fixed top-level keys that other programs parse:
//
//	{"record_id","country","ruleset":{"id","version","digest"},"score","pd",
//	 "grade","local_grade":{"label","scale"},"certifiable","coverage",
//	 "pillars","characteristics","reasons","caps","warnings"}
//
// local_grade is present only when the rule set names a local label for
// the grade (RuleSet.LocalScale).
//
// Decimals are strings with a fixed number of places (pd: PDDecimals,
// coverage: 4); lists are never null. The same record, rule set and rates
// give a byte-identical JSON encoding on every run and platform.
type Profile struct {
	// RecordID is the record's RecordID; empty if it had none.
	RecordID string `json:"record_id"`
	// Country is the enterprise's country of registration, ISO 3166-1
	// alpha-2.
	Country string `json:"country"`
	// RuleSet names the rule set the record was scored with.
	RuleSet RuleSetRef `json:"ruleset"`
	// Score is the integer score: the base points plus the characteristics'
	// points, rounded half away from zero and clamped to the rule set's
	// [Scaling.MinScore, Scaling.MaxScore].
	Score int64 `json:"score"`
	// PD is the reported PD. It is the model PD of the score floored at
	// the rule set's pd_floor; the grade is taken from the model PD before
	// the floor, so an AAA or AA profile reports the floor although its
	// band lies below it. When a cap lowered the grade, the PD is raised to
	// at least the lower bound of the capped grade's band, and a cap to
	// the default (last) grade reports "1.000000" (a defaulted borrower
	// has PD 100%), so that PD and grade never contradict each other.
	PD string `json:"pd"`
	// Grade is the grade on the rule set's master scale, after caps.
	Grade string `json:"grade"`
	// LocalGrade is the grade's label on the national rating scale the
	// rule set names (RuleSet.LocalScale), after caps like Grade; nil when
	// it names none for the grade.
	LocalGrade *LocalGrade `json:"local_grade,omitempty"`
	// Certifiable reports whether a certificate may be issued on the
	// profile: no applied cap and no unmet certification requirement
	// forbids it (see Caps).
	Certifiable bool `json:"certifiable"`
	// Coverage is the share of the characteristics' weight whose indicator
	// had data, in [0, 1] with 4 places, such as "0.8500".
	Coverage string `json:"coverage"`
	// Pillars are the scores by pillar, in the order the pillars first
	// appear among the rule set's characteristics.
	Pillars []PillarScore `json:"pillars"`
	// Characteristics says what each characteristic gave, in rule-set
	// order.
	Characteristics []CharacteristicScore `json:"characteristics"`
	// Reasons are the reasons why the score is not higher, most points lost
	// first; at most MaxReasons.
	Reasons []Reason `json:"reasons"`
	// Caps are the rule set's caps that apply, in rule-set order, followed
	// by the certification requirements the record does not meet.
	Caps []AppliedCap `json:"caps"`
	// Warnings are the warnings of scoring, such as a missing FX rate, and,
	// from ScoreJSON and ScoreStream, those of validation; sorted as in
	// Problems.
	Warnings []Problem `json:"warnings"`
}

// RuleSetRef names the rule set a profile was scored with. Digest is the
// rule set's RuleSet.Digest: "sha256:<hex>" of its RFC 8785 (JCS) form.
type RuleSetRef struct {
	// ID is the rule set's ID.
	ID string `json:"id"`
	// Version is the rule set's Version.
	Version string `json:"version"`
	// Digest is the rule set's digest, "sha256:<hex>".
	Digest string `json:"digest"`
}

// PillarScore sums the characteristics of one pillar.
type PillarScore struct {
	// ID is the pillar, such as financial or payment.
	ID string `json:"id"`
	// Points is the sum of the points of the pillar's characteristics, a
	// decimal with at most 4 places.
	Points string `json:"points"`
	// MaxPoints is the sum of their best bins' points, formatted like
	// Points.
	MaxPoints string `json:"max_points"`
	// Coverage is the pillar's share of characteristic weight with data.
	Coverage string `json:"coverage"`
}

// CharacteristicScore is what one characteristic gave. Value is the
// indicator value (a decimal string at the indicator's scale, or a
// category), nil when missing; Missing then says why.
type CharacteristicScore struct {
	// ID is the characteristic's ID.
	ID string `json:"id"`
	// Indicator is the ID of its indicator.
	Indicator string `json:"indicator"`
	// Pillar is its pillar.
	Pillar string `json:"pillar"`
	// Value is the indicator value; nil when missing.
	Value *string `json:"value"`
	// Missing is the reason code of a missing indicator, such as
	// NO_STATEMENT; empty when Value is set.
	Missing string `json:"missing,omitempty"`
	// Points are the points given, a decimal with at most 4 places.
	Points string `json:"points"`
	// MaxPoints are the points of the best bin, formatted like Points.
	MaxPoints string `json:"max_points"`
	// Reason is the reason code of the points lost against the best bin;
	// empty when none were lost.
	Reason string `json:"reason,omitempty"`
}

// AppliedCap is a restriction that applies to the profile: a cap of the
// rule set whose conditions hold (Kind "cap"), or a certification
// requirement the record does not meet (Kind "certification").
type AppliedCap struct {
	// ID is the cap's ID or, for a certification requirement,
	// "certification." and the requirement's JSON name, such as
	// "certification.min_coverage".
	ID string `json:"id"`
	// Kind is "cap" or "certification".
	Kind string `json:"kind"`
	// MaxGrade is the cap's MaxGrade; empty for a cap without one and for a
	// certification requirement.
	MaxGrade string `json:"max_grade,omitempty"`
	// GradeBefore is the grade just before the cap lowered it: the grade
	// the score gave, or the one an earlier cap lowered it to. Empty if the
	// cap did not lower the grade.
	GradeBefore string `json:"grade_before,omitempty"`
	// Certifiable is false if this restriction makes the profile not
	// certifiable.
	Certifiable bool `json:"certifiable"`
	// Reason is the reason code of the restriction.
	Reason string `json:"reason"`
	// Text is the text of Reason in the engine's language
	// (EngineOptions.Lang).
	Text string `json:"text"`
}
