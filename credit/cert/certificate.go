package cert

import "errors"

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
	// LocalGrade is the grade's label on the national rating scale that
	// the rule set names (credit.RuleSet.LocalLabel), as the profile's
	// local_grade; nil when the rule set names none for the grade. The
	// master grade comes first: it is the one every country reads alike.
	LocalGrade *LocalGrade `json:"localGrade,omitempty"`
	// Score is the integer score, within the rule set's score range.
	Score int64 `json:"score"`
	// PD is the one-year probability of default, a decimal in [0, 1] such
	// as "0.000500", as in credit.Profile.
	PD string `json:"pd"`
	// MasterScale is the name of the master scale Grade belongs to.
	MasterScale string `json:"masterScale"`
	// RuleSet names the rule set that produced the grade.
	RuleSet RuleSetRef `json:"ruleSet"`
	// Warnings are the codes of what a verifier should know about how the
	// grade was made; empty for most certificates. The one code is
	// credit.CodeRuleSetOtherCountry (RULESET_OTHER_COUNTRY): the rule
	// set was made for another country than the enterprise's, as when an
	// issuer forces one rule set on a batch of several countries, so its
	// country-specific parts (inflation, registers, caps, local labels)
	// may not fit the enterprise. Verifiers check that it is present
	// exactly when the rule set's country differs from the enterprise's.
	Warnings []string `json:"warnings,omitempty"`
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
	// Identifier is the primary identifier: of the record's valid
	// identifiers, the first of the scheme the rule set prefers
	// (credit.Identity.Primary, in its order, as
	// credit.RuleSet.PrimaryIdentifier picks it); when the record has none
	// of those schemes, or the rule set names none, the first of a scheme
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

// LocalGrade is a grade's label on a national rating scale.
type LocalGrade struct {
	// Label is the label on the national scale, such as kzAAA.
	Label string `json:"label"`
	// Scale is the name of the national scale, as the rule set names it.
	Scale string `json:"scale"`
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
