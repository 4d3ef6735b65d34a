package ident_test

import (
	"errors"
	"fmt"

	"github.com/creditsco/creditsco/credit/ident"
)

func Example() {
	// Input as typed by a user: lower case and separators are fine.
	n, err := ident.Validate("KZ-BIN", "9401 4000 0385")
	fmt.Println(n, err)

	_, err = ident.Validate("CN-USCC", "91350100M000100Y4Z")
	fmt.Println(err)
	var e *ident.Error
	if errors.As(err, &e) {
		fmt.Println(ident.Code(err), e.Expected)
	}
	// Output:
	// 940140000385 <nil>
	// ident: CN-USCC: checksum: expected check character 3
	// CHECKSUM 3
}

func ExampleForCountry() {
	for _, s := range ident.ForCountry("KZ") {
		fmt.Println(s.Name(), s.HasCheckDigit())
	}
	// Output:
	// KZ-BIN true
	// KZ-IIN true
}

func ExampleDecoder() {
	s, _ := ident.Lookup(ident.SchemeGSTIN)
	parts, err := s.(ident.Decoder).Decode("27AAPFU0939F1ZV")
	if err != nil {
		panic(err)
	}
	g := parts.(ident.GSTINParts)
	fmt.Println(g.StateName, g.PAN)
	// Output:
	// Maharashtra AAPFU0939F
}

// memberNo is a custom format-only scheme: an 8-digit chamber-of-commerce
// membership number.
type memberNo struct{}

func (memberNo) Name() string                      { return "XX-MEMBER" }
func (memberNo) Country() string                   { return "XX" }
func (memberNo) Title() string                     { return "Chamber membership number" }
func (memberNo) HasCheckDigit() bool               { return false }
func (memberNo) Normalize(v string) string         { return v }
func (m memberNo) Format(v string) (string, error) { return v, m.Validate(v) }
func (m memberNo) Validate(v string) error {
	if len(v) != 8 {
		return &ident.Error{Scheme: m.Name(), Kind: ident.ErrLength, Detail: "want 8 digits"}
	}
	return nil
}

func ExampleRegistry_Register() {
	r, _ := ident.NewRegistry(ident.Builtins()...)
	if err := r.Register(memberNo{}); err != nil {
		panic(err)
	}
	fmt.Println(r.Register(memberNo{}))
	_, err := r.Validate("XX-MEMBER", "123")
	fmt.Println(ident.Code(err))
	// Output:
	// ident: Register: scheme XX-MEMBER already registered
	// LENGTH
}
