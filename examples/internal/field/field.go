// Package field holds what the example programs share when they write
// line-oriented reports: text from partner data (record ids, messages) is
// made safe to put in one field of one line.
package field

import (
	"strings"
	"unicode"
)

// Text replaces control characters (C0 and C1, tabs and line breaks
// included), the Unicode line and paragraph separators and the
// bidirectional controls with spaces, so that text taken from input can
// neither add fields to a tab-separated line, nor add lines to a report,
// nor reorder what a terminal shows.
func Text(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
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
