package credit

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// scorerBenchRecords returns the 36 sample records of the twelve
// countries, typed, in the interleaved order of mixedBatch.
func scorerBenchRecords(b *testing.B) []*Record {
	b.Helper()
	var recs []*Record
	for _, line := range strings.Split(strings.TrimSpace(string(mixedBatch(b))), "\n") {
		res := ParseRecord([]byte(line))
		if !res.Valid() {
			b.Fatal(res.Problems)
		}
		recs = append(recs, res.Record)
	}
	return recs
}

// benchScoreAll scores every record once per iteration and reports the
// cost per record.
func benchScoreAll(b *testing.B, recs []*Record, score func(context.Context, *Record) (*Profile, error)) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range recs {
			if _, err := score(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
}

// BenchmarkScorerMixed scores the 36 sample records of all twelve
// countries, interleaved, each with its own country's engine (Scorer.Score:
// selection by country and date, then the engine).
func BenchmarkScorerMixed(b *testing.B) {
	s, err := NewScorer(BuiltinRuleSets(), EngineOptions{Rates: sampleRates(b)})
	if err != nil {
		b.Fatal(err)
	}
	benchScoreAll(b, scorerBenchRecords(b), s.Score)
}

// BenchmarkScorerSingleCountry scores the same 36 records relabelled as
// Kazakh, so that one engine (SCO-KZ) scores them all: the single-country
// batch of the same data.
func BenchmarkScorerSingleCountry(b *testing.B) {
	s, recs := kazakhBatch(b)
	benchScoreAll(b, recs, s.Score)
}

// kazakhBatch returns a scorer and the 36 sample records relabelled as
// Kazakh.
func kazakhBatch(b *testing.B) (*Scorer, []*Record) {
	b.Helper()
	s, err := NewScorer(BuiltinRuleSets(), EngineOptions{Rates: sampleRates(b)})
	if err != nil {
		b.Fatal(err)
	}
	recs := scorerBenchRecords(b)
	for _, r := range recs {
		r.Enterprise.Country = "KZ"
	}
	return s, recs
}

// BenchmarkEngineSingleCountry is the floor: the SCO-KZ engine called
// directly on the relabelled records, no selection at all.
func BenchmarkEngineSingleCountry(b *testing.B) {
	s, recs := kazakhBatch(b)
	e, err := s.Engine("KZ", recs[0].AsOf)
	if err != nil {
		b.Fatal(err)
	}
	benchScoreAll(b, recs, e.Score)
}

// BenchmarkScorerStreamMixed validates and scores the 36 sample records of
// all twelve countries as one NDJSON stream on GOMAXPROCS workers.
func BenchmarkScorerStreamMixed(b *testing.B) {
	s, err := NewScorer(BuiltinRuleSets(), EngineOptions{Rates: sampleRates(b)})
	if err != nil {
		b.Fatal(err)
	}
	data := mixedBatch(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	records := 0
	for b.Loop() {
		if err := s.ScoreStream(ctx, bytes.NewReader(data), func(StreamResult) error { records++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkSelect is the cost of choosing a rule set alone.
func BenchmarkSelect(b *testing.B) {
	s, err := NewScorer(BuiltinRuleSets(), EngineOptions{})
	if err != nil {
		b.Fatal(err)
	}
	asOf := MustParseDate("2026-09-30")
	ccs := SCOCountries()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.Engine(ccs[i%len(ccs)], asOf); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkScorerMixedVsSingle scores, in each iteration, the 36 mixed
// records and the same records relabelled as Kazakh, alternately, and
// reports the cost per record of each and their ratio: measured side by
// side, the comparison holds on a machine whose speed varies over time.
func BenchmarkScorerMixedVsSingle(b *testing.B) {
	s, single := kazakhBatch(b)
	mixed := scorerBenchRecords(b)
	ctx := context.Background()
	var tMixed, tSingle time.Duration
	run := func(recs []*Record) time.Duration {
		start := time.Now()
		for _, r := range recs {
			if _, err := s.Score(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if n%2 == 0 {
			tMixed += run(mixed)
			tSingle += run(single)
		} else {
			tSingle += run(single)
			tMixed += run(mixed)
		}
		n++
	}
	per := float64(n * len(mixed))
	b.ReportMetric(float64(tMixed.Nanoseconds())/per, "mixed-ns/record")
	b.ReportMetric(float64(tSingle.Nanoseconds())/per, "single-ns/record")
	b.ReportMetric(float64(tMixed)/float64(tSingle), "mixed/single")
}
