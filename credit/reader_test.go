package credit

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readAll returns each record's data (or its problem code) in order.
func readAll(t *testing.T, r io.Reader) []string {
	t.Helper()
	rd := NewReader(r)
	var out []string
	for {
		raw, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		require.Equal(t, len(out)+1, raw.Index)
		if raw.Problem != nil {
			out = append(out, "!"+raw.Problem.Code)
		} else {
			out = append(out, string(raw.Data))
		}
	}
}

func TestReaderShapes(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"only space", " \n\t\n", nil},
		{"one compact record", `{"a":1}`, []string{`{"a":1}`}},
		{"pretty record", "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": \"x}\"\n  }\n}\n", []string{"{\n  \"a\": 1,\n  \"b\": {\n    \"c\": \"x}\"\n  }\n}"}},
		{"two pretty records", "{\n \"a\": 1\n}\n{\n \"b\": 2\n}\n", []string{"{\n \"a\": 1\n}", "{\n \"b\": 2\n}"}},
		{"ndjson", "{\"a\":1}\n\n{\"b\":\"\\\"}\"}\r\n{\"c\":3}", []string{`{"a":1}`, `{"b":"\"}"}`, `{"c":3}`}},
		{"ndjson with a malformed line", "{\"a\":1}\n{\"b\":\n{\"c\":3}\n", []string{`{"a":1}`, `{"b":`, `{"c":3}`}},
		{"ndjson with a broken string", "{\"a\":1}\n{\"b\":\"x\n{\"c\":3}\n", []string{`{"a":1}`, `{"b":"x`, `{"c":3}`}},
		{"first line malformed, brace at column 0 recovers", "{\"a\":\n{\"b\":2}\n{\"c\":3}\n", []string{"{\"a\":\n", `{"b":2}`, `{"c":3}`}},
		{"array", ` [ {"a":1} , {"b":[1,2]},{"c":"]"} ] `, []string{`{"a":1}`, `{"b":[1,2]}`, `{"c":"]"}`}},
		{"empty array", `[]`, nil},
		{"array of scalars", `[1, "x", null]`, []string{`1`, `"x"`, `null`}},
		{"array not closed", `[{"a":1},{"b":2}`, []string{`{"a":1}`, `{"b":2}`, "!" + CodeMalformedJSON}},
		{"array missing comma", `[{"a":1} {"b":2}]`, []string{`{"a":1}`, "!" + CodeMalformedJSON}},
		{"two arrays", `[{"a":1}] [{"b":2},{"c":3}]`, []string{`{"a":1}`, `{"b":2}`, `{"c":3}`}},
		{"empty array then ndjson", "[]\n{\"a\":1}\n{\"b\":2}\n", []string{`{"a":1}`, `{"b":2}`}},
		{"garbage after array", `[{"a":1}] x`, []string{`{"a":1}`, `x`}},
		{"array after ndjson", "{\"a\":1}\n[{\"b\":2},{\"c\":3}]\n{\"d\":4}\n", []string{`{"a":1}`, `{"b":2}`, `{"c":3}`, `{"d":4}`}},
		{"multi-line array after ndjson", "{\"a\":1}\n[\n {\"b\":2},\n {\"c\":3}\n]\n", []string{`{"a":1}`, `{"b":2}`, `{"c":3}`}},
		{"array after pretty record", "{\n \"a\": 1\n}\n[{\"b\":2}]", []string{"{\n \"a\": 1\n}", `{"b":2}`}},
		{"unclosed array line among ndjson", "{\"a\":1}\n[{\"b\":2}\n{\"c\":3}\n{\"d\":4}\n", []string{`{"a":1}`, `{"b":2}`, "!" + CodeMalformedJSON, `{"c":3}`, `{"d":4}`}},
		{"broken array line among ndjson", "{\"a\":1}\n[{\"b\":2} x\n{\"c\":3}\n", []string{`{"a":1}`, `{"b":2}`, "!" + CodeMalformedJSON, `{"c":3}`}},
		{"byte order mark", "\xEF\xBB\xBF{\"a\":1}\n", []string{`{"a":1}`}},
		{"scalar ndjson", "1\n2\n", []string{"1", "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, readAll(t, strings.NewReader(tt.in)))
			// Byte-at-a-time reads must cut the same records.
			assert.Equal(t, tt.want, readAll(t, iotest.OneByteReader(strings.NewReader(tt.in))))
		})
	}
}

func TestReaderRecordTooLarge(t *testing.T) {
	big := `{"a":"` + strings.Repeat("x", MaxRecordBytes) + `"}`
	for name, in := range map[string]string{
		"ndjson": `{"a":1}` + "\n" + big + "\n" + `{"c":3}` + "\n",
		"array":  `[{"a":1},` + big + `,{"c":3}]`,
		"pretty": "{\n \"a\": 1\n}\n" + strings.Replace(big, "{", "{\n", 1) + "\n{\n \"c\": 3\n}\n",
	} {
		t.Run(name, func(t *testing.T) {
			got := readAll(t, strings.NewReader(in))
			require.Len(t, got, 3)
			assert.Equal(t, "!"+CodeRecordTooLarge, got[1])
			assert.Contains(t, got[2], `"c"`)
		})
	}
}

func TestReaderReadError(t *testing.T) {
	rd := NewReader(iotest.ErrReader(errors.New("disk on fire")))
	_, err := rd.Next()
	require.Error(t, err)
	assert.NotErrorIs(t, err, io.EOF)
}

// TestReaderManyEmptyArrays guards against recursion per array: millions
// of [] must not exhaust the stack.
func TestReaderManyEmptyArrays(t *testing.T) {
	in := strings.Repeat("[]", 2_000_000) + `[{"a":1}]`
	assert.Equal(t, []string{`{"a":1}`}, readAll(t, strings.NewReader(in)))
}

// TestReaderManyArrayLines reads NDJSON whose every line is an array, the
// shape change repeated a hundred thousand times.
func TestReaderManyArrayLines(t *testing.T) {
	in := strings.Repeat(`[{"a":1}]`+"\n", 100_000)
	got := readAll(t, strings.NewReader(in))
	assert.Len(t, got, 100_000)
}

// TestReaderLongFirstLine: whether the input is NDJSON must not depend on
// the first line fitting the read buffer.
func TestReaderLongFirstLine(t *testing.T) {
	long := `{"a":"` + strings.Repeat("x", 100<<10) + `"}`
	got := readAll(t, strings.NewReader(long+"\n{\"b\":1}}\n{\"c\":2}\n"))
	require.Len(t, got, 3, "a malformed line is one record, as in any NDJSON")
	assert.Equal(t, `{"b":1}}`, got[1])
	assert.Equal(t, `{"c":2}`, got[2])
}

// TestReaderLineEnds checks that LF, CRLF and lone CR line ends all end
// NDJSON lines: a file with CR line ends was read as one record.
func TestReaderLineEnds(t *testing.T) {
	for _, nl := range []string{"\n", "\r\n", "\r", "\n\r"} {
		in := `{"a":1}` + nl + `{"b":2}` + nl + nl + `{"c":` + nl + `3}` + nl
		rd := NewReader(strings.NewReader(in))
		var got []string
		for raw, err := range rd.All() {
			require.NoError(t, err)
			got = append(got, string(raw.Data))
		}
		assert.Equal(t, []string{`{"a":1}`, `{"b":2}`, `{"c":`, `3}`}, got, "%q", nl)
	}
	// A pretty-printed record with CR line ends is one record.
	rd := NewReader(strings.NewReader("{\r  \"a\": 1,\r  \"b\": [\r    2\r  ]\r}\r"))
	raw, err := rd.Next()
	require.NoError(t, err)
	assert.Equal(t, "{\n  \"a\": 1,\n  \"b\": [\n    2\n  ]\n}", string(raw.Data))
	_, err = rd.Next()
	assert.ErrorIs(t, err, io.EOF)
}
