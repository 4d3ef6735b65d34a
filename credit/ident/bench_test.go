package ident

import "testing"

// BenchmarkValidate measures the package-level Validate (registry lookup,
// normalize, check) on compact valid input, which must not allocate.
func BenchmarkValidate(b *testing.B) {
	for _, c := range []struct{ scheme, value string }{
		{SchemeUSCC, "91350100M000100Y43"},
		{SchemeRUINN, "500100732259"},
		{SchemeOGRNIP, "315850060115169"},
		{SchemeBIN, "940140000385"},
		{SchemeGSTIN, "27AAPFU0939F1ZV"},
		{SchemeIRNC, "0499370899"},
		{SchemeUNP, "591705582"},
		{SchemeLEI, "5493001KJTIIGC8Y1R12"},
		{SchemeKGINN, "02507199510010"},
	} {
		b.Run(c.scheme, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Validate(c.scheme, c.value); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkValidateUnnormalized shows the cost of normalizing typed input.
func BenchmarkValidateUnnormalized(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Validate(SchemeUNP, "УНП 591 705 582"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateFullwidth shows the cost of mapping fullwidth input (a USCC
// typed with a Chinese input method).
func BenchmarkValidateFullwidth(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Validate(SchemeUSCC, "９１３５０１００Ｍ０００１００Ｙ４３"); err != nil {
			b.Fatal(err)
		}
	}
}
