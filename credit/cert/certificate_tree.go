package cert

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// certificateFromTree types a signed document that has passed the
// certificate schema from its parsed tree (jcs.Value.Tree), which the
// schema check already made, instead of parsing the document's text a
// second time. It gives the Certificate that encoding/json's Unmarshal
// gives for the document (TestCertificateFromTreeEqualsUnmarshal): the
// schema admits no member the type does not define, so every member is
// read by its exact name. A value of the wrong type, which the schema
// rules out, is an error, never a panic.
func certificateFromTree(tree any) (*Certificate, error) {
	t := certTyper{}
	m := t.object(tree, "")
	c := &Certificate{
		Context:    t.strings(m, "@context"),
		ID:         t.str(m, "id"),
		Type:       t.strings(m, "type"),
		Issuer:     t.str(m, "issuer"),
		ValidFrom:  t.str(m, "validFrom"),
		ValidUntil: t.str(m, "validUntil"),
	}
	if v, ok := m["credentialSchema"]; ok && v != nil {
		cs := t.object(v, "credentialSchema")
		c.CredentialSchema = &CredentialSchema{ID: t.str(cs, "id"), Type: t.str(cs, "type")}
	}
	if v, ok := m["credentialStatus"]; ok && v != nil {
		items := t.array(v, "credentialStatus")
		c.CredentialStatus = make([]BitstringStatusListEntry, len(items))
		for i, x := range items {
			e := t.object(x, "credentialStatus")
			c.CredentialStatus[i] = BitstringStatusListEntry{ID: t.str(e, "id"), Type: t.str(e, "type"),
				StatusPurpose: t.str(e, "statusPurpose"), StatusListIndex: t.str(e, "statusListIndex"),
				StatusListCredential: t.str(e, "statusListCredential")}
		}
	}
	c.CredentialSubject = t.subject(t.object(m["credentialSubject"], "credentialSubject"))
	if t.err != nil {
		return nil, t.err
	}
	return c, nil
}

// certTyper keeps the first error of a certificateFromTree call.
type certTyper struct{ err error }

func (t *certTyper) fail(path, want string, v any) {
	if t.err == nil {
		t.err = fmt.Errorf("%s: expected %s, got %T", path, want, v)
	}
}

func (t *certTyper) object(v any, path string) map[string]any {
	m, ok := v.(map[string]any)
	if !ok && v != nil {
		t.fail(path, "an object", v)
	}
	return m
}

func (t *certTyper) array(v any, path string) []any {
	a, ok := v.([]any)
	if !ok && v != nil {
		t.fail(path, "an array", v)
	}
	return a
}

func (t *certTyper) str(m map[string]any, key string) string {
	v, ok := m[key]
	if !ok || v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		t.fail(key, "a string", v)
	}
	return s
}

// strings reads an array of strings; absent or null is nil, as
// encoding/json leaves a slice.
func (t *certTyper) strings(m map[string]any, key string) []string {
	v, ok := m[key]
	if !ok || v == nil {
		return nil
	}
	items := t.array(v, key)
	out := make([]string, len(items))
	for i, x := range items {
		s, ok := x.(string)
		if !ok {
			t.fail(key, "a string", x)
		}
		out[i] = s
	}
	return out
}

func (t *certTyper) identifier(v any, path string) Identifier {
	m := t.object(v, path)
	return Identifier{Scheme: t.str(m, "scheme"), Value: t.str(m, "value")}
}

func (t *certTyper) subject(m map[string]any) Subject {
	s := Subject{
		Grade:          t.str(m, "grade"),
		PD:             t.str(m, "pd"),
		MasterScale:    t.str(m, "masterScale"),
		Warnings:       t.strings(m, "warnings"),
		AssessmentDate: t.str(m, "assessmentDate"),
		Reasons:        t.strings(m, "reasons"),
		RecordDigest:   t.str(m, "recordDigest"),
	}
	e := t.object(m["enterprise"], "enterprise")
	s.Enterprise = Enterprise{Country: t.str(e, "country"), LegalName: t.str(e, "legalName"), LegalNameLatin: t.str(e, "legalNameLatin")}
	if v, ok := e["identifier"]; ok && v != nil {
		s.Enterprise.Identifier = t.identifier(v, "identifier")
	}
	if v, ok := e["otherIdentifiers"]; ok && v != nil {
		items := t.array(v, "otherIdentifiers")
		s.Enterprise.OtherIdentifiers = make([]Identifier, len(items))
		for i, x := range items {
			s.Enterprise.OtherIdentifiers[i] = t.identifier(x, "otherIdentifiers")
		}
	}
	if v, ok := m["localGrade"]; ok && v != nil {
		lg := t.object(v, "localGrade")
		s.LocalGrade = &LocalGrade{Label: t.str(lg, "label"), Scale: t.str(lg, "scale")}
	}
	if v, ok := m["score"]; ok && v != nil {
		n, isNum := v.(json.Number)
		if !isNum {
			t.fail("score", "an integer", v)
		} else if score, err := strconv.ParseInt(string(n), 10, 64); err != nil {
			if t.err == nil {
				t.err = fmt.Errorf("/credentialSubject/score: %s is not an integer of 64 bits", n)
			}
		} else {
			s.Score = score
		}
	}
	rs := t.object(m["ruleSet"], "ruleSet")
	s.RuleSet = RuleSetRef{ID: t.str(rs, "id"), Version: t.str(rs, "version"), Digest: t.str(rs, "digest")}
	return s
}
