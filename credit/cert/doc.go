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
// A verifier accepts only what an issuer could have produced: besides the
// proof, trust and schema, VerifyCertificate checks the subject against
// the rule set (ErrBadSubject), the dates against the rule set and the
// proof (ErrBadValidity) and the identifiers against the verifier's
// identifier registry (ErrBadIdentifier). Issue runs the same checks
// before it signs, so it never signs what verifiers refuse.
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
//     check at a past time reads the list valid then.
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
