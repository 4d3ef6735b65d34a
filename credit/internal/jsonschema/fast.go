package jsonschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xeipuuv/gojsonschema"
)

// Fast is a draft-07 JSON Schema compiled to answer one question, fast:
// is a decoded document valid? Its answer is the answer of gojsonschema
// for the same schema, res.Valid() of Validate(NewRawLoader(doc)), on any
// tree of map[string]any, []any, json.Number, string, bool and nil, so
// that a caller can check a document with Fast and ask gojsonschema only
// for the errors of one that fails. It is about ten times as fast and
// allocates nothing for a valid document of the module's schemas: no
// error is built, enum and const compare strings instead of
// marshalling every value to JSON and back, patterns run as DFAs,
// numbers are read as big.Rat only when they are not plain integers, and
// no context is made per value.
//
// It keeps gojsonschema's semantics where they differ from the
// specification: $ref overrides its sibling keywords, enum, const and
// uniqueItems compare values as encoding/json writes them after a round
// trip through float64, minLength and maxLength count runes, formats
// other than date and date-time are checked by gojsonschema's format
// checkers, and values of other Go types are not checked.
// TestFastEqualsGojsonschema and FuzzFast hold it to gojsonschema.
//
// A Fast is safe for concurrent use.
type Fast struct{ root *node }

// node is one compiled (sub-)schema.
type node struct {
	pass *bool // a boolean schema: true or false
	ref  *node // $ref: the only keyword that applies

	types typeSet // "type"; 0: untyped

	// objects
	props    map[string]*node
	required []string
	// requiredIn maps the required members that props defines to their
	// bit, so that one pass over an object's members finds them;
	// requiredOut are the other required members, looked up.
	requiredIn    map[string]uint64
	requiredMask  uint64
	requiredOut   []string
	additional    *node // additionalProperties as a schema
	closed        bool  // additionalProperties: false
	minProps      int   // -1: none
	maxProps      int
	propertyNames *node

	// arrays
	items           *node   // items as one schema
	tuple           []*node // items as a list of schemas
	additionalItems *node
	noMoreItems     bool // additionalItems: false
	minItems        int  // -1: none
	maxItems        int
	unique          bool
	contains        *node

	// strings
	minLength, maxLength int // -1: none
	pattern              pattern
	format               string

	// numbers
	minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf *big.Rat
	// intBounds: the only numeric keywords are minimum and maximum, both
	// integers (or absent) within ±2^62, held in intMin and intMax, so
	// that a plain integer literal is compared without big.Rat.
	intBounds      bool
	intMin, intMax int64

	// any value
	constant *string  // const, as canonical JSON (canonicalJSON)
	enum     []string // enum, as canonical JSON
	// enumStrings holds the strings among enum (and const) values, for
	// comparing a string value without marshalling it.
	enumStrings map[string]bool
	allOf       []*node
	anyOf       []*node
	oneOf       []*node
	not         *node
	ifNode      *node
	thenNode    *node
	elseNode    *node
}

// typeSet is a set of JSON Schema types.
type typeSet uint8

const (
	typeNull typeSet = 1 << iota
	typeBoolean
	typeInteger
	typeNumber
	typeString
	typeArray
	typeObject
)

var typeNames = map[string]typeSet{
	"null": typeNull, "boolean": typeBoolean, "integer": typeInteger, "number": typeNumber,
	"string": typeString, "array": typeArray, "object": typeObject,
}

// annotations are the keywords that do not validate.
var annotations = map[string]bool{
	"$schema": true, "$id": true, "$comment": true, "title": true, "description": true, "default": true,
	"examples": true, "definitions": true, "readOnly": true, "writeOnly": true,
	"contentEncoding": true, "contentMediaType": true,
}

// CompileFast compiles the draft-07 JSON Schema src, which must also
// compile with Compile. It refuses a schema with a keyword it does not
// implement (patternProperties, dependencies) or a $ref outside the
// document; the caller then validates with gojsonschema alone.
func CompileFast(src []byte) (*Fast, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	c := &fastCompiler{doc: doc, refs: map[string]*node{}}
	if m, ok := doc.(map[string]any); ok {
		c.id, _ = m["$id"].(string)
	}
	root, err := c.compile(doc, "")
	if err != nil {
		return nil, fmt.Errorf("jsonschema: CompileFast: %w", err)
	}
	return &Fast{root: root}, nil
}

type fastCompiler struct {
	doc  any
	id   string
	refs map[string]*node // by JSON Pointer into doc
}

func (c *fastCompiler) compile(v any, at string) (*node, error) {
	if b, ok := v.(bool); ok {
		return &node{pass: &b}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: a schema must be an object or a boolean", orRoot(at))
	}
	if _, ok := m["$id"]; ok && at != "" {
		// An $id below the root changes the base of references, which
		// resolve does not follow.
		return nil, fmt.Errorf("%s: $id below the root is not implemented by CompileFast", at)
	}
	if ref, ok := m["$ref"].(string); ok {
		target, err := c.resolve(ref)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", orRoot(at), err)
		}
		return &node{ref: target}, nil
	}
	n := &node{minProps: -1, maxProps: -1, minItems: -1, maxItems: -1, minLength: -1, maxLength: -1}
	for k, x := range m {
		if annotations[k] {
			continue
		}
		if err := c.keyword(n, k, x, at+"/"+k); err != nil {
			return nil, fmt.Errorf("%s: %w", at+"/"+k, err)
		}
	}
	n.indexRequired()
	n.compileIntBounds()
	return n, nil
}

// indexRequired splits the required members into those that props
// defines, each with a bit (up to 64), and the others.
func (n *node) indexRequired() {
	for _, r := range n.required {
		if _, ok := n.props[r]; !ok || len(n.requiredIn) == 64 {
			n.requiredOut = append(n.requiredOut, r)
			continue
		}
		if _, dup := n.requiredIn[r]; dup {
			continue
		}
		if n.requiredIn == nil {
			n.requiredIn = map[string]uint64{}
		}
		bit := uint64(1) << len(n.requiredIn)
		n.requiredIn[r] = bit
		n.requiredMask |= bit
	}
}

func (n *node) compileIntBounds() {
	if n.exclusiveMinimum != nil || n.exclusiveMaximum != nil || n.multipleOf != nil || n.format != "" {
		return
	}
	const limit = 1 << 62
	n.intMin, n.intMax = -limit, limit
	for _, b := range []struct {
		r   *big.Rat
		dst *int64
	}{{n.minimum, &n.intMin}, {n.maximum, &n.intMax}} {
		if b.r == nil {
			continue
		}
		if !b.r.IsInt() || !b.r.Num().IsInt64() || b.r.Num().Int64() > limit || b.r.Num().Int64() < -limit {
			return
		}
		*b.dst = b.r.Num().Int64()
	}
	n.intBounds = true
}

// resolve returns the node of a $ref within the document: "#/a/b", or
// the document's $id followed by such a fragment.
func (c *fastCompiler) resolve(ref string) (*node, error) {
	frag, ok := strings.CutPrefix(ref, c.id)
	if !ok || c.id == "" {
		frag = ref
	}
	if !strings.HasPrefix(frag, "#") || strings.Contains(frag, "%") {
		return nil, fmt.Errorf("$ref %q is not a reference within the schema", ref)
	}
	ptr := frag[1:]
	if n, ok := c.refs[ptr]; ok {
		return n, nil
	}
	target := c.doc
	if ptr != "" {
		for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			m, ok := target.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("$ref %q: no such schema", ref)
			}
			if target, ok = m[tok]; !ok {
				return nil, fmt.Errorf("$ref %q: no such schema", ref)
			}
		}
	}
	// The node is registered before it is compiled, so that a schema
	// that refers to itself compiles.
	n := &node{}
	c.refs[ptr] = n
	compiled, err := c.compile(target, ptr)
	if err != nil {
		return nil, err
	}
	*n = *compiled
	return n, nil
}

func (c *fastCompiler) keyword(n *node, k string, x any, at string) error {
	var err error
	switch k {
	case "type":
		n.types, err = types(x)
	case "properties":
		props, ok := x.(map[string]any)
		if !ok {
			return errors.New("not an object")
		}
		n.props = make(map[string]*node, len(props))
		for name, p := range props {
			if n.props[name], err = c.compile(p, at+"/"+name); err != nil {
				return err
			}
		}
	case "required":
		list, ok := x.([]any)
		if !ok {
			return errors.New("not an array")
		}
		for _, r := range list {
			s, ok := r.(string)
			if !ok {
				return errors.New("not an array of strings")
			}
			n.required = append(n.required, s)
		}
	case "additionalProperties":
		n.additional, n.closed, err = c.schemaOrFalse(x, at)
	case "minProperties":
		n.minProps, err = count(x)
	case "maxProperties":
		n.maxProps, err = count(x)
	case "propertyNames":
		n.propertyNames, err = c.compile(x, at)
	case "items":
		if list, ok := x.([]any); ok {
			n.tuple = make([]*node, len(list))
			for i, s := range list {
				if n.tuple[i], err = c.compile(s, at+"/"+strconv.Itoa(i)); err != nil {
					return err
				}
			}
		} else {
			n.items, err = c.compile(x, at)
		}
	case "additionalItems":
		n.additionalItems, n.noMoreItems, err = c.schemaOrFalse(x, at)
	case "minItems":
		n.minItems, err = count(x)
	case "maxItems":
		n.maxItems, err = count(x)
	case "uniqueItems":
		b, ok := x.(bool)
		if !ok {
			return errors.New("not a boolean")
		}
		n.unique = b
	case "contains":
		n.contains, err = c.compile(x, at)
	case "minLength":
		n.minLength, err = count(x)
	case "maxLength":
		n.maxLength, err = count(x)
	case "pattern":
		s, ok := x.(string)
		if !ok {
			return errors.New("not a string")
		}
		n.pattern, err = compilePattern(s)
	case "format":
		s, ok := x.(string)
		if !ok {
			return errors.New("not a string")
		}
		n.format = s
	case "minimum":
		n.minimum, err = rat(x)
	case "maximum":
		n.maximum, err = rat(x)
	case "exclusiveMinimum":
		n.exclusiveMinimum, err = rat(x)
	case "exclusiveMaximum":
		n.exclusiveMaximum, err = rat(x)
	case "multipleOf":
		n.multipleOf, err = rat(x)
	case "const":
		var s string
		if s, err = canonicalJSON(x); err == nil {
			n.constant = &s
			n.addEnumString(x)
		}
	case "enum":
		list, ok := x.([]any)
		if !ok {
			return errors.New("not an array")
		}
		for _, e := range list {
			s, err := canonicalJSON(e)
			if err != nil {
				return err
			}
			n.enum = append(n.enum, s)
			n.addEnumString(e)
		}
	case "allOf", "anyOf", "oneOf":
		list, ok := x.([]any)
		if !ok {
			return errors.New("not an array")
		}
		nodes := make([]*node, len(list))
		for i, s := range list {
			if nodes[i], err = c.compile(s, at+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
		switch k {
		case "allOf":
			n.allOf = nodes
		case "anyOf":
			n.anyOf = nodes
		default:
			n.oneOf = nodes
		}
	case "not":
		n.not, err = c.compile(x, at)
	case "if":
		n.ifNode, err = c.compile(x, at)
	case "then":
		n.thenNode, err = c.compile(x, at)
	case "else":
		n.elseNode, err = c.compile(x, at)
	default:
		return errors.New("keyword not implemented by CompileFast")
	}
	return err
}

func (n *node) addEnumString(v any) {
	if s, ok := v.(string); ok && utf8.ValidString(s) {
		if n.enumStrings == nil {
			n.enumStrings = map[string]bool{}
		}
		n.enumStrings[s] = true
	}
}

func (c *fastCompiler) schemaOrFalse(x any, at string) (*node, bool, error) {
	if b, ok := x.(bool); ok {
		return nil, !b, nil
	}
	n, err := c.compile(x, at)
	return n, false, err
}

func types(x any) (typeSet, error) {
	var names []any
	switch t := x.(type) {
	case string:
		names = []any{t}
	case []any:
		names = t
	default:
		return 0, errors.New("not a string or an array")
	}
	var ts typeSet
	for _, name := range names {
		s, _ := name.(string)
		t, ok := typeNames[s]
		if !ok {
			return 0, fmt.Errorf("unknown type %v", name)
		}
		ts |= t
	}
	return ts, nil
}

func count(x any) (int, error) {
	n, ok := x.(json.Number)
	if !ok {
		return 0, errors.New("not an integer")
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok || !r.IsInt() || r.Sign() < 0 || !r.Num().IsInt64() || r.Num().Int64() > 1<<31 {
		return 0, errors.New("not a count")
	}
	return int(r.Num().Int64()), nil
}

func rat(x any) (*big.Rat, error) {
	n, ok := x.(json.Number)
	if !ok {
		return nil, errors.New("not a number")
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		return nil, errors.New("not a number")
	}
	return r, nil
}

// canonicalJSON is the form in which gojsonschema compares values for
// enum, const and uniqueItems (its marshalWithoutNumber): v written by
// encoding/json, read back without UseNumber (numbers become float64)
// and written again, so that 1, 1.0 and 1e0 are one value.
func canonicalJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return "", err
	}
	b, err = json.Marshal(doc)
	return string(b), err
}

func orRoot(at string) string {
	if at == "" {
		return "(root)"
	}
	return at
}

// Valid reports whether doc is valid against the schema.
func (f *Fast) Valid(doc any) bool { return f.root.valid(doc) }

func (n *node) valid(v any) bool {
	if n.pass != nil {
		return *n.pass
	}
	if n.ref != nil {
		return n.ref.valid(v)
	}
	switch t := v.(type) {
	case nil:
		if n.types != 0 && n.types&typeNull == 0 {
			return false
		}
		return n.validCombinators(v) && n.validCommon(v)
	case json.Number:
		isInt := isInteger(string(t))
		if n.types != 0 && n.types&typeNumber == 0 && !(isInt && n.types&typeInteger != 0) {
			return false
		}
		return n.validCombinators(v) && n.validNumber(string(t)) && n.validCommon(v)
	case []any:
		if n.types != 0 && n.types&typeArray == 0 {
			return false
		}
		return n.validCombinators(v) && n.validArray(t) && n.validCommon(v)
	case map[string]any:
		if n.types != 0 && n.types&typeObject == 0 {
			return false
		}
		return n.validCombinators(v) && n.validObject(t) && n.validCommon(v)
	case bool:
		if n.types != 0 && n.types&typeBoolean == 0 {
			return false
		}
		return n.validCombinators(v) && n.validCommon(v)
	case string:
		if n.types != 0 && n.types&typeString == 0 {
			return false
		}
		return n.validCombinators(v) && n.validString(t) && n.validCommon(v)
	}
	// gojsonschema checks values of no other Go type (such as float64,
	// which encoding/json gives without UseNumber).
	return true
}

// validCombinators is gojsonschema's validateSchema: allOf, anyOf, oneOf,
// not, if/then/else.
func (n *node) validCombinators(v any) bool {
	for _, s := range n.allOf {
		if !s.valid(v) {
			return false
		}
	}
	if len(n.anyOf) > 0 {
		ok := false
		for _, s := range n.anyOf {
			if s.valid(v) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(n.oneOf) > 0 {
		matched := 0
		for _, s := range n.oneOf {
			if s.valid(v) {
				matched++
			}
		}
		if matched != 1 {
			return false
		}
	}
	if n.not != nil && n.not.valid(v) {
		return false
	}
	if n.ifNode != nil {
		if n.ifNode.valid(v) {
			if n.thenNode != nil && !n.thenNode.valid(v) {
				return false
			}
		} else if n.elseNode != nil && !n.elseNode.valid(v) {
			return false
		}
	}
	return true
}

// validCommon checks const and enum.
func (n *node) validCommon(v any) bool {
	if n.constant == nil && n.enum == nil {
		return true
	}
	if s, ok := v.(string); ok && utf8.ValidString(s) {
		// A valid UTF-8 string's canonical JSON is itself quoted, which
		// no other value's is: compare the strings.
		if !n.enumStrings[s] {
			return false
		}
		if n.constant != nil && n.enum != nil {
			// Both keywords: the string must satisfy each.
			return n.validCommonSlow(v)
		}
		return true
	}
	return n.validCommonSlow(v)
}

func (n *node) validCommonSlow(v any) bool {
	c, err := canonicalJSON(v)
	if err != nil {
		// gojsonschema fails such a value (and then crashes); no tree of
		// the module's decoders holds one.
		return false
	}
	if n.constant != nil && c != *n.constant {
		return false
	}
	if n.enum != nil {
		for _, e := range n.enum {
			if e == c {
				return true
			}
		}
		return false
	}
	return true
}

func (n *node) validObject(m map[string]any) bool {
	if n.minProps >= 0 && len(m) < n.minProps || n.maxProps >= 0 && len(m) > n.maxProps {
		return false
	}
	for _, r := range n.requiredOut {
		if _, ok := m[r]; !ok {
			return false
		}
	}
	var found uint64
	for k, x := range m {
		if p, ok := n.props[k]; ok {
			if !p.valid(x) {
				return false
			}
			found |= n.requiredIn[k]
		} else if n.closed || n.additional != nil && !n.additional.valid(x) {
			return false
		}
		if n.propertyNames != nil && !n.propertyNames.valid(k) {
			return false
		}
	}
	return found == n.requiredMask
}

func (n *node) validArray(a []any) bool {
	if n.minItems >= 0 && len(a) < n.minItems || n.maxItems >= 0 && len(a) > n.maxItems {
		return false
	}
	if n.items != nil {
		for _, x := range a {
			if !n.items.valid(x) {
				return false
			}
		}
	}
	if n.tuple != nil {
		for i := 0; i < len(n.tuple) && i < len(a); i++ {
			if !n.tuple[i].valid(a[i]) {
				return false
			}
		}
		if len(a) > len(n.tuple) && len(n.tuple) > 0 {
			if n.noMoreItems {
				return false
			}
			if n.additionalItems != nil {
				for _, x := range a[len(n.tuple):] {
					if !n.additionalItems.valid(x) {
						return false
					}
				}
			}
		}
	}
	if n.unique && !uniqueItems(a) {
		return false
	}
	if n.contains != nil {
		found := false
		for _, x := range a {
			if n.contains.valid(x) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// uniqueItems reports whether the items of a are distinct as gojsonschema
// compares them (canonicalJSON); items that are valid UTF-8 strings are
// compared as strings, which gives the same answer.
func uniqueItems(a []any) bool {
	strs := true
	for _, x := range a {
		if s, ok := x.(string); !ok || !utf8.ValidString(s) {
			strs = false
			break
		}
	}
	if strs {
		for i := range a {
			for j := range i {
				if a[i].(string) == a[j].(string) {
					return false
				}
			}
		}
		return true
	}
	seen := make(map[string]bool, len(a))
	for _, x := range a {
		c, err := canonicalJSON(x)
		if err != nil || seen[c] {
			return false
		}
		seen[c] = true
	}
	return true
}

func (n *node) validString(s string) bool {
	if n.minLength >= 0 || n.maxLength >= 0 {
		runes := utf8.RuneCountInString(s)
		if n.minLength >= 0 && runes < n.minLength || n.maxLength >= 0 && runes > n.maxLength {
			return false
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(s) {
		return false
	}
	return n.format == "" || isFormat(n.format, s)
}

// isFormat checks a string as gojsonschema's format checkers do: date and
// date-time as their DateFormatChecker and DateTimeFormatChecker (the
// same time.Parse calls), other formats through its checker chain.
func isFormat(format, s string) bool {
	switch format {
	case "date":
		return isDate(s)
	case "date-time":
		for _, layout := range [...]string{"15:04:05", "15:04:05Z07:00", "2006-01-02", time.RFC3339, time.RFC3339Nano} {
			if _, err := time.Parse(layout, s); err == nil {
				return true
			}
		}
		return false
	}
	return gojsonschema.FormatCheckers.IsFormat(format, s)
}

// isDate reports whether time.Parse("2006-01-02", s) succeeds, without
// calling it: four digits, '-', a two-digit month of 01 to 12, '-', a
// two-digit day within the month; FuzzIsDate holds it to time.Parse.
func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	num := func(t string) int {
		v := 0
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return -1
			}
			v = v*10 + int(t[i]-'0')
		}
		return v
	}
	y, m, d := num(s[:4]), num(s[5:7]), num(s[8:])
	if y < 0 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func (n *node) validNumber(s string) bool {
	if n.minimum == nil && n.maximum == nil && n.exclusiveMinimum == nil && n.exclusiveMaximum == nil &&
		n.multipleOf == nil && n.format == "" {
		return true
	}
	if n.intBounds {
		if v, ok := plainInt(s); ok {
			return n.intMin <= v && v <= n.intMax
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		r = new(big.Rat) // as gojsonschema, which ignores the error
	}
	switch {
	case n.multipleOf != nil && !new(big.Rat).Quo(r, n.multipleOf).IsInt():
		return false
	case n.maximum != nil && r.Cmp(n.maximum) > 0:
		return false
	case n.exclusiveMaximum != nil && r.Cmp(n.exclusiveMaximum) >= 0:
		return false
	case n.minimum != nil && r.Cmp(n.minimum) < 0:
		return false
	case n.exclusiveMinimum != nil && r.Cmp(n.exclusiveMinimum) <= 0:
		return false
	}
	// A format applies to numbers too, through the checker chain, which
	// gets the number as a *big.Rat.
	return n.format == "" || gojsonschema.FormatCheckers.IsFormat(n.format, r)
}

// plainInt reads a JSON integer literal of at most 18 digits, which an
// int64 holds.
func plainInt(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	if len(digits) == 0 || len(digits) > 18 {
		return 0, false
	}
	var v int64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// isInteger reports whether the JSON number s has an integer value, as
// gojsonschema decides it (big.Rat.SetString and IsInt), reading a plain
// integer literal without big.Rat.
func isInteger(s string) bool {
	plain := len(s) > 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || c == '-' && i == 0) {
			plain = false
			break
		}
	}
	if plain && s != "-" {
		return true
	}
	r, ok := new(big.Rat).SetString(s)
	return ok && r.IsInt()
}
