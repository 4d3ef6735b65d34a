package credit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodeTree decodes one record under recordLimits, keeping every
// problem; see decodeJSON.
func decodeTree(data []byte) (any, Problems) {
	var ps problemList
	tree := decodeJSON(data, recordLimits, &ps)
	return tree, ps.all()
}

// validDocs are well-formed JSON documents within the limits; decodeTree
// must give the tree that encoding/json gives with UseNumber.
var validDocs = []string{
	`{}`, `[]`, `""`, `0`, `true`, `false`, `null`,
	`{"a":{}}`, `{"a":[]}`, `[[],{}]`, `[{}, [], "", 0]`,
	" \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" :\n{ } } \r\n\t ",
	"[\n\t1\n,\n\t2\r\n]", " 7 ", "\n\"x\"\n",
	`{"a":{"b":{"c":[1,2,null]}}}`, `[{"a":[{"b":null}]}]`,
	`[[[[1]]]]`, `{"a":[{"b":[]}]}`,
	`"plain text with spaces, punctuation: {}[],:"`,
	`"esc \" \\ \/ \b \f \n \r \t end"`,
	`"\u0000\u001f\u0020\u007f\u0080\u00e9\u4e2d\uFFFF"`,
	`"\uD83D\uDE00 \ud83d\ude00 \uDBFF\uDFFF \uD800\uDC00"`,
	`"raw unicode: 中文 é 😀 ∑"`, "\"DEL \x7f\"", `"\u00e9 then é"`,
	`"no escape"`, `"escape at start: \" then text"`, `"text then escape at end\""`,
	`0`, `-0`, `1`, `-1`, `10`, `12345678901234567890`, `0.0`, `-0.5`, `1.25`,
	`1e5`, `1E5`, `1e+5`, `1e-5`, `1E-05`, `-0e0`, `0.5e-0`, `123.456e+78`,
	`123456789012345678901234`, `-12345678901234567890123`,
	`[0,-0,1,-1,0.5,-0.5,1e1,1E+1,1e-1]`,
	`[true,false,null]`, `{"t":true,"f":false,"n":null}`,
	`{"a\"b":1,"\u0041":2,"":3,"a/b":4,"c~d":5,"\ud83d\ude00":6}`,
	`{"record":{"payments":[{"amount":"1.00","date":"2026-01-01"},{"amount":"2.00"}]}}`,
}

// loneSurrogateDocs are well-formed JSON with \u escapes of lone UTF-16
// surrogates, which encode no character: decodeJSON reports each as
// INVALID_UTF8 at its string and decodes it, as encoding/json does, as
// U+FFFD.
var loneSurrogateDocs = map[string][]string{
	`"lone high \ud800 lone low \udc00 end"`:        {"\\ud800 at byte 11", "\\udc00 at byte 27"},
	`"high then plain \ud800\u0041"`:                {"\\ud800 at byte 17"},
	`"high then high then pair \ud800\ud83d\ude00"`: {"\\ud800 at byte 26"},
	`"high at end \ud800"`:                          {"\\ud800 at byte 13"},
	`"low then high \udc00\ud800"`:                  {"\\udc00 at byte 15", "\\ud800 at byte 21"},
	`"high then escape \ud800\n"`:                   {"\\ud800 at byte 18"},
	`"high then escaped backslash \ud800\\udc00"`:   {"\\ud800 at byte 29"},
	`{"a":["x","\udbff"]}`:                          {"\\udbff at byte 11"},
	`{"k\udc00":1}`:                                 {"\\udc00 at byte 3"},
}

// malformedDocs are not JSON; each must give exactly one MALFORMED_JSON
// problem and no tree.
var malformedDocs = []string{
	``, ` `, "\n\t ", `{`, `[`, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,`, `[1,`, `[1`,
	`"abc`, `"abc\`, `"\u12`, `"\ud800\u12"`, `"\ud800\u`, `tru`, `nul`, `f`, `-`, `1.`, `1e`, `1e+`, `-0.`,
	`{,}`, `{"a":1,}`, `[1,]`, `[,]`, `[,1]`, `[1 2]`, `[1,,2]`, `{"a" 1}`, `{"a":1 "b":2}`,
	`{"a":1,,"b":2}`, `{"a"::1}`, `{"a":}`, `{:1}`, `{a:1}`, `{'a':1}`, `['a']`, `{1:2}`,
	`{"a":1]`, `[1}`, `[1]]`, `{"a":1}}`, `]`, `}`, `:`, `,`, `[1:2]`,
	`01`, `-01`, `00`, `[01]`, `+1`, `[+1]`, `.5`, `[.5]`, `-.5`, `1.e5`, `1.5e`, `1e5.0`,
	`[0e]`, `[-]`, `[1.5e+]`, `0x10`, `1_000`, `--1`, `-a`, `1.a`,
	`NaN`, `[NaN]`, `Infinity`, `-Infinity`, `True`, `FALSE`, `Null`, `nulll`, `truex`, `[tru]`, `nil`,
	`// c` + "\n{}", `/* c */{}`, `{} // c`, `{}{}`, `{} x`, `{} {}`, `1 2`, `"a" "b"`, `[] ]`,
	"\"a\tb\"", "\"a\nb\"", "\"a\x00b\"", "\"a\x1fb\"", "\"\r\"",
	`"\x"`, `"\U0041"`, `"\u00G0"`, `"\u 123"`, `"\'"`, `"\a"`, `"\0"`,
	"\ufeff{}", "\u00a0{}", "\f{}", "\v{}", "{}\f", "[1,\u00a0 2]", `{"a":1}` + "\x00",
	`"unterminated`, `{"a":"b`, `{"a":"b",`, `{"a":[1,2`, `{"a":{"b":`,
}

// trickyDocs mix both; decodeTree must agree with json.Valid on each.
var trickyDocs = []string{
	`""`, `" "`, `"\""`, `"\\"`, `"\\\""`, `"\/"`, `"/"`, `"\u0022"`, `[""]`, `[" "]`,
	`{"":""}`, `{"" : ""}`, ` [ ] `, `[ [ ] ]`, `{ }`, `{ "a" : 1 }`, `-0.0e-0`, `0e0`, `0E+0`,
	`1e`, `1E`, `0.`, `.0`, `-`, `- 1`, `1 `, ` 1`, `[1 ]`, `[ 1]`, `1.0e+00`,
	"[\"\u2028\u2029\"]", `["\u2028"]`, `"\uDFFF\uD800"`, `["\ud800"]`,
	`{"a":1,"a":2}`, `{"a":true,"b":false,"c":null}`, `[true ,false, null]`,
	`{"a":[{"b":[1]}]}`, `"é"`, "\"\x7f\"", "\"\x1f\"",
}

func stdDecode(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v), "encoding/json rejects %q", data)
	return v
}

func codesOf(ps Problems) []string {
	var codes []string
	for _, p := range ps {
		codes = append(codes, p.Code)
	}
	return codes
}

func TestDecodeTreeMatchesEncodingJSON(t *testing.T) {
	for _, doc := range validDocs {
		t.Run(doc, func(t *testing.T) {
			data := []byte(doc)
			require.True(t, json.Valid(data))
			tree, ps := decodeTree(data)
			require.Empty(t, ps)
			assert.Equal(t, stdDecode(t, data), tree)
		})
	}
}

func TestDecodeTreeLoneSurrogates(t *testing.T) {
	for doc, want := range loneSurrogateDocs {
		data := []byte(doc)
		tree, ps := decodeTree(data)
		assert.Equal(t, stdDecode(t, data), tree, doc)
		require.Len(t, ps, len(want), "%s: %v", doc, ps)
		for i, p := range ps {
			assert.Equal(t, CodeInvalidUTF8, p.Code)
			assert.True(t, isLoneSurrogate(p), p.Message)
			assert.True(t, strings.HasPrefix(p.Message, want[i]), "%s: %s", doc, p.Message)
		}
	}
	_, ps := decodeTree([]byte(`{"a":["x","\udbff"],"k\udc00":1}`))
	assert.Equal(t, []string{"/a/1", ""}, []string{ps[0].Path, ps[1].Path})
}

// isLoneSurrogate reports a problem about a lone surrogate escape.
func isLoneSurrogate(p Problem) bool {
	return p.Code == CodeInvalidUTF8 && strings.Contains(p.Message, "lone UTF-16 surrogate")
}

// withoutLoneSurrogates drops the problems of lone surrogates.
func withoutLoneSurrogates(ps Problems) Problems {
	var out Problems
	for _, p := range ps {
		if !isLoneSurrogate(p) {
			out = append(out, p)
		}
	}
	return out
}

func TestDecodeTreeSampleRecords(t *testing.T) {
	for _, line := range sampleLines(t) {
		tree, ps := decodeTree(line)
		require.Empty(t, ps)
		assert.Equal(t, stdDecode(t, line), tree)
	}
}

func TestDecodeTreeRejectsMalformed(t *testing.T) {
	for _, doc := range malformedDocs {
		t.Run(doc, func(t *testing.T) {
			data := []byte(doc)
			require.False(t, json.Valid(data), "the table holds a valid document")
			tree, ps := decodeTree(data)
			assert.Nil(t, tree)
			ps = withoutLoneSurrogates(ps)
			require.Len(t, ps, 1, "%v", ps)
			assert.Equal(t, CodeMalformedJSON, ps[0].Code)
			assert.Equal(t, SeverityError, ps[0].Severity)
			assert.Equal(t, "", ps[0].Path)
			assert.True(t, strings.HasPrefix(ps[0].Message, "malformed JSON"), ps[0].Message)
		})
	}
}

func TestDecodeTreeAgreesWithValid(t *testing.T) {
	docs := append(append(append([]string{}, validDocs...), malformedDocs...), trickyDocs...)
	for _, doc := range docs {
		data := []byte(doc)
		tree, ps := decodeTree(data)
		malformed := slices.Contains(codesOf(ps), CodeMalformedJSON)
		assert.Equal(t, json.Valid(data), !malformed, "%q: %v", doc, ps)
		assert.Equal(t, malformed, tree == nil && strings.TrimSpace(doc) != "null", "%q: %v", doc, ps)
		if tree != nil {
			assert.Equal(t, stdDecode(t, data), tree, "%q", doc)
		}
	}
}

func TestDecodeTreeMalformedMessages(t *testing.T) {
	for _, c := range []struct{ doc, msg string }{
		{`{"a":1`, "malformed JSON: the record ends early, after 6 bytes"},
		{``, "malformed JSON: the record ends early, after 0 bytes"},
		{`"abc\u12`, "malformed JSON: the record ends early, after 8 bytes"},
		{`[1,]`, "malformed JSON at byte 3: invalid character ']' looking for beginning of value"},
		{`{"a":1,}`, "malformed JSON at byte 7: invalid character '}' looking for beginning of object key string"},
		{`{"a" 1}`, "malformed JSON at byte 5: invalid character '1' after object key"},
		{`{"a":1 "b":2}`, "malformed JSON at byte 7: invalid character '\"' after object key:value pair"},
		{`[1 2]`, "malformed JSON at byte 3: invalid character '2' after array element"},
		{`[01]`, "malformed JSON at byte 2: invalid character '1' after array element"},
		{`[-a]`, "malformed JSON at byte 2: invalid character 'a' in numeric literal"},
		{`[trux]`, "malformed JSON at byte 4: invalid character 'x' in literal true (expecting 'e')"},
		{"\"a\tb\"", `malformed JSON at byte 2: invalid character '\t' in string literal`},
		{`"\x"`, `malformed JSON at byte 2: invalid character 'x' in string escape code`},
		{`"\u00G0"`, `malformed JSON at byte 5: invalid character 'G' in \u hexadecimal character escape`},
		{"\u00a0{}", `malformed JSON at byte 0: invalid character '\u00a0' looking for beginning of value`},
		{"name,amount\nx,1", `malformed JSON at byte 1: invalid character 'a' in literal null (expecting 'u'); a record is a JSON object; the input must be JSON, a JSON array of records or NDJSON (one record per line), not CSV or other text`},
		{"id;amount\nx;1", `malformed JSON at byte 0: invalid character 'i' looking for beginning of value; ` + recordLimits.startHint},
		{`{} x`, "malformed JSON at byte 3: unexpected data after the record"},
		{`'a'`, `malformed JSON at byte 0: invalid character '\'' looking for beginning of value`},
		{`{"a":'a'}`, `malformed JSON at byte 5: invalid character '\'' looking for beginning of value`},
	} {
		_, ps := decodeTree([]byte(c.doc))
		require.Len(t, ps, 1, c.doc)
		want := c.msg
		if first := strings.TrimLeft(c.doc, " \t\r\n"); first != "" && first[0] != '{' && first[0] != '[' &&
			!strings.Contains(want, "ends early") && !strings.Contains(want, "; ") {
			// A document that is not an object or array at all is
			// likely not JSON: the message says what is expected.
			want += "; " + recordLimits.startHint
		}
		assert.Equal(t, want, ps[0].Message, c.doc)
	}
}

func TestDecodeTreeLimits(t *testing.T) {
	type want struct{ path, code, msg string }
	for _, c := range []struct {
		name, doc string
		tree      bool // whether a tree is returned
		want      []want
	}{
		{"depth 4 is allowed", `{"a":{"b":{"c":[1]}}}`, true, nil},
		{"array too deep", `[[[[[1]]]]]`, false, []want{{"/0/0/0/0", CodeTooDeep, "nesting deeper than 4 levels; the record standard needs no more"}}},
		{"object too deep", `{"a":{"b":{"c":{"d":{"e":1}}}}}`, false, []want{{"/a/b/c/d", CodeTooDeep, ""}}},
		{"empty container too deep", `{"a":[1,{"b":{"c":[]}}]}`, false, []want{{"/a/1/b/c", CodeTooDeep, ""}}},
		{"too deep stops before later syntax errors", `[[[[[[[[ oops`, false, []want{{"/0/0/0/0", CodeTooDeep, ""}}},
		{"syntax error before the deep part", `[[[x[[[[`, false, []want{{"", CodeMalformedJSON, ""}}},
		{"deep under an escaped key", `{"a/b":{"c~d":{"e":{"f":{}}}}}`, false, []want{{"/a~1b/c~0d/e/f", CodeTooDeep, ""}}},
		{"duplicate key", `{"a":1,"a":2}`, true, []want{{"/a", CodeDuplicateKey, `key "a" appears more than once in the same object`}}},
		{"duplicate key in an array item", `{"payments":[{"amount":"1"},{"amount":"1","date":"x","amount":"2"}]}`, true,
			[]want{{"/payments/1/amount", CodeDuplicateKey, ""}}},
		{"duplicate key by escape", `{"a":1,"\u0061":2}`, true, []want{{"/a", CodeDuplicateKey, ""}}},
		{"duplicate escaped key", `{"a/b":{"c~d":1,"c~d":2}}`, true, []want{{"/a~1b/c~0d", CodeDuplicateKey, `key "c~d" appears more than once in the same object`}}},
		{"duplicate empty key", `{"":1,"":2}`, true, []want{{"/", CodeDuplicateKey, ""}}},
		{"key thrice, reported once", `{"a":1,"a":2,"a":3}`, true, []want{{"/a", CodeDuplicateKey, ""}}},
		{"two keys twice", `{"a":1,"b":1,"a":2,"b":2,"a":3}`, true, []want{{"/a", CodeDuplicateKey, ""}, {"/b", CodeDuplicateKey, ""}}},
		{"duplicates then malformed", `{"a":1,"a":2,`, false, []want{{"/a", CodeDuplicateKey, ""}, {"", CodeMalformedJSON, ""}}},
		{"long number", `{"x":[1,1234567890123456789012345]}`, true,
			[]want{{"/x/1", CodeNumberTooLong, "number has 25 characters; at most 24 are accepted"}}},
		{"long number at the top", `-0.00000000000000000000001`, true, []want{{"", CodeNumberTooLong, ""}}},
		{"long exponent", `{"e":{"k/":1e0000000000000000000000000}}`, true, []want{{"/e/k~1", CodeNumberTooLong, ""}}},
		{"long number then too deep", `[1e+00000000000000000000000,[[[[]]]]]`, false,
			[]want{{"/0", CodeNumberTooLong, ""}, {"/1/0/0/0", CodeTooDeep, ""}}},
		{"invalid UTF-8", "{\"a\":\"\xff\"}", false, []want{{"", CodeInvalidUTF8, "invalid UTF-8 at byte 6"}}},
		{"invalid UTF-8 wins over syntax", "[,\"\xc3\"", false, []want{{"", CodeInvalidUTF8, "invalid UTF-8 at byte 3"}}},
		{"UTF-8 surrogate", "\"\xed\xa0\x80\"", false, []want{{"", CodeInvalidUTF8, "invalid UTF-8 at byte 1"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tree, ps := decodeTree([]byte(c.doc))
			assert.Equal(t, c.tree, tree != nil)
			require.Len(t, ps, len(c.want), "%v", ps)
			for i, w := range c.want {
				assert.Equal(t, w.path, ps[i].Path)
				assert.Equal(t, w.code, ps[i].Code)
				assert.Equal(t, SeverityError, ps[i].Severity)
				if w.msg != "" {
					assert.Equal(t, w.msg, ps[i].Message)
				}
			}
		})
	}
}

func TestDecodeTreeLastDuplicateWins(t *testing.T) {
	tree, _ := decodeTree([]byte(`{"payments":[{"amount":"1"},{"amount":"1","amount":"2"}],"n":1234567890123456789012345}`))
	assert.Equal(t, map[string]any{
		"payments": []any{map[string]any{"amount": "1"}, map[string]any{"amount": "2"}},
		"n":        json.Number("0"),
	}, tree)
}

// TestDecodeTreeLargeObjects crosses the size at which an object switches
// from a linear duplicate search to a map.
func TestDecodeTreeLargeObjects(t *testing.T) {
	for _, n := range []int{1, smallObject - 1, smallObject, smallObject + 1, smallObject + 2, 3 * smallObject} {
		for _, dupAt := range []int{-1, 0, n / 2, n - 1} {
			var b strings.Builder
			b.WriteString(`{"nested":{"x":[{"k0":0,"k0":1}]}`)
			for i := range n {
				fmt.Fprintf(&b, `,"k%d":%d`, i, i)
			}
			if dupAt >= 0 {
				fmt.Fprintf(&b, `,"k%d":"again"`, dupAt)
			}
			b.WriteString("}")
			data := []byte(b.String())
			tree, ps := decodeTree(data)
			want := []Problem{{Path: "/nested/x/0/k0", Code: CodeDuplicateKey, Severity: SeverityError,
				Message: `key "k0" appears more than once in the same object`}}
			if dupAt >= 0 {
				want = append(want, Problem{Path: "/k" + strconv.Itoa(dupAt), Code: CodeDuplicateKey, Severity: SeverityError,
					Message: fmt.Sprintf("key %q appears more than once in the same object", "k"+strconv.Itoa(dupAt))})
			}
			assert.Equal(t, Problems(want), ps, "n=%d dupAt=%d", n, dupAt)
			assert.Equal(t, stdDecode(t, data), tree, "n=%d dupAt=%d", n, dupAt)
		}
	}
}

func TestDecodeTreeRecordTooLarge(t *testing.T) {
	data := []byte(`"` + strings.Repeat("x", MaxRecordBytes-2) + `"`)
	tree, ps := decodeTree(data)
	assert.Empty(t, ps)
	assert.NotNil(t, tree)
	tree, ps = decodeTree(append(data, ' '))
	assert.Nil(t, tree)
	require.Len(t, ps, 1)
	assert.Equal(t, CodeRecordTooLarge, ps[0].Code)
}

// TestDecodeTreeMatchesLegacy compares the decoder with the json.Decoder
// based one it replaced: same trees, same problems, except for the
// wording of MALFORMED_JSON messages.
func TestDecodeTreeMatchesLegacy(t *testing.T) {
	for _, in := range decodeSeeds(t) {
		checkAgainstLegacy(t, in)
	}
}

func checkAgainstLegacy(t *testing.T, data []byte) {
	t.Helper()
	tree, ps := decodeTree(data)
	oldTree, oldPs := legacyDecodeTree(data)
	assert.Equal(t, oldTree, tree, "%q", data)
	// Changes since: lone surrogates are reported, and a key repeated
	// more than twice is reported once.
	assert.Equal(t, withoutMalformedMessages(onePerDuplicateKey(oldPs)), withoutMalformedMessages(withoutLoneSurrogates(ps)), "%q", data)
}

// onePerDuplicateKey keeps the first DUPLICATE_KEY problem of each path.
func onePerDuplicateKey(ps Problems) Problems {
	seen := map[string]bool{}
	var out Problems
	for _, p := range ps {
		if p.Code == CodeDuplicateKey {
			if seen[p.Path] {
				continue
			}
			seen[p.Path] = true
		}
		out = append(out, p)
	}
	return out
}

func withoutMalformedMessages(ps Problems) Problems {
	out := make(Problems, len(ps))
	for i, p := range ps {
		if p.Code == CodeMalformedJSON {
			p.Message = ""
		}
		out[i] = p
	}
	return out
}

func sampleLines(t testing.TB) [][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "records", "*.ndjson"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var lines [][]byte
	for _, name := range files {
		fh, err := os.Open(name)
		require.NoError(t, err)
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, MaxRecordBytes+1)
		for sc.Scan() {
			if len(bytes.TrimSpace(sc.Bytes())) > 0 {
				lines = append(lines, bytes.Clone(sc.Bytes()))
			}
		}
		require.NoError(t, sc.Err())
		fh.Close()
	}
	return lines
}

func decodeSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	for _, table := range [][]string{validDocs, malformedDocs, trickyDocs} {
		for _, doc := range table {
			seeds = append(seeds, []byte(doc))
		}
	}
	for doc := range loneSurrogateDocs {
		seeds = append(seeds, []byte(doc))
	}
	for _, doc := range []string{
		`[[[[[1]]]]]`, `{"a":{"b":{"c":{"d":{"e":1}}}}}`, `{"a":1,"a":2}`, `{"a/b":{"c~d":1,"c~d":2}}`,
		`{"payments":[{"amount":"1"},{"amount":"1","amount":"2"}]}`, `{"x":[1,1234567890123456789012345]}`,
		"{\"a\":\"\xff\"}", `[1e+00000000000000000000000,[[[[]]]]]`, `{"a":1,"a":2,`,
	} {
		seeds = append(seeds, []byte(doc))
	}
	seeds = append(seeds, sampleLines(t)...)
	invalid, _ := filepath.Glob(filepath.Join("..", "testdata", "invalid", "*.json"))
	for _, name := range invalid {
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		seeds = append(seeds, bytes.TrimSuffix(b, []byte("\n")))
	}
	return seeds
}

// FuzzDecodeTree checks that decodeTree never panics, never accepts a
// document that encoding/json rejects, never rejects as malformed one that
// it accepts, gives encoding/json's tree when it reports no limit, and
// behaves as the json.Decoder based decoder it replaced.
func FuzzDecodeTree(f *testing.F) {
	for _, s := range decodeSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, ps := decodeTree(data)
		valid := json.Valid(data)
		if !valid && tree != nil {
			t.Fatalf("accepted malformed %q", data)
		}
		codes := codesOf(ps)
		malformed := 0
		for _, c := range codes {
			if c == CodeMalformedJSON {
				malformed++
			}
		}
		if malformed > 1 || (malformed == 1 && codes[len(codes)-1] != CodeMalformedJSON) {
			t.Fatalf("MALFORMED_JSON must be the one last problem: %v", ps)
		}
		if valid && malformed > 0 {
			t.Fatalf("rejected valid %q: %v", data, ps)
		}
		stopped := malformed > 0 || slices.Contains(codes, CodeTooDeep) ||
			slices.Contains(codesOf(withoutLoneSurrogates(ps)), CodeInvalidUTF8) ||
			slices.Contains(codes, CodeRecordTooLarge)
		if stopped && tree != nil {
			t.Fatalf("tree %v with problems %v", tree, ps)
		}
		if !stopped && !valid {
			t.Fatalf("no stopping problem for malformed %q: %v", data, ps)
		}
		// A valid document gives encoding/json's tree (nil for null).
		if !stopped && !slices.Contains(codes, CodeDuplicateKey) && !slices.Contains(codes, CodeNumberTooLong) {
			// Lone surrogates are U+FFFD in the tree, as in encoding/json's.
			require.Equal(t, stdDecode(t, data), tree)
		}
		checkAgainstLegacy(t, data)
	})
}

// legacyDecodeTree is the json.Decoder based decoder that decodeTree
// replaced, kept as the reference for the behaviour to keep.
func legacyDecodeTree(data []byte) (any, Problems) {
	if len(data) > MaxRecordBytes {
		return nil, Problems{{Code: CodeRecordTooLarge, Severity: SeverityError,
			Message: fmt.Sprintf("record is %d bytes; at most %d are accepted", len(data), MaxRecordBytes)}}
	}
	if !utf8.Valid(data) {
		return nil, Problems{{Code: CodeInvalidUTF8, Severity: SeverityError,
			Message: fmt.Sprintf("invalid UTF-8 at byte %d", invalidUTF8Offset(data))}}
	}
	d := legacyDecoder{dec: json.NewDecoder(bytes.NewReader(data))}
	d.dec.UseNumber()
	v, err := d.value("", 0)
	if err == nil {
		if _, err2 := d.dec.Token(); err2 != io.EOF {
			err = fmt.Errorf("unexpected data after the record at byte %d", d.dec.InputOffset())
		}
	}
	if err != nil {
		var lim *legacyLimit
		if errors.As(err, &lim) {
			return nil, append(d.problems, lim.problem)
		}
		return nil, append(d.problems, Problem{Code: CodeMalformedJSON, Severity: SeverityError, Message: "malformed JSON: " + err.Error()})
	}
	return v, d.problems
}

type legacyDecoder struct {
	dec      *json.Decoder
	problems Problems
}

type legacyLimit struct{ problem Problem }

func (e *legacyLimit) Error() string { return e.problem.Message }

func (d *legacyDecoder) value(path string, depth int) (any, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if depth >= maxDepth {
			return nil, &legacyLimit{Problem{Path: path, Code: CodeTooDeep, Severity: SeverityError,
				Message: fmt.Sprintf("nesting deeper than %d levels; the record standard needs no more", maxDepth)}}
		}
		if t == '{' {
			return d.object(path, depth+1)
		}
		return d.array(path, depth+1)
	case json.Number:
		if len(t) > maxNumberLen {
			d.problems = append(d.problems, Problem{Path: path, Code: CodeNumberTooLong, Severity: SeverityError,
				Message: fmt.Sprintf("number has %d characters; at most %d are accepted", len(t), maxNumberLen)})
			return json.Number("0"), nil
		}
		// The exponent limit was added with the new decoder.
		if e := strings.IndexAny(string(t), "eE"); e >= 0 {
			if digits := len(strings.TrimLeft(string(t[e+1:]), "+-")); digits > maxExponentDigits {
				d.problems = append(d.problems, Problem{Path: path, Code: CodeNumberTooLong, Severity: SeverityError,
					Message: fmt.Sprintf("number has an exponent of %d digits; at most %d are accepted", digits, maxExponentDigits)})
				return json.Number("0"), nil
			}
		}
		return t, nil
	default:
		return t, nil
	}
}

func (d *legacyDecoder) object(path string, depth int) (any, error) {
	m := make(map[string]any)
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("key is not a string")
		}
		p := pointer(path, key)
		if _, dup := m[key]; dup {
			d.problems = append(d.problems, Problem{Path: p, Code: CodeDuplicateKey, Severity: SeverityError,
				Message: fmt.Sprintf("key %q appears more than once in the same object", key)})
		}
		v, err := d.value(p, depth)
		if err != nil {
			return nil, err
		}
		m[key] = v
	}
	_, err := d.dec.Token() // '}'
	return m, err
}

func (d *legacyDecoder) array(path string, depth int) (any, error) {
	a := make([]any, 0, 4)
	for i := 0; d.dec.More(); i++ {
		v, err := d.value(pointer(path, strconv.Itoa(i)), depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
	_, err := d.dec.Token() // ']'
	return a, err
}

// all returns the problems in the order added; only for a list without a
// limit.
func (l *problemList) all() Problems { return l.ps }
