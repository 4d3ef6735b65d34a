package ident

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vcase is one row of a validation table: want is the normalized value, kind
// the expected sentinel (nil for valid) and expected the expected check
// character(s) for checksum failures.
type vcase struct {
	in       string
	want     string
	kind     error
	expected string
}

func valid(in string) vcase               { return vcase{in: in} }
func validAs(in, want string) vcase       { return vcase{in: in, want: want} }
func invalid(in string, kind error) vcase { return vcase{in: in, kind: kind} }
func badCheck(in string, expected string) vcase {
	return vcase{in: in, kind: ErrChecksum, expected: expected}
}

func mustScheme(t testing.TB, name string) Scheme {
	t.Helper()
	s, ok := Lookup(name)
	require.True(t, ok, "scheme %s not registered", name)
	return s
}

func runCases(t *testing.T, name string, cases []vcase) {
	t.Helper()
	s := mustScheme(t, name)
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			n, err := Validate(name, c.in)
			if c.kind == nil {
				require.NoError(t, err)
				want := c.want
				if want == "" {
					want = c.in
				}
				assert.Equal(t, want, n)
				f, err := s.Format(c.in)
				require.NoError(t, err)
				assert.NoError(t, s.Validate(f), "formatted value must validate")
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, c.kind)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, name, e.Scheme)
			if c.expected != "" {
				assert.Equal(t, c.expected, e.Expected)
				assert.True(t, strings.HasSuffix(e.Error(), c.expected), e.Error())
			}
			_, ferr := s.Format(c.in)
			assert.ErrorIs(t, ferr, c.kind)
		})
	}
}

// validList turns a whitespace-separated list of published valid numbers into cases.
func validList(list string) []vcase {
	var out []vcase
	for _, f := range strings.Fields(list) {
		out = append(out, valid(f))
	}
	return out
}
