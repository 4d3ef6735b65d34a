package cert

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/creditsco/creditsco/credit"
	"github.com/creditsco/creditsco/credit/internal/jcs"
)

// VerifyDocument verifies one JSON document of unknown kind, as certify
// verify and the verify endpoint of package credit/service do: a credit
// certificate (its type includes CertificateType) with VerifyCertificate,
// any other document with VerifyCredential. It returns the document's id
// (empty if it has none, or is not a JSON object) and the error, whose
// Code is the verdict. A document larger than MaxDocumentBytes is
// ErrMalformed, unread, and so is one that is not JSON.
func VerifyDocument(ctx context.Context, doc []byte, opts CertificateVerifyOptions) (id string, err error) {
	if err := checkSize(doc); err != nil {
		return "", err
	}
	// Only id and type are read here, as raw JSON (VerifyCertificate and
	// VerifyCredential parse and check the whole document); a map of
	// every member cost a tenth of certify verify.
	var members struct {
		ID   json.RawMessage `json:"id"`
		Type json.RawMessage `json:"type"`
	}
	if err := json.Unmarshal(doc, &members); err != nil {
		if !json.Valid(doc) {
			return "", &VerifyError{Reason: ErrMalformed, Detail: "not JSON", Err: err}
		}
		_, err := VerifyCredential(ctx, doc, opts) // JSON, but not an object: it says why
		return "", err
	}
	// Routing and the id read here match member names without regard to
	// case (encoding/json); VerifyCredential refuses a document whose exact
	// type is a certificate's, and the id of a verified document is the one
	// it signed.
	_ = json.Unmarshal(members.ID, &id)
	if isCertificate(members.Type) {
		c, err := VerifyCertificate(ctx, doc, opts)
		if c != nil {
			id = c.ID
		}
		return id, err
	}
	info, err := VerifyCredential(ctx, doc, opts)
	if info != nil {
		id = info.DocumentID
	}
	return id, err
}

// VerifyRawDocument verifies one document as credit.Reader (or
// credit.ProcessStream) cut it from a stream of certificates (one
// document, a JSON array or NDJSON), with VerifyDocument. A document the
// Reader could not cut (larger than its limit, a broken array) is
// ErrMalformed with the Reader's reason, so that every document of a
// stream gets a verdict.
func VerifyRawDocument(ctx context.Context, raw credit.RawRecord, opts CertificateVerifyOptions) (id string, err error) {
	if raw.Problem != nil {
		msg := raw.Problem.Message
		if raw.Problem.Code == credit.CodeRecordTooLarge {
			msg = fmt.Sprintf("document is larger than the limit of %d bytes (cert.MaxDocumentBytes)", MaxDocumentBytes)
		}
		return "", &VerifyError{Reason: ErrMalformed, Detail: msg}
	}
	return VerifyDocument(ctx, raw.Data, opts)
}

// isCertificateType reports whether a signed type member (a string or an
// array of strings) includes CertificateType.
func isCertificateType(t *jcs.Value) bool {
	if t.Kind() == jcs.KindString {
		return t.Text() == CertificateType
	}
	return slices.ContainsFunc(t.Elems(), func(e jcs.Value) bool {
		return e.Kind() == jcs.KindString && e.Text() == CertificateType
	})
}

// isCertificate reports whether a document's type member (a string or an
// array of strings) includes CertificateType.
func isCertificate(raw json.RawMessage) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one == CertificateType
	}
	var many []string
	return json.Unmarshal(raw, &many) == nil && slices.Contains(many, CertificateType)
}
