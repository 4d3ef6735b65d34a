package ident

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// normalizer turns user input into the compact canonical form of a scheme.
//
// Every transformation is listed here because each one could, in principle,
// turn garbage into a valid-looking number; only mappings that reflect how the
// numbers are really written are applied:
//   - fullwidth forms (every scheme): U+FF01..U+FF5E become the ASCII
//     characters U+0021..U+007E they stand for ("０" is the digit 0, "Ａ" the
//     letter A) and the ideographic space U+3000 becomes a space, because
//     Chinese and Japanese input methods produce them; the result then goes
//     through the rules below like any other ASCII character;
//   - separators are removed: white space (including no-break and ideographic
//     spaces), '-', '.', '/' and the Unicode dashes, because printed forms
//     group digits;
//   - ASCII letters are upper-cased, as every scheme here is upper case;
//   - Cyrillic letters are upper-cased (so "унп" matches the "УНП" prefix);
//   - optionally (schemes whose letters are Latin: CN-USCC, RU-KPP, IN-GSTIN,
//     IN-PAN, IN-CIN, BY-UNP, LEI) the Cyrillic look-alikes
//     А В Е К М Н О Р С Т У Х, and their lower-case forms, become the Latin
//     capitals A B E K M H O P C T Y X they look like (see cyrillicToLatin):
//     such values are typed on Cyrillic keyboards but defined in Latin;
//   - optionally Persian (U+06F0..U+06F9) and Arabic-Indic (U+0660..U+0669)
//     digits become ASCII digits (Iran, Afghanistan, Pakistan);
//   - well-known labels such as "УНП" or "INN" are dropped from the start;
//   - a scheme-specific finishing step (IR-NC left-pads 8 or 9 digits).
//
// Any other character is kept as is so that validation reports it (a
// non-ASCII character left over is a format error naming its position).
// Every mapping yields a character that the mapping itself leaves alone, so
// normalizing twice gives the same result.
type normalizer struct {
	// cyrillic enables the look-alike mapping (cyrillicToLatin); it is set
	// for the schemes whose letters are Latin.
	cyrillic   bool
	eastDigits bool
	// prefixes holds labels in their normalized form, longest first.
	prefixes []string
	finish   func(string) string
}

// newNormalizer prepares a normalizer; labels are given as people write them and
// are normalized with the same rules so that they match normalized input.
func newNormalizer(cyrillic, eastDigits bool, labels ...string) normalizer {
	n := normalizer{cyrillic: cyrillic, eastDigits: eastDigits}
	for _, l := range labels {
		n.prefixes = append(n.prefixes, n.compact(l))
	}
	// Longest first so that "ОГРНИП" is not cut as "ОГРН" + "ИП".
	for i := 1; i < len(n.prefixes); i++ {
		for j := i; j > 0 && len(n.prefixes[j]) > len(n.prefixes[j-1]); j-- {
			n.prefixes[j], n.prefixes[j-1] = n.prefixes[j-1], n.prefixes[j]
		}
	}
	return n
}

func (n *normalizer) normalize(s string) string {
	if !isCompact(s) {
		s = n.compact(s)
	}
	s = n.stripPrefixes(s)
	if n.finish != nil {
		s = n.finish(s)
	}
	return s
}

// isCompact reports whether s consists of ASCII digits and upper-case letters
// only, which is the already-normalized fast path that must not allocate.
func isCompact(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isDigit(c) && !isUpper(c) {
			return false
		}
	}
	return true
}

func (n *normalizer) stripPrefixes(s string) string {
	for again := true; again; {
		again = false
		for _, p := range n.prefixes {
			if p != "" && strings.HasPrefix(s, p) {
				s = s[len(p):]
				again = true
			}
		}
	}
	return s
}

func isSeparator(r rune) bool {
	switch r {
	case '-', '.', '/', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return true
	}
	return unicode.IsSpace(r)
}

// cyrillicToLatin is the one table of Cyrillic look-alikes: the upper-case
// Cyrillic letters that are visually identical to Latin capitals (the set
// python-stdnum uses for the Belarus UNP, plus У and Х). Lower-case forms are
// upper-cased before the lookup, so а в е к м н о р с т у х map too. Every
// scheme with look-alike mapping enabled uses this table.
var cyrillicToLatin = map[rune]rune{
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H',
	'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T', 'У': 'Y', 'Х': 'X',
}

// Fullwidth ASCII variants (U+FF01..U+FF5E) are U+0021..U+007E shifted by
// fullwidthOffset; U+3000 is the ideographic (fullwidth) space.
const (
	fullwidthFirst   = '\uFF01'
	fullwidthLast    = '\uFF5E'
	fullwidthOffset  = fullwidthFirst - '!'
	ideographicSpace = '\u3000'
)

// narrow maps a fullwidth ASCII variant or the ideographic space to its ASCII
// character and returns any other rune unchanged.
func narrow(r rune) rune {
	switch {
	case r >= fullwidthFirst && r <= fullwidthLast:
		return r - fullwidthOffset
	case r == ideographicSpace:
		return ' '
	}
	return r
}

func (n *normalizer) compact(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		r = narrow(r)
		switch {
		case isSeparator(r):
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r >= 0x0400 && r <= 0x04FF: // Cyrillic block: upper-casing stays in the block
			r = unicode.ToUpper(r)
			if n.cyrillic {
				if l, ok := cyrillicToLatin[r]; ok {
					r = l
				}
			}
		case n.eastDigits && r >= '\u06F0' && r <= '\u06F9':
			r = '0' + (r - '\u06F0')
		case n.eastDigits && r >= '\u0660' && r <= '\u0669':
			r = '0' + (r - '\u0660')
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}
