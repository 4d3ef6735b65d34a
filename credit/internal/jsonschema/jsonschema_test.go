package jsonschema

import (
	"testing"

	"github.com/xeipuuv/gojsonschema"
)

func TestCompileValidatesTheSchema(t *testing.T) {
	if _, err := Compile([]byte(`{"type": "object", "properties": {"a": {"type": "strnig"}}}`)); err == nil {
		t.Error("a schema with an unknown type compiled")
	}
	s, err := Compile([]byte(`{"type": "object", "required": ["a"]}`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Validate(gojsonschema.NewRawLoader(map[string]any{}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Valid() {
		t.Error("a missing required member passed")
	}
}

func TestPointer(t *testing.T) {
	s, err := Compile([]byte(`{
		"type": "object",
		"properties": {"a.b/c~": {"type": "array", "items": {"type": "object", "required": ["x/y"], "properties": {"n": {"type": "integer"}}}}}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{"a.b/c~": []any{map[string]any{"n": "one"}}}
	res, err := s.Validate(gojsonschema.NewRawLoader(doc))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range res.Errors() {
		prop, _ := e.Details()["property"].(string)
		if e.Type() == "required" {
			got[e.Type()] = Pointer(e.Context(), prop)
		} else {
			got[e.Type()] = Pointer(e.Context())
		}
	}
	want := map[string]string{
		"required":     "/a.b~1c~0/0/x~1y",
		"invalid_type": "/a.b~1c~0/0/n",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: Pointer = %q, want %q (all: %v)", k, got[k], w, got)
		}
	}
	if p := Pointer(nil); p != "" {
		t.Errorf("Pointer(nil) = %q, want the root", p)
	}
	if p := Pointer(nil, "a"); p != "/a" {
		t.Errorf(`Pointer(nil, "a") = %q, want "/a"`, p)
	}
}

func TestCompileAt(t *testing.T) {
	src := []byte(`{
		"$id": "https://example.invalid/s",
		"type": "object",
		"properties": {"items": {"type": "array", "items": {"$ref": "#/definitions/item"}}},
		"definitions": {"item": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}}
	}`)
	s, err := CompileAt(src, "/properties/items/items")
	if err != nil {
		t.Fatal(err)
	}
	for doc, valid := range map[string]bool{`{"n":1}`: true, `{}`: false, `{"n":"x"}`: false, `[]`: false} {
		res, err := s.Validate(gojsonschema.NewStringLoader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if res.Valid() != valid {
			t.Errorf("%s: valid %v, want %v", doc, res.Valid(), valid)
		}
	}
	if _, err := CompileAt([]byte(`{"type":"object"}`), "/properties"); err == nil {
		t.Error("a schema without $id compiled")
	}
	if _, err := CompileAt(src, "/properties/nothing"); err == nil {
		t.Error("a missing fragment compiled")
	}
}
