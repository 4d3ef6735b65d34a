package hostile

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Recipe describes a generated input (a NAME.gen file): a document made of
// Prefix, then Unit repeated (Count times, or as often as fits in Size
// bytes) and joined by Separator, then Suffix; the document is written
// Copies times, each copy followed by a newline when there are several.
// "{{i}}" in Unit is replaced by the unit's 0-based index, for unique keys.
type Recipe struct {
	Prefix, Unit, Separator, Suffix string
	Count, Size, Copies             int
}

// maxGenerated bounds what a recipe may generate, so that a typo in a
// recipe cannot fill the disk.
const maxGenerated = 64 << 20

// ParseRecipe reads a recipe: one "KEY VALUE" per line, the key separated
// from the value by one space; blank lines and lines starting with '#' are
// ignored. Keys: prefix, unit, separator, suffix (strings, with the escapes
// \n \r \t \\ \xHH), count, size, copies (decimal integers). unit and one
// of count and size are required; copies defaults to 1.
func ParseRecipe(r io.Reader) (*Recipe, error) {
	rc := &Recipe{Copies: 1}
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, _ := strings.Cut(line, " ")
		if seen[key] {
			return nil, fmt.Errorf("line %d: %s given twice", n, key)
		}
		seen[key] = true
		var err error
		switch key {
		case "prefix":
			rc.Prefix, err = unescape(val)
		case "unit":
			rc.Unit, err = unescape(val)
		case "separator":
			rc.Separator, err = unescape(val)
		case "suffix":
			rc.Suffix, err = unescape(val)
		case "count":
			rc.Count, err = positive(key, val)
		case "size":
			rc.Size, err = positive(key, val)
		case "copies":
			rc.Copies, err = positive(key, val)
		default:
			err = fmt.Errorf("unknown key %q", key)
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	switch {
	case rc.Unit == "":
		return nil, fmt.Errorf("no unit")
	case seen["count"] == seen["size"]:
		return nil, fmt.Errorf("give one of count and size")
	}
	return rc, nil
}

func positive(key, val string) (int, error) {
	v, err := strconv.Atoi(val)
	if err == nil && v < 1 {
		err = fmt.Errorf("%s must be at least 1", key)
	}
	return v, err
}

// unescape decodes the escapes of a recipe string.
func unescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(s) {
			return "", fmt.Errorf("%q ends in a backslash", s)
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '\\':
			b.WriteByte('\\')
		case 'x':
			if i+2 >= len(s) {
				return "", fmt.Errorf("%q: short \\x escape", s)
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", fmt.Errorf("%q: bad \\x escape", s)
			}
			b.WriteByte(byte(v))
			i += 2
		default:
			return "", fmt.Errorf("%q: unknown escape \\%c", s, s[i])
		}
	}
	return b.String(), nil
}

// Generate writes the recipe's input to w, without holding it in memory.
func (rc *Recipe) Generate(w io.Writer) error {
	for range rc.Copies {
		if err := rc.document(w); err != nil {
			return err
		}
		if rc.Copies > 1 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
	}
	return nil
}

// document writes one copy of the document.
func (rc *Recipe) document(w io.Writer) error {
	n := len(rc.Prefix)
	if _, err := io.WriteString(w, rc.Prefix); err != nil {
		return err
	}
	for i := 0; ; i++ {
		unit := strings.ReplaceAll(rc.Unit, "{{i}}", strconv.Itoa(i))
		sep := ""
		if i > 0 {
			sep = rc.Separator
		}
		if rc.Count > 0 && i >= rc.Count || rc.Size > 0 && n+len(sep)+len(unit)+len(rc.Suffix) > rc.Size {
			break
		}
		n += len(sep) + len(unit)
		if n*rc.Copies > maxGenerated {
			return fmt.Errorf("the recipe generates more than %d bytes", maxGenerated)
		}
		if _, err := io.WriteString(w, sep+unit); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, rc.Suffix)
	return err
}
