package cert

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit/internal/jcs"
	"github.com/creditsco/creditsco/credit/internal/jsontree"
)

// TestCheckSchemaFastPath compares checkSchema, whose compiled schema
// decides valid certificates, with checkSchemaWith(nil), where
// gojsonschema decides every one, on the golden certificates and 20,000
// mutations of them: the same error (or none) each time.
func TestCheckSchemaFastPath(t *testing.T) {
	docs := goldenCertificateTrees(t)
	rng := rand.New(rand.NewPCG(5, 6))
	values := []any{nil, true, "", "x", "A", "AAA", "kzAAA", "0.000500", "1.0", "2", "2026-10-01", "2026-10-01T09:00:00Z",
		"urn:uuid:x", "LEI", "KZ", "VerifiableCredential", "CreditCertificate", "https://www.w3.org/ns/credentials/v2",
		"RULESET_OTHER_COUNTRY", json.Number("1"), json.Number("1.5"), json.Number("-3"), map[string]any{}, []any{}, []any{"x", "x"}}
	valid := 0
	for i := range 20000 {
		doc := jsontree.Copy(docs[i%len(docs)])
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

// mutateTree replaces, deletes or adds one member or item of doc.
func mutateTree(rng *rand.Rand, doc any, values []any) {
	slots := jsontree.Slots(doc)
	s := slots[rng.IntN(len(slots))]
	v := jsontree.Copy(values[rng.IntN(len(values))])
	switch r := rng.IntN(6); {
	case s.InObject() && r == 0:
		s.Delete()
	case s.InObject() && r == 1:
		s.Add("extra", v)
	case s.InObject() && r == 2:
		// Another value from the document, which often keeps it valid.
		if o := slots[rng.IntN(len(slots))]; o.InObject() {
			s.Set(jsontree.Copy(o.Get()))
		}
	default:
		s.Set(v)
	}
}

// goldenCertificateTrees returns the golden certificates without their
// proofs, as the trees VerifyCertificate checks.
func goldenCertificateTrees(t *testing.T) []any {
	t.Helper()
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
	return docs
}

// TestCertificateFromTreeEqualsUnmarshal holds certificateFromTree to
// the typing it replaced, encoding/json's Unmarshal of the canonical
// document, on the golden certificates and 20,000 mutations of them that
// pass the schema.
func TestCertificateFromTreeEqualsUnmarshal(t *testing.T) {
	docs := goldenCertificateTrees(t)
	rng := rand.New(rand.NewPCG(7, 8))
	values := []any{"", "x", "AAA", "kzAAA", json.Number("0"), json.Number("-12"), []any{}, []any{"RULESET_OTHER_COUNTRY"},
		map[string]any{"label": "x", "scale": "y"}, map[string]any{"scheme": "LEI", "value": "x"}}
	typed := 0
	for i := range 20000 {
		doc := jsontree.Copy(docs[i%len(docs)])
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
