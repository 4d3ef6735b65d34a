package credit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/creditsco/creditsco/credit/internal/ratio"
)

// benchRecord is a realistic record: the first Chinese sample, with three
// audited statements, payments, public records and trade.
func benchRecord(b *testing.B) []byte {
	b.Helper()
	fh, err := os.Open(filepath.Join("..", "testdata", "records", "cn.ndjson"))
	if err != nil {
		b.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, MaxRecordBytes+1)
	if !sc.Scan() {
		b.Fatal("no record in cn.ndjson")
	}
	return bytes.Clone(sc.Bytes())
}

// BenchmarkDecodeOnly is the floor: plain encoding/json into the typed
// Record, with no checks at all.
func BenchmarkDecodeOnly(b *testing.B) {
	data := benchRecord(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var r Record
		if err := json.Unmarshal(data, &r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate is the full check of one record: decoding with limits,
// the schema layer, typing and the semantic layer with identifiers.
func BenchmarkValidate(b *testing.B) {
	data := benchRecord(b)
	v, err := NewValidator(ValidatorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if res := v.Validate(data); !res.Valid() {
			b.Fatal(res.Problems)
		}
	}
}

// BenchmarkValidateInvalid measures a record with one schema error, where
// gojsonschema also renders its messages.
func BenchmarkValidateInvalid(b *testing.B) {
	data := bytes.Replace(benchRecord(b), []byte(`"status":"active"`), []byte(`"status":"gone"`), 1)
	v, err := NewValidator(ValidatorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if res := v.Validate(data); res.Valid() {
			b.Fatal("expected a problem")
		}
	}
}

// BenchmarkValidateNonRecord measures the rejection of lines that are not
// records at all, such as {} (a million of them in 3 MB).
func BenchmarkValidateNonRecord(b *testing.B) {
	v, err := NewValidator(ValidatorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, doc := range []string{`{}`, `[]`, `{"x":1}`} {
		b.Run(doc, func(b *testing.B) {
			data := []byte(doc)
			b.ReportAllocs()
			for b.Loop() {
				if res := v.Validate(data); res.Valid() {
					b.Fatal("valid")
				}
			}
		})
	}
}

// BenchmarkValidateWorstCase measures the 1 MiB record that gave the most
// problems before validation was bounded: payments of 350,000 empty
// objects.
func BenchmarkValidateWorstCase(b *testing.B) {
	data := hostileRecords()["array of empty objects"]
	v, err := NewValidator(ValidatorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if res := v.Validate(data); res.Valid() {
			b.Fatal("valid")
		}
	}
}

// BenchmarkValidateVsDecode measures Validate against its floor,
// json.Unmarshal of the same record into Record, in the same iterations
// (credit/internal/ratio), so that the ratio holds on a loaded machine.
func BenchmarkValidateVsDecode(b *testing.B) {
	data := benchRecord(b)
	v, err := NewValidator(ValidatorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	ratio.Bench(b, func() {
		var r Record
		if err := json.Unmarshal(data, &r); err != nil {
			b.Fatal(err)
		}
	}, func() {
		if res := v.Validate(data); !res.Valid() {
			b.Fatal(res.Problems)
		}
	})
}
