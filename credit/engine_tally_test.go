package credit

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tallyEngines returns an engine of every built-in rule set and of the
// rule set of testdata/rulesets, with their rates.
func tallyEngines(t testing.TB) []*Engine {
	t.Helper()
	reg := BuiltinRuleSets()
	f, err := os.Open(filepath.Join("..", "testdata", "rulesets", "kz-example.json"))
	require.NoError(t, err)
	defer f.Close()
	rs, err := LoadRuleSet(f)
	require.NoError(t, err)
	require.NoError(t, reg.Register(rs))
	var out []*Engine
	for _, rs := range reg.selector().all() {
		e, err := NewEngine(rs, EngineOptions{Rates: bundledRates(t)})
		require.NoError(t, err)
		out = append(out, e)
	}
	// SCO-BASE with points of eight decimals, whose sums round at every
	// place the tallies round at.
	e, err := NewEngine(fractionalBase(t, 8), EngineOptions{Rates: bundledRates(t)})
	require.NoError(t, err)
	require.True(t, e.unitSums)
	return append(out, e)
}

// fractionalBase returns SCO-BASE with every bin's points moved by a
// fraction of places decimals (seeded, and with halves at the fourth
// place, where texts round), under another id.
func fractionalBase(t testing.TB, places int) *RuleSet {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "credit", "rulesets", "sco-base.json"))
	if os.IsNotExist(err) {
		data, err = os.ReadFile(filepath.Join("rulesets", "sco-base.json"))
	}
	require.NoError(t, err)
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&doc))
	doc["id"] = "SCO-FRACTIONAL"
	rng := rand.New(rand.NewPCG(uint64(places), 16))
	fractions := []string{"0.00005", "0.00015", "0.49995", "0.5", "0.25", "0.12345678", "0.99999999"}
	var f string
	bump := func(m map[string]any) {
		if p, ok := m["points"].(json.Number); ok {
			m["points"] = json.Number(decimal.RequireFromString(string(p)).Add(decimal.RequireFromString(f)).String())
		}
	}
	for _, c := range doc["characteristics"].([]any) {
		cm := c.(map[string]any)
		// One fraction per characteristic keeps the order of its bins'
		// points, which the loader checks against its direction.
		f = fractions[rng.IntN(len(fractions))]
		if places > 8 {
			f += "1"
		}
		for _, key := range []string{"bins", "categories"} {
			if bs, ok := cm[key].([]any); ok {
				for _, b := range bs {
					bump(b.(map[string]any))
				}
			}
		}
		bump(cm["missing"].(map[string]any))
	}
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	rs, err := LoadRuleSet(bytes.NewReader(out))
	require.NoError(t, err)
	return rs
}

// TestTallyFallsBack: points finer than the unit are added as decimals.
func TestTallyFallsBack(t *testing.T) {
	e, err := NewEngine(fractionalBase(t, 9), EngineOptions{})
	require.NoError(t, err)
	assert.False(t, e.unitSums)
	p, err := e.Score(context.Background(), baseRecord())
	require.NoError(t, err)
	assert.NotEmpty(t, p.Pillars)
}

// decimalTwin returns a copy of e that adds decimals, the reference of
// the integer tally.
func decimalTwin(e *Engine) *Engine {
	d := *e
	d.unitSums = false
	return &d
}

// TestTallyUnitsEqualsDecimal compares the two tallies of every engine on
// 20,000 random outcomes of its characteristics: the same score,
// coverage (value and exponent), pillars and reasons.
func TestTallyUnitsEqualsDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, e := range tallyEngines(t) {
		require.True(t, e.unitSums, "%s %s: the built-in rule sets' points are integers of 10^-8", e.rs.ID, e.rs.Version)
		for range 20000 / corpusScale / 14 {
			outcomes, has := randomOutcomes(rng, e)
			got, want := e.tallyUnits(outcomes, has), e.tallyDecimal(outcomes, has)
			requireTallyEqual(t, want, got)
		}
	}
}

func randomOutcomes(rng *rand.Rand, e *Engine) ([]*compiledBin, []bool) {
	outcomes := make([]*compiledBin, len(e.chars))
	has := make([]bool, len(e.chars))
	for i := range e.chars {
		c := &e.chars[i]
		bins := append(append([]compiledBin{}, c.bins...), c.cats...)
		if len(bins) == 0 || rng.IntN(5) == 0 {
			outcomes[i] = &c.miss
			continue
		}
		outcomes[i] = &bins[rng.IntN(len(bins))]
		has[i] = true
	}
	return outcomes, has
}

func requireTallyEqual(t testing.TB, want, got tally) {
	t.Helper()
	require.Equal(t, want.score, got.score)
	require.True(t, want.coverage.Equal(got.coverage), "coverage %s, want %s", got.coverage, want.coverage)
	require.Equal(t, want.coverage.Exponent(), got.coverage.Exponent())
	require.Equal(t, want.pillars, got.pillars)
	require.Equal(t, want.reasons, got.reasons)
}

// TestScoreUnitsEqualsDecimal scores every valid record of testdata and
// 20,000 generated ones with every engine, adding in units and in
// decimals: byte-identical profiles.
func TestScoreUnitsEqualsDecimal(t *testing.T) {
	engines := tallyEngines(t)
	_, records := testdataRecords(t)
	gen := newCorpusGen(t, 13, false)
	for range 20000 / corpusScale {
		records = append(records, gen.next())
	}
	v, err := NewValidator(ValidatorOptions{})
	require.NoError(t, err)
	ctx := context.Background()
	scored := 0
	for i, data := range records {
		res := v.Validate(data)
		if !res.Valid() {
			continue
		}
		e := engines[i%len(engines)]
		got, err := e.Score(ctx, res.Record)
		require.NoError(t, err)
		want, err := decimalTwin(e).Score(ctx, res.Record)
		require.NoError(t, err)
		require.Equal(t, string(want.AppendJSON(nil)), string(got.AppendJSON(nil)), "%s", data)
		scored++
	}
	t.Logf("%d records scored alike", scored)
	assert.Greater(t, scored, 5000/corpusScale)
}

// TestUnitsPrimitives compares the integer primitives with the decimal
// operations they replace, on edge values and random ones.
func TestUnitsPrimitives(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 15))
	xs := []int64{0, 1, -1, 49_999_999, 50_000_000, -50_000_000, 150_000_000, -150_000_000, 4_999, 5_000, -5_000, 15_000, 123_456_789, maxUnitSum, -maxUnitSum}
	for range 20000 {
		x := rng.Int64N(2*maxUnitSum+1) - maxUnitSum
		if rng.IntN(2) == 0 {
			x = rng.Int64N(2_000_000_000) - 1_000_000_000
		}
		xs = append(xs, x)
	}
	for _, x := range xs {
		d := decimal.New(x, pointExp)
		require.Equal(t, d.Round(0).IntPart(), roundUnits(x, pointUnit), "%d", x)
		require.Equal(t, decText(d), unitsText(x), "%d", x)
		if u, ok := toUnits(d); assert.True(t, ok) {
			require.Equal(t, x, u)
		}
	}
	for range 20000 {
		whole := rng.Int64N(maxUnitSum) + 1
		if rng.IntN(2) == 0 {
			whole = rng.Int64N(10_000_000_000) + 1
		}
		part := rng.Int64N(whole + 1)
		want := share(decimal.New(part, pointExp), decimal.New(whole, pointExp))
		got := shareUnits(part, whole)
		require.True(t, want.Equal(got), "%d/%d: %s, want %s", part, whole, got, want)
		require.Equal(t, want.StringFixed(4), shareText(part, whole), "%d/%d", part, whole)
	}
	for _, pw := range [][2]int64{{0, 0}, {0, 1}, {1, 1}, {1, 3}, {2, 3}, {1, 8}, {5, 100_000}, {4_999_999, 100_000_000_000}, {49_999, 1_000_000_000}, {99_995, 100_000}} {
		want := share(decimal.New(pw[0], pointExp), decimal.New(pw[1], pointExp))
		require.Equal(t, want.StringFixed(4), shareText(pw[0], pw[1]), "%d/%d", pw[0], pw[1])
	}
	assert.True(t, shareUnits(0, 0).Equal(one))
	_, ok := toUnits(decimal.RequireFromString("0.000000001"))
	assert.False(t, ok, "finer than the unit")
	_, ok = toUnits(decimal.New(1, 30))
	assert.False(t, ok, "beyond maxUnitSum")
}

// FuzzScoreUnitsEqualsDecimal compares the tallies on outcomes chosen by
// the fuzzer, for every engine.
func FuzzScoreUnitsEqualsDecimal(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 255, 7})
	engines := tallyEngines(f)
	f.Fuzz(func(t *testing.T, pick []byte) {
		for _, e := range engines {
			outcomes := make([]*compiledBin, len(e.chars))
			has := make([]bool, len(e.chars))
			for i := range e.chars {
				c := &e.chars[i]
				k := 0
				if len(pick) > 0 {
					k = int(pick[i%len(pick)]) + i
				}
				bins := append(append([]compiledBin{}, c.bins...), c.cats...)
				if len(bins) == 0 || k%7 == 0 {
					outcomes[i] = &c.miss
					continue
				}
				outcomes[i] = &bins[k%len(bins)]
				has[i] = true
			}
			requireTallyEqual(t, e.tallyDecimal(outcomes, has), e.tallyUnits(outcomes, has))
		}
	})
}
