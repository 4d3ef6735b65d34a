package main

import (
	"bufio"
	"io"
	"strings"

	"github.com/creditsco/creditsco/credit/ident"
	"github.com/creditsco/creditsco/examples/internal/field"
)

// maxIDLine bounds one input line; identifiers are short, so anything longer is
// garbage and must not make the scanner buffer grow without limit.
const maxIDLine = 64 * 1024

// checkIdentifiers reads lines "SCHEME<TAB>VALUE" and writes one line per input line, in order:
// "ok<TAB>SCHEME<TAB>NORMALIZED" or "invalid<TAB>SCHEME<TAB>CODE<TAB>message", CODE one of LENGTH FORMAT CHECKSUM COMPONENT UNKNOWN_SCHEME.
// A line without a TAB is reported as invalid with code FORMAT. It returns whether any line was invalid, and an I/O error if reading/writing failed.
//
// Messages never contain the value (identifiers of individuals are personal
// data). A UTF-8 byte order mark at the start of the input is skipped (editors
// on Windows write one), and a trailing CR is dropped so files with CRLF line
// ends work. Output lines cannot be forged by the input: control characters
// (TAB, CR, LF, ...) and the Unicode line and paragraph separators in SCHEME
// or in a message are written as spaces, and invalid UTF-8 as U+FFFD.
func checkIdentifiers(r io.Reader, w io.Writer) (anyInvalid bool, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxIDLine)
	bw := bufio.NewWriter(w)
	for first := true; sc.Scan(); first = false {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if first {
			line = strings.TrimPrefix(line, utf8BOM)
		}
		scheme, value, ok := strings.Cut(line, "\t")
		scheme = strings.TrimSpace(scheme)
		name := field.Text(scheme)
		if !ok {
			anyInvalid = true
			_, err = io.WriteString(bw, "invalid\t"+name+"\tFORMAT\tline has no TAB between scheme and value\n")
		} else if n, verr := ident.Validate(scheme, value); verr != nil {
			anyInvalid = true
			_, err = io.WriteString(bw, "invalid\t"+name+"\t"+ident.Code(verr)+"\t"+field.Text(verr.Error())+"\n")
		} else {
			// n passed validation, so it holds only ASCII letters and digits.
			_, err = io.WriteString(bw, "ok\t"+name+"\t"+n+"\n")
		}
		if err != nil {
			return anyInvalid, err
		}
	}
	if err := sc.Err(); err != nil {
		return anyInvalid, err
	}
	return anyInvalid, bw.Flush()
}

// utf8BOM is the UTF-8 encoding of U+FEFF, skipped at the start of the input.
const utf8BOM = "\uFEFF"
