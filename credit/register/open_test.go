package register

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@db.example:5432/x":          "postgres://u:xxxxx@db.example:5432/x",
		"postgres://u@db.example/x":                      "postgres://u@db.example/x",
		"postgres://db.example/x?user=a@b":               "postgres://db.example/x?user=a@b",
		"postgresql://u:p:q@h1:5432,h2:5432/x":           "postgresql://u:xxxxx@h1:5432,h2:5432/x",
		"sqlite:/var/lib/creditsco/register.db":          "sqlite:/var/lib/creditsco/register.db",
		"postgres://u:s%40cret@db.example/x?sslmode=off": "postgres://u:xxxxx@db.example/x?sslmode=off",
	} {
		assert.Equal(t, want, redact(in), in)
	}
}

func TestRegisterDriverPanics(t *testing.T) {
	assert.Panics(t, func() { RegisterDriver("test-nil", nil) })
	open := func(context.Context, string, Options) (Register, error) { return nil, errors.New("test") }
	RegisterDriver("test-twice", open)
	assert.Panics(t, func() { RegisterDriver("test-twice", open) })
	assert.Contains(t, Drivers(), "test-twice")
}
