package main

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
	"github.com/creditsco/creditsco/credit/register/sqlite"
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
	assert.Equal(t, 36*time.Hour, registerInfo(t, status).ListValidity)
	v := certify(t, r.stdout, "verify", "-trust", did, "-status", status, "-at", "2026-10-02T11:00:00Z")
	assert.Equal(t, exitOK, v.code, v.stdout)
	v = certify(t, r.stdout, "verify", "-trust", did, "-status", status, "-at", "2026-10-02T13:00:00Z")
	assert.Equal(t, exitInvalid, v.code, v.stdout)
	assert.Contains(t, v.stdout, "\tSTATUS_UNAVAILABLE\t")
	r = certify(t, "", "issue", "-key", keyFile, "-status", status, "-list-validity", "36h", "-at", issueAt, certifiableFile(t, dir, 1))
	assert.Equal(t, exitOK, r.code, "the same validity: %s", r.stderr)
}

// TestRegistryDamage checks that certify refuses a status register
// that is older than the lists it published (a backup restored over it),
// saying so, and changes nothing: it would otherwise hand out a revoked
// certificate's index again, or forget the revocation.
func TestRegistryDamage(t *testing.T) {
	dir := t.TempDir()
	keyFile, _ := keygen(t, dir, "issuer.key")
	status := filepath.Join(dir, "status")
	records := certifiableFile(t, dir, 2)
	r := certify(t, "", "issue", "-key", keyFile, "-status", status, "-at", issueAt, records)
	require.Equal(t, exitOK, r.code, r.stderr)
	backup := mustRead(t, filepath.Join(status, registerFile))
	id := certID(t, lines(r.stdout)[1])
	s := certify(t, "", "revoke", "-key", keyFile, "-status", status, "-at", revokeAt, id)
	require.Equal(t, exitOK, s.code, s.stderr)
	require.NoError(t, os.WriteFile(filepath.Join(status, registerFile), backup, 0o644))
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
		assert.Contains(t, r.stderr, "the register is older than its lists", name)
		assert.Equal(t, 1, strings.Count(r.stderr, status), "%s names the directory once: %s", name, r.stderr)
	}
	assert.Equal(t, lists, mustRead(t, filepath.Join(status, "revocation.json")), "nothing is repaired")
}

// TestRegistryBackupAtOneSecond checks that certify refuses a register
// restored from a backup made between two runs of certify issue with one
// -at: their lists share a time, so that only their content shows that
// the register is older than them. It would otherwise hand out the
// indexes of the second run's certificates again.
func TestRegistryBackupAtOneSecond(t *testing.T) {
	dir := t.TempDir()
	keyFile, _ := keygen(t, dir, "issuer.key")
	status := filepath.Join(dir, "status")
	good, _ := certifiable(t, "", recordFiles(t)...)
	require.GreaterOrEqual(t, len(good), 3, "too few certifiable sample records")
	issue := func(name, record string) result {
		t.Helper()
		return certify(t, "", "issue", "-key", keyFile, "-status", status, "-at", issueAt, writeFile(t, dir, name, record+"\n"))
	}
	r := issue("first.ndjson", good[0])
	require.Equal(t, exitOK, r.code, r.stderr)
	backup := mustRead(t, filepath.Join(status, registerFile))
	r = issue("second.ndjson", good[1])
	require.Equal(t, exitOK, r.code, r.stderr)
	require.NoError(t, os.WriteFile(filepath.Join(status, registerFile), backup, 0o644))
	lists := mustRead(t, filepath.Join(status, "revocation.json"))

	r = issue("third.ndjson", good[2])
	assert.Equal(t, exitUsage, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "status registry is inconsistent")
	assert.Contains(t, r.stderr, "the register is older than its lists")
	assert.Equal(t, lists, mustRead(t, filepath.Join(status, "revocation.json")), "nothing is repaired")
}

// TestFileRegister checks that a file register, the status directory of
// certify before its register was a database, is imported on first use,
// once, keeping its indexes, statuses and lists; and that one whose state
// contradicts its lists is refused, with nothing written.
func TestFileRegister(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	key, err := cert.ParseKeyFile(mustRead(t, keyFile))
	require.NoError(t, err)
	status := filepath.Join(dir, "status")
	fr, err := cert.CreateStatusRegistry(status, cert.StatusRegistryOptions{BaseURL: defaultStatusURL})
	require.NoError(t, err)
	certs := issueWithFileRegister(t, fr, key, certifiableFile(t, dir, 2))
	require.NoError(t, fr.Save(key, mustTime(t, issueAt)))
	stale := mustRead(t, filepath.Join(status, "index.json"))
	require.NoError(t, fr.Revoke(certID(t, certs[0])))
	require.NoError(t, fr.Save(key, mustTime(t, revokeAt)))
	state := mustRead(t, filepath.Join(status, "index.json"))
	certFile := writeFile(t, dir, "certs.ndjson", strings.Join(certs, "\n")+"\n")

	// A stale state is refused by every command that writes, and no
	// register is made.
	require.NoError(t, os.WriteFile(filepath.Join(status, "index.json"), stale, 0o644))
	for name, args := range map[string][]string{
		"issue":   {"issue", "-key", keyFile, "-status", status, "-at", checkAt, certifiableFile(t, dir, 1)},
		"revoke":  {"revoke", "-key", keyFile, "-status", status, "-at", checkAt, certID(t, certs[1])},
		"refresh": {"refresh", "-key", keyFile, "-status", status, "-at", checkAt},
	} {
		r := certify(t, "", args...)
		assert.Equal(t, exitUsage, r.code, name)
		assert.Contains(t, r.stderr, "status registry is inconsistent", name)
		assert.Contains(t, r.stderr, "revocation.json is not the revocation list that index.json records as published last", name)
		assert.Equal(t, 1, strings.Count(r.stderr, status), "%s names the directory once: %s", name, r.stderr)
		assert.NoFileExists(t, filepath.Join(status, registerFile), name)
	}

	// The sound state is imported by the first command that writes.
	require.NoError(t, os.WriteFile(filepath.Join(status, "index.json"), state, 0o644))
	v := certify(t, "", "verify", "-trust", did, "-status", status, "-at", checkAt, certFile)
	assert.Equal(t, exitInvalid, v.code, v.stdout)
	assert.Contains(t, v.stdout, "\tREVOKED\t")
	s := certify(t, "", "suspend", "-key", keyFile, "-status", status, "-at", checkAt, certID(t, certs[1]))
	require.Equal(t, exitOK, s.code, s.stderr)
	assert.FileExists(t, filepath.Join(status, registerFile))
	assert.NoFileExists(t, filepath.Join(status, "index.json"))
	assert.Equal(t, state, mustRead(t, filepath.Join(status, "index.json.imported")))
	v = certify(t, "", "verify", "-trust", did, "-status", status, "-at", checkAt, certFile)
	assert.Contains(t, v.stdout, "\tREVOKED\t")
	assert.Contains(t, v.stdout, "\tSUSPENDED\t")
	v = certify(t, "", "verify", "-trust", did, "-status", status, "-at", "2026-10-02T00:00:00Z", certFile)
	assert.Equal(t, exitOK, v.code, "the imported versions answer for the past: %s", v.stdout)

	// New certificates take the indexes after the file register's.
	r := certify(t, "", "issue", "-key", keyFile, "-status", status, "-at", checkAt, certifiableFile(t, dir, 1))
	require.Equal(t, exitOK, r.code, r.stderr)
	e, err := cert.StatusEntries([]byte(lines(r.stdout)[0]))
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(cert.StatusIndex(len(certs), cert.MinStatusListLen)), e[0].StatusListIndex)
}

// issueWithFileRegister issues the certificates of the records in file
// with a file register, as certify did before its register was a
// database.
func issueWithFileRegister(t *testing.T, fr *cert.StatusRegistry, key ed25519.PrivateKey, file string) []string {
	t.Helper()
	sc, _, err := newScorer("", credit.EngineOptions{})
	require.NoError(t, err)
	issuers, err := newIssuers(sc.RuleSets(), cert.IssueOptions{Key: key, Now: mustTime(t, issueAt), Status: fr})
	require.NoError(t, err)
	var certs []string
	for _, line := range lines(string(mustRead(t, file))) {
		res, err := sc.ScoreJSON(context.Background(), []byte(line))
		require.NoError(t, err)
		signed, _, err := issuers[res.Assessment.RuleSetRef().Digest].Issue(res.Assessment)
		require.NoError(t, err)
		certs = append(certs, string(signed))
	}
	return certs
}

// registerInfo returns the Info of the status register in dir.
func registerInfo(t *testing.T, dir string) *register.Info {
	t.Helper()
	reg, err := sqlite.Open(context.Background(), filepath.Join(dir, registerFile), register.Options{})
	require.NoError(t, err)
	defer reg.Close()
	info, err := reg.Info(context.Background())
	require.NoError(t, err)
	return info
}

// execRegister runs a statement on the database of the status register in
// dir, beside certify.
func execRegister(t *testing.T, dir, stmt string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, registerFile))
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(stmt)
	require.NoError(t, err)
}

// TestKeyFiles checks that the file keygen writes is what cert.ParseKeyFile,
// the loader package cert documents, reads; and that -trust explains what it
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
