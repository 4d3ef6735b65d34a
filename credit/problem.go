package credit

import (
	"cmp"
	"errors"
	"slices"
	"strings"
)

// Severity says what a Problem does to a record.
type Severity string

const (
	// SeverityError rejects the record: it is not scored.
	SeverityError Severity = "error"
	// SeverityWarning keeps the record but lowers its data quality.
	SeverityWarning Severity = "warning"
)

// Problem is one thing wrong with a record, reported at the place it
// occurs. Path is an RFC 6901 JSON Pointer into the record ("" for the
// record as a whole, "/financials/1/current_assets" for a field); Code is a
// stable UPPER_SNAKE identifier that programs match on; Message is plain
// English for people and may change between versions.
//
// Problem implements error, and errors.Is(p, ErrInvalidRecord) holds for
// problems of severity error.
type Problem struct {
	// Path is an RFC 6901 JSON Pointer into the record; "" for the record
	// as a whole.
	Path string `json:"path"`
	// Code is a stable UPPER_SNAKE identifier of the kind of problem, for
	// programs to match on.
	Code string `json:"code"`
	// Severity says whether the problem rejects the record.
	Severity Severity `json:"severity"`
	// Message explains the problem in plain English for people; it may
	// change between versions.
	Message string `json:"message"`
}

// ErrInvalidRecord matches, with errors.Is, every Problem of severity error
// and every Problems list that holds one.
var ErrInvalidRecord = errors.New("credit: invalid record")

// Error returns "PATH: CODE: message", or "CODE: message" for a problem
// of the document as a whole (an empty Path), which may be a record or a
// rule set.
func (p *Problem) Error() string {
	if p.Path == "" {
		return p.Code + ": " + p.Message
	}
	return p.Path + ": " + p.Code + ": " + p.Message
}

// Is reports whether target is ErrInvalidRecord and p is an error.
func (p *Problem) Is(target error) bool {
	return target == ErrInvalidRecord && p.Severity == SeverityError
}

// Problems is the list of problems of one record, sorted by path, then code,
// then message, so that the same record always gives the same list.
//
// As an error it unwraps to its members, so errors.As finds a *Problem and
// errors.Is(ps, ErrInvalidRecord) reports whether any is an error.
type Problems []Problem

// Error joins the problems, one per line.
func (ps Problems) Error() string {
	var b strings.Builder
	for i := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(ps[i].Error())
	}
	return b.String()
}

// Unwrap returns the problems as errors.
func (ps Problems) Unwrap() []error {
	errs := make([]error, len(ps))
	for i := range ps {
		errs[i] = &ps[i]
	}
	return errs
}

// HasErrors reports whether any problem has severity error.
func (ps Problems) HasErrors() bool {
	for i := range ps {
		if ps[i].Severity == SeverityError {
			return true
		}
	}
	return false
}

// Warnings returns the problems of severity warning.
func (ps Problems) Warnings() Problems {
	var ws Problems
	for _, p := range ps {
		if p.Severity == SeverityWarning {
			ws = append(ws, p)
		}
	}
	return ws
}

// sortProblems orders problems by path (comparing array indices as numbers,
// so /payments/10 follows /payments/9), then code, then message, and drops
// exact duplicates.
func sortProblems(ps Problems) Problems {
	slices.SortFunc(ps, func(a, b Problem) int {
		if c := comparePointers(a.Path, b.Path); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		return cmp.Compare(a.Message, b.Message)
	})
	return slices.Compact(ps)
}

func comparePointers(a, b string) int {
	for a != "" && b != "" {
		var sa, sb string
		sa, a = nextToken(a)
		sb, b = nextToken(b)
		if c := compareTokens(sa, sb); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func nextToken(p string) (tok, rest string) {
	p = strings.TrimPrefix(p, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i], p[i:]
	}
	return p, ""
}

func compareTokens(a, b string) int {
	na, aok := atoiDigits(a)
	nb, bok := atoiDigits(b)
	if aok && bok && a != "" && b != "" {
		return cmp.Compare(na, nb)
	}
	return cmp.Compare(a, b)
}

// pointer appends reference tokens to a JSON Pointer, escaping "~" and "/"
// as RFC 6901 requires.
func pointer(base string, tokens ...string) string {
	for _, t := range tokens {
		t = strings.ReplaceAll(t, "~", "~0")
		t = strings.ReplaceAll(t, "/", "~1")
		base += "/" + t
	}
	return base
}
