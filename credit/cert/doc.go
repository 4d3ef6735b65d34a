// Package cert is the standards-based cryptographic core of creditsco's
// verifiable credit certificates: JSON canonicalisation, Data Integrity
// proofs, did:key keys and status lists, built on the standard library's
// cryptography only, and the credit certificate itself (Issue, or
// NewIssuer for batches, and VerifyCertificate), checked against its JSON
// Schema.
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
//     CheckStatus and the on-disk StatusRegistry.
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
// JCS represents every number as an IEEE-754 double: amounts that need
// more precision, and integers beyond 2^53, must be strings (or integer
// minor units) in signed documents.
package cert
