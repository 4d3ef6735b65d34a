package field

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                  "plain",
		"a\tb\nc\rd":             "a b c d",
		"x\u2028y\u2029z\u0085w": "x y z w",
		"a\u009bb\u202ec\u2066d": "a b c d",
		"中文 ид":                  "中文 ид",
	} {
		assert.Equal(t, want, Text(in), "%q", in)
	}
	assert.Equal(t, "-", ID(""))
	assert.Equal(t, "a b", ID("a\nb"))
}
