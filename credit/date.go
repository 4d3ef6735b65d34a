package credit

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Date is a calendar date without a time of day or a time zone, as used for
// accounting periods, due dates and the assessment date. A record is assessed
// as of a day, not an instant: using time.Time would make the same record
// score differently in different zones.
//
// The zero Date is not a valid calendar date; IsZero reports it.
type Date struct {
	// Year is the year, such as 2026.
	Year int
	// Month is the month of the year, January to December.
	Month time.Month
	// Day is the day of the month, from 1 to the month's length.
	Day int
}

// ErrInvalidDate is returned by ParseDate for text that is not a real
// calendar date in the form YYYY-MM-DD.
var ErrInvalidDate = errors.New("credit: invalid date")

// ParseDate parses a date in the form YYYY-MM-DD (RFC 3339 full-date) and
// rejects dates that do not exist, such as 2025-02-30.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%w: %q is not YYYY-MM-DD", ErrInvalidDate, s)
	}
	y, ok1 := atoiDigits(s[0:4])
	m, ok2 := atoiDigits(s[5:7])
	d, ok3 := atoiDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("%w: %q is not YYYY-MM-DD", ErrInvalidDate, s)
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return Date{}, fmt.Errorf("%w: %q does not exist", ErrInvalidDate, s)
	}
	return Date{Year: y, Month: time.Month(m), Day: d}, nil
}

// MustParseDate is like ParseDate but panics on error. It is meant for
// constants in tests and examples.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func atoiDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String returns the date as YYYY-MM-DD. A year outside 0000..9999, which
// date arithmetic can reach (ParseDate never returns one), is written with
// its sign or all its digits, as ISO 8601 expanded years are: -0001-12-31,
// 10000-01-01.
func (d Date) String() string {
	var b [16]byte
	return string(d.appendTo(b[:0]))
}

func (d Date) appendTo(b []byte) []byte {
	y := d.Year
	if y < 0 || y > 9999 {
		if y < 0 {
			b = append(b, '-')
			y = -y
		}
		if y < 1000 {
			b = append(b, "000"[:4-len(strconv.Itoa(y))]...)
		}
		b = strconv.AppendInt(b, int64(y), 10)
		b = append(b, '-')
		b = append(b, byte('0'+int(d.Month)/10), byte('0'+int(d.Month)%10), '-')
		return append(b, byte('0'+d.Day/10), byte('0'+d.Day%10))
	}
	b = append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+int(d.Month)/10), byte('0'+int(d.Month)%10), '-')
	return append(b, byte('0'+d.Day/10), byte('0'+d.Day%10))
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmp.Compare(d.Year, e.Year)
	case d.Month != e.Month:
		return cmp.Compare(int(d.Month), int(e.Month))
	default:
		return cmp.Compare(d.Day, e.Day)
	}
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// In returns the instant at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, day := t.Date()
	return Date{Year: y, Month: m, Day: day}
}

// AddDays returns the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date {
	return DateOf(d.In(time.UTC).AddDate(0, 0, n))
}

// AddMonths returns the date n months after d, clamping the day to the end
// of the target month (2024-01-31 plus one month is 2024-02-29), as period
// arithmetic in accounting expects rather than time.AddDate's overflow into
// the next month.
func (d Date) AddMonths(n int) Date {
	total := d.Year*12 + int(d.Month) - 1 + n
	y, r := total/12, total%12
	if r < 0 { // floor division, for dates before year 0
		y, r = y-1, r+12
	}
	m := time.Month(r + 1)
	day := min(d.Day, daysIn(m, y))
	return Date{Year: y, Month: m, Day: day}
}

// DaysSince returns the number of days from e to d (positive when d is
// after e).
func (d Date) DaysSince(e Date) int {
	return d.dayNumber() - e.dayNumber()
}

// dayNumber returns the number of days from 1970-01-01 to d in the
// proleptic Gregorian calendar, in integers only: a time.Duration would
// overflow beyond about 292 years and pass through float64 hours.
// (The days-from-civil algorithm of H. Hinnant, "chrono-Compatible
// Low-Level Date Algorithms".)
func (d Date) dayNumber() int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// MonthsSince returns the number of whole months from e to d: the largest n
// with e.AddMonths(n) not after d. It is negative when d is before e.
func (d Date) MonthsSince(e Date) int {
	n := (d.Year-e.Year)*12 + int(d.Month) - int(e.Month)
	if n > 0 && e.AddMonths(n).After(d) {
		n--
	} else if n < 0 && e.AddMonths(n).Before(d) {
		n++
	}
	return n
}

// MarshalJSON encodes d as a JSON string "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 12)
	b = append(b, '"')
	b = d.appendTo(b)
	return append(b, '"'), nil
}

// UnmarshalJSON decodes a JSON string "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' || bytes.IndexByte(b[1:len(b)-1], '\\') >= 0 {
		return fmt.Errorf("%w: %s is not a JSON string YYYY-MM-DD", ErrInvalidDate, b)
	}
	v, err := ParseDate(string(b[1 : len(b)-1]))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
