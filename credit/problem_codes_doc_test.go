package credit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProblemCodesDoc checks the problem-code table of
// credit/problem-codes.md against the catalogue and the golden reports:
// every code has a row, and each example (`path`: message) is a problem
// that its test record really gives, with its severity. (The README, where
// the table was before, once showed byte offsets that the program did not
// print.) The README must point to the table.
func TestProblemCodesDoc(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	require.Contains(t, string(readme), "(credit/problem-codes.md)", "the README points to the problem-code table")
	doc, err := os.ReadFile("problem-codes.md")
	require.NoError(t, err)
	row := regexp.MustCompile("^\\| `([A-Z0-9_]+)` \\| ([a-z]+)[^|]* \\| [a-z]+ \\| (.*) \\|$")
	example := regexp.MustCompile("^`([^`]*)`: (.*)$")
	rows := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		code, severity, ex := m[1], m[2], m[3]
		rows[code] = true
		golden, err := os.ReadFile(filepath.Join("..", "testdata", "golden", "invalid", code+".json"))
		if err != nil {
			continue // generated or unreachable codes have no golden file
		}
		var g goldenValidation
		require.NoError(t, json.Unmarshal(golden, &g), code)
		e := example.FindStringSubmatch(ex)
		if e == nil {
			t.Errorf("credit/problem-codes.md row of %s: example %q is not `path`: message", code, ex)
			continue
		}
		path := e[1]
		if path == "(record)" {
			path = ""
		}
		found := false
		for _, p := range g.Problems {
			if p.Code == code && p.Path == path && p.Message == e[2] {
				found = true
				assert.Equal(t, severity, string(p.Severity), "credit/problem-codes.md severity of %s", code)
			}
		}
		assert.True(t, found, "credit/problem-codes.md example of %s is not in its golden report: %s", code, ex)
	}
	require.Greater(t, len(rows), 40, "the problem-code table was not found")
	for _, code := range allCodes(t) {
		assert.True(t, rows[code], "problem code %s has no row in credit/problem-codes.md", code)
	}
}
