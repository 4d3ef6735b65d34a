package jcs

import (
	"math"
	"strconv"
	"strings"
)

// FormatNumber writes a finite double as ECMAScript Number.prototype.toString
// does (ECMA-262, Number::toString, radix 10), which is what RFC 8785
// section 3.2.2.3 prescribes. strconv supplies the shortest round-trip
// digits; only the layout differs from Go's: plain notation for decimal
// exponents in [-7, 21), "e+"/"e-" with no leading zeros otherwise.
// Minus zero is written "0". JSON has no NaN or infinities: FormatNumber
// panics if f is not finite.
func FormatNumber(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		panic("jcs: FormatNumber of a non-finite number")
	}
	if f == 0 {
		return "0" // also -0
	}
	var out []byte
	if f < 0 {
		out = append(out, '-')
		f = -f
	}
	// d.ddddde±x: digits are the shortest that round-trip.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	epos := strings.IndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[epos+1:])
	digits := e[:1]
	if epos > 1 {
		digits += e[2:epos]
	}
	k := len(digits)
	n := exp + 1 // value = 0.digits × 10^n
	switch {
	case k <= n && n <= 21:
		out = append(out, digits...)
		out = append(out, strings.Repeat("0", n-k)...)
	case 0 < n && n <= 21:
		out = append(out, digits[:n]...)
		out = append(out, '.')
		out = append(out, digits[n:]...)
	case -6 < n && n <= 0:
		out = append(out, "0."...)
		out = append(out, strings.Repeat("0", -n)...)
		out = append(out, digits...)
	default:
		out = append(out, digits[0])
		if k > 1 {
			out = append(out, '.')
			out = append(out, digits[1:]...)
		}
		out = append(out, 'e')
		if n-1 >= 0 {
			out = append(out, '+')
		}
		out = strconv.AppendInt(out, int64(n-1), 10)
	}
	return string(out)
}
