package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A flag after the operands is a usage error, never read as a file name
// nor silently dropped.
func TestFlagAfterOperands(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"verify", "testdata.json", "-trust", "did:key:z6Mk"}, strings.NewReader(""), &out, &errOut)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut.String(), "after the operands")
	assert.Empty(t, out.String())
}
