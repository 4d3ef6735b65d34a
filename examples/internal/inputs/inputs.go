// Package inputs resolves what the example programs take on their command
// lines: rule sets given by id or file, FX-rate files, and input files
// where "-" (or no file at all) means standard input.
package inputs

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/creditsco/creditsco/credit"
)

// RuleSet returns the rule set that spec names: a rule set of reg by id,
// or else a rule-set JSON file. A file that extends another rule set is
// registered in reg, which must hold the parent, and returned resolved.
func RuleSet(reg *credit.RuleSetRegistry, spec string) (*credit.RuleSet, error) {
	if rs, ok := reg.Lookup(spec); ok {
		return rs, nil
	}
	f, err := os.Open(spec)
	if err != nil {
		return nil, fmt.Errorf("-ruleset %s: not a built-in rule set (%s) nor a readable file: %v", spec, strings.Join(reg.IDs(), ", "), err)
	}
	defer f.Close()
	rs, err := credit.LoadRuleSet(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec, err)
	}
	if rs.Resolved() {
		return rs, nil
	}
	if err := reg.Register(rs); err != nil {
		return nil, fmt.Errorf("%s: %w", spec, err)
	}
	rs, _ = reg.LookupVersion(rs.ID, rs.Version) // the file's, not a higher version of its id
	return rs, nil
}

// Rates loads the FX-rates file at path; an empty path means no rates.
func Rates(path string) (*credit.Rates, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rates, err := credit.LoadRates(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rates, nil
}

// Names returns the input file names, or "-" (standard input) when there
// are none.
func Names(files []string) []string {
	if len(files) == 0 {
		return []string{"-"}
	}
	return files
}

// Open opens the named input; "-" is stdin. The returned function closes
// it.
func Open(name string, stdin io.Reader) (io.Reader, func(), error) {
	if name == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}
