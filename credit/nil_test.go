package credit

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNilArgumentsAndZeroValues calls the API with nil arguments and zero
// values, which crashed the process (ScoreStream's with a nil reader from
// a goroutine the caller could not recover): each gives an error or a
// documented empty result.
func TestNilArgumentsAndZeroValues(t *testing.T) {
	ctx := context.Background()
	eng, err := NewEngine(DefaultRuleSet(), EngineOptions{})
	require.NoError(t, err)
	emit := func(StreamResult) error { return nil }
	var nilCtx context.Context
	var zero Engine
	var nilEngine *Engine
	rec := ParseRecord(sampleLines(t)[0]).Record
	require.NotNil(t, rec)

	for name, err := range map[string]error{
		"ScoreStream nil reader":  eng.ScoreStream(ctx, nil, emit),
		"ScoreStream nil emit":    eng.ScoreStream(ctx, strings.NewReader("{}"), nil),
		"ScoreStream nil context": eng.ScoreStream(nilCtx, strings.NewReader("{}"), emit),
		"Score nil record":        second(eng.Score(ctx, nil)),
		"Score nil context":       second(eng.Score(nilCtx, rec)),
		"ScoreJSON nil context":   second(eng.ScoreJSON(nilCtx, []byte("{}"))),
		"LoadRuleSet nil":         second(LoadRuleSet(nil)),
		"LoadRates nil":           second(LoadRates(nil)),
		"Reader nil":              second(NewReader(nil).Next()),
		"zero Reader":             second((&Reader{}).Next()),
		"Register on nil":         (*RuleSetRegistry)(nil).Register(DefaultRuleSet()),
		"Unmodified nil":          (*RuleSet)(nil).Unmodified(),
	} {
		assert.ErrorIs(t, err, ErrNilArgument, name)
	}
	var zeroScorer Scorer
	scorer, err := NewScorer(BuiltinRuleSets(), EngineOptions{})
	require.NoError(t, err)
	assert.ErrorIs(t, scorer.ScoreStream(ctx, nil, emit), ErrNilArgument)
	assert.ErrorIs(t, second(scorer.Score(ctx, nil)), ErrNilArgument)
	assert.ErrorIs(t, second(scorer.ScoreJSON(nilCtx, []byte("{}"))), ErrNilArgument)
	assert.Nil(t, zeroScorer.RuleSets())
	for name, err := range map[string]error{
		"zero Scorer Score":       second(zeroScorer.Score(ctx, rec)),
		"zero Scorer ScoreStream": zeroScorer.ScoreStream(ctx, strings.NewReader("{}"), emit),
		"zero Scorer ScoreJSON":   second(zeroScorer.ScoreJSON(ctx, nil)),
		"zero Scorer Engine":      second(zeroScorer.Engine("KZ", MustParseDate("2026-01-01"))),
		"zero Score":              second(zero.Score(ctx, rec)),
		"zero ScoreJSON":          second(zero.ScoreJSON(ctx, []byte("{}"))),
		"zero ScoreStream":        zero.ScoreStream(ctx, strings.NewReader("{}"), emit),
		"nil Engine Score":        second(nilEngine.Score(ctx, rec)),
		"nil Engine Stream":       nilEngine.ScoreStream(ctx, strings.NewReader("{}"), emit),
		"nil Engine ScoreJSON":    second(nilEngine.ScoreJSON(ctx, nil)),
	} {
		assert.ErrorIs(t, err, ErrZeroEngine, name)
	}
	assert.Nil(t, zero.RuleSet())
	_, pd, grade := zero.PD(600)
	assert.Equal(t, "", pd+grade)

	// Zero and nil values that work.
	var nilRates *Rates
	assert.Equal(t, "", nilRates.Base()+nilRates.Source()+nilRates.Note())
	assert.True(t, nilRates.Date().IsZero())
	assert.Empty(t, nilRates.Currencies())
	_, err = nilRates.Convert(decimal.NewFromInt(1), "KZT", "USD")
	assert.ErrorIs(t, err, ErrNoRate)
	var nilRS *RuleSet
	assert.Equal(t, "", nilRS.Digest())
	assert.False(t, nilRS.Resolved())
	var reg RuleSetRegistry
	require.NoError(t, reg.Register(DefaultRuleSet()))
	assert.Equal(t, []string{SCOBaseID}, reg.IDs())
	var nilReg *RuleSetRegistry
	_, ok := nilReg.Lookup(SCOBaseID)
	assert.False(t, ok)
	_, ok = nilReg.LookupVersion(SCOBaseID, "1.0.0")
	assert.False(t, ok)
	assert.Empty(t, nilReg.IDs())
	assert.Empty(t, nilReg.Versions(SCOBaseID))
	assert.ErrorIs(t, nilReg.SetDefault("KZ", SCOBaseID), ErrNilArgument)
	assert.ErrorIs(t, second(nilReg.Select("KZ", MustParseDate("2026-06-30"))), ErrNoRuleSet)
	assert.ErrorIs(t, second(nilReg.Recognition(nil, MustParseDate("2026-06-30"))), ErrNoRuleSet)
	assert.ErrorIs(t, second(NewScorer(nil, EngineOptions{})), ErrNilArgument)
	var zeroV Validator
	var nilV *Validator
	want := ParseRecord([]byte(`{}`))
	assert.Equal(t, want, zeroV.Validate([]byte(`{}`)))
	assert.Equal(t, want, nilV.ValidateRaw(RawRecord{Data: []byte(`{}`)}))
	sample := nilV.Validate(sampleLines(t)[0])
	assert.True(t, sample.Valid())
	v, warnings, ok := ComputeIndicator("ops.age_years", nil, nil, nil)
	assert.True(t, ok)
	assert.True(t, v.IsMissing())
	assert.Empty(t, warnings)
	// An engine with a zero Validator of its own validates.
	eng2, err := NewEngine(DefaultRuleSet(), EngineOptions{Validator: &Validator{}})
	require.NoError(t, err)
	res, err := eng2.ScoreJSON(ctx, sampleLines(t)[0])
	require.NoError(t, err)
	assert.True(t, res.Valid())
}

func second[T any](_ T, err error) error { return err }
