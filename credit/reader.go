package credit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
)

// RawRecord is one record as cut from an input stream, not yet decoded.
type RawRecord struct {
	// Index is the record's 1-based position in the input.
	Index int
	// Data holds the record's JSON text, a CR read as LF. It is only
	// valid until the next call to Next.
	Data []byte
	// Problem is set instead of Data when the record could not be cut
	// out of the input: RECORD_TOO_LARGE, or MALFORMED_JSON for a JSON
	// array whose structure is broken.
	Problem *Problem
}

// Reader cuts records out of an input holding one JSON record, a JSON
// array of records, or NDJSON (one record per line), the three shapes in
// which partners send data. It does not decode the records: a malformed
// record is handed on as it is, and the Validator reports it, so that one
// bad line never hides the lines after it.
//
// The shape is detected from the input: a leading '[' means an array; a
// first value that ends on its first line means NDJSON; anything else is
// read as a sequence of JSON values that may span lines (a pretty-printed
// record). Lines may end in LF, CRLF or a lone CR (as old Mac exports
// write them): the Reader reads every CR as LF, which changes no JSON
// value, since a JSON string cannot hold a raw CR. Each record is limited
// to MaxRecordBytes; memory use is bounded by that limit, not by the size
// of the input.
//
// A Reader made with a nil io.Reader (or the zero Reader) returns an error
// wrapping ErrNilArgument from Next.
type Reader struct {
	br       *bufio.Reader
	mode     readerMode
	index    int
	elements int // records read from the current JSON array
	buf      []byte
	done     bool
}

type readerMode int

const (
	modeUnknown readerMode = iota
	modeLines
	modeStream
	modeArray
)

// NewReader returns a Reader that reads from r.
func NewReader(r io.Reader) *Reader {
	if r == nil {
		return &Reader{}
	}
	return &Reader{br: bufio.NewReaderSize(crAsLF{r}, 64<<10)}
}

// crAsLF reads every CR as LF, so that lines ending in a lone CR are
// lines. A CRLF becomes two line ends, the second ending a blank line,
// which every mode skips. Outside strings a CR is white space like LF;
// inside one it is invalid JSON either way.
type crAsLF struct{ r io.Reader }

func (c crAsLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	b := p[:n]
	for i := bytes.IndexByte(b, '\r'); i >= 0; i = bytes.IndexByte(b, '\r') {
		b[i] = '\n'
		b = b[i+1:]
	}
	return n, err
}

// Next returns the next record. It returns io.EOF after the last record,
// and any other error only for a failure to read the input.
func (r *Reader) Next() (RawRecord, error) {
	if r == nil || r.br == nil {
		return RawRecord{}, fmt.Errorf("%w: the Reader has no input (NewReader(nil))", ErrNilArgument)
	}
	for {
		if r.done {
			return RawRecord{}, io.EOF
		}
		if r.mode == modeUnknown {
			if err := r.detect(); err != nil {
				return RawRecord{}, err
			}
		}
		var (
			rec RawRecord
			err error
		)
		switch r.mode {
		case modeLines:
			rec, err = r.nextLine()
		case modeArray:
			rec, err = r.nextElement()
		default:
			rec, err = r.nextValue()
		}
		if errors.Is(err, errShapeChange) {
			// An array ended, or one starts among other records:
			// detect the shape of what follows. A loop, not a
			// recursion, so that millions of [] cannot exhaust the
			// stack.
			r.mode = modeUnknown
			continue
		}
		if err != nil {
			r.done = true
			return RawRecord{}, err
		}
		return rec, nil
	}
}

// errShapeChange tells Next that the input changes shape: a JSON array
// ended, or a '[' starts one after NDJSON lines or other values.
var errShapeChange = errors.New("credit: input changes shape")

// All returns an iterator over the remaining records. It stops after the
// last record, or after yielding a read error (never io.EOF). The Data of
// a record is only valid during its iteration step.
func (r *Reader) All() iter.Seq2[RawRecord, error] {
	return func(yield func(RawRecord, error) bool) {
		for {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if !yield(rec, err) || err != nil {
				return
			}
		}
	}
}

func (r *Reader) emit(data []byte, p *Problem) RawRecord {
	r.index++
	r.elements++
	return RawRecord{Index: r.index, Data: data, Problem: p}
}

func tooLarge() *Problem {
	return &Problem{Code: CodeRecordTooLarge, Severity: SeverityError,
		Message: fmt.Sprintf("record is larger than %d bytes", MaxRecordBytes)}
}

// detect looks at the start of the input to choose the mode.
func (r *Reader) detect() error {
	if err := r.skipSpace(); err != nil {
		if err == io.EOF {
			r.done = true
		}
		return err
	}
	b, err := r.br.Peek(1)
	if err != nil {
		return err
	}
	if b[0] == '[' {
		r.mode = modeArray
		r.elements = 0
		_, _ = r.br.ReadByte()
		return nil
	}
	// If the first value closes before the first newline, the input is
	// NDJSON.
	if valueCloses(r.peekLine()) {
		r.mode = modeLines
	} else {
		r.mode = modeStream
	}
	return nil
}

// peekLine returns the first line of the unread input without its
// newline, or as much of it as the buffer holds. It waits for input only
// until the line is complete, so that a peer that sends one record and
// waits for its result (a pipe, a network stream) is answered.
func (r *Reader) peekLine() []byte {
	seen := 0 // bytes known to hold no newline
	for {
		n := r.br.Buffered()
		peek, _ := r.br.Peek(n)
		if nl := bytes.IndexByte(peek[seen:], '\n'); nl >= 0 {
			return peek[:seen+nl]
		}
		seen = n
		if n >= r.br.Size() {
			return peek
		}
		if _, err := r.br.Peek(n + 1); err != nil {
			peek, _ = r.br.Peek(r.br.Buffered()) // the input ends (or fails) within the line
			return peek
		}
	}
}

// skipSpace skips JSON whitespace and a UTF-8 byte order mark, which some
// spreadsheet exports put at the start.
func (r *Reader) skipSpace() error {
	if b, err := r.br.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		_, _ = r.br.Discard(3)
	}
	for {
		c, err := r.br.ReadByte()
		if err != nil {
			return err
		}
		if !isSpace(c) {
			return r.br.UnreadByte()
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// valueCloses reports whether a JSON value that starts at b[0] is complete
// within b.
func valueCloses(b []byte) bool {
	var s valueScanner
	for _, c := range b {
		if s.step(c) {
			return true
		}
	}
	return s.scalarEnd()
}

// valueScanner tracks nesting and strings to find where a JSON value ends
// without decoding it.
type valueScanner struct {
	depth    int
	inString bool
	escape   bool
	started  bool
	scalar   bool
}

// step consumes one byte and reports whether it ended an object, array or
// string value at the top level.
func (s *valueScanner) step(c byte) bool {
	if s.inString {
		switch {
		case s.escape:
			s.escape = false
		case c == '\\':
			s.escape = true
		case c == '"':
			s.inString = false
			return s.depth == 0
		}
		return false
	}
	s.started = true
	switch c {
	case '"':
		s.inString = true
	case '{', '[':
		s.depth++
	case '}', ']':
		s.depth--
		return s.depth <= 0
	default:
		if s.depth == 0 && !isSpace(c) {
			s.scalar = true
		}
	}
	return false
}

// scalarEnd reports whether the scanner has seen a complete top-level
// scalar (a number, true, false or null).
func (s *valueScanner) scalarEnd() bool { return s.scalar && s.depth == 0 && !s.inString }

// nextLine returns the next non-blank line.
func (r *Reader) nextLine() (RawRecord, error) {
	for {
		if err := r.skipSpace(); err != nil {
			return RawRecord{}, err // io.EOF at the end
		}
		if b, err := r.br.Peek(1); err == nil && b[0] == '[' {
			// An array among NDJSON lines: its records are read one by
			// one, not as one record that is an array.
			return RawRecord{}, errShapeChange
		}
		line, large, err := r.readLine()
		if err != nil && !(err == io.EOF && (len(line) > 0 || large)) {
			return RawRecord{}, err
		}
		if large {
			return r.emit(nil, tooLarge()), nil
		}
		if line = bytes.TrimSpace(line); len(line) > 0 {
			return r.emit(line, nil), nil
		}
	}
}

// readLine reads one line into r.buf, dropping the newline; a line longer
// than MaxRecordBytes is skipped and reported as large.
func (r *Reader) readLine() (line []byte, large bool, err error) {
	r.buf = r.buf[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		if !large {
			if len(r.buf)+len(chunk) > MaxRecordBytes+1 {
				large = true
				r.buf = r.buf[:0]
			} else {
				r.buf = append(r.buf, chunk...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil:
			return r.buf, large, err
		}
		return bytes.TrimSuffix(r.buf, []byte{'\n'}), large, nil
	}
}

// nextValue returns the next JSON value of a stream of values that may
// span lines. A value broken off by a string that runs past the end of
// its line, or by a '{' at the start of a line while a value is still
// open, is handed on as it is (the Validator reports it as malformed), and
// the rest of the input is read as NDJSON, the most likely shape of an
// input whose values can break that way.
func (r *Reader) nextValue() (RawRecord, error) {
	if err := r.skipSpace(); err != nil {
		return RawRecord{}, err
	}
	if b, err := r.br.Peek(1); err == nil && b[0] == '[' {
		return RawRecord{}, errShapeChange // an array among the values
	}
	r.buf = r.buf[:0]
	var s valueScanner
	large := false
	atLineStart, sawNewline := false, false
	for {
		c, err := r.br.ReadByte()
		if err == io.EOF {
			if large {
				return r.emit(nil, tooLarge()), nil
			}
			// Trailing white space is no part of the record, as on the
			// other paths (and byte counts in messages agree with the
			// record's own).
			return r.emit(bytes.TrimSpace(r.buf), nil), nil
		}
		if err != nil {
			return RawRecord{}, err
		}
		if atLineStart && s.depth > 0 && !s.inString && (c == '{' || c == '[') {
			_ = r.br.UnreadByte()
			r.mode = modeLines
			return r.emit(r.buf, nil), nil
		}
		if c == '\n' && s.inString {
			r.mode = modeLines
			return r.emit(r.buf, nil), nil
		}
		atLineStart = c == '\n'
		if !large {
			if len(r.buf) >= MaxRecordBytes {
				large = true
			} else {
				r.buf = append(r.buf, c)
			}
		}
		if s.step(c) || (s.scalar && isSpace(c)) {
			if !sawNewline && r.lineEndsHere() {
				// A one-line value ending its line: the input is NDJSON
				// after all (detect could not tell, say because the first
				// line was longer than its buffer), so go on line by line.
				r.mode = modeLines
			}
			if large {
				return r.emit(nil, tooLarge()), nil
			}
			return r.emit(bytes.TrimSpace(r.buf), nil), nil
		}
		sawNewline = sawNewline || c == '\n'
	}
}

// lineEndsHere reports whether only spaces follow on the current line (or
// the input ends).
func (r *Reader) lineEndsHere() bool {
	for n := 1; ; n++ {
		b, err := r.br.Peek(n)
		if len(b) < n {
			return err != nil // the input ends
		}
		switch b[n-1] {
		case '\n':
			return true
		case ' ', '\t', '\r':
			continue
		}
		return false
	}
}

// nextElement returns the next element of a top-level JSON array.
func (r *Reader) nextElement() (RawRecord, error) {
	newLine, err := r.skipSpaceAcrossLines()
	if err != nil {
		if err == io.EOF {
			return r.brokenArray("the array is not closed with ']'"), nil
		}
		return RawRecord{}, err
	}
	c, _ := r.br.ReadByte()
	if c == ']' {
		// Whatever follows the array (another array, more records) is
		// read too, never silently dropped.
		return RawRecord{}, errShapeChange
	}
	if r.elements > 0 {
		if c != ',' {
			if newLine {
				// The array was left open and a new line starts: that
				// line is the next record, not part of the break.
				_ = r.br.UnreadByte()
				r.mode = modeLines
				return r.emit(nil, malformedArray("the array is not closed with ']' before the next line")), nil
			}
			return r.brokenArray(fmt.Sprintf("expected ',' or ']' after record %d, found %q", r.index, c)), nil
		}
		if err := r.skipSpace(); err != nil {
			return r.brokenArray("the array ends after a ','"), nil
		}
	} else {
		_ = r.br.UnreadByte()
	}
	r.buf = r.buf[:0]
	var s valueScanner
	large := false
	atLineStart := false
	for {
		c, err := r.br.ReadByte()
		if err == io.EOF {
			return r.brokenArray("the array ends inside a record"), nil
		}
		if err != nil {
			return RawRecord{}, err
		}
		// The two signs of a record broken off mid-line, as in nextValue:
		// a '{' at the start of a line while the record is open, and a
		// string running past its line. Reading resumes at that line.
		if atLineStart && s.depth > 0 && !s.inString && c == '{' {
			_ = r.br.UnreadByte()
			return r.brokenArray("a record is not closed before the next line starts one"), nil
		}
		if c == '\n' && s.inString {
			return r.brokenArray("a string runs past the end of its line"), nil
		}
		atLineStart = c == '\n'
		if s.scalar && !s.inString && s.depth == 0 && (c == ',' || c == ']' || isSpace(c)) {
			_ = r.br.UnreadByte()
			return r.emit(r.buf, nil), nil
		}
		if !large {
			if len(r.buf) >= MaxRecordBytes {
				large = true
			} else {
				r.buf = append(r.buf, c)
			}
		}
		if s.step(c) {
			if large {
				return r.emit(nil, tooLarge()), nil
			}
			return r.emit(r.buf, nil), nil
		}
	}
}

// brokenArray reports a JSON array whose structure is broken. The rest of
// the line is dropped and reading goes on as NDJSON from the next line, the
// likeliest shape of what follows a broken line, so that one bad line never
// hides the records after it.
func (r *Reader) brokenArray(why string) RawRecord {
	r.skipLine()
	r.mode = modeLines
	return r.emit(nil, malformedArray(why))
}

func malformedArray(why string) *Problem {
	return &Problem{Code: CodeMalformedJSON, Severity: SeverityError, Message: "malformed JSON array: " + why}
}

// skipSpaceAcrossLines is skipSpace that also reports whether it crossed a
// line end.
func (r *Reader) skipSpaceAcrossLines() (newLine bool, err error) {
	for {
		c, err := r.br.ReadByte()
		if err != nil {
			return newLine, err
		}
		if !isSpace(c) {
			return newLine, r.br.UnreadByte()
		}
		newLine = newLine || c == '\n'
	}
}

// skipLine discards the input up to and including the next newline.
func (r *Reader) skipLine() {
	for {
		if _, err := r.br.ReadSlice('\n'); !errors.Is(err, bufio.ErrBufferFull) {
			return
		}
	}
}
