package hostile

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// root is the repository root, relative to this package's directory.
var root = filepath.Join("..", "..", "..")

// hostileCase is one line of a cases.tsv file.
type hostileCase struct {
	where   string // file:line
	program string
	args    []string
	stdin   string // "" for none
	exit    int
	limit   time.Duration
	rssMiB  int64
	desc    string
}

// TestHostileCorpus runs every case of testdata/hostile/*/cases.tsv through
// the program it names, built once, and checks its exit status, its wall
// time, its peak memory and that it did not panic.
func TestHostileCorpus(t *testing.T) {
	if raceDetector {
		// The programs are not built with -race, so the detector would
		// check nothing here; and Linux counts the forking process's
		// memory in a child's peak RSS, which the detector's shadow
		// memory would push over the bounds. The corpus runs in the
		// plain go test ./....
		t.Skip("the hostile corpus runs without -race")
	}
	files, err := filepath.Glob(filepath.Join(root, "testdata", "hostile", "*", "cases.tsv"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no testdata/hostile/*/cases.tsv")
	var cases []hostileCase
	for _, f := range files {
		cs, err := readCases(f)
		require.NoError(t, err)
		cases = append(cases, cs...)
	}
	absRoot, err := filepath.Abs(root)
	require.NoError(t, err)
	bins := buildPrograms(t, absRoot, cases)
	inputs := generateInputs(t, absRoot, cases)
	// Linux counts in a child's peak RSS the memory of the runner at the
	// time of the fork: give back what generating took.
	debug.FreeOSMemory()
	for _, c := range cases {
		t.Run(c.where, func(t *testing.T) {
			t.Parallel()
			runCase(t, absRoot, bins[c.program], inputs, c)
		})
	}
}

// readCases parses one cases.tsv.
func readCases(path string) ([]hostileCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dir := filepath.Base(filepath.Dir(path))
	var cases []hostileCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		where := fmt.Sprintf("%s:%d", dir, n)
		fields := strings.Split(line, "\t")
		if len(fields) != 7 {
			return nil, fmt.Errorf("%s: %d fields, want 7 separated by single TABs", where, len(fields))
		}
		c := hostileCase{where: where, program: fields[0], desc: fields[6]}
		if fields[1] != "" && fields[1] != "-" {
			c.args = strings.Split(fields[1], " ")
		}
		if fields[2] != "-" {
			c.stdin = fields[2]
		}
		if c.exit, err = strconv.Atoi(fields[3]); err != nil || c.exit < 0 || c.exit > 2 {
			return nil, fmt.Errorf("%s: WANT_EXIT %q is not 0, 1 or 2", where, fields[3])
		}
		secs, err := strconv.ParseFloat(fields[4], 64)
		if err != nil || secs <= 0 {
			return nil, fmt.Errorf("%s: MAX_SECONDS %q is not a positive number", where, fields[4])
		}
		c.limit = time.Duration(secs * float64(time.Second))
		if c.rssMiB, err = strconv.ParseInt(fields[5], 10, 64); err != nil || c.rssMiB <= 0 {
			return nil, fmt.Errorf("%s: MAX_RSS_MIB %q is not a positive integer", where, fields[5])
		}
		if c.desc == "" {
			return nil, fmt.Errorf("%s: no DESCRIPTION", where)
		}
		cases = append(cases, c)
	}
	return cases, sc.Err()
}

// buildPrograms builds each program the cases name, once, into a
// temporary directory.
func buildPrograms(t *testing.T, absRoot string, cases []hostileCase) map[string]string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	require.NoError(t, err, "the go command is needed to build the programs")
	dir := t.TempDir()
	bins := map[string]string{}
	for _, c := range cases {
		if _, done := bins[c.program]; done {
			continue
		}
		if _, err := os.Stat(filepath.Join(absRoot, "examples", c.program, "main.go")); err != nil {
			t.Fatalf("%s: no program examples/%s", c.where, c.program)
		}
		out := filepath.Join(dir, c.program)
		cmd := exec.Command(goBin, "build", "-o", out, "./examples/"+c.program)
		cmd.Dir = absRoot
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("building examples/%s: %v\n%s", c.program, err, msg)
		}
		bins[c.program] = out
	}
	return bins
}

// generateInputs writes the input of every recipe (NAME.gen) that a case
// names, once, and returns the generated file of each recipe path.
func generateInputs(t *testing.T, absRoot string, cases []hostileCase) map[string]string {
	t.Helper()
	dir := t.TempDir()
	inputs := map[string]string{}
	for _, c := range cases {
		for _, tok := range append(slices.Clone(c.args), c.stdin) {
			if !strings.HasSuffix(tok, ".gen") {
				continue
			}
			if _, done := inputs[tok]; done {
				continue
			}
			out := filepath.Join(dir, strings.ReplaceAll(strings.TrimSuffix(tok, ".gen"), "/", "_"))
			require.NoError(t, generate(filepath.Join(absRoot, tok), out), "%s: %s", c.where, tok)
			inputs[tok] = out
		}
	}
	return inputs
}

func generate(recipe, out string) error {
	in, err := os.Open(recipe)
	if err != nil {
		return err
	}
	defer in.Close()
	rc, err := ParseRecipe(in)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := rc.Generate(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// runCase runs one case and checks its bounds.
func runCase(t *testing.T, absRoot, bin string, inputs map[string]string, c hostileCase) {
	args := make([]string, len(c.args))
	for i, a := range c.args {
		switch {
		case strings.HasSuffix(a, ".gen"):
			a = inputs[a]
		case strings.Contains(a, "$TMP"):
			a = strings.ReplaceAll(a, "$TMP", t.TempDir())
		}
		args[i] = a
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = absRoot
	if c.stdin != "" {
		path := filepath.Join(absRoot, c.stdin)
		if gen, ok := inputs[c.stdin]; ok {
			path = gen
		}
		f, err := os.Open(path)
		require.NoError(t, err, "%s: STDIN", c.where)
		defer f.Close()
		cmd.Stdin = f
	}
	var stdout countingWriter
	stderr := &panicScanner{}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	what := fmt.Sprintf("%s (%s %s): %s", c.where, c.program, strings.Join(c.args, " "), c.desc)
	if ctx.Err() != nil {
		t.Fatalf("%s: killed after %v, the bound (stderr: %s)", what, c.limit, stderr.head.String())
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("%s: %v", what, err)
	}
	assert.False(t, stderr.panicked, "%s: panicked:\n%s", what, stderr.head.String())
	assert.Equal(t, c.exit, cmd.ProcessState.ExitCode(), "%s: exit status (stderr: %s)", what, stderr.head.String())
	if rss := maxRSSBytes(cmd.ProcessState); rss >= 0 {
		assert.LessOrEqual(t, rss, c.rssMiB<<20, "%s: peak RSS %d MiB, bound %d MiB", what, rss>>20, c.rssMiB)
		t.Logf("%s: %v, peak RSS %.1f MiB, %d bytes out", c.where, elapsed.Round(time.Millisecond), float64(rss)/(1<<20), stdout.n)
	}
}

// countingWriter discards what is written and counts it: the outputs of
// hostile inputs can be hundreds of MB.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// panicScanner looks for the marks of a Go panic ("panic:" and a
// goroutine dump) in all of a stream, keeping only its start for messages.
type panicScanner struct {
	head     bytes.Buffer
	tail     []byte // the last bytes, for marks split across writes
	panicked bool
}

var panicMarks = [][]byte{[]byte("panic:"), []byte("goroutine ")}

func (s *panicScanner) Write(p []byte) (int, error) {
	if room := 2048 - s.head.Len(); room > 0 {
		s.head.Write(p[:min(room, len(p))])
	}
	buf := append(s.tail, p...)
	for _, m := range panicMarks {
		if bytes.Contains(buf, m) {
			s.panicked = true
		}
	}
	s.tail = append(s.tail[:0], buf[max(0, len(buf)-16):]...)
	return len(p), nil
}

// TestRecipes checks that every recipe of the corpus parses and generates
// its input, and the escapes of the format.
func TestRecipes(t *testing.T) {
	recipes, err := filepath.Glob(filepath.Join(root, "testdata", "hostile", "*", "*.gen"))
	require.NoError(t, err)
	for _, r := range recipes {
		f, err := os.Open(r)
		require.NoError(t, err)
		rc, err := ParseRecipe(f)
		f.Close()
		require.NoError(t, err, r)
		require.NoError(t, rc.Generate(io.Discard), r)
	}
	rc, err := ParseRecipe(strings.NewReader("# c\nprefix [\\x41\nunit {\"k{{i}}\":\"\\t\\\\\"}\nseparator ,\\n\nsuffix ]\ncount 3\ncopies 2\n"))
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, rc.Generate(&b))
	doc := "[A{\"k0\":\"\t\\\"},\n{\"k1\":\"\t\\\"},\n{\"k2\":\"\t\\\"}]\n"
	assert.Equal(t, doc+doc, b.String())
	rc, err = ParseRecipe(strings.NewReader("unit ab\nseparator ,\nprefix [\nsuffix ]\nsize 10\n"))
	require.NoError(t, err)
	b.Reset()
	require.NoError(t, rc.Generate(&b))
	assert.Equal(t, "[ab,ab,ab]", b.String())
	for _, bad := range []string{"unit x\n", "count 1\n", "unit x\ncount 1\nsize 2\n", "unit x\ncount 0\n", "unit \\q\ncount 1\n",
		"unit x\ncount 1\nbogus 1\n", "unit x\nunit y\ncount 1\n", "unit \\x4\ncount 1\n", "unit x\\\ncount 1\n"} {
		_, err := ParseRecipe(strings.NewReader(bad))
		assert.Error(t, err, "%q", bad)
	}
	rc, err = ParseRecipe(strings.NewReader("unit xxxxxxxxxx\ncount 100000000\n"))
	require.NoError(t, err)
	assert.Error(t, rc.Generate(io.Discard), "a recipe beyond the generation limit")
}

// FuzzParseRecipe checks that any recipe either is refused or generates
// at most the limit, without a panic.
func FuzzParseRecipe(f *testing.F) {
	f.Add([]byte("prefix [\nunit {\"k{{i}}\":1}\nseparator ,\\n\nsuffix ]\ncount 3\ncopies 2\n"))
	f.Add([]byte("unit \\xff\\x00\nsize 100\n"))
	f.Add([]byte("unit x\ncount 99999999\ncopies 99\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rc, err := ParseRecipe(bytes.NewReader(data))
		if err != nil {
			return
		}
		if rc.Size > 1<<20 || rc.Count > 1<<16 || rc.Copies > 16 {
			return // valid, but too slow to generate in every execution
		}
		var w countingWriter
		if err := rc.Generate(&w); err == nil && w.n > maxGenerated+int64(rc.Copies) {
			t.Fatalf("generated %d bytes", w.n)
		}
	})
}
