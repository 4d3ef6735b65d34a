package inputs

import (
	"errors"
	"flag"
	"fmt"
)

// ErrFlagAfterOperand is returned by ParseFlags for a flag written after
// the first operand.
var ErrFlagAfterOperand = errors.New("flag after the operands")

// ParseFlags parses args with fs as fs.Parse does, and refuses a flag
// written after the first operand (a file name, an id): the flag package
// stops at the first operand, so "score FILE -rates R" would score FILE
// without rates and then fail to open "-rates". The refusal is reported on
// fs.Output(), followed by fs.Usage, as fs.Parse reports a bad flag; the
// caller exits with its usage status (2), as for any error of fs.Parse
// (flag.ErrHelp for -h passes through unchanged).
//
// "-" alone is an operand (standard input). To give an operand that
// starts with '-', end the flags with "--": every argument after it is an
// operand.
func ParseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	rest := fs.Args()
	if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
		return nil
	}
	for _, a := range rest {
		if len(a) > 1 && a[0] == '-' {
			fmt.Fprintf(fs.Output(), "%s: flag %s after the operands: write flags before them, as in %s %s ... %s (or write -- before an operand that starts with '-')\n",
				fs.Name(), a, fs.Name(), a, rest[0])
			if fs.Usage != nil {
				fs.Usage()
			}
			return fmt.Errorf("%w: %s", ErrFlagAfterOperand, a)
		}
	}
	return nil
}
