package calibrate

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/creditsco/creditsco/credit"
)

// AddStream reads labelled records from r (one record, a JSON array or
// NDJSON, gzip-compressed or not), validates and scores them with eng on
// GOMAXPROCS workers and adds each profile with its outcome to b, so that
// millions of records are back-tested in bounded memory. source names the
// input in errors. The first invalid record or record without outcome
// stops it with a *RecordError; the counts added so far stay in b. The
// report does not depend on the order in which records are added.
func (b *Backtester) AddStream(ctx context.Context, eng *credit.Engine, r io.Reader, source string, opts ReadOptions) error {
	v, rd, closeFn, err := opts.open(r, source)
	if err != nil {
		return err
	}
	defer closeFn()
	// stop tells the reader to dispatch no more records. Workers deliver
	// every result of what was dispatched (a prefix of the input), so the
	// error returned is that of the first bad record, whatever the timing.
	stop := make(chan struct{})
	var stopOnce sync.Once
	halt := func() { stopOnce.Do(func() { close(stop) }) }
	defer halt()
	type result struct {
		p         *credit.Profile
		defaulted bool
		err       error
	}
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan credit.RawRecord, workers)
	results := make(chan result, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for raw := range jobs {
				val := v.ValidateRaw(raw)
				var res result
				switch {
				case val.Record == nil:
					res.err = &RecordError{Source: source, Index: raw.Index, RecordID: val.RecordID, Problems: val.Problems, Err: ErrInvalidRecord}
				case val.Record.Outcome == nil:
					res.err = &RecordError{Source: source, Index: raw.Index, RecordID: val.RecordID, Err: ErrNoOutcome}
				default:
					res.defaulted = val.Record.Outcome.Defaulted
					res.p, res.err = eng.Score(ctx, val.Record)
				}
				results <- res
			}
		}()
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		for {
			raw, err := rd.Next()
			if err == io.EOF {
				readErr <- nil
				return
			}
			if err != nil {
				readErr <- fmt.Errorf("calibrate: %s: %w", source, err)
				return
			}
			// The reader reuses its buffer: copy the record's text.
			raw.Data = append([]byte(nil), raw.Data...)
			select {
			case jobs <- raw:
			case <-stop:
				readErr <- nil
				return
			case <-ctx.Done():
				readErr <- ctx.Err()
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	var first error
	firstIdx := int(^uint(0) >> 1)
	for res := range results {
		err := res.err
		if err == nil && first == nil {
			err = b.Add(res.p, res.defaulted)
		}
		if err == nil {
			continue
		}
		idx := firstIdx - 1
		if re, ok := err.(*RecordError); ok {
			idx = re.Index
		}
		if first == nil || idx < firstIdx {
			first, firstIdx = err, idx
		}
		halt()
	}
	if err := <-readErr; err != nil {
		return err
	}
	return first
}
