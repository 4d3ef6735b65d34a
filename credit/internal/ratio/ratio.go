// Package ratio measures code against its floor in one benchmark: the
// two run interleaved, iteration by iteration, so that their ratio holds
// on a shared machine whose speed drifts by more than the difference
// sought between separate benchmark runs.
package ratio

import (
	"testing"
	"time"
)

// Bench runs floor and work alternately, each once per iteration (in
// turn first, so that neither always finds the caches warmed by the
// other), and reports their times per operation, floor-ns/op and
// work-ns/op, and x-floor, the ratio of work to floor. The benchmark's
// own ns/op is the sum of the two.
func Bench(b *testing.B, floor, work func()) {
	b.Helper()
	var floorTime, workTime time.Duration
	n := 0
	for b.Loop() {
		if n%2 == 0 {
			floorTime += timed(floor)
			workTime += timed(work)
		} else {
			workTime += timed(work)
			floorTime += timed(floor)
		}
		n++
	}
	if n == 0 || floorTime <= 0 {
		return
	}
	b.ReportMetric(float64(floorTime.Nanoseconds())/float64(n), "floor-ns/op")
	b.ReportMetric(float64(workTime.Nanoseconds())/float64(n), "work-ns/op")
	b.ReportMetric(float64(workTime)/float64(floorTime), "x-floor")
}

func timed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}
