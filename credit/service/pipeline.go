package service

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/creditsco/creditsco/credit"
)

// errTooManyRecords stops a stream at Limits.MaxRecords.
var errTooManyRecords = errors.New("service: too many records")

// process cuts the records (or documents) of r with credit.Reader, runs
// work on each on workers goroutines and calls emit with the results in
// input order, from the calling goroutine, as credit.Engine.ScoreStream
// does: memory holds about three records per worker, whatever the size
// of r. It stops at the first error of emit, at ctx's end (ctx.Err()),
// at a read error of r (after the results of the records before it) and
// after max records (errTooManyRecords, after their results). work gets
// a copy of the record's data, and a context that ends when process
// returns. A panic in work stops the stream with a *PanicError, rather
// than the process: it happens on a goroutine of process, where no
// caller could recover it.
func process[T any](ctx context.Context, r io.Reader, workers, max int, work func(context.Context, credit.RawRecord) T, emit func(T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	type job struct {
		raw credit.RawRecord
		out chan T
	}
	jobs := make(chan job, workers)
	order := make(chan chan T, 2*workers)
	var (
		readErr  error
		panicked atomic.Pointer[PanicError]
	)
	go func() {
		defer close(order)
		defer close(jobs)
		defer func() {
			if v := recover(); v != nil {
				panicked.CompareAndSwap(nil, newPanicError(v))
				cancel()
			}
		}()
		rd := credit.NewReader(r)
		for n := 0; ; n++ {
			raw, err := rd.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					readErr = err
				}
				return
			}
			if n == max {
				readErr = errTooManyRecords
				return
			}
			raw.Data = append([]byte(nil), raw.Data...) // valid only until the next Next
			out := make(chan T, 1)
			select {
			case order <- out:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- job{raw, out}:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				if ctx.Err() != nil {
					continue // drain
				}
				res, pe := safely(ctx, j.raw, work)
				if pe != nil {
					panicked.CompareAndSwap(nil, pe)
					cancel()
					continue
				}
				j.out <- res
			}
		})
	}
	defer func() {
		cancel()
		wg.Wait()
	}()
	for out := range order {
		select {
		case res := <-out:
			if err := emit(res); err != nil {
				return err
			}
		case <-ctx.Done():
			if pe := panicked.Load(); pe != nil {
				return pe
			}
			return ctx.Err()
		}
	}
	if pe := panicked.Load(); pe != nil {
		return pe
	}
	if readErr != nil {
		return readErr
	}
	return ctx.Err()
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
