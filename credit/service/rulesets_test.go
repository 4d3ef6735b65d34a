package service

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
)

// TestRuleSets checks that every rule set the service lists is served
// as the bytes whose SHA-256 is the digest its profiles carry, also a
// user's rule set that extends a built-in one.
func TestRuleSets(t *testing.T) {
	reg := credit.BuiltinRuleSets()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "rulesets", "kz-example.json"))
	require.NoError(t, err)
	defer f.Close()
	rs, err := credit.LoadRuleSet(f)
	require.NoError(t, err)
	require.NoError(t, reg.Register(rs))
	h, err := New(Options{RuleSets: reg})
	require.NoError(t, err)

	w := serve(h, request{method: http.MethodGet, path: "/v1/rulesets"})
	require.Equal(t, http.StatusOK, w.Code)
	var list RuleSetList
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &list))
	// SCO-BASE, twelve countries and KZ-EXAMPLE, and the retired versions
	// of SCO-BASE and the twelve that earlier certificates name.
	require.Len(t, list.RuleSets, 27)
	retired := 0
	for _, s := range list.RuleSets {
		if s.Retired {
			retired++
			assert.True(t, reg.Retired(s.ID, s.Version), s.ID)
		}
		w := serve(h, request{method: http.MethodGet, path: "/v1/rulesets/" + s.ID + "?version=" + s.Version})
		require.Equal(t, http.StatusOK, w.Code, s.ID)
		sum := sha256.Sum256(w.Body.Bytes())
		assert.Equal(t, s.Digest, "sha256:"+hex.EncodeToString(sum[:]), s.ID)
		assert.Equal(t, `"`+s.Digest+`"`, w.Header().Get("ETag"))
		assert.Equal(t, "sha-256=:"+base64.StdEncoding.EncodeToString(sum[:])+":", w.Header().Get("Content-Digest"))
		assert.Equal(t, "public, max-age=86400", w.Header().Get("Cache-Control"))
		var v any
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &v))
		if s.Extends != "" {
			pair, ok := v.([]any)
			require.True(t, ok, "%s extends %s: [parent, own]", s.ID, s.Extends)
			assert.Len(t, pair, 2)
			assert.Equal(t, s.ID, pair[1].(map[string]any)["id"])
		} else {
			assert.Equal(t, s.ID, v.(map[string]any)["id"])
		}
	}
	assert.Equal(t, 13, retired)
	// Without a version: the highest, not cached for long.
	w = serve(h, request{method: http.MethodGet, path: "/v1/rulesets/SCO-BASE"})
	base, _ := reg.Lookup(credit.SCOBaseID)
	assert.Equal(t, base.Canonical(), w.Body.Bytes())
	assert.Equal(t, "no-cache", w.Header().Get("Cache-Control"))
	w = serve(h, request{method: http.MethodGet, path: "/v1/rulesets/SCO-BASE", header: map[string]string{"If-None-Match": `"` + base.Digest() + `"`}})
	assert.Equal(t, http.StatusNotModified, w.Code)

	// Profiles carry the digests listed.
	w = post(h, "/v1/score", samples(t, "kz"))
	for _, r := range lines[ScoreResult](t, w.Body.Bytes()) {
		found := false
		for _, s := range list.RuleSets {
			found = found || (s.ID == r.Profile.RuleSet.ID && s.Version == r.Profile.RuleSet.Version && s.Digest == r.Profile.RuleSet.Digest)
		}
		assert.True(t, found, "%+v", r.Profile.RuleSet)
	}
}

func TestRecognition(t *testing.T) {
	h, err := New(Options{Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	for _, c := range []struct {
		query     string
		countries []string
		asOf      string
	}{
		{"", nil, "2026-10-01"},
		{"?countries=KZ,CN&as_of=2026-09-30", []string{"KZ", "CN"}, "2026-09-30"},
	} {
		w := serve(h, request{method: http.MethodGet, path: "/v1/recognition" + c.query})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		asOf, err := credit.ParseDate(c.asOf)
		require.NoError(t, err)
		want, err := credit.BuiltinRuleSets().Recognition(c.countries, asOf)
		require.NoError(t, err)
		wantJSON, err := marshal(want)
		require.NoError(t, err)
		assert.JSONEq(t, string(wantJSON), w.Body.String())
	}
	// SCO-BASE states no effective_from: it is the fallback at any date.
	w := serve(h, request{method: http.MethodGet, path: "/v1/recognition?as_of=1990-01-01"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	late, err := New(Options{RuleSets: lateRuleSets(t), Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	w = serve(late, request{method: http.MethodGet, path: "/v1/recognition?as_of=1990-01-01"})
	assert.Equal(t, CodeNoRuleSet, problemOf(t, w).Code)
}
