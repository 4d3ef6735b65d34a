package service

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
)

func TestValidateShapesAndMediaTypes(t *testing.T) {
	h, err := New(Options{})
	require.NoError(t, err)
	kz := samples(t, "kz")
	recs := strings.Split(strings.TrimSpace(kz), "\n")
	invalid, err := os.ReadFile(filepath.Join("..", "..", "testdata", "invalid", "REQUIRED.json"))
	require.NoError(t, err)
	for _, c := range []struct {
		name, body, accept, contentType string
		wantType                        string
		wantValid                       []bool
	}{
		{"one record, JSON array out", recs[0], "", "application/json", JSONType, []bool{true}},
		{"NDJSON in, NDJSON out", kz, NDJSONType, "application/x-ndjson", NDJSONType, []bool{true, true, true}},
		{"array in, */*", "[" + strings.Join(recs, ",") + "]", "*/*", "", JSONType, []bool{true, true, true}},
		{"jsonl and q-values", kz, "application/json;q=0.5, application/x-ndjson", "application/jsonl", NDJSONType, []bool{true, true, true}},
		{"an invalid record among valid ones", recs[0] + "\n" + string(invalid) + "\n" + recs[1], NDJSONType, "", NDJSONType, []bool{true, false, true}},
		{"a malformed line keeps the others", recs[0] + "\n{\"x\":\n" + recs[1], NDJSONType, "", NDJSONType, []bool{true, false, true}},
		{"empty body", "", "", "", JSONType, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := serve(h, request{method: http.MethodPost, path: "/v1/validate", body: c.body,
				header: map[string]string{"Accept": c.accept, "Content-Type": c.contentType}})
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			require.Equal(t, c.wantType, w.Header().Get("Content-Type"))
			var got []ValidateResult
			if c.wantType == NDJSONType {
				got = lines[ValidateResult](t, w.Body.Bytes())
			} else {
				require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got), w.Body.String())
			}
			require.Len(t, got, len(c.wantValid))
			for i, r := range got {
				assert.Equal(t, i+1, r.Index)
				assert.Equal(t, c.wantValid[i], r.Valid, "%+v", r)
				assert.NotNil(t, r.Problems)
				assert.Equal(t, r.Valid, !r.Problems.HasErrors())
			}
		})
	}
}

// TestScoreMatchesScorer checks that the service's profiles are those of
// credit.Scorer on the same records, byte for byte, in input order.
func TestScoreMatchesScorer(t *testing.T) {
	rates, err := os.Open(filepath.Join("..", "..", "testdata", "fx", "rates-2025-12-31.json"))
	require.NoError(t, err)
	defer rates.Close()
	fx, err := credit.LoadRates(rates)
	require.NoError(t, err)
	h, err := New(Options{Scoring: credit.EngineOptions{Rates: fx, Workers: 3}})
	require.NoError(t, err)
	sc, err := credit.NewScorer(credit.BuiltinRuleSets(), credit.EngineOptions{Rates: fx})
	require.NoError(t, err)

	body := samples(t, "cn", "kz", "ru", "in", "uz", "by")
	w := post(h, "/v1/score", body)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got := lines[json.RawMessage](t, w.Body.Bytes())
	recs := strings.Split(strings.TrimSpace(body), "\n")
	require.Len(t, got, len(recs))
	for i, line := range recs {
		res, err := sc.ScoreJSON(context.Background(), []byte(line))
		require.NoError(t, err)
		want, err := marshal(ScoreResult{Index: i + 1, RecordID: res.RecordID, Valid: true, Problems: orEmpty(res.Problems), Profile: res.Profile})
		require.NoError(t, err)
		assert.JSONEq(t, string(want), string(got[i]))
		var sr ScoreResult
		require.NoError(t, json.Unmarshal(got[i], &sr))
		assert.Equal(t, res.Profile.RuleSet.ID, sr.Profile.RuleSet.ID, "scored with the rule set of its country")
	}
}

func TestScoreInvalidAndTooLargeRecords(t *testing.T) {
	h, err := New(Options{})
	require.NoError(t, err)
	big := `{"record_id":"big","pad":"` + strings.Repeat("x", credit.MaxRecordBytes) + `"}`
	w := post(h, "/v1/score", samples(t, "kz")+big+"\n[1,2\n")
	require.Equal(t, http.StatusOK, w.Code)
	got := lines[ScoreResult](t, w.Body.Bytes())
	// Three records, the one too large, and the array's two numbers and
	// its missing end: each reported, none dropping the others.
	require.Len(t, got, 7)
	for i, code := range []string{credit.CodeRecordTooLarge, credit.CodeWrongType, credit.CodeWrongType, credit.CodeMalformedJSON} {
		r := got[3+i]
		assert.Equal(t, 4+i, r.Index)
		assert.False(t, r.Valid)
		assert.Nil(t, r.Profile)
		assert.Equal(t, code, r.Problems[0].Code)
	}
}
