// Package jsonschema holds the helpers that packages credit and
// credit/cert share around github.com/xeipuuv/gojsonschema: compiling the
// module's embedded draft-07 schemas, and turning the locations of
// validation errors into JSON Pointers.
package jsonschema

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/xeipuuv/gojsonschema"
)

// Compile compiles the draft-07 JSON Schema src. The schema itself is
// validated against the draft-07 meta-schema, so that a keyword typo in
// one of the module's schemas fails at compile time instead of being
// ignored. The schema is compiled from the bytes src, not loaded by URL
// (a reference loader would fetch it over the network); the module's
// schemas have no remote $ref. A compiled schema is safe for concurrent
// Validate calls.
func Compile(src []byte) (*gojsonschema.Schema, error) {
	sl := gojsonschema.NewSchemaLoader()
	sl.Draft = gojsonschema.Draft7
	sl.AutoDetect = false
	sl.Validate = true
	return sl.Compile(gojsonschema.NewBytesLoader(src))
}

// CompileAt compiles the sub-schema of src at the JSON Pointer fragment
// (such as "/properties/payments/items"), resolving its references in
// src, for validating parts of a document one at a time. src must have
// an "$id": the sub-schema is named by it, and compiled from the bytes
// src, never fetched.
func CompileAt(src []byte, fragment string) (*gojsonschema.Schema, error) {
	var doc struct {
		ID string `json:"$id"`
	}
	if err := json.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if doc.ID == "" {
		return nil, errors.New("jsonschema: CompileAt needs a schema with an $id")
	}
	sl := gojsonschema.NewSchemaLoader()
	sl.Draft = gojsonschema.Draft7
	sl.AutoDetect = false
	if err := sl.AddSchemas(gojsonschema.NewBytesLoader(src)); err != nil {
		return nil, err
	}
	ref, err := json.Marshal(map[string]string{"$ref": doc.ID + "#" + fragment})
	if err != nil {
		return nil, err
	}
	return sl.Compile(gojsonschema.NewBytesLoader(ref))
}

// Pointer returns the JSON Pointer (RFC 6901) of the location c of a
// validation error, followed by tokens: gojsonschema's context
// "(root).a.0.b" becomes "/a/0/b", and Pointer(c, "x") "/a/0/b/x" (as
// for the member named by a "required" or "additional_property_not_allowed"
// error). "~" and "/" in tokens are escaped. A nil c is the root, "".
//
// The context is split at a NUL separator, since member names may contain
// dots; a name with a NUL cannot reach here, as errors are only reported
// at the members a schema defines.
func Pointer(c *gojsonschema.JsonContext, tokens ...string) string {
	var parts []string
	if c != nil {
		parts = strings.Split(c.String("\x00"), "\x00")
		if len(parts) > 0 && parts[0] == gojsonschema.STRING_CONTEXT_ROOT {
			parts = parts[1:]
		}
	}
	var b strings.Builder
	for _, list := range [][]string{parts, tokens} {
		for _, t := range list {
			b.WriteByte('/')
			tokenEscaper.WriteString(&b, t)
		}
	}
	return b.String()
}

// tokenEscaper escapes a reference token as RFC 6901 section 3 requires.
var tokenEscaper = strings.NewReplacer("~", "~0", "/", "~1")
