package inputs

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit/cert"
)

func TestKeyAndTrust(t *testing.T) {
	dir := t.TempDir()
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	keyFile := filepath.Join(dir, "issuer.key")
	require.NoError(t, os.WriteFile(keyFile, []byte(cert.EncodePrivateKey(key)+"\n"), 0o600))

	got, err := Key("-key", keyFile)
	require.NoError(t, err)
	assert.Equal(t, key, got)
	_, err = Key("-key", filepath.Join(dir, "missing"))
	assert.ErrorContains(t, err, "-key: ")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "big"), make([]byte, cert.MaxKeyFileBytes+10), 0o600))
	_, err = Key("-key", filepath.Join(dir, "big"))
	assert.ErrorContains(t, err, "-key "+filepath.Join(dir, "big"))

	did := cert.DIDKey(key.Public().(ed25519.PublicKey))
	pub, err := Trust(did)
	require.NoError(t, err)
	assert.Equal(t, key.Public(), pub)
	_, err = Trust(keyFile)
	assert.ErrorContains(t, err, "a file; -trust takes an issuer's public key")
	_, err = Trust("z6Mk-not-a-key")
	assert.ErrorContains(t, err, "-trust z6Mk-not-a-key: -trust takes")

	var l List
	require.NoError(t, l.Set("a"))
	require.NoError(t, l.Set("b"))
	assert.Equal(t, "a,b", l.String())
}
