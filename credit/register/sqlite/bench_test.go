package sqlite_test

import (
	"testing"

	"github.com/creditsco/creditsco/credit/register/internal/registertest"
)

func BenchmarkRegister(b *testing.B) { registertest.Benchmarks(b, env) }
