package credit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func goDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func goDecPtr(s string) *decimal.Decimal {
	d := goDec(s)
	return &d
}

// kzExampleGo is testdata/rulesets/kz-example.json written in Go.
func kzExampleGo() RuleSet {
	return RuleSet{
		ID:            "KZ-EXAMPLE",
		Version:       "0.1.0",
		Country:       "KZ",
		Extends:       SCOBaseID,
		EffectiveFrom: "2026-01-01",
		Description:   "Example country rule set: SCO-BASE with a longer payment grace period, Kazakhstan's inflation, a stricter tax-arrears characteristic and a tax-arrears cap. For documentation and tests only; the numbers are illustrative.",
		Sources:       []Source{{ID: "kz-example", Title: "Illustration only", Citation: "Not a calibrated rule set"}},
		Parameters: map[string]SourcedValue{
			"payment_grace_days": {Value: goDec("10"), Source: "[kz-example] illustrative"},
			"expected_inflation": {Value: goDec("0.08"), Source: "[kz-example] illustrative round figure"},
		},
		Characteristics: []Characteristic{{
			ID:        "pub_tax_arrears",
			Indicator: "pub.tax_arrears_open",
			Pillar:    "public_record",
			Direction: Decreasing,
			Reason:    "PUB_TAX_ARREARS",
			Source:    "[kz-example] illustrative: open tax arrears weigh more",
			Bins: []Bin{
				{Upper: goDecPtr("1"), Points: goDec("0"), Source: "[kz-example] none open"},
				{Lower: goDecPtr("1"), Points: goDec("-40"), Source: "[kz-example] any open"},
			},
			Missing: MissingBin{Points: goDec("0"), Source: "[kz-example] neutral"},
		}},
		Caps: []Cap{{
			ID:       "tax_arrears",
			When:     []Condition{{Indicator: "pub.tax_arrears_open", Op: "ge", Value: json.RawMessage("1")}},
			MaxGrade: "BB",
			Reason:   "CAP_TAX_ARREARS",
			Source:   "[kz-example] illustrative knock-out",
		}},
		Reasons: map[string]ReasonText{
			"CAP_TAX_ARREARS": {EN: "Open tax arrears limit the grade", ZH: "未结清的欠税限制了信用等级", RU: "Непогашенная налоговая задолженность ограничивает рейтинг"},
		},
	}
}

func goReadKZExample(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../testdata/rulesets/kz-example.json")
	require.NoError(t, err)
	return data
}

// kzRecord returns the record with the given id from testdata/records/kz.ndjson.
func goKZRecord(t *testing.T, id string) *Record {
	t.Helper()
	f, err := os.Open("../testdata/records/kz.ndjson")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		v := ParseRecord(sc.Bytes())
		if v.RecordID == id {
			require.True(t, v.Valid(), "%v", v.Problems)
			return v.Record
		}
	}
	require.NoError(t, sc.Err())
	t.Fatalf("no record %s", id)
	return nil
}

func TestNewRuleSetScores(t *testing.T) {
	strict := RuleSet{
		ID:          "KZ-STRICT-TEST",
		Version:     "1.0.0",
		Country:     "KZ",
		Extends:     SCOBaseID,
		Description: "SCO-BASE with a 30-day payment grace and a cap on late payers.",
		Sources:     []Source{{ID: "test", Title: "Test only"}},
		Parameters: map[string]SourcedValue{
			"payment_grace_days": {Value: decimal.NewFromInt(30), Source: "[test]"},
		},
		Caps: []Cap{{
			ID:       "late_payer",
			When:     []Condition{{Indicator: "pay.max_dpd_12m", Op: "ge", Value: json.RawMessage("15")}},
			MaxGrade: "CCC",
			Reason:   "CAP_LATE_PAYER",
			Source:   "[test]",
		}},
		Reasons: map[string]ReasonText{
			"CAP_LATE_PAYER": {EN: "Late payments limit the grade", ZH: "逾期付款限制了信用等级", RU: "Просрочки платежей ограничивают рейтинг"},
		},
	}
	rs, err := NewRuleSet(strict)
	require.NoError(t, err)
	assert.False(t, rs.Resolved(), "an extending rule set needs its parent")
	assert.Empty(t, rs.Digest())

	reg := BuiltinRuleSets()
	require.NoError(t, reg.Register(rs))
	got, ok := reg.Lookup("KZ-STRICT-TEST")
	require.True(t, ok)
	require.True(t, got.Resolved())
	assert.Regexp(t, `^sha256:[0-9a-f]{64}$`, got.Digest())

	rec := goKZRecord(t, "kz-002")
	base, err := NewEngine(DefaultRuleSet(), EngineOptions{})
	require.NoError(t, err)
	eng, err := NewEngine(got, EngineOptions{Lang: "ru"})
	require.NoError(t, err)
	pb, err := base.Score(context.Background(), rec)
	require.NoError(t, err)
	p, err := eng.Score(context.Background(), rec)
	require.NoError(t, err)

	assert.Equal(t, RuleSetRef{ID: "KZ-STRICT-TEST", Version: "1.0.0", Digest: got.Digest()}, p.RuleSet)
	// The parameter: with 30 grace days every payment of kz-002 (at most 24
	// days late) is on time; with SCO-BASE's 7 they are not.
	share := func(p *Profile) string {
		for _, c := range p.Characteristics {
			if c.Indicator == "pay.on_time_share" {
				require.NotNil(t, c.Value)
				return *c.Value
			}
		}
		t.Fatal("no pay.on_time_share")
		return ""
	}
	assert.Equal(t, "1.0000", share(p))
	assert.NotEqual(t, "1.0000", share(pb))
	assert.Greater(t, p.Score, pb.Score)
	// The cap: max DPD 24 >= 15 lowers the grade to CCC, with the Russian text.
	var applied *AppliedCap
	for i := range p.Caps {
		if p.Caps[i].ID == "late_payer" {
			applied = &p.Caps[i]
		}
	}
	require.NotNil(t, applied, "caps: %+v", p.Caps)
	assert.Equal(t, "CCC", p.Grade)
	assert.Equal(t, "CCC", applied.MaxGrade)
	assert.Equal(t, "CAP_LATE_PAYER", applied.Reason)
	assert.Equal(t, "Просрочки платежей ограничивают рейтинг", applied.Text)
	assert.NotEqual(t, "CCC", pb.Grade)

	// NewRuleSet does not keep the caller's value.
	strict.Caps[0].MaxGrade = "C"
	assert.Equal(t, "CCC", rs.Caps[0].MaxGrade)
}

func TestNewRuleSetSameDigestAsFile(t *testing.T) {
	fromFile, err := LoadRuleSet(bytes.NewReader(goReadKZExample(t)))
	require.NoError(t, err)
	fromGo, err := NewRuleSet(kzExampleGo())
	require.NoError(t, err)

	// Before resolution: the canonical forms of the two files are equal.
	assert.Equal(t, string(fromFile.canon), string(fromGo.canon))

	// After resolution against SCO-BASE: the same digest, which profiles
	// carry.
	digest := func(rs *RuleSet) string {
		reg := BuiltinRuleSets()
		require.NoError(t, reg.Register(rs))
		r, _ := reg.Lookup(rs.ID)
		return r.Digest()
	}
	d := digest(fromFile)
	assert.NotEmpty(t, d)
	assert.Equal(t, d, digest(fromGo))

	// The published JSON of the Go rule set re-loads to the same digest.
	g := kzExampleGo()
	pub, err := g.JSON()
	require.NoError(t, err)
	reloaded, err := LoadRuleSet(bytes.NewReader(pub))
	require.NoError(t, err)
	assert.Equal(t, d, digest(reloaded))
	// Decimals are JSON numbers, not strings.
	assert.Contains(t, string(pub), `"value": 10,`)
	assert.Contains(t, string(pub), `"value": 0.08,`)
	assert.Contains(t, string(pub), `"upper": 1,`)
	assert.NotContains(t, string(pub), `"weight"`)
}

func TestRuleSetJSONRoundTrip(t *testing.T) {
	// SCO-BASE uses every part, including pd_anchor, weight, categories,
	// certifiable and string-valued conditions.
	base := DefaultRuleSet()
	data, err := base.JSON()
	require.NoError(t, err)
	again, err := LoadRuleSet(bytes.NewReader(data))
	require.NoError(t, err)
	data2, err := again.JSON()
	require.NoError(t, err)
	assert.Equal(t, string(data), string(data2), "JSON is a fixed point of LoadRuleSet")

	// The only member of sco-base.json that the Go types drop is its empty
	// "country": without it the file has the digest of the re-loaded JSON.
	orig, err := os.ReadFile("rulesets/sco-base.json")
	require.NoError(t, err)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(orig, &m))
	require.Equal(t, `""`, string(m["country"]))
	delete(m, "country")
	stripped, err := json.Marshal(m)
	require.NoError(t, err)
	canon, err := canonicalJSON(stripped)
	require.NoError(t, err)
	assert.Equal(t, digestOf(canon), again.Digest())

	// A stand-alone rule set built from the loaded one's fields.
	viaGo, err := NewRuleSet(*base)
	require.NoError(t, err)
	assert.True(t, viaGo.Resolved())
	assert.Equal(t, again.Digest(), viaGo.Digest())

	// A resolved extending rule set holds the merged content.
	reg := BuiltinRuleSets()
	rs, err := NewRuleSet(kzExampleGo())
	require.NoError(t, err)
	_, err = rs.JSON()
	require.NoError(t, err, "not yet resolved: its own content")
	require.NoError(t, reg.Register(rs))
	resolved, _ := reg.Lookup("KZ-EXAMPLE")
	_, err = resolved.JSON()
	assert.ErrorContains(t, err, "resolved")
	var nilRS *RuleSet
	_, err = nilRS.JSON()
	assert.Error(t, err)
}

// problemKeys returns the code and path of each problem in err.
func goProblemKeys(t *testing.T, err error) []string {
	t.Helper()
	var ps Problems
	require.True(t, errors.As(err, &ps), "want Problems, got %v", err)
	var out []string
	for _, p := range ps {
		out = append(out, p.Code+" "+p.Path)
	}
	return out
}

func TestNewRuleSetProblemsMatchJSON(t *testing.T) {
	tests := []struct {
		name   string
		goForm func(rs *RuleSet)
		json   func(m map[string]any)
		want   []string
	}{
		{
			"unknown indicator in a cap and a gap between bins",
			func(rs *RuleSet) {
				rs.Caps[0].When[0].Indicator = "pub.no_such_thing"
				rs.Characteristics[0].Bins[1].Lower = goDecPtr("2")
			},
			func(m map[string]any) {
				m["caps"].([]any)[0].(map[string]any)["when"].([]any)[0].(map[string]any)["indicator"] = "pub.no_such_thing"
				m["characteristics"].([]any)[0].(map[string]any)["bins"].([]any)[1].(map[string]any)["lower"] = 2
			},
			[]string{CodeRuleSetCapCondition + " /caps/0/when/0", CodeRuleSetBinsGap + " /characteristics/0/bins/1/lower"},
		},
		{
			"schema: bad id, empty source",
			func(rs *RuleSet) {
				rs.ID = "kz-example"
				rs.Characteristics[0].Bins[0].Source = ""
			},
			func(m map[string]any) {
				m["id"] = "kz-example"
				m["characteristics"].([]any)[0].(map[string]any)["bins"].([]any)[0].(map[string]any)["source"] = ""
			},
			[]string{CodeTooShort + " /characteristics/0/bins/0/source", CodeInvalidFormat + " /id"},
		},
		{
			"number beyond double precision (found before the semantic checks)",
			func(rs *RuleSet) {
				rs.Parameters["payment_grace_days"] = SourcedValue{Value: goDec("400"), Source: "x"}
				rs.Characteristics[0].Bins[1].Points = goDec("-40.00000000000000000001")
			},
			func(m map[string]any) {
				m["parameters"].(map[string]any)["payment_grace_days"] = map[string]any{"value": 400, "source": "x"}
				m["characteristics"].([]any)[0].(map[string]any)["bins"].([]any)[1].(map[string]any)["points"] = json.Number("-40.00000000000000000001")
			},
			[]string{CodeRuleSetNumberPrecision + " /characteristics/0/bins/1/points"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := kzExampleGo()
			tt.goForm(&rs)
			_, goErr := NewRuleSet(rs)
			require.Error(t, goErr)

			var m map[string]any
			d := json.NewDecoder(bytes.NewReader(goReadKZExample(t)))
			d.UseNumber()
			require.NoError(t, d.Decode(&m))
			tt.json(m)
			data, err := json.Marshal(m)
			require.NoError(t, err)
			_, jsonErr := LoadRuleSet(bytes.NewReader(data))
			require.Error(t, jsonErr)

			keys := goProblemKeys(t, jsonErr)
			assert.Equal(t, tt.want, keys)
			assert.Equal(t, keys, goProblemKeys(t, goErr))
			// Messages too, since both go through the same loader.
			assert.Equal(t, jsonErr.Error(), goErr.Error())
		})
	}
}

func TestNewRuleSetGoOnlyProblems(t *testing.T) {
	rs := kzExampleGo()
	rs.Caps[0].When[0].Value = json.RawMessage("one")
	_, err := NewRuleSet(rs)
	assert.Equal(t, []string{CodeRuleSetMalformed + " /caps/0/when/0/value"}, goProblemKeys(t, err))

	// Nil Sources is an empty list, which the schema allows.
	rs = kzExampleGo()
	rs.Sources = nil
	_, err = NewRuleSet(rs)
	assert.NoError(t, err)

	// Invalid NullDecimals are left out, valid ones written as numbers.
	rs = kzExampleGo()
	rs.Characteristics[0].Weight = decimal.NewNullDecimal(goDec("40"))
	got, err := NewRuleSet(rs)
	require.NoError(t, err)
	assert.True(t, got.Characteristics[0].Weight.Valid)
	assert.True(t, got.Characteristics[0].Weight.Decimal.Equal(goDec("40")))
}

// TestRuleSetDocMirrors checks that the JSON mirror types of ruleset_go.go
// have the JSON members of the rule-set types, in the same order, so that a
// field added to one is not forgotten in the other.
func TestRuleSetDocMirrors(t *testing.T) {
	pairs := []struct{ typ, doc any }{
		{RuleSet{}, ruleSetDoc{}},
		{SourcedValue{}, sourcedValueDoc{}},
		{Scaling{}, scalingDoc{}},
		{MasterScale{}, masterScaleDoc{}},
		{Grade{}, gradeDoc{}},
		{Characteristic{}, characteristicDoc{}},
		{Bin{}, binDoc{}},
		{CategoryBin{}, categoryBinDoc{}},
		{MissingBin{}, missingBinDoc{}},
		{Certification{}, certificationDoc{}},
	}
	nullDecimal := reflect.TypeOf(decimal.NullDecimal{})
	tags := func(v any) []string {
		var out []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			f := rt.Field(i)
			if tag, ok := f.Tag.Lookup("json"); ok {
				if f.Type == nullDecimal {
					// Absent, never null.
					tag += ",omitempty"
				}
				out = append(out, tag)
			}
		}
		return out
	}
	for _, p := range pairs {
		assert.Equal(t, tags(p.typ), tags(p.doc), "%T", p.typ)
	}
	// The types written as they are hold no decimal.
	for _, v := range []any{Source{}, Cap{}, Condition{}, ReasonText{}} {
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			ft := rt.Field(i).Type
			assert.NotContains(t, ft.String(), "decimal", "%T.%s", v, rt.Field(i).Name)
		}
	}
}

// FuzzRuleSetJSON checks that every rule set LoadRuleSet accepts is written
// by JSON as a file that loads again, to a fixed point: the JSON form of a
// rule set holds everything the loader kept.
func FuzzRuleSetJSON(f *testing.F) {
	if data, err := os.ReadFile("rulesets/sco-base.json"); err == nil {
		f.Add(data)
	}
	if data, err := os.ReadFile("../testdata/rulesets/kz-example.json"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := LoadRuleSet(bytes.NewReader(data))
		if err != nil {
			return
		}
		out, err := rs.JSON()
		if err != nil {
			t.Fatalf("JSON of an accepted rule set: %v", err)
		}
		again, err := NewRuleSet(*rs)
		if err != nil {
			t.Fatalf("NewRuleSet of an accepted rule set: %v\n%s", err, out)
		}
		out2, err := again.JSON()
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("JSON is not a fixed point (%v):\n%s\n%s", err, out, out2)
		}
		if again.Digest() != "" && rs.Extends == "" {
			canon, err := canonicalJSON(out)
			if err != nil || digestOf(canon) != again.Digest() {
				t.Fatalf("digest of the JSON form: %v", err)
			}
		}
	})
}
