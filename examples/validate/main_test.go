package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runValidate(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestValidSamples(t *testing.T) {
	files, err := filepath.Glob("../../testdata/records/*.ndjson")
	require.NoError(t, err)
	code, out, errOut := runValidate(t, "", files...)
	assert.Equal(t, exitValid, code, errOut)
	assert.Regexp(t, `^36 records: 36 valid, 0 invalid, 0 warnings\n$`, out)
}

func TestInvalidFilesText(t *testing.T) {
	code, out, _ := runValidate(t, "", "../../testdata/invalid/INVALID_AMOUNT.json", "../../testdata/invalid/STALE_FINANCIALS.json")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, out, "record 1 (inv-invalid-amount): error INVALID_AMOUNT /financials/0/revenue: ")
	assert.Contains(t, out, "record 2 (inv-stale-financials): warning STALE_FINANCIALS /financials/0/period_end: ")
	assert.True(t, strings.HasSuffix(out, "2 records: 1 valid, 1 invalid, 1 warnings\n"), out)
}

func TestWarningsOnlyExitZero(t *testing.T) {
	code, _, _ := runValidate(t, "", "../../testdata/invalid/BALANCE_SHEET_MISMATCH.json")
	assert.Equal(t, exitValid, code)
}

// TestNDJSONKeepsGoingAfterMalformedLine is the contract: a malformed line
// is that record's MALFORMED_JSON, and the lines after it are checked.
func TestNDJSONKeepsGoingAfterMalformedLine(t *testing.T) {
	good, err := os.ReadFile("../../testdata/records/kz.ndjson")
	require.NoError(t, err)
	lines := strings.SplitAfter(string(good), "\n")
	input := lines[0] + `{"schema_version": "1.0", "record_id": "broken",` + "\n" + lines[1]
	code, out, _ := runValidate(t, input, "-format", "json")
	assert.Equal(t, exitInvalid, code)
	var results []jsonResult
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r jsonResult
		require.NoError(t, json.Unmarshal([]byte(l), &r), l)
		results = append(results, r)
	}
	require.Len(t, results, 3)
	assert.True(t, results[0].Valid)
	assert.Equal(t, 2, results[1].Index)
	assert.False(t, results[1].Valid)
	assert.Equal(t, "MALFORMED_JSON", results[1].Problems[0].Code)
	assert.True(t, results[2].Valid)
	assert.Equal(t, 3, results[2].Index)
	assert.Equal(t, "kz-002", results[2].RecordID)
}

func TestJSONFormatShape(t *testing.T) {
	code, out, _ := runValidate(t, "", "-format", "json", "../../testdata/invalid/REQUIRED.json")
	assert.Equal(t, exitInvalid, code)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &m))
	assert.ElementsMatch(t, []string{"index", "record_id", "valid", "problems"}, keys(m))
	p := m["problems"].([]any)[0].(map[string]any)
	assert.ElementsMatch(t, []string{"path", "code", "severity", "message"}, keys(p))
	assert.Equal(t, "/as_of", p["path"])

	_, out, _ = runValidate(t, "", "-format", "json", "../../testdata/records/cn.ndjson")
	assert.Contains(t, out, `"problems":[]`, "problems is an empty array, never null")
}

func TestArrayInput(t *testing.T) {
	good, err := os.ReadFile("../../testdata/records/by.ndjson")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(good)), "\n")
	code, out, _ := runValidate(t, "["+strings.Join(lines, ",\n")+"]")
	assert.Equal(t, exitValid, code)
	assert.Contains(t, out, "3 records: 3 valid")
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"-format", "xml"}, {"-nope"}, {"does-not-exist.json"}, {"-ids", "a", "b"}, {"-ids", "-format", "json"}} {
		code, _, errOut := runValidate(t, "", args...)
		assert.Equal(t, exitUsage, code, "%v", args)
		assert.NotEmpty(t, errOut)
	}
}

func TestIdsMode(t *testing.T) {
	code, out, _ := runValidate(t, "LEI\t5493001KJTIIGC8Y1R12\nCN-USCC\t91350100M000100Y4Z\n", "-ids")
	assert.Equal(t, exitInvalid, code)
	assert.Equal(t, "ok\tLEI\t5493001KJTIIGC8Y1R12\ninvalid\tCN-USCC\tCHECKSUM\t", out[:len("ok\tLEI\t5493001KJTIIGC8Y1R12\ninvalid\tCN-USCC\tCHECKSUM\t")])
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestTextOutputCannotBeForged(t *testing.T) {
	rec := `{"schema_version":"1.0","record_id":"x): error FAKE /a: b\nrecord 9 (y","as_of":"2026-01-01"}`
	code, out, _ := runValidate(t, rec)
	assert.Equal(t, exitInvalid, code)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	assert.Len(t, lines, 2, "one problem line and the summary:\n%s", out)
	assert.NotContains(t, out, "\nrecord 9")
}

// TestFlagAfterFiles checks that a flag after the file names is a usage
// error, not a file name (or, for -ids, silently ignored).
func TestFlagAfterFiles(t *testing.T) {
	for _, args := range [][]string{
		{"../../testdata/records/kz.ndjson", "-format", "json"},
		{"../../testdata/records/kz.ndjson", "-ids"},
	} {
		code, out, errOut := runValidate(t, "", args...)
		assert.Equal(t, exitUsage, code, "%v", args)
		assert.Empty(t, out, "%v", args)
		assert.Contains(t, errOut, "validate: flag "+args[1]+" after the operands")
	}
}

// TestCROnlyLineEnds checks that records separated by lone CRs are read
// as records: they were read as one malformed record.
func TestCROnlyLineEnds(t *testing.T) {
	data, err := os.ReadFile("../../testdata/records/kz.ndjson")
	require.NoError(t, err)
	code, out, errOut := runValidate(t, strings.ReplaceAll(string(data), "\n", "\r"))
	assert.Equal(t, exitValid, code, errOut)
	assert.Equal(t, "3 records: 3 valid, 0 invalid, 0 warnings\n", out)
}

// TestCSVInput checks that a CSV file is told that JSON or NDJSON is
// expected.
func TestCSVInput(t *testing.T) {
	code, out, _ := runValidate(t, "record_id,country\nkz-1,KZ\n")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, out, "record 1 (): error MALFORMED_JSON (record): malformed JSON at byte 0: invalid character 'r' looking for beginning of value; a record is a JSON object; the input must be JSON, a JSON array of records or NDJSON (one record per line), not CSV or other text\n")
}
