package jcs

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCanonicalizeVectors runs the RFC 8785 examples and the
// cyberphone/json-canonicalization input/output pairs in testdata/jcs.
func TestCanonicalizeVectors(t *testing.T) {
	inputs, err := filepath.Glob("testdata/jcs/*.out.json")
	require.NoError(t, err)
	require.NotEmpty(t, inputs)
	for _, out := range inputs {
		in := strings.TrimSuffix(out, ".out.json") + ".json"
		t.Run(filepath.Base(in), func(t *testing.T) {
			input, err := os.ReadFile(in)
			require.NoError(t, err)
			want, err := os.ReadFile(out)
			require.NoError(t, err)
			got, err := Canonicalize(input)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
		})
	}
}

// TestFormatNumberAppendixB checks the number serialisation samples of RFC
// 8785 Appendix B (IEEE-754 bit patterns and their ECMAScript form).
func TestFormatNumberAppendixB(t *testing.T) {
	tests := []struct{ bits, want string }{
		{"0000000000000000", "0"},
		{"8000000000000000", "0"}, // minus zero
		{"0000000000000001", "5e-324"},
		{"8000000000000001", "-5e-324"},
		{"7fefffffffffffff", "1.7976931348623157e+308"},
		{"ffefffffffffffff", "-1.7976931348623157e+308"},
		{"4340000000000000", "9007199254740992"},
		{"c340000000000000", "-9007199254740992"},
		{"4430000000000000", "295147905179352830000"},
		{"44b52d02c7e14af5", "9.999999999999997e+22"},
		{"44b52d02c7e14af6", "1e+23"},
		{"44b52d02c7e14af7", "1.0000000000000001e+23"},
		{"444b1ae4d6e2ef4e", "999999999999999700000"},
		{"444b1ae4d6e2ef4f", "999999999999999900000"},
		{"444b1ae4d6e2ef50", "1e+21"},
		{"3eb0c6f7a0b5ed8c", "9.999999999999997e-7"},
		{"3eb0c6f7a0b5ed8d", "0.000001"},
		{"41b3de4355555553", "333333333.3333332"},
		{"41b3de4355555554", "333333333.33333325"},
		{"41b3de4355555555", "333333333.3333333"},
		{"41b3de4355555556", "333333333.3333334"},
		{"41b3de4355555557", "333333333.33333343"},
		{"becbf647612f3696", "-0.0000033333333333333333"},
		{"43143ff3c1cb0959", "1424953923781206.2"}, // round to even
	}
	for _, tt := range tests {
		t.Run(tt.bits, func(t *testing.T) {
			u, err := strconv.ParseUint(tt.bits, 16, 64)
			require.NoError(t, err)
			f := math.Float64frombits(u)
			assert.Equal(t, tt.want, FormatNumber(f))
			// The same value written in JSON by Go must canonicalise alike.
			got, err := Canonicalize([]byte(strconv.FormatFloat(f, 'g', -1, 64)))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
}

func TestCanonicalizeNumbers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"-0", "0"},
		{"-0.0e-5", "0"},
		{"1e-400", "0"}, // underflows to zero, as in ECMAScript
		{"100", "100"},
		{"1E2", "100"},
		{"0.1", "0.1"},
		{"1e21", "1e+21"},
		{"1e20", "100000000000000000000"},
		{"1e-6", "0.000001"},
		{"1e-7", "1e-7"},
		{"1.5e-7", "1.5e-7"},
		{"123456789012345678901234567890", "1.2345678901234568e+29"},
		{"9007199254740993", "9007199254740992"}, // beyond 2^53: precision lost
		{"-12.50", "-12.5"},
		{"[1, 2.0 ,3e0]", "[1,2,3]"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Canonicalize([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
}

func TestCanonicalizeStrings(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"controls", `"\u0000\u0001\u001f\b\t\n\f\r"`, `"\u0000\u0001\u001f\b\t\n\f\r"`},
		{"upper hex to lower", `"\u001F\u00E9"`, "\"\\u001f\u00e9\""},
		{"solidus unescaped", `"\/"`, `"/"`},
		{"del and line separators literal", `"\u007f\u2028\u2029"`, "\"\x7f\u2028\u2029\""},
		{"non-BMP pair", `"\uD83D\uDE00"`, "\"\U0001F600\""},
		{"html not escaped", `"<&>"`, `"<&>"`},
		{"whitespace around", " \t\r\n\"x\" \n", `"x"`},
		{"literals", ` [ true , false , null ] `, `[true,false,null]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonicalize([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
}

func TestCanonicalizeSortUTF16(t *testing.T) {
	// U+FB33 (one UTF-16 unit 0xFB33) sorts after U+1F600 (units 0xD83D
	// 0xDE00) in UTF-16 order although it comes first in code point order.
	got, err := Canonicalize([]byte("{\"\ufb33\":1,\"\U0001F600\":2,\"a\":3,\"\":4,\"ab\":5}"))
	require.NoError(t, err)
	assert.Equal(t, "{\"\":4,\"a\":3,\"ab\":5,\"\U0001F600\":2,\"\ufb33\":1}", string(got))
}

func TestCanonicalizeRejects(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"only space", "  "},
		{"duplicate key", `{"a":1,"a":2}`},
		{"duplicate key via escape", `{"a":1,"\u0061":2}`},
		{"nested duplicate", `{"x":{"b":1,"b":1}}`},
		{"invalid UTF-8", "\"\xff\""},
		{"UTF-8 surrogate", "\"\xed\xa0\x80\""},
		{"overlong UTF-8", "\"\xc0\xaf\""},
		{"lone high surrogate", `"\ud800"`},
		{"lone high surrogate then char", `"\ud800x"`},
		{"high then high", `"\ud800\ud800"`},
		{"lone low surrogate", `"\udc00"`},
		{"raw control char", "\"a\x01\""},
		{"bad escape", `"\x"`},
		{"short unicode escape", `"\u12"`},
		{"bad hex", `"\u12g4"`},
		{"unterminated string", `"abc`},
		{"trailing comma", `[1,]`},
		{"trailing data", `{} {}`},
		{"leading zero", `01`},
		{"plus sign", `+1`},
		{"bare minus", `-`},
		{"dot without digits", `1.`},
		{"leading dot", `.5`},
		{"exponent without digits", `1e`},
		{"NaN", `NaN`},
		{"Infinity", `Infinity`},
		{"overflow", `1e400`},
		{"negative overflow", `-1.8e308`},
		{"single quotes", `'a'`},
		{"comment", `/**/1`},
		{"bad literal", `tru`},
		{"unquoted name", `{a:1}`},
		{"missing colon", `{"a" 1}`},
		{"too deep", strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Canonicalize([]byte(tt.in))
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Contains(t, err.Error(), "json: offset ")
		})
	}
}

func TestCanonicalizeDepthLimit(t *testing.T) {
	ok := strings.Repeat(`{"a":`, MaxDepth) + "1" + strings.Repeat("}", MaxDepth)
	_, err := Canonicalize([]byte(ok))
	require.NoError(t, err)
	// Far beyond the limit: an error, not a stack overflow.
	_, err = Canonicalize([]byte(strings.Repeat("[", 1<<20)))
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, MaxDepth, se.Offset)
}

func TestCanonicalizeValue(t *testing.T) {
	type subject struct {
		Name  string  `json:"name"`
		Score float64 `json:"score"`
	}
	got, err := CanonicalizeValue(map[string]any{
		"z": []any{subject{"<Acme & Co>", 0.5}},
		"a": 1e21,
	})
	require.NoError(t, err)
	assert.Equal(t, `{"a":1e+21,"z":[{"name":"<Acme & Co>","score":0.5}]}`, string(got))

	_, err = CanonicalizeValue(math.Inf(1))
	var ue *json.UnsupportedValueError
	assert.ErrorAs(t, err, &ue)
}
