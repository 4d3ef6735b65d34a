package credit

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadRates(t *testing.T) {
	f, err := os.Open("../testdata/fx/rates-2025-12-31.json")
	require.NoError(t, err)
	defer f.Close()
	r, err := LoadRates(f)
	require.NoError(t, err)
	assert.Equal(t, "USD", r.Base())
	assert.Equal(t, "2025-12-31", r.Date().String())
	assert.Contains(t, r.Currencies(), "CNY")

	r, err = LoadRates(strings.NewReader(`{"date":"2025-12-31","base":"USD","rates":{"CNY":"8","EUR":0.5}}`))
	require.NoError(t, err)
	v, err := r.Convert(dec("100"), "CNY", "USD")
	require.NoError(t, err)
	assert.Equal(t, "12.5", v.String())
	v, err = r.Convert(dec("100"), "CNY", "EUR")
	require.NoError(t, err)
	assert.Equal(t, "6.25", v.String())
	v, err = r.Convert(dec("7"), "KZT", "KZT")
	require.NoError(t, err)
	assert.Equal(t, "7", v.String())
	_, err = r.Convert(dec("1"), "KZT", "USD")
	assert.True(t, errors.Is(err, ErrNoRate))
	var none *Rates
	_, err = none.Convert(dec("1"), "CNY", "USD")
	assert.True(t, errors.Is(err, ErrNoRate))

	for _, bad := range []string{
		`{"date":"2025-12-31","base":"USD","rates":{"CNY":"0"}}`,
		`{"date":"2025-12-31","base":"USD","rates":{"CNY":"-1"}}`,
		`{"date":"2025-12-31","base":"USD","rates":{"USD":"2"}}`,
		`{"date":"2025-13-31","base":"USD","rates":{}}`,
		`{"date":"2025-12-31","base":"usd","rates":{}}`,
		`{"date":"2025-12-31","base":"USD","rates":{"CNY":"x"}}`,
		// Only codes of currencies in circulation (IsCurrency), the only
		// ones a record can carry.
		`{"date":"2025-12-31","base":"XTS","rates":{}}`,
		`{"date":"2025-12-31","base":"USD","rates":{"USX":"2"}}`,
		`{"date":"2025-12-31","base":"USD","rates":{"XAU":"0.0005"}}`,
	} {
		_, err := LoadRates(strings.NewReader(bad))
		assert.Error(t, err, bad)
	}
}

// TestLoadRatesRefusesHostileFiles checks the rate files that were
// accepted without a word: duplicate currencies (the last won), no rates
// member (an empty table), rates such as 1e400, records given as rates.
func TestLoadRatesRefusesHostileFiles(t *testing.T) {
	const shape = `a rates file is one JSON object {"date":"2025-12-31","base":"USD","source":"…","note":"…","rates":{"CNY":"7.0288",…}}`
	for _, c := range []struct{ in, msg string }{
		{`{"date":"2025-12-31","base":"USD","rates":{"CNY":"7","CNY":"70"}}`,
			`credit: rates: /rates/CNY: key "CNY" appears more than once in the same object`},
		{`{"date":"2025-12-31","base":"USD","base":"EUR","rates":{"CNY":"7"}}`,
			`credit: rates: /base: key "base" appears more than once in the same object`},
		{`{"date":"2025-12-31","base":"USD"}`, `credit: rates: "rates" is missing; ` + shape},
		{`{"date":"2025-12-31","base":"USD","rates":{}}`, `credit: rates: "rates" lists no currency other than the base; ` + shape},
		{`{"date":"2025-12-31","base":"USD","rates":{"USD":"1"}}`, `credit: rates: "rates" lists no currency other than the base; ` + shape},
		{`{"date":"2025-12-31","base":"USD","rates":[]}`, `credit: rates: "rates" must be an object of currency codes and rates, not an array; ` + shape},
		{`{"date":"2025-12-31","base":"USD","Rates":{"CNY":"7"}}`, `credit: rates: unknown member "Rates"; ` + shape},
		{`{"date":"2025-12-31","base":"USD","rates":{"CNY":1e400}}`,
			`credit: rates: /rates/CNY: number has an exponent of 3 digits; at most 2 are accepted`},
		{`{"date":"2025-12-31","base":"USD","rates":{"CNY":"1e400"}}`,
			`credit: rates: rates: CNY: "1e400" is not a plain decimal such as "7.0288" (digits, an optional point and fraction; no sign, exponent or separators)`},
		{`{"date":"2025-12-31","base":"USD","rates":{"CNY":1e99}}`,
			`credit: rates: rate of CNY is 1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000, outside the plausible range of an exchange rate, 0.000000001 to 1000000000000`},
		{`{"date":"2025-12-31","base":"USD","rates":{"CNY":"0.0000000001"}}`,
			`credit: rates: rate of CNY is 0.0000000001, outside the plausible range of an exchange rate, 0.000000001 to 1000000000000`},
		{`{"date":"2025-12-31","base":"USD","rates":{"CNY":"-7"}}`,
			`credit: rates: rates: CNY: "-7" is not a plain decimal such as "7.0288" (digits, an optional point and fraction; no sign, exponent or separators)`},
		{`{"date":"2025-12-31","base":"USD","rates":{"CNY":true}}`,
			`credit: rates: rates: CNY: a rate is a decimal string such as "7.0288", not a boolean`},
		{`{"date":"0000-12-31","base":"USD","rates":{"CNY":"7"}}`,
			`credit: rates: date 0000-12-31 is outside the plausible calendar window 1850-01-01 to 2099-12-31`},
		{`{"date":20251231,"base":"USD","rates":{"CNY":"7"}}`, `credit: rates: "date" must be a string, not an integer`},
		{`{"base":"USD","rates":{"CNY":"7"}}`, `credit: rates: "date" is missing; ` + shape},
		{`{"schema_version":"1.0","as_of":"2026-09-30","enterprise":{}}`, `credit: rates: this is an enterprise record, not a rates file; ` + shape},
		{"{\"a\":1}\n{\"b\":2}\n", `credit: rates: malformed JSON at byte 8: unexpected data after the rates file; ` + shape},
		{"date,base\n2025-12-31,USD\n", `credit: rates: malformed JSON at byte 0: invalid character 'd' looking for beginning of value; ` + shape},
		{`[{"date":"2025-12-31"}]`, `credit: rates: the file holds an array; ` + shape},
		{`{"date":"2025-12-31","base":"USD","rates":{"CNY":"7\ud800"}}`,
			`credit: rates: /rates/CNY: \ud800 at byte 51 is a lone UTF-16 surrogate, which encodes no Unicode character; write the character itself or a surrogate pair`},
	} {
		_, err := LoadRates(strings.NewReader(c.in))
		require.Error(t, err, c.in)
		assert.Equal(t, c.msg, err.Error(), c.in)
		assert.ErrorIs(t, err, ErrInvalidRates, c.in)
	}
}
