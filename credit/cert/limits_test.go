package cert

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignNumbersExactly checks which numbers AddProof signs: those whose
// value RFC 8785 keeps (in any spelling of it), and no number that the
// signature would cover as another value.
func TestSignNumbersExactly(t *testing.T) {
	key := vectorKey(t)
	tests := []struct {
		number string
		ok     bool
		msg    string
	}{
		{"0", true, ""},
		{"-0", true, ""},
		{"1.0", true, ""},
		{"1e2", true, ""},
		{"1E+2", true, ""},
		{"0.50", true, ""},
		{"0.1", true, ""},
		{"742", true, ""},
		{"-9007199254740991", true, ""},
		{"1e300", true, ""},
		{"5e-324", true, ""},
		{"1e-400", false, "RFC 8785 writes it as the nearest IEEE-754 double, 0"},
		{"9007199254740993", false, "9007199254740992"},
		{"9007199254740992", false, "an integer beyond ±(2^53 - 1)"},
		{"-9007199254740992", false, "an integer beyond"},
		{"0.10000000000000001", false, "0.1"},
		{"123456789012345678901234567890", false, "1.2345678901234568e+29"},
		{"4e-324", false, "5e-324"},
		{"0.0000000000000000000000000000000000000000000000000000000000000001e-999999999999999999999", false, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.number, func(t *testing.T) {
			doc := []byte(`{"id":"urn:x","n":[` + tt.number + `],"s":"1e-400 in a string is text"}`)
			signed, err := AddProof(doc, key, ProofOptions{Created: t0})
			if tt.ok {
				require.NoError(t, err)
				_, err := VerifyProof(signed, trustVector(t))
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrMalformed)
			assert.Contains(t, err.Error(), "number "+tt.number+" cannot be signed exactly: ")
			assert.Contains(t, err.Error(), tt.msg)
			assert.Contains(t, err.Error(), "write it as a string")
		})
	}
}

// TestVerifyNumbersExactly checks that a verifier refuses a document
// whose text says another number than the one its signature covers,
// while other spellings of the signed value verify: the signature covers
// the RFC 8785 form, which is the same for 1, 1.0 and 1e0.
func TestVerifyNumbersExactly(t *testing.T) {
	key := vectorKey(t)
	signed, err := AddProof([]byte(`{"id":"urn:x","n":1,"m":9007199254740991}`), key, ProofOptions{Created: t0})
	require.NoError(t, err)
	opts := trustVector(t)
	opts.Now = t0
	_, err = VerifyProof(signed, opts)
	require.NoError(t, err)
	for text, want := range map[string]error{
		`"n":1.0`:                          nil,
		`"n":1e0`:                          nil,
		`"n":1.0000000000000000001`:        ErrMalformed, // its double is 1, its value is not
		`"n":0.99999999999999999999999999`: ErrMalformed,
	} {
		doc := bytes.Replace(signed, []byte(`"n":1`), []byte(text), 1)
		_, err := VerifyProof(doc, opts)
		if want == nil {
			assert.NoError(t, err, text)
		} else {
			assert.ErrorIs(t, err, want, text)
			assert.Contains(t, err.Error(), "is not signed exactly", text)
		}
	}
	doc := bytes.Replace(signed, []byte(`9007199254740991`), []byte(`9007199254740991.4`), 1)
	_, err = VerifyProof(doc, opts)
	assert.ErrorIs(t, err, ErrMalformed, "the signed double is 2^53 - 1, the text says more")
}

// TestDocumentSize checks that documents beyond MaxDocumentBytes are
// refused before they are parsed, by every entry point.
func TestDocumentSize(t *testing.T) {
	key := vectorKey(t)
	pub := key.Public().(ed25519.PublicKey)
	pad := strings.Repeat(" ", MaxDocumentBytes)
	big := []byte(`{"id":"urn:big","s":"x"}` + pad)
	_, err := AddProof(big, key, ProofOptions{})
	assert.ErrorIs(t, err, ErrMalformed)
	assert.Contains(t, err.Error(), "larger than the limit")
	_, err = VerifyProof(big, VerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}})
	assert.ErrorIs(t, err, ErrMalformed)
	_, err = VerifyCertificate(context.Background(), big, CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}})
	assert.ErrorIs(t, err, ErrMalformed)
	_, err = VerifyCredential(context.Background(), big, CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}})
	assert.ErrorIs(t, err, ErrMalformed)
	_, err = StatusEntries(big)
	assert.ErrorIs(t, err, ErrMalformed)

	// Exactly at the limit is fine.
	doc := []byte(`{"id":"urn:x"}`)
	atLimit := append(doc, bytes.Repeat([]byte(" "), MaxDocumentBytes-len(doc))...)
	_, err = AddProof(atLimit, key, ProofOptions{})
	assert.NoError(t, err)

	// A status list file beyond the limit is not read.
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "revocation.json"), big, 0o644))
	_, err = DirFetcher{Dir: dir}.Fetch(context.Background(), "https://x.example/revocation")
	assert.ErrorIs(t, err, ErrMalformed)
	assert.Contains(t, err.Error(), "larger than the limit")
}

// TestPreviousProof checks that a proof naming a previous proof that is
// not in the document fails (VC Data Integrity 1.0, proof chains).
func TestPreviousProof(t *testing.T) {
	key := vectorKey(t)
	signed, err := AddProof([]byte(`{"id":"urn:x"}`), key, ProofOptions{Created: t0})
	require.NoError(t, err)
	opts := trustVector(t)
	opts.Now = t0
	for _, prev := range []string{`"urn:proof:1"`, `["urn:proof:1"]`, `""`, `[]`} {
		doc := edit(t, signed, func(m map[string]any) { proofOf(m)["id"] = "urn:proof:2" })
		doc = bytes.Replace(doc, []byte(`"proof":{`), []byte(`"proof":{"previousProof":`+prev+`,`), 1)
		_, err := VerifyProof(doc, opts)
		require.ErrorIs(t, err, ErrBadProof, prev)
		assert.Contains(t, err.Error(), "names a proof that is not in the document")
	}
	// Even when the proof is signed with it: AddProof cannot make one,
	// but another signer can.
	_, err = VerifyProof(signed, opts)
	assert.NoError(t, err)
}

// TestProofCreatedInTheFuture checks that a proof created after the time
// of the check (beyond the clock skew) is not yet valid.
func TestProofCreatedInTheFuture(t *testing.T) {
	key := vectorKey(t)
	opts := trustVector(t)
	opts.Now = t0
	for created, want := range map[time.Time]error{
		t0:                            nil,
		t0.Add(4 * time.Minute):       nil, // inside the default skew
		t0.Add(6 * time.Minute):       ErrNotYetValid,
		t0.AddDate(300, 0, 0):         ErrNotYetValid,
		t0.AddDate(-300, 0, 0):        nil,
		t0.Add(-100 * 24 * time.Hour): nil,
	} {
		signed, err := AddProof([]byte(`{"id":"urn:x"}`), key, ProofOptions{Created: created})
		require.NoError(t, err)
		_, err = VerifyProof(signed, opts)
		if want == nil {
			assert.NoError(t, err, created)
		} else {
			assert.ErrorIs(t, err, want, created)
		}
	}
}

// TestParseKeyFileForms checks that ParseKeyFile is the one loader of
// key files: it reads what certify keygen writes (the bare Multikey) and
// what MarshalKeyFile writes, and nothing too large.
func TestParseKeyFileForms(t *testing.T) {
	key := vectorKey(t)
	for name, data := range map[string]string{
		"keygen":            vectorSecretKey + "\n",
		"bare":              vectorSecretKey,
		"with a BOM":        "\uFEFF" + vectorSecretKey + "\r\n",
		"JSON key pair":     string(MarshalKeyFile(key)),
		"JSON with a BOM":   "\uFEFF" + string(MarshalKeyFile(key)),
		"JSON, older name":  `{"privateKeyMultibase":"` + vectorSecretKey + `"}`,
		"JSON, blank lines": "\n\n" + string(MarshalKeyFile(key)) + "\n\n",
	} {
		got, err := ParseKeyFile([]byte(data))
		require.NoError(t, err, name)
		assert.True(t, got.Equal(key), name)
	}
	for name, tt := range map[string]struct{ data, msg string }{
		"public key":       {vectorPublicKey, "neither a Multikey secret key (z3u2...) nor a JSON key pair"},
		"did:key":          {"did:key:" + vectorPublicKey, "neither a Multikey secret key"},
		"empty":            {"", "neither"},
		"JSON, no secret":  {`{"publicKeyMultibase":"` + vectorPublicKey + `"}`, "secretKeyMultibase"},
		"too large":        {vectorSecretKey + strings.Repeat(" ", MaxKeyFileBytes), "larger than the limit"},
		"two keys":         {vectorSecretKey + "\n" + vectorSecretKey, "neither"},
		"JSON, wrong type": {`{"secretKeyMultibase":7}`, "key file"},
	} {
		_, err := ParseKeyFile([]byte(tt.data))
		require.ErrorIs(t, err, ErrMalformed, name)
		assert.Contains(t, err.Error(), tt.msg, name)
		assert.Equal(t, 1, strings.Count(err.Error(), "malformed input"), "%s: %v", name, err)
	}
}

// TestVerifyCertificateManyValues checks that a trusted certificate
// padded with thousands of members is refused before the schema, which
// would spend some 20 µs on each.
func TestVerifyCertificateManyValues(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	_, c := issueOne(t, IssueOptions{Key: key, Now: issueTime})
	signed := resign(t, c, key, func(d map[string]any) {
		for i := range 5000 {
			d["x"+strconv.Itoa(i)] = 0
		}
	})
	start := time.Now()
	_, err := VerifyCertificate(context.Background(), signed, CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime})
	require.ErrorIs(t, err, ErrMalformed)
	assert.Contains(t, err.Error(), "more than 1000 JSON values")
	t.Logf("refused in %s", time.Since(start))
}
