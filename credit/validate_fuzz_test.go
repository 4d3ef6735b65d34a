package credit

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzParseRecord feeds arbitrary bytes to the validator, seeded with every
// bundled record, valid and invalid. Whatever the input, the validator must
// not panic, must report problems with a code, a severity and a JSON
// Pointer path, and must return a Record exactly when no problem is an
// error.
func FuzzParseRecord(f *testing.F) {
	for _, pattern := range []string{"records/*.ndjson", "invalid/*.json"} {
		files, _ := filepath.Glob(filepath.Join("..", "testdata", pattern))
		for _, name := range files {
			fh, err := os.Open(name)
			if err != nil {
				f.Fatal(err)
			}
			sc := bufio.NewScanner(fh)
			sc.Buffer(nil, MaxRecordBytes+1)
			for sc.Scan() {
				f.Add(append([]byte(nil), sc.Bytes()...))
			}
			fh.Close()
		}
	}
	f.Add([]byte(`{"schema_version":"1.0","as_of":"2026-01-01","enterprise":{"country":"KZ","employees":1e400}}`))
	f.Add([]byte("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]"))
	f.Add([]byte("null"))
	f.Add([]byte(`{"schema_version":"1.0","record_id":"x\ud800","as_of":"2026-01-01"}`))
	f.Add([]byte(`{"schema_version":"1.0","as_of":"2026\u002d09-30","enterprise":{"country":"KZ","legal_name":"x","identifiers":[{"scheme":"KZ-BIN","value":"080540038178"}],"registered_on":"2008-05-20","status":"active"},"financials":[{"period_end":"2025-12-31","period_months":12,"currency":"KZT","audited":true,"total_assets":"\u0031","total_liabilities":"0","equity":"1","revenue":"1","net_income":"0"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := ParseRecord(data)
		if res.Valid() != (res.Record != nil) {
			t.Fatalf("Valid() = %v but Record set = %v", res.Valid(), res.Record != nil)
		}
		if len(res.Problems) > MaxProblems+1 {
			t.Fatalf("%d problems", len(res.Problems))
		}
		// The decision is the same at every step: a valid record can be
		// canonicalised (RFC 8785), as issuing its certificate does.
		if res.Valid() {
			if _, err := canonicalJSON(data); err != nil {
				t.Fatalf("valid record that RFC 8785 refuses: %v", err)
			}
		}
		for _, p := range res.Problems {
			if p.Code == "" || p.Message == "" || (p.Severity != SeverityError && p.Severity != SeverityWarning) {
				t.Fatalf("incomplete problem %+v", p)
			}
			if p.Code == CodeSchemaViolation {
				// The typed model must hold whatever the schema admits.
				t.Fatalf("schema and typed model disagree: %v", p)
			}
			if p.Path != "" && !strings.HasPrefix(p.Path, "/") {
				t.Fatalf("path %q is not a JSON Pointer", p.Path)
			}
		}
	})
}

// FuzzReader checks that the Reader never panics, never returns a record
// over the size limit, and numbers records 1, 2, 3… whatever the input.
func FuzzReader(f *testing.F) {
	for _, s := range []string{"{\"a\":1}\n{\"b\":\n{\"c\":3}\n", `[{"a":1},{"b":[2]}]`, "{\n \"a\": \"}\"\n}\n{\"b\":2}", `[1,,]`, "\"x\n",
		"{\"a\":1}\r{\"b\":2}\r", "{\r \"a\": [1,\r2]\r}\r\n[{}]\r{}", "\ufeff{}\r\n{\"a\":\"x\ry\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := NewReader(strings.NewReader(string(data)))
		var whole []RawRecord
		for n := 1; ; n++ {
			raw, err := rd.Next()
			if err != nil {
				break
			}
			if raw.Index != n {
				t.Fatalf("record %d has index %d", n, raw.Index)
			}
			if len(raw.Data) > MaxRecordBytes {
				t.Fatalf("record of %d bytes", len(raw.Data))
			}
			if n > len(data)+1 {
				t.Fatalf("more records than input bytes")
			}
			raw.Data = bytes.Clone(raw.Data)
			whole = append(whole, raw)
		}
		// The records do not depend on how the input arrives: read one
		// byte at a time, as from a slow pipe, it is cut the same way.
		var trickled []RawRecord
		for raw, err := range NewReader(iotest.OneByteReader(strings.NewReader(string(data)))).All() {
			if err != nil {
				break
			}
			raw.Data = bytes.Clone(raw.Data)
			trickled = append(trickled, raw)
		}
		if !reflect.DeepEqual(whole, trickled) {
			t.Fatalf("read whole: %v\nread byte by byte: %v", whole, trickled)
		}
	})
}
