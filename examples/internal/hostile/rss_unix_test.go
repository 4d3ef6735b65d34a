//go:build unix

package hostile

import (
	"os"
	"runtime"
	"syscall"
)

// maxRSSBytes returns the peak resident set size of the exited process,
// or -1 where the system does not report it.
func maxRSSBytes(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return -1
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) // bytes
	}
	return int64(ru.Maxrss) << 10 // KiB elsewhere (Linux, BSDs)
}
