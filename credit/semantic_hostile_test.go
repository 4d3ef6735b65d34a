package credit

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mutatedRecord returns the first sample record (cn.ndjson, registered
// 2012-03-15, as_of 2026-09-30) changed by edit.
func mutatedRecord(t *testing.T, edit func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(readInvalid(t, "BALANCE_SHEET_MISMATCH.json"), &m))
	fin := m["financials"].([]any)[0].(map[string]any)
	fin["equity"] = "38000000.00" // balance the sheet: no warning
	edit(m)
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

func at(m map[string]any, keys ...any) map[string]any {
	var cur any = m
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			cur = cur.(map[string]any)[k]
		case int:
			cur = cur.([]any)[k]
		}
	}
	return cur.(map[string]any)
}

// TestRecordsNoPartnerShouldSend covers the records that every layer
// accepted without a word: each must give its problem, with its path and
// severity, and only it.
func TestRecordsNoPartnerShouldSend(t *testing.T) {
	type want struct{ path, code string }
	for _, c := range []struct {
		name string
		edit func(m map[string]any)
		want []want
	}{
		{"year 0000 registration", func(m map[string]any) { at(m, "enterprise")["registered_on"] = "0000-01-01" },
			[]want{{"/enterprise/registered_on", CodeDateOutOfRange}}},
		{"year 0001 as_of: no comparison with it", func(m map[string]any) { m["as_of"] = "0001-01-01" },
			[]want{{"/as_of", CodeDateOutOfRange}}},
		{"far future as_of", func(m map[string]any) { m["as_of"] = "9999-12-31" },
			[]want{{"/as_of", CodeDateOutOfRange}}},
		{"first day of the window", func(m map[string]any) { at(m, "enterprise")["registered_on"] = "1850-01-01" }, nil},
		{"day before the window", func(m map[string]any) { at(m, "enterprise")["registered_on"] = "1849-12-31" },
			[]want{{"/enterprise/registered_on", CodeDateOutOfRange}}},
		{"payment due in year 0", func(m map[string]any) { at(m, "payments", 0)["due_date"] = "0000-02-29" },
			[]want{{"/payments/0/due_date", CodeDateOutOfRange}}},
		{"outcome observed in year 3000", func(m map[string]any) {
			m["outcome"] = map[string]any{"defaulted": false, "observed_on": "3000-01-01"}
		}, []want{{"/outcome/observed_on", CodeDateOutOfRange}}},
		{"resolved in year 0", func(m map[string]any) { at(m, "public_records", 0)["resolved_on"] = "0000-01-01" },
			[]want{{"/public_records/0/resolved_on", CodeDateOutOfRange}}},
		{"payment due before registration", func(m map[string]any) { at(m, "payments", 0)["due_date"] = "2012-03-14" },
			[]want{{"/payments/0/due_date", CodeDateBeforeRegistration}}},
		{"payment due on the day of registration", func(m map[string]any) { at(m, "payments", 0)["due_date"] = "2012-03-15" }, nil},
		{"payment paid before registration", func(m map[string]any) { at(m, "payments", 0)["paid_date"] = "2011-01-01" },
			[]want{{"/payments/0/paid_date", CodeDateBeforeRegistration}}},
		{"public record before registration", func(m map[string]any) { at(m, "public_records", 0)["date"] = "2001-01-01" },
			[]want{{"/public_records/0/date", CodeDateBeforeRegistration}}},
		{"trading before registration", func(m map[string]any) { at(m, "trade")["trading_since"] = "2012-01-01" },
			[]want{{"/trade/trading_since", CodeDateBeforeRegistration}}},
		{"statement before registration", func(m map[string]any) { at(m, "financials", 1)["period_end"] = "2011-12-31" },
			[]want{{"/financials/1/period_end", CodeDateBeforeRegistration}}},
		{"events before a year-0 registration are not compared", func(m map[string]any) {
			at(m, "enterprise")["registered_on"] = "0000-01-01"
			at(m, "trade")["trading_since"] = "1990-01-01"
		}, []want{{"/enterprise/registered_on", CodeDateOutOfRange}}},
		{"paid and written off", func(m map[string]any) { at(m, "payments", 0)["written_off"] = true },
			[]want{{"/payments/0/written_off", CodePaidAndWrittenOff}}},
		{"unpaid and written off", func(m map[string]any) {
			p := at(m, "payments", 0)
			delete(p, "paid_date")
			p["written_off"] = true
		}, nil},
		{"paid, written_off false", func(m map[string]any) { at(m, "payments", 0)["written_off"] = false }, nil},
		{"right-to-left override in the name", func(m map[string]any) { at(m, "enterprise")["legal_name"] = "青岛\u202e示范" },
			[]want{{"/enterprise/legal_name", CodeControlCharacter}}},
		{"isolate in the Latin name", func(m map[string]any) { at(m, "enterprise")["legal_name_latin"] = "Qingdao \u2066Co\u2069" },
			[]want{{"/enterprise/legal_name_latin", CodeControlCharacter}}},
		{"left-to-right mark", func(m map[string]any) { at(m, "enterprise")["legal_form"] = "ООО\u200e" },
			[]want{{"/enterprise/legal_form", CodeControlCharacter}}},
		{"tab in the name", func(m map[string]any) { at(m, "enterprise")["legal_name"] = "a\tb" },
			[]want{{"/enterprise/legal_name", CodeControlCharacter}}},
		{"C1 control", func(m map[string]any) { at(m, "enterprise")["legal_name"] = "a\u0085b" },
			[]want{{"/enterprise/legal_name", CodeControlCharacter}}},
		{"line separator in the record id", func(m map[string]any) { m["record_id"] = "a\u2028b" },
			[]want{{"/record_id", CodeControlCharacter}}},
		{"escape in an authority", func(m map[string]any) { at(m, "public_records", 0)["authority"] = "court\u001b[2J" },
			[]want{{"/public_records/0/authority", CodeControlCharacter}}},
		{"newline in a reference", func(m map[string]any) { at(m, "public_records", 0)["reference"] = "A\n1" },
			[]want{{"/public_records/0/reference", CodeControlCharacter}}},
		{"zero-width non-joiner (Persian) is allowed", func(m map[string]any) { at(m, "enterprise")["legal_name"] = "می\u200cخواهم" }, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := mutatedRecord(t, c.edit)
			res := ParseRecord(data)
			var got []want
			for _, p := range res.Problems {
				got = append(got, want{p.Path, p.Code})
				assert.Equal(t, SeverityError, p.Severity, "%v", p)
			}
			assert.Equal(t, c.want, got, "%v", res.Problems)
			assert.Equal(t, len(c.want) == 0, res.Valid())
		})
	}
}

// TestLoneSurrogateIsRefused checks that a lone surrogate escape, which
// encoding/json turns silently into U+FFFD and RFC 8785 (and so issuing)
// refuses, is refused by the validator too, at its path.
func TestLoneSurrogateIsRefused(t *testing.T) {
	good := string(mutatedRecord(t, func(m map[string]any) { m["record_id"] = "RID" }))
	first := ParseRecord([]byte(good))
	require.True(t, first.Valid(), "%v", first.Problems)
	for _, esc := range []string{`\ud800`, `\uDFFF`, `\ud83d x`, `\ude00\ud83d`} {
		res := ParseRecord([]byte(strings.Replace(good, `"RID"`, `"x`+esc+`"`, 1)))
		require.False(t, res.Valid(), esc)
		require.NotEmpty(t, res.Problems)
		for _, p := range res.Problems {
			assert.Equal(t, "/record_id", p.Path)
			assert.Equal(t, CodeInvalidUTF8, p.Code)
			assert.Contains(t, p.Message, "lone UTF-16 surrogate")
		}
	}
	// A pair is one character and fine.
	res := ParseRecord([]byte(strings.Replace(good, `"RID"`, `"x\ud83d\ude00"`, 1)))
	assert.True(t, res.Valid(), "%v", res.Problems)
}
