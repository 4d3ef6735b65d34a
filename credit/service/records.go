package service

import (
	"context"
	"net/http"

	"github.com/creditsco/creditsco/credit"
)

// A ValidateResult is the outcome of POST /v1/validate for one record.
type ValidateResult struct {
	// Index is the record's 1-based position in the request.
	Index int `json:"index"`
	// RecordID is the record's record_id, if it could be read.
	RecordID string `json:"record_id"`
	// Valid reports that the record has no error.
	Valid bool `json:"valid"`
	// Problems are the record's errors and warnings, each with its JSON
	// Pointer path and stable code; never null.
	Problems credit.Problems `json:"problems"`
}

// A ScoreResult is the outcome of POST /v1/score for one record.
type ScoreResult struct {
	// Index is the record's 1-based position in the request.
	Index int `json:"index"`
	// RecordID is the record's record_id, if it could be read.
	RecordID string `json:"record_id"`
	// Valid reports that the record was scored.
	Valid bool `json:"valid"`
	// Problems are the errors of an invalid record, or the validation
	// warnings of a valid one (also in Profile.Warnings); never null.
	Problems credit.Problems `json:"problems"`
	// Profile is the profile of a valid record, scored with the rule set
	// of its country and as_of; absent for an invalid one.
	Profile *credit.Profile `json:"profile,omitempty"`

	err error // stops the stream: the request's context ended
}

func (h *Handler) validate(w http.ResponseWriter, r *http.Request, mediaType string) {
	sw := newStreamWriter(w, mediaType)
	err := process(r.Context(), r.Body, h.workers, h.limits.MaxRecords,
		func(_ context.Context, raw credit.RawRecord) ValidateResult {
			v := h.validator.ValidateRaw(raw)
			return ValidateResult{Index: raw.Index, RecordID: v.RecordID, Valid: v.Valid(), Problems: orEmpty(v.Problems)}
		},
		func(res ValidateResult) error { return sw.item(res) })
	h.finish(sw, r, err)
}

func (h *Handler) score(w http.ResponseWriter, r *http.Request, mediaType string) {
	sw := newStreamWriter(w, mediaType)
	err := process(r.Context(), r.Body, h.workers, h.limits.MaxRecords, h.scoreRecord,
		func(res ScoreResult) error {
			if res.err != nil {
				return res.err
			}
			return sw.item(res)
		})
	h.finish(sw, r, err)
}

// finish ends a stream after err, the error that stopped it, if any.
func (h *Handler) finish(sw *streamWriter, r *http.Request, err error) {
	p := h.streamProblem(r, err)
	if p == nil && err != nil {
		sw.release() // the client is gone
		return
	}
	sw.finish(p)
}

// scoreRecord validates and scores one record.
func (h *Handler) scoreRecord(ctx context.Context, raw credit.RawRecord) ScoreResult {
	sr, _ := h.assess(ctx, raw)
	return sr
}

// assess validates and scores one record with the rule set of its
// country; the assessment is nil for an invalid record.
func (h *Handler) assess(ctx context.Context, raw credit.RawRecord) (ScoreResult, *credit.Assessment) {
	if raw.Problem != nil {
		return ScoreResult{Index: raw.Index, Problems: credit.Problems{*raw.Problem}}, nil
	}
	res, err := h.scorer.ScoreJSON(ctx, raw.Data)
	if err != nil {
		return ScoreResult{err: err}, nil
	}
	return ScoreResult{Index: raw.Index, RecordID: res.RecordID, Valid: res.Valid(), Problems: orEmpty(res.Problems), Profile: res.Profile}, res.Assessment
}

func orEmpty(ps credit.Problems) credit.Problems {
	if ps == nil {
		return credit.Problems{}
	}
	return ps
}
