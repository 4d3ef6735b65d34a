package credit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit/ident"
	"github.com/creditsco/creditsco/credit/internal/jcs"
)

// sampleRecord returns the first generated valid record.
func sampleRecord(t *testing.T) []byte {
	t.Helper()
	line, _, _ := bytes.Cut(genNDJSON(t, 1), []byte("\n"))
	return line
}

// TestAssess checks that an Assessment binds the record it was made of:
// its digest is of the record's RFC 8785 form, its profile is the one the
// engine gives the record, and what its methods return are copies.
func TestAssess(t *testing.T) {
	e := baseEngine(t, EngineOptions{})
	data := sampleRecord(t)
	a, err := e.Assess(context.Background(), data)
	require.NoError(t, err)

	v := ParseRecord(data)
	require.True(t, v.Valid())
	want, err := e.Score(context.Background(), v.Record)
	require.NoError(t, err)
	assert.Equal(t, want, a.Profile())
	assert.Equal(t, v.Record.RecordID, a.RecordID())
	assert.Equal(t, v.Record.AsOf, a.AsOf())
	assert.Equal(t, v.Record.Enterprise, a.Enterprise())
	assert.Equal(t, e.ref, a.RuleSetRef())
	assert.Equal(t, e.rs.digest, a.RuleSet().Digest())
	assert.Same(t, ident.Default(), a.Identifiers())

	canon, err := jcs.Canonicalize(data)
	require.NoError(t, err)
	sum := sha256.Sum256(canon)
	digest, err := a.RecordDigest()
	require.NoError(t, err)
	assert.Equal(t, "sha256:"+hex.EncodeToString(sum[:]), digest)
	got, err := a.Canonical()
	require.NoError(t, err)
	assert.Equal(t, canon, got)

	// Changing the input or what the methods return changes nothing.
	copy(data, bytes.Repeat([]byte{' '}, len(data)))
	got[0] = 'X'
	p := a.Profile()
	p.Grade, p.Certifiable, p.Reasons[0].Code = "AAA", !p.Certifiable, "FORGED"
	for i := range p.Characteristics {
		if p.Characteristics[i].Value != nil {
			*p.Characteristics[i].Value = "FORGED"
		}
	}
	ent := a.Enterprise()
	ent.Identifiers[0].Value = "FORGED"
	ent.Country = "RU"
	if ent.Employees != nil {
		*ent.Employees = -1
	}
	assert.Equal(t, want, a.Profile())
	assert.Equal(t, v.Record.Enterprise, a.Enterprise())
	again, err := a.Canonical()
	require.NoError(t, err)
	assert.Equal(t, canon, again)
	d2, err := a.RecordDigest()
	require.NoError(t, err)
	assert.Equal(t, digest, d2)

	// The Assessment holds its own copy of the record from the start:
	// input overwritten before the digest is first computed changes
	// nothing either.
	fresh := sampleRecord(t)
	b, err := e.Assess(context.Background(), fresh)
	require.NoError(t, err)
	copy(fresh, bytes.Repeat([]byte{' '}, len(fresh)))
	d3, err := b.RecordDigest()
	require.NoError(t, err)
	assert.Equal(t, digest, d3)
}

// TestAssessRefuses checks the errors of Assess: an invalid record's
// problems, a zero or nil Engine, and that none is a panic.
func TestAssessRefuses(t *testing.T) {
	e := baseEngine(t, EngineOptions{})
	a, err := e.Assess(context.Background(), []byte(`{"schema_version":"1.0","record_id":"bad-1"}`))
	assert.Nil(t, a)
	require.ErrorIs(t, err, ErrInvalidRecord)
	var ps Problems
	require.ErrorAs(t, err, &ps)
	assert.True(t, ps.HasErrors())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = e.Assess(ctx, sampleRecord(t))
	assert.ErrorIs(t, err, context.Canceled)

	var nilEngine *Engine
	for name, eng := range map[string]*Engine{"zero": {}, "nil": nilEngine} {
		a, err := eng.Assess(context.Background(), sampleRecord(t))
		assert.Nil(t, a, name)
		assert.ErrorIs(t, err, ErrZeroEngine, name)
	}
}

// TestZeroAssessment checks that the zero Assessment answers every method
// without a panic.
func TestZeroAssessment(t *testing.T) {
	var nilA *Assessment
	for name, a := range map[string]*Assessment{"zero": {}, "nil": nilA} {
		assert.Empty(t, a.RecordID(), name)
		assert.True(t, a.AsOf().IsZero(), name)
		assert.Empty(t, a.Enterprise().Identifiers, name)
		assert.Nil(t, a.Profile(), name)
		assert.Equal(t, RuleSetRef{}, a.RuleSetRef(), name)
		assert.Nil(t, a.RuleSet(), name)
		assert.Nil(t, a.Identifiers(), name)
		_, err := a.RecordDigest()
		assert.Error(t, err, name)
		_, err = a.Canonical()
		assert.Error(t, err, name)
	}
}

// TestStreamAssessments checks that ScoreStream gives the Assessment of
// every valid record, with the record's own digest and profile, and none
// for an invalid one; and that computing digests concurrently is safe.
func TestStreamAssessments(t *testing.T) {
	e := baseEngine(t, EngineOptions{Workers: 3})
	data := genNDJSON(t, 20)
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	var results []StreamResult
	require.NoError(t, e.ScoreStream(context.Background(), bytes.NewReader(data), func(r StreamResult) error {
		results = append(results, r)
		return nil
	}))
	require.Len(t, results, len(lines))
	var wg sync.WaitGroup
	for i, r := range results {
		if !r.Valid() {
			assert.Nil(t, r.Assessment, r.Index)
			continue
		}
		require.NotNil(t, r.Assessment, r.Index)
		assert.Equal(t, r.Profile, r.Assessment.Profile())
		assert.Equal(t, r.RecordID, r.Assessment.RecordID())
		canon, err := jcs.Canonicalize(lines[i])
		require.NoError(t, err)
		sum := sha256.Sum256(canon)
		for range 3 {
			wg.Go(func() {
				d, err := r.Assessment.RecordDigest()
				assert.NoError(t, err)
				assert.Equal(t, "sha256:"+hex.EncodeToString(sum[:]), d, r.Index)
			})
		}
		// The profile in the result is the caller's; the assessment
		// keeps its own.
		grade := r.Profile.Grade
		r.Profile.Grade = "FORGED"
		assert.Equal(t, grade, r.Assessment.Profile().Grade)
	}
	wg.Wait()

	res, err := e.ScoreJSON(context.Background(), lines[0])
	require.NoError(t, err)
	require.NotNil(t, res.Assessment)
	assert.Equal(t, res.Profile, res.Assessment.Profile())
}

// TestScorerAssessments checks that a Scorer's results carry the
// Assessment of each valid record, made by the engine of its country's
// rule set, with the registry of the scorer's validator.
func TestScorerAssessments(t *testing.T) {
	reg, err := ident.NewRegistry(ident.Builtins()...)
	require.NoError(t, err)
	val, err := NewValidator(ValidatorOptions{Identifiers: reg})
	require.NoError(t, err)
	s, err := NewScorer(BuiltinRuleSets(), EngineOptions{Validator: val})
	require.NoError(t, err)
	data := sampleRecord(t)
	res, err := s.ScoreJSON(context.Background(), data)
	require.NoError(t, err)
	require.True(t, res.Valid(), "%v", res.Problems)
	require.NotNil(t, res.Assessment)
	assert.Equal(t, res.Profile, res.Assessment.Profile())
	assert.Equal(t, res.Profile.RuleSet, res.Assessment.RuleSetRef())
	assert.Same(t, reg, res.Assessment.Identifiers())
	e, err := s.Engine(res.Profile.Country, res.Assessment.AsOf())
	require.NoError(t, err)
	assert.Equal(t, e.RuleSet().Digest(), res.Assessment.RuleSet().Digest())
}
