package calibrate

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/creditsco/creditsco/credit"
)

// FuzzReadReport: any input either fails with ErrBadReport or gives a
// report that can serve as a baseline without a panic or NaN.
func FuzzReadReport(f *testing.F) {
	eng, err := credit.NewEngine(credit.DefaultRuleSet(), credit.EngineOptions{})
	if err != nil {
		f.Fatal(err)
	}
	d, err := pl2()
	if err != nil {
		f.Fatal(err)
	}
	small := d.Filter(func(e *Example) bool { return e.Record.RecordID < "pl2-104" })
	rep, err := Backtest(context.Background(), eng, small, BacktestOptions{})
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"report_version":1,"records":1,"defaults":0,"score_histogram":[{"score":600,"records":1,"defaults":0}]}`))
	f.Add([]byte(`{"report_version":1,"records":2,"defaults":1,"score_histogram":[{"score":9223372036854775807,"records":1,"defaults":1},{"score":-1,"records":1,"defaults":0}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		base, err := ReadReport(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrBadReport) {
				t.Fatalf("error does not wrap ErrBadReport: %v", err)
			}
			return
		}
		out, err := Backtest(context.Background(), eng, small, BacktestOptions{Baseline: base})
		if err != nil {
			t.Fatalf("valid baseline refused: %v", err)
		}
		if st := out.Stability; st == nil || math.IsNaN(st.PSI) || math.IsInf(st.PSI, 0) {
			t.Fatalf("bad stability %+v", out.Stability)
		}
		var w bytes.Buffer
		if err := out.WriteJSON(&w); err != nil {
			t.Fatalf("report does not encode: %v", err)
		}
	})
}

// FuzzReadDataset: the labelled-data reader never panics; it returns
// records, or an error.
func FuzzReadDataset(f *testing.F) {
	line := `{"schema_version":"1.0","record_id":"x","as_of":"2013-06-30","enterprise":{"country":"RU","legal_name":"F","identifiers":[{"scheme":"RU-INN","value":"7700000009"}],"registered_on":"2005-01-01","status":"active"},"financials":[{"period_end":"2012-12-31","period_months":12,"currency":"PLN","audited":false,"total_assets":"100","total_liabilities":"50","equity":"50","revenue":"10","net_income":"1"}],"outcome":{"defaulted":true}}`
	f.Add([]byte(line + "\n" + strings.Replace(line, "true", "false", 1)))
	f.Add([]byte("[" + line + "]"))
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(line))
	w.Close()
	f.Add(gz.Bytes())
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var d Dataset
		err := d.Read(bytes.NewReader(data), "fuzz", ReadOptions{MaxRecords: 50})
		for _, e := range d.Examples {
			if e.Record == nil || e.Record.Outcome == nil {
				t.Fatal("example without record or outcome")
			}
		}
		var re *RecordError
		if errors.As(err, &re) && re.Index <= 0 {
			t.Fatalf("record error without index: %v", err)
		}
		_ = d.Digest()
	})
}
