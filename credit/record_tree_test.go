package credit

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// typedByUnmarshal is how records were typed before recordFromTree: the
// text parsed a second time by encoding/json (the tree written back out
// first when the text holds an escape, which the decoders of dates and
// amounts do not read). It is the reference recordFromTree must equal.
func typedByUnmarshal(data []byte, tree any) (*Record, error) {
	if bytesContain(data, '\\') {
		var err error
		if data, err = json.Marshal(tree); err != nil {
			return nil, err
		}
	}
	rec := new(Record)
	return rec, json.Unmarshal(data, rec)
}

func bytesContain(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

// TestRecordFromTreeEqualsUnmarshal holds recordFromTree to the typing it
// replaced: on every record of testdata and 20,000 generated ones that
// pass the schema layer, the two give deeply equal Records (the same
// decimals, value and exponent, the same nil and empty slices).
func TestRecordFromTreeEqualsUnmarshal(t *testing.T) {
	v, err := NewValidator(ValidatorOptions{})
	require.NoError(t, err)
	names, records := testdataRecords(t)
	gen := newCorpusGen(t, 1, false)
	hostile := newCorpusGen(t, 2, true)
	for i := range 20000 / corpusScale {
		names = append(names, "generated")
		if i%4 == 3 {
			records = append(records, hostile.next())
		} else {
			records = append(records, gen.next())
		}
	}
	typed := 0
	for i, data := range records {
		tree, ps := decodeTree(data)
		if tree == nil || len(ps) > 0 {
			continue
		}
		var sp problemList
		v.schema.validate(deepCopy(tree), &sp)
		if sp.hasErrors() {
			continue
		}
		want, werr := typedByUnmarshal(data, tree)
		got, gerr := recordFromTree(tree)
		if werr != nil {
			assert.Error(t, gerr, "%s: %s", names[i], data)
			continue
		}
		require.NoError(t, gerr, "%s: %s", names[i], data)
		require.Equal(t, want, got, "%s: %s", names[i], data)
		typed++
	}
	t.Logf("%d records typed alike", typed)
	assert.Greater(t, typed, 15000/corpusScale)
}

func TestRecordFromTreeWrongTypes(t *testing.T) {
	for _, tree := range []any{
		nil, "x", []any{},
		map[string]any{"as_of": json.Number("1")},
		map[string]any{"enterprise": []any{}},
		map[string]any{"enterprise": map[string]any{"employees": "12"}},
		map[string]any{"enterprise": map[string]any{"employees": json.Number("1e99")}},
		map[string]any{"financials": []any{"x"}},
		map[string]any{"financials": []any{map[string]any{"total_assets": "1e"}}},
		map[string]any{"payments": []any{map[string]any{"due_date": "2024-02-30"}}},
		map[string]any{"trade": map[string]any{"partner_countries": []any{json.Number("1")}}},
	} {
		rec, err := recordFromTree(tree)
		if tree == nil {
			// The JSON literal null types as an empty record, as
			// json.Unmarshal leaves it; the schema layer refuses it first.
			assert.NoError(t, err)
			continue
		}
		assert.Error(t, err, "%v", tree)
		assert.Nil(t, rec)
	}
}
