package cert

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit/internal/jcs"
)

// TestCheckSchemaFastPath compares checkSchema, whose compiled schema
// decides valid certificates, with checkSchemaWith(nil), where
// gojsonschema decides every one, on the golden certificates and 20,000
// mutations of them: the same error (or none) each time.
func TestCheckSchemaFastPath(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "golden", "certificates", "*.ndjson"))
	require.NoError(t, err)
	var docs []any
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for line := range bytes.Lines(data) {
			v, err := jcs.Parse(bytes.TrimSpace(line))
			require.NoError(t, err)
			u := v.Without("proof")
			docs = append(docs, u.Tree())
		}
	}
	require.NotEmpty(t, docs)
	rng := rand.New(rand.NewPCG(5, 6))
	values := []any{nil, true, "", "x", "A", "AAA", "kzAAA", "0.000500", "1.0", "2", "2026-10-01", "2026-10-01T09:00:00Z",
		"urn:uuid:x", "LEI", "KZ", "VerifiableCredential", "CreditCertificate", "https://www.w3.org/ns/credentials/v2",
		"RULESET_OTHER_COUNTRY", json.Number("1"), json.Number("1.5"), json.Number("-3"), map[string]any{}, []any{}, []any{"x", "x"}}
	valid := 0
	for i := range 20000 {
		doc := deepCopyTree(docs[i%len(docs)])
		if i >= len(docs) {
			mutateTree(rng, doc, values)
		}
		got, want := checkSchema("id", doc), checkSchemaWith("id", doc, nil)
		require.Equal(t, want, got, "%v", doc)
		if want == nil {
			valid++
		}
	}
	t.Logf("%d of 20000 certificates valid", valid)
	require.Greater(t, valid, 1000)
}

func deepCopyTree(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopyTree(x)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			a[i] = deepCopyTree(x)
		}
		return a
	}
	return v
}

// mutateTree replaces, deletes or adds one member or item of doc.
func mutateTree(rng *rand.Rand, doc any, values []any) {
	type slot struct {
		m   map[string]any
		a   []any
		key string
		i   int
	}
	var slots []slot
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				slots = append(slots, slot{m: t, key: k})
				walk(t[k])
			}
		case []any:
			for i, x := range t {
				slots = append(slots, slot{a: t, i: i})
				walk(x)
			}
		}
	}
	walk(doc)
	s := slots[rng.IntN(len(slots))]
	v := deepCopyTree(values[rng.IntN(len(values))])
	switch r := rng.IntN(6); {
	case s.m != nil && r == 0:
		delete(s.m, s.key)
	case s.m != nil && r == 1:
		s.m["extra"] = v
	case s.m != nil && r == 2:
		// Another value from the document, which often keeps it valid.
		o := slots[rng.IntN(len(slots))]
		if o.m != nil {
			s.m[s.key] = deepCopyTree(o.m[o.key])
		}
	case s.m != nil:
		s.m[s.key] = v
	default:
		s.a[s.i] = v
	}
}

// TestCertificateFromTreeEqualsUnmarshal holds certificateFromTree to
// the typing it replaced, encoding/json's Unmarshal of the canonical
// document, on the golden certificates and 20,000 mutations of them that
// pass the schema.
func TestCertificateFromTreeEqualsUnmarshal(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "golden", "certificates", "*.ndjson"))
	require.NoError(t, err)
	var docs []any
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for line := range bytes.Lines(data) {
			v, err := jcs.Parse(bytes.TrimSpace(line))
			require.NoError(t, err)
			u := v.Without("proof")
			docs = append(docs, u.Tree())
		}
	}
	rng := rand.New(rand.NewPCG(7, 8))
	values := []any{"", "x", "AAA", "kzAAA", json.Number("0"), json.Number("-12"), []any{}, []any{"RULESET_OTHER_COUNTRY"},
		map[string]any{"label": "x", "scale": "y"}, map[string]any{"scheme": "LEI", "value": "x"}}
	typed := 0
	for i := range 20000 {
		doc := deepCopyTree(docs[i%len(docs)])
		if i >= len(docs) {
			mutateTree(rng, doc, values)
		}
		if checkSchema("", doc) != nil {
			continue
		}
		canon, err := jcs.CanonicalizeValue(doc)
		require.NoError(t, err)
		var want Certificate
		require.NoError(t, json.Unmarshal(canon, &want))
		got, err := certificateFromTree(doc)
		require.NoError(t, err)
		require.Equal(t, &want, got, "%s", canon)
		typed++
	}
	t.Logf("%d certificates typed alike", typed)
	require.Greater(t, typed, 2000)
}
