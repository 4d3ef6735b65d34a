package cert

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReleasedCertificatesVerify verifies the golden certificates of an
// earlier release (testdata/released/certificates, issued with the public
// test key under the country rule sets 1.0.0 and SCO-BASE 2.1.0, never
// regenerated) with the built-in rule sets of this build: a new version of
// a rule set must not stop the certificates of the old one verifying.
func TestReleasedCertificatesVerify(t *testing.T) {
	pub := testKey(t).Public().(ed25519.PublicKey)
	opts := CertificateVerifyOptions{TrustedKeys: []ed25519.PublicKey{pub}, Now: issueTime.Add(24 * time.Hour)}
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "released", "certificates", "*.ndjson"))
	require.NoError(t, err)
	require.Len(t, files, 12)
	n := 0
	for _, file := range files {
		f, err := os.Open(file)
		require.NoError(t, err)
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, MaxDocumentBytes)
		for sc.Scan() {
			n++
			c, err := VerifyCertificate(context.Background(), sc.Bytes(), opts)
			require.NoError(t, err, file)
			cc := strings.ToUpper(strings.TrimSuffix(filepath.Base(file), "-1.0.0.ndjson"))
			assert.Equal(t, RuleSetRef{ID: "SCO-" + cc, Version: "1.0.0", Digest: c.CredentialSubject.RuleSet.Digest}, c.CredentialSubject.RuleSet)
		}
		require.NoError(t, sc.Err())
		f.Close()
	}
	assert.Equal(t, 24, n)
}
