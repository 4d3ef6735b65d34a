package cert

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/ident"
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
		signed, c, err := Issue(s.assessment, opts)
		require.NoError(t, err)
		want[i] = signed
		got, gc, err := is.Issue(s.assessment)
		require.NoError(t, err)
		assert.Equal(t, string(signed), string(got), s.rec.RecordID)
		assert.Equal(t, c, gc)
	}

	// Changing the rule set after NewIssuer changes nothing the Issuer
	// states or checks, nor what Issue states, which takes the rule set
	// from the assessment's engine; NewIssuer refuses the changed rule
	// set.
	rs.Certification.ValidityMonths = 60
	rs.MasterScale.Name = "Forged scale"
	rs.MasterScale.Grades[0].Grade = "ZZZ"
	rs.Certification.MinGrade = ""
	clear(rs.Reasons)
	for i, s := range samples {
		got, _, err := is.Issue(s.assessment)
		require.NoError(t, err)
		assert.Equal(t, string(want[i]), string(got), s.rec.RecordID)
		got, _, err = Issue(s.assessment, opts)
		require.NoError(t, err)
		assert.Equal(t, string(want[i]), string(got), s.rec.RecordID)
	}
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
		signed, c, err := Issue(s.assessment, IssueOptions{Key: key, Issuer: issuer, Now: issueTime})
		assert.Error(t, err, issuer)
		assert.Nil(t, signed)
		assert.Nil(t, c)
	}
	for _, issuer := range []string{"", DIDKey(pub), "https://agency.example"} {
		is, err := NewIssuer(rs, IssueOptions{Key: key, Issuer: issuer, Now: issueTime})
		require.NoError(t, err, issuer)
		_, c, err := is.Issue(s.assessment)
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

// issueCountry issues the first certifiable sample certificate of an
// enterprise of country cc.
func issueCountry(t *testing.T, cc string, opts IssueOptions) ([]byte, *Certificate) {
	t.Helper()
	samples, _ := certifiableSamples(t)
	for _, s := range samples {
		if s.rec.Enterprise.Country == cc {
			signed, c, err := Issue(s.assessment, opts)
			require.NoError(t, err)
			return signed, c
		}
	}
	t.Fatalf("no certifiable sample of %s", cc)
	return nil, nil
}

// kzExample loads the example country rule set, which extends SCO-BASE.
func kzExample(t testing.TB) *credit.RuleSet {
	t.Helper()
	reg := credit.BuiltinRuleSets()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "rulesets", "kz-example.json"))
	require.NoError(t, err)
	defer f.Close()
	rs, err := credit.LoadRuleSet(f)
	require.NoError(t, err)
	require.NoError(t, reg.Register(rs))
	resolved, ok := reg.Lookup(rs.ID)
	require.True(t, ok)
	return resolved
}

// TestIssuerErrorClasses checks the classes of Issue errors that callers
// such as certify issue tell apart: an assessment that cannot be
// certified (ErrNotCertifiable, with the reason), and errors that are not
// about the assessment. None is a panic.
func TestIssuerErrorClasses(t *testing.T) {
	key := testKey(t)
	samples, rs := certifiableSamples(t)
	s := samples[0]
	asOf := s.assessment.AsOf().In(time.UTC)
	issuer := func(t *testing.T, opts IssueOptions) *Issuer {
		t.Helper()
		opts.Key = key
		is, err := NewIssuer(rs, opts)
		require.NoError(t, err)
		return is
	}

	t.Run("not certifiable", func(t *testing.T) {
		empty, err := ident.NewRegistry()
		require.NoError(t, err)
		for name, tt := range map[string]struct {
			opts   IssueOptions
			reason error
			msg    string
		}{
			"issued before the assessment date":  {IssueOptions{Now: asOf.Add(-time.Hour)}, ErrBadValidity, "/credentialSubject/assessmentDate: " + s.assessment.AsOf().String() + " is after the date of issue"},
			"assessment older than the validity": {IssueOptions{Now: asOf.AddDate(1, 1, 0)}, ErrBadValidity, "is more than the 12 months of validity"},
			"issued before the format existed":   {IssueOptions{Now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, ErrBadValidity, "/validFrom: 2024-01-01T00:00:00Z is before 2025-05-15"},
			"scheme unknown to the issuer":       {IssueOptions{Now: issueTime, Identifiers: empty}, ErrBadIdentifier, "is not in the issuer's identifier registry"},
		} {
			t.Run(name, func(t *testing.T) {
				signed, c, err := issuer(t, tt.opts).Issue(s.assessment)
				require.ErrorIs(t, err, ErrNotCertifiable)
				require.ErrorIs(t, err, tt.reason)
				assert.Contains(t, err.Error(), tt.msg)
				assert.Contains(t, err.Error(), "cert: record "+s.rec.RecordID+" cannot be certified: ")
				assert.Equal(t, 1, strings.Count(err.Error(), "cert:"), "one prefix: %s", err)
				assert.Nil(t, signed)
				assert.Nil(t, c)
			})
		}
	})

	t.Run("record not I-JSON", func(t *testing.T) {
		// A lone surrogate is not I-JSON: the record digest cannot be
		// computed. Whether the validator refuses it or Issue does, it
		// is never certified.
		data := bytes.Replace(s.data, []byte(`"legal_name":"`), []byte(`"legal_name":"\ud800`), 1)
		require.NotEqual(t, s.data, data)
		eng, err := credit.NewEngine(rs, credit.EngineOptions{})
		require.NoError(t, err)
		a, err := eng.Assess(context.Background(), data)
		if err != nil {
			assert.ErrorIs(t, err, credit.ErrInvalidRecord)
			return
		}
		_, _, err = issuer(t, IssueOptions{Now: issueTime}).Issue(a)
		require.ErrorIs(t, err, ErrNotCertifiable)
		assert.True(t, errors.Is(err, ErrMalformed) || errors.Is(err, ErrBadSubject), "%v", err)
	})

	t.Run("not about the assessment", func(t *testing.T) {
		reg, err := CreateStatusRegistry(t.TempDir(), StatusRegistryOptions{BaseURL: "https://status.example/credit"})
		require.NoError(t, err)
		reg.state.Next = reg.state.ListLength
		full := issuer(t, IssueOptions{Now: issueTime, Status: reg})
		kz := kzExample(t)
		kzIssuer, err := NewIssuer(kz, IssueOptions{Key: key, Now: issueTime})
		require.NoError(t, err)
		var nilIssuer *Issuer
		twice := issuer(t, IssueOptions{Now: issueTime, Status: allocatorFunc(func(c *Certificate) []BitstringStatusListEntry {
			return []BitstringStatusListEntry{NewStatusEntry("https://s.example/a", StatusRevocation, 1), NewStatusEntry("https://s.example/b", StatusRevocation, 2)}
		})})
		for name, issue := range map[string]func() ([]byte, *Certificate, error){
			"status registry full":                   func() ([]byte, *Certificate, error) { return full.Issue(s.assessment) },
			"allocator gives two revocation entries": func() ([]byte, *Certificate, error) { return twice.Issue(s.assessment) },
			"another rule set":                       func() ([]byte, *Certificate, error) { return kzIssuer.Issue(s.assessment) },
			"nil Issuer":                             func() ([]byte, *Certificate, error) { return nilIssuer.Issue(s.assessment) },
			"zero Issuer":                            func() ([]byte, *Certificate, error) { return (&Issuer{}).Issue(s.assessment) },
			"nil assessment":                         func() ([]byte, *Certificate, error) { return full.Issue(nil) },
			"zero assessment":                        func() ([]byte, *Certificate, error) { return full.Issue(&credit.Assessment{}) },
			"Issue, nil assessment":                  func() ([]byte, *Certificate, error) { return Issue(nil, IssueOptions{Key: key}) },
			"Issue, zero assessment":                 func() ([]byte, *Certificate, error) { return Issue(&credit.Assessment{}, IssueOptions{Key: key}) },
			"Issue, nil key":                         func() ([]byte, *Certificate, error) { return Issue(s.assessment, IssueOptions{}) },
		} {
			signed, c, err := issue()
			require.Error(t, err, name)
			assert.NotErrorIs(t, err, ErrNotCertifiable, name)
			assert.Nil(t, signed, name)
			assert.Nil(t, c, name)
		}
	})
}

// allocatorFunc is a StatusAllocator of the entries f gives.
type allocatorFunc func(c *Certificate) []BitstringStatusListEntry

func (f allocatorFunc) AllocateStatus(_ context.Context, c *Certificate) ([]BitstringStatusListEntry, error) {
	return f(c), nil
}

// TestIssueCustomScheme checks that a scheme a user registers works for
// validating, issuing and verifying: the issuer takes the registry the
// record was validated with, and a verifier needs it too.
func TestIssueCustomScheme(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	samples, rs := certifiableSamples(t)
	reg, err := ident.NewRegistry(append(ident.Builtins(), kzTrade{})...)
	require.NoError(t, err)
	val, err := credit.NewValidator(credit.ValidatorOptions{Identifiers: reg})
	require.NoError(t, err)
	eng, err := credit.NewEngine(rs, credit.EngineOptions{Validator: val})
	require.NoError(t, err)
	var s scoredRecord
	for _, smp := range samples {
		if smp.rec.Enterprise.Country == "KZ" {
			s = smp
			break
		}
	}
	require.NotNil(t, s.rec, "a certifiable KZ sample")
	data := bytes.Replace(s.data, []byte(`"identifiers":[`), []byte(`"identifiers":[{"scheme":"KZ-TRADE","value":"tr-0042"},`), 1)
	require.NotEqual(t, s.data, data)
	a, err := eng.Assess(context.Background(), data)
	require.NoError(t, err)
	signed, c, err := Issue(a, IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)
	assert.Equal(t, Identifier{Scheme: "KZ-TRADE", Value: "TR0042"}, c.CredentialSubject.Enterprise.Identifier, "the first identifier of the country, normalised")

	opts := CertificateVerifyOptions{TrustedByCountry: map[string][]ed25519.PublicKey{"KZ": {pub}}, Now: issueTime}
	_, err = VerifyCertificate(context.Background(), signed, opts)
	require.ErrorIs(t, err, ErrBadIdentifier, "the built-in registry does not know KZ-TRADE")
	assert.Equal(t, "BAD_IDENTIFIER", Code(err))
	opts.Identifiers = reg
	_, err = VerifyCertificate(context.Background(), signed, opts)
	require.NoError(t, err)

	// SCO-KZ names KZ-BIN as the primary scheme: the custom scheme is
	// then one of the others.
	kzRules, ok := credit.BuiltinRuleSets().Lookup("SCO-KZ")
	require.True(t, ok)
	eng, err = credit.NewEngine(kzRules, credit.EngineOptions{Validator: val})
	require.NoError(t, err)
	a, err = eng.Assess(context.Background(), data)
	require.NoError(t, err)
	signed, c, err = Issue(a, IssueOptions{Key: key, Now: issueTime})
	require.NoError(t, err)
	assert.Equal(t, "KZ-BIN", c.CredentialSubject.Enterprise.Identifier.Scheme)
	assert.Contains(t, c.CredentialSubject.Enterprise.OtherIdentifiers, Identifier{Scheme: "KZ-TRADE", Value: "TR0042"})
	_, err = VerifyCertificate(context.Background(), signed, opts)
	require.NoError(t, err)
}

// kzTrade is a custom identifier scheme of Kazakhstan, as a user would
// register: "TR" and four digits, written with any case and separators.
type kzTrade struct{}

func (kzTrade) Name() string        { return "KZ-TRADE" }
func (kzTrade) Country() string     { return "KZ" }
func (kzTrade) Title() string       { return "Trade register number (test)" }
func (kzTrade) HasCheckDigit() bool { return false }
func (kzTrade) Normalize(v string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(v))
}
func (k kzTrade) Validate(v string) error {
	n := k.Normalize(v)
	if len(n) != 6 || !strings.HasPrefix(n, "TR") || strings.Trim(n[2:], "0123456789") != "" {
		return &ident.Error{Scheme: k.Name(), Kind: ident.ErrFormat, Detail: "want TR and four digits"}
	}
	return nil
}
func (k kzTrade) Format(v string) (string, error) { return k.Normalize(v), k.Validate(v) }

// TestVerifyCertificateBeyondSchema covers what a trusted key can sign
// that the certificate schema admits but an issuer never writes: the
// checks of parseCertificate, parseValidity and checkContent.
func TestVerifyCertificateBeyondSchema(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	_, c := issueCountry(t, "KZ", IssueOptions{Key: key, Now: issueTime})
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime.Add(time.Hour)}
	// withID keeps the derived id in step with an edit of validFrom, so
	// that the check under test is the one that fails.
	withID := func(d map[string]any) {
		s := subject(d)
		d["id"] = certificateID(d["issuer"].(string), s["recordDigest"].(string), s["ruleSet"].(map[string]any)["digest"].(string), d["validFrom"].(string))
	}
	country := c.CredentialSubject.Enterprise.Country
	home := c.CredentialSubject.Enterprise.Identifier
	type edit = func(map[string]any)
	enterprise := func(d map[string]any) map[string]any { return subject(d)["enterprise"].(map[string]any) }
	for name, tt := range map[string]struct {
		edit    edit
		created time.Time // the proof's; zero: issueTime
		want    error
		msg     string
	}{
		"score beyond int64":          {func(d map[string]any) { subject(d)["score"] = json.Number("1e21") }, time.Time{}, ErrMalformed, "/credentialSubject/score: 1e+21 is not an integer of 64 bits"},
		"empty rule set id":           {func(d map[string]any) { subject(d)["ruleSet"].(map[string]any)["id"] = "" }, time.Time{}, ErrMalformed, "/credentialSubject/ruleSet/id: a required member is empty"},
		"validFrom a bare date":       {func(d map[string]any) { d["validFrom"] = "2026-10-01" }, time.Time{}, ErrMalformed, `/validFrom: "2026-10-01" is not an XML Schema dateTimeStamp`},
		"validUntil a bare time":      {func(d map[string]any) { d["validUntil"] = "09:00:00Z" }, time.Time{}, ErrMalformed, `/validUntil: "09:00:00Z" is not an XML Schema dateTimeStamp`},
		"validUntil before validFrom": {func(d map[string]any) { d["validUntil"] = "2026-09-30T09:00:00+02:00" }, time.Time{}, ErrMalformed, "is before validFrom"},

		"validUntil beyond the rule set's months": {func(d map[string]any) { d["validUntil"] = "2036-10-01T09:00:00Z" }, time.Time{}, ErrBadValidity,
			"/validUntil: 2036-10-01T09:00:00Z is not validFrom plus the 12 months of validity of rule set SCO-BASE (2027-10-01T09:00:00Z)"},
		"validUntil shorter":        {func(d map[string]any) { d["validUntil"] = "2027-01-01T09:00:00Z" }, time.Time{}, ErrBadValidity, "/validUntil: 2027-01-01T09:00:00Z is not validFrom plus"},
		"validUntil with an offset": {func(d map[string]any) { d["validUntil"] = "2027-10-01T11:00:00+02:00" }, time.Time{}, ErrBadValidity, `/validUntil: "2027-10-01T11:00:00+02:00" is not in UTC to the second`},
		"validFrom with a fraction": {func(d map[string]any) { d["validFrom"] = "2026-10-01T09:00:00.000Z" }, time.Time{}, ErrBadValidity, `/validFrom: "2026-10-01T09:00:00.000Z" is not in UTC to the second`},
		"validFrom in year 0": {func(d map[string]any) {
			d["validFrom"] = "0000-10-01T09:00:00Z"
			d["validUntil"] = "0001-10-01T09:00:00Z"
			withID(d)
		}, time.Date(0, 10, 1, 9, 0, 0, 0, time.UTC), ErrBadValidity, "/validFrom: 0000-10-01T09:00:00Z is before 2025-05-15"},
		"proof created after validFrom":      {func(map[string]any) {}, issueTime.Add(time.Second), ErrBadValidity, "/proof/created: 2026-10-01T09:00:01Z is not validFrom 2026-10-01T09:00:00Z"},
		"proof created centuries ahead":      {func(map[string]any) {}, issueTime.AddDate(300, 0, 0), ErrNotYetValid, "proof created 2326-10-01T09:00:00Z, after the time of the check"},
		"assessment after issue":             {func(d map[string]any) { subject(d)["assessmentDate"] = "2026-10-02" }, time.Time{}, ErrBadValidity, "/credentialSubject/assessmentDate: 2026-10-02 is after the date of issue 2026-10-01T09:00:00Z"},
		"assessment in year 0":               {func(d map[string]any) { subject(d)["assessmentDate"] = "0000-09-30" }, time.Time{}, ErrBadValidity, "/credentialSubject/assessmentDate: 0000-09-30 is more than the 12 months of validity"},
		"assessment older than the validity": {func(d map[string]any) { subject(d)["assessmentDate"] = "2025-09-30" }, time.Time{}, ErrBadValidity, "/credentialSubject/assessmentDate: 2025-09-30 is more than the 12 months"},

		"an extra context": {func(d map[string]any) {
			d["@context"] = []any{CredentialsContext, CertificateContext, "https://other.example/v1"}
		}, time.Time{}, ErrMalformed,
			`/@context: ["https://www.w3.org/ns/credentials/v2" "https://creditsco.org/ns/credit/v1" "https://other.example/v1"] is not`},
		"an extra type":          {func(d map[string]any) { d["type"] = []any{"VerifiableCredential", CertificateType, "Other"} }, time.Time{}, ErrMalformed, "/type: "},
		"types in another order": {func(d map[string]any) { d["type"] = []any{CertificateType, "VerifiableCredential"} }, time.Time{}, ErrMalformed, "/type: "},
		"no credentialSchema":    {func(d map[string]any) { delete(d, "credentialSchema") }, time.Time{}, ErrMalformed, "/credentialSchema: not {id: " + CertificateSchema},
		"another credentialSchema": {func(d map[string]any) {
			d["credentialSchema"] = CredentialSchema{ID: "https://other.example/schema", Type: "JsonSchema"}
		}, time.Time{}, ErrMalformed,
			"/credentialSchema: not"},
		"two revocation entries": {func(d map[string]any) {
			d["credentialStatus"] = []BitstringStatusListEntry{NewStatusEntry("https://s.example/a", StatusRevocation, 1), NewStatusEntry("https://s.example/b", StatusRevocation, 2)}
		}, time.Time{}, ErrMalformed, `/credentialStatus/1: a second entry of purpose "revocation" (the first is /credentialStatus/0)`},
		"a status index beyond any list": {func(d map[string]any) {
			e := NewStatusEntry("https://s.example/a", StatusRevocation, 1)
			e.StatusListIndex = "99999999999"
			d["credentialStatus"] = []BitstringStatusListEntry{e}
		}, time.Time{}, ErrMalformed, `/credentialStatus/0/statusListIndex: statusListIndex "99999999999" is not a decimal integer`},

		"id not the derived one": {func(d map[string]any) { d["id"] = "urn:uuid:00000000-0000-8000-8000-000000000000" }, time.Time{}, ErrBadSubject, "/id: not the id " + c.ID + " derived from"},
		"record digest changed":  {func(d map[string]any) { subject(d)["recordDigest"] = "sha256:" + strings.Repeat("0", 64) }, time.Time{}, ErrBadSubject, "/id: not the id"},
		"legal name with a bidi override": {func(d map[string]any) { enterprise(d)["legalName"] = "ACME \u202eLTD" }, time.Time{}, ErrBadSubject,
			"/credentialSubject/enterprise/legalName: control or bidirectional formatting character U+202E"},
		"Latin name with a control character": {func(d map[string]any) { enterprise(d)["legalNameLatin"] = "ACME\tLTD" }, time.Time{}, ErrBadSubject, "/credentialSubject/enterprise/legalNameLatin: control"},

		"primary identifier of another country": {func(d map[string]any) {
			enterprise(d)["identifier"] = Identifier{Scheme: "CN-USCC", Value: "91350100M000100Y43"}
		}, time.Time{}, ErrBadIdentifier, "/credentialSubject/enterprise/identifier: scheme CN-USCC is of CN, not a scheme of the enterprise's country " + country},
		"primary identifier an LEI": {func(d map[string]any) {
			enterprise(d)["identifier"] = Identifier{Scheme: "LEI", Value: "5493001KJTIIGC8Y1R12"}
		}, time.Time{}, ErrBadIdentifier, "scheme LEI is of no country"},
		"primary identifier invalid": {func(d map[string]any) {
			enterprise(d)["identifier"] = Identifier{Scheme: home.Scheme, Value: home.Value[:len(home.Value)-1] + string(rune('0'+(home.Value[len(home.Value)-1]-'0'+1)%10))}
		}, time.Time{}, ErrBadIdentifier, "/credentialSubject/enterprise/identifier/value: "},
		"primary identifier not normalised": {func(d map[string]any) {
			enterprise(d)["identifier"] = Identifier{Scheme: home.Scheme, Value: " " + home.Value}
		}, time.Time{}, ErrBadIdentifier, "is not in the compact normalised form"},
		"unknown scheme": {func(d map[string]any) {
			enterprise(d)["identifier"] = Identifier{Scheme: "XX-NOPE", Value: "1"}
		}, time.Time{}, ErrBadIdentifier, `/credentialSubject/enterprise/identifier/scheme: "XX-NOPE" is not a scheme of the verifier's identifier registry`},
		"other identifier of another country": {func(d map[string]any) {
			enterprise(d)["otherIdentifiers"] = []Identifier{{Scheme: "CN-USCC", Value: "91350100M000100Y43"}}
		}, time.Time{}, ErrBadIdentifier, "/credentialSubject/enterprise/otherIdentifiers/0: scheme CN-USCC is of CN"},
		"other identifier repeats the primary": {func(d map[string]any) {
			enterprise(d)["otherIdentifiers"] = []Identifier{home}
		}, time.Time{}, ErrBadIdentifier, "/credentialSubject/enterprise/otherIdentifiers/0: " + home.Scheme + " " + home.Value + " is listed already"},
		"other identifier twice": {func(d map[string]any) {
			lei := Identifier{Scheme: "LEI", Value: "5493001KJTIIGC8Y1R12"}
			enterprise(d)["otherIdentifiers"] = []Identifier{lei, lei}
		}, time.Time{}, ErrBadIdentifier, "/credentialSubject/enterprise/otherIdentifiers/1: LEI 5493001KJTIIGC8Y1R12 is listed already"},
	} {
		t.Run(name, func(t *testing.T) {
			created := tt.created
			if created.IsZero() {
				created = issueTime
			}
			signed := resignAt(t, c, key, created, tt.edit)
			_, err := VerifyCertificate(context.Background(), signed, opts)
			require.ErrorIs(t, err, tt.want)
			assert.Equal(t, Code(tt.want), Code(err))
			assert.Contains(t, err.Error(), tt.msg)
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
	// Exact names: a "ValidUntil" after "validUntil" (where encoding/json
	// would take it) stands for nothing.
	vc := fmt.Sprintf(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":%q,"validUntil":"2026-01-01T00:00:00Z","ValidUntil":"2099-01-01T00:00:00Z","credentialSubject":{"id":"urn:example:1"}}`, DIDKey(pub))
	signed, err := AddProof([]byte(vc), key, ProofOptions{Created: issueTime})
	require.NoError(t, err)
	_, err = VerifyCredential(context.Background(), moveLast(t, signed, `"ValidUntil":"2099-01-01T00:00:00Z"`), opts)
	assert.ErrorIs(t, err, ErrExpired)
}
