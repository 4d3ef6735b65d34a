package credit

import (
	"bytes"
	"encoding/json"
	"testing"
)

// BenchmarkDecodeTree measures decodeTree alone on the benchmark record.
func BenchmarkDecodeTree(b *testing.B) {
	data := benchRecord(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if tree, ps := decodeTree(data); tree == nil || len(ps) > 0 {
			b.Fatal(ps)
		}
	}
}

// BenchmarkDecodeTreeStd is encoding/json's decoding of the same record
// into the same tree, with UseNumber, for comparison.
func BenchmarkDecodeTreeStd(b *testing.B) {
	data := benchRecord(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			b.Fatal(err)
		}
	}
}
