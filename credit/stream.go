package credit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
)

// StreamResult is the outcome for one record of a stream: a Profile, or
// the Problems that made the record invalid (Profile nil). Index is the
// record's 1-based position in the input.
type StreamResult struct {
	// Index is the record's 1-based position in the input.
	Index int
	// RecordID is the record's record_id, if it could be read; otherwise
	// empty.
	RecordID string
	// Profile is the profile of a valid record; nil if the record is
	// invalid.
	Profile *Profile
	// Problems holds the validation problems: the errors of an invalid
	// record, or the warnings of a valid one (which are also in
	// Profile.Warnings).
	Problems Problems
	// Assessment binds the record to its profile for certification
	// (package credit/cert); nil if the record is invalid.
	Assessment *Assessment
}

// Valid reports whether the record was scored.
func (r *StreamResult) Valid() bool { return r.Profile != nil }

// ScoreJSON validates one JSON record with the engine's validator and
// scores it when it is valid. Validation warnings are added to the
// profile's warnings.
func (e *Engine) ScoreJSON(ctx context.Context, data []byte) (StreamResult, error) {
	if err := e.ready(); err != nil {
		return StreamResult{}, err
	}
	if ctx == nil {
		return StreamResult{}, fmt.Errorf("%w: ScoreJSON needs a context", ErrNilArgument)
	}
	// The copy becomes the Assessment's (newAssessment).
	return e.scoreRaw(ctx, RawRecord{Index: 1, Data: slices.Clone(data)})
}

func (e *Engine) scoreRaw(ctx context.Context, raw RawRecord) (StreamResult, error) {
	res, rec := validateRaw(e.validator, raw)
	if rec == nil {
		return res, nil
	}
	return res, e.scoreValid(ctx, &res, rec, raw.Data, e.validator)
}

// validateRaw validates one raw record into a result holding its index,
// record_id and problems; the record is nil when it is invalid.
func validateRaw(v *Validator, raw RawRecord) (StreamResult, *Record) {
	res := StreamResult{Index: raw.Index}
	val := v.ValidateRaw(raw)
	res.RecordID = val.RecordID
	res.Problems = val.Problems
	if val.Record == nil && len(res.Problems) == 0 { // defensive: never drop an invalid record silently
		res.Problems = Problems{{Code: CodeInvalidRecord, Severity: SeverityError, Message: "record could not be read"}}
	}
	return res, val.Record
}

// scoreValid scores a valid record into res, adding the validation
// warnings to the profile's, and binds it in res.Assessment to data, the
// JSON text v validated, which the Assessment keeps without a copy: it
// must be the caller's own (ScoreJSON's copy, or the streams' copy of each
// record).
func (e *Engine) scoreValid(ctx context.Context, res *StreamResult, rec *Record, data []byte, v *Validator) error {
	p, err := e.Score(ctx, rec)
	if err != nil {
		return err
	}
	if ws := res.Problems.Warnings(); len(ws) > 0 {
		p.Warnings = sortProblems(append(append(Problems{}, ws...), p.Warnings...))
	}
	res.Profile = p
	res.Assessment = newAssessment(e, v, data, rec, p)
	return nil
}

// ScoreStream reads records from r (one JSON record, a JSON array of
// records, or NDJSON, as Reader splits them), validates and scores them on
// the engine's workers (EngineOptions.Workers, by default GOMAXPROCS) and
// calls emit once per record, in input order, from the calling goroutine.
// An invalid record is never dropped: it gives a result with Problems and
// no Profile.
//
// Memory stays bounded: at most about three records per worker are in
// flight. ScoreStream stops and returns the error when emit returns one,
// when ctx is cancelled (ctx.Err()) or on an I/O error of r; results of
// the records before an I/O error are emitted first. A read blocked in r
// cannot be interrupted; the reading goroutine ends when r returns. A nil
// context, reader or emit is an error wrapping ErrNilArgument, an Engine
// not made by NewEngine ErrZeroEngine, returned before anything is read.
func (e *Engine) ScoreStream(ctx context.Context, r io.Reader, emit func(StreamResult) error) error {
	if err := e.ready(); err != nil {
		return err
	}
	return orderedStream(ctx, r, e.workers, e.scoreRaw, emit)
}

// ProcessStream reads records from r as Reader cuts them (one JSON value,
// a JSON array or NDJSON), runs process on each on workers goroutines
// (zero or less: GOMAXPROCS) and calls emit with the results once per
// record, in input order, from the calling goroutine: the pipeline of
// ScoreStream and Validator.ValidateStream, for work of the caller's own,
// such as verifying a file of certificates (package credit/cert). The
// RawRecord that process gets is its own (its Data stays valid).
//
// Memory stays bounded as in ScoreStream: at most about three records per
// worker are in flight. ProcessStream stops and returns the error when
// emit returns one, when ctx is cancelled (ctx.Err()) or on an I/O error
// of r; the results of the records before an I/O error are emitted first.
// A nil context, reader, process or emit is an error wrapping
// ErrNilArgument, returned before anything is read.
func ProcessStream[T any](ctx context.Context, r io.Reader, workers int, process func(RawRecord) T, emit func(T) error) error {
	if process == nil {
		return fmt.Errorf("%w: ProcessStream needs a process function", ErrNilArgument)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return orderedStream(ctx, r, workers, func(_ context.Context, raw RawRecord) (T, error) { return process(raw), nil }, emit)
}

// orderedStream is the pipeline of the streams of this package: it cuts
// records out of r (Reader), runs work on each on w workers and calls
// emit with the results in input order on the calling goroutine. At
// most about three records per worker are in flight. Nil arguments are
// refused before anything starts: a nil reader would crash the reading
// goroutine, where no caller could recover. On an error it returns once
// the workers have finished their records, without waiting for a read
// blocked in r: the reading goroutine ends when that read returns.
func orderedStream[T any](ctx context.Context, r io.Reader, w int, work func(context.Context, RawRecord) (T, error), emit func(T) error) error {
	if ctx == nil || r == nil || emit == nil {
		return fmt.Errorf("%w: a stream needs a context, a reader and an emit function", ErrNilArgument)
	}
	ctx, cancel := context.WithCancel(ctx)
	type job struct {
		raw RawRecord
		out chan T
	}
	jobs := make(chan job, w)
	order := make(chan chan T, 2*w)
	var readErr error
	go func() {
		defer close(order)
		defer close(jobs)
		rd := NewReader(r)
		for {
			raw, err := rd.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					readErr = err
				}
				return
			}
			// Data is only valid until the next call to Next.
			raw.Data = append([]byte(nil), raw.Data...)
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
	for range w {
		wg.Go(func() {
			for {
				var j job
				ok := false
				select {
				case j, ok = <-jobs:
				case <-ctx.Done():
					// Not waiting for jobs to close: the reading
					// goroutine may be blocked in r.Read.
				}
				if !ok {
					return
				}
				res, err := work(ctx, j.raw)
				if err != nil {
					continue // only a cancelled context; the emitter sees it
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
			return ctx.Err()
		}
	}
	if readErr != nil {
		return readErr
	}
	return ctx.Err()
}
