package cert

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
)

// certifiableSamples returns the certifiable sample records and their rule
// set.
func certifiableSamples(t testing.TB) ([]scoredRecord, *credit.RuleSet) {
	t.Helper()
	samples, rs := scoreSamples(t)
	var out []scoredRecord
	for _, s := range samples {
		if s.profile.Certifiable {
			out = append(out, s)
		}
	}
	require.NotEmpty(t, out)
	return out, rs
}

// TestIssuerMatchesIssue checks that an Issuer made once gives, record
// after record, exactly what Issue gives, and that it keeps vouching for
// the rule set as loaded when the caller changes the rule set afterwards.
func TestIssuerMatchesIssue(t *testing.T) {
	key := testKey(t)
	samples, rs := certifiableSamples(t)
	opts := IssueOptions{Key: key, Now: issueTime}
	is, err := NewIssuer(rs, opts)
	require.NoError(t, err)
	want := make([][]byte, len(samples))
	for i, s := range samples {
		signed, c, err := Issue(s.data, s.rec, s.profile, rs, opts)
		require.NoError(t, err)
		want[i] = signed
		got, gc, err := is.Issue(s.data, s.rec, s.profile)
		require.NoError(t, err)
		assert.Equal(t, string(signed), string(got), s.rec.RecordID)
		assert.Equal(t, c, gc)
	}

	// Changing the rule set after NewIssuer changes nothing the Issuer
	// states or checks; Issue, which checks the rule set each time,
	// refuses it.
	rs.Certification.ValidityMonths = 60
	rs.MasterScale.Name = "Forged scale"
	rs.MasterScale.Grades[0].Grade = "ZZZ"
	rs.Certification.MinGrade = ""
	clear(rs.Reasons)
	for i, s := range samples {
		got, _, err := is.Issue(s.data, s.rec, s.profile)
		require.NoError(t, err)
		assert.Equal(t, string(want[i]), string(got), s.rec.RecordID)
	}
	_, _, err = Issue(samples[0].data, samples[0].rec, samples[0].profile, rs, opts)
	assert.ErrorIs(t, err, credit.ErrRuleSetModified)
	_, err = NewIssuer(rs, opts)
	assert.ErrorIs(t, err, credit.ErrRuleSetModified)
}

// TestIssuerRefusesOtherDIDKey checks that a did:key issuer must be the
// signing key's, as verifiers require, while another URI is the caller's
// to bind to the key.
func TestIssuerRefusesOtherDIDKey(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	otherPub, _, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	samples, rs := certifiableSamples(t)
	s := samples[0]

	for _, issuer := range []string{DIDKey(otherPub), "did:key:z6Mk", "did:key:"} {
		_, err := NewIssuer(rs, IssueOptions{Key: key, Issuer: issuer})
		require.Error(t, err, issuer)
		assert.Contains(t, err.Error(), "not the did:key")
		signed, c, err := Issue(s.data, s.rec, s.profile, rs, IssueOptions{Key: key, Issuer: issuer, Now: issueTime})
		assert.Error(t, err, issuer)
		assert.Nil(t, signed)
		assert.Nil(t, c)
	}
	for _, issuer := range []string{"", DIDKey(pub), "https://agency.example"} {
		is, err := NewIssuer(rs, IssueOptions{Key: key, Issuer: issuer, Now: issueTime})
		require.NoError(t, err, issuer)
		_, c, err := is.Issue(s.data, s.rec, s.profile)
		require.NoError(t, err, issuer)
		if issuer == "" {
			issuer = DIDKey(pub)
		}
		assert.Equal(t, issuer, c.Issuer)
	}

	_, err = NewIssuer(rs, IssueOptions{Key: key[:10]})
	assert.Error(t, err, "a short key")
	_, err = NewIssuer(nil, IssueOptions{Key: key})
	assert.Error(t, err, "no rule set")
}

// TestIssuerErrorClasses checks the classes of Issue errors that callers
// such as certify issue tell apart: the profile's (ErrNotCertifiable),
// the record's or profile's content (ErrMalformed), and the rest.
func TestIssuerErrorClasses(t *testing.T) {
	key := testKey(t)
	samples, rs := certifiableSamples(t)
	s := samples[0]

	t.Run("pd not in the certificate's form", func(t *testing.T) {
		is, err := NewIssuer(rs, IssueOptions{Key: key, Now: issueTime})
		require.NoError(t, err)
		pd, err := profilePD(s.profile.PD)
		require.NoError(t, err)
		for _, bad := range []string{pd.String() + "e0", "-" + s.profile.PD, "1.5", "", " " + s.profile.PD} {
			p := *s.profile
			p.PD = bad
			_, _, err := is.Issue(s.data, s.rec, &p)
			require.ErrorIs(t, err, ErrMalformed, bad)
			assert.Contains(t, err.Error(), "/credentialSubject/pd", bad)
		}
	})
	t.Run("record not I-JSON", func(t *testing.T) {
		is, err := NewIssuer(rs, IssueOptions{Key: key, Now: issueTime})
		require.NoError(t, err)
		_, _, err = is.Issue([]byte(`{"a":"\ud800"}`), s.rec, s.profile)
		assert.ErrorIs(t, err, ErrMalformed)
	})
	t.Run("no identifier of the country", func(t *testing.T) {
		is, err := NewIssuer(rs, IssueOptions{Key: key, Now: issueTime})
		require.NoError(t, err)
		rec := *s.rec
		rec.Enterprise.Identifiers = nil
		_, _, err = is.Issue(s.data, &rec, s.profile)
		assert.ErrorIs(t, err, ErrMalformed)
	})
	t.Run("status registry full", func(t *testing.T) {
		reg, err := CreateStatusRegistry(t.TempDir(), "https://status.example/credit")
		require.NoError(t, err)
		reg.index.Next = reg.lists[StatusRevocation].Len()
		is, err := NewIssuer(rs, IssueOptions{Key: key, Now: issueTime, Status: reg})
		require.NoError(t, err)
		_, _, err = is.Issue(s.data, s.rec, s.profile)
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrMalformed)
		assert.NotErrorIs(t, err, ErrNotCertifiable)
	})
}

// TestVerifyCertificateBeyondSchema covers what a trusted key can sign
// that the certificate schema admits but a certificate cannot be: the
// checks of parseCertificate and parseValidity.
func TestVerifyCertificateBeyondSchema(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	_, c := issueOne(t, IssueOptions{Key: key, Now: issueTime})
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime.Add(time.Hour)}
	for name, tt := range map[string]struct {
		edit func(map[string]any)
		want string
	}{
		"score beyond int64":          {func(d map[string]any) { subject(d)["score"] = json.Number("1e21") }, "cannot unmarshal number 1e+21"},
		"empty rule set id":           {func(d map[string]any) { subject(d)["ruleSet"].(map[string]any)["id"] = "" }, "/credentialSubject/ruleSet/id: a required member is empty"},
		"validFrom a bare date":       {func(d map[string]any) { d["validFrom"] = "2026-10-01" }, `/validFrom: "2026-10-01" is not an XML Schema dateTimeStamp`},
		"validUntil a bare time":      {func(d map[string]any) { d["validUntil"] = "09:00:00Z" }, `/validUntil: "09:00:00Z" is not an XML Schema dateTimeStamp`},
		"validUntil before validFrom": {func(d map[string]any) { d["validUntil"] = "2026-09-30T09:00:00+02:00" }, "is before validFrom"},
	} {
		t.Run(name, func(t *testing.T) {
			signed := resign(t, c, key, tt.edit)
			_, err := VerifyCertificate(context.Background(), signed, opts)
			require.ErrorIs(t, err, ErrMalformed)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestVerifyCredentialMembers checks the members a generic credential,
// which has no schema, is read for: validFrom, validUntil and
// credentialStatus, of any JSON type.
func TestVerifyCredentialMembers(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime}
	entry := `{"id":"https://status.example/credit/revocation#7","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"7","statusListCredential":"https://status.example/credit/revocation"}`
	for members, want := range map[string]error{
		`"validFrom":"2026-01-01T00:00:00Z","validUntil":"2027-01-01T00:00:00Z"`: nil,
		`"validFrom":"2026-01-01"`: ErrMalformed,
		`"validFrom":20260101`:     ErrMalformed,
		`"validUntil":null`:        nil,
		`"validFrom":"2027-01-01T00:00:00Z","validUntil":"2026-01-01T00:00:00Z"`: ErrMalformed,
		`"validFrom":"2026-12-01T00:00:00Z"`:                                     ErrNotYetValid,
		`"validUntil":"2026-01-01T00:00:00Z"`:                                    ErrExpired,
		`"credentialStatus":` + entry:                                            ErrStatusUnavailable,
		`"credentialStatus":[` + entry + `]`:                                     ErrStatusUnavailable,
		`"credentialStatus":"revoked"`:                                           ErrMalformed,
		`"credentialStatus":null`:                                                nil,
	} {
		vc := fmt.Sprintf(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":%q,%s,"credentialSubject":{"id":"urn:example:1"}}`, DIDKey(pub), members)
		signed, err := AddProof([]byte(vc), key, ProofOptions{Created: issueTime})
		require.NoError(t, err, members)
		info, err := VerifyCredential(context.Background(), signed, opts)
		if want == nil {
			assert.NoError(t, err, members)
		} else {
			assert.ErrorIs(t, err, want, members)
		}
		require.NotNil(t, info, members)
		assert.Equal(t, string(info.Document), string(info.unsecured.Canonical()), "the kept value is the signed document")
	}
}
