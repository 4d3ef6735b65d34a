package inputs

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFlags(t *testing.T) {
	for _, c := range []struct {
		args    []string
		err     error
		rates   string
		operand []string
	}{
		{[]string{"-rates", "r.json", "a.ndjson"}, nil, "r.json", []string{"a.ndjson"}},
		{[]string{"a.ndjson", "-rates", "r.json"}, ErrFlagAfterOperand, "", nil},
		{[]string{"a.ndjson", "b.ndjson", "-v"}, ErrFlagAfterOperand, "", nil},
		{[]string{"a.ndjson", "-"}, nil, "", []string{"a.ndjson", "-"}},
		{[]string{"-"}, nil, "", []string{"-"}},
		{[]string{"--", "-odd-name.ndjson"}, nil, "", []string{"-odd-name.ndjson"}},
		{[]string{"-rates", "r.json", "--", "a", "-b"}, nil, "r.json", []string{"a", "-b"}},
		{[]string{"-nope"}, nil, "", nil}, // fs.Parse's own error, checked below
		{[]string{"-h"}, flag.ErrHelp, "", nil},
	} {
		fs := flag.NewFlagSet("score", flag.ContinueOnError)
		var out strings.Builder
		fs.SetOutput(&out)
		usage := 0
		fs.Usage = func() { usage++ }
		rates := fs.String("rates", "", "")
		err := ParseFlags(fs, c.args)
		if c.args[0] == "-nope" {
			require.Error(t, err)
			assert.False(t, errors.Is(err, ErrFlagAfterOperand))
			continue
		}
		if c.err != nil {
			assert.ErrorIs(t, err, c.err, "%v", c.args)
			assert.Equal(t, 1, usage)
			if c.err == ErrFlagAfterOperand {
				assert.Contains(t, out.String(), "score: flag -")
				assert.Contains(t, out.String(), "after the operands")
			}
			continue
		}
		require.NoError(t, err, "%v", c.args)
		assert.Equal(t, c.rates, *rates)
		assert.Equal(t, c.operand, nilIfEmpty(fs.Args()))
	}
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Bool("ids", false, "")
	err := ParseFlags(fs, []string{"ids.tsv", "-ids"})
	assert.EqualError(t, err, "flag after the operands: -ids")
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
