package cert

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/rulesets"
	"github.com/creditsco/creditsco/schema"
)

// countrySample returns the sample record recordID scored under its
// country's rule set.
func countrySample(t *testing.T, recordID string) scoredRecord {
	t.Helper()
	for _, s := range countrySamples(t) {
		if s.rec.RecordID == recordID {
			return s
		}
	}
	t.Fatalf("no sample record %s", recordID)
	return scoredRecord{}
}

// builtin returns the built-in rule set id, highest version.
func builtin(t testing.TB, id string) *credit.RuleSet {
	t.Helper()
	rs, ok := credit.BuiltinRuleSets().Lookup(id)
	require.True(t, ok, id)
	return rs
}

// assessWith assesses the JSON record data under rule set rs, with the
// bundled FX rates.
func assessWith(t testing.TB, rs *credit.RuleSet, data []byte) *credit.Assessment {
	t.Helper()
	eng, err := credit.NewEngine(rs, credit.EngineOptions{Rates: mustRates(t)})
	require.NoError(t, err)
	a, err := eng.Assess(context.Background(), data)
	require.NoError(t, err)
	return a
}

// verifyErr verifies doc with the test key trusted, an hour after the
// time of issue, without status.
func verifyErr(t *testing.T, doc []byte, opts CertificateVerifyOptions) error {
	t.Helper()
	if opts.TrustedKeys == nil {
		opts.TrustedKeys = []ed25519.PublicKey{testKey(t).Public().(ed25519.PublicKey)}
	}
	if opts.Now.IsZero() {
		opts.Now = issueTime.Add(time.Hour)
	}
	_, err := VerifyCertificate(context.Background(), doc, opts)
	return err
}

// checkVerify asserts that err is nil when want is, and else matches want
// with its code and contains msg.
func checkVerify(t *testing.T, err, want error, msg string) {
	t.Helper()
	if want == nil {
		assert.NoError(t, err)
		return
	}
	require.ErrorIs(t, err, want)
	assert.Equal(t, Code(want), Code(err))
	assert.Contains(t, err.Error(), msg)
}

// forgery is certificate c changed by edit and signed again by the
// trusted key, and what verifying it gives: want (nil: it verifies),
// with msg in the message.
type forgery struct {
	name string
	c    *Certificate
	edit func(d map[string]any)
	want error
	msg  string
}

// checkForgeries verifies each forgery, signed with key.
func checkForgeries(t *testing.T, key ed25519.PrivateKey, cases []forgery) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			checkVerify(t, verifyErr(t, resign(t, tt.c, key, tt.edit), CertificateVerifyOptions{}), tt.want, tt.msg)
		})
	}
}

// TestCertificateLocalGrade checks that a certificate carries the local
// label of its grade when the rule set names one (kz-001 is BBB under
// SCO-KZ, kzAAA on the Kazakhstan national scale), none otherwise, and
// that verifiers accept only the label the rule set gives.
func TestCertificateLocalGrade(t *testing.T) {
	key := testKey(t)
	kz := countrySample(t, "kz-001")
	signed, c, err := Issue(kz.assessment, IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)
	rs := kz.assessment.RuleSet()
	require.Equal(t, "SCO-KZ", rs.ID)
	require.Equal(t, "BBB", c.CredentialSubject.Grade, "the sample the cases below are written for")
	want := &LocalGrade{Label: "kzAAA", Scale: rs.LocalScale.Name}
	assert.Equal(t, want, c.CredentialSubject.LocalGrade)
	assert.Equal(t, &credit.LocalGrade{Label: want.Label, Scale: want.Scale}, kz.profile.LocalGrade, "the profile's local_grade")
	assert.Less(t, bytes.Index(signed, []byte(`"grade":`)), bytes.Index(signed, []byte(`"localGrade":`)), "the master grade first")
	require.NoError(t, verifyErr(t, signed, CertificateVerifyOptions{}))

	kzB := countrySample(t, "kz-002")
	_, cB, err := Issue(kzB.assessment, IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)
	require.Equal(t, "B", cB.CredentialSubject.Grade)
	assert.Nil(t, cB.CredentialSubject.LocalGrade, "SCO-KZ names no label below BBB")
	_, cCN, err := Issue(countrySample(t, "cn-001").assessment, IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)
	assert.Nil(t, cCN.CredentialSubject.LocalGrade, "SCO-CN names no local scale")

	local := func(d map[string]any) map[string]any { return subject(d)["localGrade"].(map[string]any) }
	checkForgeries(t, key, []forgery{
		{"unchanged", c, func(map[string]any) {}, nil, ""},
		{"missing", c, func(d map[string]any) { delete(subject(d), "localGrade") }, ErrBadSubject,
			`/credentialSubject/localGrade: missing; rule set SCO-KZ labels grade BBB "kzAAA" on the S&P Global Ratings Kazakhstan national scale (kz)`},
		{"another label", c, func(d map[string]any) { local(d)["label"] = "kzBBB" }, ErrBadSubject,
			`/credentialSubject/localGrade/label: "kzBBB" is not "kzAAA", the label rule set SCO-KZ gives grade BBB on the S&P Global Ratings Kazakhstan national scale (kz)`},
		{"another scale", c, func(d map[string]any) { local(d)["scale"] = "Fitch national scale" }, ErrBadSubject,
			`/credentialSubject/localGrade/scale: "Fitch national scale" is not the S&P Global Ratings Kazakhstan national scale (kz), the national scale of rule set SCO-KZ`},
		{"on a grade without one", cB, func(d map[string]any) { subject(d)["localGrade"] = want }, ErrBadSubject,
			`/credentialSubject/localGrade: rule set SCO-KZ names no local label for grade B, but the certificate says "kzAAA"`},
		{"under a rule set without a local scale", cCN, func(d map[string]any) { subject(d)["localGrade"] = want }, ErrBadSubject,
			"rule set SCO-CN names no local label for grade BBB"},
		{"a member of its own", c, func(d map[string]any) { local(d)["grade"] = "BBB" }, ErrMalformed, "/credentialSubject/localGrade/grade"},
		{"no scale", c, func(d map[string]any) { delete(local(d), "scale") }, ErrMalformed, "/credentialSubject/localGrade/scale"},
		{"empty label", c, func(d map[string]any) { local(d)["label"] = "" }, ErrMalformed, "/credentialSubject/localGrade/label"},
		{"label longer than a rule set allows", c, func(d map[string]any) { local(d)["label"] = strings.Repeat("k", 33) }, ErrMalformed, "/credentialSubject/localGrade/label"},
		{"a string", c, func(d map[string]any) { subject(d)["localGrade"] = "kzAAA" }, ErrMalformed, "/credentialSubject/localGrade"},
	})
}

// TestCertificatePrimaryIdentifier checks that a certificate names the
// primary identifier its rule set prefers, as RuleSet.PrimaryIdentifier
// picks it, whatever the order of the record's identifiers, and that
// verifiers refuse another choice where the rule set names its primary
// schemes. The IN sample lists a GSTIN, the PAN it embeds, a CIN and an
// LEI; SCO-IN prefers IN-CIN, then IN-PAN, then IN-GSTIN.
func TestCertificatePrimaryIdentifier(t *testing.T) {
	key := testKey(t)
	in := countrySample(t, "in-001")
	var ids []map[string]string
	for _, id := range in.rec.Enterprise.Identifiers {
		ids = append(ids, map[string]string{"scheme": id.Scheme, "value": id.Value})
	}
	require.Equal(t, []string{"IN-GSTIN", "IN-PAN", "IN-CIN", "LEI"}, []string{ids[0]["scheme"], ids[1]["scheme"], ids[2]["scheme"], ids[3]["scheme"]})
	// withIDs is the record with the identifiers of the given indexes.
	withIDs := func(idx ...int) []byte {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(in.data, &rec))
		var keep []map[string]string
		for _, i := range idx {
			keep = append(keep, ids[i])
		}
		rec["enterprise"].(map[string]any)["identifiers"] = keep
		data, err := json.Marshal(rec)
		require.NoError(t, err)
		return data
	}
	for _, tt := range []struct {
		name    string
		ruleSet string
		ids     []int
		primary string
	}{
		{"SCO-IN prefers the CIN", "SCO-IN", []int{0, 1, 2, 3}, "IN-CIN"},
		{"SCO-IN, CIN first", "SCO-IN", []int{2, 1, 0}, "IN-CIN"},
		{"SCO-IN without a CIN", "SCO-IN", []int{0, 1, 3}, "IN-PAN"},
		{"SCO-IN with a GSTIN only", "SCO-IN", []int{0, 3}, "IN-GSTIN"},
		{"SCO-BASE names none: the first of the country", "SCO-BASE", []int{0, 1, 2, 3}, "IN-GSTIN"},
		{"SCO-BASE, PAN first", "SCO-BASE", []int{1, 2, 0}, "IN-PAN"},
		{"SCO-KZ's primary schemes are of KZ: the first of IN", "SCO-KZ", []int{0, 1, 2, 3}, "IN-GSTIN"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rs := builtin(t, tt.ruleSet)
			a := assessWith(t, rs, withIDs(tt.ids...))
			_, c, err := Issue(a, IssueOptions{Key: key, Now: issueTime})
			require.NoError(t, err)
			ent := a.Enterprise()
			want, ok := rs.PrimaryIdentifier(&ent)
			require.True(t, ok)
			assert.Equal(t, tt.primary, want.Scheme, "RuleSet.PrimaryIdentifier")
			assert.Equal(t, Identifier{Scheme: want.Scheme, Value: want.Value}, c.CredentialSubject.Enterprise.Identifier)
			assert.Len(t, c.CredentialSubject.Enterprise.OtherIdentifiers, len(tt.ids)-1, "every other identifier, once")
		})
	}

	// A trusted key that names another primary identifier than the rule
	// set's (the identifiers themselves all valid) is caught where the
	// rule set names its primary schemes, and cannot be where it names
	// none.
	swap := func(k int) func(d map[string]any) {
		return func(d map[string]any) {
			e := subject(d)["enterprise"].(map[string]any)
			others := e["otherIdentifiers"].([]any)
			e["identifier"], others[k] = others[k], e["identifier"]
		}
	}
	underIN, _, err := Issue(in.assessment, IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)
	_, cIN, err := Issue(in.assessment, IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)
	require.NoError(t, verifyErr(t, underIN, CertificateVerifyOptions{}))
	require.Equal(t, "IN-GSTIN", cIN.CredentialSubject.Enterprise.OtherIdentifiers[0].Scheme)
	_, cBase, err := Issue(assessWith(t, builtin(t, "SCO-BASE"), in.data), IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)
	require.Equal(t, "IN-PAN", cBase.CredentialSubject.Enterprise.OtherIdentifiers[0].Scheme)
	checkForgeries(t, key, []forgery{
		{"SCO-IN, the GSTIN named", cIN, swap(0), ErrBadIdentifier,
			"/credentialSubject/enterprise/identifier: IN-GSTIN is not the primary identifier that rule set SCO-IN names: it prefers IN-CIN (in the order IN-CIN, IN-PAN, IN-GSTIN), which the certificate lists at /credentialSubject/enterprise/otherIdentifiers/0"},
		{"SCO-IN, the PAN named", cIN, swap(1), ErrBadIdentifier,
			"IN-PAN is not the primary identifier that rule set SCO-IN names: it prefers IN-CIN"},
		{"SCO-IN, the LEI named", cIN, swap(2), ErrBadIdentifier, "scheme LEI is of no country"},
		{"SCO-BASE, the PAN named", cBase, swap(0), nil, ""},
	})
}

// TestCertificateOtherCountryRuleSet checks the decision on certificates
// under a rule set made for another country, as when an issuer forces one
// rule set on a mixed batch: they are issued, as the issuer asked, and
// carry the warning RULESET_OTHER_COUNTRY, which verifiers require exactly
// then, so that no verifier mistakes one for a certificate under the
// enterprise's own rule set.
func TestCertificateOtherCountryRuleSet(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	cn := countrySample(t, "cn-001")
	other := assessWith(t, builtin(t, "SCO-KZ"), cn.data)
	require.True(t, slices.ContainsFunc(other.Profile().Warnings, func(p credit.Problem) bool { return p.Code == credit.CodeRuleSetOtherCountry }),
		"the profile carries the warning")
	signed, c, err := Issue(other, IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err, "a forced rule set gives what was asked for")
	s := c.CredentialSubject
	assert.Equal(t, []string{credit.CodeRuleSetOtherCountry}, s.Warnings)
	assert.Equal(t, "SCO-KZ", s.RuleSet.ID)
	assert.Equal(t, "CN-USCC", s.Enterprise.Identifier.Scheme, "the enterprise's own identifier, as SCO-KZ's primary schemes are of KZ")
	if label, ok := builtin(t, "SCO-KZ").LocalLabel(s.Grade); ok {
		assert.Equal(t, label, s.LocalGrade.Label, "the label the forced rule set gives, beside the warning")
	}
	got, err := VerifyCertificate(context.Background(), signed, CertificateVerifyOptions{
		TrustedByCountry: map[string][]ed25519.PublicKey{"CN": {pub}}, Now: issueTime.Add(time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, []string{credit.CodeRuleSetOtherCountry}, got.CredentialSubject.Warnings, "the verifier sees it")

	_, home, err := Issue(cn.assessment, IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)
	assert.Empty(t, home.CredentialSubject.Warnings)
	_, base, err := Issue(assessWith(t, builtin(t, "SCO-BASE"), cn.data), IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)
	assert.Empty(t, base.CredentialSubject.Warnings, "SCO-BASE is made for every country")

	warn := func(w any) func(d map[string]any) { return func(d map[string]any) { subject(d)["warnings"] = w } }
	checkForgeries(t, key, []forgery{
		{"warning dropped", c, func(d map[string]any) { delete(subject(d), "warnings") }, ErrBadSubject,
			"/credentialSubject/warnings: [], not [RULESET_OTHER_COUNTRY]: rule set SCO-KZ was made for KZ, not for the enterprise's country CN"},
		{"warning on the home rule set", home, warn([]string{credit.CodeRuleSetOtherCountry}), ErrBadSubject,
			"/credentialSubject/warnings: [RULESET_OTHER_COUNTRY], but rule set SCO-CN was made for CN, the enterprise's country, so there is nothing to warn of"},
		{"warning on the baseline", base, warn([]string{credit.CodeRuleSetOtherCountry}), ErrBadSubject,
			"rule set SCO-BASE was made for every country"},
		{"the enterprise moved to KZ", c, func(d map[string]any) {
			delete(subject(d), "warnings")
			subject(d)["enterprise"].(map[string]any)["country"] = "KZ"
		}, ErrBadIdentifier, "scheme CN-USCC is of CN, not a scheme of the enterprise's country KZ"},
		{"an unknown code", c, warn([]string{"SOMETHING_ELSE"}), ErrMalformed, "/credentialSubject/warnings/0"},
		{"twice", c, warn([]string{credit.CodeRuleSetOtherCountry, credit.CodeRuleSetOtherCountry}), ErrMalformed, "/credentialSubject/warnings"},
		{"empty", home, warn([]string{}), ErrMalformed, "/credentialSubject/warnings"},
	})
}

// lookupOnly hides LookupVersion: a RuleSetLookup that finds one version
// per id.
type lookupOnly struct{ reg *credit.RuleSetRegistry }

func (l lookupOnly) Lookup(id string) (*credit.RuleSet, bool) { return l.reg.Lookup(id) }

// kzVersion loads the built-in SCO-KZ as version version, with the
// description changed by note, and registers it in reg.
func kzVersion(t *testing.T, reg *credit.RuleSetRegistry, version, note string) *credit.RuleSet {
	t.Helper()
	data, err := rulesets.Files.ReadFile("kz.json")
	require.NoError(t, err)
	data = bytes.Replace(data, []byte(`"version": "1.1.0"`), []byte(`"version": "`+version+`"`), 1)
	data = bytes.Replace(data, []byte(`"description": "`), []byte(`"description": "`+note), 1)
	rs, err := credit.LoadRuleSet(bytes.NewReader(data))
	require.NoError(t, err)
	require.NoError(t, reg.Register(rs))
	got, ok := reg.LookupVersion("SCO-KZ", version)
	require.True(t, ok)
	return got
}

// TestVerifyRuleSetVersions checks that certificates issued under an
// earlier version of a rule set keep verifying once a later version is
// registered beside it: a registry is asked for the certificate's id and
// version (RuleSetVersionLookup), not for the highest version of the id.
func TestVerifyRuleSetVersions(t *testing.T) {
	key := testKey(t)
	kz := countrySample(t, "kz-001")
	reg := credit.BuiltinRuleSets()
	v1, ok := reg.LookupVersion("SCO-KZ", "1.1.0")
	require.True(t, ok)
	v2 := kzVersion(t, reg, "1.2.0", "Revised. ")
	latest, _ := reg.Lookup("SCO-KZ")
	require.Same(t, v2, latest, "Lookup gives the highest version")
	require.NotEqual(t, v1.Digest(), v2.Digest())
	old, _, err := Issue(assessWith(t, v1, kz.data), IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)
	current, _, err := Issue(assessWith(t, v2, kz.data), IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)

	// A registry whose 1.2.0 is another file than the one certified.
	forkReg := credit.BuiltinRuleSets()
	kzVersion(t, forkReg, "1.2.0", "Forked. ")

	for _, tt := range []struct {
		name   string
		lookup RuleSetLookup
		doc    []byte
		want   error
		msg    string
	}{
		{"registry, 1.1.0", reg, old, nil, ""},
		{"registry, 1.2.0", reg, current, nil, ""},
		{"built-in, 1.1.0", nil, old, nil, ""},
		{"built-in, 1.2.0", nil, current, ErrUnknownRuleSet, "rule set SCO-KZ version 1.2.0 is not recognised"},
		{"Lookup only, 1.2.0", lookupOnly{reg}, current, nil, ""},
		{"Lookup only, 1.1.0", lookupOnly{reg}, old, ErrUnknownRuleSet, "rule set SCO-KZ version 1.1.0 digest " + v1.Digest() + " is not the recognised version 1.2.0"},
		{"another 1.2.0", forkReg, current, ErrUnknownRuleSet, "rule set SCO-KZ version 1.2.0 digest " + v2.Digest() + " is not the recognised version 1.2.0 digest"},
		{"another 1.2.0, 1.1.0", forkReg, old, nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkVerify(t, verifyErr(t, tt.doc, CertificateVerifyOptions{RuleSets: tt.lookup}), tt.want, tt.msg)
		})
	}
}

// TestContextDefinesEveryTerm checks that the JSON-LD context defines
// every member the certificate schema allows in the subject, within the
// scoped context of the object that holds it, so that no member of a
// certificate is dropped by JSON-LD processing.
func TestContextDefinesEveryTerm(t *testing.T) {
	var sch, ctx map[string]any
	require.NoError(t, json.Unmarshal(schema.CreditCertificate, &sch))
	require.NoError(t, json.Unmarshal(schema.CreditCertificateContext, &ctx))
	top := ctx["@context"].(map[string]any)
	subjectSchema := sch["properties"].(map[string]any)["credentialSubject"].(map[string]any)
	var walk func(path string, s map[string]any, scopes []map[string]any)
	n := 0
	walk = func(path string, s map[string]any, scopes []map[string]any) {
		if items, ok := s["items"].(map[string]any); ok {
			walk(path, items, scopes)
		}
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			n++
			var def map[string]any
			for _, sc := range slices.Backward(scopes) {
				if d, ok := sc[name].(map[string]any); ok {
					def = d
					break
				}
			}
			if !assert.NotNil(t, def, "%s/%s has no term in the context", path, name) {
				continue
			}
			assert.Contains(t, def["@id"], "https://creditsco.org/ns/credit#", "%s/%s", path, name)
			inner := scopes
			if scoped, ok := def["@context"].(map[string]any); ok {
				inner = append(slices.Clone(scopes), scoped)
			}
			walk(path+"/"+name, p.(map[string]any), inner)
		}
	}
	walk("/credentialSubject", subjectSchema, []map[string]any{top})
	assert.GreaterOrEqual(t, n, 20, "members checked")
	for _, term := range []string{"localGrade", "warnings"} {
		assert.Contains(t, top, term)
	}
}
