package ident

import (
	"errors"
	"fmt"
	"strings"
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
		ErrComponent: "COMPONENT", ErrUnknownScheme: "UNKNOWN_SCHEME", ErrPlaceholder: "PLACEHOLDER",
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

// TestPlaceholders checks that a value of one repeated character is refused
// by every built-in scheme, as a placeholder when it would otherwise pass
// (RU-INN 0000000000 passes its check digits) and never as valid.
func TestPlaceholders(t *testing.T) {
	for _, c := range []struct{ scheme, value string }{
		{SchemeRUINN, "0000000000"}, {SchemeRUINN, "000000000000"}, {SchemeIRNC, "1111111111"},
		{SchemeKGINN, "00000000000000"}, {SchemeTJINN, "111111111"}, {SchemeUZINN, "222222222"},
		{SchemeMNREG, "0000000"}, {SchemeAFTIN, "5555555555"}, {SchemeNTN, "0000000"},
		{SchemeRUINN, "0000 0000 00"},
	} {
		err := mustScheme(t, c.scheme).Validate(c.value)
		assert.ErrorIs(t, err, ErrPlaceholder, "%s %s", c.scheme, c.value)
		assert.Equal(t, "PLACEHOLDER", Code(err))
		_, ferr := mustScheme(t, c.scheme).Format(c.value)
		assert.ErrorIs(t, ferr, ErrPlaceholder)
	}
	for _, s := range Builtins() {
		for _, ch := range "0123456789ABCDEFGHJKLMNPQRTUWXY" {
			for n := 1; n <= 24; n++ {
				v := strings.Repeat(string(ch), n)
				assert.Error(t, s.Validate(v), "%s accepts %s", s.Name(), v)
			}
		}
	}
}

// TestUnknownSchemeListsKnownOnes checks that the error for an unknown
// scheme says which schemes there are.
func TestUnknownSchemeListsKnownOnes(t *testing.T) {
	_, err := Validate("KZ-BN", "080540038178")
	assert.ErrorIs(t, err, ErrUnknownScheme)
	assert.Contains(t, err.Error(), "known schemes: AF-TIN, BY-UNP, CN-USCC,")
	assert.Contains(t, err.Error(), "KZ-BIN")
}
