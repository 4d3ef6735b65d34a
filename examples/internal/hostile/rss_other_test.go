//go:build !unix

package hostile

import "os"

// maxRSSBytes reports that the peak resident set size is not known here.
func maxRSSBytes(*os.ProcessState) int64 { return -1 }
