package credit

import "errors"

// ErrNilArgument is wrapped by the errors of functions and methods of this
// package called with a nil reader, record, callback or context, instead
// of a panic: a panic in ScoreStream's reading goroutine could not even be
// recovered by the caller.
var ErrNilArgument = errors.New("credit: nil argument")

// ErrZeroEngine is returned by the methods of an Engine or a Scorer that
// was not made by NewEngine or NewScorer, such as the zero value
// credit.Engine{}: it has no rule set to score with.
var ErrZeroEngine = errors.New("credit: Engine or Scorer not made by NewEngine or NewScorer")
