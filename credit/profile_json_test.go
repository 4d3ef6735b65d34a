package credit

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// encodeProfile is what AppendJSON must equal: encoding/json's Encoder
// with SetEscapeHTML(false), without its newline.
func encodeProfile(t testing.TB, p *Profile) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(p))
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// TestProfileAppendJSON holds AppendJSON to the golden profiles (each
// compacted is byte for byte what AppendJSON writes for it) and to
// encoding/json on the profiles of every record of testdata and 20,000
// generated ones.
func TestProfileAppendJSON(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "golden", "profiles", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var results []struct {
			Profile json.RawMessage `json:"profile"`
		}
		require.NoError(t, json.Unmarshal(data, &results))
		for _, r := range results {
			if r.Profile == nil {
				continue
			}
			var want bytes.Buffer
			require.NoError(t, json.Compact(&want, r.Profile))
			var p Profile
			require.NoError(t, json.Unmarshal(r.Profile, &p))
			require.Equal(t, want.String(), string(p.AppendJSON(nil)), f)
			n++
		}
	}
	require.Greater(t, n, 30)

	sc, err := NewScorer(BuiltinRuleSets(), EngineOptions{Rates: bundledRates(t)})
	require.NoError(t, err)
	_, records := testdataRecords(t)
	gen := newCorpusGen(t, 9, false)
	for range 20000 / corpusScale {
		records = append(records, gen.next())
	}
	scored := 0
	for _, data := range records {
		res, err := sc.ScoreJSON(context.Background(), data)
		require.NoError(t, err)
		if res.Profile == nil {
			continue
		}
		require.Equal(t, string(encodeProfile(t, res.Profile)), string(res.Profile.AppendJSON(nil)), "%s", data)
		scored++
	}
	t.Logf("%d golden profiles and %d scored records encoded alike", n, scored)
	assert.Greater(t, scored, 5000/corpusScale)
}

// bundledRates returns the rates of testdata/fx/rates-2025-12-31.json.
func bundledRates(t testing.TB) *Rates {
	f, err := os.Open(filepath.Join("..", "testdata", "fx", "rates-2025-12-31.json"))
	require.NoError(t, err)
	defer f.Close()
	rates, err := LoadRates(f)
	require.NoError(t, err)
	return rates
}

// TestProfileAppendJSONEdges covers what scored profiles do not hold:
// nil lists and values, and the omitted members.
func TestProfileAppendJSONEdges(t *testing.T) {
	v := "1.5"
	for _, p := range []*Profile{
		{},
		{LocalGrade: &LocalGrade{Label: "kzA", Scale: "x"}, Characteristics: []CharacteristicScore{{}, {Value: &v, Missing: "M", Reason: "R"}},
			Caps: []AppliedCap{{}, {MaxGrade: "B", GradeBefore: "A", Certifiable: true}}, Pillars: []PillarScore{{}}, Reasons: []Reason{{}},
			Warnings: Problems{{Path: "/a", Code: "C", Severity: SeverityWarning, Message: "m"}}},
	} {
		assert.Equal(t, string(encodeProfile(t, p)), string(p.AppendJSON(nil)))
	}
	var nilProfile *Profile
	assert.Equal(t, "null", string(nilProfile.AppendJSON(nil)))
}

// FuzzProfileAppendJSON puts arbitrary strings in every string of a
// profile and compares AppendJSON with encoding/json.
func FuzzProfileAppendJSON(f *testing.F) {
	for _, s := range []string{"", "plain", "<&>", "\"\\", "\b\f\n\r\t\x00\x1f\x7f", "\u2028\u2029", "\xff\xfe", "é中😀", "\xed\xa0\x80"} {
		f.Add(s, s+"x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		p := &Profile{RecordID: a, Country: b, RuleSet: RuleSetRef{ID: a, Version: b, Digest: a}, Score: int64(len(a)) - 7, PD: b, Grade: a,
			LocalGrade: &LocalGrade{Label: b, Scale: a}, Coverage: a,
			Pillars:         []PillarScore{{ID: a, Points: b, MaxPoints: a, Coverage: b}},
			Characteristics: []CharacteristicScore{{ID: a, Indicator: b, Pillar: a, Value: &b, Missing: a, Points: b, MaxPoints: a, Reason: b}},
			Reasons:         []Reason{{Code: a, Points: b, Text: a}},
			Caps:            []AppliedCap{{ID: a, Kind: b, MaxGrade: a, GradeBefore: b, Reason: a, Text: b}},
			Warnings:        Problems{{Path: a, Code: b, Severity: Severity(a), Message: b}}}
		if got, want := string(p.AppendJSON(nil)), string(encodeProfile(t, p)); got != want {
			t.Fatalf("AppendJSON:\n%s\nencoding/json:\n%s", got, want)
		}
	})
}
