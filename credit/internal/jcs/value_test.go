package jcs

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValueAccessors(t *testing.T) {
	v, err := Parse([]byte(`{"s":"x","n":1.50,"a":[1,"y"],"o":{"k":null},"t":true}`))
	require.NoError(t, err)
	assert.Equal(t, KindObject, v.Kind())

	s, ok := v.Str("s")
	assert.True(t, ok)
	assert.Equal(t, "x", s)
	_, ok = v.Str("n") // not a string
	assert.False(t, ok)
	_, ok = v.Str("missing")
	assert.False(t, ok)

	n, ok := v.Get("n")
	require.True(t, ok)
	assert.Equal(t, KindNumber, n.Kind())
	assert.Equal(t, "1.5", n.Text())

	a, ok := v.Get("a")
	require.True(t, ok)
	assert.Equal(t, KindArray, a.Kind())
	require.Len(t, a.Elems(), 2)
	assert.Equal(t, "y", a.Elems()[1].Text())
	_, ok = a.Get("x") // not an object
	assert.False(t, ok)

	o, ok := v.Get("o")
	require.True(t, ok)
	k, ok := o.Get("k")
	require.True(t, ok)
	assert.Equal(t, KindNull, k.Kind())
	assert.Equal(t, "", k.Text())
	assert.Nil(t, k.Elems())

	var zero Value
	assert.Equal(t, "null", string(zero.Canonical()))
}

func TestValueWithWithout(t *testing.T) {
	v, err := Parse([]byte(`{"b":1,"c":2}`))
	require.NoError(t, err)
	w := v.With("a", String("\U0001F600")).With("\ufb33", Object()).With("b", String("replaced"))
	assert.Equal(t, "{\"a\":\"\U0001F600\",\"b\":\"replaced\",\"c\":2,\"\ufb33\":{}}", string(w.Canonical()))
	assert.Equal(t, `{"b":1,"c":2}`, string(v.Canonical()), "With must not modify its receiver")
	without := v.Without("b")
	assert.Equal(t, `{"c":2}`, string(without.Canonical()))
	without = v.Without("missing")
	assert.Equal(t, `{"b":1,"c":2}`, string(without.Canonical()))
	assert.Equal(t, `{"b":1,"c":2}`, string(v.Canonical()), "Without must not modify its receiver")

	buf := v.AppendTo([]byte("x="))
	assert.Equal(t, `x={"b":1,"c":2}`, string(buf))
	str := String("a\"\\\x01")
	assert.Equal(t, `"a\"\\\u0001"`, string(str.Canonical()))
}

func TestSyntaxError(t *testing.T) {
	_, err := Parse([]byte(`{"a":1,"a":2}`))
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 13, se.Offset)
	assert.Equal(t, `json: offset 13: duplicate member name "a"`, err.Error())
}

func TestFormatNumberNonFinite(t *testing.T) {
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		assert.Panics(t, func() { FormatNumber(f) })
	}
}

// TestValueTree checks that Tree gives what encoding/json with UseNumber
// decodes from the canonical form, for every kind.
func TestValueTree(t *testing.T) {
	for _, in := range []string{
		`{"s":"x\u00e9","n":1.50,"e":1E21,"neg":-0.0,"a":[1,"y",[],{}],"o":{"k":null,"t":true,"f":false}}`,
		`[]`, `null`, `true`, `"str"`, `12`, `{"\u20ac":{"":[null]}}`,
	} {
		v, err := Parse([]byte(in))
		require.NoError(t, err, in)
		dec := json.NewDecoder(bytes.NewReader(v.Canonical()))
		dec.UseNumber()
		var want any
		require.NoError(t, dec.Decode(&want), in)
		assert.Equal(t, want, v.Tree(), in)
	}

	v, err := Parse([]byte(`{"a":[1]}`))
	require.NoError(t, err)
	tree := v.Tree().(map[string]any)
	tree["a"].([]any)[0] = "changed"
	tree["b"] = true
	assert.Equal(t, `{"a":[1]}`, string(v.Canonical()), "the tree shares nothing with the value")
}
