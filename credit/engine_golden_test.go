package credit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creditsco/creditsco/credit/internal/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goldenResult is one element of a golden profile file: the profile of a
// valid record, or the problems of an invalid one.
type goldenResult struct {
	Index    int      `json:"index"`
	RecordID string   `json:"record_id"`
	Valid    bool     `json:"valid"`
	Problems Problems `json:"problems,omitempty"`
	Profile  *Profile `json:"profile,omitempty"`
}

// TestGoldenProfiles scores every record of testdata/records/*.ndjson
// with its own country's built-in rule set (a Scorer over
// BuiltinRuleSets) and testdata/fx/rates-2025-12-31.json, checks that
// each file's records were scored by the rule set of the file's country,
// and compares with testdata/golden/profiles/<name>.json. Rewrite with
//
//	go test ./credit/ -run Golden -update
func TestGoldenProfiles(t *testing.T) {
	// The sample records are part of the repository: without them the
	// golden check would pass without checking anything, so it fails.
	_, err := os.Stat("../testdata/records")
	require.NoError(t, err, "testdata/records is part of the repository")
	files, err := filepath.Glob("../testdata/records/*.ndjson")
	require.NoError(t, err)
	require.NotEmpty(t, files, "no testdata/records/*.ndjson")
	f, err := os.Open("../testdata/fx/rates-2025-12-31.json")
	require.NoError(t, err)
	rates, err := LoadRates(f)
	f.Close()
	require.NoError(t, err)
	e, err := NewScorer(BuiltinRuleSets(), EngineOptions{Rates: rates})
	require.NoError(t, err)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".ndjson")
		t.Run(name, func(t *testing.T) {
			in, err := os.Open(file)
			require.NoError(t, err)
			defer in.Close()
			results := []goldenResult{}
			err = e.ScoreStream(context.Background(), in, func(r StreamResult) error {
				g := goldenResult{Index: r.Index, RecordID: r.RecordID, Valid: r.Valid(), Profile: r.Profile}
				if !r.Valid() {
					g.Problems = r.Problems
				}
				if r.Valid() {
					assert.Equal(t, "SCO-"+strings.ToUpper(name), r.Profile.RuleSet.ID, "record %s", r.RecordID)
				}
				results = append(results, g)
				return nil
			})
			require.NoError(t, err)
			golden.CheckJSON(t, filepath.Join("..", "testdata", "golden", "profiles", name+".json"), results, *update)
		})
	}
}
