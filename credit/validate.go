package credit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/creditsco/creditsco/credit/ident"
	"github.com/shopspring/decimal"
)

// ValidatorOptions configures a Validator. The zero value is ready to use.
type ValidatorOptions struct {
	// Identifiers holds the identifier schemes that records may use. Nil
	// means the built-in schemes of package ident (ident.Default()); give
	// a registry of your own to accept schemes you registered.
	Identifiers *ident.Registry
	// Workers is the number of goroutines of ValidateStream. Zero or
	// less: runtime.GOMAXPROCS(0).
	Workers int
}

// Validator checks enterprise records in two layers, the JSON Schema of
// the standard and the semantic rules that a schema cannot express, and
// turns valid ones into typed Records. It is built once and is safe for
// concurrent use.
//
// The zero Validator (and a nil *Validator) validates like ParseRecord,
// with the built-in identifier schemes.
type Validator struct {
	schema  *boundedSchema
	idents  *ident.Registry
	workers int
}

// Validation is the outcome of checking one record.
type Validation struct {
	// Record is the typed record; nil when Problems holds an error.
	Record *Record
	// RecordID is the record's record_id when it could be read, also
	// from an invalid record, so that reports can name it.
	RecordID string
	// Problems lists every problem found, errors and warnings, sorted by
	// path and code.
	Problems Problems
}

// Valid reports whether the record has no problem of severity error.
func (v *Validation) Valid() bool { return !v.Problems.HasErrors() }

// NewValidator returns a Validator. It fails only if the embedded record
// schema does not compile, which the tests of this package rule out.
func NewValidator(opts ValidatorOptions) (*Validator, error) {
	s, err := recordSchema()
	if err != nil {
		return nil, fmt.Errorf("credit: compiling the record schema: %w", err)
	}
	idents := opts.Identifiers
	if idents == nil {
		idents = ident.Default()
	}
	return &Validator{schema: s, idents: idents, workers: opts.Workers}, nil
}

var defaultValidator = sync.OnceValues(func() (*Validator, error) {
	return NewValidator(ValidatorOptions{})
})

// ParseRecord checks one JSON record with a shared Validator using the
// built-in identifier schemes.
func ParseRecord(data []byte) Validation {
	v, err := defaultValidator()
	if err != nil {
		return Validation{Problems: Problems{{Code: CodeSchemaViolation, Severity: SeverityError, Message: err.Error()}}}
	}
	return v.Validate(data)
}

// Validate checks one JSON record and reports its problems: all of them,
// or the first MaxProblems and a TOO_MANY_PROBLEMS problem counting the
// rest. Work and memory are bounded by the record standard, whatever the
// record holds (see MaxRecordBytes and MaxProblems).
//
// Decoding problems (malformed JSON, invalid UTF-8, limits) stop the check.
// Otherwise the schema layer runs in full, and when it finds no error the
// record is typed and the semantic layer runs: semantic rules compare
// typed values, so they need the fields that the schema requires.
func (v *Validator) Validate(data []byte) Validation {
	if v == nil || v.schema == nil {
		d, err := defaultValidator()
		if err != nil {
			return Validation{Problems: Problems{{Code: CodeSchemaViolation, Severity: SeverityError, Message: err.Error()}}}
		}
		return d.Validate(data)
	}
	ps := problemList{limit: MaxProblems}
	tree := decodeJSON(data, recordLimits, &ps)
	if tree == nil && ps.hasErrors() {
		// Decoding stopped. (A nil tree without problems is the JSON
		// literal null, which the schema layer rejects below.)
		return Validation{Problems: ps.result(CodeTooManyProblems, "record")}
	}
	out := Validation{RecordID: recordIDOf(tree)}
	v.schema.validate(tree, &ps)
	ps.addAll(integerLiterals(tree))
	if ps.hasErrors() {
		out.Problems = ps.result(CodeTooManyProblems, "record")
		return out
	}
	rec, err := recordFromTree(tree)
	if err != nil {
		// The schema admitted something the typed model cannot hold;
		// report it rather than guess.
		ps.add(Problem{Code: CodeSchemaViolation, Severity: SeverityError,
			Message: "record passed the schema but could not be typed: " + err.Error()})
		out.Problems = ps.result(CodeTooManyProblems, "record")
		return out
	}
	semanticProblems(rec, v.idents, &ps)
	out.Problems = ps.result(CodeTooManyProblems, "record")
	if !out.Problems.HasErrors() {
		out.Record = rec
	}
	return out
}

// ValidateRaw checks a record as the Reader cut it: a record the Reader
// could not cut (RawRecord.Problem set) is reported with that problem.
func (v *Validator) ValidateRaw(raw RawRecord) Validation {
	if raw.Problem != nil {
		return Validation{Problems: Problems{*raw.Problem}}
	}
	return v.Validate(raw.Data)
}

// ValidateStream reads records from r (one JSON record, a JSON array of
// records, or NDJSON, as Reader splits them), validates them on the
// validator's workers (ValidatorOptions.Workers, by default GOMAXPROCS)
// and calls emit once per record, in input order, from the calling
// goroutine, with the record's 1-based index in the input and its
// Validation. A record the Reader could not cut is reported as
// ValidateRaw reports it; no record is dropped.
//
// Memory stays bounded, as in Engine.ScoreStream: at most about three
// records per worker are in flight. ValidateStream stops and returns the
// error when emit returns one, when ctx is cancelled (ctx.Err()) or on an
// I/O error of r; the Validations of the records before an I/O error are
// emitted first. A nil context, reader or emit is an error wrapping
// ErrNilArgument, returned before anything is read.
func (v *Validator) ValidateStream(ctx context.Context, r io.Reader, emit func(index int, res Validation) error) error {
	if v == nil || v.schema == nil {
		d, err := defaultValidator()
		if err != nil {
			return err
		}
		v = d
	}
	if emit == nil {
		return fmt.Errorf("%w: ValidateStream needs an emit function", ErrNilArgument)
	}
	type indexed struct {
		index int
		res   Validation
	}
	return ProcessStream(ctx, r, v.workers,
		func(raw RawRecord) indexed { return indexed{raw.Index, v.ValidateRaw(raw)} },
		func(x indexed) error { return emit(x.index, x.res) })
}

func recordIDOf(tree any) string {
	if m, ok := tree.(map[string]any); ok {
		if id, ok := m["record_id"].(string); ok && utf8.RuneCountInString(id) <= 128 {
			// A copy: the tree's strings share the record's whole text,
			// which a kept Validation would otherwise hold.
			return strings.Clone(id)
		}
	}
	return ""
}

// integerLiterals reports integer fields written as 12.0 or 1.2e1. JSON
// Schema counts them as integers (their value is whole), but Go and many
// other languages read them as floating point, so the standard asks for
// the plain form.
func integerLiterals(tree any) Problems {
	root, _ := tree.(map[string]any)
	var ps Problems
	check := func(path string, v any) {
		// Only whole values: the schema layer reports 12.5 itself.
		if n, ok := v.(json.Number); ok && strings.ContainsAny(string(n), ".eE") && isWhole(n) {
			ps = append(ps, Problem{Path: path, Code: CodeWrongType, Severity: SeverityError,
				Message: fmt.Sprintf("expected an integer written without fraction or exponent, got %s", n)})
		}
	}
	if e, ok := root["enterprise"].(map[string]any); ok {
		check("/enterprise/employees", e["employees"])
	}
	fins, _ := root["financials"].([]any)
	for i, f := range fins {
		if st, ok := f.(map[string]any); ok {
			check("/financials/"+strconv.Itoa(i)+"/period_months", st["period_months"])
		}
	}
	return ps
}

func isWhole(n json.Number) bool {
	d, err := decimal.NewFromString(string(n))
	return err == nil && d.IsInteger()
}
