package main

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit/cert"
)

// TestStatusOverTime follows a status registry over time: a check at a
// past time reads the lists valid then, lists expire unless refreshed,
// and a verifier can demand recent lists.
func TestStatusOverTime(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	status := filepath.Join(dir, "status")
	r := certify(t, "", "issue", "-key", keyFile, "-status", status, "-at", issueAt, certifiableFile(t, dir, 2))
	require.Equal(t, exitOK, r.code, r.stderr)
	certFile := writeFile(t, dir, "certs.ndjson", r.stdout)
	id := certID(t, lines(r.stdout)[0])
	s := certify(t, "", "revoke", "-key", keyFile, "-status", status, "-at", revokeAt, id)
	require.Equal(t, exitOK, s.code, s.stderr)

	verify := func(at string, more ...string) result {
		t.Helper()
		return certify(t, "", append([]string{"verify", "-trust", did, "-status", status, "-at", at}, append(more, certFile)...)...)
	}
	// Before the revocation, the lists of issueAt say it is valid.
	v := verify("2026-10-02T00:00:00Z")
	assert.Equal(t, exitOK, v.code, v.stdout)
	// After it, revoked.
	v = verify(checkAt)
	assert.Equal(t, exitInvalid, v.code)
	assert.True(t, strings.HasPrefix(lines(v.stdout)[0], "invalid\t"+id+"\tREVOKED\t"), v.stdout)
	// A week after the last lists, they have expired: the status is
	// unknown, whatever it was.
	expired := mustTime(t, revokeAt).Add(cert.DefaultListValidity + time.Hour).Format(time.RFC3339)
	v = verify(expired)
	assert.Equal(t, exitInvalid, v.code)
	assert.Len(t, regexp.MustCompile("\tSTATUS_UNAVAILABLE\t.*expired").FindAllString(v.stdout, -1), 2, v.stdout)
	// A verifier that wants lists of the last day refuses two-day-old ones.
	v = verify(checkAt, "-max-status-age", "24h")
	assert.Equal(t, exitInvalid, v.code)
	assert.Len(t, regexp.MustCompile("\tSTATUS_UNAVAILABLE\t.*older than the 24h0m0s").FindAllString(v.stdout, -1), 2, v.stdout)

	// refresh re-signs the lists without changing a status.
	s = certify(t, "", "refresh", "-key", keyFile, "-status", status, "-at", expired)
	require.Equal(t, exitOK, s.code, s.stderr)
	assert.Equal(t, []string{
		"refreshed\thttps://status.example/credit/revocation\t" + mustTime(t, expired).Add(cert.DefaultListValidity).Format(time.RFC3339),
		"refreshed\thttps://status.example/credit/suspension\t" + mustTime(t, expired).Add(cert.DefaultListValidity).Format(time.RFC3339),
	}, lines(s.stdout))
	v = verify(expired, "-max-status-age", "24h")
	assert.Equal(t, exitInvalid, v.code)
	got := lines(v.stdout)
	assert.True(t, strings.HasPrefix(got[0], "invalid\t"+id+"\tREVOKED\t"), v.stdout)
	assert.True(t, strings.HasPrefix(got[1], "ok\t"), v.stdout)
	// The past is kept: at checkAt, the lists of revokeAt still answer.
	v = verify(checkAt)
	assert.True(t, strings.HasPrefix(lines(v.stdout)[1], "ok\t"), v.stdout)

	for name, args := range map[string][]string{
		"refresh with an id":        {"refresh", "-key", keyFile, "-status", status, id},
		"refresh into the past":     {"refresh", "-key", keyFile, "-status", status, "-at", issueAt},
		"refresh without registry":  {"refresh", "-key", keyFile, "-status", filepath.Join(dir, "none")},
		"negative max status age":   {"verify", "-max-status-age", "-1h", certFile},
		"list validity, no -status": {"issue", "-key", keyFile, "-list-validity", "24h", certFile},
		"other list validity":       {"issue", "-key", keyFile, "-status", status, "-list-validity", "24h", "-at", expired, certFile},
	} {
		r := certify(t, "", args...)
		assert.Equal(t, exitUsage, r.code, "%s: %s", name, r.stderr)
	}
}

// TestListValidity checks -list-validity of a new registry.
func TestListValidity(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	status := filepath.Join(dir, "status")
	r := certify(t, "", "issue", "-key", keyFile, "-status", status, "-list-validity", "36h", "-at", issueAt, certifiableFile(t, dir, 1))
	require.Equal(t, exitOK, r.code, r.stderr)
	reg, err := cert.OpenStatusRegistry(status)
	require.NoError(t, err)
	assert.Equal(t, 36*time.Hour, reg.ListValidity())
	v := certify(t, r.stdout, "verify", "-trust", did, "-status", status, "-at", "2026-10-02T11:00:00Z")
	assert.Equal(t, exitOK, v.code, v.stdout)
	v = certify(t, r.stdout, "verify", "-trust", did, "-status", status, "-at", "2026-10-02T13:00:00Z")
	assert.Equal(t, exitInvalid, v.code, v.stdout)
	assert.Contains(t, v.stdout, "\tSTATUS_UNAVAILABLE\t")
	r = certify(t, "", "issue", "-key", keyFile, "-status", status, "-list-validity", "36h", "-at", issueAt, certifiableFile(t, dir, 1))
	assert.Equal(t, exitOK, r.code, "the same validity: %s", r.stderr)
}

// TestRegistryDamage checks that certify refuses a status registry whose
// state contradicts its lists, saying so, and changes nothing: a stale
// index.json would otherwise hand out a revoked certificate's index again.
func TestRegistryDamage(t *testing.T) {
	dir := t.TempDir()
	keyFile, _ := keygen(t, dir, "issuer.key")
	status := filepath.Join(dir, "status")
	records := certifiableFile(t, dir, 2)
	r := certify(t, "", "issue", "-key", keyFile, "-status", status, "-at", issueAt, records)
	require.Equal(t, exitOK, r.code, r.stderr)
	stale := mustRead(t, filepath.Join(status, "index.json"))
	id := certID(t, lines(r.stdout)[1])
	s := certify(t, "", "revoke", "-key", keyFile, "-status", status, "-at", revokeAt, id)
	require.Equal(t, exitOK, s.code, s.stderr)
	require.NoError(t, os.WriteFile(filepath.Join(status, "index.json"), stale, 0o644))
	lists := mustRead(t, filepath.Join(status, "revocation.json"))

	for name, args := range map[string][]string{
		"issue":   {"issue", "-key", keyFile, "-status", status, "-at", checkAt, records},
		"revoke":  {"revoke", "-key", keyFile, "-status", status, "-at", checkAt, id},
		"refresh": {"refresh", "-key", keyFile, "-status", status, "-at", checkAt},
	} {
		r := certify(t, "", args...)
		assert.Equal(t, exitUsage, r.code, name)
		assert.Empty(t, r.stdout, name)
		assert.Contains(t, r.stderr, "status registry is inconsistent", name)
		assert.Contains(t, r.stderr, "revocation.json is not the revocation list that index.json records as published last", name)
		assert.Equal(t, 1, strings.Count(r.stderr, status), "%s names the directory once: %s", name, r.stderr)
	}
	assert.Equal(t, lists, mustRead(t, filepath.Join(status, "revocation.json")), "nothing is repaired")
}

// TestKeyFiles checks that the file keygen writes is what cert.ParseKeyFile,
// the loader the README shows, reads; and that -trust explains what it
// takes when given a key file.
func TestKeyFiles(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	key, err := cert.ParseKeyFile(mustRead(t, keyFile))
	require.NoError(t, err)
	assert.Equal(t, did, cert.DIDKey(key.Public().(ed25519.PublicKey)))

	r := certify(t, "", "verify", "-trust", keyFile)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "a file; -trust takes an issuer's public key: its did:key (did:key:z6Mk..., as certify keygen prints it)")
	r = certify(t, "", "verify", "-trust", "z3u2notakey")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "-trust takes an issuer's public key")
	assert.Equal(t, 1, strings.Count(r.stderr, "certify verify: "), r.stderr)
	assert.NotContains(t, r.stderr, "malformed input: cert: malformed input")

	// A key file too large to be one is refused without reading it all.
	big := writeFile(t, dir, "big.key", strings.Repeat(" ", cert.MaxKeyFileBytes+1))
	r = certify(t, "{}", "sign", "-key", big, "-created", issueAt, "-")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "larger than the limit")
}

// TestSignNumbers checks that certify sign refuses numbers it cannot
// sign exactly, rather than change them, and reads a file with a byte
// order mark.
func TestSignNumbers(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	for _, n := range []string{"1e-400", "9007199254740993", "123456789012345678901234567890"} {
		r := certify(t, `{"id":"urn:x","n":`+n+`}`, "sign", "-key", keyFile, "-created", issueAt, "-")
		assert.Equal(t, exitInvalid, r.code, n)
		assert.Empty(t, r.stdout, n)
		assert.Contains(t, r.stderr, "MALFORMED", n)
		assert.Contains(t, r.stderr, "number "+n+" cannot be signed exactly", n)
	}
	vc := "\uFEFF" + `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"` + did + `","credentialSubject":{"id":"urn:x","n":1.50}}`
	r := certify(t, "", "sign", "-key", keyFile, "-created", issueAt, writeFile(t, dir, "bom.json", vc))
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"n":1.5`)
	v := certify(t, r.stdout, "verify", "-trust", did, "-at", checkAt)
	assert.Equal(t, exitOK, v.code, v.stdout)
}
