package service

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBearerTokens(t *testing.T) {
	for _, bad := range [][]string{nil, {"short"}, {testToken, "with space in it 1234"}, {strings.Repeat("=", 20)}, {"ümlaut-token-0123456789"}} {
		_, err := BearerTokens(bad...)
		assert.Error(t, err, "%q", bad)
	}
	a, err := BearerTokens("first-token-0123456789", testToken)
	require.NoError(t, err)
	for header, ok := range map[string]bool{
		"":                              false,
		"Bearer " + testToken:           true,
		"bearer " + testToken:           true,
		"Bearer first-token-0123456789": true,
		"Bearer " + testToken + "x":     false,
		"Bearer " + testToken[:10]:      false,
		"Basic " + testToken:            false,
		"Bearer":                        false,
		"Bearer " + strings.Repeat("a", maxAuthorizationLen): false,
	} {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		if header != "" {
			r.Header.Set("Authorization", header)
		}
		err := a.Authenticate(r)
		if ok {
			assert.NoError(t, err, header)
		} else {
			assert.ErrorIs(t, err, ErrUnauthenticated, header)
		}
	}
	assert.ErrorIs(t, AnyOf(nil).Authenticate(httptest.NewRequest(http.MethodPost, "/", nil)), ErrUnauthenticated)
}

// TestClientCertificates issues over TLS with client certificates that
// the server verifies.
func TestClientCertificates(t *testing.T) {
	ca, caKey := newCert(t, "creditsco test CA", nil, nil)
	client, clientKey := newCert(t, "agency-1", ca, caKey)
	other, otherKey := newCert(t, "agency-2", ca, caKey)
	stranger, strangerKey := newCert(t, "stranger", nil, nil)

	e := newEnv(t, func(o *Options) {
		o.Auth = ClientCertificates(func(c *x509.Certificate) bool { return c.Subject.CommonName != "agency-2" })
	})
	srv := httptest.NewUnstartedServer(e.h)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	srv.TLS = &tls.Config{ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: pool}
	srv.StartTLS()
	defer srv.Close()

	post := func(cert *x509.Certificate, key *ecdsa.PrivateKey) (int, error) {
		tr := srv.Client().Transport.(*http.Transport).Clone()
		if cert != nil {
			tr.TLSClientConfig.Certificates = []tls.Certificate{{Certificate: [][]byte{cert.Raw}, PrivateKey: key}}
		}
		c := &http.Client{Transport: tr}
		defer tr.CloseIdleConnections()
		resp, err := c.Post(srv.URL+"/v1/certificates", NDJSONType, strings.NewReader(samples(t, "kz")))
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	status, err := post(client, clientKey)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
	status, err = post(nil, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, status, "no client certificate")
	status, err = post(other, otherKey)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, status, "a certificate the allow function refuses")
	// A certificate of another authority is not sent (it is not one the
	// server asks for), or fails the handshake.
	status, err = post(stranger, strangerKey)
	assert.True(t, err != nil || status == http.StatusUnauthorized, "%d %v", status, err)

	// Without TLS there is no client certificate.
	w := serve(e.h, request{method: http.MethodPost, path: "/v1/certificates", body: samples(t, "kz")})
	assert.Equal(t, CodeUnauthenticated, problemOf(t, w).Code)
}

// newCert returns a certificate for name signed by parent (self-signed,
// a CA, when parent is nil).
func newCert(t *testing.T, name string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	signer, signerKey := tmpl, key
	if parent == nil {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature
	} else {
		signer, signerKey = parent, parentKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c, key
}
