// Command throughput measures the example programs as users run them:
// whole files of realistic records, end to end, next to two floors measured
// in the same run on the same file: `jq -c .` (reformat every record) and a
// plain Go decode-and-encode (encoding/json into credit.Record and back).
//
// Usage (from the repository root):
//
//	go run ./examples/throughput [-n 10000,100000] [-only LIST] [-dir DIR] [-keep]
//
// For each size N it writes N distinct records to DIR/records-N.ndjson,
// made from the bundled sample records (testdata/records/*.ndjson) in turn,
// each with its own record_id (the sample's id plus "-" and its number),
// then runs every program once on that file with its output discarded
// (certificates are kept, since verify reads them), and prints one
// Markdown table row per run: seconds, records/s, input MB/s, peak resident
// set size (the kernel's maxrss of the child process) and the time as a
// multiple of jq's. The programs are built once with `go build`.
//
// -only picks runs by name: jq, decode-encode, validate, score-json,
// score-table, certify-issue, certify-verify (default: all; jq is skipped
// with a note when it is not installed). Without -dir a temporary
// directory is used and removed at the end, unless -keep.
//
// The 1M-record file is about 3.4 GB; allow for the disk space and for
// several minutes per program.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/creditsco/creditsco/credit"
)

const (
	ratesFile = "testdata/fx/rates-2025-12-31.json"
	issueAt   = "2026-10-01T00:00:00Z"
)

var allRuns = []string{"jq", "decode-encode", "validate", "score-json", "score-table", "certify-issue", "certify-verify"}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "decode-encode" {
		if err := decodeEncode(os.Args[2], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "decode-encode:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "throughput:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("throughput", flag.ContinueOnError)
	sizes := fs.String("n", "10000,100000", "comma-separated record counts")
	only := fs.String("only", strings.Join(allRuns, ","), "comma-separated runs")
	dir := fs.String("dir", "", "work directory (default: a temporary one)")
	keep := fs.Bool("keep", false, "keep the work directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (flags go before nothing else)", fs.Args())
	}
	counts, err := parseSizes(*sizes)
	if err != nil {
		return err
	}
	runs := strings.Split(*only, ",")
	for _, r := range runs {
		if !slices.Contains(allRuns, r) {
			return fmt.Errorf("-only: unknown run %q (known: %s)", r, strings.Join(allRuns, ", "))
		}
	}
	samples, err := loadSamples("testdata/records")
	if err != nil {
		return err
	}
	work := *dir
	if work == "" {
		if work, err = os.MkdirTemp("", "throughput-"); err != nil {
			return err
		}
		if !*keep {
			defer os.RemoveAll(work)
		}
	}
	b, err := build(work)
	if err != nil {
		return err
	}
	printMachine()
	fmt.Println("| run | records | input MB | seconds | records/s | MB/s | peak RSS MiB | × jq |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, n := range counts {
		path := filepath.Join(work, fmt.Sprintf("records-%d.ndjson", n))
		size, err := generate(path, samples, n)
		if err != nil {
			return err
		}
		if err := measureSize(b, runs, path, n, size); err != nil {
			return err
		}
		os.Remove(path)
	}
	return nil
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 100_000_000 {
			return nil, fmt.Errorf("-n: %q is not a record count from 1 to 100000000", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// loadSamples reads every line of every NDJSON file in dir, in file-name
// order, with its record_id.
func loadSamples(dir string) ([]sample, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.ndjson"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no sample records in %s (run from the repository root)", dir)
	}
	var out []sample
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for line := range bytes.Lines(data) {
			line = bytes.TrimSpace(line)
			if len(line) == 0 {
				continue
			}
			s, err := newSample(line)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// sample is a record, compacted, split around the value of its record_id,
// so that a numbered copy is three writes.
type sample struct {
	head, id, tail []byte
}

func newSample(line []byte) (sample, error) {
	var r struct {
		RecordID string `json:"record_id"`
	}
	if err := json.Unmarshal(line, &r); err != nil || r.RecordID == "" {
		return sample{}, errors.New("sample record without a record_id")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, line); err != nil {
		return sample{}, err
	}
	line = compact.Bytes()
	key := []byte(`"record_id":` + strconv.Quote(r.RecordID))
	i := bytes.Index(line, key)
	if i < 0 {
		return sample{}, fmt.Errorf("record %s: record_id is written with escapes", r.RecordID)
	}
	end := i + len(key) - 1 // the closing quote
	return sample{head: line[:end], id: []byte(r.RecordID), tail: line[end:]}, nil
}

// generate writes n records to path and returns the file's size.
func generate(path string, samples []sample, n int) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var num []byte
	for i := range n {
		s := samples[i%len(samples)]
		num = strconv.AppendInt(append(num[:0], '-'), int64(i+1), 10)
		w.Write(s.head)
		w.Write(num)
		w.Write(s.tail)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, err
	}
	return st.Size(), f.Close()
}

// binaries are the built programs and the issuer of the certify runs.
type binaries struct {
	dir, validate, score, certify, self string
	key, did                            string
}

func build(work string) (*binaries, error) {
	b := &binaries{dir: filepath.Join(work, "bin")}
	for name, dst := range map[string]*string{"validate": &b.validate, "score": &b.score, "certify": &b.certify, "throughput": &b.self} {
		*dst = filepath.Join(b.dir, name)
		cmd := exec.Command("go", "build", "-o", *dst, "./examples/"+name)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("go build ./examples/%s: %w", name, err)
		}
	}
	b.key = filepath.Join(work, "issuer.key")
	os.Remove(b.key)
	out, err := exec.Command(b.certify, "keygen", "-out", b.key).Output()
	if err != nil {
		return nil, fmt.Errorf("certify keygen: %w", err)
	}
	b.did = strings.TrimSpace(string(out))
	return b, nil
}

func printMachine() {
	model := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(data)) {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimLeft(name, " \t:"))
				break
			}
		}
	}
	fmt.Printf("Machine: %d CPUs (%s), %s %s/%s, %s\n\n", runtime.NumCPU(), model, runtime.Version(), runtime.GOOS, runtime.GOARCH, time.Now().UTC().Format("2006-01-02"))
}

// measureSize runs every selected program on the file of n records.
func measureSize(b *binaries, runs []string, path string, n int, size int64) error {
	certs := path + ".certs.ndjson"
	defer os.Remove(certs)
	var jqSeconds float64
	for _, name := range runs {
		cmd, out, err := b.command(name, path, certs)
		if err != nil {
			return err
		}
		if cmd == nil {
			fmt.Printf("| %s | %d | – | – | – | – | – | not installed |\n", name, n)
			continue
		}
		res, err := measure(cmd, out)
		if err != nil {
			return fmt.Errorf("%s on %d records: %w", name, n, err)
		}
		if name == "jq" {
			jqSeconds = res.seconds
		}
		records := n
		if name == "certify-verify" {
			records = countLines(certs)
		}
		ratio := "–"
		if jqSeconds > 0 {
			ratio = fmt.Sprintf("%.2f", res.seconds/jqSeconds)
		}
		mb := float64(size) / 1e6
		fmt.Printf("| %s | %d | %.0f | %.1f | %.0f | %.1f | %.0f | %s |\n",
			name, records, mb, res.seconds, float64(records)/res.seconds, mb/res.seconds, res.rssMiB, ratio)
	}
	return nil
}

// command returns the command of a run and the file its standard output
// goes to ("" for none); a nil command means the tool is not installed.
func (b *binaries) command(name, path, certs string) (*exec.Cmd, string, error) {
	switch name {
	case "jq":
		jq, err := exec.LookPath("jq")
		if err != nil {
			return nil, "", nil
		}
		return exec.Command(jq, "-c", ".", path), "", nil
	case "decode-encode":
		return exec.Command(b.self, "decode-encode", path), "", nil
	case "validate":
		return exec.Command(b.validate, path), "", nil
	case "score-json":
		return exec.Command(b.score, "-format", "json", "-rates", ratesFile, path), "", nil
	case "score-table":
		return exec.Command(b.score, "-rates", ratesFile, path), "", nil
	case "certify-issue":
		return exec.Command(b.certify, "issue", "-key", b.key, "-at", issueAt, "-rates", ratesFile, path), certs, nil
	case "certify-verify":
		return exec.Command(b.certify, "verify", "-trust", b.did, "-at", issueAt, "-no-status", certs), "", nil
	}
	return nil, "", fmt.Errorf("unknown run %q", name)
}

type result struct {
	seconds, rssMiB float64
}

// measure runs cmd with its standard output to out (or discarded) and
// returns its wall time and peak RSS. Exit status 1 (some record invalid
// or not certifiable) is a normal outcome of the sample mix; 2 is not.
func measure(cmd *exec.Cmd, out string) (result, error) {
	var stdout io.Writer = io.Discard
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return result{}, err
		}
		defer f.Close()
		stdout = f
	}
	var stderr bytes.Buffer
	cmd.Stdout = stdout
	cmd.Stderr = &limitedBuffer{buf: &stderr, max: 4096}
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start).Seconds()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		return result{}, fmt.Errorf("%v: %s", err, stderr.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return result{}, errors.New("no resource usage for the child process")
	}
	return result{seconds: elapsed, rssMiB: float64(ru.Maxrss) / 1024}, nil // Linux: KiB
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func countLines(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	buf := make([]byte, 1<<20)
	for {
		k, err := f.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err != nil {
			return n
		}
	}
}

// decodeEncode is the plain-Go floor: decode each NDJSON line into a
// credit.Record with encoding/json and encode it back, no checks.
func decodeEncode(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	for {
		var rec credit.Record
		if err := dec.Decode(&rec); err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		if err := enc.Encode(&rec); err != nil {
			return err
		}
	}
	return bw.Flush()
}
