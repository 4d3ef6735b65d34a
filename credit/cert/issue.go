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
	"strings"
	"time"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/ident"
)

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
	// for the certificate: a *StatusRegistry, whose caller saves it
	// (Save) before it hands out the certificates, so that an index
	// allocated to a certificate is never allocated again, or a register
	// of package credit/register, which records each certificate durably
	// before Issue signs it.
	Status StatusAllocator
	// Identifiers is the identifier registry that picks and normalises
	// the certificate's enterprise identifiers. Nil means the registry
	// the assessment's record was validated with
	// (credit.Assessment.Identifiers), so that schemes a user registered
	// for validation are certified alike. Verifiers check the identifiers
	// with their own registry (CertificateVerifyOptions.Identifiers),
	// which must know the same schemes.
	Identifiers *ident.Registry
}

// A StatusAllocator gives a certificate that is being issued its
// credentialStatus entries. Issuer.Issue calls AllocateStatus with the
// complete certificate, id and subject included, before it signs it; an
// error stops the issue. AllocateStatus must not modify c, must give one
// certificate id the same entries on every call, and must never give an
// index of a list to two certificates. Implementations: *StatusRegistry
// (files in a directory) and the registers of package credit/register
// (SQLite, PostgreSQL).
type StatusAllocator interface {
	AllocateStatus(ctx context.Context, c *Certificate) ([]BitstringStatusListEntry, error)
}

// An Issuer turns assessments made under one rule set into signed credit
// certificates. The rule set is checked once, by NewIssuer, and what the
// certificates state from it (master scale, validity, the rules their
// subjects are checked against) is copied then: changes made to the rule
// set afterwards do not reach the Issuer's certificates. An Issuer is safe
// for concurrent use, also with a StatusRegistry.
type Issuer struct {
	key     ed25519.PrivateKey
	issuer  string
	vm      string
	now     time.Time
	status  StatusAllocator
	idents  *ident.Registry // nil: each assessment's own
	ruleSet RuleSetRef
	rules   *subjectRules
}

// NewIssuer returns an Issuer that signs with opts.Key for the rule set
// rs. rs must be resolved and unmodified since it was loaded
// (credit.RuleSet.Unmodified): the certificates state what its fields say
// under its digest. A did:key opts.Issuer that is not the did:key of
// opts.Key is refused, as AddProof refuses such a verification method.
func NewIssuer(rs *credit.RuleSet, opts IssueOptions) (*Issuer, error) {
	if len(opts.Key) != ed25519.PrivateKeySize {
		return nil, errors.New("cert: Issue needs an Ed25519 private key (IssueOptions.Key)")
	}
	if rs == nil {
		return nil, errors.New("cert: Issue needs the rule set that scored the assessments")
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
	rules, err := rulesOf(rs)
	if err != nil {
		return nil, fmt.Errorf("cert: %w", err)
	}
	return newIssuer(RuleSetRef{ID: rs.ID, Version: rs.Version, Digest: rs.Digest()}, rules, opts)
}

// newIssuer returns an Issuer for the rule set ref, whose subject rules
// are rules.
func newIssuer(ref RuleSetRef, rules *subjectRules, opts IssueOptions) (*Issuer, error) {
	key := slices.Clone(opts.Key)
	pub := key.Public().(ed25519.PublicKey)
	issuer := opts.Issuer
	if issuer == "" {
		issuer = DIDKey(pub)
	} else if strings.HasPrefix(issuer, didKeyPrefix) && issuer != DIDKey(pub) {
		return nil, fmt.Errorf("cert: issuer %s is a did:key but not the did:key %s of the signing key", issuer, DIDKey(pub))
	}
	status := opts.Status
	if r, ok := status.(*StatusRegistry); ok && r == nil {
		status = nil // a nil *StatusRegistry means no status, as before StatusAllocator
	}
	return &Issuer{
		key:     key,
		issuer:  issuer,
		vm:      opts.VerificationMethod,
		now:     opts.Now,
		status:  status,
		idents:  opts.Identifiers,
		ruleSet: ref,
		rules:   rules,
	}, nil
}

// Issue turns a certifiable assessment into a signed credit certificate,
// under the rule set that made it (a.RuleSet()). It returns the signed
// certificate and its content.
//
// Issue is NewIssuer followed by Issuer.Issue, convenient for one
// certificate; a batch should make one Issuer and call its Issue method
// instead. The rule set is the engine's own, which nobody can change, so
// it is read once per digest and process, not copied for every call.
func Issue(a *credit.Assessment, opts IssueOptions) ([]byte, *Certificate, error) {
	if len(opts.Key) != ed25519.PrivateKeySize {
		return nil, nil, errors.New("cert: Issue needs an Ed25519 private key (IssueOptions.Key)")
	}
	ref := a.RuleSetRef()
	if ref.Digest == "" {
		return nil, nil, errZeroAssessment(a)
	}
	rules, ok := cachedRules(ref.Digest)
	if !ok {
		is, err := NewIssuer(a.RuleSet(), opts)
		if err != nil {
			return nil, nil, err
		}
		return is.Issue(a)
	}
	is, err := newIssuer(RuleSetRef{ID: ref.ID, Version: ref.Version, Digest: ref.Digest}, rules, opts)
	if err != nil {
		return nil, nil, err
	}
	return is.Issue(a)
}

func errZeroAssessment(a *credit.Assessment) error {
	if a == nil {
		return errors.New("cert: Issue: nil assessment")
	}
	return errors.New("cert: Issue: zero Assessment; make one with credit.Engine.Assess")
}

// Issue turns the certifiable assessment a, made under the Issuer's rule
// set, into a signed credit certificate. The certificate states a's
// enterprise, assessment date and record digest, and the grade, score,
// PD and reasons of a's profile. It returns the signed certificate and
// its content.
//
// An assessment that cannot be certified gives an error wrapping
// ErrNotCertifiable: its profile's caps or certification requirements
// forbid it, or no certificate that verifiers accept can be made of it;
// the error then also wraps the reason, one of ErrBadIdentifier (an
// identifier the registry does not know or accept), ErrBadValidity (an
// assessment date after the time of issue or further back than the rule
// set's validity months, a time of issue before certificates of this
// format existed), ErrBadSubject (a profile the rule set cannot have
// produced) or ErrMalformed (a record that is not I-JSON). Other errors
// are not about the assessment: a nil or zero Issuer or assessment, an
// assessment of another rule set, a full status registry.
//
// Issue is IssueContext with context.Background().
func (is *Issuer) Issue(a *credit.Assessment) ([]byte, *Certificate, error) {
	return is.IssueContext(context.Background(), a)
}

// IssueContext is Issue with a context, which it passes to the
// StatusAllocator (IssueOptions.Status): a register in a database stops
// waiting for it when ctx is done.
func (is *Issuer) IssueContext(ctx context.Context, a *credit.Assessment) ([]byte, *Certificate, error) {
	if is == nil || is.rules == nil || len(is.key) != ed25519.PrivateKeySize {
		return nil, nil, errors.New("cert: Issue on a nil or zero Issuer; make one with NewIssuer")
	}
	ref := a.RuleSetRef()
	if ref.Digest == "" {
		return nil, nil, errZeroAssessment(a)
	}
	if ref.Digest != is.ruleSet.Digest {
		return nil, nil, fmt.Errorf("cert: assessment %s was made under rule set %s %s (%s), not the Issuer's %s %s (%s)",
			orUnknownRecord(a.RecordID()), ref.ID, ref.Version, ref.Digest, is.ruleSet.ID, is.ruleSet.Version, is.ruleSet.Digest)
	}
	p := a.Profile()
	if !p.Certifiable {
		return nil, nil, fmt.Errorf("%w: %s", ErrNotCertifiable, notCertifiableReasons(p))
	}
	c, err := is.certificate(a, p)
	if err != nil {
		return nil, nil, &notCertifiableError{recordID: a.RecordID(), err: err}
	}
	if is.status != nil {
		entries, err := is.status.AllocateStatus(ctx, c)
		if err != nil {
			return nil, nil, err
		}
		if err := checkStatusEntries(c.ID, entries); err != nil {
			return nil, nil, fmt.Errorf("cert: the status allocator's entries: %w", err)
		}
		c.CredentialStatus = entries
	}
	doc, err := json.Marshal(c)
	if err != nil {
		return nil, nil, err
	}
	created, _ := parseTime(c.ValidFrom)
	signed, err := AddProof(doc, is.key, ProofOptions{VerificationMethod: is.vm, Created: created})
	if err != nil {
		return nil, nil, err
	}
	return signed, c, nil
}

// certificate builds the unsigned certificate of a and checks it as a
// verifier would, so that Issue signs nothing verifiers reject: a profile
// edited after scoring, one of another engine, an enterprise whose
// identifiers the registry does not accept, a time of issue too late for
// the assessment.
func (is *Issuer) certificate(a *credit.Assessment, p *credit.Profile) (*Certificate, error) {
	digest, err := a.RecordDigest()
	if err != nil {
		return nil, verr(ErrMalformed, "", "the record cannot be canonicalised for its digest: %v", err)
	}
	now := is.now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(time.Second)
	idents := is.registry(a)
	ent := a.Enterprise()
	primary, others, err := certificateIdentifiers(&ent, idents, is.rules.primary)
	if err != nil {
		return nil, err
	}
	var local *LocalGrade
	if p.LocalGrade != nil {
		local = &LocalGrade{Label: p.LocalGrade.Label, Scale: p.LocalGrade.Scale}
	}
	c := &Certificate{
		Context:          slices.Clone(certificateContexts),
		Type:             slices.Clone(certificateTypes),
		Issuer:           is.issuer,
		ValidFrom:        now.Format(time.RFC3339),
		ValidUntil:       now.AddDate(0, is.rules.validity, 0).Format(time.RFC3339),
		CredentialSchema: new(certificateSchemaOf),
		CredentialSubject: Subject{
			Enterprise: Enterprise{
				Country:          ent.Country,
				LegalName:        ent.LegalName,
				LegalNameLatin:   ent.LegalNameLatin,
				Identifier:       primary,
				OtherIdentifiers: others,
			},
			Grade:          p.Grade,
			LocalGrade:     local,
			Score:          p.Score,
			PD:             p.PD,
			MasterScale:    is.rules.scale.Name,
			RuleSet:        RuleSetRef{ID: p.RuleSet.ID, Version: p.RuleSet.Version, Digest: p.RuleSet.Digest},
			Warnings:       ruleSetWarnings(is.rules, ent.Country),
			AssessmentDate: a.AsOf().String(),
			Reasons:        reasonCodes(p),
			RecordDigest:   digest,
		},
	}
	c.ID = certificateID(c.Issuer, digest, c.CredentialSubject.RuleSet.Digest, c.ValidFrom)
	if _, err := profilePD(p.PD); err != nil {
		return nil, err
	}
	return c, checkContent(c, now, is.rules, idents)
}

// registry returns the identifier registry for a: the Issuer's, else the
// one a was validated with, else the built-in one.
func (is *Issuer) registry(a *credit.Assessment) *ident.Registry {
	if is.idents != nil {
		return is.idents
	}
	if r := a.Identifiers(); r != nil {
		return r
	}
	return ident.Default()
}

// notCertifiableError is an assessment no certificate can be made of: it
// matches ErrNotCertifiable and the reason err matches.
type notCertifiableError struct {
	recordID string
	err      error
}

func (e *notCertifiableError) Error() string {
	return "cert: record " + orUnknownRecord(e.recordID) + " cannot be certified: " + strings.TrimPrefix(e.err.Error(), "cert: ")
}

func (e *notCertifiableError) Unwrap() []error { return []error{ErrNotCertifiable, e.err} }

func orUnknownRecord(id string) string {
	if id == "" {
		return "(no record_id)"
	}
	return id
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

// certificateIdentifiers picks the primary identifier (primaryIndex, with
// the rule set's preferred schemes) and lists the others once each, in the
// record's order, all in the normalised form of the registry reg, so that
// verifiers can compare them exactly. An identifier reg does not know or
// accept is an ErrBadIdentifier error: it is never dropped silently.
func certificateIdentifiers(e *credit.Enterprise, reg *ident.Registry, preferred []string) (Identifier, []Identifier, error) {
	ids := make([]Identifier, 0, len(e.Identifiers))
	for i, id := range e.Identifiers {
		s, ok := reg.Lookup(id.Scheme)
		if !ok {
			return Identifier{}, nil, verr(ErrBadIdentifier, "", "/enterprise/identifiers/%d: scheme %q is not in the issuer's identifier registry", i, id.Scheme)
		}
		if err := s.Validate(id.Value); err != nil {
			return Identifier{}, nil, verr(ErrBadIdentifier, "", "/enterprise/identifiers/%d: %v", i, err)
		}
		if cc := s.Country(); cc != "" && cc != e.Country {
			return Identifier{}, nil, verr(ErrBadIdentifier, "", "/enterprise/identifiers/%d: scheme %s identifies enterprises of %s, not of %s", i, id.Scheme, cc, e.Country)
		}
		if n := (Identifier{Scheme: s.Name(), Value: s.Normalize(id.Value)}); !slices.Contains(ids, n) {
			ids = append(ids, n)
		}
	}
	k := primaryIndex(ids, e.Country, preferred, reg)
	if k < 0 {
		return Identifier{}, nil, verr(ErrBadIdentifier, "", "enterprise has no valid identifier of its country %s", e.Country)
	}
	primary := ids[k]
	others := slices.Delete(ids, k, k+1)
	if len(others) == 0 {
		others = nil // as a verifier reads an omitted member
	}
	return primary, others, nil
}

// primaryIndex returns the index in ids (valid, normalised identifiers of
// an enterprise of country cc, in the record's order) of the one a
// certificate names as primary, as credit.RuleSet.PrimaryIdentifier picks
// it: the first identifier of the first scheme of preferred (the rule
// set's credit.Identity.Primary) that is a scheme of cc and that ids
// carry; else the first identifier of a scheme of cc. It is -1 when ids
// has no identifier of cc. Schemes are looked up in reg.
func primaryIndex(ids []Identifier, cc string, preferred []string, reg *ident.Registry) int {
	ofCountry := func(scheme string) bool {
		s, ok := reg.Lookup(scheme)
		return ok && s.Country() == cc
	}
	for _, p := range preferred {
		if !ofCountry(p) {
			continue
		}
		if i := slices.IndexFunc(ids, func(id Identifier) bool { return id.Scheme == p }); i >= 0 {
			return i
		}
	}
	return slices.IndexFunc(ids, func(id Identifier) bool { return ofCountry(id.Scheme) })
}

// ruleSetWarnings returns the warnings of a certificate of an enterprise
// of country cc under the rule set of rules: RULESET_OTHER_COUNTRY when
// the rule set was made for another country, else none.
func ruleSetWarnings(rules *subjectRules, cc string) []string {
	if rules.country != "" && rules.country != cc {
		return []string{credit.CodeRuleSetOtherCountry}
	}
	return nil
}

// certificateID derives a stable urn:uuid from what makes a certificate
// unique, so that issuing the same assessment twice at the same second
// gives the same id (and golden files stay stable), and so that a
// verifier can recompute it. The UUID is of version 8 (RFC 9562, custom),
// its bits taken from SHA-256.
func certificateID(issuer, recordDigest, ruleSetDigest, validFrom string) string {
	h := sha256.Sum256([]byte(issuer + "\x00" + recordDigest + "\x00" + ruleSetDigest + "\x00" + validFrom))
	u := h[:16]
	u[6] = u[6]&0x0f | 0x80 // version 8
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	x := hex.EncodeToString(u)
	return "urn:uuid:" + x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}
