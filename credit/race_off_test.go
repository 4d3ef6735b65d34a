//go:build !race

package credit

// corpusScale divides the generated corpora of the differential tests
// under the race detector (see race_on_test.go).
const corpusScale = 1
