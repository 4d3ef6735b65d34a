package credit

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/creditsco/creditsco/credit/internal/jsonschema"
	"github.com/xeipuuv/gojsonschema"
)

// boundedSchema validates decoded trees against a JSON Schema with work
// and memory bounded by the schema, not by the document. gojsonschema
// checks every item of an array, even beyond maxItems, and keeps every
// error of a call with its rendered message: a 1 MiB record holding an
// array of 350,000 empty objects gave 1.4 million errors and took 2 GB.
// So, before gojsonschema sees a tree:
//
//   - members that the schema does not define are reported (UNKNOWN_FIELD)
//     and removed, and arrays and maps beyond maxItems or maxProperties
//     are reported (TOO_MANY_ITEMS) and cut to their limit (a map,
//     having no order, is emptied), so that the tree is no larger than
//     the schema allows;
//   - long top-level arrays are validated one item at a time, so that one
//     call never holds more errors than one item can cause;
//   - an object without any member of the schema, such as {}, is answered
//     without gojsonschema: its only problems are the missing required
//     members.
//
// Problems then go into a problemList, which keeps MaxProblems of them.
// The result is the problems gojsonschema would report for the same tree,
// mapped by vocab.
//
// Before all that, the compiled schema (jsonschema.Fast) decides whether
// the tree is valid at all, which it does exactly as gojsonschema does
// and about ten times as fast: a valid tree, the common case, has no
// problems and needs nothing else; only an invalid one is pruned and
// validated by gojsonschema for its errors.
type boundedSchema struct {
	fast  *jsonschema.Fast
	root  *gojsonschema.Schema
	shape *shape
	// split holds the item schemas of the top-level arrays that are
	// validated item by item when longer than splitAbove.
	split map[string]*gojsonschema.Schema
	// splitNames are split's keys, sorted.
	splitNames []string
	vocab      *schemaVocab
	// required are the problems of an object that has no member of the
	// schema, such as {}; nil when the root schema has keywords (such as
	// anyOf or minProperties) that an empty object could fail otherwise.
	required Problems
}

// splitAbove is the length above which a top-level array is validated
// item by item. Shorter arrays are validated with the rest of the
// document, in one gojsonschema call, which is cheaper.
const splitAbove = 64

// shape is what the bounding steps need to know of a (sub-)schema.
type shape struct {
	object   bool              // "type": "object"
	props    map[string]*shape // "properties"
	closed   bool              // "additionalProperties": false
	values   *shape            // "additionalProperties" as a schema
	required []string          // "required"
	maxProps int               // "maxProperties"; -1 if none
	items    *shape            // "items" as one schema
	maxItems int               // "maxItems"; -1 if none
}

func compileBounded(src []byte, vocab *schemaVocab) (*boundedSchema, error) {
	root, err := jsonschema.Compile(src)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	fast, err := jsonschema.CompileFast(src)
	if err != nil {
		return nil, err
	}
	b := &boundedSchema{fast: fast, root: root, vocab: vocab, split: map[string]*gojsonschema.Schema{}}
	b.shape = shapeOf(doc, doc, 0)
	if onlyKeywords(doc, "$schema", "$id", "title", "description", "definitions", "type", "required", "properties", "additionalProperties") {
		for _, name := range b.shape.required {
			b.required = append(b.required, requiredProblem("", name))
		}
	}
	props, _ := doc["properties"].(map[string]any)
	for name, ps := range props {
		if !splittable(doc, ps) {
			continue
		}
		s, err := jsonschema.CompileAt(src, "/properties/"+name+"/items")
		if err != nil {
			return nil, fmt.Errorf("compiling the items of %s: %w", name, err)
		}
		b.split[name] = s
		b.splitNames = append(b.splitNames, name)
	}
	slices.Sort(b.splitNames)
	return b, nil
}

// resolveRef follows a local "$ref" ("#/definitions/x").
func resolveRef(doc map[string]any, s map[string]any) map[string]any {
	for range 8 {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		var cur any = doc
		for _, tok := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, _ := cur.(map[string]any)
			cur = m[tok]
		}
		next, ok := cur.(map[string]any)
		if !ok {
			return s
		}
		s = next
	}
	return s
}

func shapeOf(doc map[string]any, v any, depth int) *shape {
	s, ok := v.(map[string]any)
	if !ok || depth > 16 {
		return nil
	}
	s = resolveRef(doc, s)
	sh := &shape{maxProps: intKeyword(s, "maxProperties"), maxItems: intKeyword(s, "maxItems")}
	sh.object = s["type"] == "object"
	if props, ok := s["properties"].(map[string]any); ok {
		sh.props = make(map[string]*shape, len(props))
		for k, p := range props {
			sh.props[k] = shapeOf(doc, p, depth+1)
		}
	}
	switch ap := s["additionalProperties"].(type) {
	case bool:
		sh.closed = !ap
	case map[string]any:
		sh.values = shapeOf(doc, ap, depth+1)
	}
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			if name, ok := r.(string); ok {
				sh.required = append(sh.required, name)
			}
		}
	}
	sh.items = shapeOf(doc, s["items"], depth+1)
	return sh
}

func intKeyword(s map[string]any, k string) int {
	if f, ok := s[k].(float64); ok {
		return int(f)
	}
	return -1
}

// splittable reports whether the property schema p is an array whose
// items can be validated one by one without changing the result: no
// keyword of the array itself but its type, items and maxItems (which the
// pruning checks), so that validating the document with the array
// emptied and then each item alone gives the same errors.
func splittable(doc map[string]any, p any) bool {
	s, ok := p.(map[string]any)
	if !ok {
		return false
	}
	s = resolveRef(doc, s)
	if s["type"] != "array" {
		return false
	}
	if _, ok := s["items"].(map[string]any); !ok {
		return false
	}
	return onlyKeywords(s, "type", "items", "maxItems", "description", "title")
}

// onlyKeywords reports whether the schema s has no keyword but these.
func onlyKeywords(s map[string]any, keywords ...string) bool {
	for k := range s {
		if !slices.Contains(keywords, k) {
			return false
		}
	}
	return true
}

// validate adds the problems of tree to ps. It may remove unknown members
// from tree and cut arrays to their maxItems: call it on a tree of
// one's own, and only type a tree that passed.
func (b *boundedSchema) validate(tree any, ps *problemList) {
	if b.fast != nil && b.fast.Valid(tree) {
		// Valid for gojsonschema too (TestSchemaFastPathEqualsGojsonschema):
		// nothing to prune, no problem to report.
		return
	}
	root, ok := tree.(map[string]any)
	if !ok && b.shape.object {
		// Not an object at all, such as [] or "text": one problem.
		ps.add(Problem{Path: "", Code: CodeWrongType, Severity: SeverityError,
			Message: "expected an object, got " + friendlyType(jsonType(tree))})
		return
	}
	tree = b.prune(tree, b.shape, make([]pathStep, 0, 8), ps)
	if ok && len(root) == 0 && b.required != nil {
		// Nothing of the schema is there: only the required members
		// are missing.
		ps.addAll(b.required)
		return
	}
	var items map[string][]any
	for _, name := range b.splitNames {
		if arr, ok := root[name].([]any); ok && len(arr) > splitAbove {
			if items == nil {
				items = map[string][]any{}
			}
			items[name] = arr
			root[name] = []any{}
		}
	}
	b.run(b.root, tree, "", ps)
	for _, name := range b.splitNames {
		arr, ok := items[name]
		if !ok {
			continue
		}
		root[name] = arr
		for i, item := range arr {
			b.run(b.split[name], item, pointer("", name, strconv.Itoa(i)), ps)
		}
	}
}

// run validates v with s and adds the mapped problems, at prefix, to ps.
func (b *boundedSchema) run(s *gojsonschema.Schema, v any, prefix string, ps *problemList) {
	res, err := s.Validate(gojsonschema.NewRawLoader(v))
	if err != nil {
		ps.add(Problem{Path: prefix, Code: CodeSchemaViolation, Severity: SeverityError,
			Message: "could not be checked against the schema: " + err.Error()})
		return
	}
	if res.Valid() {
		return
	}
	var call Problems
	for _, e := range res.Errors() {
		if p, ok := b.vocab.mapError(e, prefix); ok {
			call = append(call, p)
		}
	}
	// One value can fail two keywords with the same message (a date's
	// pattern and format): report it once.
	ps.addAll(sortProblems(call))
}

// prune reports and removes the members of v that sh does not define,
// and cuts arrays and maps beyond their limits, recursively. It returns
// the value to keep in v's place (a cut array is a shorter slice). path
// holds the steps to v; it becomes a JSON Pointer only for a problem.
func (b *boundedSchema) prune(v any, sh *shape, path []pathStep, ps *problemList) any {
	if sh == nil {
		return v
	}
	switch t := v.(type) {
	case map[string]any:
		if sh.maxProps >= 0 && len(t) > sh.maxProps {
			ps.add(Problem{Path: stepsPointer(path), Code: CodeTooManyItems, Severity: SeverityError,
				Message: fmt.Sprintf("must have at most %d members; %d given, none of them was checked", sh.maxProps, len(t))})
			clear(t)
			return t
		}
		for k, x := range t {
			sub, known := sh.props[k]
			if !known {
				sub = sh.values
			}
			switch {
			case sub != nil:
				t[k] = b.prune(x, sub, append(path, pathStep{key: k, index: -1}), ps)
			case !known && sh.closed:
				ps.add(Problem{Path: stepsPointer(append(path, pathStep{key: k, index: -1})), Code: CodeUnknownField,
					Severity: SeverityError, Message: fmt.Sprintf("field %q is not part of %s", k, b.vocab.standard)})
				delete(t, k)
			}
		}
	case []any:
		if sh.maxItems >= 0 && len(t) > sh.maxItems {
			ps.add(Problem{Path: stepsPointer(path), Code: CodeTooManyItems, Severity: SeverityError,
				Message: fmt.Sprintf("must have at most %d items; %d given, the items after the first %d were not checked", sh.maxItems, len(t), sh.maxItems)})
			clear(t[sh.maxItems:])
			t = t[:sh.maxItems]
		}
		if sh.items == nil {
			return t
		}
		for i, x := range t {
			t[i] = b.prune(x, sh.items, append(path, pathStep{index: i}), ps)
		}
		return t
	}
	return v
}

// stepsPointer renders path steps as a JSON Pointer.
func stepsPointer(steps []pathStep) string {
	s := ""
	for _, st := range steps {
		if st.index >= 0 {
			s += "/" + strconv.Itoa(st.index)
		} else {
			s = pointer(s, st.key)
		}
	}
	return s
}

func requiredProblem(path, name string) Problem {
	return Problem{Path: pointer(path, name), Code: CodeRequired, Severity: SeverityError,
		Message: fmt.Sprintf("required field %q is missing", name)}
}

// jsonType names the JSON type of a decoded value as gojsonschema does.
func jsonType(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case json.Number:
		if isWhole(t) {
			return "integer"
		}
		return "number"
	}
	return "another type"
}
