package calibrate

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/creditsco/creditsco/credit"
)

// Errors of labelled input.
var (
	// ErrNoOutcome: a record has no outcome, so it cannot be used to fit or
	// back-test.
	ErrNoOutcome = errors.New("calibrate: record without outcome")
	// ErrInvalidRecord: a record fails validation.
	ErrInvalidRecord = errors.New("calibrate: invalid record")
	// ErrTooManyRecords: the input holds more records than allowed.
	ErrTooManyRecords = errors.New("calibrate: too many records")
)

// DefaultMaxRecords bounds the records a Dataset holds unless
// ReadOptions.MaxRecords says otherwise.
const DefaultMaxRecords = 1_000_000

// RecordError is the error of one input record: its position, id and
// what is wrong with it. It wraps ErrInvalidRecord or ErrNoOutcome.
type RecordError struct {
	// Source names the input (a file name, or "" for an unnamed reader).
	Source string
	// Index is the record's 1-based position in its input.
	Index int
	// RecordID is the record's record_id, if it could be read.
	RecordID string
	// Problems are the validation errors of an invalid record.
	Problems credit.Problems
	// Err is ErrInvalidRecord or ErrNoOutcome.
	Err error
}

func (e *RecordError) Error() string {
	var b strings.Builder
	if e.Source != "" {
		b.WriteString(e.Source + ": ")
	}
	fmt.Fprintf(&b, "record %d", e.Index)
	if e.RecordID != "" {
		fmt.Fprintf(&b, " (%q)", e.RecordID)
	}
	if errors.Is(e.Err, ErrNoOutcome) {
		b.WriteString(": no outcome.defaulted: labelled data needs the observed outcome of every record")
		return b.String()
	}
	b.WriteString(": invalid")
	n := 0
	for _, p := range e.Problems {
		if p.Severity != credit.SeverityError {
			continue
		}
		if n == 3 {
			b.WriteString("; ...")
			break
		}
		sep := ": "
		if n > 0 {
			sep = "; "
		}
		// The message too: it says what to fix (a CSV file's
		// MALFORMED_JSON says that JSON or NDJSON is expected).
		path := p.Path
		if path == "" {
			path = "(record)"
		}
		fmt.Fprintf(&b, "%s%s %s: %s", sep, path, p.Code, p.Message)
		n++
	}
	return b.String()
}

func (e *RecordError) Unwrap() error { return e.Err }

// Example is one labelled record.
type Example struct {
	// Record is the validated record.
	Record *credit.Record
	// Defaulted is the observed outcome (Record.Outcome.Defaulted).
	Defaulted bool
	// hash is the SHA-256 of the record's JSON text as read.
	hash [sha256.Size]byte
}

// Dataset is a set of labelled records read from one or more inputs.
type Dataset struct {
	// Examples are the records in input order.
	Examples []Example
}

// ReadOptions configures Dataset.Read and Backtester.AddStream.
type ReadOptions struct {
	// Validator checks the records; nil means the built-in identifier
	// schemes.
	Validator *credit.Validator
	// MaxRecords bounds the number of records; 0 means
	// DefaultMaxRecords.
	MaxRecords int
}

// Read reads labelled records from r, as credit.Reader does (one
// record, a JSON array or NDJSON), gzip-compressed or not (detected from
// the gzip magic bytes), and appends them to d. source names the input
// in errors. Every record must be valid and carry outcome.defaulted: the
// first one that is not stops the read with a *RecordError (records
// before it stay in d). Warnings do not stop it.
func (d *Dataset) Read(r io.Reader, source string, opts ReadOptions) error {
	max := opts.MaxRecords
	if max <= 0 {
		max = DefaultMaxRecords
	}
	v, in, closeFn, err := opts.decompress(r, source)
	if err != nil {
		return err
	}
	defer closeFn()
	rd := credit.NewReader(in)
	for {
		raw, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("calibrate: %s: %w", source, err)
		}
		if len(d.Examples) >= max {
			return fmt.Errorf("%w: %s holds more than %d records", ErrTooManyRecords, source, max)
		}
		h := sha256.Sum256(raw.Data)
		val := v.ValidateRaw(raw)
		if val.Record == nil {
			return &RecordError{Source: source, Index: raw.Index, RecordID: val.RecordID, Problems: val.Problems, Err: ErrInvalidRecord}
		}
		if val.Record.Outcome == nil {
			return &RecordError{Source: source, Index: raw.Index, RecordID: val.RecordID, Err: ErrNoOutcome}
		}
		d.Examples = append(d.Examples, Example{Record: val.Record, Defaulted: val.Record.Outcome.Defaulted, hash: h})
	}
}

// decompress returns the validator of the options and r, decompressed if
// need be, with the function that closes it.
func (o ReadOptions) decompress(r io.Reader, source string) (*credit.Validator, io.Reader, func(), error) {
	v := o.Validator
	if v == nil {
		var err error
		if v, err = credit.NewValidator(credit.ValidatorOptions{}); err != nil {
			return nil, nil, nil, err
		}
	}
	in, closeFn, err := Decompress(r)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("calibrate: %s: %w", source, err)
	}
	return v, in, closeFn, nil
}

// Decompress returns r itself, or a gzip reader over it when r starts with
// the gzip magic bytes (1f 8b). The returned function closes the gzip
// reader.
func Decompress(r io.Reader) (io.Reader, func(), error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, err := br.Peek(2)
	if err != nil && err != io.EOF {
		return nil, nil, err
	}
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		return gz, func() { gz.Close() }, nil
	}
	return br, func() {}, nil
}

// Defaults returns the number of defaulted examples.
func (d *Dataset) Defaults() int {
	n := 0
	for i := range d.Examples {
		if d.Examples[i].Defaulted {
			n++
		}
	}
	return n
}

// Digest returns "sha256:" and the hex SHA-256 of the concatenated
// SHA-256 digests of the examples' JSON texts as read, in order: it
// names exactly the records (and their order) a rule set was fitted on,
// and a subset's digest can be computed without the original files.
func (d *Dataset) Digest() string {
	h := sha256.New()
	for i := range d.Examples {
		h.Write(d.Examples[i].hash[:])
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Filter returns the examples for which keep returns true, as a new
// Dataset sharing the records.
func (d *Dataset) Filter(keep func(*Example) bool) *Dataset {
	out := &Dataset{}
	for i := range d.Examples {
		if keep(&d.Examples[i]) {
			out.Examples = append(out.Examples, d.Examples[i])
		}
	}
	return out
}

// check reports a dataset that cannot be fitted or tested: fewer than two
// records, or only one outcome.
func (d *Dataset) check() error {
	n := len(d.Examples)
	if n < 2 {
		return fmt.Errorf("%w: %d labelled record(s); at least one default and one non-default are needed", ErrTooFewRecords, n)
	}
	switch bad := d.Defaults(); bad {
	case 0:
		return fmt.Errorf("%w among %d records: default rates and WoE are undefined", ErrNoDefaults, n)
	case n:
		return fmt.Errorf("%w among %d records: every record defaulted", ErrNoNonDefaults, n)
	}
	return nil
}
