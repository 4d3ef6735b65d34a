// Package jcs implements the RFC 8785 JSON Canonicalization Scheme (JCS)
// for the packages of this module: a strict I-JSON (RFC 7493) parser into
// a small value tree, and the canonical serialisation of that tree.
//
// It is the one canonicaliser of the module. Package credit uses it for
// rule-set digests and package credit/cert for eddsa-jcs-2022 proofs and
// status list credentials, so that every digest and signature can be
// recomputed with any conforming JCS implementation in any language.
//
// Errors are plain errors (*SyntaxError for input that is not I-JSON);
// callers attach their own sentinels.
package jcs
