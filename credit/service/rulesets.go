package service

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/creditsco/creditsco/credit"
)

// A RuleSetSummary describes one rule set of GET /v1/rulesets.
type RuleSetSummary struct {
	// ID and Version name the rule set.
	ID      string `json:"id"`
	Version string `json:"version"`
	// Country is the country it is made for; empty for the baseline.
	Country string `json:"country,omitempty"`
	// Extends is the id of its parent, if it extends one.
	Extends string `json:"extends,omitempty"`
	// EffectiveFrom is the first assessment date it is meant for.
	EffectiveFrom string `json:"effective_from,omitempty"`
	// Digest is the digest profiles and certificates carry: the SHA-256
	// of the body of GET /v1/rulesets/{id}?version=Version.
	Digest string `json:"digest"`
	// Retired is true for a version kept only so that the certificates
	// issued under it verify (credit.RuleSetRegistry.RegisterRetired): no
	// record is scored with it.
	Retired bool `json:"retired,omitempty"`
	// Description says what it is for.
	Description string `json:"description"`
}

// A RuleSetList is the body of GET /v1/rulesets.
type RuleSetList struct {
	// RuleSets are every version of every rule set, by id, highest
	// version first.
	RuleSets []RuleSetSummary `json:"rulesets"`
}

func (h *Handler) ruleSetList(w http.ResponseWriter, r *http.Request) {
	out := RuleSetList{RuleSets: []RuleSetSummary{}}
	for _, id := range h.ruleSets.IDs() {
		for _, v := range h.ruleSets.Versions(id) {
			rs, ok := h.ruleSets.LookupVersion(id, v)
			if !ok {
				continue
			}
			out.RuleSets = append(out.RuleSets, RuleSetSummary{ID: rs.ID, Version: rs.Version, Country: rs.Country, Extends: rs.Extends,
				EffectiveFrom: rs.EffectiveFrom, Digest: rs.Digest(), Retired: h.ruleSets.Retired(id, v), Description: rs.Description})
		}
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, out)
}

// ruleSet serves the exact bytes whose SHA-256 is a rule set's digest,
// the digest that profiles and certificates carry (credit.RuleSet
// Canonical): the RFC 8785 form of its file, or for a rule set that
// extends another, of the array [parent, own file]. The highest version,
// or the one the version parameter names. Its ETag is the digest, its
// Content-Digest (RFC 9530) the same SHA-256.
func (h *Handler) ruleSet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	version, ok := queryParam(w, r, "version", 32)
	if !ok {
		return
	}
	var (
		rs    *credit.RuleSet
		found bool
	)
	if version == "" {
		rs, found = h.ruleSets.Lookup(id)
	} else {
		rs, found = h.ruleSets.LookupVersion(id, version)
	}
	if !found {
		what := "no rule set " + strconv.Quote(truncate(id, 64))
		if version != "" {
			what += " of version " + strconv.Quote(version)
		}
		writeProblem(w, newProblem(http.StatusNotFound, CodeUnknownRuleSet, what+"; GET /v1/rulesets lists them"))
		return
	}
	body := rs.Canonical()
	sum := sha256.Sum256(body)
	etag := `"` + rs.Digest() + `"`
	hdr := w.Header()
	hdr.Set("ETag", etag)
	if version != "" {
		hdr.Set("Cache-Control", "public, max-age=86400") // an id and version name one content
	} else {
		hdr.Set("Cache-Control", "no-cache") // the highest version may change with the service
	}
	if notModified(r, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum[:])+":")
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// maxCountries bounds the countries of one recognition table.
const maxCountries = 64

// recognition serves the recognition table (credit.RecognitionTable) of
// the countries parameter (comma-separated ISO 3166-1 alpha-2 codes;
// default: every SCO country) as of the as_of parameter (YYYY-MM-DD;
// default: the clock's date, in UTC).
func (h *Handler) recognition(w http.ResponseWriter, r *http.Request) {
	asOfParam, ok := queryParam(w, r, "as_of", 10)
	if !ok {
		return
	}
	countriesParam, ok := queryParam(w, r, "countries", 3*maxCountries)
	if !ok {
		return
	}
	asOf, err := credit.ParseDate(h.now().UTC().Format(time.DateOnly))
	if asOfParam != "" {
		asOf, err = credit.ParseDate(asOfParam)
	}
	if err != nil {
		writeProblem(w, newProblem(http.StatusBadRequest, CodeInvalidParameter, "the parameter as_of is not a date YYYY-MM-DD"))
		return
	}
	var countries []string
	if countriesParam != "" {
		for c := range strings.SplitSeq(countriesParam, ",") {
			if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
				writeProblem(w, newProblem(http.StatusBadRequest, CodeInvalidParameter,
					fmt.Sprintf("the parameter countries holds %q, not an ISO 3166-1 alpha-2 code such as KZ", truncate(c, 16))))
				return
			}
			countries = append(countries, c)
		}
	}
	t, err := h.ruleSets.Recognition(countries, asOf)
	if err != nil {
		writeProblem(w, newProblem(http.StatusNotFound, CodeNoRuleSet, trimPrefixes(err)))
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, t)
}
