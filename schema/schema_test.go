package schema

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xeipuuv/gojsonschema"
)

// TestSchemasCompile compiles every schema against the draft-07 meta-schema,
// which catches misspelt keywords that validators would silently ignore,
// and checks that every property is documented with a description.
func TestSchemasCompile(t *testing.T) {
	names, err := fs.Glob(Files, "*.schema.json")
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			data, err := Files.ReadFile(name)
			require.NoError(t, err)
			sl := gojsonschema.NewSchemaLoader()
			sl.Draft = gojsonschema.Draft7
			sl.AutoDetect = false
			sl.Validate = true
			_, err = sl.Compile(gojsonschema.NewBytesLoader(data))
			require.NoError(t, err)
			var doc map[string]any
			require.NoError(t, json.Unmarshal(data, &doc))
			checkDescribed(t, "", doc)
		})
	}
}

func checkDescribed(t *testing.T, path string, node map[string]any) {
	props, _ := node["properties"].(map[string]any)
	for name, p := range props {
		pm, ok := p.(map[string]any)
		if !ok {
			continue
		}
		if _, has := pm["description"]; !has && !strings.Contains(path, "proof") && !strings.Contains(path, "credentialSchema") && !strings.HasSuffix(path, "ruleSet") {
			t.Errorf("property %s/%s has no description", path, name)
		}
		checkDescribed(t, path+"/"+name, pm)
		if items, ok := pm["items"].(map[string]any); ok {
			checkDescribed(t, path+"/"+name+"/items", items)
		}
	}
	if defs, ok := node["definitions"].(map[string]any); ok {
		for name, d := range defs {
			if dm, ok := d.(map[string]any); ok {
				checkDescribed(t, path+"/definitions/"+name, dm)
			}
		}
	}
}

func TestContextIsJSON(t *testing.T) {
	var ctx map[string]any
	require.NoError(t, json.Unmarshal(CreditCertificateContext, &ctx))
	assert.Contains(t, ctx, "@context")
}
