// Package cert is the standards-based cryptographic core of creditsco's
// verifiable credit certificates: JSON canonicalisation, Data Integrity
// proofs, did:key keys and status lists, built on the standard library's
// cryptography only, and the credit certificate itself (Issue, or
// NewIssuer for batches, and VerifyCertificate), checked against its JSON
// Schema and against what an issuer could have produced.
//
// # Certificates
//
// A certificate is made of a credit.Assessment, which only a
// credit.Engine makes (Engine.Assess, or StreamResult.Assessment of
// Engine.ScoreStream): it binds the record's text, its typed form and its
// profile, so that a certificate always states the enterprise, assessment
// date and record digest of the record whose grade it carries:
//
//	a, err := eng.Assess(ctx, recordJSON)
//	signed, c, err := cert.Issue(a, cert.IssueOptions{Key: key})
//
// A batch makes one Issuer (NewIssuer(rs, opts), Issuer.IssueContext);
// the streaming path issues from StreamResult.Assessment. A certificate is
// a W3C Verifiable Credential 2.0 of type ["VerifiableCredential",
// "CreditCertificate"] (schema: schema/credit-certificate.schema.json;
// JSON-LD context: schema/credit-certificate.context.jsonld). Its Subject
// holds the enterprise (country, primary identifier, other identifiers,
// legal names), the grade, then localGrade where the rule set names a
// national-scale label for it, the score, the pd (a string), the master
// scale, the rule set (id, version, digest), warnings when there is
// something to warn of, the assessment date, the top reason codes and
// recordDigest, the SHA-256 of the RFC 8785 form of the assessed record,
// so that the evidence can be matched later without being disclosed. It
// holds no financial figures. validUntil is validFrom plus the rule set's
// validity months.
//
// A verifier accepts only what an issuer could have produced: besides the
// proof, trust and schema (ErrMalformed, with the JSON Pointer of the
// member; also an @context, type or credentialSchema other than Issue
// writes, or two status entries of one purpose), VerifyCertificate
// checks the subject against the rule set (ErrBadSubject), the dates
// against the rule set and the proof (ErrBadValidity) and the
// identifiers against the verifier's identifier registry
// (ErrBadIdentifier; CertificateVerifyOptions.Identifiers, where custom
// schemes registered by the verifier work, as IssueOptions.Identifiers or
// the registry the record was validated with serve the issuer); then
// the validity period with a clock-skew allowance, the status, and that
// the rule set is one the verifier recognises, by id and version, with
// the exact digest and unchanged since it was loaded. Keys may be trusted
// for every country (TrustedKeys) or for one country's enterprises only
// (TrustedByCountry, as a national accreditation would grant), and a
// key may sign for an issuer that is not its own did:key only if
// TrustedIssuers lists it. Issue runs the same checks before it signs,
// refuses a rule set changed after loading, and wraps what it refuses in
// ErrNotCertifiable with the reason (caps, or a certificate verifiers
// would refuse), so it never signs what verifiers refuse.
//
// # Country rule sets
//
// A certificate is issued under the rule set that scored the record,
// normally the rule set of the enterprise's own country, which a
// credit.Scorer selects (StreamResult.Assessment of Scorer.ScoreJSON or
// Scorer.ScoreStream), and names it by id, version and digest. From that
// rule set it takes:
//
//   - the primary identifier: the record's identifier of the scheme the
//     rule set prefers (credit.Identity.Primary, as
//     credit.RuleSet.PrimaryIdentifier picks it, such as IN-CIN before
//     IN-PAN before IN-GSTIN under SCO-IN), or, when the record has none of
//     those schemes or the rule set names none (SCO-BASE), its first
//     identifier of the enterprise's country. Verifiers check the choice
//     among the identifiers the certificate lists (ErrBadIdentifier).
//   - the local label: Subject.LocalGrade, the grade's label on the
//     national scale the rule set names (credit.RuleSet.LocalLabel, the
//     profile's local_grade), after the master grade, which every country
//     reads alike; absent where the rule set names none. Verifiers check
//     it is the rule set's label and scale for the grade (ErrBadSubject).
//
// An issuer may force one rule set on records of any country (as
// "certify issue -ruleset" does). The certificate is then issued, as the
// issuer asked, but a rule set made for another country than the
// enterprise's (credit.RuleSet.Country; SCO-BASE is made for every
// country) puts the warning credit.CodeRuleSetOtherCountry
// ("RULESET_OTHER_COUNTRY") in Subject.Warnings, as it does in the
// profile, so that a verifier sees that the grade was not made with the
// enterprise's own country's inflation, registers, caps and local labels.
// Verifiers require the warning exactly then (ErrBadSubject); a verifier
// whose policy is to accept only home rule sets refuses certificates that
// carry it.
//
// A verifier recognises a rule set by id and version: with a
// RuleSetVersionLookup such as a *credit.RuleSetRegistry
// (CertificateVerifyOptions.RuleSets), certificates issued under an
// earlier version keep verifying after a newer one is registered beside
// it.
//
// To show what a grade means across countries, a verifier reads the
// recognition table of the rule sets it recognises:
//
//	table, err := credit.BuiltinRuleSets().Recognition(nil, asOf) // every SCO country
//	fmt.Print(table.Markdown())
//
// For each country and master grade it gives the model-PD band (the same
// in every built-in rule set), whether the grade can be certified, the
// local label and the primary identifier schemes: a KZ bank reading a CN
// certificate of grade AA sees that AA carries the same PD band in both
// countries. See the example of VerifyCertificate.
//
// # Standards
//
//   - RFC 8785 JSON Canonicalization Scheme (JCS): Canonicalize.
//   - W3C Verifiable Credential Data Integrity 1.0 and Data Integrity
//     EdDSA Cryptosuites v1.0, cryptosuite eddsa-jcs-2022: AddProof and
//     VerifyProof. The signature is Ed25519 (RFC 8032) over
//     SHA-256(JCS(proof configuration)) || SHA-256(JCS(document)); the
//     proofValue is multibase base58btc.
//   - W3C Controlled Identifiers v1.0 Multikey and the did:key method for
//     Ed25519 keys: EncodePublicKey ("z6Mk..."), EncodePrivateKey
//     ("z3u2..."), DIDKey, VerificationMethod, ResolveDIDKey.
//   - W3C Bitstring Status List v1.0 for revocation and suspension:
//     StatusList, StatusListCredential, BitstringStatusListEntry,
//     CheckStatus and the on-disk StatusRegistry, whose lists have a
//     validity period and whose earlier versions are kept, so that a
//     check at a past time reads the list valid then. An issuer that
//     runs as a service keeps its register in a database instead
//     (package credit/register, which imports a StatusRegistry once);
//     both are a StatusAllocator for IssueOptions.Status.
//
// The tests reproduce the published test vectors of these specifications.
//
// # Signing and verifying
//
// An issuer signs any JSON object:
//
//	signed, err := cert.AddProof(doc, key, cert.ProofOptions{Created: time.Now()})
//
// A verifier decides whom it trusts and verifies:
//
//	info, err := cert.VerifyProof(signed, cert.VerifyOptions{TrustedKeys: trusted})
//
// and then reads the content from info.Document, the exact signed bytes.
// VerifyCertificate and VerifyCredential do this and more; they fail
// closed on status: a credential with credentialStatus entries does not
// verify without a StatusFetcher unless the caller sets SkipStatus.
// Errors are *VerifyError values wrapping sentinels such as ErrBadProof;
// Code maps them to stable codes such as "BAD_PROOF".
//
// # Keys
//
// An issuer key is an Ed25519 key pair. Its public key is written as a
// Multikey ("z6Mk..."), the issuer's identifier is the did:key made from
// it ("did:key:z6Mk..."), and proofs name the key as
// "did:key:z6Mk...#z6Mk...". certify keygen writes the private key as its
// bare Multikey ("z3u2...", one line); MarshalKeyFile writes a JSON key
// pair document,
//
//	{"id": "did:key:z6Mk...#z6Mk...", "publicKeyMultibase": "z6Mk...", "secretKeyMultibase": "z3u2..."}
//
// and ParseKeyFile is the one loader for both forms (every -key flag of
// the example programs uses it). ParsePublicKey reads a trusted key given
// as a did:key, a did:key verification method or a Multikey.
//
// # Status
//
// A credential's credentialStatus entries (StatusEntries) are checked
// against the issuer's published status lists with CheckStatus and a
// StatusFetcher: DirFetcher reads a directory in the layout of a
// StatusRegistry or of credit/register's ExportDir, and, checked at a
// time (VerifyOptions.Now), the version current then, so a check as of a
// past date sees the statuses of that date; over HTTP, wrap a GET in
// FetcherFunc. When a list cannot be fetched, does not verify, has the
// wrong purpose, is too short, has no validity period or is past it, is
// older than MaxStatusAge, does not cover the index, or the entry's
// statusSize is not 1, the result is ErrStatusUnavailable
// (STATUS_UNAVAILABLE): treat it as a failure, never as "valid". Status
// errors carry the certificate's id.
//
// StatusRegistry keeps an issuer's lists in a directory with its state in
// DIR/index.json (format creditsco-status-register/2), the register of
// earlier versions of certify; package credit/register keeps the same
// lists in SQLite or PostgreSQL and imports such a directory once.
//
// # Numbers
//
// JCS represents every number as an IEEE-754 double, so a signature
// covers the double, not the text. AddProof refuses a number whose value
// is not its double's (1e-400, signed as 0; 9007199254740993, signed as
// 9007199254740992) and an integer literal beyond ±(2^53 - 1), which
// I-JSON receivers need not read exactly (RFC 7493): amounts that need
// more precision, and such integers, must be strings (or integer minor
// units) in signed documents. VerifyProof refuses such numbers too, so
// that a document cannot say one value while its signature vouches for
// another. Other spellings of the same value (1.0 or 1e0 for 1, 0.50 for
// 0.5) are accepted: they have the same canonical form, which is what is
// signed and what ProofInfo.Document holds.
//
// # Limits
//
// Documents (certificates, credentials, status list credentials) are at
// most MaxDocumentBytes (1 MiB) and nested at most 64 levels; key files
// at most MaxKeyFileBytes; a decoded status list at most 2^27 entries.
// Larger input is refused before it is parsed.
package cert
