// Package field holds what the example programs share when they write
// line-oriented reports: text from partner data (record ids, messages) is
// made safe to put in one field of one line.
package field

import "strings"

// Text replaces control characters (tabs and line breaks included, and
// the Unicode line and paragraph separators) with spaces, so that text
// taken from input can neither add fields to a tab-separated line nor add
// lines to a report.
func Text(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u0085' || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// ID prepares a record or document id for a report: "-" when it is empty,
// else Text(id).
func ID(id string) string {
	if id == "" {
		return "-"
	}
	return Text(id)
}
