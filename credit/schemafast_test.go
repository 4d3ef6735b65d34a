package credit

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xeipuuv/gojsonschema"
)

// withoutFastPath returns a validator like v whose schema layer asks
// gojsonschema about every record, as before the compiled schema
// decided the valid ones: the reference of the differential tests.
func withoutFastPath(t testing.TB, v *Validator) *Validator {
	t.Helper()
	s := *v.schema
	s.fast = nil
	return &Validator{schema: &s, idents: v.idents}
}

// compareFastPath checks one record both ways: the compiled schema
// accepts the decoded tree exactly when gojsonschema does, and Validate
// gives the same Validation (problems with their codes, paths and
// messages, record id and typed record) with the fast path and without.
func compareFastPath(t testing.TB, fast, slow *Validator, name string, data []byte) (valid bool) {
	t.Helper()
	tree, ps := decodeTree(data)
	if tree != nil || len(ps) == 0 {
		res, err := slow.schema.root.Validate(gojsonschema.NewRawLoader(deepCopy(tree)))
		require.NoError(t, err)
		if got := fast.schema.fast.Valid(tree); got != res.Valid() {
			t.Fatalf("%s: the compiled schema says valid=%v, gojsonschema %v: %s", name, got, res.Valid(), data)
		}
	}
	got, want := fast.Validate(data), slow.Validate(data)
	require.Equal(t, want, got, "%s: %s", name, data)
	return want.Valid()
}

// TestSchemaFastPathEqualsGojsonschema is the differential test of the
// record schema's fast path: every record of testdata and 40,000
// generated ones, half of them made to break the schema.
func TestSchemaFastPathEqualsGojsonschema(t *testing.T) {
	fast, err := NewValidator(ValidatorOptions{})
	require.NoError(t, err)
	require.NotNil(t, fast.schema.fast, "the record schema must compile for the fast path")
	slow := withoutFastPath(t, fast)
	names, records := testdataRecords(t)
	for i, data := range records {
		compareFastPath(t, fast, slow, names[i], data)
	}
	valid, n := 0, 20000/corpusScale
	for _, gen := range []*corpusGen{newCorpusGen(t, 3, false), newCorpusGen(t, 4, true)} {
		for range n {
			if compareFastPath(t, fast, slow, "generated", gen.next()) {
				valid++
			}
		}
	}
	t.Logf("%d testdata records and %d generated ones (%d valid) validated alike", len(records), 2*n, valid)
	require.Greater(t, valid, n/4)
	require.Less(t, valid, 2*n-n/4)
}

// FuzzValidateFastPath compares the fast path with gojsonschema on
// arbitrary input, seeded with the records of testdata.
func FuzzValidateFastPath(f *testing.F) {
	_, records := testdataRecords(f)
	for _, r := range records {
		if len(r) < 8<<10 {
			f.Add(r)
		}
	}
	fast, err := NewValidator(ValidatorOptions{})
	if err != nil {
		f.Fatal(err)
	}
	slow := withoutFastPath(f, fast)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return // the schema library's time on hostile documents is FuzzParseRecord's concern
		}
		compareFastPath(t, fast, slow, "fuzz", data)
	})
}
