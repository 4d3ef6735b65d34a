package cert

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/ident"
	"github.com/creditsco/creditsco/credit/internal/jcs"
)

// resign changes the content of certificate c with change and signs the
// result with key, as a trusted issuer gone wrong (or compromised) would,
// with the proof created at issueTime.
func resign(t *testing.T, c *Certificate, key ed25519.PrivateKey, change func(doc map[string]any)) []byte {
	t.Helper()
	return resignAt(t, c, key, issueTime, change)
}

// resignAt is resign with the proof created at created.
func resignAt(t *testing.T, c *Certificate, key ed25519.PrivateKey, created time.Time, change func(doc map[string]any)) []byte {
	t.Helper()
	data, err := json.Marshal(c)
	require.NoError(t, err)
	signed, err := AddProof(edit(t, data, change), key, ProofOptions{Created: created})
	require.NoError(t, err)
	return signed
}

func subject(doc map[string]any) map[string]any { return doc["credentialSubject"].(map[string]any) }

// TestVerifyCertificateProfile checks that a certificate signed by a
// trusted key is still rejected when its content breaks the certificate
// profile, with the JSON Pointer of the problem in the message.
func TestVerifyCertificateProfile(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	_, c := issueOne(t, IssueOptions{Key: key, Now: issueTime})
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime.Add(time.Hour)}

	tests := []struct {
		name string
		edit func(map[string]any)
		want error  // nil: the certificate verifies
		msg  string // in the message
	}{
		{"unchanged", func(map[string]any) {}, nil, ""},
		{"no validUntil", func(d map[string]any) { delete(d, "validUntil") }, ErrMalformed, "/validUntil"},
		{"no validFrom", func(d map[string]any) { delete(d, "validFrom") }, ErrMalformed, "/validFrom"},
		{"validUntil before validFrom", func(d map[string]any) { d["validUntil"] = "2026-09-01T00:00:00Z" }, ErrMalformed, "validUntil 2026-09-01T00:00:00Z is before validFrom"},
		{"validUntil not a date-time", func(d map[string]any) { d["validUntil"] = "next year" }, ErrMalformed, "/validUntil"},
		{"grade not on the master scale", func(d map[string]any) { subject(d)["grade"] = "AAAA+" }, ErrBadSubject, "/credentialSubject/grade"},
		{"grade not a grade symbol", func(d map[string]any) { subject(d)["grade"] = "best" }, ErrMalformed, "/credentialSubject/grade"},
		{"negative pd", func(d map[string]any) { subject(d)["pd"] = "-5" }, ErrMalformed, "/credentialSubject/pd"},
		{"pd above 1", func(d map[string]any) { subject(d)["pd"] = "1.5" }, ErrMalformed, "/credentialSubject/pd"},
		{"pd with exponent", func(d map[string]any) { subject(d)["pd"] = "5e-4" }, ErrMalformed, "/credentialSubject/pd"},
		{"pd a number", func(d map[string]any) { subject(d)["pd"] = 0.0005 }, ErrMalformed, "/credentialSubject/pd"},
		{"pd with more places", func(d map[string]any) { subject(d)["pd"] = c.CredentialSubject.PD + "000" }, ErrBadSubject, "/credentialSubject/pd: \"" + c.CredentialSubject.PD + "000\" is not a PD with 6 decimal places"},
		{"pd 1 for an uncapped grade", func(d map[string]any) { subject(d)["pd"] = "1.000" }, ErrBadSubject, "/credentialSubject/pd"},
		{"score out of range", func(d map[string]any) { subject(d)["score"] = 99999 }, ErrBadSubject, "/credentialSubject/score"},
		{"score not an integer", func(d map[string]any) { subject(d)["score"] = 700.5 }, ErrMalformed, "/credentialSubject/score"},
		{"other master scale", func(d map[string]any) { subject(d)["masterScale"] = "Acme scale" }, ErrBadSubject, "/credentialSubject/masterScale"},
		{"no reasons", func(d map[string]any) { delete(subject(d), "reasons") }, ErrMalformed, "/credentialSubject/reasons"},
		{"unknown subject member", func(d map[string]any) { subject(d)["revenue"] = "1000000" }, ErrMalformed, "/credentialSubject/revenue"},
		{"unknown top-level member", func(d map[string]any) { d["name"] = "Certificate" }, ErrMalformed, "/name"},
		{"case variant of a member", func(d map[string]any) { d["ValidUntil"] = "2099-01-01T00:00:00Z" }, ErrMalformed, "/ValidUntil"},
		{"bad record digest", func(d map[string]any) { subject(d)["recordDigest"] = "md5:00" }, ErrMalformed, "/credentialSubject/recordDigest"},
		{"record digest in capitals", func(d map[string]any) {
			subject(d)["recordDigest"] = strings.ToUpper(c.CredentialSubject.RecordDigest)
		}, ErrMalformed, "/credentialSubject/recordDigest"},
		{"not a certificate type", func(d map[string]any) { d["type"] = []string{"VerifiableCredential"} }, ErrMalformed, "/type"},
		{"credentialStatus an object", func(d map[string]any) {
			d["credentialStatus"] = NewStatusEntry("https://status.example/credit/revocation", StatusRevocation, 7)
		}, ErrMalformed, "/credentialStatus"},
		{"too many other identifiers", func(d map[string]any) {
			ids := make([]Identifier, 10)
			for i := range ids {
				ids[i] = Identifier{Scheme: "LEI", Value: "5493001KJTIIGC8Y1R12"}
			}
			subject(d)["enterprise"].(map[string]any)["otherIdentifiers"] = ids
		}, ErrMalformed, "/credentialSubject/enterprise/otherIdentifiers"},
		{"duplicate reasons", func(d map[string]any) {
			r := c.CredentialSubject.Reasons
			subject(d)["reasons"] = []string{r[0], r[0]}
		}, ErrMalformed, "/credentialSubject/reasons"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signed := resign(t, c, key, tt.edit)
			got, err := VerifyCertificate(context.Background(), signed, opts)
			if tt.want == nil {
				require.NoError(t, err)
				assert.Equal(t, c.ID, got.ID)
				return
			}
			require.ErrorIs(t, err, tt.want)
			assert.Equal(t, Code(tt.want), Code(err))
			assert.Contains(t, err.Error(), tt.msg)
			assert.Contains(t, err.Error(), c.ID, "the error names the certificate")
		})
	}

	// Trust is judged before the content: a malformed certificate from a
	// key not trusted for its country is untrusted, not malformed.
	bad := resign(t, c, key, func(d map[string]any) { delete(d, "validUntil"); subject(d)["pd"] = "-5" })
	other := "CN"
	if c.CredentialSubject.Enterprise.Country == other {
		other = "RU"
	}
	for name, o := range map[string]CertificateVerifyOptions{
		"no trust":           {Now: issueTime},
		"other country only": {TrustedByCountry: map[string][]ed25519.PublicKey{other: {pub}}, Now: issueTime},
	} {
		_, err := VerifyCertificate(context.Background(), bad, o)
		assert.ErrorIs(t, err, ErrUntrustedKey, name)
		assert.NotErrorIs(t, err, ErrMalformed, name)
	}
	_, err := VerifyCertificate(context.Background(), bad, CertificateVerifyOptions{
		TrustedByCountry: map[string][]ed25519.PublicKey{c.CredentialSubject.Enterprise.Country: {pub}}, Now: issueTime})
	assert.ErrorIs(t, err, ErrMalformed)
}

// TestCertificateSchemaCheck checks the schema layer on its own: a grade
// of another master scale passes the schema (the rule set decides), and
// problems are reported sorted, with their JSON Pointers, at most three.
func TestCertificateSchemaCheck(t *testing.T) {
	_, c := issueOne(t, IssueOptions{Key: testKey(t), Now: issueTime})
	doc := func(edit func(map[string]any)) any {
		data, err := json.Marshal(c)
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(data, &m))
		edit(m)
		data, err = json.Marshal(m)
		require.NoError(t, err)
		v, err := jcs.Parse(data)
		require.NoError(t, err)
		return v.Tree()
	}
	assert.NoError(t, checkSchema(c.ID, doc(func(m map[string]any) {})))
	assert.NoError(t, checkSchema(c.ID, doc(func(m map[string]any) { subject(m)["grade"] = "BB+" })))

	err := checkSchema(c.ID, doc(func(m map[string]any) {
		delete(m, "validUntil")
		m["extra"] = true
		subject(m)["pd"] = "2"
		subject(m)["grade"] = "?"
		subject(m)["score"] = "high"
	}))
	require.ErrorIs(t, err, ErrMalformed)
	msg := err.Error()
	assert.Contains(t, msg, "/credentialSubject/grade: ")
	assert.Contains(t, msg, "/credentialSubject/pd: ")
	assert.Contains(t, msg, "/credentialSubject/score: ")
	assert.Contains(t, msg, "and 2 more")
	assert.NotContains(t, msg, "/validUntil", "only the first three problems are named")

	// The rule set's master scale and score range decide what the
	// schema leaves open.
	rules, err := rulesOf(credit.DefaultRuleSet())
	require.NoError(t, err)
	created, _ := parseTime(c.ValidFrom)
	x := *c
	assert.NoError(t, checkContent(&x, created, rules, ident.Default()))
	x.CredentialSubject.Score = rules.scaling.MaxScore + 1
	assert.ErrorIs(t, checkContent(&x, created, rules, ident.Default()), ErrBadSubject)
	x.CredentialSubject.Score, x.CredentialSubject.Grade = c.CredentialSubject.Score, "BB+"
	assert.ErrorIs(t, checkContent(&x, created, rules, ident.Default()), ErrBadSubject)
	assert.NoError(t, checkContent(&x, created, nil, ident.Default()), "without a recognised rule set, VerifyCertificate reports the problem")
}

// TestStatusFailsClosed checks that a credential with status entries does
// not verify without a status fetcher, unless the caller opts out, and
// that status errors name the credential and keep the list's URL.
func TestStatusFailsClosed(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	dir := t.TempDir()
	reg, err := CreateStatusRegistry(dir, StatusRegistryOptions{BaseURL: "https://status.example/credit"})
	require.NoError(t, err)
	signed, c := issueOne(t, IssueOptions{Key: key, Now: issueTime, Status: reg})
	require.NoError(t, reg.Revoke(c.ID))
	require.NoError(t, reg.Save(key, issueTime))
	base := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime.Add(time.Hour)}

	t.Run("no fetcher", func(t *testing.T) {
		_, err := VerifyCertificate(context.Background(), signed, base)
		require.ErrorIs(t, err, ErrStatusUnavailable)
		assert.Equal(t, "STATUS_UNAVAILABLE", Code(err))
		ve, ok := errors.AsType[*VerifyError](err)
		require.True(t, ok)
		assert.Equal(t, c.ID, ve.ID)
		assert.Contains(t, err.Error(), "status not checked: no status fetcher")
	})

	t.Run("skipped explicitly", func(t *testing.T) {
		o := base
		o.SkipStatus = true
		got, err := VerifyCertificate(context.Background(), signed, o)
		require.NoError(t, err, "SkipStatus accepts even a revoked certificate")
		assert.Equal(t, c.ID, got.ID)
		o.Status = DirFetcher{Dir: dir}
		_, err = VerifyCertificate(context.Background(), signed, o)
		assert.NoError(t, err, "SkipStatus wins over Status")
	})

	t.Run("revoked names the certificate", func(t *testing.T) {
		o := base
		o.Status = DirFetcher{Dir: dir}
		_, err := VerifyCertificate(context.Background(), signed, o)
		require.ErrorIs(t, err, ErrRevoked)
		ve, ok := errors.AsType[*VerifyError](err)
		require.True(t, ok)
		assert.Equal(t, c.ID, ve.ID)
		assert.Contains(t, ve.Detail, "https://status.example/credit/revocation")
		assert.Contains(t, err.Error(), "("+c.ID+")")
	})

	t.Run("unavailable names the certificate", func(t *testing.T) {
		o := base
		o.Status = DirFetcher{Dir: t.TempDir()}
		_, err := VerifyCertificate(context.Background(), signed, o)
		require.ErrorIs(t, err, ErrStatusUnavailable)
		ve, ok := errors.AsType[*VerifyError](err)
		require.True(t, ok)
		assert.Equal(t, c.ID, ve.ID)
		assert.Contains(t, ve.Detail, "https://status.example/credit/revocation")
	})

	t.Run("no entries need no fetcher", func(t *testing.T) {
		plain, _ := issueOne(t, IssueOptions{Key: key, Now: issueTime})
		_, err := VerifyCertificate(context.Background(), plain, base)
		assert.NoError(t, err)
	})

	t.Run("generic credential", func(t *testing.T) {
		vc := map[string]any{
			"@context":          []string{CredentialsContext},
			"id":                "urn:example:vc-1",
			"type":              []string{"VerifiableCredential"},
			"issuer":            DIDKey(pub),
			"credentialSubject": map[string]any{"id": "urn:example:1"},
			"credentialStatus":  NewStatusEntry(reg.ListURL(StatusRevocation), StatusRevocation, 3),
		}
		data, err := json.Marshal(vc)
		require.NoError(t, err)
		signedVC, err := AddProof(data, key, ProofOptions{Created: issueTime})
		require.NoError(t, err)

		_, err = VerifyCredential(context.Background(), signedVC, base)
		require.ErrorIs(t, err, ErrStatusUnavailable)
		ve, ok := errors.AsType[*VerifyError](err)
		require.True(t, ok)
		assert.Equal(t, "urn:example:vc-1", ve.ID)

		o := base
		o.SkipStatus = true
		_, err = VerifyCredential(context.Background(), signedVC, o)
		assert.NoError(t, err)
		o = base
		o.Status = DirFetcher{Dir: dir}
		_, err = VerifyCredential(context.Background(), signedVC, o)
		assert.NoError(t, err, "index 3 is not revoked")
	})

	t.Run("CheckStatus without fetcher", func(t *testing.T) {
		err := CheckStatus(context.Background(), c.CredentialStatus[0], nil, VerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}})
		assert.ErrorIs(t, err, ErrStatusUnavailable)
	})
}
