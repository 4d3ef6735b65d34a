package calibrate

import (
	"bytes"
	"context"
	"flag"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/internal/golden"
)

// update rewrites golden files: go test ./credit/calibrate/ -update
var update = flag.Bool("update", false, "rewrite golden files")

const trainDir = "../../testdata/train/"

var pl2 = sync.OnceValues(func() (*Dataset, error) { return readFile(trainDir + "pl2.ndjson.gz") })

func readFile(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var d Dataset
	return &d, d.Read(f, path, ReadOptions{})
}

func trainPL2(t testing.TB) *Dataset {
	t.Helper()
	d, err := pl2()
	require.NoError(t, err)
	require.Len(t, d.Examples, 1417)
	require.Equal(t, 400, d.Defaults())
	return d
}

var fitOpts = FitOptions{ID: "TEST-FIT", Version: "1.0.0", Prior: 0.0393, Holdout: 0.2}

// TestFitGolden: the same data and options give the same bytes, which are
// pinned in a golden file, load with credit.LoadRuleSet, resolve against
// the parent and score.
func TestFitGolden(t *testing.T) {
	d := trainPL2(t)
	res, err := Fit(credit.DefaultRuleSet(), d, fitOpts)
	require.NoError(t, err)
	again, err := Fit(credit.DefaultRuleSet(), d, fitOpts)
	require.NoError(t, err)
	assert.Equal(t, string(res.JSON), string(again.JSON), "deterministic")
	golden.Check(t, "testdata/golden/pl2-fit.json", res.JSON, *update)

	rs, err := credit.LoadRuleSet(bytes.NewReader(res.JSON))
	require.NoError(t, err)
	assert.Equal(t, credit.SCOBaseID, rs.Extends)
	reg := credit.BuiltinRuleSets()
	require.NoError(t, reg.Register(rs))
	resolved, _ := reg.Lookup("TEST-FIT")
	eng, err := credit.NewEngine(resolved, credit.EngineOptions{})
	require.NoError(t, err)
	p, err := eng.Score(context.Background(), d.Examples[0].Record)
	require.NoError(t, err)
	assert.Equal(t, "TEST-FIT", p.RuleSet.ID)

	// Sources record the data and the fit.
	var cite string
	for _, s := range rs.Sources {
		if s.ID == fitSourceID {
			cite = s.Citation
		}
	}
	for _, want := range []string{d.Digest(), "1417 records, 400 defaults", "prior 0.0393", "Newton-Raphson", "training AUC", "held-out cut"} {
		assert.Contains(t, cite, want)
	}
	assert.Greater(t, res.Train.AUC, 0.7)
	require.NotNil(t, res.Holdout)
	assert.Greater(t, res.Holdout.AUC, 0.6)
	assert.InDelta(t, 400.0/1417, res.SampleRate, 1e-12)
	// Kept characteristics have negative coefficients; every candidate
	// has a status.
	for _, c := range res.Characteristics {
		assert.NotEmpty(t, c.Status, c.ID)
		if c.Status == StatusKept {
			assert.Negative(t, c.Coef, c.ID)
		}
	}
}

// TestFitParentBins: with BinsParent the fitted bounds are a subset of
// the parent's.
func TestFitParentBins(t *testing.T) {
	d := trainPL2(t)
	parent := credit.DefaultRuleSet()
	res, err := Fit(parent, d, FitOptions{Bins: BinsParent, Characteristics: []string{"fin_ems", "fin_ocf_to_liabilities"}})
	require.NoError(t, err)
	bounds := map[string]bool{}
	for _, c := range parent.Characteristics {
		for _, b := range c.Bins {
			if b.Lower != nil {
				bounds[c.ID+"/"+b.Lower.String()] = true
			}
		}
	}
	for _, c := range res.RuleSet.Characteristics {
		for _, b := range c.Bins {
			if b.Lower != nil {
				assert.True(t, bounds[c.ID+"/"+b.Lower.String()], "%s bound %s is not the parent's", c.ID, b.Lower)
			}
		}
	}
	assert.Equal(t, "SCO-BASE-FIT", res.RuleSet.ID)
	_, err = Fit(parent, d, FitOptions{Characteristics: []string{"no_such"}})
	assert.Error(t, err)
}

// labelled builds records from the first training record with outcomes.
func labelled(t *testing.T, outcomes ...string) string {
	t.Helper()
	f, err := os.Open(trainDir + "pl2.ndjson.gz")
	require.NoError(t, err)
	defer f.Close()
	in, closeFn, err := Decompress(f)
	require.NoError(t, err)
	defer closeFn()
	raw, err := credit.NewReader(in).Next()
	require.NoError(t, err)
	base := string(raw.Data)
	var b strings.Builder
	for i, o := range outcomes {
		rec := strings.Replace(base, `"record_id":"pl2-0"`, `"record_id":"r`+string(rune('a'+i))+`"`, 1)
		switch o {
		case "none":
			rec = strings.Replace(rec, `,"outcome":{"defaulted":false}`, "", 1)
		case "bad":
			rec = strings.Replace(rec, `"defaulted":false`, `"defaulted":true`, 1)
		}
		b.WriteString(rec + "\n")
	}
	return b.String()
}

// TestBadLabelledInput: every unusable input gives a clear error, never a
// panic, a division by zero or NaN.
func TestBadLabelledInput(t *testing.T) {
	fit := func(data string) error {
		var d Dataset
		if err := d.Read(strings.NewReader(data), "in", ReadOptions{}); err != nil {
			return err
		}
		_, err := Fit(credit.DefaultRuleSet(), &d, FitOptions{})
		return err
	}
	err := fit(labelled(t, "good", "good", "good"))
	assert.ErrorIs(t, err, ErrNoDefaults)
	assert.ErrorContains(t, err, "no defaulted record")
	err = fit(labelled(t, "bad", "bad"))
	assert.ErrorIs(t, err, ErrNoNonDefaults)
	err = fit(labelled(t, "bad"))
	assert.ErrorIs(t, err, ErrTooFewRecords)
	err = fit("")
	assert.ErrorIs(t, err, ErrTooFewRecords)

	err = fit(labelled(t, "good", "none"))
	var re *RecordError
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, ErrNoOutcome)
	assert.Equal(t, 2, re.Index)
	assert.Equal(t, "rb", re.RecordID)
	assert.Contains(t, err.Error(), "in: record 2 (\"rb\"): no outcome.defaulted")

	err = fit(`{"schema_version":"1.0"}`)
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, ErrInvalidRecord)
	assert.Contains(t, err.Error(), `/as_of REQUIRED: required field "as_of" is missing`)

	// A CSV file: the message says what input is expected.
	err = fit("a,b\n1,2\n")
	require.ErrorAs(t, err, &re)
	assert.Contains(t, err.Error(), "in: record 1: invalid: (record) MALFORMED_JSON: ")
	assert.Contains(t, err.Error(), "not CSV")

	var d Dataset
	err = d.Read(strings.NewReader(labelled(t, "good", "bad", "good")), "in", ReadOptions{MaxRecords: 2})
	assert.ErrorIs(t, err, ErrTooManyRecords)

	// Back-tests of the same inputs.
	eng, err := credit.NewEngine(credit.DefaultRuleSet(), credit.EngineOptions{})
	require.NoError(t, err)
	for _, tc := range []struct {
		data string
		want error
	}{
		{labelled(t, "good", "good"), ErrNoDefaults},
		{labelled(t, "bad", "bad"), ErrNoNonDefaults},
		{labelled(t, "bad"), ErrTooFewRecords},
		{labelled(t, "good", "none"), ErrNoOutcome},
	} {
		bt, err := NewBacktester(eng.RuleSet(), BacktestOptions{})
		require.NoError(t, err)
		err = bt.AddStream(context.Background(), eng, strings.NewReader(tc.data), "in", ReadOptions{})
		if err == nil {
			_, err = bt.Report()
		}
		assert.ErrorIs(t, err, tc.want)
	}
}

func TestFitOptionsChecked(t *testing.T) {
	d := trainPL2(t)
	_, err := Fit(credit.DefaultRuleSet(), d, FitOptions{Prior: 1.5})
	assert.Error(t, err)
	_, err = Fit(credit.DefaultRuleSet(), d, FitOptions{Holdout: 1})
	assert.Error(t, err)
	_, err = Fit(credit.DefaultRuleSet(), d, FitOptions{Bins: "trees"})
	assert.Error(t, err)
	_, err = Fit(nil, d, FitOptions{})
	assert.Error(t, err)
}
