package main

import (
	"bytes"
	"context"
	"encoding/json"
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
)

// Fixed times of the tests: certificates of the sample records (assessed
// as of 2026-09-30) are issued at issueAt (valid for 12 months), revoked
// at revokeAt, and checked at checkAt, while the status lists signed at
// revokeAt are valid (cert.DefaultListValidity, 7 days).
const (
	issueAt  = "2026-10-01T00:00:00Z"
	revokeAt = "2026-10-03T00:00:00Z"
	checkAt  = "2026-10-05T00:00:00Z"
	laterAt  = "2040-01-01T00:00:00Z"
)

// result is what one run of the program gave.
type result struct {
	code           int
	stdout, stderr string
}

// certify runs the program with stdin.
func certify(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// keygen writes a key in dir and returns its file and did:key.
func keygen(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	file := filepath.Join(dir, name)
	r := certify(t, "", "keygen", "-out", file)
	require.Equal(t, 0, r.code, r.stderr)
	did := strings.TrimSpace(r.stdout)
	require.True(t, strings.HasPrefix(did, "did:key:z6Mk"), did)
	return file, did
}

// lines splits output into its lines.
func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// mustRead returns the content of file name.
func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return data
}

// mustTime parses an RFC 3339 time.
func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return tm
}

// certID returns the id of a certificate line.
func certID(t *testing.T, line string) string {
	t.Helper()
	var c struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal([]byte(line), &c))
	require.NotEmpty(t, c.ID)
	return c.ID
}

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

// recordFiles returns the bundled sample record files.
func recordFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../testdata/records/*.ndjson")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

// certifiable returns the records of files that the rule set of their
// country, with the FX rates of the file rates ("" for none), allows to be
// certified, one JSON line each, and the number of records read. The
// tests take their expectations from it, so that they do not depend on
// which sample records a rule-set revision certifies.
func certifiable(t *testing.T, rates string, files ...string) ([]string, int) {
	t.Helper()
	return certifiableUnder(t, "", rates, files...)
}

// certifiableUnder is certifiable with the built-in rule set id forced on
// every record ("" for the rule set of each record's country).
func certifiableUnder(t *testing.T, id, rates string, files ...string) ([]string, int) {
	t.Helper()
	var r *credit.Rates
	if rates != "" {
		f, err := os.Open(rates)
		require.NoError(t, err)
		r, err = credit.LoadRates(f)
		f.Close()
		require.NoError(t, err)
	}
	reg := credit.BuiltinRuleSets()
	sc, err := credit.NewScorer(reg, credit.EngineOptions{Rates: r})
	require.NoError(t, err)
	score := sc.Score
	if id != "" {
		rs, ok := reg.Lookup(id)
		require.True(t, ok, id)
		eng, err := credit.NewEngine(rs, credit.EngineOptions{Rates: r})
		require.NoError(t, err)
		score = eng.Score
	}
	var good []string
	records := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		for _, line := range lines(strings.TrimSpace(string(data))) {
			if strings.TrimSpace(line) == "" {
				continue
			}
			records++
			res := credit.ParseRecord([]byte(line))
			require.True(t, res.Valid(), "%s: %v", name, res.Problems)
			p, err := score(context.Background(), res.Record)
			require.NoError(t, err)
			if p.Certifiable {
				good = append(good, line)
			}
		}
	}
	return good, records
}

// wantExit is the exit status of certify issue when good of all records
// are certifiable.
func wantExit(good []string, all int) int {
	if len(good) < all {
		return exitInvalid // some record is reported, not certified
	}
	return exitOK
}

// certifiableFile writes n certifiable sample records (without FX rates)
// to dir and returns the file.
func certifiableFile(t *testing.T, dir string, n int) string {
	t.Helper()
	good, _ := certifiable(t, "", recordFiles(t)...)
	require.GreaterOrEqual(t, len(good), n, "too few certifiable sample records")
	return writeFile(t, dir, "records.ndjson", strings.Join(good[:n], "\n")+"\n")
}

func TestKeygen(t *testing.T) {
	dir := t.TempDir()
	file, did := keygen(t, dir, "issuer.key")

	fi, err := os.Stat(file)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Regexp(t, `^z3u2[1-9A-HJ-NP-Za-km-z]+\n$`, string(data), "the key file is the bare Multikey multibase")
	key, err := cert.DecodePrivateKey(strings.TrimSpace(string(data)))
	require.NoError(t, err)
	pub, err := cert.ParsePublicKey(did)
	require.NoError(t, err)
	assert.True(t, pub.Equal(key.Public()))

	// An existing file is never overwritten.
	r := certify(t, "", "keygen", "-out", file)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "exists")
	after, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, data, after)
}

// TestRoundTrip issues certificates with a status registry for three
// certifiable records and follows them through verification, revocation,
// expiry and tampering.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	status := filepath.Join(dir, "status")
	records := certifiableFile(t, dir, 3)

	r := certify(t, "", "issue", "-key", keyFile, "-status", status, "-at", issueAt, records)
	require.Equal(t, exitOK, r.code, r.stderr)
	certs := lines(r.stdout)
	require.Len(t, certs, 3)
	for _, f := range []string{registerFile, "revocation.json", "suspension.json"} {
		assert.FileExists(t, filepath.Join(status, f))
	}
	ids := make([]string, len(certs))
	for i, c := range certs {
		ids[i] = certID(t, c)
		assert.Contains(t, c, `"CreditCertificate"`)
		assert.Contains(t, c, `"issuer":"`+did+`"`)
		assert.Contains(t, c, `"validFrom":"`+issueAt+`"`)
		assert.Contains(t, c, `"statusListCredential":"https://status.example/credit/revocation"`)
	}
	certFile := writeFile(t, dir, "certs.ndjson", r.stdout)

	// Issuing again at the same time gives the same bytes, and reuses
	// the status entries.
	again := certify(t, "", "issue", "-key", keyFile, "-status", status, "-at", issueAt, records)
	require.Equal(t, exitOK, again.code, again.stderr)
	assert.Equal(t, r.stdout, again.stdout)

	verify := func(args ...string) result {
		t.Helper()
		return certify(t, "", append([]string{"verify"}, args...)...)
	}

	t.Run("all ok", func(t *testing.T) {
		v := verify("-trust", did, "-status", status, "-at", checkAt, certFile)
		require.Equal(t, exitOK, v.code, v.stdout+v.stderr)
		want := make([]string, len(ids))
		for i, id := range ids {
			want[i] = "ok\t" + id
		}
		assert.Equal(t, want, lines(v.stdout))
	})

	t.Run("from stdin", func(t *testing.T) {
		v := certify(t, r.stdout, "verify", "-trust", did, "-status", status, "-at", checkAt)
		require.Equal(t, exitOK, v.code, v.stdout+v.stderr)
		assert.Len(t, lines(v.stdout), 3)
	})

	t.Run("status fails closed", func(t *testing.T) {
		v := verify("-trust", did, "-at", checkAt, certFile)
		assert.Equal(t, exitInvalid, v.code)
		got := lines(v.stdout)
		require.Len(t, got, 3)
		for i, l := range got {
			assert.True(t, strings.HasPrefix(l, "invalid\t"+ids[i]+"\tSTATUS_UNAVAILABLE\t"), l)
			assert.Contains(t, l, "status not checked: no status fetcher")
		}
		v = verify("-trust", did, "-no-status", "-at", checkAt, certFile)
		assert.Equal(t, exitOK, v.code, v.stdout+v.stderr)
		assert.Len(t, lines(v.stdout), 3)
	})

	t.Run("trust forms", func(t *testing.T) {
		mb := strings.TrimPrefix(did, "did:key:")
		for _, trust := range []string{did + "#" + mb, mb} {
			v := verify("-trust", trust, "-status", status, "-at", checkAt, certFile)
			assert.Equal(t, exitOK, v.code, trust+": "+v.stdout+v.stderr)
		}
	})

	t.Run("untrusted", func(t *testing.T) {
		v := verify("-status", status, "-at", checkAt, certFile)
		assert.Equal(t, exitInvalid, v.code)
		for i, l := range lines(v.stdout) {
			assert.True(t, strings.HasPrefix(l, "invalid\t"+ids[i]+"\tUNTRUSTED_KEY\t"), l)
		}
		// Trust comes before status: without -status or -trust, every
		// certificate is still UNTRUSTED_KEY.
		v = verify("-at", checkAt, certFile)
		assert.Equal(t, exitInvalid, v.code)
		assert.Len(t, regexp.MustCompile("\tUNTRUSTED_KEY\t").FindAllString(v.stdout, -1), 3)
		_, other := keygen(t, t.TempDir(), "other.key")
		v = verify("-trust", other, "-at", checkAt, certFile)
		assert.Equal(t, exitInvalid, v.code)
		assert.Len(t, regexp.MustCompile("\tUNTRUSTED_KEY\t").FindAllString(v.stdout, -1), 3)
	})

	t.Run("expired", func(t *testing.T) {
		v := verify("-trust", did, "-status", status, "-at", laterAt, certFile)
		assert.Equal(t, exitInvalid, v.code)
		for i, l := range lines(v.stdout) {
			assert.True(t, strings.HasPrefix(l, "invalid\t"+ids[i]+"\tEXPIRED\t"), l)
		}
	})

	t.Run("not yet valid", func(t *testing.T) {
		v := verify("-trust", did, "-at", "2025-06-01T00:00:00Z", certFile)
		assert.Equal(t, exitInvalid, v.code)
		assert.Contains(t, v.stdout, "\tNOT_YET_VALID\t")
	})

	t.Run("tampered", func(t *testing.T) {
		grade := regexp.MustCompile(`"grade":"[A-Z]+"`)
		require.Regexp(t, grade, certs[1])
		tampered := grade.ReplaceAllString(certs[1], `"grade":"AAA"`)
		if tampered == certs[1] {
			tampered = grade.ReplaceAllString(certs[1], `"grade":"BBB"`)
		}
		in := certs[0] + "\n" + tampered + "\n" + certs[2] + "\n"
		v := certify(t, in, "verify", "-trust", did, "-status", status, "-at", checkAt)
		assert.Equal(t, exitInvalid, v.code)
		got := lines(v.stdout)
		require.Len(t, got, 3)
		assert.Equal(t, "ok\t"+ids[0], got[0])
		assert.True(t, strings.HasPrefix(got[1], "invalid\t"+ids[1]+"\tBAD_PROOF\t"), got[1])
		assert.Equal(t, "ok\t"+ids[2], got[2])
	})

	t.Run("malformed line", func(t *testing.T) {
		in := certs[0] + "\n" + `{"id": "urn:x", oops` + "\n\n" + certs[2] + "\n"
		v := certify(t, in, "verify", "-trust", did, "-status", status, "-at", checkAt)
		assert.Equal(t, exitInvalid, v.code)
		got := lines(v.stdout)
		require.Len(t, got, 3)
		assert.Equal(t, "ok\t"+ids[0], got[0])
		assert.True(t, strings.HasPrefix(got[1], "invalid\t-\tMALFORMED\t"), got[1])
		assert.Equal(t, "ok\t"+ids[2], got[2])
	})

	t.Run("pretty-printed", func(t *testing.T) {
		var pretty bytes.Buffer
		require.NoError(t, json.Indent(&pretty, []byte(certs[0]), "", "  "))
		v := certify(t, pretty.String(), "verify", "-trust", did, "-status", status, "-at", checkAt)
		assert.Equal(t, exitOK, v.code, v.stdout+v.stderr)
		assert.Equal(t, "ok\t"+ids[0]+"\n", v.stdout)
	})

	t.Run("status unavailable", func(t *testing.T) {
		v := verify("-trust", did, "-status", t.TempDir(), "-at", checkAt, certFile)
		assert.Equal(t, exitInvalid, v.code)
		assert.Len(t, regexp.MustCompile("\tSTATUS_UNAVAILABLE\t").FindAllString(v.stdout, -1), 3)
	})

	t.Run("suspend, unsuspend and revoke", func(t *testing.T) {
		// Work on a copy of the registry so that the subtests above
		// and below see it unchanged.
		reg := filepath.Join(t.TempDir(), "status")
		require.NoError(t, os.CopyFS(reg, os.DirFS(status)))

		s := certify(t, "", "suspend", "-key", keyFile, "-status", reg, "-at", revokeAt, ids[0])
		require.Equal(t, exitOK, s.code, s.stderr)
		assert.Equal(t, "suspended\t"+ids[0]+"\n", s.stdout)
		v := verify("-trust", did, "-status", reg, "-at", checkAt, certFile)
		assert.Equal(t, exitInvalid, v.code)
		assert.True(t, strings.HasPrefix(lines(v.stdout)[0], "invalid\t"+ids[0]+"\tSUSPENDED\t"), v.stdout)

		s = certify(t, "", "unsuspend", "-key", keyFile, "-status", reg, "-at", revokeAt, ids[0])
		require.Equal(t, exitOK, s.code, s.stderr)
		v = verify("-trust", did, "-status", reg, "-at", checkAt, certFile)
		assert.Equal(t, exitOK, v.code, v.stdout)

		s = certify(t, "", "revoke", "-key", keyFile, "-status", reg, "-at", revokeAt, ids[1])
		require.Equal(t, exitOK, s.code, s.stderr)
		assert.Equal(t, "revoked\t"+ids[1]+"\n", s.stdout)
		v = verify("-trust", did, "-status", reg, "-at", checkAt, certFile)
		assert.Equal(t, exitInvalid, v.code)
		assert.Equal(t, []string{"ok\t" + ids[0], "ok\t" + ids[2]},
			[]string{lines(v.stdout)[0], lines(v.stdout)[2]})
		assert.True(t, strings.HasPrefix(lines(v.stdout)[1], "invalid\t"+ids[1]+"\tREVOKED\t"), v.stdout)
		// Without -status, status is unavailable; with -no-status it is
		// not checked, and the revoked certificate passes.
		v = verify("-trust", did, "-at", checkAt, certFile)
		assert.Equal(t, exitInvalid, v.code, v.stdout)
		assert.Len(t, regexp.MustCompile("\tSTATUS_UNAVAILABLE\t").FindAllString(v.stdout, -1), 3)
		v = verify("-trust", did, "-no-status", "-at", checkAt, certFile)
		assert.Equal(t, exitOK, v.code, v.stdout)

		// An unknown id changes nothing and exits 1.
		s = certify(t, "", "revoke", "-key", keyFile, "-status", reg, "urn:uuid:not-there")
		assert.Equal(t, exitInvalid, s.code)
		assert.Contains(t, s.stderr, "urn:uuid:not-there")

		// Another key may not re-sign the registry.
		otherKey, _ := keygen(t, t.TempDir(), "other.key")
		s = certify(t, "", "revoke", "-key", otherKey, "-status", reg, ids[2])
		assert.Equal(t, exitUsage, s.code)
		assert.Contains(t, s.stderr, "not by the key")
	})
}

// TestIssueAllRecords issues certificates for every bundled record into
// one registry and verifies them all.
func TestIssueAllRecords(t *testing.T) {
	files := recordFiles(t)
	good, all := certifiable(t, "", files...)
	require.NotEmpty(t, good)
	want := wantExit(good, all)

	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	status := filepath.Join(dir, "status")
	r := certify(t, "", append([]string{"issue", "-key", keyFile, "-status", status, "-at", issueAt}, files...)...)
	require.Equal(t, want, r.code, r.stderr)
	certs := lines(r.stdout)
	require.Len(t, certs, len(good))
	records := len(good)
	assert.Len(t, regexp.MustCompile(`(?m)^certify issue: record \d+ \([^)]+\): not certifiable: `).FindAllString(r.stderr, -1), all-len(good))
	seen := map[string]bool{}
	for _, c := range certs {
		id := certID(t, c)
		assert.False(t, seen[id], "duplicate id %s", id)
		seen[id] = true
	}
	certFile := writeFile(t, dir, "certs.ndjson", r.stdout)

	v := certify(t, "", "verify", "-trust", did, "-status", status, "-at", checkAt, certFile)
	require.Equal(t, exitOK, v.code, v.stdout+v.stderr)
	assert.Len(t, lines(v.stdout), records)
	for _, l := range lines(v.stdout) {
		assert.True(t, strings.HasPrefix(l, "ok\turn:uuid:"), l)
	}

	// A second issue run adds to the same registry.
	more := certify(t, "", "issue", "-key", keyFile, "-status", status, "-at", revokeAt, certifiableFile(t, dir, 2))
	require.Equal(t, exitOK, more.code, more.stderr)
	moreFile := writeFile(t, dir, "more.ndjson", more.stdout)
	v = certify(t, "", "verify", "-trust", did, "-status", status, "-at", checkAt, certFile, moreFile)
	require.Equal(t, exitOK, v.code, v.stdout+v.stderr)
	assert.Len(t, lines(v.stdout), records+len(lines(more.stdout)))
}

// TestIssueReportsRecords checks the report of invalid and not
// certifiable records and the exit status 1.
func TestIssueReportsRecords(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	recs, _ := certifiable(t, "", "../../testdata/records/kz.ndjson")
	require.GreaterOrEqual(t, len(recs), 2)
	require.Contains(t, recs[0], `"status":"active"`)
	var first struct {
		RecordID string `json:"record_id"`
	}
	require.NoError(t, json.Unmarshal([]byte(recs[0]), &first))
	liquidating := strings.Replace(recs[0], `"status":"active"`, `"status":"liquidating"`, 1)
	in := liquidating + "\n" + `{"schema_version":"1.0","record_id":"bad-1"}` + "\n" + recs[1] + "\n"

	r := certify(t, in, "issue", "-key", keyFile, "-at", issueAt)
	assert.Equal(t, exitInvalid, r.code)
	certs := lines(r.stdout)
	require.Len(t, certs, 1)
	assert.Contains(t, certs[0], `"issuer":"`+did+`"`)
	assert.NotContains(t, certs[0], "credentialStatus")
	assert.Regexp(t, `record 1 \(`+regexp.QuoteMeta(first.RecordID)+`\): not certifiable: CAP_LIQUIDATION`, r.stderr)
	assert.Regexp(t, `record 2 \(bad-1\): invalid: [A-Z_]+`, r.stderr)
	assert.NotContains(t, r.stderr, "record 3")
	assert.Contains(t, r.stderr, "3 records: 1 certificates, 1 invalid, 1 not certifiable")

	// Without a status registry, certificates still verify.
	v := certify(t, r.stdout, "verify", "-trust", did, "-at", checkAt)
	assert.Equal(t, exitOK, v.code, v.stdout+v.stderr)

	// No records at all is vacuous success, as for validate and score.
	for _, in := range []string{"", "\n \n"} {
		r = certify(t, in, "issue", "-key", keyFile)
		assert.Equal(t, exitOK, r.code, r.stderr)
		assert.Empty(t, r.stdout)
		assert.Contains(t, r.stderr, "0 records: 0 certificates, 0 invalid, 0 not certifiable")
	}
	empty := writeFile(t, dir, "empty.ndjson", "")
	r = certify(t, "", "issue", "-key", keyFile, empty)
	assert.Equal(t, exitOK, r.code, r.stderr)
}

func TestIssueOptions(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	kz := certifiableFile(t, dir, 3)

	t.Run("issuer URI", func(t *testing.T) {
		r := certify(t, "", "issue", "-key", keyFile, "-issuer", "https://issuer.example", "-at", issueAt, kz)
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, `"issuer":"https://issuer.example"`)
		// -trust names keys, not issuers: the key could name any issuer,
		// so certify verify trusts did:key issuers only.
		v := certify(t, r.stdout, "verify", "-trust", did, "-at", checkAt)
		assert.Equal(t, exitInvalid, v.code, v.stdout+v.stderr)
		for _, line := range lines(v.stdout) {
			assert.Contains(t, line, "\tUNTRUSTED_KEY\t")
			assert.Contains(t, line, `the issuer "https://issuer.example" is not a did:key`)
		}
		assert.NotEmpty(t, lines(v.stdout))
		// The same certificates with the key's did:key as issuer verify.
		r = certify(t, "", "issue", "-key", keyFile, "-issuer", did, "-at", issueAt, kz)
		require.Equal(t, exitOK, r.code, r.stderr)
		v = certify(t, r.stdout, "verify", "-trust", did, "-at", checkAt)
		assert.Equal(t, exitOK, v.code, v.stdout+v.stderr)
	})

	t.Run("status URL", func(t *testing.T) {
		status := filepath.Join(t.TempDir(), "st")
		r := certify(t, "", "issue", "-key", keyFile, "-status", status, "-status-url", "https://example.org/lists/", "-at", issueAt, kz)
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, `"statusListCredential":"https://example.org/lists/revocation"`)
		v := certify(t, r.stdout, "verify", "-trust", did, "-status", status, "-at", checkAt)
		assert.Equal(t, exitOK, v.code, v.stdout+v.stderr)
		// An existing registry keeps its URL.
		r = certify(t, "", "issue", "-key", keyFile, "-status", status, "-status-url", "https://other.example/", kz)
		assert.Equal(t, exitUsage, r.code)
		assert.Contains(t, r.stderr, "https://example.org/lists/revocation")
	})

	t.Run("rates and rule set", func(t *testing.T) {
		rates := "../../testdata/fx/rates-2025-12-31.json"
		good, all := certifiableUnder(t, "SCO-BASE", rates, kz)
		want := wantExit(good, all)
		r := certify(t, "", "issue", "-key", keyFile, "-ruleset", "SCO-BASE", "-rates", rates, "-at", issueAt, kz)
		require.Equal(t, want, r.code, r.stderr)
		assert.Len(t, lines(r.stdout), len(good))
		assert.NotContains(t, r.stdout, `"warnings"`, "SCO-BASE is made for every country")
		assert.NotContains(t, r.stderr, "RULESET_OTHER_COUNTRY")
	})

	t.Run("errors", func(t *testing.T) {
		for name, args := range map[string][]string{
			"no key":           {"issue", kz},
			"missing key":      {"issue", "-key", filepath.Join(dir, "nope"), kz},
			"bad at":           {"issue", "-key", keyFile, "-at", "yesterday", kz},
			"unknown rule set": {"issue", "-key", keyFile, "-ruleset", "NO-SUCH-RULESET", kz},
			"missing rates":    {"issue", "-key", keyFile, "-rates", filepath.Join(dir, "nope"), kz},
			"other did:key":    {"issue", "-key", keyFile, "-issuer", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", kz},
			"other did:key, status": {"issue", "-key", keyFile, "-issuer", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
				"-status", filepath.Join(dir, "status-bad-issuer"), kz},
			"issuer not a URI":   {"issue", "-key", keyFile, "-issuer", "ACME", kz},
			"status-url alone":   {"issue", "-key", keyFile, "-status-url", "https://x.example", kz},
			"missing input file": {"issue", "-key", keyFile, filepath.Join(dir, "nope.ndjson")},
			"bad flag":           {"issue", "-nope"},
		} {
			r := certify(t, "", args...)
			assert.Equal(t, exitUsage, r.code, "%s: %s", name, r.stderr)
			assert.NotEmpty(t, r.stderr, name)
		}
		assert.NoDirExists(t, filepath.Join(dir, "status-bad-issuer"), "a refused -issuer makes no status registry")
	})
}

func TestSignAndVerifyCredential(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	vc := `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"` + did +
		`","credentialSubject":{"id":"urn:x"}}`
	vcFile := writeFile(t, dir, "vc.json", vc)

	r := certify(t, "", "sign", "-key", keyFile, "-created", issueAt, vcFile)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Len(t, lines(r.stdout), 1)
	signed := r.stdout
	assert.Contains(t, signed, `"cryptosuite":"eddsa-jcs-2022"`)
	assert.Contains(t, signed, `"created":"`+issueAt+`"`)
	mb := strings.TrimPrefix(did, "did:key:")
	assert.Contains(t, signed, `"verificationMethod":"`+did+"#"+mb+`"`)

	// Signing is deterministic; stdin works too.
	again := certify(t, vc, "sign", "-key", keyFile, "-created", issueAt, "-")
	assert.Equal(t, signed, again.stdout)

	v := certify(t, signed, "verify", "-trust", did)
	assert.Equal(t, exitOK, v.code, v.stdout+v.stderr)
	assert.Equal(t, "ok\t-\n", v.stdout)

	v = certify(t, signed, "verify")
	assert.Equal(t, exitInvalid, v.code)
	assert.True(t, strings.HasPrefix(v.stdout, "invalid\t-\tUNTRUSTED_KEY\t"), v.stdout)

	tampered := strings.Replace(signed, `"urn:x"`, `"urn:y"`, 1)
	v = certify(t, tampered, "verify", "-trust", did)
	assert.Equal(t, exitInvalid, v.code)
	assert.True(t, strings.HasPrefix(v.stdout, "invalid\t-\tBAD_PROOF\t"), v.stdout)

	// A credential with an id, a validity period and an explicit
	// verification method.
	withID := `{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential"],"issuer":"` + did +
		`","validUntil":"2027-01-01T00:00:00Z","credentialSubject":{"id":"urn:x"}}`
	r = certify(t, withID, "sign", "-key", keyFile, "-created", issueAt, "-vm", did+"#"+mb, "-")
	require.Equal(t, exitOK, r.code, r.stderr)
	v = certify(t, r.stdout, "verify", "-trust", did, "-at", checkAt)
	assert.Equal(t, "ok\turn:uuid:1\n", v.stdout)
	v = certify(t, r.stdout, "verify", "-trust", did, "-at", laterAt)
	assert.True(t, strings.HasPrefix(v.stdout, "invalid\turn:uuid:1\tEXPIRED\t"), v.stdout)

	// Unsigned documents have no proof; signed ones cannot be signed
	// again.
	v = certify(t, vc, "verify", "-trust", did)
	assert.True(t, strings.HasPrefix(v.stdout, "invalid\t-\tNO_PROOF\t"), v.stdout)
	r = certify(t, signed, "sign", "-key", keyFile, "-created", issueAt, "-")
	assert.Equal(t, exitInvalid, r.code)
	assert.Contains(t, r.stderr, "MALFORMED")
	r = certify(t, "[1, 2]", "sign", "-key", keyFile, "-created", issueAt, "-")
	assert.Equal(t, exitInvalid, r.code)

	// The JSON key-pair form of the same key works as well.
	data, err := os.ReadFile(keyFile)
	require.NoError(t, err)
	key, err := cert.DecodePrivateKey(strings.TrimSpace(string(data)))
	require.NoError(t, err)
	pair := writeFile(t, dir, "pair.key.json", string(cert.MarshalKeyFile(key)))
	r = certify(t, vc, "sign", "-key", pair, "-created", issueAt, "-")
	assert.Equal(t, signed, r.stdout)
}

func TestVerifyInputs(t *testing.T) {
	_, did := keygen(t, t.TempDir(), "k")
	bom := "\uFEFF"
	for name, tc := range map[string]struct {
		in   string
		want []string // line prefixes
		code int
		msg  string // in the output
	}{
		"not JSON":         {"hello\n", []string{"invalid\t-\tMALFORMED\t"}, exitInvalid, ""},
		"array of numbers": {"[1,2]", []string{"invalid\t-\tMALFORMED\t", "invalid\t-\tMALFORMED\t"}, exitInvalid, "not a JSON object"},
		"array of documents": {`[{"id":"urn:a"},{"id":"urn:b"}]`,
			[]string{"invalid\turn:a\tNO_PROOF\t", "invalid\turn:b\tNO_PROOF\t"}, exitInvalid, ""},
		"no proof":          {`{"id":"urn:a"}`, []string{"invalid\turn:a\tNO_PROOF\t"}, exitInvalid, ""},
		"byte order mark":   {bom + `{"id":"urn:a"}`, []string{"invalid\turn:a\tNO_PROOF\t"}, exitInvalid, ""},
		"BOM before NDJSON": {bom + "{\"id\":\"urn:a\"}\n{\"id\":\"urn:b\"}\n", []string{"invalid\turn:a\tNO_PROOF\t", "invalid\turn:b\tNO_PROOF\t"}, exitInvalid, ""},
		"pretty-printed":    {"{\n  \"id\": \"urn:a\"\n}\n", []string{"invalid\turn:a\tNO_PROOF\t"}, exitInvalid, ""},
		"empty":             {"", nil, exitOK, ""},
		"blank only":        {"\n\n  \n", nil, exitOK, ""},
		"BOM only":          {bom, nil, exitOK, ""},
		"deep nesting":      {strings.Repeat("[", 100000) + strings.Repeat("]", 100000), []string{"invalid\t-\tMALFORMED\t"}, exitInvalid, "depth"},
		"line beyond the limit": {`{"id":"urn:a","pad":"` + strings.Repeat("x", cert.MaxDocumentBytes) + "\"}\n" + `{"id":"urn:b"}`,
			[]string{"invalid\t-\tMALFORMED\t", "invalid\turn:b\tNO_PROOF\t"}, exitInvalid, "larger than the limit of 1048576 bytes"},
		"huge number": {`{"id":"urn:a","n":1e999999999}`, []string{"invalid\turn:a\tMALFORMED\t"}, exitInvalid, "out of IEEE-754 double range"},
	} {
		r := certify(t, tc.in, "verify", "-trust", did)
		assert.Equal(t, tc.code, r.code, name)
		got := lines(r.stdout)
		require.Len(t, got, len(tc.want), "%s: %q", name, r.stdout)
		for i, w := range tc.want {
			assert.True(t, strings.HasPrefix(got[i], w), "%s: %q", name, got[i])
		}
		assert.Contains(t, r.stdout, tc.msg, name)
	}
	assert.Equal(t, credit.MaxRecordBytes, cert.MaxDocumentBytes, "verify reads documents with the record reader, so its limit must be the document limit")
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	keyFile, _ := keygen(t, dir, "issuer.key")
	for name, args := range map[string][]string{
		"no subcommand":        {},
		"unknown subcommand":   {"frobnicate"},
		"keygen without -out":  {"keygen"},
		"keygen extra arg":     {"keygen", "-out", filepath.Join(dir, "k2"), "x"},
		"keygen bad dir":       {"keygen", "-out", filepath.Join(dir, "no", "such", "k")},
		"sign without -key":    {"sign", "-created", issueAt, "x.json"},
		"sign without created": {"sign", "-key", keyFile, "x.json"},
		"sign without file":    {"sign", "-key", keyFile, "-created", issueAt},
		"sign two files":       {"sign", "-key", keyFile, "-created", issueAt, "a", "b"},
		"sign bad created":     {"sign", "-key", keyFile, "-created", "2026-01-01", "x.json"},
		"sign missing file":    {"sign", "-key", keyFile, "-created", issueAt, filepath.Join(dir, "nope")},
		"sign bad key file":    {"sign", "-key", writeFile(t, dir, "junk.key", "{}"), "-created", issueAt, "-"},
		"verify bad trust":     {"verify", "-trust", "did:key:nope"},
		"verify bad at":        {"verify", "-at", "now"},
		"verify missing file":  {"verify", filepath.Join(dir, "nope")},
		"verify bad ruleset":   {"verify", "-ruleset", filepath.Join(dir, "nope")},
		"verify both status":   {"verify", "-status", dir, "-no-status"},
		"revoke without id":    {"revoke", "-key", keyFile, "-status", dir},
		"revoke without key":   {"revoke", "-status", dir, "urn:x"},
		"revoke without dir":   {"revoke", "-key", keyFile, "urn:x"},
		"revoke no registry":   {"revoke", "-key", keyFile, "-status", filepath.Join(dir, "none"), "urn:x"},
		"suspend bad flag":     {"suspend", "-x"},
		"unsuspend bad at":     {"unsuspend", "-key", keyFile, "-status", dir, "-at", "x", "urn:x"},
	} {
		r := certify(t, "", args...)
		assert.Equal(t, exitUsage, r.code, "%s: %s", name, r.stderr)
		assert.Contains(t, r.stderr, "certify", name)
		if name == "no subcommand" || name == "unknown subcommand" {
			assert.Contains(t, r.stderr, "usage:")
			assert.Empty(t, r.stdout)
		}
	}

	r := certify(t, "", "help")
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "certify verify")
	r = certify(t, "", "verify", "-h")
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "-trust")
}

// TestIssueStopsOnRegistryFull checks that an Issue error that is not
// about the record, here a full status registry, is an exit status 2
// that stops the run, not a record counted as not certifiable.
func TestIssueStopsOnRegistryFull(t *testing.T) {
	dir := t.TempDir()
	keyFile, _ := keygen(t, dir, "issuer.key")
	status := filepath.Join(dir, "status")
	r := certify(t, "", "issue", "-key", keyFile, "-status", status, "-at", issueAt, certifiableFile(t, dir, 1))
	require.Equal(t, exitOK, r.code, r.stderr)

	// The register refuses every new certificate, as a full one, or a
	// broken database, would.
	execRegister(t, status, `CREATE TRIGGER full BEFORE INSERT ON certificates BEGIN SELECT RAISE(ABORT, 'no room in the test register'); END`)
	lists := map[string][]byte{}
	for _, p := range []string{cert.StatusRevocation, cert.StatusSuspension} {
		lists[p] = mustRead(t, filepath.Join(status, p+".json"))
	}

	records := certifiableFile(t, t.TempDir(), 2)
	r = certify(t, "", "issue", "-key", keyFile, "-status", status, "-at", revokeAt, records, records)
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "certify issue: record 1 (")
	assert.Contains(t, r.stderr, "no room in the test register")
	assert.NotContains(t, r.stderr, "not certifiable:")
	assert.NotContains(t, r.stderr, "record 2 (", "the run stops at the first such error")
	assert.Contains(t, r.stderr, "1 records: 0 certificates, 0 invalid, 0 not certifiable")
	for p, before := range lists {
		after, err := os.ReadFile(filepath.Join(status, p+".json"))
		require.NoError(t, err)
		assert.Equal(t, string(before), string(after), "the %s list is not re-signed", p)
	}
}

// TestIssueNewRegistry checks that a new status registry is saved even
// when no certificate was issued, and that an existing one must keep its
// base URL and signing key.
func TestIssueNewRegistry(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	status := filepath.Join(dir, "status")
	r := certify(t, "", "issue", "-key", keyFile, "-status", status, "-status-url", "https://status.example/x/", "-at", issueAt)
	require.Equal(t, exitOK, r.code, r.stderr)
	info := registerInfo(t, status)
	assert.Equal(t, did, info.Issuer)
	assert.Equal(t, "https://status.example/x", info.BaseURL)
	require.NotNil(t, info.Last, "the lists are published")

	for name, tt := range map[string]struct {
		args []string
		code int
		msg  string
	}{
		"same URL":        {[]string{"-status-url", "https://status.example/x"}, exitOK, ""},
		"same URL, slash": {[]string{"-status-url", "https://status.example/x/"}, exitOK, ""},
		"other URL":       {[]string{"-status-url", "https://status.example/y"}, exitUsage, "not under -status-url"},
		"default URL":     {nil, exitOK, ""},
	} {
		r := certify(t, "", append([]string{"issue", "-key", keyFile, "-status", status, "-at", issueAt}, tt.args...)...)
		assert.Equal(t, tt.code, r.code, "%s: %s", name, r.stderr)
		assert.Contains(t, r.stderr, tt.msg, name)
	}
	otherKey, _ := keygen(t, t.TempDir(), "other.key")
	r = certify(t, "", "issue", "-key", otherKey, "-status", status, "-at", issueAt)
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, "not by the key")
}

// subjectOf decodes the credentialSubject of a certificate line.
func subjectOf(t *testing.T, line string) cert.Subject {
	t.Helper()
	var c cert.Certificate
	require.NoError(t, json.Unmarshal([]byte(line), &c))
	return c.CredentialSubject
}

// TestIssueCountryRuleSets checks that issue certifies each record under
// the rule set of its own country by default, with the primary identifier
// and local label that rule set gives, and without warnings.
func TestIssueCountryRuleSets(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	rates := "../../testdata/fx/rates-2025-12-31.json"
	files := recordFiles(t)
	good, all := certifiable(t, rates, files...)
	r := certify(t, "", append([]string{"issue", "-key", keyFile, "-rates", rates, "-at", issueAt}, files...)...)
	want := wantExit(good, all)
	require.Equal(t, want, r.code, r.stderr)
	certs := lines(r.stdout)
	require.Len(t, certs, len(good))
	assert.NotContains(t, r.stderr, credit.CodeRuleSetOtherCountry)
	countries := map[string]bool{}
	for _, line := range certs {
		s := subjectOf(t, line)
		cc := s.Enterprise.Country
		countries[cc] = true
		assert.Equal(t, "SCO-"+cc, s.RuleSet.ID)
		assert.Empty(t, s.Warnings)
		switch {
		case cc == "IN":
			assert.Equal(t, "IN-CIN", s.Enterprise.Identifier.Scheme, "SCO-IN prefers the CIN to the GSTIN the record lists first")
		case cc == "KZ" && s.Grade == "BBB":
			assert.Equal(t, &cert.LocalGrade{Label: "kzAAA", Scale: "S&P Global Ratings Kazakhstan national scale (kz)"}, s.LocalGrade)
		default:
			assert.Nil(t, s.LocalGrade, "%s %s", cc, s.Grade)
		}
	}
	assert.Len(t, countries, len(credit.SCOCountries()))
	v := certify(t, r.stdout, "verify", "-trust", did, "-at", checkAt)
	assert.Equal(t, exitOK, v.code, v.stdout+v.stderr)
	assert.Len(t, lines(v.stdout), len(certs))
}

// TestIssueForcedRuleSet checks -ruleset: every record is certified
// under the rule set given, and the certificates of enterprises of
// another country than the rule set's carry RULESET_OTHER_COUNTRY, which
// issue counts on standard error and verify accepts.
func TestIssueForcedRuleSet(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	cn, kz := "../../testdata/records/cn.ndjson", "../../testdata/records/kz.ndjson"
	goodCN, _ := certifiableUnder(t, "SCO-KZ", "", cn)
	require.NotEmpty(t, goodCN)
	for _, tt := range []struct {
		ruleSet string
		warned  string // the country whose certificates carry the warning
	}{
		{"SCO-KZ", "CN"},
		{"SCO-CN", "KZ"},
		{"SCO-BASE", ""},
	} {
		t.Run(tt.ruleSet, func(t *testing.T) {
			good, all := certifiableUnder(t, tt.ruleSet, "", cn, kz)
			r := certify(t, "", "issue", "-key", keyFile, "-ruleset", tt.ruleSet, "-at", issueAt, cn, kz)
			want := wantExit(good, all)
			require.Equal(t, want, r.code, r.stderr)
			certs := lines(r.stdout)
			require.Len(t, certs, len(good))
			warned := 0
			for _, line := range certs {
				s := subjectOf(t, line)
				assert.Equal(t, tt.ruleSet, s.RuleSet.ID)
				if s.Enterprise.Country == tt.warned {
					warned++
					assert.Equal(t, []string{credit.CodeRuleSetOtherCountry}, s.Warnings)
				} else {
					assert.Empty(t, s.Warnings)
				}
			}
			if warned > 0 {
				assert.Contains(t, r.stderr, fmt.Sprintf("certify issue: %d certificates carry the warning RULESET_OTHER_COUNTRY: -ruleset %s 1.1.0 is made for %s, not for their enterprises' countries",
					warned, tt.ruleSet, tt.ruleSet[len("SCO-"):]))
			} else {
				assert.Empty(t, tt.warned)
				assert.NotContains(t, r.stderr, credit.CodeRuleSetOtherCountry)
			}
			v := certify(t, r.stdout, "verify", "-trust", did, "-at", checkAt)
			assert.Equal(t, exitOK, v.code, v.stdout+v.stderr)
			assert.Len(t, lines(v.stdout), len(certs))
		})
	}

	r := certify(t, "", "issue", "-key", keyFile, "-ruleset", "NO-SUCH-RULESET", cn)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "-ruleset NO-SUCH-RULESET: not a built-in rule set (SCO-AF, SCO-BASE")
	assert.Empty(t, r.stdout)
}

// TestRuleSetVersionFiles checks a rule-set file of another version of a
// built-in rule set: issue -ruleset FILE certifies under the file's
// version (also when it is lower than the built-in one), and verify
// -ruleset FILE recognises the certificates of both versions, while
// verify without it does not recognise the file's.
func TestRuleSetVersionFiles(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "issuer.key")
	kz := "../../testdata/records/kz.ndjson"
	builtin := certify(t, "", "issue", "-key", keyFile, "-at", issueAt, kz)
	require.NotEmpty(t, lines(builtin.stdout), builtin.stderr)
	src, err := os.ReadFile("../../credit/rulesets/kz.json")
	require.NoError(t, err)
	for _, version := range []string{"0.9.0", "1.2.0"} {
		t.Run(version, func(t *testing.T) {
			data := strings.Replace(string(src), `"version": "1.1.0"`, `"version": "`+version+`"`, 1)
			require.NotEqual(t, string(src), data)
			file := writeFile(t, dir, "kz-"+version+".json", data)
			r := certify(t, "", "issue", "-key", keyFile, "-ruleset", file, "-at", issueAt, kz)
			require.Len(t, lines(r.stdout), len(lines(builtin.stdout)), r.stderr)
			for _, line := range lines(r.stdout) {
				s := subjectOf(t, line)
				assert.Equal(t, cert.RuleSetRef{ID: "SCO-KZ", Version: version, Digest: s.RuleSet.Digest}, s.RuleSet)
				assert.Empty(t, s.Warnings)
			}
			both := builtin.stdout + r.stdout
			v := certify(t, both, "verify", "-trust", did, "-at", checkAt, "-ruleset", file)
			assert.Equal(t, exitOK, v.code, v.stdout+v.stderr)
			assert.Len(t, lines(v.stdout), 2*len(lines(builtin.stdout)))

			v = certify(t, both, "verify", "-trust", did, "-at", checkAt)
			assert.Equal(t, exitInvalid, v.code)
			got := lines(v.stdout)
			require.Len(t, got, 2*len(lines(builtin.stdout)))
			for i, l := range got {
				if i < len(lines(builtin.stdout)) {
					assert.True(t, strings.HasPrefix(l, "ok\t"), l)
					continue
				}
				assert.Contains(t, l, "\tUNKNOWN_RULESET\t")
				assert.Contains(t, l, "rule set SCO-KZ version "+version+" is not recognised")
			}
		})
	}
}
