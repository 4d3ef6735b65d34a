package main

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/creditsco/creditsco/credit/ident"
	"github.com/creditsco/creditsco/examples/internal/field"
)

// maxIDLine bounds one input line; identifiers are short, so anything longer is
// garbage: it is reported and skipped, and reading goes on.
const maxIDLine = 64 * 1024

// checkIdentifiers reads lines "SCHEME<TAB>VALUE" and writes one line per input line, in order:
// "ok<TAB>SCHEME<TAB>NORMALIZED" or "invalid<TAB>SCHEME<TAB>CODE<TAB>message", CODE one of
// LENGTH FORMAT CHECKSUM COMPONENT PLACEHOLDER UNKNOWN_SCHEME. A line without a TAB is
// reported as invalid with code FORMAT, a line longer than 64 KiB with code LENGTH. It returns
// whether any line was invalid, and an I/O error if reading/writing failed.
//
// Messages never contain the value (identifiers of individuals are personal
// data). A UTF-8 byte order mark at the start of the input is skipped (editors
// on Windows write one), and lines may end in LF, CRLF or a lone CR. Output
// lines cannot be forged by the input: control characters (TAB, CR, LF, ...)
// and the Unicode line and paragraph separators in SCHEME or in a message are
// written as spaces, and invalid UTF-8 as U+FFFD.
func checkIdentifiers(r io.Reader, w io.Writer) (anyInvalid bool, err error) {
	lr := lineReader{br: bufio.NewReaderSize(r, 64<<10)}
	bw := bufio.NewWriter(w)
	for first := true; ; first = false {
		line, long, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return anyInvalid, err
		}
		if first {
			line = strings.TrimPrefix(line, utf8BOM)
		}
		scheme, value, ok := strings.Cut(line, "\t")
		scheme = strings.TrimSpace(scheme)
		name := field.Text(scheme)
		switch {
		case long:
			anyInvalid = true
			if !ok {
				name = ""
			}
			_, err = io.WriteString(bw, "invalid\t"+name+"\tLENGTH\tline longer than "+strconv.Itoa(maxIDLine)+" bytes; a line is SCHEME<TAB>VALUE\n")
		case !ok:
			anyInvalid = true
			_, err = io.WriteString(bw, "invalid\t"+name+"\tFORMAT\tline has no TAB between scheme and value\n")
		default:
			if n, verr := ident.Validate(scheme, value); verr != nil {
				anyInvalid = true
				_, err = io.WriteString(bw, "invalid\t"+name+"\t"+ident.Code(verr)+"\t"+field.Text(verr.Error())+"\n")
			} else {
				// n passed validation, so it holds only ASCII letters and digits.
				_, err = io.WriteString(bw, "ok\t"+name+"\t"+n+"\n")
			}
		}
		if err != nil {
			return anyInvalid, err
		}
	}
	return anyInvalid, bw.Flush()
}

// utf8BOM is the UTF-8 encoding of U+FEFF, skipped at the start of the input.
const utf8BOM = "\uFEFF"

// lineReader reads lines that end in LF, CRLF or a lone CR, in bounded memory.
type lineReader struct {
	br  *bufio.Reader
	buf []byte
}

// next returns the next line without its line end. A line longer than
// maxIDLine is returned cut to maxIDLine bytes, with long set; the rest of
// it is skipped. At the end of the input it returns io.EOF.
func (l *lineReader) next() (line string, long bool, err error) {
	l.buf = l.buf[:0]
	for {
		c, err := l.br.ReadByte()
		if err != nil {
			if err == io.EOF && (len(l.buf) > 0 || long) {
				return string(l.buf), long, nil // the last line has no line end
			}
			return "", false, err
		}
		switch c {
		case '\r':
			if next, err := l.br.Peek(1); err == nil && next[0] == '\n' {
				_, _ = l.br.Discard(1)
			}
			fallthrough
		case '\n':
			return string(l.buf), long, nil
		}
		if len(l.buf) < maxIDLine {
			l.buf = append(l.buf, c)
		} else {
			long = true
		}
	}
}
