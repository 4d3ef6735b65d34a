package ident

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestErrorMessageAndCode(t *testing.T) {
	err := checksumError(SchemeBIN, "check digit", "7")
	assert.Equal(t, "ident: KZ-BIN: checksum: expected check digit 7", err.Error())
	assert.ErrorIs(t, err, ErrChecksum)
	assert.ErrorIs(t, fmt.Errorf("wrapped: %w", err), ErrChecksum)
	for kind, code := range map[error]string{
		ErrLength: "LENGTH", ErrFormat: "FORMAT", ErrChecksum: "CHECKSUM",
		ErrComponent: "COMPONENT", ErrUnknownScheme: "UNKNOWN_SCHEME",
	} {
		assert.Equal(t, code, Code(&Error{Scheme: "X", Kind: kind}))
		assert.Equal(t, code, Code(kind))
	}
	assert.Equal(t, "", Code(nil))
	assert.Equal(t, "", Code(errors.New("other")))
	assert.Equal(t, "ident: X: component", (&Error{Scheme: "X", Kind: ErrComponent}).Error())
}

func TestErrorsNeverEchoValue(t *testing.T) {
	// Identifiers of individuals are personal data; messages go to logs.
	for _, s := range Builtins() {
		const v = "98765432109876543210X"
		if err := s.Validate(v); err != nil {
			assert.NotContains(t, err.Error(), "98765432", s.Name())
		}
	}
}
