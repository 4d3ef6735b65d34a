package cert

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/ident"
)

// Contexts and types of the credit certificate profile.
const (
	// CredentialsContext is the base context of W3C Verifiable
	// Credentials 2.0; it comes first in every credential.
	CredentialsContext = "https://www.w3.org/ns/credentials/v2"
	// CertificateContext is the JSON-LD context that defines the terms
	// of a credit certificate. Its document is published in the schema
	// directory as credit-certificate.context.jsonld.
	CertificateContext = "https://creditsco.org/ns/credit/v1"
	// CertificateSchema is the URL of the certificate's JSON Schema,
	// schema/credit-certificate.schema.json.
	CertificateSchema = "https://creditsco.org/schema/credit-certificate/1.0"
	// CertificateType is the type that marks a credential as a credit
	// certificate, next to "VerifiableCredential".
	CertificateType = "CreditCertificate"
)

// ErrNotCertifiable is returned by Issue and Issuer.Issue for a profile
// that the rule set does not allow to be certified; the profile's caps
// say why.
var ErrNotCertifiable = errors.New("cert: profile is not certifiable")

// Certificate is the content of a credit certificate: a W3C Verifiable
// Credential whose subject is a graded enterprise. It carries grades,
// scores and reason codes, never the financial figures behind them; the
// digest of the assessed record lets the evidence be matched later
// without disclosing it.
type Certificate struct {
	// Context is the JSON-LD @context: CredentialsContext first, then
	// CertificateContext.
	Context []string `json:"@context"`
	// ID is the certificate's urn:uuid, derived from the issuer, the record
	// and rule set digests and ValidFrom.
	ID string `json:"id"`
	// Type includes "VerifiableCredential" and CertificateType.
	Type []string `json:"type"`
	// Issuer is the URI of the issuing agency, typically a did:key.
	Issuer string `json:"issuer"`
	// ValidFrom is the start of validity, an RFC 3339 time in UTC to the
	// second.
	ValidFrom string `json:"validFrom"`
	// ValidUntil is the end of validity, in the form of ValidFrom:
	// ValidFrom plus the rule set's validity months (12 if it sets none).
	ValidUntil string `json:"validUntil"`
	// CredentialSchema points to the certificate's JSON Schema,
	// CertificateSchema; nil if absent.
	CredentialSchema *CredentialSchema `json:"credentialSchema,omitempty"`
	// CredentialSubject is what the certificate states about the
	// enterprise.
	CredentialSubject Subject `json:"credentialSubject"`
	// CredentialStatus holds the revocation and suspension entries; empty
	// for a certificate issued without a StatusRegistry.
	CredentialStatus []BitstringStatusListEntry `json:"credentialStatus,omitempty"`
}

// CredentialSchema points to the JSON Schema a credential conforms to.
type CredentialSchema struct {
	// ID is the URL of the schema, such as CertificateSchema.
	ID string `json:"id"`
	// Type is the kind of schema, "JsonSchema".
	Type string `json:"type"`
}

// Subject is what a credit certificate states about an enterprise.
type Subject struct {
	// Enterprise identifies the certified enterprise.
	Enterprise Enterprise `json:"enterprise"`
	// Grade is the grade on the rule set's master scale, after caps.
	Grade string `json:"grade"`
	// Score is the integer score, within the rule set's score range.
	Score int64 `json:"score"`
	// PD is the one-year probability of default, a decimal in [0, 1] such
	// as "0.000500", as in credit.Profile.
	PD string `json:"pd"`
	// MasterScale is the name of the master scale Grade belongs to.
	MasterScale string `json:"masterScale"`
	// RuleSet names the rule set that produced the grade.
	RuleSet RuleSetRef `json:"ruleSet"`
	// AssessmentDate is the record's as_of date, YYYY-MM-DD.
	AssessmentDate string `json:"assessmentDate"`
	// Reasons are the top reason codes, most important first, at most
	// credit.MaxReasons; their texts are in the rule set's reason table.
	Reasons []string `json:"reasons"`
	// RecordDigest is "sha256:<hex>" of the RFC 8785 form of the assessed
	// record.
	RecordDigest string `json:"recordDigest"`
}

// Enterprise identifies the certified enterprise.
type Enterprise struct {
	// Country is the country of registration, ISO 3166-1 alpha-2.
	Country string `json:"country"`
	// LegalName is the registered legal name in the script of the register.
	LegalName string `json:"legalName"`
	// LegalNameLatin is the legal name in Latin script; empty if the record
	// gave none.
	LegalNameLatin string `json:"legalNameLatin,omitempty"`
	// Identifier is the primary identifier: the first valid one of a scheme
	// of Country.
	Identifier Identifier `json:"identifier"`
	// OtherIdentifiers are the other valid identifiers, such as an LEI,
	// each listed once.
	OtherIdentifiers []Identifier `json:"otherIdentifiers,omitempty"`
}

// Identifier is an enterprise identifier in its compact normalised form.
type Identifier struct {
	// Scheme is the scheme of package credit/ident, such as KZ-BIN, CN-USCC
	// or LEI.
	Scheme string `json:"scheme"`
	// Value is the identifier in the scheme's compact normalised form.
	Value string `json:"value"`
}

// RuleSetRef names the rule set that produced the grade, with the digest
// that proves which exact file it was.
type RuleSetRef struct {
	// ID is the rule set's id, such as SCO-BASE.
	ID string `json:"id"`
	// Version is the rule set's semantic version.
	Version string `json:"version"`
	// Digest is the rule set's digest, "sha256:<hex>" of its RFC 8785 (JCS)
	// form; for a rule set that extends another, of the JCS array [parent,
	// own].
	Digest string `json:"digest"`
}

// IssueOptions configure Issue and NewIssuer.
type IssueOptions struct {
	// Key signs the certificate.
	Key ed25519.PrivateKey
	// Issuer is the issuer's URI; the default is the did:key of Key. A
	// did:key issuer must be the did:key of Key, since verifiers accept
	// no other (see VerifyCertificate).
	Issuer string
	// VerificationMethod defaults to the did:key verification method of
	// Key.
	VerificationMethod string
	// Now is the time of issue, used for validFrom and the proof's
	// created; the zero value means time.Now() at each issue. It is
	// truncated to the second.
	Now time.Time
	// Status, if not nil, allocates revocation and suspension entries
	// for the certificate; the caller saves the registry afterwards. An
	// Issuer uses it on every Issue call, so it must not be used
	// concurrently elsewhere.
	Status *StatusRegistry
}

// An Issuer turns certifiable profiles scored under one rule set into
// signed credit certificates. The rule set is checked once, by NewIssuer,
// and what the certificates state from it (master scale, validity, the
// rules their subjects are checked against) is copied then: changes made
// to the rule set afterwards do not reach the Issuer's certificates. An
// Issuer is safe for concurrent use if its IssueOptions.Status is nil.
type Issuer struct {
	key      ed25519.PrivateKey
	issuer   string
	vm       string
	now      time.Time
	status   *StatusRegistry
	ruleSet  RuleSetRef
	validity int // months
	rules    *subjectRules
}

// NewIssuer returns an Issuer that signs with opts.Key for the rule set
// rs. rs must be resolved and unmodified since it was loaded
// (credit.RuleSet.Unmodified): the certificates state what its fields say
// under its digest. A did:key opts.Issuer that is not the did:key of
// opts.Key is refused, as AddProof refuses such a verification method.
func NewIssuer(rs *credit.RuleSet, opts IssueOptions) (*Issuer, error) {
	if len(opts.Key) != ed25519.PrivateKeySize {
		return nil, errors.New("cert: Issue needs an Ed25519 private key")
	}
	if rs == nil {
		return nil, errors.New("cert: Issue needs the rule set that scored the profile")
	}
	// The certificate states what the rule set's fields say (validity,
	// master scale) under the rule set's digest: refuse fields that the
	// digest no longer describes.
	if err := rs.Unmodified(); err != nil {
		return nil, fmt.Errorf("cert: rule set %s cannot vouch for a certificate: %w", rs.ID, err)
	}
	if !rs.Resolved() {
		return nil, fmt.Errorf("cert: rule set %s %s is not resolved against its parent", rs.ID, rs.Version)
	}
	rules, err := rulesOf(rs, true)
	if err != nil {
		return nil, fmt.Errorf("cert: %w", err)
	}
	key := slices.Clone(opts.Key)
	pub := key.Public().(ed25519.PublicKey)
	issuer := opts.Issuer
	if issuer == "" {
		issuer = DIDKey(pub)
	} else if strings.HasPrefix(issuer, didKeyPrefix) && issuer != DIDKey(pub) {
		return nil, fmt.Errorf("cert: issuer %s is a did:key but not the did:key %s of the signing key", issuer, DIDKey(pub))
	}
	validity := 12
	if rs.Certification != nil && rs.Certification.ValidityMonths > 0 {
		validity = rs.Certification.ValidityMonths
	}
	return &Issuer{
		key:      key,
		issuer:   issuer,
		vm:       opts.VerificationMethod,
		now:      opts.Now,
		status:   opts.Status,
		ruleSet:  RuleSetRef{ID: rs.ID, Version: rs.Version, Digest: rs.Digest()},
		validity: validity,
		rules:    rules,
	}, nil
}

// Issue turns a certifiable profile into a signed credit certificate.
// record is the JSON text of the assessed record, whose RFC 8785 digest
// the certificate carries; rec is its typed form and rs the rule set that
// scored it. Issue returns the signed certificate and its content.
//
// Issue is NewIssuer followed by Issuer.Issue, convenient for one
// certificate; it checks rs on every call, so a batch should make one
// Issuer and call its Issue method instead.
func Issue(record []byte, rec *credit.Record, p *credit.Profile, rs *credit.RuleSet, opts IssueOptions) ([]byte, *Certificate, error) {
	is, err := NewIssuer(rs, opts)
	if err != nil {
		return nil, nil, err
	}
	return is.Issue(record, rec, p)
}

// Issue turns the certifiable profile p, scored under the Issuer's rule
// set, into a signed credit certificate. record is the JSON text of the
// assessed record, whose RFC 8785 digest the certificate carries, and rec
// its typed form. It returns the signed certificate and its content.
//
// The error wraps ErrNotCertifiable for a profile that the rule set does
// not allow to be certified, and ErrMalformed for a record or profile no
// valid certificate can be made of (a record that is not I-JSON, an
// enterprise without a valid identifier of its country, a profile that
// the rule set cannot have produced, such as one edited after scoring).
// Other errors, such as a full status registry, are not about the record.
func (is *Issuer) Issue(record []byte, rec *credit.Record, p *credit.Profile) ([]byte, *Certificate, error) {
	if !p.Certifiable {
		return nil, nil, fmt.Errorf("%w: %s", ErrNotCertifiable, notCertifiableReasons(p))
	}
	if is.ruleSet.Digest != p.RuleSet.Digest {
		return nil, nil, fmt.Errorf("cert: profile was scored with rule set %s, not %s %s", p.RuleSet.Digest, is.ruleSet.ID, is.ruleSet.Digest)
	}
	canon, err := Canonicalize(record)
	if err != nil {
		return nil, nil, fmt.Errorf("cert: canonicalising the record: %w", err)
	}
	sum := sha256.Sum256(canon)
	now := is.now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(time.Second)
	primary, others, err := certificateIdentifiers(&rec.Enterprise)
	if err != nil {
		return nil, nil, err
	}
	c := &Certificate{
		Context:          []string{CredentialsContext, CertificateContext},
		Type:             []string{"VerifiableCredential", CertificateType},
		Issuer:           is.issuer,
		ValidFrom:        now.Format(time.RFC3339),
		ValidUntil:       now.AddDate(0, is.validity, 0).Format(time.RFC3339),
		CredentialSchema: &CredentialSchema{ID: CertificateSchema, Type: "JsonSchema"},
		CredentialSubject: Subject{
			Enterprise: Enterprise{
				Country:          rec.Enterprise.Country,
				LegalName:        rec.Enterprise.LegalName,
				LegalNameLatin:   rec.Enterprise.LegalNameLatin,
				Identifier:       primary,
				OtherIdentifiers: others,
			},
			Grade:          p.Grade,
			Score:          p.Score,
			PD:             p.PD,
			MasterScale:    is.rules.scale.Name,
			RuleSet:        RuleSetRef{ID: p.RuleSet.ID, Version: p.RuleSet.Version, Digest: p.RuleSet.Digest},
			AssessmentDate: rec.AsOf.String(),
			Reasons:        reasonCodes(p),
			RecordDigest:   "sha256:" + hex.EncodeToString(sum[:]),
		},
	}
	// Sign nothing a verifier would reject as impossible under the rule
	// set: a profile edited after scoring, or one of another engine. The
	// validity period needs no check: it is made here, in order.
	pd, err := profilePD(p.PD)
	if err == nil {
		err = checkRuleSetContent(c, pd, is.rules)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cert: profile %s is not one rule set %s %s can certify: %w", p.RecordID, is.ruleSet.ID, is.ruleSet.Version, err)
	}
	c.ID = certificateID(is.issuer, c.CredentialSubject.RecordDigest, c.CredentialSubject.RuleSet.Digest, c.ValidFrom)
	if is.status != nil {
		entries, err := is.status.Allocate(c.ID)
		if err != nil {
			return nil, nil, err
		}
		c.CredentialStatus = entries
	}
	doc, err := json.Marshal(c)
	if err != nil {
		return nil, nil, err
	}
	signed, err := AddProof(doc, is.key, ProofOptions{VerificationMethod: is.vm, Created: now})
	if err != nil {
		return nil, nil, err
	}
	return signed, c, nil
}

func notCertifiableReasons(p *credit.Profile) string {
	var why []string
	for _, c := range p.Caps {
		if !c.Certifiable {
			why = append(why, c.Reason)
		}
	}
	if len(why) == 0 {
		return "no reason given by the profile"
	}
	return strings.Join(why, ", ")
}

func reasonCodes(p *credit.Profile) []string {
	codes := make([]string, len(p.Reasons))
	for i, r := range p.Reasons {
		codes[i] = r.Code
	}
	return codes
}

// certificateIdentifiers picks the primary identifier, the first valid one
// of the enterprise's own country, and lists the other valid ones, all in
// normalised form so that verifiers can compare them exactly.
func certificateIdentifiers(e *credit.Enterprise) (Identifier, []Identifier, error) {
	var primary *Identifier
	var others []Identifier
	for _, id := range e.Identifiers {
		s, ok := ident.Lookup(id.Scheme)
		if !ok || s.Validate(id.Value) != nil {
			continue
		}
		n := Identifier{Scheme: s.Name(), Value: s.Normalize(id.Value)}
		if primary == nil && s.Country() == e.Country {
			primary = &n
			continue
		}
		if !slices.Contains(others, n) {
			others = append(others, n)
		}
	}
	if primary == nil {
		return Identifier{}, nil, verr(ErrMalformed, "", "enterprise has no valid identifier of its country %s", e.Country)
	}
	return *primary, slices.DeleteFunc(others, func(o Identifier) bool { return o == *primary }), nil
}

// certificateID derives a stable urn:uuid from what makes a certificate
// unique, so that issuing the same assessment twice at the same second
// gives the same id (and golden files stay stable). The UUID is of
// version 8 (RFC 9562, custom), its bits taken from SHA-256.
func certificateID(issuer, recordDigest, ruleSetDigest, validFrom string) string {
	h := sha256.Sum256([]byte(issuer + "\x00" + recordDigest + "\x00" + ruleSetDigest + "\x00" + validFrom))
	u := h[:16]
	u[6] = u[6]&0x0f | 0x80 // version 8
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	x := hex.EncodeToString(u)
	return "urn:uuid:" + x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// RuleSetLookup finds a recognised rule set by id.
type RuleSetLookup interface {
	Lookup(id string) (*credit.RuleSet, bool)
}

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
	// one whose fields were changed is not recognised. Nil means the
	// built-in rule sets of package credit.
	RuleSets RuleSetLookup
}

const defaultClockSkew = 5 * time.Minute

// VerifyCertificate verifies a signed credit certificate: its
// eddsa-jcs-2022 proof by a trusted key, that the key may sign for the
// certificate's issuer (a did:key issuer must be the signing key; any
// other issuer must list the key in opts.TrustedIssuers, unless that map
// is nil), that the signed content matches the certificate profile (the
// JSON Schema schema.CreditCertificate, a pd in [0, 1], a validity period
// with validFrom no later than validUntil, and a subject that the
// certificate's rule set can certify: a grade of its master scale not
// worse than its certification.min_grade, a score in its range, the pd
// and grade that the engine gives that score, allowing for the PD floor
// and for its caps, and reason codes of its reason table), its validity
// period at opts.Now, its revocation and suspension status (see
// CertificateVerifyOptions.Status), and that its rule set is recognised.
// Trust is checked before the content. It returns the certificate content
// as signed, or an error that matches one of the package's sentinel errors
// with errors.Is and has a stable Code; the certificate may be returned
// with the error, for its id. It never panics.
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
	if err := checkSchema(id, info.unsecured.Tree()); err != nil {
		return partial(), err
	}
	c, err := parseCertificate(info.Document)
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
	if err := checkCertificateProfile(c, rs); err != nil {
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

// parseCertificate decodes a signed document that has passed the
// certificate schema, which admits no members the Certificate type does
// not define. Two things remain for it to check: a score beyond int64,
// which the schema's integer admits, and an empty rule set id, which the
// schema's string admits but no recognised rule set has.
func parseCertificate(doc []byte) (*Certificate, error) {
	var c Certificate
	if err := json.Unmarshal(doc, &c); err != nil {
		return nil, verr(ErrMalformed, "", "not a credit certificate: %v", err)
	}
	if c.CredentialSubject.RuleSet.ID == "" {
		return &c, verr(ErrMalformed, c.ID, "/credentialSubject/ruleSet/id: a required member is empty")
	}
	return &c, nil
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
		err := CheckStatus(ctx, e, opts.Status, VerifyOptions{TrustedKeys: []ed25519.PublicKey{issuerKey}, Now: opts.Now, ClockSkew: opts.ClockSkew})
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
	// checked here, in one decode.
	var vc struct {
		ValidFrom        string          `json:"validFrom"`
		ValidUntil       string          `json:"validUntil"`
		CredentialStatus json.RawMessage `json:"credentialStatus"`
	}
	if err := json.Unmarshal(info.Document, &vc); err != nil {
		return info, verr(ErrMalformed, info.DocumentID, "%v", err)
	}
	if err := checkValidity(info.DocumentID, vc.ValidFrom, vc.ValidUntil, opts.Now, opts.ClockSkew); err != nil {
		return info, err
	}
	entries, err := statusEntries(vc.CredentialStatus)
	if err != nil {
		return info, err
	}
	return info, checkStatuses(ctx, info.DocumentID, entries, opts, info.PublicKey)
}
