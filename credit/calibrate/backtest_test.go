package calibrate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
)

func baseEngine(t testing.TB) *credit.Engine {
	t.Helper()
	eng, err := credit.NewEngine(credit.DefaultRuleSet(), credit.EngineOptions{})
	require.NoError(t, err)
	return eng
}

func TestBacktestReport(t *testing.T) {
	d := trainPL2(t)
	eng := baseEngine(t)
	rep, err := Backtest(context.Background(), eng, d, BacktestOptions{Prior: 0.0393})
	require.NoError(t, err)
	assert.Equal(t, int64(1417), rep.Records)
	assert.Equal(t, int64(400), rep.Defaults)
	assert.Equal(t, credit.SCOBaseID, rep.RuleSet.ID)
	assert.Greater(t, rep.Discrimination.AUC, 0.7)
	assert.Less(t, rep.Discrimination.AUCLow, rep.Discrimination.AUC)
	assert.InDelta(t, 0.0393, rep.Prior, 0)
	// The shift moves population PDs to the sample's odds.
	s, _ := PriorShift(400.0/1417, 0.0393)
	assert.InDelta(t, s, rep.PDShift, 1e-6)
	var n, bad int64
	for _, g := range rep.Grades {
		n += g.Records
		bad += g.Defaults
		if g.Tested {
			assert.Equal(t, g.JeffreysP >= 0.01, g.Passed, g.Grade)
		}
	}
	assert.Equal(t, rep.Records, n)
	assert.Equal(t, rep.Defaults, bad)
	// Ten score deciles, fewer when one score holds more than a tenth.
	assert.NotEmpty(t, rep.Calibration)
	assert.LessOrEqual(t, len(rep.Calibration), 10)
	var m int64
	for _, c := range rep.Calibration {
		m += c.Records
	}
	assert.Equal(t, rep.Records, m)

	// The streaming path gives the same report as the in-memory one.
	bt, err := NewBacktester(eng.RuleSet(), BacktestOptions{Prior: 0.0393})
	require.NoError(t, err)
	f, err := os.Open(trainDir + "pl2.ndjson.gz")
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, bt.AddStream(context.Background(), eng, f, "pl2", ReadOptions{}))
	rep2, err := bt.Report()
	require.NoError(t, err)
	assert.Equal(t, rep, rep2)

	// JSON round trip through ReadReport, then the report against itself
	// as baseline: PSI and every CSI are 0.
	var buf bytes.Buffer
	require.NoError(t, rep.WriteJSON(&buf))
	base, err := ReadReport(&buf)
	require.NoError(t, err)
	assert.Equal(t, rep, base)
	self, err := Backtest(context.Background(), eng, d, BacktestOptions{Prior: 0.0393, Baseline: base})
	require.NoError(t, err)
	require.NotNil(t, self.Stability)
	assert.Equal(t, 0.0, self.Stability.PSI)
	for _, c := range self.Stability.CSI {
		assert.Equal(t, 0.0, c.CSI, c.ID)
	}
	assert.LessOrEqual(t, len(self.Stability.Buckets), 10)

	var text bytes.Buffer
	require.NoError(t, self.WriteText(&text))
	for _, want := range []string{"AUC", "Jeffreys", "GRADE", "Brier", "PSI of the score 0.0000", "fin.interest_coverage"} {
		assert.Contains(t, text.String(), want)
	}

	dir := t.TempDir()
	paths, err := rep.WritePlots(dir)
	require.NoError(t, err)
	require.Len(t, paths, 4)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		assert.True(t, bytes.HasPrefix(data, []byte("<?xml")) || bytes.Contains(data[:200], []byte("<svg")), filepath.Base(p))
	}
}

func TestReadReportRejects(t *testing.T) {
	d := trainPL2(t)
	rep, err := Backtest(context.Background(), baseEngine(t), d, BacktestOptions{})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, rep.WriteJSON(&buf))
	good := buf.String()
	for name, mutate := range map[string]func(map[string]any){
		"version":     func(m map[string]any) { m["report_version"] = 2 },
		"records":     func(m map[string]any) { m["records"] = 5 },
		"defaults":    func(m map[string]any) { m["defaults"] = -1 },
		"unknown key": func(m map[string]any) { m["extra"] = true },
		"unsorted":    func(m map[string]any) { h := m["score_histogram"].([]any); h[0], h[1] = h[1], h[0] },
		"negative bin": func(m map[string]any) {
			m["characteristics"].([]any)[0].(map[string]any)["bins"].([]any)[0].(map[string]any)["records"] = -3
		},
	} {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(good), &m))
		mutate(m)
		data, _ := json.Marshal(m)
		_, err := ReadReport(bytes.NewReader(data))
		assert.ErrorIs(t, err, ErrBadReport, name)
	}
	_, err = ReadReport(strings.NewReader(good + "{}"))
	assert.ErrorIs(t, err, ErrBadReport)
	_, err = ReadReport(strings.NewReader("[]"))
	assert.ErrorIs(t, err, ErrBadReport)
}

// errAfter is a reader that fails once its data are read.
type errAfter struct {
	r   *strings.Reader
	err error
}

func (e *errAfter) Read(p []byte) (int, error) {
	if e.r.Len() == 0 {
		return 0, e.err
	}
	return e.r.Read(p)
}

// TestAddStreamStopsInInputOrder: the stream adds the records before the
// first bad one, exactly those, whichever worker finishes first, and
// returns that record's error; an I/O error names the input.
func TestAddStreamStopsInInputOrder(t *testing.T) {
	eng := baseEngine(t)
	outcomes := make([]string, 40)
	for i := range outcomes {
		outcomes[i] = "good"
		if i%3 == 0 {
			outcomes[i] = "bad"
		}
	}
	outcomes[25], outcomes[32] = "none", "none"
	for range 20 {
		bt, err := NewBacktester(eng.RuleSet(), BacktestOptions{})
		require.NoError(t, err)
		err = bt.AddStream(context.Background(), eng, strings.NewReader(labelled(t, outcomes...)), "in", ReadOptions{})
		var re *RecordError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, 26, re.Index)
		assert.Equal(t, int64(25), bt.Records())
	}

	bt, err := NewBacktester(eng.RuleSet(), BacktestOptions{})
	require.NoError(t, err)
	boom := errors.New("disk gone")
	err = bt.AddStream(context.Background(), eng, &errAfter{r: strings.NewReader(labelled(t, "good", "bad")), err: boom}, "in", ReadOptions{})
	assert.ErrorIs(t, err, boom)
	assert.ErrorContains(t, err, "calibrate: in: ")
	assert.Equal(t, int64(2), bt.Records(), "the records before the error are added")
}
