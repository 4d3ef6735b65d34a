package calibrate

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/creditsco/creditsco/credit"
)

// allTraining reads pl2, pl3 and pl4 (4,402 records).
func allTraining(b *testing.B) *Dataset { return readCuts(b, "pl2", "pl3", "pl4") }

// readCuts reads the named cuts of the training data into one Dataset.
func readCuts(b *testing.B, cuts ...string) *Dataset {
	b.Helper()
	var d Dataset
	for _, c := range cuts {
		f, err := os.Open(trainDir + c + ".ndjson.gz")
		if err != nil {
			b.Fatal(err)
		}
		err = d.Read(f, c, ReadOptions{})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	return &d
}

// BenchmarkFit100k fits SCO-BASE's characteristics on 100,000 labelled
// records (the 4,402 training records repeated): indicators, binning of
// 32 candidates, regression, points, score-to-PD fit, rule-set output.
// One op is one fit.
func BenchmarkFit100k(b *testing.B) {
	src := allTraining(b)
	var d Dataset
	for len(d.Examples) < 100_000 {
		d.Examples = append(d.Examples, src.Examples...)
	}
	d.Examples = d.Examples[:100_000]
	parent := credit.DefaultRuleSet()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Fit(parent, &d, FitOptions{Prior: 0.05}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndicators100k is the fit's floor: computing the indicators of
// the same 32 candidates for the 100,000 records, which every fit must do.
func BenchmarkIndicators100k(b *testing.B) {
	src := allTraining(b)
	parent := credit.DefaultRuleSet()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for n < 100_000 {
			for i := range src.Examples {
				if n == 100_000 {
					break
				}
				for _, c := range parent.Characteristics {
					credit.ComputeIndicator(c.Indicator, src.Examples[i].Record, nil, nil)
				}
				n++
			}
		}
	}
}

// BenchmarkCrossValidate5 cross-validates the fit of SCO-BASE's
// characteristics on the 2,933 pl2 and pl3 records, 5 folds, one repeat:
// the unit of MODEL.md's study. One op is five fits and five scorings of
// a held-out fold.
func BenchmarkCrossValidate5(b *testing.B) {
	d := readCuts(b, "pl2", "pl3")
	parent := credit.DefaultRuleSet()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CrossValidate(parent, d, FitOptions{}, CVOptions{Folds: 5}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBacktest1M adds 1,000,000 scored profiles with their outcomes
// to a Backtester and computes the report: the back-test's own cost on
// top of scoring (profiles of the 4,402 training records, cycled).
func BenchmarkBacktest1M(b *testing.B) {
	src := allTraining(b)
	eng, err := credit.NewEngine(credit.DefaultRuleSet(), credit.EngineOptions{})
	if err != nil {
		b.Fatal(err)
	}
	profiles := make([]*credit.Profile, len(src.Examples))
	for i := range src.Examples {
		if profiles[i], err = eng.Score(context.Background(), src.Examples[i].Record); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		bt, err := NewBacktester(eng.RuleSet(), BacktestOptions{Prior: 0.05})
		if err != nil {
			b.Fatal(err)
		}
		for n := range 1_000_000 {
			i := n % len(profiles)
			if err := bt.Add(profiles[i], src.Examples[i].Defaulted); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := bt.Report(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBacktestStream is the whole back-test of a file: read the
// gzipped NDJSON, validate, score on both cores and add; per op the 1,417
// records of pl2.
func BenchmarkBacktestStream(b *testing.B) {
	eng, err := credit.NewEngine(credit.DefaultRuleSet(), credit.EngineOptions{})
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(trainDir + "pl2.ndjson.gz")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		bt, err := NewBacktester(eng.RuleSet(), BacktestOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if err := bt.AddStream(context.Background(), eng, bytesReader(data), "pl2", ReadOptions{}); err != nil {
			b.Fatal(err)
		}
		if _, err := bt.Report(); err != nil {
			b.Fatal(err)
		}
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
