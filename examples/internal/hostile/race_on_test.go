//go:build race

package hostile

// raceDetector reports whether the test runs with -race.
const raceDetector = true
