package main

import (
	"bufio"
	"io"
	"strings"

	"github.com/creditsco/creditsco/credit/ident"
)

// maxIDLine bounds one input line; identifiers are short, so anything longer is
// garbage and must not make the scanner buffer grow without limit.
const maxIDLine = 64 * 1024

// checkIdentifiers reads lines "SCHEME<TAB>VALUE" and writes one line per input line, in order:
// "ok<TAB>SCHEME<TAB>NORMALIZED" or "invalid<TAB>SCHEME<TAB>CODE<TAB>message", CODE one of LENGTH FORMAT CHECKSUM COMPONENT UNKNOWN_SCHEME.
// A line without a TAB is reported as invalid with code FORMAT. It returns whether any line was invalid, and an I/O error if reading/writing failed.
//
// Messages never contain the value (identifiers of individuals are personal
// data). A trailing CR is dropped so files with CRLF line ends work.
func checkIdentifiers(r io.Reader, w io.Writer) (anyInvalid bool, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxIDLine)
	bw := bufio.NewWriter(w)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		scheme, value, ok := strings.Cut(line, "\t")
		scheme = strings.TrimSpace(scheme)
		if !ok {
			anyInvalid = true
			_, err = io.WriteString(bw, "invalid\t"+scheme+"\tFORMAT\tline has no TAB between scheme and value\n")
		} else if n, verr := ident.Validate(scheme, value); verr != nil {
			anyInvalid = true
			_, err = io.WriteString(bw, "invalid\t"+scheme+"\t"+ident.Code(verr)+"\t"+verr.Error()+"\n")
		} else {
			_, err = io.WriteString(bw, "ok\t"+scheme+"\t"+n+"\n")
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
