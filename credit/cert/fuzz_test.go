package cert

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
)

// FuzzVerifyProof checks that VerifyProof never panics and never accepts
// anything but the exact signed content.
func FuzzVerifyProof(f *testing.F) {
	signed, err := os.ReadFile("testdata/eddsa-jcs-2022/signed.json")
	require.NoError(f, err)
	other, err := os.ReadFile("testdata/eddsa-jcs-2022/signedVcExampleVM.json")
	require.NoError(f, err)
	canon, err := Canonicalize(signed)
	require.NoError(f, err)
	f.Add(signed)
	f.Add(other)
	f.Add(canon)
	f.Add([]byte(`{"proof":[]}`))
	f.Add([]byte(`{"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022","proofValue":"z","verificationMethod":"did:key:z","proofPurpose":"assertionMethod"}}`))

	opts := trustVector(f)
	opts.Now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	want, err := os.ReadFile("testdata/eddsa-jcs-2022/canonDoc.txt")
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := VerifyProof(data, opts)
		if err != nil {
			if Code(err) == "UNKNOWN" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		// Only the vector key is trusted, and it signed only this content.
		if !bytes.Equal(info.Document, want) {
			t.Fatalf("accepted a document that was never signed: %s", info.Document)
		}
	})
}

// FuzzDecodeStatusList checks that decoding never panics, and that a
// decoded list re-encodes to an equivalent list.
func FuzzDecodeStatusList(f *testing.F) {
	f.Add(specEncodedList)
	l := NewStatusList(0)
	_ = l.Set(42, true)
	enc, err := l.Encode()
	require.NoError(f, err)
	f.Add(enc)
	f.Add("u")
	f.Add("uH4sI")
	f.Fuzz(func(t *testing.T, s string) {
		l, err := DecodeStatusList(s)
		if err != nil {
			return
		}
		if l.Len() < MinStatusListLen {
			t.Fatalf("accepted a list of %d entries", l.Len())
		}
		enc, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeStatusList(enc)
		if err != nil || !bytes.Equal(back.bits, l.bits) {
			t.Fatalf("round trip failed: %v", err)
		}
	})
}

// keySeeds are the published test-vector keys in every form, and a few
// near misses: wrong multibase prefix, wrong multicodec header, wrong
// length, a bad base58 digit, a foreign fragment, blanks.
var keySeeds = []string{
	vectorPublicKey,
	vectorSecretKey,
	"did:key:" + vectorPublicKey,
	vectorVM,
	" " + vectorVM + "\n",
	"did:key:" + vectorPublicKey + "#key-1",
	"did:key:" + vectorPublicKey + "#" + vectorPublicKey + "#" + vectorPublicKey,
	"did:web:example.com",
	"did:key:",
	"u" + vectorPublicKey[1:],
	vectorPublicKey[:len(vectorPublicKey)-1],
	vectorPublicKey + "1",
	"z0" + vectorPublicKey[2:],
	"z",
	"z1111",
	"",
}

// FuzzDecodePrivateKey checks that DecodePrivateKey never panics and that
// it accepts only the canonical form of a key: the decoded key re-encodes
// to its input, and its public key is the one derived from its seed.
func FuzzDecodePrivateKey(f *testing.F) {
	for _, s := range keySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key, err := DecodePrivateKey(s)
		if err != nil {
			if Code(err) != "MALFORMED" {
				t.Fatalf("error %v has code %s, want MALFORMED", err, Code(err))
			}
			return
		}
		if len(key) != ed25519.PrivateKeySize {
			t.Fatalf("decoded a %d-byte key", len(key))
		}
		if enc := EncodePrivateKey(key); enc != s {
			t.Fatalf("%q decodes to a key that encodes as %q", s, enc)
		}
		if !key.Public().(ed25519.PublicKey).Equal(ed25519.NewKeyFromSeed(key.Seed()).Public()) {
			t.Fatal("public half does not match the seed")
		}
		back, err := ParseKeyFile(MarshalKeyFile(key))
		if err != nil || !back.Equal(key) {
			t.Fatalf("key file round trip: %v", err)
		}
	})
}

// FuzzParsePublicKey checks that ParsePublicKey, DecodePublicKey and
// ResolveDIDKey never panic, accept only the canonical forms of a key
// (publicKeyMultibase, did:key, did:key verification method, the first
// with blanks around it), and agree with each other.
func FuzzParsePublicKey(f *testing.F) {
	for _, s := range keySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pub, err := ParsePublicKey(s)
		if err != nil {
			if Code(err) != "MALFORMED" {
				t.Fatalf("ParsePublicKey(%q): error %v has code %s, want MALFORMED", s, err, Code(err))
			}
		} else {
			if len(pub) != ed25519.PublicKeySize {
				t.Fatalf("parsed a %d-byte key", len(pub))
			}
			trimmed := strings.TrimSpace(s)
			if trimmed != EncodePublicKey(pub) && trimmed != DIDKey(pub) && trimmed != VerificationMethod(pub) {
				t.Fatalf("%q parses to a key whose canonical forms are %q, %q, %q",
					s, EncodePublicKey(pub), DIDKey(pub), VerificationMethod(pub))
			}
			for _, form := range []string{EncodePublicKey(pub), DIDKey(pub), VerificationMethod(pub)} {
				back, err := ParsePublicKey(form)
				if err != nil || !back.Equal(pub) {
					t.Fatalf("ParsePublicKey(%q): %v", form, err)
				}
			}
		}

		dec, derr := DecodePublicKey(s)
		if derr == nil {
			if enc := EncodePublicKey(dec); enc != s {
				t.Fatalf("DecodePublicKey(%q) re-encodes as %q", s, enc)
			}
			if err != nil || !pub.Equal(dec) {
				t.Fatalf("DecodePublicKey accepts %q, ParsePublicKey does not agree: %v", s, err)
			}
		}

		res, rerr := ResolveDIDKey(s)
		if rerr != nil {
			if c := Code(rerr); c != "MALFORMED" && c != "UNTRUSTED_KEY" {
				t.Fatalf("ResolveDIDKey(%q): error %v has code %s", s, rerr, c)
			}
			return
		}
		if s != DIDKey(res) && s != VerificationMethod(res) {
			t.Fatalf("ResolveDIDKey(%q) accepts a non-canonical form of %s", s, DIDKey(res))
		}
		if err != nil || !pub.Equal(res) {
			t.Fatalf("ResolveDIDKey accepts %q, ParsePublicKey does not agree: %v", s, err)
		}
	})
}

// FuzzParseKeyFile checks that ParseKeyFile never panics, that a parsed
// key is the one the file encodes (the bare Multikey, or the secret member
// of a JSON key pair), in canonical form, that a public member, if any,
// matches it, and that MarshalKeyFile writes a file that parses back to
// the same key.
func FuzzParseKeyFile(f *testing.F) {
	key, err := DecodePrivateKey(vectorSecretKey)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(MarshalKeyFile(key))
	f.Add([]byte(`{"publicKeyMultibase":"` + vectorPublicKey + `","privateKeyMultibase":"` + vectorSecretKey + `"}`))
	f.Add([]byte(`{"secretKeyMultibase":"` + vectorSecretKey + `"}`))
	f.Add([]byte(vectorSecretKey + "\n"))
	f.Add([]byte("\uFEFF " + vectorSecretKey))
	f.Add([]byte(vectorPublicKey))
	f.Add([]byte(`{"publicKeyMultibase":"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK","secretKeyMultibase":"` + vectorSecretKey + `"}`))
	f.Add([]byte(`{"secretKeyMultibase":"` + vectorPublicKey + `"}`))
	f.Add([]byte(`{"secretKeyMultibase":"` + vectorSecretKey + `","secretKeyMultibase":"z1"}`))
	f.Add([]byte(`{"secretKeyMultibase":7}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := ParseKeyFile(data)
		if err != nil {
			if Code(err) != "MALFORMED" {
				t.Fatalf("error %v has code %s, want MALFORMED", err, Code(err))
			}
			return
		}
		// The bare Multikey, as certify keygen writes it: exactly the
		// key, with blanks or a byte order mark around it.
		trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\uFEFF")))
		if !bytes.HasPrefix(trimmed, []byte("{")) {
			if enc := EncodePrivateKey(key); enc != string(trimmed) {
				t.Fatalf("%q parses to a key that encodes as %q", data, enc)
			}
			return
		}
		// Read the members the way ParseKeyFile does.
		var kf keyFile
		if err := json.Unmarshal(data, &kf); err != nil {
			t.Fatalf("ParseKeyFile accepted what encoding/json rejects: %v", err)
		}
		secret := kf.SecretKeyMultibase
		if secret == "" {
			secret = kf.PrivateKeyMultibase
		}
		if enc := EncodePrivateKey(key); enc != secret {
			t.Fatalf("secret %q parses to a key that encodes as %q", secret, enc)
		}
		pub := key.Public().(ed25519.PublicKey)
		if kf.PublicKeyMultibase != "" && kf.PublicKeyMultibase != EncodePublicKey(pub) {
			t.Fatalf("accepted public key %q for secret key of %q", kf.PublicKeyMultibase, EncodePublicKey(pub))
		}
		back, err := ParseKeyFile(MarshalKeyFile(key))
		if err != nil || !back.Equal(key) {
			t.Fatalf("MarshalKeyFile round trip: %v", err)
		}
		var written keyFile
		if err := json.Unmarshal(MarshalKeyFile(key), &written); err != nil || written.ID != VerificationMethod(pub) {
			t.Fatalf("MarshalKeyFile wrote id %q, want %q (%v)", written.ID, VerificationMethod(pub), err)
		}
	})
}

// FuzzIssueVerify is the round trip of issuance and verification: for
// any record text, time of issue and choice of rule set (mode: the
// record's own country's, SCO-KZ forced, whose local labels and primary
// schemes then meet records of every country, or SCO-BASE), an
// assessment the engine makes is either refused by Issue
// (ErrNotCertifiable, for an assessment no accepted certificate can be
// made of, or another error) or certified, and then a verifier accepts
// exactly the signed content, with the local label of the profile and
// the warning RULESET_OTHER_COUNTRY exactly when the rule set is of
// another country. It seeds with the bundled records.
func FuzzIssueVerify(f *testing.F) {
	samples, rs := scoreSamples(f)
	for i, s := range samples {
		f.Add(s.data, int64(0), byte(i%3))
	}
	f.Add(samples[0].data, int64(-400*24*3600), byte(0))
	f.Add(samples[0].data, int64(400*24*3600), byte(1))
	base, err := credit.NewEngine(rs, credit.EngineOptions{})
	require.NoError(f, err)
	reg := credit.BuiltinRuleSets()
	sc, err := credit.NewScorer(reg, credit.EngineOptions{})
	require.NoError(f, err)
	kzRules, _ := reg.Lookup("SCO-KZ")
	kz, err := credit.NewEngine(kzRules, credit.EngineOptions{})
	require.NoError(f, err)
	assess := []func(context.Context, []byte) (*credit.Assessment, error){
		func(ctx context.Context, data []byte) (*credit.Assessment, error) {
			res, err := sc.ScoreJSON(ctx, data)
			if err != nil || res.Assessment == nil {
				return nil, errors.Join(err, res.Problems)
			}
			return res.Assessment, nil
		},
		kz.Assess,
		base.Assess,
	}
	key := testKey(f)
	pub := key.Public().(ed25519.PublicKey)
	f.Fuzz(func(t *testing.T, record []byte, offset int64, mode byte) {
		a, err := assess[int(mode)%len(assess)](context.Background(), record)
		if err != nil {
			return
		}
		// Times within a few centuries of the golden time of issue.
		now := issueTime.Add(time.Duration(offset%(300*365*24*3600)) * time.Second)
		signed, c, err := Issue(a, IssueOptions{Key: key, Now: now})
		if err != nil {
			if a.Profile().Certifiable && !errors.Is(err, ErrNotCertifiable) {
				t.Fatalf("a certifiable assessment was refused for a reason not about it: %v", err)
			}
			if Code(err) == "" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		got, err := VerifyCertificate(context.Background(), signed, CertificateVerifyOptions{
			TrustedKeys: []ed25519.PublicKey{pub}, Now: now.Add(time.Hour)})
		if err != nil {
			t.Fatalf("Issue signed what a verifier refuses: %v\n%s", err, signed)
		}
		if !reflect.DeepEqual(c, got) {
			t.Fatalf("verified content differs from the issued:\n%+v\n%+v", c, got)
		}
		if d, _ := a.RecordDigest(); got.CredentialSubject.RecordDigest != d || got.CredentialSubject.Grade != a.Profile().Grade {
			t.Fatalf("certificate is not of its assessment")
		}
		if p := a.Profile(); (p.LocalGrade == nil) != (got.CredentialSubject.LocalGrade == nil) ||
			p.LocalGrade != nil && p.LocalGrade.Label != got.CredentialSubject.LocalGrade.Label {
			t.Fatalf("local grade %+v, the profile's %+v", got.CredentialSubject.LocalGrade, p.LocalGrade)
		}
		rsCountry := a.RuleSet().Country
		other := rsCountry != "" && rsCountry != a.Enterprise().Country
		if other != slices.Contains(got.CredentialSubject.Warnings, credit.CodeRuleSetOtherCountry) {
			t.Fatalf("warnings %v for rule set %s and an enterprise of %s", got.CredentialSubject.Warnings, a.RuleSetRef().ID, a.Enterprise().Country)
		}
	})
}

// FuzzCheckStatus feeds arbitrary status list credentials to CheckStatus
// for an entry: it must never panic, fail closed with a stable code, and
// find a status (valid, revoked) only in a list the trusted key signed.
func FuzzCheckStatus(f *testing.F) {
	key := vectorKey(f)
	other := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	const url = "https://issuer.example/status/revocation"
	for _, k := range []ed25519.PrivateKey{key, other} {
		l := NewStatusList(0)
		_ = l.Set(42, true)
		doc, err := StatusListCredential{ID: url, Issuer: DIDKey(k.Public().(ed25519.PublicKey)), Purpose: StatusRevocation,
			ValidFrom: t0, ValidUntil: t0.Add(DefaultListValidity), List: l}.Marshal()
		require.NoError(f, err)
		signed, err := AddProof(doc, k, ProofOptions{Created: t0})
		require.NoError(f, err)
		f.Add(signed, uint32(42))
		f.Add(signed, uint32(43))
	}
	f.Add([]byte(`{}`), uint32(0))
	opts := trustVector(f)
	opts.Now = t0.Add(time.Hour)
	f.Fuzz(func(t *testing.T, list []byte, index uint32) {
		entry := NewStatusEntry(url, StatusRevocation, int(index%(1<<27)))
		err := CheckStatus(context.Background(), entry, FetcherFunc(func(context.Context, string) ([]byte, error) { return list, nil }), opts)
		switch Code(err) {
		case "", "REVOKED":
			// The list verified against the trusted key.
			if _, verr := VerifyProof(list, opts); verr != nil {
				t.Fatalf("status %v from a list that does not verify: %v", err, verr)
			}
		case "STATUS_UNAVAILABLE", "MALFORMED":
		default:
			t.Fatalf("unexpected code %s: %v", Code(err), err)
		}
	})
}

// FuzzOpenStatusRegistry feeds arbitrary states (index.json) to
// OpenStatusRegistry next to the lists of a real registry: it must never
// panic, and opens only a state that agrees with the lists, from which
// no index is handed out twice.
func FuzzOpenStatusRegistry(f *testing.F) {
	key := vectorKey(f)
	base := f.TempDir()
	reg, err := CreateStatusRegistry(base, StatusRegistryOptions{BaseURL: "https://issuer.example/status"})
	require.NoError(f, err)
	for _, id := range []string{"urn:cert:a", "urn:cert:b", "urn:cert:c"} {
		_, err := reg.Allocate(id)
		require.NoError(f, err)
	}
	require.NoError(f, reg.Revoke("urn:cert:b"))
	require.NoError(f, reg.Save(key, t0))
	state, err := os.ReadFile(filepath.Join(base, registryIndexFile))
	require.NoError(f, err)
	f.Add(state)
	f.Add(bytes.Replace(state, []byte(`"next": 3`), []byte(`"next": 2`), 1))
	f.Add(bytes.Replace(state, []byte(`"revoked": [`), []byte(`"revoked": [ "urn:cert:a",`), 1))
	f.Add([]byte(`{"format":"creditsco-status-register/2"}`))
	dir := f.TempDir()
	require.NoError(f, os.CopyFS(dir, os.DirFS(base)))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, registryIndexFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := OpenStatusRegistry(dir)
		if err != nil {
			if !errors.Is(err, ErrRegistryInconsistent) {
				t.Fatalf("error is not ErrRegistryInconsistent: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, id := range r.IDs() {
			e, err := r.Entries(id)
			if err != nil || seen[e[0].StatusListIndex] {
				t.Fatalf("index of %s handed out twice (%v)", id, err)
			}
			seen[e[0].StatusListIndex] = true
		}
		// The revocation the lists carry is kept.
		if rev, _, err := r.Status("urn:cert:b"); err != nil || !rev {
			t.Fatalf("opened a state that forgot the revocation of urn:cert:b: %v", err)
		}
	})
}
