package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/cert"
)

var update = flag.Bool("update", false, "rewrite the generated files of testdata/hostile/certify")

// hostileDir holds the hostile inputs of certify (testdata/hostile/certify,
// run by the shared hostile-input test from its cases.tsv).
const hostileDir = "../../testdata/hostile/certify"

// vectorSecretKey is the published eddsa-jcs-2022 test-vector key: public,
// so the hostile certificates can be reproduced, and trusted by nobody.
const vectorSecretKey = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"

// hostileIssueTime is the time of issue of the hostile certificates.
var hostileIssueTime = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// TestHostileFixtures checks that the generated inputs of the certify
// hostile corpus are what the library makes today (certificates signed
// by the test-vector key, status registries in consistent and damaged
// states), so that the corpus's expectations keep testing what they say
// after the certificate format or a rule set changes. Regenerate with
// go test ./examples/certify -update and review the diff.
func TestHostileFixtures(t *testing.T) {
	files := hostileFixtures(t)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		path := filepath.Join(hostileDir, name)
		if *update {
			require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
			require.NoError(t, os.WriteFile(path, files[name], 0o644))
			continue
		}
		got, err := os.ReadFile(path)
		require.NoError(t, err, "%s is missing: run go test ./examples/certify -update", path)
		if !bytes.Equal(files[name], got) {
			t.Errorf("%s is out of date: run go test ./examples/certify -update and review the diff", path)
		}
	}
}

// hostileFixtures makes every generated file of the corpus, by name
// relative to hostileDir.
func hostileFixtures(t *testing.T) map[string][]byte {
	t.Helper()
	key, err := cert.ParseKeyFile([]byte(vectorSecretKey))
	require.NoError(t, err)
	files := map[string][]byte{"vector.key": []byte(vectorSecretKey + "\n")}

	// As certify issue scores them: each with its country's rule set,
	// SCO-KZ, whose local label kzAAA the first one's certificate carries.
	sc, err := credit.NewScorer(credit.BuiltinRuleSets(), credit.EngineOptions{})
	require.NoError(t, err)
	kz := mustRead(t, "../../testdata/records/kz.ndjson")
	var assessments []*credit.Assessment
	var records bytes.Buffer // the certifiable ones, for issue cases that must exit 0
	for _, line := range bytes.Split(bytes.TrimSpace(kz), []byte("\n")) {
		res, err := sc.ScoreJSON(context.Background(), line)
		require.NoError(t, err)
		a := res.Assessment
		require.NotNil(t, a, "%v", res.Problems)
		require.Equal(t, "SCO-KZ", a.RuleSetRef().ID)
		if a.Profile().Certifiable {
			assessments = append(assessments, a)
			records.Write(line)
			records.WriteByte('\n')
		}
	}
	files["records.ndjson"] = records.Bytes()
	require.GreaterOrEqual(t, len(assessments), 2, "two certifiable KZ samples")
	issue := func(a *credit.Assessment, reg *cert.StatusRegistry) ([]byte, *cert.Certificate) {
		signed, c, err := cert.Issue(a, cert.IssueOptions{Key: key, Now: hostileIssueTime, Status: reg})
		require.NoError(t, err)
		return signed, c
	}
	one, c := issue(assessments[0], nil)
	two, _ := issue(assessments[1], nil)
	files["cert.json"] = append(slices.Clone(one), '\n')
	files["cert-bom.json"] = append([]byte("\uFEFF"), files["cert.json"]...)
	var pretty bytes.Buffer
	require.NoError(t, json.Indent(&pretty, one, "", "  "))
	files["cert-pretty.json"] = append(pretty.Bytes(), '\n')
	files["certs-array.json"] = []byte("[" + string(one) + ",\n" + string(two) + "]\n")

	// Certificates a trusted key could sign but no issuer produces.
	resign := func(edit func(d map[string]any)) []byte {
		data, err := json.Marshal(c)
		require.NoError(t, err)
		var d map[string]any
		require.NoError(t, json.Unmarshal(data, &d))
		edit(d)
		data, err = json.Marshal(d)
		require.NoError(t, err)
		signed, err := cert.AddProof(data, key, cert.ProofOptions{Created: hostileIssueTime})
		require.NoError(t, err)
		return append(signed, '\n')
	}
	subject := func(d map[string]any) map[string]any { return d["credentialSubject"].(map[string]any) }
	files["forged-country.json"] = resign(func(d map[string]any) {
		subject(d)["enterprise"].(map[string]any)["identifier"] = cert.Identifier{Scheme: "CN-USCC", Value: "91350100M000100Y43"}
	})
	files["forged-validity.json"] = resign(func(d map[string]any) { d["validUntil"] = "2126-10-01T09:00:00Z" })
	files["forged-reasons.json"] = resign(func(d map[string]any) { subject(d)["reasons"] = []string{} })
	require.NotNil(t, c.CredentialSubject.LocalGrade, "the first certifiable KZ sample has a local label")
	files["forged-local-grade.json"] = resign(func(d map[string]any) {
		subject(d)["localGrade"].(map[string]any)["label"] = "kzAA+"
	})
	files["forged-warning.json"] = resign(func(d map[string]any) { subject(d)["warnings"] = []string{credit.CodeRuleSetOtherCountry} })
	files["many-members.json"] = resign(func(d map[string]any) {
		for i := range 5000 {
			d[fmt.Sprintf("x%04d", i)] = 0
		}
	})

	// Documents no parser should spend much on.
	files["deep.json"] = []byte(strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n")
	files["huge-number.json"] = []byte(`{"id":"urn:x","n":1e999999999}` + "\n")
	files["long-number.json"] = []byte(`{"id":"urn:x","n":` + strings.Repeat("9", 50000) + "}\n")
	files["inexact.json"] = []byte(`{"id":"urn:x","tiny":1e-400}` + "\n")
	files["big-integer.json"] = []byte(`{"id":"urn:x","n":9007199254740993}` + "\n")

	// Key files that are not keys.
	files["key-public.key"] = []byte(cert.EncodePublicKey(key.Public().(ed25519.PublicKey)) + "\n")
	files["key-mismatch.json"] = []byte(`{"publicKeyMultibase":"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK","secretKeyMultibase":"` + vectorSecretKey + `"}` + "\n")
	files["key-large.key"] = []byte(vectorSecretKey + strings.Repeat(" ", cert.MaxKeyFileBytes) + "\n")
	files["key-empty.key"] = []byte{}

	// Status registries: a consistent one with a revoked certificate,
	// and copies damaged as a stale backup, a hand edit, an older
	// version of creditsco or a lost state would leave them.
	for name, content := range registryFixtures(t, key, assessments[0]) {
		files[name] = content
	}
	return files
}

// registryFixtures returns the files of the status registries of the
// corpus, and cert-status.json, a certificate with status entries in
// status-ok, revoked there at 2026-10-02T09:00:00Z.
func registryFixtures(t *testing.T, key ed25519.PrivateKey, a *credit.Assessment) map[string][]byte {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "status")
	reg, err := cert.CreateStatusRegistry(dir, cert.StatusRegistryOptions{BaseURL: "https://status.example/credit"})
	require.NoError(t, err)
	signed, c, err := cert.Issue(a, cert.IssueOptions{Key: key, Now: hostileIssueTime, Status: reg})
	require.NoError(t, err)
	require.NoError(t, reg.Save(key, hostileIssueTime))
	stale := mustRead(t, filepath.Join(dir, "index.json"))
	require.NoError(t, reg.Revoke(c.ID))
	require.NoError(t, reg.Save(key, hostileIssueTime.Add(24*time.Hour)))

	files := map[string][]byte{"cert-status.json": append(signed, '\n')}
	add := func(prefix string, skip string) {
		require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, path)
			if rel != skip {
				files[filepath.ToSlash(filepath.Join(prefix, rel))] = mustRead(t, path)
			}
			return nil
		}))
	}
	add("status-ok", "")
	add("status-stale", "index.json")
	files["status-stale/index.json"] = stale
	add("status-forgotten", "index.json")
	files["status-forgotten/index.json"] = bytes.Replace(mustRead(t, filepath.Join(dir, "index.json")),
		[]byte(`"revoked": [
    "`+c.ID+`"
  ]`), []byte(`"revoked": []`), 1)
	require.NotEqual(t, files["status-forgotten/index.json"], files["status-ok/index.json"])
	add("status-no-state", "index.json")
	add("status-v1", "index.json")
	files["status-v1/index.json"] = []byte(`{"baseURL":"https://status.example/credit","issuer":"` + cert.DIDKey(key.Public().(ed25519.PublicKey)) + `","next":0,"entries":{}}` + "\n")
	return files
}
