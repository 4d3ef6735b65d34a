package cert

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"slices"
	"strings"
	"time"

	"github.com/creditsco/creditsco/credit/internal/jcs"
)

// Identifiers of the only proof this package produces and accepts: a W3C
// Data Integrity proof (VC Data Integrity 1.0) with the eddsa-jcs-2022
// cryptosuite (Data Integrity EdDSA Cryptosuites v1.0, section 3.3).
const (
	ProofType   = "DataIntegrityProof"
	Cryptosuite = "eddsa-jcs-2022"

	// PurposeAssertionMethod is the proof purpose of an issuer's
	// statement, such as a credential; it is the default.
	PurposeAssertionMethod = "assertionMethod"
	// PurposeAuthentication is the proof purpose of a holder proving
	// control, such as a presentation answering a challenge.
	PurposeAuthentication = "authentication"
)

// ProofOptions are the options of AddProof. Every set field becomes a
// member of the proof and is covered by the signature.
type ProofOptions struct {
	// VerificationMethod identifies the signing key. The default is the
	// did:key verification method of the key, VerificationMethod(pub). If
	// it is a did:key, it must name the signing key.
	VerificationMethod string
	// Created is the proof's creation time, written in UTC to the second.
	// The zero value omits created (the member is optional); callers
	// normally pass time.Now().
	Created time.Time
	// ProofPurpose defaults to PurposeAssertionMethod.
	ProofPurpose string
	// Expires, if not zero, is the time after which the proof is invalid.
	Expires time.Time
	// Domain, Challenge and Nonce, if not empty, bind the proof to a
	// security domain, a verifier's challenge and a random value.
	Domain    string
	Challenge string
	Nonce     string
}

// VerifyOptions are the options of VerifyProof.
type VerifyOptions struct {
	// TrustedKeys are the issuer keys the caller accepts. A proof made
	// with any other key fails with ErrUntrustedKey, however valid its
	// signature: the caller, not the document, decides whom to trust.
	TrustedKeys []ed25519.PublicKey
	// Resolve maps a verification method that is not a did:key (for
	// example an https URL) to its public key. did:key methods are always
	// resolved directly. Nil means only did:key methods are resolvable.
	// The resolved key must still be in TrustedKeys.
	Resolve func(verificationMethod string) (ed25519.PublicKey, error)
	// ProofPurpose is the required proof purpose; the default is
	// PurposeAssertionMethod.
	ProofPurpose string
	// Domain and Challenge, if not empty, must equal the proof's domain
	// (or one of its domains) and challenge.
	Domain    string
	Challenge string
	// Now is the time at which the proof's expires member (and, in
	// CheckStatus, a status list's validity period) is checked; the zero
	// value means time.Now().
	Now time.Time
	// ClockSkew is the allowance for clocks that disagree, applied to both
	// ends of every validity period checked; zero means 5 minutes,
	// negative none.
	ClockSkew time.Duration
	// MaxStatusAge is used by CheckStatus only: if positive, a status
	// list credential whose validFrom lies further than this before Now
	// is not believed (ErrStatusUnavailable). Zero means the list's own
	// validity period alone decides.
	MaxStatusAge time.Duration
}

// ProofInfo describes a verified proof.
type ProofInfo struct {
	// DocumentID is the id member of the document, if it is a string.
	DocumentID string
	// VerificationMethod is the proof's verificationMethod.
	VerificationMethod string
	// PublicKey is the key VerificationMethod resolved to, one of
	// VerifyOptions.TrustedKeys.
	PublicKey ed25519.PublicKey
	// ProofPurpose is the proof's proofPurpose.
	ProofPurpose string
	Created      time.Time // zero if absent
	Expires      time.Time // zero if absent
	// Document is the RFC 8785 form of the verified document without its
	// proof: exactly the data covered by the signature. Read the verified
	// content from here, not from the input, which may carry extra
	// @context entries the specification allows after signing, or any
	// formatting differences.
	Document []byte

	// unsecured is the parsed value of Document, for callers in this
	// package that read members of the verified document without
	// parsing it again.
	unsecured jcs.Value
}

// AddProof signs the JSON object doc with key and returns the secured
// document: the RFC 8785 form of doc with a proof member appended,
//
//	{"type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022","created":...,
//	 "verificationMethod":...,"proofPurpose":"assertionMethod",
//	 "@context":<doc's @context>,"proofValue":"z..."}
//
// following the Create Proof, Proof Configuration, Hashing and Proof
// Serialization algorithms of eddsa-jcs-2022: the signature is Ed25519
// over SHA-256(JCS(proof options with @context)) || SHA-256(JCS(doc)).
// Ed25519 is deterministic, so the same input always gives the same
// output. Proof sets are not supported: a doc that already has a proof is
// rejected. So is a doc larger than MaxDocumentBytes, and one with a
// number the signature cannot cover exactly (see the package
// documentation on numbers). Errors wrap ErrMalformed.
func AddProof(doc []byte, key ed25519.PrivateKey, opts ProofOptions) ([]byte, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, verr(ErrMalformed, "", "invalid Ed25519 private key length %d", len(key))
	}
	if err := checkSize(doc); err != nil {
		return nil, err
	}
	v, err := parseJSON(doc)
	if err != nil {
		return nil, err
	}
	if v.Kind() != jcs.KindObject {
		return nil, verr(ErrMalformed, "", "document is not a JSON object")
	}
	id, _ := v.Str("id")
	if n, why, ok := inexactNumber(doc); !ok {
		return nil, verr(ErrMalformed, id, "number %s cannot be signed exactly: %s; write it as a string", n, why)
	}
	if _, ok := v.Get("proof"); ok {
		return nil, verr(ErrMalformed, id, "document already has a proof (proof sets are not supported)")
	}
	pub := key.Public().(ed25519.PublicKey)
	vm := opts.VerificationMethod
	if vm == "" {
		vm = VerificationMethod(pub)
	} else if k, err := ResolveDIDKey(vm); err == nil && !k.Equal(pub) {
		return nil, verr(ErrMalformed, id, "verification method %s does not name the signing key", vm)
	}
	purpose := opts.ProofPurpose
	if purpose == "" {
		purpose = PurposeAssertionMethod
	}

	proof := jcs.Object()
	proof = proof.With("type", jcs.String(ProofType))
	proof = proof.With("cryptosuite", jcs.String(Cryptosuite))
	proof = proof.With("verificationMethod", jcs.String(vm))
	proof = proof.With("proofPurpose", jcs.String(purpose))
	if !opts.Created.IsZero() {
		proof = proof.With("created", jcs.String(formatTime(opts.Created)))
	}
	if !opts.Expires.IsZero() {
		proof = proof.With("expires", jcs.String(formatTime(opts.Expires)))
	}
	for name, s := range map[string]string{"domain": opts.Domain, "challenge": opts.Challenge, "nonce": opts.Nonce} {
		if s != "" {
			proof = proof.With(name, jcs.String(s))
		}
	}
	// Create Proof: the proof carries the document's @context, so that a
	// verifier can detect contexts added after signing. Proof
	// Configuration sets the same @context on the hashed options.
	if ctx, ok := v.Get("@context"); ok {
		proof = proof.With("@context", *ctx)
	}

	sig := ed25519.Sign(key, hashData(&proof, v.Canonical()))
	proof = proof.With("proofValue", jcs.String(EncodeBase58BTC(sig)))
	secured := v.With("proof", proof)
	return secured.AppendTo(make([]byte, 0, len(doc)+512)), nil
}

// hashData is the eddsa-jcs-2022 Hashing algorithm: the SHA-256 of the
// canonical proof configuration followed by the SHA-256 of the canonical
// document canonDoc, 64 bytes in all.
func hashData(proofConfig *jcs.Value, canonDoc []byte) []byte {
	h1 := sha256.Sum256(proofConfig.Canonical())
	h2 := sha256.Sum256(canonDoc)
	return append(h1[:], h2[:]...)
}

// VerifyProof verifies the eddsa-jcs-2022 Data Integrity proof of the
// secured JSON document doc, following the Verify Proof algorithm of Data
// Integrity EdDSA Cryptosuites v1.0 section 3.3.2: the proof is removed,
// proofValue is taken out of the proof options, the proof's @context (if
// any) must be a prefix of the document's @context and replaces it, both
// parts are canonicalised and hashed and the Ed25519 signature is checked
// against the key of the verification method, which must be in
// opts.TrustedKeys. A document larger than MaxDocumentBytes, or with a
// number the signature does not cover exactly, is ErrMalformed; a proof
// with a previousProof (proof chains are not supported, so it names a
// proof that is not there) is ErrBadProof; a proof created after opts.Now
// (beyond the clock skew) is ErrNotYetValid.
//
// On success it returns information about the proof, including the exact
// document that was signed. On failure the error is a *VerifyError whose
// Reason is ErrMalformed, ErrNoProof, ErrUnsupportedCryptosuite,
// ErrUntrustedKey, ErrBadProof, ErrExpired or ErrNotYetValid (of the proof
// only; the credential's own validity period is the caller's to check).
// VerifyProof
// does not panic on any input.
func VerifyProof(doc []byte, opts VerifyOptions) (*ProofInfo, error) {
	if err := checkSize(doc); err != nil {
		return nil, err
	}
	v, err := parseJSON(doc)
	if err != nil {
		return nil, &VerifyError{Reason: ErrMalformed, Err: err}
	}
	if v.Kind() != jcs.KindObject {
		return nil, verr(ErrMalformed, "", "document is not a JSON object")
	}
	id, _ := v.Str("id")
	p, ok := v.Get("proof")
	if !ok {
		return nil, verr(ErrNoProof, id, "no proof member")
	}
	if p.Kind() == jcs.KindArray {
		if len(p.Elems()) != 1 {
			return nil, verr(ErrMalformed, id, "proof sets are not supported")
		}
		p = &p.Elems()[0]
	}
	if p.Kind() != jcs.KindObject {
		return nil, verr(ErrMalformed, id, "proof is not an object")
	}
	if t, _ := p.Str("type"); t != ProofType {
		return nil, verr(ErrUnsupportedCryptosuite, id, "proof type %q", t)
	}
	if cs, _ := p.Str("cryptosuite"); cs != Cryptosuite {
		return nil, verr(ErrUnsupportedCryptosuite, id, "cryptosuite %q", cs)
	}
	info := &ProofInfo{DocumentID: id}
	pv, ok := p.Str("proofValue")
	if !ok {
		return nil, verr(ErrMalformed, id, "proof has no string proofValue")
	}
	if info.VerificationMethod, ok = p.Str("verificationMethod"); !ok {
		return nil, verr(ErrMalformed, id, "proof has no string verificationMethod")
	}
	if info.ProofPurpose, ok = p.Str("proofPurpose"); !ok {
		return nil, verr(ErrMalformed, id, "proof has no string proofPurpose")
	}
	if info.Created, err = optionalTime(p, "created"); err != nil {
		return nil, &VerifyError{Reason: ErrMalformed, ID: id, Detail: "proof created", Err: err}
	}
	if info.Expires, err = optionalTime(p, "expires"); err != nil {
		return nil, &VerifyError{Reason: ErrMalformed, ID: id, Detail: "proof expires", Err: err}
	}
	if n, why, ok := inexactNumber(doc); !ok {
		return nil, verr(ErrMalformed, id, "number %s is not signed exactly: %s", n, why)
	}
	// A proof set or chain is not supported, so a previousProof always
	// names a proof that is not there (VC Data Integrity 1.0, section
	// 4.3: the verifier must then fail).
	if prev, ok := p.Get("previousProof"); ok {
		return nil, verr(ErrBadProof, id, "previousProof %s names a proof that is not in the document", prev.Canonical())
	}

	// Checks of the proof against the verifier's expectations (VC Data
	// Integrity 1.0, section 4.6, Verify Proof steps on purpose, domain,
	// challenge and expiry).
	want := opts.ProofPurpose
	if want == "" {
		want = PurposeAssertionMethod
	}
	if info.ProofPurpose != want {
		return nil, verr(ErrBadProof, id, "proof purpose %q, want %q", info.ProofPurpose, want)
	}
	if opts.Domain != "" && !hasString(p, "domain", opts.Domain) {
		return nil, verr(ErrBadProof, id, "proof domain does not match %q", opts.Domain)
	}
	if opts.Challenge != "" && !hasString(p, "challenge", opts.Challenge) {
		return nil, verr(ErrBadProof, id, "proof challenge does not match")
	}
	now, skew := checkTime(opts.Now, opts.ClockSkew)
	if !info.Expires.IsZero() && now.Add(-skew).After(info.Expires) {
		return nil, verr(ErrExpired, id, "proof expired at %s", formatTime(info.Expires))
	}

	// Resolve and trust the key before spending a signature check.
	if info.PublicKey, err = resolveKey(info.VerificationMethod, opts.Resolve); err != nil {
		return nil, &VerifyError{Reason: ErrUntrustedKey, ID: id, Detail: "cannot resolve " + info.VerificationMethod, Err: err}
	}
	if !slices.ContainsFunc(opts.TrustedKeys, func(k ed25519.PublicKey) bool { return info.PublicKey.Equal(k) }) {
		return nil, verr(ErrUntrustedKey, id, "key %s is not trusted", EncodePublicKey(info.PublicKey))
	}

	sig, err := DecodeBase58BTC(pv)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, verr(ErrBadProof, id, "proofValue is not a base58btc Ed25519 signature")
	}

	// Verify Proof steps 1-7.
	unsecured := v.Without("proof")
	proofOptions := p.Without("proofValue")
	if pctx, ok := proofOptions.Get("@context"); ok {
		dctx, _ := unsecured.Get("@context")
		if !contextHasPrefix(dctx, pctx) {
			return nil, verr(ErrBadProof, id, "document @context does not start with the proof's @context")
		}
		unsecured = unsecured.With("@context", *pctx)
	}
	proofConfig := proofOptions
	if dctx, ok := unsecured.Get("@context"); ok {
		proofConfig = proofConfig.With("@context", *dctx)
	}
	document := unsecured.Canonical()
	if !ed25519.Verify(info.PublicKey, hashData(&proofConfig, document), sig) {
		return nil, verr(ErrBadProof, id, "signature does not match")
	}
	// A proof made after the time of the check, beyond the clock skew, is
	// not yet valid: the signer's clock or the document's dates are wrong.
	if !info.Created.IsZero() && now.Add(skew).Before(info.Created) {
		return nil, verr(ErrNotYetValid, id, "proof created %s, after the time of the check %s", formatTime(info.Created), formatTime(now))
	}
	info.Document, info.unsecured = document, unsecured
	return info, nil
}

// resolveKey returns the public key of a verification method.
func resolveKey(vm string, resolve func(string) (ed25519.PublicKey, error)) (ed25519.PublicKey, error) {
	if resolve == nil || strings.HasPrefix(vm, didKeyPrefix) {
		return ResolveDIDKey(vm)
	}
	pub, err := resolve(vm)
	if err != nil {
		return nil, err
	}
	if len(pub) != ed25519.PublicKeySize {
		return nil, verr(ErrMalformed, "", "resolver returned a %d-byte key", len(pub))
	}
	return pub, nil
}

// contextHasPrefix reports whether the document @context doc starts with
// all the values of the proof @context proof, in the same order. A single
// value counts as a one-element list.
func contextHasPrefix(doc, proof *jcs.Value) bool {
	if doc == nil {
		return false
	}
	d, p := contextList(doc), contextList(proof)
	if len(p) > len(d) {
		return false
	}
	for i := range p {
		if !bytes.Equal(d[i].Canonical(), p[i].Canonical()) {
			return false
		}
	}
	return true
}

func contextList(v *jcs.Value) []jcs.Value {
	if v.Kind() == jcs.KindArray {
		return v.Elems()
	}
	return []jcs.Value{*v}
}

// hasString reports whether member name of object p is the string s or an
// array containing it.
func hasString(p *jcs.Value, name, s string) bool {
	m, ok := p.Get(name)
	if !ok {
		return false
	}
	if m.Kind() == jcs.KindString {
		return m.Text() == s
	}
	if m.Kind() == jcs.KindArray {
		return slices.ContainsFunc(m.Elems(), func(e jcs.Value) bool { return e.Kind() == jcs.KindString && e.Text() == s })
	}
	return false
}

// formatTime writes t as an XML Schema dateTimeStamp in UTC to the second,
// the form used in the specifications' examples.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// parseTime parses an XML Schema dateTimeStamp (an RFC 3339 date-time
// with a mandatory time zone).
func parseTime(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}

// optionalTime parses the date-time member name of object v, if present.
func optionalTime(v *jcs.Value, name string) (time.Time, error) {
	m, ok := v.Get(name)
	if !ok {
		return time.Time{}, nil
	}
	if m.Kind() != jcs.KindString {
		return time.Time{}, verr(ErrMalformed, "", "%s is not a string", name)
	}
	t, err := parseTime(m.Text())
	if err != nil {
		return time.Time{}, verr(ErrMalformed, "", "%s %q is not a date-time", name, m.Text())
	}
	return t, nil
}
