//go:build race

package credit

// corpusScale divides the generated corpora of the differential tests
// under the race detector, which runs them ten times slower and has
// nothing to find in their single goroutine.
const corpusScale = 10
