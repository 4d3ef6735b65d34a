// Command throughput measures the example programs as users run them:
// whole files of realistic records, end to end, next to two floors measured
// in the same run on the same file: `jq -c .` (reformat every record) and a
// plain Go decode-and-encode (encoding/json into credit.Record and back).
//
// Usage (from the repository root):
//
//	go run ./examples/throughput [-n 10000,100000] [-only LIST] [-baseline REV] [-cpuprofile DIR] [-dir DIR] [-keep]
//
// For each size N it writes N distinct records to DIR/records-N.ndjson,
// made from the bundled sample records (testdata/records/*.ndjson) in turn,
// each with its own record_id (the sample's id plus "-" and its number),
// then runs every program once on that file with its output discarded
// (certificates are kept, since verify reads them), and prints one
// Markdown table row per run: wall seconds, records/s, input MB/s, CPU
// seconds (user and system time of the child process, which another
// load on the machine changes less than the wall time), peak resident
// set size (the kernel's maxrss of the child process) and the wall time
// as a multiple of jq's. The programs are built once with `go build`.
//
// -only picks runs by name: jq, decode-encode, validate, score-json,
// score-table, certify-issue, certify-verify (default: all; jq is skipped
// with a note when it is not installed). -baseline REV also builds the
// programs of the git revision REV (from `git archive`, so no work tree
// is touched) and runs each program of that revision right after the
// same program of the working tree, on the same file: before and after
// side by side, in the same run. -cpuprofile DIR passes -cpuprofile to
// the programs, one profile per run in DIR (RUN-N.pprof, for
// `go tool pprof`). Without -dir a temporary directory is used and
// removed at the end, unless -keep, which keeps the record files too.
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
	keep := fs.Bool("keep", false, "keep the work directory and the record files")
	baseline := fs.String("baseline", "", "git revision whose programs run beside the working tree's")
	profiles := fs.String("cpuprofile", "", "directory for a CPU profile of each run")
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
	b, err := build(work, ".", "")
	if err != nil {
		return err
	}
	if *baseline != "" {
		if b.base, err = buildRevision(work, *baseline); err != nil {
			return err
		}
		// The baseline's certificates must come from the same key.
		b.base.key, b.base.did = b.key, b.did
	}
	if *profiles != "" {
		if err := os.MkdirAll(*profiles, 0o755); err != nil {
			return err
		}
		b.profiles = *profiles
	}
	printMachine()
	fmt.Println("| run | records | input MB | seconds | records/s | MB/s | CPU s | peak RSS MiB | × jq |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, n := range counts {
		path := filepath.Join(work, fmt.Sprintf("records-%d.ndjson", n))
		size, err := generate(path, samples, n)
		if err != nil {
			return err
		}
		if err := measureSize(b, runs, path, n, size); err != nil {
			return err
		}
		if !*keep {
			os.Remove(path)
		}
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
	// rev names the revision of a baseline build ("" for the working
	// tree); base is the baseline build, if any.
	rev  string
	base *binaries
	// profiles is the directory of the runs' CPU profiles; "" for none.
	profiles string
}

// build builds the programs of the module in src into work/bin (or
// work/bin-REV for a revision).
func build(work, src, rev string) (*binaries, error) {
	b := &binaries{dir: filepath.Join(work, "bin"), rev: rev}
	if rev != "" {
		b.dir += "-" + strings.ReplaceAll(rev, "/", "_")
	}
	abs, err := filepath.Abs(b.dir)
	if err != nil {
		return nil, err
	}
	for name, dst := range map[string]*string{"validate": &b.validate, "score": &b.score, "certify": &b.certify, "throughput": &b.self} {
		if rev != "" && name == "throughput" {
			continue // the floors run from the working tree's build
		}
		*dst = filepath.Join(abs, name)
		cmd := exec.Command("go", "build", "-o", *dst, "./examples/"+name)
		cmd.Dir = src
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("go build ./examples/%s%s: %w", name, atRev(rev), err)
		}
	}
	if rev != "" {
		return b, nil
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

// buildRevision extracts the git revision rev with `git archive` (no
// work tree is made or changed) and builds its programs.
func buildRevision(work, rev string) (*binaries, error) {
	src := filepath.Join(work, "src-"+strings.ReplaceAll(rev, "/", "_"))
	if err := os.MkdirAll(src, 0o755); err != nil {
		return nil, err
	}
	archive := exec.Command("git", "archive", "--format=tar", rev)
	untar := exec.Command("tar", "-x", "-C", src)
	pipe, err := archive.StdoutPipe()
	if err != nil {
		return nil, err
	}
	untar.Stdin = pipe
	archive.Stderr, untar.Stderr = os.Stderr, os.Stderr
	if err := untar.Start(); err != nil {
		return nil, err
	}
	if err := archive.Run(); err != nil {
		return nil, fmt.Errorf("git archive %s: %w", rev, err)
	}
	if err := untar.Wait(); err != nil {
		return nil, fmt.Errorf("extracting %s: %w", rev, err)
	}
	return build(work, src, rev)
}

func atRev(rev string) string {
	if rev == "" {
		return ""
	}
	return "@" + rev
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

// measureSize runs every selected program on the file of n records, and
// the baseline's right after the working tree's.
func measureSize(b *binaries, runs []string, path string, n int, size int64) error {
	var jqSeconds float64
	for _, name := range runs {
		builds := []*binaries{b}
		if b.base != nil && name != "jq" && name != "decode-encode" {
			builds = append(builds, b.base)
		}
		for _, bin := range builds {
			label := name + atRev(bin.rev)
			certs := path + ".certs" + atRev(bin.rev) + ".ndjson"
			var prof []string
			if b.profiles != "" && bin.rev == "" && name != "jq" && name != "decode-encode" {
				prof = []string{"-cpuprofile", filepath.Join(b.profiles, fmt.Sprintf("%s-%d.pprof", strings.ReplaceAll(label, "/", "_"), n))}
			}
			cmd, out, err := bin.command(name, path, certs, prof)
			if err != nil {
				return err
			}
			if cmd == nil {
				fmt.Printf("| %s | %d | – | – | – | – | – | – | not installed |\n", label, n)
				continue
			}
			res, err := measure(cmd, out)
			if err != nil {
				return fmt.Errorf("%s on %d records: %w", label, n, err)
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
			fmt.Printf("| %s | %d | %.0f | %.1f | %.0f | %.1f | %.1f | %.0f | %s |\n",
				label, records, mb, res.seconds, float64(records)/res.seconds, mb/res.seconds, res.cpuSeconds, res.rssMiB, ratio)
		}
	}
	for _, bin := range []*binaries{b, b.base} {
		if bin != nil {
			os.Remove(path + ".certs" + atRev(bin.rev) + ".ndjson")
		}
	}
	return nil
}

// command returns the command of a run, with the flags extra (such as
// -cpuprofile FILE) before its own, and the file its standard output
// goes to ("" for none); a nil command means the tool is not installed.
func (b *binaries) command(name, path, certs string, extra []string) (*exec.Cmd, string, error) {
	with := func(prog string, args ...string) *exec.Cmd {
		return exec.Command(prog, append(slices.Clone(extra), args...)...)
	}
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
		return with(b.validate, path), "", nil
	case "score-json":
		return with(b.score, "-format", "json", "-rates", ratesFile, path), "", nil
	case "score-table":
		return with(b.score, "-rates", ratesFile, path), "", nil
	case "certify-issue":
		return exec.Command(b.certify, append(append([]string{"issue"}, extra...), "-key", b.key, "-at", issueAt, "-rates", ratesFile, path)...), certs, nil
	case "certify-verify":
		return exec.Command(b.certify, append(append([]string{"verify"}, extra...), "-trust", b.did, "-at", issueAt, "-no-status", certs)...), "", nil
	}
	return nil, "", fmt.Errorf("unknown run %q", name)
}

type result struct {
	seconds, cpuSeconds, rssMiB float64
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
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	return result{seconds: elapsed, cpuSeconds: cpu, rssMiB: float64(ru.Maxrss) / 1024}, nil // Linux: KiB
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
