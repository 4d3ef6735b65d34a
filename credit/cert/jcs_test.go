package cert

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The RFC 8785 vectors are tested in credit/internal/jcs; these tests
// check the public wrappers and their errors.

func TestCanonicalize(t *testing.T) {
	got, err := Canonicalize([]byte("{\"b\": [1E2, -0, 1e21], \"a\": \"\\u00e9<\\/>\", \"\U0001F600\": 1, \"\ufb33\": 2}"))
	require.NoError(t, err)
	assert.Equal(t, "{\"a\":\"\u00e9</>\",\"b\":[100,0,1e+21],\"\U0001F600\":1,\"\ufb33\":2}", string(got))
}

func TestCanonicalizeRejects(t *testing.T) {
	for _, in := range []string{"", `{"a":1,"a":2}`, "\"\xff\"", `"\ud800"`, `1e400`, `[1,]`, `{} {}`,
		strings.Repeat("[", 65) + strings.Repeat("]", 65)} {
		_, err := Canonicalize([]byte(in))
		require.Error(t, err, in)
		assert.ErrorIs(t, err, ErrMalformed, in)
		assert.Equal(t, "MALFORMED", Code(err), in)
	}
	_, err := Canonicalize([]byte(`{"a":1,"a":2}`))
	assert.EqualError(t, err, `cert: malformed input: json: offset 13: duplicate member name "a"`)
}

func TestCanonicalizeValue(t *testing.T) {
	got, err := CanonicalizeValue(struct {
		B []float64 `json:"b"`
		A string    `json:"a"`
	}{[]float64{1e21, 0.5}, "<&>"})
	require.NoError(t, err)
	assert.Equal(t, `{"a":"<&>","b":[1e+21,0.5]}`, string(got))

	_, err = CanonicalizeValue(math.NaN())
	assert.ErrorIs(t, err, ErrMalformed)
	assert.Equal(t, "MALFORMED", Code(err))
	assert.EqualError(t, err, "cert: malformed input: json: unsupported value: NaN")
}

// TestProofMalformedJSON checks that a parse error reaches the
// caller as a *VerifyError with reason ErrMalformed, as AddProof reports
// it wrapped in ErrMalformed.
func TestProofMalformedJSON(t *testing.T) {
	_, err := VerifyProof([]byte(`{"proof":1,"proof":2}`), VerifyOptions{})
	ve, ok := err.(*VerifyError)
	require.True(t, ok, "%T", err)
	assert.Equal(t, ErrMalformed, ve.Reason)
	assert.Equal(t, "MALFORMED", Code(err))

	_, err = AddProof([]byte(`{`), vectorKey(t), ProofOptions{})
	assert.ErrorIs(t, err, ErrMalformed)
	assert.Contains(t, err.Error(), "cert: malformed input: json: offset 1:")
}
