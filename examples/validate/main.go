// Command validate checks partner data against the Credit SCO enterprise
// record standard and reports every problem with its JSON Pointer path and
// code.
//
// Usage:
//
//	validate [-format text|json] [-cpuprofile FILE] [FILE ...]
//	validate -ids [FILE]
//
// Each FILE (standard input when none) holds one JSON record, a JSON array
// of records, or NDJSON. Text output has one line per problem,
//
//	record N (record_id): severity CODE path: message
//
// then a summary line; -format json writes one object per record per line:
//
//	{"index": N, "record_id": "...", "valid": true, "problems": [...]}
//
// Records are numbered from 1 across all inputs; they are checked on every
// core and reported in input order. -cpuprofile writes a CPU profile of
// the whole run to FILE. A malformed NDJSON line is
// reported as that record's MALFORMED_JSON and the following lines are
// still checked; lines may end in LF, CRLF or a lone CR.
//
// With -ids, each input line is SCHEME<TAB>VALUE and each output line is
// ok<TAB>SCHEME<TAB>NORMALIZED or invalid<TAB>SCHEME<TAB>CODE<TAB>message,
// where CODE is one of LENGTH, FORMAT, CHECKSUM, COMPONENT, PLACEHOLDER and
// UNKNOWN_SCHEME (whose message lists the known schemes). A byte order mark
// at the start of the input is skipped, lines may end in LF, CRLF or CR,
// and a line over 64 KiB is reported as LENGTH and skipped. Control
// characters in SCHEME or in a message are written as spaces, so no input
// can add fields or lines to the output, and messages never echo the
// value.
//
// Flags come before the file names: a flag after one is a usage error
// (write -- before a file name that starts with -).
//
// Exit status: 0 when all records (or identifiers) are valid, warnings
// allowed, which includes an empty input; 1 when some are invalid; 2 on a
// usage or I/O error. "go run" reports every non-zero status as 1
// (printing "exit status 2"); build the program where the status matters.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/examples/internal/cpuprofile"
	"github.com/creditsco/creditsco/examples/internal/field"
	"github.com/creditsco/creditsco/examples/internal/inputs"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const (
	exitValid   = 0
	exitInvalid = 1
	exitUsage   = 2
)

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text or json")
	ids := fs.Bool("ids", false, "check identifiers: input lines are SCHEME<TAB>VALUE")
	prof := cpuprofile.Flag(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: validate [-format text|json] [-cpuprofile FILE] [FILE ...]\n       validate -ids [FILE]")
		fs.PrintDefaults()
	}
	if err := inputs.ParseFlags(fs, args); err != nil {
		return exitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "validate: unknown -format %q (want text or json)\n", *format)
		return exitUsage
	}
	stop, err := cpuprofile.Start(*prof)
	if err != nil {
		fmt.Fprintln(stderr, "validate:", err)
		return exitUsage
	}
	defer stop()
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	if *ids {
		if formatSet(fs) {
			fmt.Fprintln(stderr, "validate: -format does not apply to -ids")
			return exitUsage
		}
		return runIDs(fs.Args(), stdin, out, stderr)
	}
	v, err := credit.NewValidator(credit.ValidatorOptions{})
	if err != nil {
		fmt.Fprintln(stderr, "validate:", err)
		return exitUsage
	}
	r := &report{out: out, json: *format == "json"}
	status := exitValid
	for _, name := range inputs.Names(fs.Args()) {
		if err := r.check(v, name, stdin); err != nil {
			fmt.Fprintf(stderr, "validate: %v\n", err)
			status = exitUsage
		}
	}
	if !r.json {
		fmt.Fprintf(out, "%d records: %d valid, %d invalid, %d warnings\n", r.records, r.records-r.invalid, r.invalid, r.warnings)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(stderr, "validate:", err)
		return exitUsage
	}
	if status == exitValid && r.invalid > 0 {
		status = exitInvalid
	}
	return status
}

// formatSet reports whether -format was given on the command line.
func formatSet(fs *flag.FlagSet) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "format" })
	return set
}

func runIDs(args []string, stdin io.Reader, out *bufio.Writer, stderr io.Writer) int {
	if len(args) > 1 {
		fmt.Fprintln(stderr, "validate: -ids takes at most one FILE")
		return exitUsage
	}
	in := stdin
	if len(args) == 1 {
		f, err := os.Open(args[0])
		if err != nil {
			fmt.Fprintln(stderr, "validate:", err)
			return exitUsage
		}
		defer f.Close()
		in = f
	}
	anyInvalid, err := checkIdentifiers(in, out)
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		fmt.Fprintln(stderr, "validate:", err)
		return exitUsage
	}
	if anyInvalid {
		return exitInvalid
	}
	return exitValid
}

// report writes the outcome of each record and keeps the counts.
type report struct {
	out                        *bufio.Writer
	json                       bool
	records, invalid, warnings int
}

// jsonResult is the -format json line of one record.
type jsonResult struct {
	Index    int             `json:"index"`
	RecordID string          `json:"record_id"`
	Valid    bool            `json:"valid"`
	Problems credit.Problems `json:"problems"`
}

// check validates the records of one input on every core, and writes
// their outcomes in input order.
func (r *report) check(v *credit.Validator, name string, stdin io.Reader) error {
	in, closeIn, err := inputs.Open(name, stdin)
	if err != nil {
		return err
	}
	defer closeIn()
	base := r.records
	var writeErr error
	err = v.ValidateStream(context.Background(), in, func(i int, res credit.Validation) error {
		writeErr = r.write(base+i, &res)
		return writeErr
	})
	switch {
	case writeErr != nil:
		return writeErr
	case err != nil:
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func (r *report) write(n int, res *credit.Validation) error {
	r.records++
	if !res.Valid() {
		r.invalid++
	}
	r.warnings += len(res.Problems.Warnings())
	if r.json {
		problems := res.Problems
		if problems == nil {
			problems = credit.Problems{}
		}
		enc := json.NewEncoder(r.out)
		enc.SetEscapeHTML(false)
		return enc.Encode(jsonResult{Index: n, RecordID: res.RecordID, Valid: res.Valid(), Problems: problems})
	}
	for _, p := range res.Problems {
		path := p.Path
		if path == "" {
			path = "(record)"
		}
		if _, err := fmt.Fprintf(r.out, "record %d (%s): %s %s %s: %s\n", n, field.Text(res.RecordID), p.Severity, p.Code, field.Text(path), field.Text(p.Message)); err != nil {
			return err
		}
	}
	return nil
}
