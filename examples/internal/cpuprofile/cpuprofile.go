// Package cpuprofile gives the example programs their -cpuprofile flag: a
// CPU profile of the whole run, as users run the program, for
// `go tool pprof`. Profiles of single functions (go test -bench) miss what
// a program does around them: reading, the worker pipeline, writing and
// garbage collection.
package cpuprofile

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
)

// Flag registers -cpuprofile FILE on fs and returns its value.
func Flag(fs *flag.FlagSet) *string {
	return fs.String("cpuprofile", "", "write a CPU profile of the whole run to `FILE` (read it with go tool pprof)")
}

// Start starts a CPU profile written to path and returns the function
// that stops it and closes the file. An empty path profiles nothing and
// returns a stop function that does nothing.
func Start(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}
