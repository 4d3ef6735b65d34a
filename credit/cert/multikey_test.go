package cert

import (
	"crypto/ed25519"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	vectorPublicKey = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	vectorSecretKey = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
	vectorVM        = "did:key:" + vectorPublicKey + "#" + vectorPublicKey
)

// vectorKey returns the key pair of the W3C eddsa test vectors.
func vectorKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	key, err := DecodePrivateKey(vectorSecretKey)
	require.NoError(t, err)
	return key
}

func TestBase58BTC(t *testing.T) {
	// Examples of draft-msporny-base58 (the base58btc reference).
	tests := []struct{ hex, enc string }{
		{hex.EncodeToString([]byte("Hello World!")), "z2NEpo7TZRRrLZSi2U"},
		{hex.EncodeToString([]byte("The quick brown fox jumps over the lazy dog.")), "zUSm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z"},
		{"0000287fb4cd", "z11233QC4"},
		{"", "z"},
		{"00", "z1"},
	}
	for _, tt := range tests {
		t.Run(tt.enc, func(t *testing.T) {
			data, err := hex.DecodeString(tt.hex)
			require.NoError(t, err)
			assert.Equal(t, tt.enc, EncodeBase58BTC(data))
			got, err := DecodeBase58BTC(tt.enc)
			require.NoError(t, err)
			assert.Equal(t, tt.hex, hex.EncodeToString(got))
		})
	}
	for _, bad := range []string{"", "2NEpo7", "z0OIl", "z" + strings.Repeat("2", maxBase58Len)} {
		_, err := DecodeBase58BTC(bad)
		assert.ErrorIs(t, err, ErrMalformed, bad)
	}
}

func TestBase64URL(t *testing.T) {
	data := []byte{0xfb, 0xff, 0x00}
	enc := EncodeBase64URL(data)
	assert.Equal(t, "u-_8A", enc)
	got, err := DecodeBase64URL(enc)
	require.NoError(t, err)
	assert.Equal(t, data, got)
	for _, bad := range []string{"", "-_8A", "u-_8A=", "u+/8A", "u-_9"} { // u-_9: non-zero trailing bits
		_, err := DecodeBase64URL(bad)
		assert.ErrorIs(t, err, ErrMalformed, bad)
	}
}

func TestMultikeyVector(t *testing.T) {
	key := vectorKey(t)
	pub := key.Public().(ed25519.PublicKey)
	assert.Equal(t, vectorPublicKey, EncodePublicKey(pub))
	assert.Equal(t, vectorSecretKey, EncodePrivateKey(key))
	assert.Equal(t, "did:key:"+vectorPublicKey, DIDKey(pub))
	assert.Equal(t, vectorVM, VerificationMethod(pub))

	got, err := DecodePublicKey(vectorPublicKey)
	require.NoError(t, err)
	assert.True(t, pub.Equal(got))

	for _, s := range []string{vectorPublicKey, DIDKey(pub), vectorVM, " " + vectorVM + "\n"} {
		got, err := ParsePublicKey(s)
		require.NoError(t, err, s)
		assert.True(t, pub.Equal(got), s)
	}
}

func TestDecodeKeyErrors(t *testing.T) {
	pub := vectorKey(t).Public().(ed25519.PublicKey)
	tests := []struct {
		name string
		fn   func() error
		want error
	}{
		{"secret key as public", func() error { _, err := DecodePublicKey(vectorSecretKey); return err }, ErrMalformed},
		{"public key as secret", func() error { _, err := DecodePrivateKey(vectorPublicKey); return err }, ErrMalformed},
		{"short public key", func() error { _, err := DecodePublicKey(EncodeBase58BTC([]byte{0xed, 0x01, 1, 2})); return err }, ErrMalformed},
		{"wrong codec", func() error {
			_, err := DecodePublicKey(EncodeBase58BTC(append([]byte{0xe7, 0x01}, pub...)))
			return err
		}, ErrMalformed},
		{"not did:key", func() error { _, err := ResolveDIDKey("did:web:example.com#key-1"); return err }, ErrUntrustedKey},
		{"did:key fragment mismatch", func() error {
			_, err := ResolveDIDKey("did:key:" + vectorPublicKey + "#key-1")
			return err
		}, ErrMalformed},
		{"parse garbage", func() error { _, err := ParsePublicKey("did:key:zzz"); return err }, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorIs(t, tt.fn(), tt.want)
		})
	}
}

func TestKeyFile(t *testing.T) {
	// The W3C vector key pair file parses.
	data, err := os.ReadFile("testdata/eddsa-jcs-2022/keyPair.json")
	require.NoError(t, err)
	key, err := ParseKeyFile(data)
	require.NoError(t, err)
	assert.Equal(t, vectorSecretKey, EncodePrivateKey(key))

	// The older member name is accepted.
	old := `{"publicKeyMultibase":"` + vectorPublicKey + `","privateKeyMultibase":"` + vectorSecretKey + `"}`
	_, err = ParseKeyFile([]byte(old))
	require.NoError(t, err)

	// Round trip.
	_, fresh, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	back, err := ParseKeyFile(MarshalKeyFile(fresh))
	require.NoError(t, err)
	assert.True(t, fresh.Equal(back))

	// A public key that does not match the secret key is rejected.
	other, _, _ := ed25519.GenerateKey(nil)
	bad := `{"publicKeyMultibase":"` + EncodePublicKey(other) + `","secretKeyMultibase":"` + vectorSecretKey + `"}`
	_, err = ParseKeyFile([]byte(bad))
	assert.ErrorIs(t, err, ErrMalformed)
	_, err = ParseKeyFile([]byte(`{`))
	assert.ErrorIs(t, err, ErrMalformed)
}
