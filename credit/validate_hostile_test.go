package credit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/creditsco/creditsco/credit/internal/jsonschema"
	"github.com/creditsco/creditsco/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xeipuuv/gojsonschema"
)

// fillRecord returns a record of about MaxRecordBytes: prefix, then unit
// repeated with commas, then suffix.
func fillRecord(prefix, unit, suffix string) []byte {
	var b bytes.Buffer
	b.WriteString(prefix)
	for i := 0; b.Len()+len(unit)+len(suffix)+1 < MaxRecordBytes; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(unit)
	}
	b.WriteString(suffix)
	return b.Bytes()
}

// hostileRecords are 1 MiB records built to produce as many problems as
// possible. On the validator before the bounds, the first produced 1.4
// million problems and allocated over 2 GB.
func hostileRecords() map[string][]byte {
	unknown := strings.Builder{}
	unknown.WriteString(`{"schema_version":"1.0"`)
	for i := 0; unknown.Len() < MaxRecordBytes-64; i++ {
		fmt.Fprintf(&unknown, `,"k%d":0`, i)
	}
	unknown.WriteString("}")
	badPayment := `{"creditor_type":1,"amount":1,"currency":1,"due_date":1,"paid_date":1,"written_off":1,"creditor_country":1}`
	return map[string][]byte{
		"array of empty objects":  fillRecord(`{"schema_version":"1.0","payments":[`, `{}`, `]}`),
		"unknown members":         []byte(unknown.String()),
		"payments of wrong types": fillRecord(`{"schema_version":"1.0","payments":[`, badPayment, `]}`),
		"bad public records":      fillRecord(`{"schema_version":"1.0","public_records":[`, `{"type":"x","date":"2026-13-01","amount":1,"currency":"x"}`, `]}`),
		"duplicate keys":          fillRecord(`{"schema_version":"1.0","x":{`, `"a":1,"b":2`, `}}`),
		"many identifiers":        fillRecord(`{"schema_version":"1.0","enterprise":{"identifiers":[`, `"x"`, `]}}`),
		"nested arrays":           fillRecord(`{"schema_version":"1.0","trade":{"partner_countries":[`, `[]`, `]}}`),
	}
}

// TestHostileRecordsAreBounded checks that a 1 MiB record gives at most
// MaxProblems problems and a count, in bounded memory.
func TestHostileRecordsAreBounded(t *testing.T) {
	v, err := NewValidator(ValidatorOptions{})
	require.NoError(t, err)
	for name, data := range hostileRecords() {
		t.Run(name, func(t *testing.T) {
			require.LessOrEqual(t, len(data), MaxRecordBytes)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			res := v.Validate(data)
			runtime.ReadMemStats(&after)
			assert.False(t, res.Valid())
			assert.LessOrEqual(t, len(res.Problems), MaxProblems+1)
			// The tree of a 1 MiB record takes some tens of MB; the
			// validator before the bounds allocated over 2 GB.
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(256<<20), "bytes allocated")
		})
	}
	res := v.Validate(hostileRecords()["array of empty objects"])
	require.Len(t, res.Problems, MaxProblems+1)
	more := res.Problems[0]
	assert.Equal(t, CodeTooManyProblems, more.Code)
	assert.Equal(t, SeverityError, more.Severity)
	assert.Regexp(t, `^\d+ more problems \(\d+ errors, 0 warnings\) are not listed; at most 100 are reported per record$`, more.Message)
	// The array is checked up to its maxItems: 10,000 items of 4 missing
	// fields each, and the two missing top-level fields.
	assert.Contains(t, res.Problems, Problem{Path: "/payments", Code: CodeTooManyItems, Severity: SeverityError,
		Message: fmt.Sprintf("must have at most 10000 items; %d given, the items after the first 10000 were not checked", (len(hostileRecords()["array of empty objects"])-38)/3+1)})
	assert.Contains(t, more.Message, fmt.Sprintf("%d more problems", 2+1+10000*4-MaxProblems))
}

// TestSemanticProblemsAreBounded checks the worst case of the semantic
// layer: a record that passes the schema with 7,500 payments of four
// semantic errors each (30,000 problems) gives the first MaxProblems and a
// count.
func TestSemanticProblemsAreBounded(t *testing.T) {
	var m map[string]any
	require.NoError(t, json.Unmarshal(sampleLines(t)[0], &m))
	payments := make([]any, 7500)
	for i := range payments {
		payments[i] = map[string]any{"creditor_type": "bank", "amount": "0", "currency": "CNY",
			"due_date": "2099-01-01", "paid_date": "2099-01-02", "written_off": true}
	}
	m["payments"] = payments
	data, err := json.Marshal(m)
	require.NoError(t, err)
	require.LessOrEqual(t, len(data), MaxRecordBytes)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res := ParseRecord(data)
	runtime.ReadMemStats(&after)
	require.Len(t, res.Problems, MaxProblems+1)
	assert.Equal(t, CodeTooManyProblems, res.Problems[0].Code)
	assert.Equal(t, "29900 more problems (29900 errors, 0 warnings) are not listed; at most 100 are reported per record", res.Problems[0].Message)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "bytes allocated")
}

// TestTooManyProblemsKeepsTheDecision checks that cutting the list never
// changes whether a record is valid, and keeps the first problems in the
// order of the whole list.
func TestTooManyProblemsKeepsTheDecision(t *testing.T) {
	rec := func(n int, extra string) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sampleLines(t)[0], &m))
		var prs []any
		for range n {
			prs = append(prs, map[string]any{"type": "tax_arrears", "date": "2025-01-10", "amount": "100", "resolved_on": "2025-02-01"})
		}
		m["public_records"] = prs
		if extra != "" {
			m["trade"].(map[string]any)["currency"] = extra
		}
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return b
	}
	// 150 warnings (AMOUNT_WITHOUT_CURRENCY): still valid.
	res := ParseRecord(rec(150, ""))
	require.Len(t, res.Problems, MaxProblems+1)
	assert.True(t, res.Valid())
	assert.NotNil(t, res.Record)
	assert.Equal(t, Problem{Code: CodeTooManyProblems, Severity: SeverityWarning,
		Message: "50 more problems (0 errors, 50 warnings) are not listed; at most 100 are reported per record"}, res.Problems[0])
	// The same and one error that sorts after the listed ones (/trade):
	// the count is an error, so the record stays invalid.
	res = ParseRecord(rec(150, "XXX"))
	require.Len(t, res.Problems, MaxProblems+1)
	assert.False(t, res.Valid())
	assert.Nil(t, res.Record)
	assert.Equal(t, SeverityError, res.Problems[0].Severity)
	assert.Equal(t, "51 more problems (1 errors, 50 warnings) are not listed; at most 100 are reported per record", res.Problems[0].Message)
}

func TestProblemListKeepsTheFirst(t *testing.T) {
	var all, capped problemList
	capped.limit = 7
	for i := range 1000 {
		p := Problem{Path: fmt.Sprintf("/payments/%d/amount", (i*7919)%1000), Code: CodeRequired, Severity: SeverityError, Message: "m"}
		all.add(p)
		capped.add(p)
	}
	full := all.result(CodeTooManyProblems, "record")
	got := capped.result(CodeTooManyProblems, "record")
	require.Len(t, got, 8)
	assert.Equal(t, full[:7], got[1:])
	assert.Equal(t, "993 more problems (993 errors, 0 warnings) are not listed; at most 7 are reported per record", got[0].Message)
}

// TestBoundedSchemaMatchesGojsonschema checks that the bounding steps
// (pruning, item-by-item validation, the answer for {}) give the problems
// that one gojsonschema call over the whole tree gives.
func TestBoundedSchemaMatchesGojsonschema(t *testing.T) {
	plain, err := jsonschema.Compile(schema.EnterpriseRecord)
	require.NoError(t, err)
	bounded, err := recordSchema()
	require.NoError(t, err)
	docs := []string{`{}`, `[]`, `1`, `1.5`, `"x"`, `null`, `true`, `{"x":1}`, `{"schema_version":"1.0"}`,
		`{"schema_version":"2.0","record_id":"","y":[1]}`, `[{}]`, `{"enterprise":[]}`}
	for _, n := range []int{splitAbove, splitAbove + 1, 3 * splitAbove} {
		var items []string
		for i := range n {
			switch i % 4 {
			case 0:
				items = append(items, `{}`)
			case 1:
				items = append(items, `{"creditor_type":"bank","amount":"1","currency":"KZT","due_date":"2026-01-01","x":1}`)
			case 2:
				items = append(items, `"payment"`)
			default:
				items = append(items, `{"creditor_type":"bank","amount":1,"currency":"kzt","due_date":"2026-02-30","written_off":"no"}`)
			}
		}
		docs = append(docs, `{"schema_version":"1.0","payments":[`+strings.Join(items, ",")+`],"public_records":[`+strings.Join(items, ",")+`]}`)
	}
	for _, line := range sampleLines(t) {
		docs = append(docs, string(line))
	}
	for _, doc := range docs {
		tree := decodeAny(t, doc)
		want := plainProblems(t, plain, tree)
		var ps problemList
		bounded.validate(decodeAny(t, doc), &ps)
		assert.Equal(t, want, ps.result(CodeTooManyProblems, "record"), "%.200s", doc)
	}
}

func decodeAny(t *testing.T, doc string) any {
	t.Helper()
	var ps problemList
	tree := decodeJSON([]byte(doc), recordLimits, &ps)
	require.Empty(t, ps.all())
	return tree
}

func plainProblems(t *testing.T, s *gojsonschema.Schema, tree any) Problems {
	t.Helper()
	res, err := s.Validate(gojsonschema.NewRawLoader(tree))
	require.NoError(t, err)
	var ps Problems
	for _, e := range res.Errors() {
		if p, ok := recordVocab.mapError(e, ""); ok {
			ps = append(ps, p)
		}
	}
	return sortProblems(ps)
}
