package sqlreg

import (
	"crypto/ed25519"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
)

var (
	fuzzFrom = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	fuzzURL  = "https://status.example/credit/revocation"
)

func fuzzKey() ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("sqlreg fuzz key"))
	return ed25519.NewKeyFromSeed(seed[:])
}

// FuzzReadListDoc feeds readListDoc, which reads the lists of a database
// and of a file register to import, any document: it never panics, and
// accepts only what the key signed as the list it expects.
func FuzzReadListDoc(f *testing.F) {
	key := fuzzKey()
	doc, err := cert.StatusListCredential{
		ID: fuzzURL, Issuer: cert.DIDKey(key.Public().(ed25519.PublicKey)), Purpose: cert.StatusRevocation,
		ValidFrom: fuzzFrom, ValidUntil: fuzzFrom.Add(cert.DefaultListValidity), List: cert.NewStatusList(cert.MinStatusListLen),
	}.Marshal()
	if err != nil {
		f.Fatal(err)
	}
	signed, err := cert.AddProof(doc, key, cert.ProofOptions{Created: fuzzFrom})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed)
	f.Add(doc)
	f.Add([]byte(`{}`))
	pub := key.Public().(ed25519.PublicKey)
	f.Fuzz(func(t *testing.T, data []byte) {
		l, until, err := readListDoc(data, pub, fuzzURL, cert.StatusRevocation, fuzzFrom, time.Time{}, cert.MinStatusListLen)
		if err != nil {
			return
		}
		if l.Len() != cert.MinStatusListLen || !until.After(fuzzFrom) {
			t.Fatalf("accepted a list of %d entries valid until %s", l.Len(), until)
		}
		if _, err := cert.VerifyProof(data, cert.VerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: fuzzFrom}); err != nil {
			t.Fatalf("accepted a document whose proof does not verify: %v", err)
		}
	})
}

func TestReadListDoc(t *testing.T) {
	key := fuzzKey()
	pub := key.Public().(ed25519.PublicKey)
	sign := func(c cert.StatusListCredential, k ed25519.PrivateKey) []byte {
		doc, err := c.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		s, err := cert.AddProof(doc, k, cert.ProofOptions{Created: fuzzFrom})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := cert.StatusListCredential{
		ID: fuzzURL, Issuer: cert.DIDKey(pub), Purpose: cert.StatusRevocation,
		ValidFrom: fuzzFrom, ValidUntil: fuzzFrom.Add(time.Hour), List: cert.NewStatusList(cert.MinStatusListLen),
	}
	if _, _, err := readListDoc(sign(good, key), pub, fuzzURL, cert.StatusRevocation, fuzzFrom, fuzzFrom.Add(time.Hour), cert.MinStatusListLen); err != nil {
		t.Fatal(err)
	}
	otherSeed := sha256.Sum256([]byte("other"))
	other := ed25519.NewKeyFromSeed(otherSeed[:])
	bad := map[string][]byte{}
	c := good
	c.Purpose = cert.StatusSuspension
	bad["purpose"] = sign(c, key)
	c = good
	c.ID += "-1"
	bad["url"] = sign(c, key)
	c = good
	c.ValidFrom = fuzzFrom.Add(time.Second)
	bad["validFrom"] = sign(c, key)
	c = good
	c.ValidUntil = time.Time{}
	bad["no validUntil"] = sign(c, key)
	c = good
	c.List = cert.NewStatusList(2 * cert.MinStatusListLen)
	bad["length"] = sign(c, key)
	c = good
	c.Issuer = cert.DIDKey(other.Public().(ed25519.PublicKey))
	bad["issuer"] = sign(c, key)
	bad["key"] = sign(good, other)
	for name, doc := range bad {
		if _, _, err := readListDoc(doc, pub, fuzzURL, cert.StatusRevocation, fuzzFrom, fuzzFrom.Add(time.Hour), cert.MinStatusListLen); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c = good
	c.ValidUntil = fuzzFrom.Add(2 * time.Hour)
	if _, _, err := readListDoc(sign(c, key), pub, fuzzURL, cert.StatusRevocation, fuzzFrom, fuzzFrom.Add(time.Hour), cert.MinStatusListLen); err == nil {
		t.Error("another validUntil than recorded: accepted")
	}
}

func TestStrideInverse(t *testing.T) {
	inv := strideInverse()
	if uint64(cert.StatusIndexStride)*inv != 1 {
		t.Fatalf("%#x is not the inverse of %#x", inv, cert.StatusIndexStride)
	}
	n := cert.MinStatusListLen
	for _, i := range []int{0, 1, 2, 1000, n - 1} {
		if k := int(uint64(cert.StatusIndex(i, n)) * inv & uint64(n-1)); k != i {
			t.Errorf("index %d: inverse gives %d", i, k)
		}
	}
}
