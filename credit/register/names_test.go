package register_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

func TestListNames(t *testing.T) {
	for _, tc := range []struct {
		name    string
		purpose string
		n       int
		ok      bool
	}{
		{"revocation", cert.StatusRevocation, 0, true},
		{"suspension", cert.StatusSuspension, 0, true},
		{"revocation-1", cert.StatusRevocation, 1, true},
		{"suspension-63", cert.StatusSuspension, 63, true},
		{"revocation-64", "", 0, false},
		{"revocation-0", "", 0, false},
		{"revocation-01", "", 0, false},
		{"revocation-", "", 0, false},
		{"revocation-+1", "", 0, false},
		{"revocation-1.json", "", 0, false},
		{"Revocation", "", 0, false},
		{"status", "", 0, false},
		{"", "", 0, false},
	} {
		p, n, ok := register.ParseListName(tc.name)
		assert.Equal(t, tc.ok, ok, tc.name)
		if tc.ok {
			assert.Equal(t, tc.purpose, p, tc.name)
			assert.Equal(t, tc.n, n, tc.name)
			assert.Equal(t, tc.name, register.ListName(p, n), tc.name)
		}
	}
}

// FuzzParseListName checks that ParseListName accepts exactly the names
// ListName gives.
func FuzzParseListName(f *testing.F) {
	for _, s := range []string{"revocation", "suspension-12", "revocation-064", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		p, n, ok := register.ParseListName(name)
		if !ok {
			return
		}
		if got := register.ListName(p, n); got != name || n < 0 || n >= register.MaxLists {
			t.Fatalf("ParseListName(%q) = %q, %d, which ListName writes %q", name, p, n, got)
		}
	})
}
