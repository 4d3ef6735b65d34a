package credit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/creditsco/creditsco/credit/internal/ratio"
)

// BenchmarkScore scores one typed record with a reused engine.
func BenchmarkScore(b *testing.B) {
	e := baseEngine(b, EngineOptions{})
	rec := baseRecord()
	rec.Payments = []Payment{{CreditorType: CreditorBank, Amount: dec("100"), Currency: "CNY", DueDate: MustParseDate("2026-03-01"), PaidDate: datep("2026-03-05")}}
	rec.PublicRecords = []PublicRecord{{Type: PublicCourtJudgment, Date: MustParseDate("2025-01-01")}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Score(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScoreStream validates and scores 1,000 generated NDJSON records
// (one in seven invalid) on GOMAXPROCS workers.
func BenchmarkScoreStream(b *testing.B) {
	e := baseEngine(b, EngineOptions{})
	data := genNDJSON(b, 1000)
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	records := 0
	for b.Loop() {
		err := e.ScoreStream(ctx, bytes.NewReader(data), func(StreamResult) error { records++; return nil })
		if err != nil && err != io.EOF {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkScoreSample scores the benchmark record of the validation
// benchmarks (the first Chinese sample: three statements, nine payments,
// trade) with its country's engine, against the floor of the validation
// benchmarks, json.Unmarshal of the same record into Record, measured in
// the same iterations.
func BenchmarkScoreSample(b *testing.B) {
	data := benchRecord(b)
	sc, err := NewScorer(BuiltinRuleSets(), EngineOptions{Rates: bundledRates(b)})
	if err != nil {
		b.Fatal(err)
	}
	res := ParseRecord(data)
	if !res.Valid() {
		b.Fatal(res.Problems)
	}
	ctx := context.Background()
	b.ReportAllocs()
	ratio.Bench(b, func() {
		var r Record
		if err := json.Unmarshal(data, &r); err != nil {
			b.Fatal(err)
		}
	}, func() {
		if _, err := sc.Score(ctx, res.Record); err != nil {
			b.Fatal(err)
		}
	})
}
