package service

import (
	"mime"
	"slices"
	"strconv"
	"strings"
)

// Media types of the streamed endpoints' responses.
const (
	// JSONType is a JSON array of results, one per record or document.
	JSONType = "application/json"
	// NDJSONType is one JSON result per line, in input order.
	NDJSONType = "application/x-ndjson"
)

// recordTypes are the request media types of record bodies: the shapes
// credit.Reader reads (one JSON value, an array, NDJSON) under their
// common names.
var recordTypes = []string{JSONType, NDJSONType, "application/jsonl", "application/x-jsonlines"}

// documentTypes are those of credential bodies: record types and the
// Verifiable Credentials media types.
var documentTypes = append(slices.Clone(recordTypes), "application/vc", "application/vc+ld+json", "application/ld+json")

// maxAcceptLen and maxAcceptRanges bound the Accept header read: longer
// headers are read as "*/*".
const (
	maxAcceptLen    = 4096
	maxAcceptRanges = 64
)

// negotiate returns the media type of a streamed response for the
// Accept header accept: JSONType or NDJSONType, whichever the client
// weighs higher (JSONType on a tie, and when accept is empty or
// unreadable), or "" if it accepts neither.
func negotiate(accept string) string {
	if strings.TrimSpace(accept) == "" || len(accept) > maxAcceptLen {
		return JSONType
	}
	ranges := strings.Split(accept, ",")
	if len(ranges) > maxAcceptRanges {
		return JSONType
	}
	best, bestQ := "", 0
	for _, t := range []string{JSONType, NDJSONType} {
		if q := quality(ranges, t); q > bestQ {
			best, bestQ = t, q
		}
	}
	return best
}

// quality returns the weight, in thousandths, that the most specific of
// ranges matching the media type t gives it; 0 if none matches (RFC 9110
// section 12.5.1).
func quality(ranges []string, t string) int {
	typ, sub, _ := strings.Cut(t, "/")
	q, spec := 0, -1
	for _, r := range ranges {
		mt, params, _ := strings.Cut(r, ";")
		rt, rs, ok := strings.Cut(strings.ToLower(strings.TrimSpace(mt)), "/")
		if !ok {
			continue
		}
		s := 0
		switch {
		case rt == typ && rs == sub:
			s = 2
		case rt == typ && rs == "*":
			s = 1
		case rt == "*" && rs == "*":
			s = 0
		default:
			continue
		}
		if s > spec {
			spec, q = s, qvalue(params)
		}
	}
	return q
}

// qvalue reads the q parameter of a media range's parameters ("q=0.5"),
// in thousandths; 1000 when absent, 0 when malformed.
func qvalue(params string) int {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) == 0 || len(v) > 5 {
			return 0
		}
		whole, frac, _ := strings.Cut(v, ".")
		if (whole != "0" && whole != "1") || len(frac) > 3 || strings.Trim(frac, "0123456789") != "" {
			return 0
		}
		n, _ := strconv.Atoi(whole + (frac + "000")[:3])
		return min(n, 1000)
	}
	return 1000
}

// bodyTypeOK reports whether a request's Content-Type is one of allowed,
// with no charset other than UTF-8; an absent Content-Type is accepted,
// since the body's shape is read from the body itself.
func bodyTypeOK(contentType string, allowed []string) bool {
	if strings.TrimSpace(contentType) == "" {
		return true
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !slices.Contains(allowed, mt) {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8")
}
