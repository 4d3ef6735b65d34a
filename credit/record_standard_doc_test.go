package credit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/creditsco/creditsco/schema"
	"github.com/stretchr/testify/require"
)

// TestRecordStandardDoc checks the field table of schema/record-standard.md
// against the record schema it documents: one row per member, in the
// schema's order, with its type, whether it is required and the schema's
// own description. Rewrite it with
//
//	go test ./credit/ -run RecordStandardDoc -update
func TestRecordStandardDoc(t *testing.T) {
	file := filepath.Join("..", "schema", "record-standard.md")
	doc, err := os.ReadFile(file)
	require.NoError(t, err)
	doc = generatedBlock(t, doc, "schema/record-standard.md", "fields",
		"go test ./credit/ -run RecordStandardDoc -update", recordFieldsMarkdown(t, schema.EnterpriseRecord))
	if *update {
		require.NoError(t, os.WriteFile(file, doc, 0o644))
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	require.Contains(t, string(readme), "(schema/record-standard.md)", "the README links to the record standard")
}

// schemaNode is one schema object: its members in file order and their
// raw values.
type schemaNode struct {
	keys []string
	raw  map[string]json.RawMessage
}

func parseSchemaNode(t *testing.T, data []byte) schemaNode {
	t.Helper()
	n := schemaNode{raw: map[string]json.RawMessage{}}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok, "a schema object")
	for dec.More() {
		tok, err := dec.Token()
		require.NoError(t, err)
		key := tok.(string)
		var raw json.RawMessage
		require.NoError(t, dec.Decode(&raw), key)
		n.keys = append(n.keys, key)
		n.raw[key] = raw
	}
	return n
}

func (n schemaNode) str(t *testing.T, key string) string {
	var s string
	if raw, ok := n.raw[key]; ok {
		require.NoError(t, json.Unmarshal(raw, &s), key)
	}
	return s
}

func (n schemaNode) strings(t *testing.T, key string) []string {
	var s []string
	if raw, ok := n.raw[key]; ok {
		require.NoError(t, json.Unmarshal(raw, &s), key)
	}
	return s
}

// recordFieldsMarkdown writes the field table of the record standard.
func recordFieldsMarkdown(t *testing.T, schemaJSON []byte) string {
	var b strings.Builder
	b.WriteString("| field | type | required | meaning |\n|---|---|---|---|\n")
	root := parseSchemaNode(t, schemaJSON)
	writeFieldRows(t, &b, root, "")
	return b.String()
}

func writeFieldRows(t *testing.T, b *strings.Builder, obj schemaNode, prefix string) {
	props := parseSchemaNode(t, obj.raw["properties"])
	required := obj.strings(t, "required")
	for _, name := range props.keys {
		p := parseSchemaNode(t, props.raw[name])
		req := ""
		if slices.Contains(required, name) {
			req = "yes"
		}
		fmt.Fprintf(b, "| `%s%s` | %s | %s | %s |\n", prefix, name, fieldType(t, p), req, p.str(t, "description"))
		switch p.str(t, "type") {
		case "object":
			writeFieldRows(t, b, p, prefix+name+".")
		case "array":
			if items := parseSchemaNode(t, p.raw["items"]); items.str(t, "type") == "object" {
				writeFieldRows(t, b, items, prefix+name+"[].")
			}
		}
	}
}

// fieldType names a member's type as the table shows it: a constant, an
// enumeration, a definition of the schema (date, amount, currency,
// country), or a JSON type with an array's item count.
func fieldType(t *testing.T, p schemaNode) string {
	if raw, ok := p.raw["const"]; ok {
		return "`" + string(raw) + "`"
	}
	if ref := p.str(t, "$ref"); ref != "" {
		return strings.TrimPrefix(ref, "#/definitions/")
	}
	if enum := p.strings(t, "enum"); enum != nil {
		return "`" + strings.Join(enum, "` \\| `") + "`"
	}
	typ := p.str(t, "type")
	if typ != "array" {
		return typ
	}
	lo, hi := "0", "∞"
	if raw, ok := p.raw["minItems"]; ok {
		lo = string(raw)
	}
	if raw, ok := p.raw["maxItems"]; ok {
		hi = string(raw)
	}
	s := fmt.Sprintf("array (%s..%s)", lo, hi)
	if items := parseSchemaNode(t, p.raw["items"]); items.str(t, "type") != "object" {
		s += " of " + fieldType(t, items)
	}
	if string(p.raw["uniqueItems"]) == "true" {
		s += ", unique"
	}
	return s
}
