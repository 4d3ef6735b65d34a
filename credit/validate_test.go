package credit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/creditsco/creditsco/credit/internal/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unreachableCodes are codes in the catalogue that no record can produce
// with the v1 schema; they exist as fallbacks and are tested by unit tests
// of the mapping instead of by a test record.
var unreachableCodes = []string{CodeSchemaViolation}

// generatedCodes have their test record built by the test, because the
// record would be unwieldy as a file.
var generatedCodes = map[string]func() []byte{
	CodeRecordTooLarge: func() []byte {
		return []byte(`{"schema_version":"1.0","record_id":"` + strings.Repeat("x", MaxRecordBytes) + `"}`)
	},
}

func readInvalid(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "invalid", name))
	require.NoError(t, err)
	return bytes.TrimSuffix(b, []byte("\n"))
}

// goldenValidation is the stored form of a Validation.
type goldenValidation struct {
	RecordID string   `json:"record_id"`
	Valid    bool     `json:"valid"`
	Problems Problems `json:"problems"`
}

// TestInvalidRecords checks each file testdata/invalid/CODE.json: the
// record must produce CODE, and its full report must match the golden
// file testdata/golden/invalid/CODE.json.
func TestInvalidRecords(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "invalid", "*.json"))
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, f := range files {
		code := strings.TrimSuffix(filepath.Base(f), ".json")
		seen[code] = true
		t.Run(code, func(t *testing.T) {
			res := ParseRecord(readInvalid(t, filepath.Base(f)))
			codes := make([]string, len(res.Problems))
			for i, p := range res.Problems {
				codes[i] = p.Code
			}
			assert.Contains(t, codes, code)
			for _, p := range res.Problems {
				if p.Code == code {
					wantErr := !isWarningCode(code)
					assert.Equal(t, wantErr, p.Severity == SeverityError, "severity of %s", code)
				}
			}
			golden.CheckJSON(t, filepath.Join("..", "testdata", "golden", "invalid", code+".json"),
				goldenValidation{res.RecordID, res.Valid(), res.Problems}, *update)
		})
	}
	for code, gen := range generatedCodes {
		seen[code] = true
		res := ParseRecord(gen())
		require.Len(t, res.Problems, 1)
		assert.Equal(t, code, res.Problems[0].Code)
	}
	for _, code := range allCodes(t) {
		if !seen[code] && !slices.Contains(unreachableCodes, code) {
			t.Errorf("problem code %s has no test record in testdata/invalid", code)
		}
	}
}

func isWarningCode(code string) bool {
	switch code {
	case CodeBalanceSheetMismatch, CodeStaleFinancials, CodePeriodBeforeRegistration,
		CodeAmountWithoutCurrency, CodeDuplicateIdentifier, CodeIdentRegionMismatch:
		return true
	}
	return false
}

// allCodes lists the catalogue by reading codes.go, so that a code added
// there without a test record fails TestInvalidRecords.
func allCodes(t *testing.T) []string {
	src, err := os.ReadFile("codes.go")
	require.NoError(t, err)
	var codes []string
	for _, line := range strings.Split(string(src), "\n") {
		if i := strings.Index(line, `= "`); i >= 0 && strings.HasPrefix(strings.TrimSpace(line), "Code") {
			rest := line[i+3:]
			codes = append(codes, rest[:strings.IndexByte(rest, '"')])
		}
	}
	return codes
}

// TestSampleRecordsValid checks that every bundled country record passes
// both layers without a single problem.
func TestSampleRecordsValid(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "records", "*.ndjson"))
	require.NoError(t, err)
	countries := map[string]bool{}
	for _, f := range files {
		fh, err := os.Open(f)
		require.NoError(t, err)
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, MaxRecordBytes+1)
		for n := 1; sc.Scan(); n++ {
			res := ParseRecord(sc.Bytes())
			assert.Empty(t, res.Problems, "%s line %d", f, n)
			if res.Record != nil {
				countries[res.Record.Enterprise.Country] = true
				assert.Equal(t, strings.TrimSuffix(filepath.Base(f), ".ndjson"), strings.ToLower(res.Record.Enterprise.Country))
			}
		}
		require.NoError(t, sc.Err())
		fh.Close()
	}
	for _, cc := range []string{"CN", "RU", "KZ", "KG", "TJ", "UZ", "IN", "PK", "IR", "BY", "MN", "AF"} {
		assert.True(t, countries[cc], "no valid sample record for %s", cc)
	}
}

func TestValidateCollectsAllProblems(t *testing.T) {
	res := ParseRecord(readInvalid(t, "INVALID_AMOUNT.json"))
	require.False(t, res.Valid())
	assert.Nil(t, res.Record)
	assert.Equal(t, "inv-invalid-amount", res.RecordID)
	assert.ErrorIs(t, res.Problems, ErrInvalidRecord)
	var p *Problem
	require.ErrorAs(t, res.Problems, &p)
	assert.Equal(t, "/financials/0/revenue", p.Path)

	// Two independent errors in one record are both reported.
	data := bytes.Replace(readInvalid(t, "INVALID_AMOUNT.json"), []byte(`"status": "active"`), []byte(`"status": "gone"`), 1)
	res = ParseRecord(data)
	assert.Len(t, res.Problems, 2)
}

func TestWarningsKeepRecord(t *testing.T) {
	res := ParseRecord(readInvalid(t, "BALANCE_SHEET_MISMATCH.json"))
	require.True(t, res.Valid())
	require.NotNil(t, res.Record)
	assert.NotErrorIs(t, res.Problems, ErrInvalidRecord)
	assert.Len(t, res.Problems.Warnings(), 1)
}

func TestProblemOrderIsStable(t *testing.T) {
	data := readInvalid(t, "TOO_MANY_ITEMS.json")
	first := ParseRecord(data).Problems
	for range 20 {
		assert.Equal(t, first, ParseRecord(data).Problems)
	}
	ps := sortProblems(Problems{
		{Path: "/payments/10/amount", Code: "B"}, {Path: "/payments/9/amount", Code: "B"},
		{Path: "", Code: "Z"}, {Path: "/as_of", Code: "A"}, {Path: "/payments/9/amount", Code: "A"},
	})
	var got []string
	for _, p := range ps {
		got = append(got, p.Path+" "+p.Code)
	}
	assert.Equal(t, []string{" Z", "/as_of A", "/payments/9/amount A", "/payments/9/amount B", "/payments/10/amount B"}, got)
}

func TestPointerEscaping(t *testing.T) {
	assert.Equal(t, "/a~1b/c~0d/0", pointer("", "a/b", "c~d", "0"))
	res := ParseRecord([]byte(`{"schema_version":"1.0","as_of":"2026-01-01","enterprise":{},"a/b~":1}`))
	var paths []string
	for _, p := range res.Problems {
		paths = append(paths, p.Path)
	}
	assert.Contains(t, paths, "/a~1b~0")
}

func TestLimits(t *testing.T) {
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	res := ParseRecord([]byte(deep))
	require.Len(t, res.Problems, 1)
	assert.Equal(t, CodeTooDeep, res.Problems[0].Code)

	res = ParseRecord([]byte(`{"schema_version":"1.0"} {"x":1}`))
	require.Len(t, res.Problems, 1)
	assert.Equal(t, CodeMalformedJSON, res.Problems[0].Code)

	res = ParseRecord([]byte(`null`))
	require.Len(t, res.Problems, 1)
	assert.Equal(t, CodeWrongType, res.Problems[0].Code)
	assert.False(t, res.Valid())

	res = ParseRecord([]byte(`[1,2]`))
	require.Len(t, res.Problems, 1)
	assert.Equal(t, CodeWrongType, res.Problems[0].Code)
	assert.Equal(t, "", res.Problems[0].Path)
}

func TestValidatorConcurrent(t *testing.T) {
	v, err := NewValidator(ValidatorOptions{})
	require.NoError(t, err)
	inputs := [][]byte{readInvalid(t, "INVALID_AMOUNT.json"), readInvalid(t, "BALANCE_SHEET_MISMATCH.json"), readInvalid(t, "IDENT_CHECKSUM.json")}
	want := make([]Validation, len(inputs))
	for i, in := range inputs {
		want[i] = v.Validate(in)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 25 {
				k := (g + i) % len(inputs)
				got := v.Validate(inputs[k])
				assert.Equal(t, want[k].Problems, got.Problems)
			}
		})
	}
	wg.Wait()
}

func TestProblemError(t *testing.T) {
	p := Problem{Path: "/as_of", Code: CodeInvalidDate, Severity: SeverityError, Message: "bad"}
	assert.Equal(t, "/as_of: INVALID_DATE: bad", p.Error())
	assert.True(t, errors.Is(&p, ErrInvalidRecord))
	w := Problem{Code: CodeStaleFinancials, Severity: SeverityWarning, Message: "old"}
	assert.Equal(t, "STALE_FINANCIALS: old", w.Error())
	assert.False(t, errors.Is(&w, ErrInvalidRecord))
	assert.Equal(t, "/as_of: INVALID_DATE: bad\nSTALE_FINANCIALS: old", Problems{p, w}.Error())
}

// TestHugeExponent guards against numbers whose big.Rat expansion would
// take minutes in the schema library.
func TestHugeExponent(t *testing.T) {
	for _, n := range []string{"1e99999999999999999999", "1E+999", "-2e-100"} {
		res := ParseRecord([]byte(`{"schema_version":"1.0","as_of":"2026-01-01","enterprise":{"employees":` + n + `}}`))
		var codes []string
		for _, p := range res.Problems {
			codes = append(codes, p.Code)
		}
		assert.Contains(t, codes, CodeNumberTooLong, n)
	}
}

// TestRecordRoundTrip checks that a typed Record marshals back into a
// record that the standard accepts and that parses to the same Record, so
// that programs can build records in Go and send them on.
func TestRecordRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "records", "*.ndjson"))
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
			first := ParseRecord(line)
			require.NotNil(t, first.Record, "%s: %v", f, first.Problems)
			out, err := json.Marshal(first.Record)
			require.NoError(t, err)
			second := ParseRecord(out)
			require.Empty(t, second.Problems, "%s", out)
			again, err := json.Marshal(second.Record)
			require.NoError(t, err)
			assert.JSONEq(t, string(out), string(again))
		}
	}
}

func TestIntegerLiterals(t *testing.T) {
	base := readInvalid(t, "BALANCE_SHEET_MISMATCH.json") // valid apart from a warning
	for _, tc := range []struct{ from, to, path string }{
		{`"period_months": 12`, `"period_months": 12.0`, "/financials/0/period_months"},
		{`"employees": 120`, `"employees": 1.2e2`, "/enterprise/employees"},
	} {
		res := ParseRecord(bytes.Replace(base, []byte(tc.from), []byte(tc.to), 1))
		require.False(t, res.Valid(), tc.to)
		assert.Equal(t, CodeWrongType, res.Problems[0].Code)
		assert.Equal(t, tc.path, res.Problems[0].Path)
	}
	// A fraction is the schema layer's to report, once.
	res := ParseRecord(bytes.Replace(base, []byte(`"period_months": 12`), []byte(`"period_months": 12.5`), 1))
	require.Len(t, res.Problems, 1)
	assert.Equal(t, CodeWrongType, res.Problems[0].Code)
}

func TestSchemaMessages(t *testing.T) {
	tests := []struct {
		name, from, to, code, want string
	}{
		{"article for object", `"trade": {`, `"trade": [1], "x": {`, CodeWrongType, "expected an object, got an array"},
		{"integer article", `"legal_form": "有限责任公司"`, `"legal_form": 7`, CodeWrongType, "expected a string, got an integer"},
		{"bound without exponent", `"employees": 120`, `"employees": 20000000`, CodeOutOfRange, "20000000 is above the maximum 10000000"},
		{"amount suggestion", `"revenue": "132000000.00"`, `"revenue": 132000000.5`, CodeAmountNotString, `write "132000000.5", not 132000000.5`},
		{"amount beyond the format", `"revenue": "132000000.00"`, `"revenue": 0.1234567`, CodeAmountNotString, "0.1234567 is not one and cannot be written as one"},
	}
	base := readInvalid(t, "BALANCE_SHEET_MISMATCH.json")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := bytes.Replace(base, []byte(tt.from), []byte(tt.to), 1)
			require.NotEqual(t, base, data)
			res := ParseRecord(data)
			var msgs []string
			for _, p := range res.Problems {
				if p.Code == tt.code {
					msgs = append(msgs, p.Message)
				}
			}
			require.NotEmpty(t, msgs, "%v", res.Problems)
			assert.Contains(t, strings.Join(msgs, "\n"), tt.want)
		})
	}
}

// TestEscapesInTypedFields: the typed record reads what the schema layer
// read, so escapes in dates and amounts are no problem.
func TestEscapesInTypedFields(t *testing.T) {
	base := readInvalid(t, "BALANCE_SHEET_MISMATCH.json")
	data := bytes.Replace(base, []byte(`"as_of": "2026-09-30"`), []byte(`"as_of": "2026\u002d09-30"`), 1)
	data = bytes.Replace(data, []byte(`"revenue": "132000000.00"`), []byte(`"revenue": "\u0031\u0033\u0032000000.00"`), 1)
	require.NotEqual(t, base, data)
	res := ParseRecord(data)
	require.True(t, res.Valid(), "%v", res.Problems)
	assert.Equal(t, MustParseDate("2026-09-30"), res.Record.AsOf)
	assert.Equal(t, "132000000", res.Record.Financials[0].Revenue.String())

	long := strings.Repeat("信", 60) // 180 bytes, 60 characters
	res = ParseRecord(bytes.Replace(base, []byte(`"record_id": "inv-balance-sheet-mismatch"`), []byte(`"record_id": "`+long+`"`), 1))
	assert.Equal(t, long, res.RecordID, "record_id limit counts characters, as the schema does")
}
