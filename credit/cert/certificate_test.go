package cert

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/internal/golden"
	"github.com/creditsco/creditsco/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xeipuuv/gojsonschema"
)

var update = flag.Bool("update", false, "rewrite golden files")

// issueTime is the fixed time of issue of the golden certificates.
var issueTime = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// testKey is the published eddsa-jcs-2022 test-vector key: public, so the
// golden certificates can be reproduced by anyone.
func testKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	k, err := DecodePrivateKey(vectorSecretKey)
	require.NoError(t, err)
	return k
}

// scoredRecord is one bundled record with its assessment.
type scoredRecord struct {
	file       string
	data       []byte
	rec        *credit.Record
	profile    *credit.Profile
	assessment *credit.Assessment
}

// scoreSamples scores every bundled sample record with the baseline,
// SCO-BASE, forced on all of them (it is made for every country, so no
// record carries RULESET_OTHER_COUNTRY), for the tests about one rule
// set; it returns the records and the rule set.
func scoreSamples(t testing.TB) ([]scoredRecord, *credit.RuleSet) {
	t.Helper()
	rs := credit.DefaultRuleSet()
	eng, err := credit.NewEngine(rs, credit.EngineOptions{Rates: mustRates(t)})
	require.NoError(t, err)
	return assessSamples(t, eng.Assess), rs
}

// countrySamples scores every bundled sample record with the built-in
// rule set of its own country, as credit.Scorer selects it.
func countrySamples(t testing.TB) []scoredRecord {
	t.Helper()
	sc, err := credit.NewScorer(credit.BuiltinRuleSets(), credit.EngineOptions{Rates: mustRates(t)})
	require.NoError(t, err)
	return assessSamples(t, func(ctx context.Context, data []byte) (*credit.Assessment, error) {
		res, err := sc.ScoreJSON(ctx, data)
		if err != nil || res.Assessment == nil {
			return nil, errors.Join(err, res.Problems)
		}
		return res.Assessment, nil
	})
}

// assessSamples assesses every bundled sample record with assess.
func assessSamples(t testing.TB, assess func(context.Context, []byte) (*credit.Assessment, error)) []scoredRecord {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "records", "*.ndjson"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var out []scoredRecord
	for _, name := range files {
		fh, err := os.Open(name)
		require.NoError(t, err)
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, credit.MaxRecordBytes+1)
		for sc.Scan() {
			data := bytes.Clone(sc.Bytes())
			res := credit.ParseRecord(data)
			require.True(t, res.Valid(), "%s: %v", name, res.Problems)
			a, err := assess(context.Background(), data)
			require.NoError(t, err)
			out = append(out, scoredRecord{name, data, res.Record, a.Profile(), a})
		}
		fh.Close()
	}
	return out
}

// TestCertificateRoundTrip issues a certificate for every certifiable
// sample record of every country, under the rule set of its country,
// verifies it, and compares it with the golden file
// testdata/golden/certificates/CC.ndjson.
func TestCertificateRoundTrip(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	samples := countrySamples(t)
	certs := map[string]*bytes.Buffer{}
	countries := map[string]bool{}
	certSchema, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(schema.CreditCertificate))
	require.NoError(t, err)
	for _, s := range samples {
		cc := strings.TrimSuffix(filepath.Base(s.file), ".ndjson")
		if certs[cc] == nil {
			certs[cc] = new(bytes.Buffer)
		}
		signed, c, err := Issue(s.assessment, IssueOptions{Key: key, Now: issueTime})
		if !s.profile.Certifiable {
			assert.ErrorIs(t, err, ErrNotCertifiable, s.rec.RecordID)
			continue
		}
		require.NoError(t, err, s.rec.RecordID)
		countries[s.rec.Enterprise.Country] = true
		certs[cc].Write(signed)
		certs[cc].WriteByte('\n')

		// Issued under the country's own rule set, naming the primary
		// identifier and local label that rule set gives.
		rs := s.assessment.RuleSet()
		sub := c.CredentialSubject
		assert.Equal(t, "SCO-"+s.rec.Enterprise.Country, sub.RuleSet.ID, s.rec.RecordID)
		assert.Equal(t, s.rec.Enterprise.Country, rs.Country, s.rec.RecordID)
		assert.Empty(t, sub.Warnings, s.rec.RecordID)
		primary, ok := rs.PrimaryIdentifier(&s.rec.Enterprise)
		require.True(t, ok, s.rec.RecordID)
		assert.Equal(t, Identifier{Scheme: primary.Scheme, Value: primary.Value}, sub.Enterprise.Identifier, s.rec.RecordID)
		if label, ok := rs.LocalLabel(sub.Grade); ok {
			assert.Equal(t, &LocalGrade{Label: label, Scale: rs.LocalScale.Name}, sub.LocalGrade, s.rec.RecordID)
		} else {
			assert.Nil(t, sub.LocalGrade, s.rec.RecordID)
		}

		got, err := VerifyCertificate(context.Background(), signed, CertificateVerifyOptions{
			TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime.Add(24 * time.Hour)})
		require.NoError(t, err, s.rec.RecordID)
		assert.Equal(t, c, got)
		assert.Equal(t, s.profile.Grade, got.CredentialSubject.Grade)
		assert.Equal(t, s.rec.Enterprise.Country, got.CredentialSubject.Enterprise.Country)
		assert.NotContains(t, string(signed), "total_assets", "no raw financials in a certificate")
		res, err := certSchema.Validate(gojsonschema.NewBytesLoader(signed))
		require.NoError(t, err)
		assert.True(t, res.Valid(), "%s: certificate does not match its schema: %v", s.rec.RecordID, res.Errors())

		// Trust limited to another country's enterprises is no trust.
		other := "CN"
		if s.rec.Enterprise.Country == "CN" {
			other = "RU"
		}
		_, err = VerifyCertificate(context.Background(), signed, CertificateVerifyOptions{
			TrustedByCountry: map[string][]ed25519.PublicKey{other: {pub}}, Now: issueTime})
		assert.ErrorIs(t, err, ErrUntrustedKey)
		_, err = VerifyCertificate(context.Background(), signed, CertificateVerifyOptions{
			TrustedByCountry: map[string][]ed25519.PublicKey{s.rec.Enterprise.Country: {pub}}, Now: issueTime})
		assert.NoError(t, err)
	}
	for _, cc := range credit.SCOCountries() {
		assert.True(t, countries[cc], "no certificate issued for %s", cc)
	}
	for cc, buf := range certs {
		golden.Check(t, filepath.Join("..", "..", "testdata", "golden", "certificates", cc+".ndjson"), buf.Bytes(), *update)
	}
}

// issueOne issues the first certifiable sample certificate.
func issueOne(t *testing.T, opts IssueOptions) ([]byte, *Certificate) {
	t.Helper()
	samples, _ := scoreSamples(t)
	for _, s := range samples {
		if s.profile.Certifiable {
			signed, c, err := Issue(s.assessment, opts)
			require.NoError(t, err)
			return signed, c
		}
	}
	t.Fatal("no certifiable sample")
	return nil, nil
}

func TestCertificateValidityAndTamper(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	signed, c := issueOne(t, IssueOptions{Key: key, Now: issueTime})
	until, err := time.Parse(time.RFC3339, c.ValidUntil)
	require.NoError(t, err)
	_, other, _ := ed25519.GenerateKey(nil)

	verify := func(doc []byte, opts CertificateVerifyOptions) error {
		if opts.TrustedKeys == nil {
			opts.TrustedKeys = []ed25519.PublicKey{pub}
		}
		_, err := VerifyCertificate(context.Background(), doc, opts)
		return err
	}
	tests := []struct {
		name string
		doc  []byte
		opts CertificateVerifyOptions
		want error
	}{
		{"valid", signed, CertificateVerifyOptions{Now: issueTime}, nil},
		{"before validFrom, inside skew", signed, CertificateVerifyOptions{Now: issueTime.Add(-time.Minute)}, nil},
		{"not yet valid", signed, CertificateVerifyOptions{Now: issueTime.Add(-time.Hour)}, ErrNotYetValid},
		{"not yet valid, no skew", signed, CertificateVerifyOptions{Now: issueTime.Add(-time.Second), ClockSkew: -1}, ErrNotYetValid},
		{"last valid moment", signed, CertificateVerifyOptions{Now: until}, nil},
		{"expired", signed, CertificateVerifyOptions{Now: until.Add(time.Hour)}, ErrExpired},
		{"untrusted key", signed, CertificateVerifyOptions{Now: issueTime, TrustedKeys: []ed25519.PublicKey{other.Public().(ed25519.PublicKey)}}, ErrUntrustedKey},
		{"grade changed", bytes.Replace(signed, []byte(`"grade":"`), []byte(`"grade":"A`), 1), CertificateVerifyOptions{Now: issueTime}, ErrBadProof},
		{"validUntil extended", bytes.Replace(signed, []byte(`"validUntil":"20`), []byte(`"validUntil":"21`), 1), CertificateVerifyOptions{Now: issueTime}, ErrBadProof},
		{"proof created changed", bytes.Replace(signed, []byte(`"created":"2026`), []byte(`"created":"2025`), 1), CertificateVerifyOptions{Now: issueTime}, ErrBadProof},
		{"not JSON", signed[:len(signed)/2], CertificateVerifyOptions{Now: issueTime}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verify(tt.doc, tt.opts)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			assert.NotEmpty(t, Code(err))
		})
	}

	// Re-signing a forged certificate with another key is caught by trust.
	var forged bytes.Buffer
	forged.Write(bytes.Replace(signed[:bytes.Index(signed, []byte(`,"proof":`))], []byte(`"grade":"`), []byte(`"grade":"A`), 1))
	forged.WriteByte('}')
	reSigned, err := AddProof(forged.Bytes(), other, ProofOptions{Created: issueTime})
	require.NoError(t, err)
	assert.ErrorIs(t, verify(reSigned, CertificateVerifyOptions{Now: issueTime}), ErrUntrustedKey)
}

func TestCertificateUnknownRuleSet(t *testing.T) {
	key := testKey(t)
	signed, _ := issueOne(t, IssueOptions{Key: key, Now: issueTime})
	empty := credit.NewRuleSetRegistry()
	_, err := VerifyCertificate(context.Background(), signed, CertificateVerifyOptions{
		TrustedKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, Now: issueTime, RuleSets: empty})
	assert.ErrorIs(t, err, ErrUnknownRuleSet)
	assert.Equal(t, "UNKNOWN_RULESET", Code(err))
}

func TestCertificateRevocationAndSuspension(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	dir := t.TempDir()
	reg, err := CreateStatusRegistry(dir, StatusRegistryOptions{BaseURL: "https://status.example/credit"})
	require.NoError(t, err)
	signed, c := issueOne(t, IssueOptions{Key: key, Now: issueTime, Status: reg})
	require.Len(t, c.CredentialStatus, 2)
	require.NoError(t, reg.Save(key, issueTime))
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime.Add(time.Hour), Status: DirFetcher{Dir: dir}}
	verify := func() error {
		_, err := VerifyCertificate(context.Background(), signed, opts)
		return err
	}
	require.NoError(t, verify())

	require.NoError(t, reg.Suspend(c.ID))
	require.NoError(t, reg.Save(key, issueTime))
	assert.ErrorIs(t, verify(), ErrSuspended)

	require.NoError(t, reg.Unsuspend(c.ID))
	require.NoError(t, reg.Save(key, issueTime))
	require.NoError(t, verify())

	require.NoError(t, reg.Revoke(c.ID))
	require.NoError(t, reg.Save(key, issueTime))
	err = verify()
	assert.ErrorIs(t, err, ErrRevoked)
	assert.Equal(t, "REVOKED", Code(err))

	// The registry refuses to re-sign its lists with another key…
	_, other, _ := ed25519.GenerateKey(nil)
	assert.ErrorIs(t, reg.Save(other, issueTime), ErrUntrustedKey)
	assert.Equal(t, DIDKey(pub), reg.Issuer())

	// …and a list signed by anyone but the issuer is not believed.
	forgedDir := t.TempDir()
	forged, err := CreateStatusRegistry(forgedDir, StatusRegistryOptions{BaseURL: reg.BaseURL()})
	require.NoError(t, err)
	_, err = forged.Allocate(c.ID) // allocation is deterministic: same index
	require.NoError(t, err)
	require.NoError(t, forged.Save(other, issueTime))
	opts.Status = DirFetcher{Dir: forgedDir}
	assert.ErrorIs(t, verify(), ErrStatusUnavailable)

	// A missing list is an error, never a silent pass.
	opts.Status = DirFetcher{Dir: t.TempDir()}
	assert.ErrorIs(t, verify(), ErrStatusUnavailable)
}

func TestIssueRefusesUncertifiable(t *testing.T) {
	samples, rs := scoreSamples(t)
	eng, err := credit.NewEngine(rs, credit.EngineOptions{})
	require.NoError(t, err)
	data := bytes.Replace(samples[0].data, []byte(`"status":"active"`), []byte(`"status":"liquidating"`), 1)
	require.NotEqual(t, samples[0].data, data)
	a, err := eng.Assess(context.Background(), data)
	require.NoError(t, err)
	require.False(t, a.Profile().Certifiable)
	_, _, err = Issue(a, IssueOptions{Key: testKey(t), Now: issueTime})
	assert.ErrorIs(t, err, ErrNotCertifiable)
	assert.Contains(t, err.Error(), "CAP_LIQUIDATION")
}

func TestVerifyCredentialGeneric(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	vc := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"` + DIDKey(pub) +
		`","validUntil":"2027-01-01T00:00:00Z","credentialSubject":{"id":"urn:example:1"}}`)
	signed, err := AddProof(vc, key, ProofOptions{Created: issueTime})
	require.NoError(t, err)
	_, err = VerifyCredential(context.Background(), signed, CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime})
	assert.NoError(t, err)
	_, err = VerifyCredential(context.Background(), signed, CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)})
	assert.ErrorIs(t, err, ErrExpired)
	_, err = VerifyCertificate(context.Background(), signed, CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime})
	assert.ErrorIs(t, err, ErrMalformed, "a plain VC is not a credit certificate")
}

// BenchmarkIssue is the whole cost of one certificate from the record's
// JSON text, as certify issue pays it: validation and scoring
// (credit.Engine.Assess), the record's RFC 8785 digest, the checks and
// the signature, with an Issuer built once per batch.
func BenchmarkIssue(b *testing.B) {
	key := testKey(b)
	samples, rs := scoreSamples(b)
	eng, err := credit.NewEngine(rs, credit.EngineOptions{Rates: mustRates(b)})
	require.NoError(b, err)
	s := samples[0]
	is, err := NewIssuer(rs, IssueOptions{Key: key, Now: issueTime})
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		a, err := eng.Assess(context.Background(), s.data)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := is.Issue(a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAssess is the validation and scoring part of BenchmarkIssue.
func BenchmarkAssess(b *testing.B) {
	samples, rs := scoreSamples(b)
	eng, err := credit.NewEngine(rs, credit.EngineOptions{Rates: mustRates(b)})
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := eng.Assess(context.Background(), samples[0].data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIssueFloor is the floor of BenchmarkIssue: a plain
// encoding/json decode of the record into credit.Record and a raw
// Ed25519 signature, which no issuer can avoid.
func BenchmarkIssueFloor(b *testing.B) {
	key := testKey(b)
	samples, _ := scoreSamples(b)
	msg := make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		var rec credit.Record
		if err := json.Unmarshal(samples[0].data, &rec); err != nil {
			b.Fatal(err)
		}
		ed25519.Sign(key, msg)
	}
}

// BenchmarkIssueFunc is BenchmarkIssue with the package function Issue,
// which copies and checks the rule set for every certificate.
func BenchmarkIssueFunc(b *testing.B) {
	key := testKey(b)
	samples, rs := scoreSamples(b)
	eng, err := credit.NewEngine(rs, credit.EngineOptions{Rates: mustRates(b)})
	require.NoError(b, err)
	s := samples[0]
	b.ReportAllocs()
	for b.Loop() {
		a, err := eng.Assess(context.Background(), s.data)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := Issue(a, IssueOptions{Key: key, Now: issueTime}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyCertificate(b *testing.B) {
	key := testKey(b)
	samples, _ := scoreSamples(b)
	s := samples[0]
	signed, _, err := Issue(s.assessment, IssueOptions{Key: key, Now: issueTime})
	require.NoError(b, err)
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, Now: issueTime, RuleSets: credit.BuiltinRuleSets()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyCertificate(context.Background(), signed, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func mustRates(tb testing.TB) *credit.Rates {
	f, err := os.Open(filepath.Join("..", "..", "testdata", "fx", "rates-2025-12-31.json"))
	require.NoError(tb, err)
	defer f.Close()
	r, err := credit.LoadRates(f)
	require.NoError(tb, err)
	return r
}

// FuzzVerifyCertificate feeds arbitrary documents to VerifyCertificate,
// seeded with the golden certificates. It must never panic, every failure
// must carry a stable code, and whatever it accepts must be exactly a
// document the test key signed: the golden certificates themselves.
func FuzzVerifyCertificate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "golden", "certificates", "*.ndjson"))
	signed := map[string]bool{}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
			f.Add(line)
			signed[string(line)] = true
		}
	}
	key, err := DecodePrivateKey(vectorSecretKey)
	if err != nil {
		f.Fatal(err)
	}
	opts := CertificateVerifyOptions{
		TrustedKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)},
		Now:         issueTime,
		RuleSets:    credit.BuiltinRuleSets(),
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		c, err := VerifyCertificate(context.Background(), doc, opts)
		if err != nil {
			if Code(err) == "" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		canon, cerr := Canonicalize(doc)
		if cerr != nil || c == nil {
			t.Fatalf("accepted a document that is not canonicalisable JSON")
		}
		if !signed[string(canon)] && !signed[string(doc)] {
			t.Fatalf("accepted a document the key never signed: %q", doc)
		}
	})
}

// BenchmarkVerifyCertificateBuiltin verifies against the built-in rule
// sets (RuleSets nil), which the package keeps privately and so need no
// check for changes.
func BenchmarkVerifyCertificateBuiltin(b *testing.B) {
	key := testKey(b)
	samples, _ := scoreSamples(b)
	s := samples[0]
	signed, _, err := Issue(s.assessment, IssueOptions{Key: key, Now: issueTime})
	require.NoError(b, err)
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, Now: issueTime}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyCertificate(context.Background(), signed, opts); err != nil {
			b.Fatal(err)
		}
	}
}
