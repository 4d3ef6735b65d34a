// Package golden compares test output with golden files under testdata/
// and rewrites them on request, in the manner of go-cmp's -update flag.
package golden

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Check compares got with the file at path. With update set it writes got
// to the file instead, creating its directory; a reviewer then reads the
// diff before committing it.
func Check(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file %s: %v (run the test with -update to create it)", path, err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("output differs from %s (if the change is intended, run the test with -update and review the diff):\n%s",
			path, firstDifference(want, got))
	}
}

// CheckJSON encodes v as indented JSON without HTML escaping, the form of
// every JSON golden file, and checks it with Check.
func CheckJSON(t testing.TB, path string, v any, update bool) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	Check(t, path, buf.Bytes(), update)
}

// firstDifference shows the first line where want and got differ; they
// are known to differ, so some line does (one may have more lines than
// the other, whose missing line is shown empty).
func firstDifference(want, got []byte) string {
	wl := bytes.Split(want, []byte("\n"))
	gl := bytes.Split(got, []byte("\n"))
	i := 0
	for i < len(wl) && i < len(gl) && bytes.Equal(wl[i], gl[i]) {
		i++
	}
	return "line " + strconv.Itoa(i+1) + ":\n  want: " + string(line(wl, i)) + "\n  got:  " + string(line(gl, i))
}

// line returns lines[i], or nil past the end.
func line(lines [][]byte, i int) []byte {
	if i < len(lines) {
		return lines[i]
	}
	return nil
}
