package ident

import (
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltinsUniqueAndSorted(t *testing.T) {
	r, err := NewRegistry(Builtins()...)
	require.NoError(t, err)
	names := r.Schemes()
	assert.Len(t, names, 21)
	assert.IsIncreasing(t, names)
	assert.Equal(t, names, builtinNames(), "Builtins must be sorted by name")
	assert.Equal(t, names, Schemes())
	for _, s := range Builtins() {
		assert.NotEmpty(t, s.Title(), s.Name())
	}
}

func TestRegisterErrors(t *testing.T) {
	r, err := NewRegistry(Builtins()...)
	require.NoError(t, err)
	assert.Error(t, r.Register(nil))
	s, _ := r.Lookup(SchemeLEI)
	assert.ErrorContains(t, r.Register(s), "already registered")
	_, err = NewRegistry(newLEI(), newLEI())
	assert.Error(t, err)
	var zero Registry // the zero value is usable
	require.NoError(t, zero.Register(newLEI()))
	_, ok := zero.Lookup(SchemeLEI)
	assert.True(t, ok)
}

func TestForCountry(t *testing.T) {
	names := func(ss []Scheme) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Name())
		}
		return out
	}
	assert.Equal(t, []string{SchemeRUINN, SchemeKPP, SchemeOGRN, SchemeOGRNIP}, names(ForCountry("RU")))
	assert.Equal(t, []string{SchemeCIN, SchemeGSTIN, SchemePAN}, names(ForCountry("in")))
	assert.Empty(t, ForCountry(""), "LEI is country-less and never listed")
	assert.Empty(t, ForCountry("DE"))
}

func TestValidateUnknownScheme(t *testing.T) {
	_, err := Validate("XX-NOPE", "1")
	assert.ErrorIs(t, err, ErrUnknownScheme)
	assert.Equal(t, "UNKNOWN_SCHEME", Code(err))
	var e *Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "XX-NOPE", e.Scheme)
}

type fakeScheme struct{ name string }

func (f fakeScheme) Name() string                  { return f.name }
func (fakeScheme) Country() string                 { return "XX" }
func (fakeScheme) Title() string                   { return "fake" }
func (fakeScheme) HasCheckDigit() bool             { return false }
func (fakeScheme) Normalize(v string) string       { return v }
func (fakeScheme) Validate(string) error           { return nil }
func (fakeScheme) Format(v string) (string, error) { return v, nil }

func TestRegistryConcurrent(t *testing.T) {
	r, err := NewRegistry(Builtins()...)
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				if _, err := r.Validate(SchemeBIN, "940140000385"); err != nil {
					errs <- err
				}
				_ = r.ForCountry("XX")
				_ = r.Schemes()
				if i%20 == 0 {
					// Each goroutine registers its own names; a duplicate attempt
					// by the same goroutine must fail.
					name := "XX-" + strconv.Itoa(g) + "-" + strconv.Itoa(i)
					if err := r.Register(fakeScheme{name}); err != nil {
						errs <- err
					}
					if r.Register(fakeScheme{name}) == nil {
						errs <- errors.New("duplicate accepted: " + name)
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Len(t, r.ForCountry("XX"), 8*10)
}

func TestDefaultRegisterIsShared(t *testing.T) {
	require.NoError(t, Register(fakeScheme{"ZZ-TEST-DEFAULT"}))
	_, ok := Lookup("ZZ-TEST-DEFAULT")
	assert.True(t, ok)
	assert.Error(t, Register(fakeScheme{"ZZ-TEST-DEFAULT"}))
}
