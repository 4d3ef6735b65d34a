package cert

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
)

func TestVerifyDocument(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	certificate, c := issueOne(t, IssueOptions{Key: key, Now: issueTime})
	vc, err := AddProof([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:example:vc","type":"VerifiableCredential","issuer":"`+DIDKey(pub)+
		`","credentialSubject":{"id":"urn:example:1"}}`), key, ProofOptions{Created: issueTime})
	require.NoError(t, err)
	// A plain VC that says it is a credit certificate is judged as one.
	posing, err := AddProof([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:example:pose","type":["VerifiableCredential","CreditCertificate"],"issuer":"`+DIDKey(pub)+
		`","credentialSubject":{"id":"urn:example:1"}}`), key, ProofOptions{Created: issueTime})
	require.NoError(t, err)
	// encoding/json would read "Type" for "type": a certificate must not
	// pass as a generic credential by a member that differs in case, nor
	// print an id it did not sign.
	cased, err := AddProof([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:example:cased","type":["VerifiableCredential","CreditCertificate"],"Type":"VerifiableCredential","Id":"urn:example:other","issuer":"`+DIDKey(pub)+
		`","credentialSubject":{"id":"urn:example:1"}}`), key, ProofOptions{Created: issueTime})
	require.NoError(t, err)
	// The signature covers the RFC 8785 form, in which "Id" and "Type" sort
	// first; moved after "id" and "type" they are the ones encoding/json
	// keeps, and the signature still holds.
	cased = moveLast(t, cased, `"Id":"urn:example:other"`, `"Type":"VerifiableCredential"`)
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime}
	for _, tc := range []struct {
		name, doc, id, code string
	}{
		{"a credit certificate", string(certificate), c.ID, ""},
		{"a plain credential", string(vc), "urn:example:vc", ""},
		{"a credential posing as a certificate", string(posing), "urn:example:pose", "MALFORMED"},
		{"a certificate posing as a credential by case", string(cased), "urn:example:cased", "MALFORMED"},
		{"not JSON", "{", "", "MALFORMED"},
		{"JSON, not an object", "[1]", "", "MALFORMED"},
		{"too large", `{"x":"` + strings.Repeat("x", MaxDocumentBytes) + `"}`, "", "MALFORMED"},
		{"untrusted", string(certificate), c.ID, "UNTRUSTED_KEY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := opts
			if tc.code == "UNTRUSTED_KEY" {
				o.TrustedKeys = nil
			}
			id, err := VerifyDocument(context.Background(), []byte(tc.doc), o)
			assert.Equal(t, tc.id, id)
			assert.Equal(t, tc.code, Code(err), "%v", err)
		})
	}
}

// TestVerifyRawDocument gives every document the Reader cuts out of a
// stream a verdict, including those it could not cut.
func TestVerifyRawDocument(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	certificate, c := issueOne(t, IssueOptions{Key: key, Now: issueTime})
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime}
	big := `{"x":"` + strings.Repeat("x", credit.MaxRecordBytes) + `"}`
	stream := string(certificate) + "\n" + big + "\n" + `{"broken": ` + "\n"
	r := credit.NewReader(strings.NewReader(stream))
	var got []string
	tooLarge := 0
	for {
		raw, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		id, err := VerifyRawDocument(context.Background(), raw, opts)
		got = append(got, id+" "+Code(err))
		if raw.Problem != nil && raw.Problem.Code == credit.CodeRecordTooLarge {
			tooLarge++
			assert.Contains(t, err.Error(), "cert.MaxDocumentBytes", "names the limit a user can look up")
		}
	}
	assert.Equal(t, []string{c.ID + " ", " MALFORMED", " MALFORMED"}, got)
	assert.Equal(t, 1, tooLarge, "the Reader could not cut the second document")
}

// moveLast moves each member (written as in doc, followed by a comma) of
// the top-level object doc to its end, which leaves a signature over the
// RFC 8785 form valid.
func moveLast(t *testing.T, doc []byte, members ...string) []byte {
	t.Helper()
	for _, m := range members {
		require.Contains(t, string(doc), m+",")
		doc = append(bytes.Replace(doc[:len(doc)-1], []byte(m+","), nil, 1), ","+m+"}"...)
	}
	return doc
}
