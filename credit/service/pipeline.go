package service

import (
	"context"
	"errors"
	"io"

	"github.com/creditsco/creditsco/credit"
)

// errTooManyRecords stops a stream at Limits.MaxRecords.
var errTooManyRecords = errors.New("service: too many records")

// process cuts the records (or documents) of r, runs work on each on
// workers goroutines and calls emit with the results in input order,
// from the calling goroutine: credit.ProcessStream, whose memory bound
// (about three records per worker, whatever the size of r) and stops (at
// the first error of emit, at ctx's end, at a read error of r after the
// results of the records before it) it keeps. On top of it, it stops
// after max records (errTooManyRecords, after their results); a panic in
// work stops the stream with a *PanicError, after the results before it,
// rather than the process: it happens on a goroutine of the pipeline,
// where no caller could recover it; and work gets a context that ends
// when the stream stops, so that a register call for a result nobody
// will read stops too.
func process[T any](ctx context.Context, r io.Reader, workers, max int, work func(context.Context, credit.RawRecord) T, emit func(T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		res  T
		pe   *PanicError
		over bool // the record is beyond max, and was not worked on
	}
	return credit.ProcessStream(ctx, r, workers, func(raw credit.RawRecord) result {
		if raw.Index > max {
			return result{over: true}
		}
		res, pe := safely(ctx, raw, work)
		return result{res: res, pe: pe}
	}, func(x result) error {
		var err error
		switch {
		case x.over:
			err = errTooManyRecords
		case x.pe != nil:
			err = x.pe
		default:
			err = emit(x.res)
		}
		if err != nil {
			cancel() // before ProcessStream waits for the workers
		}
		return err
	})
}

// safely runs work, turning a panic into a *PanicError.
func safely[T any](ctx context.Context, raw credit.RawRecord, work func(context.Context, credit.RawRecord) T) (res T, pe *PanicError) {
	defer func() {
		if v := recover(); v != nil {
			pe = newPanicError(v)
		}
	}()
	return work(ctx, raw), nil
}
