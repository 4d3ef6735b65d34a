package cert

import (
	"context"
	"crypto/ed25519"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/ident"
	"github.com/creditsco/creditsco/credit/internal/jcs"
)

// RuleSetLookup finds a recognised rule set by id. A certificate names
// its rule set by id, version and digest; a lookup that can hold several
// versions of one id should also be a RuleSetVersionLookup, as
// *credit.RuleSetRegistry is, since Lookup alone finds one version per id
// and a certificate issued under another is then not recognised.
type RuleSetLookup interface {
	Lookup(id string) (*credit.RuleSet, bool)
}

// RuleSetVersionLookup is a RuleSetLookup that finds a rule set by id and
// version. VerifyCertificate uses LookupVersion when the lookup has it, so
// that certificates issued under an earlier version of a rule set keep
// verifying after a newer version is registered beside it.
// *credit.RuleSetRegistry is one.
type RuleSetVersionLookup interface {
	RuleSetLookup
	LookupVersion(id, version string) (*credit.RuleSet, bool)
}

var _ RuleSetVersionLookup = (*credit.RuleSetRegistry)(nil)

// CertificateVerifyOptions configure VerifyCertificate, in the manner of
// crypto/x509.VerifyOptions: the zero value of each field has a
// documented, safe meaning.
type CertificateVerifyOptions struct {
	// TrustedKeys are issuer keys trusted for certificates about
	// enterprises of every country.
	TrustedKeys []ed25519.PublicKey
	// TrustedByCountry are issuer keys trusted only for certificates about
	// enterprises of one country (ISO 3166-1 alpha-2), as a national
	// accreditation would grant. Nothing is trusted by default.
	TrustedByCountry map[string][]ed25519.PublicKey
	// Now is the time to check validity at; zero means time.Now().
	Now time.Time
	// ClockSkew is the allowance for clocks that disagree, applied to both
	// ends of the validity period; zero means 5 minutes, negative none.
	ClockSkew time.Duration
	// Status fetches status list credentials to check the credential's
	// credentialStatus entries (revocation and suspension). Unlike
	// crypto/x509, verification fails closed: a credential that has
	// status entries fails with ErrStatusUnavailable when Status is nil,
	// unless SkipStatus is set. A credential without status entries needs
	// no fetcher.
	Status StatusFetcher
	// SkipStatus, if true, skips status checking altogether, even when
	// Status is set: a revoked or suspended credential then verifies. Set
	// it only where the status is checked some other way, or where
	// accepting a revoked certificate is a risk the caller has decided to
	// take (for example an offline check of a certificate's content).
	SkipStatus bool
	// TrustedIssuers binds issuers that are not did:keys to their keys:
	// it maps an issuer id (such as "https://agency.example") to the keys
	// that may sign certificates in its name. A did:key issuer is bound by
	// the did:key itself (the proof must be by the key it names) and is
	// not looked up here. If TrustedIssuers is not nil, a certificate
	// whose issuer is not a did:key verifies only if its signing key is
	// listed under that exact issuer id; a non-nil empty map therefore
	// accepts did:key issuers only. If it is nil, an issuer that is not a
	// did:key is accepted on key trust alone: any key trusted by
	// TrustedKeys or TrustedByCountry may sign under any such issuer id,
	// so the issuer member then says nothing the verifier has checked.
	// Listing a key here does not trust it: it must also be in TrustedKeys
	// or, for the enterprise's country, in TrustedByCountry.
	TrustedIssuers map[string][]ed25519.PublicKey
	// RuleSets are the recognised rule sets; the certificate's rule set
	// id, version and digest must match one exactly, and that rule set
	// must be unmodified since it was loaded (credit.RuleSet.Unmodified):
	// one whose fields were changed is not recognised. A lookup that is a
	// RuleSetVersionLookup, such as a *credit.RuleSetRegistry, is asked
	// for the certificate's id and version, so every registered version
	// is recognised; otherwise Lookup's one version per id is. Nil means
	// the built-in rule sets of package credit (every version of them).
	RuleSets RuleSetLookup
	// Identifiers is the registry the enterprise's identifiers are checked
	// with (ErrBadIdentifier): every identifier's scheme must be in it.
	// Nil means the built-in schemes (ident.Default()); a verifier that
	// accepts schemes it registered itself passes its registry.
	Identifiers *ident.Registry
	// MaxStatusAge, if positive, is the greatest age of a status list
	// credential that is believed: one whose validFrom lies further
	// before Now is ErrStatusUnavailable, however long its own validity
	// period. Zero means the list's validity period alone decides. (A
	// list without validFrom and validUntil is never believed.)
	MaxStatusAge time.Duration
}

const defaultClockSkew = 5 * time.Minute

// VerifyCertificate verifies a signed credit certificate: its
// eddsa-jcs-2022 proof by a trusted key, that the key may sign for the
// certificate's issuer (a did:key issuer must be the signing key; any
// other issuer must list the key in opts.TrustedIssuers, unless that map
// is nil), that the signed content matches the certificate's JSON Schema
// (schema.CreditCertificate) and is what an issuer could have produced
// (see below), its validity period at opts.Now, its revocation and
// suspension status (see CertificateVerifyOptions.Status), and that its
// rule set is recognised. Trust is checked before the content.
//
// What an issuer could have produced: @context, type and
// credentialSchema exactly as Issue writes them, at most one status
// entry per purpose, each with an index CheckStatus reads (ErrMalformed);
// validFrom and validUntil in UTC to
// the second, validFrom not before 15 May 2025 (when the standards of the
// format were published), the proof created at validFrom, an
// assessmentDate not after validFrom (ErrBadValidity); an id that is the
// one derived from issuer, recordDigest, rule set digest and validFrom,
// legal names without control or bidirectional formatting characters
// (ErrBadSubject); identifiers of the enterprise's country, known to
// opts.Identifiers, valid and normalised (ErrBadIdentifier); and, under
// the recognised rule set, a primary identifier of the scheme it prefers
// among those the certificate lists (ErrBadIdentifier), validUntil =
// validFrom plus its validity months, an assessmentDate no further back
// than those months (ErrBadValidity), a grade of its master scale not
// worse than its certification.min_grade, the local label it gives that
// grade (and none where it gives none), a score in its range, the grade
// and pd (with six places) that the engine gives that score, allowing
// for the PD floor and for its caps, reason codes that its
// characteristics give, each once, and none only for its best score, and
// the warning RULESET_OTHER_COUNTRY exactly when it was made for another
// country than the enterprise's (ErrBadSubject).
//
// It returns the certificate content as signed, or an error that matches
// one of the package's sentinel errors with errors.Is and has a stable
// Code; the certificate may be returned with the error, for its id. A
// document larger than MaxDocumentBytes is ErrMalformed, unread. It never
// panics.
func VerifyCertificate(ctx context.Context, doc []byte, opts CertificateVerifyOptions) (*Certificate, error) {
	keys := slices.Clone(opts.TrustedKeys)
	for _, ks := range opts.TrustedByCountry {
		keys = append(keys, ks...)
	}
	info, err := VerifyProof(doc, VerifyOptions{TrustedKeys: keys, Now: opts.Now, ClockSkew: opts.ClockSkew})
	if err != nil {
		return nil, err
	}
	// Trust first: read the issuer and country leniently from the signed
	// value (a member of the wrong type is left empty, which trusts
	// nothing more), and only then judge the content of a certificate
	// from a trusted issuer.
	id := info.DocumentID
	issuer, _ := info.unsecured.Str("issuer")
	var country string
	if s, ok := info.unsecured.Get("credentialSubject"); ok {
		if e, ok := s.Get("enterprise"); ok {
			country, _ = e.Str("country")
		}
	}
	partial := func() *Certificate {
		c := &Certificate{ID: id, Issuer: issuer}
		c.CredentialSubject.Enterprise.Country = country
		return c
	}
	if !containsKey(opts.TrustedKeys, info.PublicKey) && !containsKey(opts.TrustedByCountry[country], info.PublicKey) {
		return partial(), verr(ErrUntrustedKey, id, "the issuer key is not trusted for enterprises of %s", orUnknown(country))
	}
	if err := checkIssuerKey(id, issuer, info, opts.TrustedIssuers); err != nil {
		return partial(), err
	}
	tree := info.unsecured.Tree()
	if err := checkSchema(id, tree); err != nil {
		return partial(), err
	}
	c, err := parseCertificate(tree)
	if err != nil {
		return c, err
	}
	// The schema requires both times and checks their format, but its
	// date-time format also admits a bare date or time.
	period, err := parseValidity(c.ID, c.ValidFrom, c.ValidUntil)
	if err != nil {
		return c, err
	}
	// An unrecognised rule set is reported after the other checks, which
	// do not need it.
	rs, unknownRuleSet := lookupRuleSet(c, opts.RuleSets)
	var rules *subjectRules
	if rs != nil {
		if rules, err = rulesOf(rs); err != nil {
			// Cannot happen for a resolved rule set; fail closed.
			return c, verr(ErrUnknownRuleSet, c.ID, "%v", err)
		}
	}
	idents := opts.Identifiers
	if idents == nil {
		idents = ident.Default()
	}
	if err := checkContent(c, info.Created, rules, idents); err != nil {
		return c, err
	}
	if err := period.check(c.ID, opts.Now, opts.ClockSkew); err != nil {
		return c, err
	}
	if err := checkStatuses(ctx, c.ID, c.CredentialStatus, opts, info.PublicKey); err != nil {
		return c, err
	}
	if unknownRuleSet != nil {
		return c, unknownRuleSet
	}
	return c, nil
}

// checkIssuerKey checks that the key of a proof may sign for issuer: a
// did:key issuer only by its own key, any other issuer by a key listed
// for it in trustedIssuers, unless trustedIssuers is nil (key trust
// alone).
func checkIssuerKey(id, issuer string, info *ProofInfo, trustedIssuers map[string][]ed25519.PublicKey) error {
	if strings.HasPrefix(issuer, "did:key:") {
		if !strings.HasPrefix(info.VerificationMethod, issuer+"#") {
			return verr(ErrUntrustedKey, id, "signed by %s, which is not a key of the issuer %s", info.VerificationMethod, issuer)
		}
		return nil
	}
	if trustedIssuers == nil {
		return nil
	}
	if !containsKey(trustedIssuers[issuer], info.PublicKey) {
		return verr(ErrUntrustedKey, id, "the issuer %s is not a did:key and the signing key %s is not trusted for it",
			orUnknownIssuer(issuer), info.VerificationMethod)
	}
	return nil
}

func orUnknownIssuer(issuer string) string {
	if issuer == "" {
		return "(missing or not a string)"
	}
	return strconv.Quote(issuer)
}

func orUnknown(country string) string {
	if country == "" {
		return "an unknown country"
	}
	return country
}

// parseCertificate types a signed document that has passed the
// certificate schema, given as its tree (certificateFromTree), which
// admits no members the Certificate type does not define. Two things
// remain for it to check: a score beyond int64, which the schema's
// integer admits (and the exact-number check of VerifyProof already
// refuses), and an empty rule set id, which the schema's string admits
// but no recognised rule set has.
func parseCertificate(tree any) (*Certificate, error) {
	c, err := certificateFromTree(tree)
	if err != nil {
		return nil, verr(ErrMalformed, "", "not a credit certificate: %v", err)
	}
	if c.CredentialSubject.RuleSet.ID == "" {
		return c, verr(ErrMalformed, c.ID, "/credentialSubject/ruleSet/id: a required member is empty")
	}
	return c, nil
}

func containsKey(keys []ed25519.PublicKey, k ed25519.PublicKey) bool {
	return slices.ContainsFunc(keys, func(t ed25519.PublicKey) bool { return t.Equal(k) })
}

// checkTime resolves the zero values of a verification time and a clock
// skew allowance: now by default, 5 minutes by default, none if negative.
func checkTime(now time.Time, skew time.Duration) (time.Time, time.Duration) {
	if now.IsZero() {
		now = time.Now()
	}
	switch {
	case skew == 0:
		skew = defaultClockSkew
	case skew < 0:
		skew = 0
	}
	return now, skew
}

// validity is the validity period of a credential: its validFrom and
// validUntil members ("" if absent) and the times they give.
type validity struct {
	validFrom, validUntil string
	from, until           time.Time
}

// parseValidity parses the optional validFrom and validUntil date-times
// of a credential and checks that validFrom is no later than validUntil,
// comparing them as points in time, not as strings. It is the one place
// that reads them, for certificates and other credentials alike.
func parseValidity(id, validFrom, validUntil string) (validity, error) {
	v := validity{validFrom: validFrom, validUntil: validUntil}
	var err error
	if validFrom != "" {
		if v.from, err = parseTime(validFrom); err != nil {
			return v, verr(ErrMalformed, id, "/validFrom: %q is not an XML Schema dateTimeStamp", validFrom)
		}
	}
	if validUntil != "" {
		if v.until, err = parseTime(validUntil); err != nil {
			return v, verr(ErrMalformed, id, "/validUntil: %q is not an XML Schema dateTimeStamp", validUntil)
		}
	}
	if validFrom != "" && validUntil != "" && v.until.Before(v.from) {
		return v, verr(ErrMalformed, id, "validUntil %s is before validFrom %s", validUntil, validFrom)
	}
	return v, nil
}

// checkValidity checks the optional validFrom and validUntil of a
// credential (parseValidity) against now (validity.check).
func checkValidity(id, validFrom, validUntil string, now time.Time, skew time.Duration) error {
	v, err := parseValidity(id, validFrom, validUntil)
	if err != nil {
		return err
	}
	return v.check(id, now, skew)
}

// check compares the validity period with now, allowing skew at both
// ends.
func (v validity) check(id string, now time.Time, skew time.Duration) error {
	now, skew = checkTime(now, skew)
	if v.validFrom != "" && now.Add(skew).Before(v.from) {
		return verr(ErrNotYetValid, id, "valid from %s; checked at %s", v.validFrom, now.UTC().Format(time.RFC3339))
	}
	if v.validUntil != "" && now.Add(-skew).After(v.until) {
		return verr(ErrExpired, id, "valid until %s; checked at %s", v.validUntil, now.UTC().Format(time.RFC3339))
	}
	return nil
}

// noFetcherDetail is the detail of the error for a credential with status
// entries verified without a StatusFetcher.
const noFetcherDetail = "status not checked: no status fetcher"

// checkStatuses checks every status entry against its list, which must be
// signed by the same key as the credential, at the verification time
// opts.Now. It fails closed: entries without a fetcher are
// ErrStatusUnavailable, unless opts.SkipStatus. Errors name the
// credential, not the list, since the credential is what the caller asked
// about; the list's URL is kept in the detail.
func checkStatuses(ctx context.Context, id string, entries []BitstringStatusListEntry, opts CertificateVerifyOptions, issuerKey ed25519.PublicKey) error {
	if opts.SkipStatus || len(entries) == 0 {
		return nil
	}
	if opts.Status == nil {
		return verr(ErrStatusUnavailable, id, "%s", noFetcherDetail)
	}
	for _, e := range entries {
		err := CheckStatus(ctx, e, opts.Status, VerifyOptions{TrustedKeys: []ed25519.PublicKey{issuerKey}, Now: opts.Now, ClockSkew: opts.ClockSkew,
			MaxStatusAge: opts.MaxStatusAge})
		if err == nil {
			continue
		}
		var ve *VerifyError
		if errors.As(err, &ve) && ve.ID != id {
			ve.Detail = strings.TrimSpace("status list " + e.StatusListCredential + ": " + ve.Detail)
			ve.ID = id
		}
		return err
	}
	return nil
}

// VerifyCredential verifies any Verifiable Credential secured with an
// eddsa-jcs-2022 proof: the proof by a trusted key, the validity period
// and its status entries, which, as in VerifyCertificate, need
// opts.Status unless opts.SkipStatus is set. It is what VerifyCertificate
// does without the credit-certificate profile checks; TrustedByCountry,
// TrustedIssuers and RuleSets are not used, and the issuer is not
// checked against the signing key. It returns the verified proof.
func VerifyCredential(ctx context.Context, doc []byte, opts CertificateVerifyOptions) (*ProofInfo, error) {
	info, err := VerifyProof(doc, VerifyOptions{TrustedKeys: opts.TrustedKeys, Now: opts.Now, ClockSkew: opts.ClockSkew})
	if err != nil {
		return nil, err
	}
	// A generic credential has no schema: whatever members it has are
	// read from the signed value by their exact names (encoding/json
	// would let a later "ValidUntil" or "Type" stand for them).
	signed := &info.unsecured
	if t, ok := signed.Get("type"); ok && isCertificateType(t) {
		return info, verr(ErrMalformed, info.DocumentID, "a credit certificate (type %s): its content is judged by VerifyCertificate", CertificateType)
	}
	var validity [2]string // validFrom, validUntil
	for i, name := range []string{"validFrom", "validUntil"} {
		if m, ok := signed.Get(name); ok && m.Kind() != jcs.KindNull {
			if m.Kind() != jcs.KindString {
				return info, verr(ErrMalformed, info.DocumentID, "%s is not a string", name)
			}
			validity[i] = m.Text()
		}
	}
	validFrom, validUntil := validity[0], validity[1]
	if err := checkValidity(info.DocumentID, validFrom, validUntil, opts.Now, opts.ClockSkew); err != nil {
		return info, err
	}
	var status []byte
	if m, ok := signed.Get("credentialStatus"); ok {
		status = m.Canonical()
	}
	entries, err := statusEntries(status)
	if err != nil {
		return info, err
	}
	return info, checkStatuses(ctx, info.DocumentID, entries, opts, info.PublicKey)
}
