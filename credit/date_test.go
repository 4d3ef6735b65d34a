package credit

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		ok   bool
	}{
		{"2026-09-30", Date{2026, time.September, 30}, true},
		{"2024-02-29", Date{2024, time.February, 29}, true}, // leap year
		{"2025-02-29", Date{}, false},                       // not a leap year
		{"2100-02-29", Date{}, false},                       // century rule
		{"2000-02-29", Date{2000, time.February, 29}, true}, // 400-year rule
		{"2026-13-01", Date{}, false},
		{"2026-00-10", Date{}, false},
		{"2026-04-31", Date{}, false},
		{"2026-4-30", Date{}, false},
		{"26-04-30xx", Date{}, false},
		{"2026/04/30", Date{}, false},
		{"", Date{}, false},
		{"２０２６-04-30", Date{}, false}, // full-width digits are not digits here
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if !tt.ok {
				assert.ErrorIs(t, err, ErrInvalidDate)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.in, got.String())
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	d := MustParseDate
	assert.Equal(t, d("2024-02-29"), d("2024-01-31").AddMonths(1), "clamped to month end")
	assert.Equal(t, d("2023-02-28"), d("2024-02-29").AddMonths(-12))
	assert.Equal(t, d("2027-01-15"), d("2026-12-15").AddMonths(1))
	assert.Equal(t, d("2025-12-15"), d("2026-01-15").AddMonths(-1))
	assert.Equal(t, d("2026-03-01"), d("2026-02-28").AddDays(1))
	assert.Equal(t, 365, d("2026-01-01").DaysSince(d("2025-01-01")))
	assert.Equal(t, -1, d("2025-12-31").DaysSince(d("2026-01-01")))
	assert.Equal(t, 182622, d("2500-01-01").DaysSince(d("2000-01-01")), "beyond time.Duration's 292 years")
	assert.Equal(t, 0, d("1970-01-01").dayNumber())
	assert.Equal(t, 719162, d("1970-01-01").DaysSince(d("0001-01-01")))
	assert.Equal(t, 3652424, d("9999-12-31").DaysSince(d("0000-01-01")))
	assert.Equal(t, 9, d("2026-09-30").MonthsSince(d("2025-12-31")))
	assert.Equal(t, 8, d("2026-09-29").MonthsSince(d("2025-12-30")))
	assert.Equal(t, 9, d("2026-09-30").MonthsSince(d("2025-12-30")))
	assert.Equal(t, 0, d("2026-01-30").MonthsSince(d("2026-01-01")))
	assert.Equal(t, -1, d("2026-01-01").MonthsSince(d("2026-02-01")))
	assert.True(t, d("2026-01-01").Before(d("2026-01-02")))
	assert.True(t, d("2026-02-01").After(d("2026-01-31")))
	assert.Equal(t, 0, d("2026-02-01").Compare(d("2026-02-01")))
	assert.True(t, Date{}.IsZero())
	assert.Equal(t, d("2025-04-01"), (&Statement{PeriodEnd: d("2026-03-31"), PeriodMonths: 12}).PeriodStart())
	assert.Equal(t, d("2025-07-01"), (&Statement{PeriodEnd: d("2025-09-30"), PeriodMonths: 3}).PeriodStart())
}

func TestDateJSON(t *testing.T) {
	var v struct{ D Date }
	require.NoError(t, json.Unmarshal([]byte(`{"D":"2026-09-30"}`), &v))
	assert.Equal(t, MustParseDate("2026-09-30"), v.D)
	b, err := json.Marshal(v)
	require.NoError(t, err)
	assert.JSONEq(t, `{"D":"2026-09-30"}`, string(b))
	for _, bad := range []string{`{"D":20260930}`, `{"D":"2026-09-31"}`, `{"D":"2026\u002d09-30"}`, `{"D":null}`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &v), bad)
	}
}

// TestDaysSinceMatchesTime checks the integer day count against the time
// package over dates spread across four centuries.
func TestDaysSinceMatchesTime(t *testing.T) {
	base := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	ref := DateOf(base)
	for n := 0; n < 146097; n += 37 {
		d := DateOf(base.AddDate(0, 0, n))
		require.Equal(t, n, d.DaysSince(ref), "%s", d)
	}
}

// TestDateStringOutsideFourDigitYears checks that arithmetic near year 0
// (which the validator refuses, but Date allows) prints real dates, not
// 000/-01-02.
func TestDateStringOutsideFourDigitYears(t *testing.T) {
	for _, c := range []struct {
		d    Date
		want string
	}{
		{MustParseDate("0000-01-01").AddDays(-1), "-0001-12-31"},
		{MustParseDate("0000-01-01").AddMonths(-13), "-0002-12-01"},
		{MustParseDate("9999-12-31").AddDays(1), "10000-01-01"},
		{Date{Year: -12345, Month: 6, Day: 7}, "-12345-06-07"},
		{MustParseDate("0000-03-01").AddDays(-1), "0000-02-29"},
	} {
		assert.Equal(t, c.want, c.d.String())
	}
}
