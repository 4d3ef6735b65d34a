package cert

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
)

// TestSampleCertificatesAgainstRuleSet is the property that verification
// accepts what the engine produces and nothing the rule set says cannot
// exist: every certifiable sample record (scored with the bundled FX
// rates, under credit.DefaultRuleSet and under its country's rule set)
// gives a certificate that verifies, and variants of it that a trusted key
// signs with a grade below certification.min_grade, a pd outside the
// grade's band, a grade or pd that the score does not give, or reason
// codes that no characteristic gives, fail with BAD_SUBJECT and the JSON
// Pointer of the problem ("{rs}" in a message stands for the rule set's
// id).
func TestSampleCertificatesAgainstRuleSet(t *testing.T) {
	base, rs := scoreSamples(t)
	for name, samples := range map[string][]scoredRecord{"SCO-BASE": base, "country": countrySamples(t)} {
		t.Run(name, func(t *testing.T) { checkSamplesAgainstRuleSet(t, samples, rs) })
	}
}

// checkSamplesAgainstRuleSet is TestSampleCertificatesAgainstRuleSet for
// the samples; base is the baseline, whose master scale and scaling every
// built-in rule set shares.
func checkSamplesAgainstRuleSet(t *testing.T, samples []scoredRecord, base *credit.RuleSet) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime.Add(time.Hour)}
	rs := base
	grades := rs.MasterScale.Grades

	tampered := []struct {
		name string
		edit func(s map[string]any, c *Certificate)
		want string
	}{
		{"grade C", func(s map[string]any, _ *Certificate) { s["grade"] = "C"; s["pd"] = "1.000000" },
			"/credentialSubject/grade: C is worse than CC, the worst grade rule set {rs} certifies"},
		{"grade C, pd kept", func(s map[string]any, _ *Certificate) { s["grade"] = "C" }, "/credentialSubject/grade"},
		{"pd 0.9 on AAA", func(s map[string]any, _ *Certificate) { s["grade"] = "AAA"; s["pd"] = "0.9" },
			"/credentialSubject/pd: 0.9 is not a PD of grade AAA under rule set {rs}, which reports PDs in [0.000500, 0.000500]"},
		{"pd 0.9", func(s map[string]any, _ *Certificate) { s["pd"] = "0.900000" }, "/credentialSubject/pd: 0.900000 is not a PD of grade"},
		{"pd 0", func(s map[string]any, _ *Certificate) { s["pd"] = "0" }, "/credentialSubject/pd: 0 is not a PD of grade"},
		{"unknown reason code", func(s map[string]any, c *Certificate) {
			s["reasons"] = append([]string{"NO_SUCH_REASON"}, c.CredentialSubject.Reasons[min(1, len(c.CredentialSubject.Reasons)):]...)
		}, `/credentialSubject/reasons/0: "NO_SUCH_REASON" is not a reason code that a characteristic of rule set {rs} gives`},
		{"a cap's reason code", func(s map[string]any, _ *Certificate) { s["reasons"] = []string{"CAP_LIQUIDATION"} },
			`/credentialSubject/reasons/0: "CAP_LIQUIDATION" is not a reason code that a characteristic`},
		{"a certification requirement's code", func(s map[string]any, _ *Certificate) { s["reasons"] = []string{credit.ReasonCertNotAudited} },
			`/credentialSubject/reasons/0: "CERT_NOT_AUDITED" is not a reason code that a characteristic`},
		{"no reasons below the best score", func(s map[string]any, c *Certificate) { s["reasons"] = []string{} },
			"/credentialSubject/reasons: empty, but score"},
		{"cap reason unknown in reasons", func(s map[string]any, c *Certificate) {
			// A code the certificate's rule set does give, then one it
			// does not: the second is reported at its own index.
			s["reasons"] = []string{"PAY_NO_DATA", "CAP_X"}
		}, `/credentialSubject/reasons/1: "CAP_X" is not a reason code`},
		{"score of another grade", func(s map[string]any, c *Certificate) {
			// The worst score has grade C, worse than any certifiable
			// grade: the grade is then better than the score's. (With
			// the best score instead the grade would be worse than the
			// score's, which an honest issuer produces when a cap lowers
			// it; a sample whose PD is its grade's lower bound, as a
			// capped one reports, then passes.)
			s["score"] = rs.Scaling.MinScore
		}, "/credentialSubject/"},
		{"one grade better", func(s map[string]any, c *Certificate) {
			g := gradeIndex(rs.MasterScale, c.CredentialSubject.Grade)
			s["grade"] = grades[max(g-1, 0)].Grade
			if g == 0 {
				s["grade"] = grades[1].Grade // AA: a grade worse than the score's, which no cap gives
			}
		}, "/credentialSubject/"},
	}

	n := 0
	for _, smp := range samples {
		if !smp.profile.Certifiable {
			continue
		}
		n++
		signed, c, err := Issue(smp.assessment, IssueOptions{Key: key, Now: issueTime})
		require.NoError(t, err, smp.rec.RecordID)
		_, err = VerifyCertificate(context.Background(), signed, opts)
		require.NoError(t, err, "%s: grade %s score %d pd %s", smp.rec.RecordID, c.CredentialSubject.Grade, c.CredentialSubject.Score, c.CredentialSubject.PD)

		for _, tt := range tampered {
			doc := resign(t, c, key, func(d map[string]any) { tt.edit(subject(d), c) })
			_, err := VerifyCertificate(context.Background(), doc, opts)
			require.ErrorIs(t, err, ErrBadSubject, "%s: %s", smp.rec.RecordID, tt.name)
			assert.Equal(t, "BAD_SUBJECT", Code(err))
			assert.Contains(t, err.Error(), strings.ReplaceAll(tt.want, "{rs}", c.CredentialSubject.RuleSet.ID), "%s: %s", smp.rec.RecordID, tt.name)
		}
	}
	t.Logf("%d certifiable sample certificates verified", n)
	assert.GreaterOrEqual(t, n, 24, "the bundled records give 24 certifiable profiles")
}

// TestCappedCertificateVerifies checks the cap rules against the engine
// itself: a certifiable sample record made a dishonest customs trader is
// capped to B (cap customs_dishonest, which allows certification), its
// PD raised to B's lower bound, and its certificate verifies; the same
// certificate with the uncapped model PD does not.
func TestCappedCertificateVerifies(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	samples, rs := scoreSamples(t)
	eng, err := credit.NewEngine(rs, credit.EngineOptions{})
	require.NoError(t, err)
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime.Add(time.Hour)}
	capped := 0
	for _, smp := range samples {
		if !smp.profile.Certifiable {
			continue
		}
		var doc map[string]any
		require.NoError(t, json.Unmarshal(smp.data, &doc))
		trade, ok := doc["trade"].(map[string]any)
		if !ok {
			continue
		}
		trade["customs_status"] = "dishonest"
		data, err := json.Marshal(doc)
		require.NoError(t, err)
		a, err := eng.Assess(context.Background(), data)
		require.NoError(t, err)
		p := a.Profile()
		if !p.Certifiable || p.Grade != "B" || len(p.Caps) == 0 || p.Caps[0].GradeBefore == "" {
			continue
		}
		capped++
		assert.Equal(t, "0.012810", p.PD, "a cap to B raises the PD to B's lower bound, BB's pd_upper")
		signed, c, err := Issue(a, IssueOptions{Key: key, Now: issueTime})
		require.NoError(t, err)
		_, err = VerifyCertificate(context.Background(), signed, opts)
		require.NoError(t, err, "%s: capped from %s", p.RecordID, p.Caps[0].GradeBefore)

		_, raw, _ := eng.PD(p.Score)
		bad := resign(t, c, key, func(d map[string]any) { subject(d)["pd"] = raw })
		_, err = VerifyCertificate(context.Background(), bad, opts)
		require.ErrorIs(t, err, ErrBadSubject)
		assert.Contains(t, err.Error(), "/credentialSubject/pd: "+raw+" is not")
	}
	assert.NotZero(t, capped, "no sample could be capped to B")
}

// TestCheckRuleSetContentEveryScore checks checkRuleSetContent against
// the engine's table for every score of SCO-BASE: the uncapped grade and
// PD of the score are accepted (unless the grade is below min_grade); a
// better grade never is; a worse grade only when a certifiable cap gives
// it, with the capped PD; and no other PD is.
func TestCheckRuleSetContentEveryScore(t *testing.T) {
	rs := credit.DefaultRuleSet()
	eng, err := credit.NewEngine(rs, credit.EngineOptions{})
	require.NoError(t, err)
	m := rs.MasterScale
	last := len(m.Grades) - 1
	worst := gradeIndex(m, rs.Certification.MinGrade)
	require.Equal(t, last-1, worst, "SCO-BASE certifies down to CC")
	rules, err := rulesOf(rs)
	require.NoError(t, err)
	check := func(score int64, grade, pd string) error {
		c := &Certificate{ID: "urn:test"}
		c.CredentialSubject = Subject{Grade: grade, Score: score, PD: pd, MasterScale: m.Name, Reasons: []string{"PAY_NO_DATA"}}
		return checkRuleSetContent(c, decimal.RequireFromString(pd), rules)
	}
	capTo := map[int]bool{} // grades a certifiable cap of SCO-BASE gives
	for _, cp := range rs.Caps {
		if cp.MaxGrade != "" && (cp.Certifiable == nil || *cp.Certifiable) {
			capTo[gradeIndex(m, cp.MaxGrade)] = true
		}
	}
	require.NotEmpty(t, capTo, "SCO-BASE has caps that allow certification (B, CCC)")

	for score := rs.Scaling.MinScore; score <= rs.Scaling.MaxScore; score++ {
		_, pd, grade := eng.PD(score)
		sg := gradeIndex(m, grade)
		err := check(score, grade, pd)
		if sg > worst {
			require.ErrorIs(t, err, ErrBadSubject, "score %d", score)
			assert.Contains(t, err.Error(), "certification.min_grade")
		} else {
			require.NoError(t, err, "score %d: grade %s pd %s", score, grade, pd)
		}
		for g := range m.Grades {
			name := m.Grades[g].Grade
			msg := fmt.Sprintf("score %d (grade %s) as %s", score, grade, name)
			if g == sg {
				continue
			}
			// With the PD the score has: only the floor can make it
			// that of another grade (AAA and AA report the floor), and
			// the grade is still not the score's.
			require.Error(t, check(score, name, pd), msg)
			lower := m.Grades[max(g-1, 0)].PDUpper
			cappedPD := decimal.Max(lower, rs.PDFloor.Value).StringFixed(credit.PDDecimals)
			err := check(score, name, cappedPD)
			if g > sg && g <= worst && capTo[g] {
				require.NoError(t, err, msg)
			} else {
				require.ErrorIs(t, err, ErrBadSubject, msg)
			}
		}
	}
}

// mapLookup is a RuleSetLookup over a map, as a caller could write.
type mapLookup map[string]*credit.RuleSet

func (l mapLookup) Lookup(id string) (*credit.RuleSet, bool) { rs, ok := l[id]; return rs, ok }

// TestIssueRefusesModifiedRuleSet checks that NewIssuer does not vouch,
// with a rule set's digest, for fields changed after it was loaded, and
// that an assessment cannot be changed after scoring: what its methods
// return are copies.
func TestIssueRefusesModifiedRuleSet(t *testing.T) {
	key := testKey(t)
	samples, _ := certifiableSamples(t)
	smp := samples[0]
	for name, edit := range map[string]func(rs *credit.RuleSet){
		"validity months":   func(rs *credit.RuleSet) { rs.Certification.ValidityMonths = 60 },
		"master scale name": func(rs *credit.RuleSet) { rs.MasterScale.Name = "Forged scale" },
		"min grade":         func(rs *credit.RuleSet) { rs.Certification.MinGrade = "" },
	} {
		t.Run(name, func(t *testing.T) {
			rs := credit.DefaultRuleSet()
			_, err := NewIssuer(rs, IssueOptions{Key: key, Now: issueTime})
			require.NoError(t, err)
			edit(rs)
			is, err := NewIssuer(rs, IssueOptions{Key: key, Now: issueTime})
			require.ErrorIs(t, err, credit.ErrRuleSetModified)
			assert.Contains(t, err.Error(), "cannot vouch")
			assert.Nil(t, is)
		})
	}
	_, err := NewIssuer(nil, IssueOptions{Key: key, Now: issueTime})
	assert.Error(t, err, "a nil rule set is an error, not a panic")

	want, _, err := Issue(smp.assessment, IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)
	p := smp.assessment.Profile()
	p.Grade, p.Score, p.Certifiable = "AAA", 999, true
	p.Reasons[0].Code = "FORGED"
	e := smp.assessment.Enterprise()
	e.Identifiers[0].Value = "FORGED"
	e.Country = "CN"
	got, _, err := Issue(smp.assessment, IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "changing the copies an assessment hands out changes nothing")
}

// TestVerifyRefusesModifiedRuleSet checks that a recognised rule set whose
// fields were changed after loading is not recognised: the caller's
// registry could otherwise make a forged certificate look consistent.
func TestVerifyRefusesModifiedRuleSet(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	signed, c := issueOne(t, IssueOptions{Key: key, Now: issueTime})
	// A forgery that a rule set with its min_grade and master scale
	// removed would accept: grade C.
	forged := resign(t, c, key, func(d map[string]any) {
		subject(d)["grade"] = "C"
		subject(d)["pd"] = "1.000000"
		subject(d)["masterScale"] = "Forged scale"
	})
	modify := func(rs *credit.RuleSet) {
		rs.Certification.MinGrade = ""
		rs.MasterScale.Name = "Forged scale"
	}

	reg := credit.BuiltinRuleSets()
	shared, ok := reg.Lookup("SCO-BASE")
	require.True(t, ok)
	own := credit.DefaultRuleSet()
	for name, lookup := range map[string]RuleSetLookup{
		"registry": reg,
		"map":      mapLookup{"SCO-BASE": own},
	} {
		t.Run(name, func(t *testing.T) {
			opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime.Add(time.Hour), RuleSets: lookup}
			_, err := VerifyCertificate(context.Background(), signed, opts)
			require.NoError(t, err, "unmodified")
			_, err = VerifyCertificate(context.Background(), forged, opts)
			require.ErrorIs(t, err, ErrBadSubject, "unmodified")
		})
	}
	modify(shared)
	modify(own)
	for name, lookup := range map[string]RuleSetLookup{
		"registry": reg,
		"map":      mapLookup{"SCO-BASE": own},
	} {
		t.Run(name+" modified", func(t *testing.T) {
			opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime.Add(time.Hour), RuleSets: lookup}
			for doc, what := range map[*[]byte]string{&signed: "genuine", &forged: "forged"} {
				got, err := VerifyCertificate(context.Background(), *doc, opts)
				require.ErrorIs(t, err, ErrUnknownRuleSet, what)
				assert.ErrorIs(t, err, credit.ErrRuleSetModified, what)
				assert.NotErrorIs(t, err, ErrBadSubject, what)
				assert.Equal(t, "UNKNOWN_RULESET", Code(err), what)
				assert.Contains(t, err.Error(), "the recognised rule set SCO-BASE "+own.Version+" was changed after loading", what)
				assert.Equal(t, c.ID, got.ID, what)
			}
		})
	}
	// The built-in rule sets (RuleSets nil) are fresh copies, untouched.
	_, err := VerifyCertificate(context.Background(), signed, CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime.Add(time.Hour)})
	assert.NoError(t, err)
}

// TestTrustedIssuers checks the binding of issuers that are not did:keys
// to their keys.
func TestTrustedIssuers(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	otherPub, otherKey, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	const agency = "https://agency.example"
	byAgency, c := issueOne(t, IssueOptions{Key: key, Issuer: agency, Now: issueTime})
	require.Equal(t, agency, c.Issuer)
	// A second trusted key signing in the agency's name.
	impostor := resign(t, c, otherKey, func(map[string]any) {})
	byDIDKey, _ := issueOne(t, IssueOptions{Key: key, Now: issueTime})
	// Trust comes before content: an untrusted issuer's malformed
	// certificate is untrusted.
	malformed := resign(t, c, otherKey, func(d map[string]any) { subject(d)["grade"] = "C" })
	noIssuer := resign(t, c, otherKey, func(d map[string]any) { d["issuer"] = map[string]any{"id": agency} })

	both := []ed25519.PublicKey{pub, otherPub}
	tests := []struct {
		name    string
		doc     []byte
		trusted []ed25519.PublicKey
		issuers map[string][]ed25519.PublicKey
		want    error // nil: verifies
	}{
		{"nil map: key trust alone", byAgency, both, nil, nil},
		{"nil map: any trusted key names any issuer", impostor, both, nil, nil},
		{"listed", byAgency, both, map[string][]ed25519.PublicKey{agency: {pub}}, nil},
		{"other key signs in the agency's name", impostor, both, map[string][]ed25519.PublicKey{agency: {pub}}, ErrUntrustedKey},
		{"listed for another issuer", byAgency, both, map[string][]ed25519.PublicKey{"https://other.example": {pub}}, ErrUntrustedKey},
		{"issuer id must match exactly", byAgency, both, map[string][]ed25519.PublicKey{agency + "/": {pub}}, ErrUntrustedKey},
		{"empty map: did:key issuers only", byAgency, both, map[string][]ed25519.PublicKey{}, ErrUntrustedKey},
		{"empty map: did:key issuer", byDIDKey, both, map[string][]ed25519.PublicKey{}, nil},
		{"listed but not trusted", byAgency, []ed25519.PublicKey{otherPub}, map[string][]ed25519.PublicKey{agency: {pub}}, ErrUntrustedKey},
		{"untrusted before malformed", malformed, both, map[string][]ed25519.PublicKey{agency: {pub}}, ErrUntrustedKey},
		{"listed and impossible", malformed, both, map[string][]ed25519.PublicKey{agency: {otherPub}}, ErrBadSubject},
		{"issuer not a string", noIssuer, both, map[string][]ed25519.PublicKey{agency: {otherPub}}, ErrUntrustedKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := VerifyCertificate(context.Background(), tt.doc, CertificateVerifyOptions{
				TrustedKeys: tt.trusted, TrustedIssuers: tt.issuers, Now: issueTime.Add(time.Hour)})
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			if tt.want == ErrUntrustedKey {
				assert.NotErrorIs(t, err, ErrBadSubject)
			}
		})
	}
	_, err = VerifyCertificate(context.Background(), impostor, CertificateVerifyOptions{
		TrustedKeys: both, TrustedIssuers: map[string][]ed25519.PublicKey{agency: {pub}}, Now: issueTime.Add(time.Hour)})
	assert.Contains(t, err.Error(), `the issuer "https://agency.example" is not a did:key and the signing key did:key:`)
	assert.Contains(t, err.Error(), "is not trusted for it")

	// TrustedByCountry still limits a listed key.
	country := c.CredentialSubject.Enterprise.Country
	other := "CN"
	if country == other {
		other = "RU"
	}
	_, err = VerifyCertificate(context.Background(), byAgency, CertificateVerifyOptions{
		TrustedByCountry: map[string][]ed25519.PublicKey{other: {pub}},
		TrustedIssuers:   map[string][]ed25519.PublicKey{agency: {pub}}, Now: issueTime.Add(time.Hour)})
	assert.ErrorIs(t, err, ErrUntrustedKey)
	_, err = VerifyCertificate(context.Background(), byAgency, CertificateVerifyOptions{
		TrustedByCountry: map[string][]ed25519.PublicKey{country: {pub}},
		TrustedIssuers:   map[string][]ed25519.PublicKey{agency: {pub}}, Now: issueTime.Add(time.Hour)})
	assert.NoError(t, err)
}
