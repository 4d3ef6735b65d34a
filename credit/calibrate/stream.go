package calibrate

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/creditsco/creditsco/credit"
)

// AddStream reads labelled records from r (one record, a JSON array or
// NDJSON, gzip-compressed or not), validates and scores them with eng on
// GOMAXPROCS workers and adds each profile with its outcome to b, in input
// order, so that millions of records are back-tested in bounded memory.
// source names the input in errors. The first invalid record or record
// without outcome stops it with a *RecordError; the records before it stay
// added to b.
func (b *Backtester) AddStream(ctx context.Context, eng *credit.Engine, r io.Reader, source string, opts ReadOptions) error {
	v, in, closeFn, err := opts.decompress(r, source)
	if err != nil {
		return err
	}
	defer closeFn()
	type result struct {
		p         *credit.Profile
		defaulted bool
		err       error
	}
	// stopped marks the errors of records (and of Add), which end the
	// stream as they are; any other error is the reader's.
	var stopped error
	err = credit.ProcessStream(ctx, in, 0, func(raw credit.RawRecord) result {
		val := v.ValidateRaw(raw)
		switch {
		case val.Record == nil:
			return result{err: &RecordError{Source: source, Index: raw.Index, RecordID: val.RecordID, Problems: val.Problems, Err: ErrInvalidRecord}}
		case val.Record.Outcome == nil:
			return result{err: &RecordError{Source: source, Index: raw.Index, RecordID: val.RecordID, Err: ErrNoOutcome}}
		}
		p, err := eng.Score(ctx, val.Record)
		return result{p: p, defaulted: val.Record.Outcome.Defaulted, err: err}
	}, func(res result) error {
		if res.err == nil {
			res.err = b.Add(res.p, res.defaulted)
		}
		stopped = res.err
		return res.err
	})
	if err != nil && !errors.Is(err, stopped) && !errors.Is(err, ctx.Err()) {
		return fmt.Errorf("calibrate: %s: %w", source, err)
	}
	return err
}
