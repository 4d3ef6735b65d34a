package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/creditsco/creditsco/credit/ident"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// knownSchemes ends the message about an unknown scheme.
var knownSchemes = "; known schemes: " + strings.Join(ident.Schemes(), ", ")

func TestCheckIdentifiers(t *testing.T) {
	in := strings.Join([]string{
		"KZ-BIN\t9401 4000 0385",
		"CN-USCC\t91350100M000100Y4Z",
		"LEI\t5493001KJTIIGC8Y1R12\r",
		"XX-NOPE\t123",
		"no tab here",
		"RU-INN\t12345",
		"IN-GSTIN\t39AAPFU0939F1ZQ",
		"IN-PAN\tAAPF",
		"IN-CIN\tL17110MH1973PLC01978X",
		"",
	}, "\n") + "\n"
	var out strings.Builder
	anyInvalid, err := checkIdentifiers(strings.NewReader(in), &out)
	require.NoError(t, err)
	assert.True(t, anyInvalid)
	assert.Equal(t, []string{
		"ok\tKZ-BIN\t940140000385",
		"invalid\tCN-USCC\tCHECKSUM\tident: CN-USCC: checksum: expected check character 3",
		"ok\tLEI\t5493001KJTIIGC8Y1R12",
		"invalid\tXX-NOPE\tUNKNOWN_SCHEME\tident: XX-NOPE: unknown scheme: no scheme with this name is registered" + knownSchemes,
		"invalid\tno tab here\tFORMAT\tline has no TAB between scheme and value",
		"invalid\tRU-INN\tLENGTH\tident: RU-INN: length: want 10 digits (organisation) or 12 digits (individual), got 5 characters",
		"invalid\tIN-GSTIN\tCOMPONENT\tident: IN-GSTIN: component: state code 39 is not assigned",
		"invalid\tIN-PAN\tLENGTH\tident: IN-PAN: length: want 10 characters, got 4",
		"invalid\tIN-CIN\tFORMAT\tident: IN-CIN: format: position 21 must be a digit (pattern L99999AA9999AAA999999)",
		"invalid\t\tFORMAT\tline has no TAB between scheme and value",
	}, strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"))
}

func TestCheckIdentifiersAllValid(t *testing.T) {
	var out strings.Builder
	anyInvalid, err := checkIdentifiers(strings.NewReader("BY-UNP\tУНП 591705582\nIR-NC\t68415941"), &out)
	require.NoError(t, err)
	assert.False(t, anyInvalid)
	assert.Equal(t, "ok\tBY-UNP\t591705582\nok\tIR-NC\t0068415941\n", out.String())
}

func TestCheckIdentifiersEmptyInput(t *testing.T) {
	var out strings.Builder
	anyInvalid, err := checkIdentifiers(strings.NewReader(""), &out)
	require.NoError(t, err)
	assert.False(t, anyInvalid)
	assert.Empty(t, out.String())
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("read failed") }

func TestCheckIdentifiersIOErrors(t *testing.T) {
	_, err := checkIdentifiers(strings.NewReader("LEI\t5493001KJTIIGC8Y1R12\n"), failingWriter{})
	assert.ErrorContains(t, err, "disk full")
	_, err = checkIdentifiers(failingReader{}, &strings.Builder{})
	assert.ErrorContains(t, err, "read failed")
}

// TestCheckIdentifiersLongLines checks that a line over 64 KiB is reported
// and skipped, and the lines after it are checked: reading stopped there.
func TestCheckIdentifiersLongLines(t *testing.T) {
	var out strings.Builder
	in := "LEI\t" + strings.Repeat("1", maxIDLine+1) + "\n" +
		strings.Repeat("x", 3*maxIDLine) + "\r\n" +
		"KZ-BIN\t080540038178\n" +
		"LEI\t" + strings.Repeat("2", maxIDLine-4) + "\n" // exactly the limit
	anyInvalid, err := checkIdentifiers(strings.NewReader(in), &out)
	require.NoError(t, err)
	assert.True(t, anyInvalid)
	assert.Equal(t, []string{
		"invalid\tLEI\tLENGTH\tline longer than 65536 bytes; a line is SCHEME<TAB>VALUE",
		"invalid\t\tLENGTH\tline longer than 65536 bytes; a line is SCHEME<TAB>VALUE",
		"ok\tKZ-BIN\t080540038178",
		"invalid\tLEI\tLENGTH\tident: LEI: length: want 20 characters, got 65532",
	}, strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"))
}

// TestCheckIdentifiersLineEnds checks that LF, CRLF and a lone CR end
// lines alike: a file with CR line ends was read as one line.
func TestCheckIdentifiersLineEnds(t *testing.T) {
	for _, nl := range []string{"\n", "\r\n", "\r"} {
		var out strings.Builder
		in := "KZ-BIN\t080540038178" + nl + "LEI\t5493001KJTIIGC8Y1R12" + nl + nl + "BY-UNP\t591705582"
		_, err := checkIdentifiers(strings.NewReader(in), &out)
		require.NoError(t, err)
		assert.Equal(t, "ok\tKZ-BIN\t080540038178\nok\tLEI\t5493001KJTIIGC8Y1R12\n"+
			"invalid\t\tFORMAT\tline has no TAB between scheme and value\nok\tBY-UNP\t591705582\n", out.String(), "%q", nl)
	}
}

// FuzzCheckIdentifiers checks that any input gives one output line per
// input line, each with the documented fields, and never an error.
func FuzzCheckIdentifiers(f *testing.F) {
	for _, s := range []string{"KZ-BIN\t080540038178\n", "\ufeffLEI\t5493001KJTIIGC8Y1R12\r\nx\ry\n", "a\tb\tc\r", "\r\n\r\n", "XX\x1b\t\u2028\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var out strings.Builder
		_, err := checkIdentifiers(strings.NewReader(string(data)), &out)
		if err != nil {
			t.Fatal(err)
		}
		in := strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r", "\n")
		want := strings.Count(in, "\n")
		if in != "" && !strings.HasSuffix(in, "\n") {
			want++
		}
		lines := strings.Split(out.String(), "\n")
		if lines[len(lines)-1] != "" && out.Len() > 0 {
			t.Fatalf("output does not end in a newline: %q", out.String())
		}
		lines = lines[:len(lines)-1]
		if len(lines) != want {
			t.Fatalf("%d output lines for %d input lines: %q", len(lines), want, data)
		}
		for _, l := range lines {
			fields := strings.Split(l, "\t")
			switch {
			case fields[0] == "ok" && len(fields) == 3:
			case fields[0] == "invalid" && len(fields) == 4:
			default:
				t.Fatalf("bad output line %q", l)
			}
		}
	})
}

func TestCheckIdentifiersBOMAndCRLF(t *testing.T) {
	// The reviewer's case: a file saved with a UTF-8 BOM.
	var out strings.Builder
	anyInvalid, err := checkIdentifiers(strings.NewReader("\xef\xbb\xbfKZ-BIN\t080540038178\n"), &out)
	require.NoError(t, err)
	assert.False(t, anyInvalid)
	assert.Equal(t, "ok\tKZ-BIN\t080540038178\n", out.String())

	// BOM and CRLF together; a BOM is stripped only at the start of the stream.
	out.Reset()
	in := "\ufeffKZ-BIN\t080540038178\r\n\ufeffKZ-BIN\t080540038178\r\nLEI\t5493001KJTIIGC8Y1R12\r\n"
	anyInvalid, err = checkIdentifiers(strings.NewReader(in), &out)
	require.NoError(t, err)
	assert.True(t, anyInvalid)
	assert.Equal(t, "ok\tKZ-BIN\t080540038178\n"+
		"invalid\t\ufeffKZ-BIN\tUNKNOWN_SCHEME\tident: \ufeffKZ-BIN: unknown scheme: no scheme with this name is registered"+knownSchemes+"\n"+
		"ok\tLEI\t5493001KJTIIGC8Y1R12\n", out.String())

	// A BOM alone, or a BOM before an empty line, is just an empty input line.
	out.Reset()
	_, err = checkIdentifiers(strings.NewReader("\ufeff"), &out)
	require.NoError(t, err)
	assert.Equal(t, "invalid\t\tFORMAT\tline has no TAB between scheme and value\n", out.String())
}

func TestCheckIdentifiersFullwidthAndCyrillic(t *testing.T) {
	var out strings.Builder
	in := "CN-USCC\t9135０100M000100Y43\nLEI\t969500ZАUC3Z50DNZV77\nCN-USCC\t9135中100M000100Y43\n"
	_, err := checkIdentifiers(strings.NewReader(in), &out)
	require.NoError(t, err)
	assert.Equal(t, "ok\tCN-USCC\t91350100M000100Y43\n"+
		"ok\tLEI\t969500ZAUC3Z50DNZV77\n"+
		"invalid\tCN-USCC\tFORMAT\tident: CN-USCC: format: character at position 5 is not an ASCII letter or digit\n",
		out.String())
}

func TestCheckIdentifiersOutputNotForgeable(t *testing.T) {
	// Control characters in SCHEME would otherwise add fields or lines to the
	// output; they are written as spaces, in the SCHEME field and in the
	// message (which repeats an unknown scheme name).
	var out strings.Builder
	in := "XX\x1b[2J\vok\u0085KZ-BIN\u2028x\u2029\x00\t1\n" +
		"no\x0btab\x7f\xff\n"
	anyInvalid, err := checkIdentifiers(strings.NewReader(in), &out)
	require.NoError(t, err)
	assert.True(t, anyInvalid)
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	assert.Equal(t, []string{
		"invalid\tXX [2J ok KZ-BIN x  \tUNKNOWN_SCHEME\tident: XX [2J ok KZ-BIN x  : unknown scheme: no scheme with this name is registered" + knownSchemes,
		"invalid\tno tab \ufffd\tFORMAT\tline has no TAB between scheme and value",
	}, lines)
	for _, l := range lines {
		assert.Len(t, strings.Split(l, "\t"), 4, l)
	}
	// The value is never echoed, even when the scheme is unknown.
	out.Reset()
	_, err = checkIdentifiers(strings.NewReader("XX\t871008401427\nKZ-IIN\t871008401428\n"), &out)
	require.NoError(t, err)
	assert.NotContains(t, out.String(), "87100840142")
}
