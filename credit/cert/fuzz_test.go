package cert

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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
