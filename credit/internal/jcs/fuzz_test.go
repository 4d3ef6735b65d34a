package jcs

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// FuzzCanonicalize checks that Canonicalize never panics, that its output
// is a fixed point (canonicalising canonical JSON changes nothing), and
// that it accepts only valid UTF-8.
func FuzzCanonicalize(f *testing.F) {
	files, _ := filepath.Glob("testdata/jcs/*.json")
	for _, name := range files {
		data, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(data)
	}
	for _, s := range []string{`{"a":[1,2.5e-7,-0,"\ud83d\ude00"]}`, `"\u0000"`, `1e21`, `[[[[]]]]`, `{"":{"":""}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Canonicalize(data)
		if err != nil {
			return
		}
		if !utf8.Valid(out) {
			t.Fatalf("output is not UTF-8: %q", out)
		}
		again, err := Canonicalize(out)
		if err != nil {
			t.Fatalf("canonical output rejected: %q: %v", out, err)
		}
		if !bytes.Equal(out, again) {
			t.Fatalf("not idempotent:\n%q\n%q", out, again)
		}
	})
}
