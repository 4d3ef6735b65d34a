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
