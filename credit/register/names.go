package register

import (
	"strconv"
	"strings"

	"github.com/creditsco/creditsco/credit/cert"
)

// ListName returns the name of the list of purpose (cert.StatusRevocation
// or cert.StatusSuspension) of list pair n: the purpose itself for pair 0
// ("revocation", the names of a cert.StatusRegistry), the purpose, "-"
// and n for the others ("revocation-1"). The name is the last path
// segment of the list's URL and, with ".json", its file name in the
// layout cert.DirFetcher reads.
func ListName(purpose string, n int) string {
	if n == 0 {
		return purpose
	}
	return purpose + "-" + strconv.Itoa(n)
}

// ParseListName returns the purpose and pair number of a list name, and
// false for a name ListName does not give.
func ParseListName(name string) (purpose string, n int, ok bool) {
	for _, p := range purposes {
		if name == p {
			return p, 0, true
		}
		rest, found := strings.CutPrefix(name, p+"-")
		if !found || rest == "" || rest[0] == '0' || len(rest) > 3 || strings.Trim(rest, "0123456789") != "" {
			continue
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || n >= MaxLists {
			continue
		}
		return p, n, true
	}
	return "", 0, false
}

// purposes are the lists of each pair, in the order of a certificate's
// credentialStatus entries.
var purposes = []string{cert.StatusRevocation, cert.StatusSuspension}
