package cert

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/ident"
)

// formatEpoch is the earliest validFrom of a credit certificate: the day
// the W3C published Verifiable Credentials Data Model 2.0, VC Data
// Integrity 1.0 and Data Integrity EdDSA Cryptosuites v1.0 as
// Recommendations (15 May 2025). A certificate of this format, with the
// VC 2.0 context and an eddsa-jcs-2022 proof, cannot honestly have been
// issued before; Issue refuses an earlier time of issue, and verifiers an
// earlier validFrom (ErrBadValidity).
var formatEpoch = time.Date(2025, 5, 15, 0, 0, 0, 0, time.UTC)

// checkContent checks what a verifier can check of a certificate beyond
// its schema, the same at issue and at verification, so that Issue signs
// nothing verifiers reject: its envelope (checkEnvelope), its dates
// (checkDates), its id, its
// enterprise's names and identifiers (checkEnterprise) and, if its rule
// set is recognised (rules not nil), its primary identifier, warnings,
// subject and validity period against the rule set. created is the
// proof's created time (zero if absent).
func checkContent(c *Certificate, created time.Time, rules *subjectRules, idents *ident.Registry) error {
	if err := checkEnvelope(c); err != nil {
		return err
	}
	from, err := checkDates(c, created)
	if err != nil {
		return err
	}
	s := c.CredentialSubject
	if want := certificateID(c.Issuer, s.RecordDigest, s.RuleSet.Digest, c.ValidFrom); c.ID != want {
		return verr(ErrBadSubject, c.ID, "/id: not the id %s derived from the issuer, recordDigest, rule set digest and validFrom", want)
	}
	if err := checkEnterprise(c, idents); err != nil {
		return err
	}
	if rules == nil {
		return nil
	}
	if err := checkPrimary(c, rules, idents); err != nil {
		return err
	}
	if want := ruleSetWarnings(rules, s.Enterprise.Country); !slices.Equal(s.Warnings, want) {
		return warningsError(c, rules, want)
	}
	pd, err := decimal.NewFromString(s.PD)
	if err != nil {
		// The schema's pattern rules this out; fail closed.
		return verr(ErrMalformed, c.ID, "/credentialSubject/pd: %q is not a decimal", s.PD)
	}
	if err := checkRuleSetContent(c, pd, rules); err != nil {
		return err
	}
	if s.PD != pd.StringFixed(credit.PDDecimals) {
		return verr(ErrBadSubject, c.ID, "/credentialSubject/pd: %q is not a PD with %d decimal places, as the engine writes it", s.PD, credit.PDDecimals)
	}
	return checkValidityMonths(c, from, rules)
}

// The @context, type and credentialSchema of every credit certificate,
// as Issue writes them and verifiers require them.
var (
	certificateContexts = []string{CredentialsContext, CertificateContext}
	certificateTypes    = []string{"VerifiableCredential", CertificateType}
	certificateSchemaOf = CredentialSchema{ID: CertificateSchema, Type: "JsonSchema"}
)

// checkEnvelope checks the members of c around its subject, which Issue
// writes alike in every certificate: @context, type and credentialSchema
// exactly (the schema admits further contexts and types, which change
// what a JSON-LD reader takes the certificate to say, and any schema
// URL), and the status entries (checkStatusEntries).
func checkEnvelope(c *Certificate) error {
	switch {
	case !slices.Equal(c.Context, certificateContexts):
		return verr(ErrMalformed, c.ID, "/@context: %q is not %q, the contexts of a credit certificate", c.Context, certificateContexts)
	case !slices.Equal(c.Type, certificateTypes):
		return verr(ErrMalformed, c.ID, "/type: %q is not %q, the types of a credit certificate", c.Type, certificateTypes)
	case c.CredentialSchema == nil || *c.CredentialSchema != certificateSchemaOf:
		return verr(ErrMalformed, c.ID, "/credentialSchema: not {id: %s, type: %s}, the schema of a credit certificate", certificateSchemaOf.ID, certificateSchemaOf.Type)
	}
	return checkStatusEntries(c.ID, c.CredentialStatus)
}

// checkStatusEntries checks the credentialStatus entries of certificate
// id: at most one per status purpose, each with an index CheckStatus can
// read, so that a verifier reads at most one list per purpose. Issue
// checks what its StatusAllocator gives with it.
func checkStatusEntries(id string, entries []BitstringStatusListEntry) error {
	for i, e := range entries {
		pointer := "/credentialStatus/" + strconv.Itoa(i)
		if _, err := e.Index(); err != nil {
			return &VerifyError{Reason: ErrMalformed, ID: id, Detail: pointer + "/statusListIndex", Err: err}
		}
		if j := slices.IndexFunc(entries[:i], func(o BitstringStatusListEntry) bool { return o.StatusPurpose == e.StatusPurpose }); j >= 0 {
			return verr(ErrMalformed, id, "%s: a second entry of purpose %q (the first is /credentialStatus/%d); a certificate has one entry per status purpose", pointer, e.StatusPurpose, j)
		}
	}
	return nil
}

// checkDates checks the dates of c that need no rule set: validFrom and
// validUntil written in UTC to the second, as Issue writes them (other
// spellings of a time are refused, so that one certificate has one
// form); validFrom not before formatEpoch; the proof created at
// validFrom, when Issue signs; and the assessment date not after the
// date of validFrom. It returns validFrom.
func checkDates(c *Certificate, created time.Time) (time.Time, error) {
	from, err := issuerTime(c.ID, "/validFrom", c.ValidFrom)
	if err != nil {
		return from, err
	}
	if _, err := issuerTime(c.ID, "/validUntil", c.ValidUntil); err != nil {
		return from, err
	}
	if from.Before(formatEpoch) {
		return from, verr(ErrBadValidity, c.ID, "/validFrom: %s is before %s, when the standards of this certificate format were published",
			c.ValidFrom, formatEpoch.Format(time.DateOnly))
	}
	if created.IsZero() {
		return from, verr(ErrBadValidity, c.ID, "/proof/created: missing; an issuer signs at validFrom %s", c.ValidFrom)
	}
	if !created.Equal(from) {
		return from, verr(ErrBadValidity, c.ID, "/proof/created: %s is not validFrom %s, when an issuer signs", formatTime(created), c.ValidFrom)
	}
	as, err := credit.ParseDate(c.CredentialSubject.AssessmentDate)
	if err != nil {
		return from, verr(ErrMalformed, c.ID, "/credentialSubject/assessmentDate: %q is not a date", c.CredentialSubject.AssessmentDate)
	}
	if as.After(credit.DateOf(from)) {
		return from, verr(ErrBadValidity, c.ID, "/credentialSubject/assessmentDate: %s is after the date of issue %s", as, c.ValidFrom)
	}
	return from, nil
}

// issuerTime parses a date-time member that Issue writes, which must be
// in UTC to the second ("2026-10-01T09:00:00Z").
func issuerTime(id, pointer, s string) (time.Time, error) {
	t, err := parseTime(s)
	if err != nil {
		return t, verr(ErrMalformed, id, "%s: %q is not an XML Schema dateTimeStamp", pointer, s)
	}
	if t.UTC().Format(time.RFC3339) != s {
		return t, verr(ErrBadValidity, id, "%s: %q is not in UTC to the second, as issuers write it (%s)", pointer, s, t.UTC().Format(time.RFC3339))
	}
	return t, nil
}

// checkValidityMonths checks the validity period of c against its rule
// set: validUntil is validFrom plus the rule set's validity months, and
// the assessment date is no further back than those months before
// validFrom (a grade valid for a year is not made of data older than a
// year).
func checkValidityMonths(c *Certificate, from time.Time, rules *subjectRules) error {
	if want := from.AddDate(0, rules.validity, 0).Format(time.RFC3339); c.ValidUntil != want {
		return verr(ErrBadValidity, c.ID, "/validUntil: %s is not validFrom plus the %d months of validity of rule set %s (%s)",
			c.ValidUntil, rules.validity, rules.id, want)
	}
	as, _ := credit.ParseDate(c.CredentialSubject.AssessmentDate) // checked by checkDates
	if earliest := credit.DateOf(from).AddMonths(-rules.validity); as.Before(earliest) {
		return verr(ErrBadValidity, c.ID, "/credentialSubject/assessmentDate: %s is more than the %d months of validity of rule set %s before the date of issue %s",
			as, rules.validity, rules.id, c.ValidFrom)
	}
	return nil
}

// checkEnterprise checks the enterprise of c: legal names without control
// or bidirectional formatting characters (which no register uses and
// which can make a name display as another), and identifiers that the
// registry idents accepts as those of the enterprise's country: the
// primary one of a scheme of the country, the others of the country or
// of no country (LEI), each known, valid, in the scheme's compact
// normalised form, and listed once.
func checkEnterprise(c *Certificate, idents *ident.Registry) error {
	e := c.CredentialSubject.Enterprise
	for _, n := range [...]struct{ member, name string }{{"legalName", e.LegalName}, {"legalNameLatin", e.LegalNameLatin}} {
		for i, r := range n.name {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				return verr(ErrBadSubject, c.ID, "/credentialSubject/enterprise/%s: control or bidirectional formatting character %U at byte %d", n.member, r, i)
			}
		}
	}
	const base = "/credentialSubject/enterprise/"
	s, err := checkIdentifier(c.ID, base+"identifier", e.Identifier, idents)
	if err != nil {
		return err
	}
	if s.Country() != e.Country {
		return verr(ErrBadIdentifier, c.ID, "%sidentifier: scheme %s is %s, not a scheme of the enterprise's country %s",
			base, e.Identifier.Scheme, schemeCountry(s), e.Country)
	}
	seen := []Identifier{e.Identifier}
	for i, o := range e.OtherIdentifiers {
		pointer := base + "otherIdentifiers/" + strconv.Itoa(i)
		s, err := checkIdentifier(c.ID, pointer, o, idents)
		if err != nil {
			return err
		}
		if cc := s.Country(); cc != "" && cc != e.Country {
			return verr(ErrBadIdentifier, c.ID, "%s: scheme %s is %s, not of the enterprise's country %s", pointer, o.Scheme, schemeCountry(s), e.Country)
		}
		for _, id := range seen {
			if id == o {
				return verr(ErrBadIdentifier, c.ID, "%s: %s %s is listed already", pointer, o.Scheme, o.Value)
			}
		}
		seen = append(seen, o)
	}
	return nil
}

// checkIdentifier checks that id is of a scheme idents knows, valid and in
// the scheme's compact normalised form.
func checkIdentifier(certID, pointer string, id Identifier, idents *ident.Registry) (ident.Scheme, error) {
	s, ok := idents.Lookup(id.Scheme)
	if !ok {
		return nil, verr(ErrBadIdentifier, certID, "%s/scheme: %q is not a scheme of the verifier's identifier registry", pointer, id.Scheme)
	}
	if n := s.Normalize(id.Value); n != id.Value {
		return nil, verr(ErrBadIdentifier, certID, "%s/value: %q is not in the compact normalised form of %s, %q", pointer, id.Value, id.Scheme, n)
	}
	if err := s.Validate(id.Value); err != nil {
		return nil, verr(ErrBadIdentifier, certID, "%s/value: %v", pointer, err)
	}
	return s, nil
}

// checkPrimary checks that the primary identifier of c is the one an
// issuer names under the rule set of rules (primaryIndex): of the
// identifiers the certificate lists, one of the scheme the rule set
// prefers most among those they include; any of the enterprise's country
// when they include none of its primary schemes or it names none.
// checkEnterprise has checked the identifiers themselves.
func checkPrimary(c *Certificate, rules *subjectRules, idents *ident.Registry) error {
	e := c.CredentialSubject.Enterprise
	ids := make([]Identifier, 0, 1+len(e.OtherIdentifiers))
	ids = append(append(ids, e.Identifier), e.OtherIdentifiers...)
	k := primaryIndex(ids, e.Country, rules.primary, idents)
	if k <= 0 {
		return nil // 0, or -1 which checkEnterprise rules out
	}
	return verr(ErrBadIdentifier, c.ID, "/credentialSubject/enterprise/identifier: %s is not the primary identifier that rule set %s names: it prefers %s (in the order %s), which the certificate lists at /credentialSubject/enterprise/otherIdentifiers/%d",
		e.Identifier.Scheme, rules.id, ids[k].Scheme, strings.Join(rules.primary, ", "), k-1)
}

// warningsError reports warnings of c other than want, those an issuer
// writes under the rule set of rules.
func warningsError(c *Certificate, rules *subjectRules, want []string) error {
	s := c.CredentialSubject
	if len(want) == 0 {
		why := "made for every country"
		if rules.country != "" {
			why = "made for " + rules.country + ", the enterprise's country"
		}
		return verr(ErrBadSubject, c.ID, "/credentialSubject/warnings: %v, but rule set %s was %s, so there is nothing to warn of",
			s.Warnings, rules.id, why)
	}
	return verr(ErrBadSubject, c.ID, "/credentialSubject/warnings: %v, not %v: rule set %s was made for %s, not for the enterprise's country %s",
		s.Warnings, want, rules.id, rules.country, s.Enterprise.Country)
}

func schemeCountry(s ident.Scheme) string {
	if s.Country() == "" {
		return "of no country"
	}
	return "of " + s.Country()
}
