package credit

import (
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the JSON encoding of p to b and returns the
// extended buffer. The bytes are exactly those that encoding/json writes
// for p with an Encoder after SetEscapeHTML(false), without the
// Encoder's final newline: the same members in the same order, the same
// omitted ones, null for nil lists, and strings escaped alike (<, > and &
// as they are). It is the encoder of the score program's -format json,
// written out by hand because encoding/json's reflection cost as much as
// a tenth of scoring; TestProfileAppendJSON holds it to encoding/json on
// every golden profile and a generated corpus, and FuzzProfileAppendJSON
// on arbitrary strings. A nil p appends null.
func (p *Profile) AppendJSON(b []byte) []byte {
	if p == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"record_id":`...)
	b = appendJSONString(b, p.RecordID)
	b = append(b, `,"country":`...)
	b = appendJSONString(b, p.Country)
	b = append(b, `,"ruleset":{"id":`...)
	b = appendJSONString(b, p.RuleSet.ID)
	b = append(b, `,"version":`...)
	b = appendJSONString(b, p.RuleSet.Version)
	b = append(b, `,"digest":`...)
	b = appendJSONString(b, p.RuleSet.Digest)
	b = append(b, `},"score":`...)
	b = strconv.AppendInt(b, p.Score, 10)
	b = append(b, `,"pd":`...)
	b = appendJSONString(b, p.PD)
	b = append(b, `,"grade":`...)
	b = appendJSONString(b, p.Grade)
	if p.LocalGrade != nil {
		b = append(b, `,"local_grade":{"label":`...)
		b = appendJSONString(b, p.LocalGrade.Label)
		b = append(b, `,"scale":`...)
		b = appendJSONString(b, p.LocalGrade.Scale)
		b = append(b, '}')
	}
	b = append(b, `,"certifiable":`...)
	b = strconv.AppendBool(b, p.Certifiable)
	b = append(b, `,"coverage":`...)
	b = appendJSONString(b, p.Coverage)
	b = append(b, `,"pillars":`...)
	b = appendJSONList(b, p.Pillars, appendPillarJSON)
	b = append(b, `,"characteristics":`...)
	b = appendJSONList(b, p.Characteristics, appendCharacteristicJSON)
	b = append(b, `,"reasons":`...)
	b = appendJSONList(b, p.Reasons, appendReasonJSON)
	b = append(b, `,"caps":`...)
	b = appendJSONList(b, p.Caps, appendCapJSON)
	b = append(b, `,"warnings":`...)
	b = appendJSONList(b, p.Warnings, appendProblemJSON)
	return append(b, '}')
}

// appendJSONList appends a list as encoding/json does: null when nil.
func appendJSONList[T any](b []byte, list []T, elem func([]byte, *T) []byte) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, &list[i])
	}
	return append(b, ']')
}

func appendPillarJSON(b []byte, s *PillarScore) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, s.ID)
	b = append(b, `,"points":`...)
	b = appendJSONString(b, s.Points)
	b = append(b, `,"max_points":`...)
	b = appendJSONString(b, s.MaxPoints)
	b = append(b, `,"coverage":`...)
	b = appendJSONString(b, s.Coverage)
	return append(b, '}')
}

func appendCharacteristicJSON(b []byte, c *CharacteristicScore) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, c.ID)
	b = append(b, `,"indicator":`...)
	b = appendJSONString(b, c.Indicator)
	b = append(b, `,"pillar":`...)
	b = appendJSONString(b, c.Pillar)
	b = append(b, `,"value":`...)
	if c.Value == nil {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, *c.Value)
	}
	if c.Missing != "" {
		b = append(b, `,"missing":`...)
		b = appendJSONString(b, c.Missing)
	}
	b = append(b, `,"points":`...)
	b = appendJSONString(b, c.Points)
	b = append(b, `,"max_points":`...)
	b = appendJSONString(b, c.MaxPoints)
	if c.Reason != "" {
		b = append(b, `,"reason":`...)
		b = appendJSONString(b, c.Reason)
	}
	return append(b, '}')
}

func appendReasonJSON(b []byte, r *Reason) []byte {
	b = append(b, `{"code":`...)
	b = appendJSONString(b, r.Code)
	b = append(b, `,"points":`...)
	b = appendJSONString(b, r.Points)
	b = append(b, `,"text":`...)
	b = appendJSONString(b, r.Text)
	return append(b, '}')
}

func appendCapJSON(b []byte, c *AppliedCap) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, c.ID)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, c.Kind)
	if c.MaxGrade != "" {
		b = append(b, `,"max_grade":`...)
		b = appendJSONString(b, c.MaxGrade)
	}
	if c.GradeBefore != "" {
		b = append(b, `,"grade_before":`...)
		b = appendJSONString(b, c.GradeBefore)
	}
	b = append(b, `,"certifiable":`...)
	b = strconv.AppendBool(b, c.Certifiable)
	b = append(b, `,"reason":`...)
	b = appendJSONString(b, c.Reason)
	b = append(b, `,"text":`...)
	b = appendJSONString(b, c.Text)
	return append(b, '}')
}

func appendProblemJSON(b []byte, p *Problem) []byte {
	b = append(b, `{"path":`...)
	b = appendJSONString(b, p.Path)
	b = append(b, `,"code":`...)
	b = appendJSONString(b, p.Code)
	b = append(b, `,"severity":`...)
	b = appendJSONString(b, string(p.Severity))
	b = append(b, `,"message":`...)
	b = appendJSONString(b, p.Message)
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json quotes a string
// without HTML escaping: the two-character escapes of \ " \b \f \n \r
// \t, \u00XX for the other control characters, \u2028 and \u2029, and
// \ufffd for each byte of invalid UTF-8.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
