package ident

import "strconv"

// Iran: the 11-digit national ID of legal entities (شناسه ملی) and the 10-digit
// national code of individuals (کد ملی, relevant for sole proprietors). Input
// may use Persian or Arabic-Indic digits; they are normalized to ASCII.

var irNIDWeights = [5]int{29, 27, 23, 19, 17}

// checkIRNID validates the legal-entity national ID (persian-tools rule): with
// d = digit 10 + 2, sum (d + digit i) × weight over i = 1..10 with the repeating
// weights 29 27 23 19 17; mod 11, 10 becomes 0; must equal digit 11. All-zero
// values and values whose digits 4–9 are all zero are placeholders, not IDs.
func checkIRNID(s string) error {
	const name = SchemeIRNID
	if err := digitsCheck(name, s, 11); err != nil {
		return err
	}
	if s[3:9] == "000000" {
		return componentError(name, "digits 4-9 are all zero")
	}
	d := int(s[9]-'0') + 2
	sum := 0
	for i := 0; i < 10; i++ {
		sum += (d + int(s[i]-'0')) * irNIDWeights[i%5]
	}
	if c := byte('0' + sum%11%10); c != s[10] {
		return checksumError(name, "check digit", string(c))
	}
	return nil
}

func newIRNID() Scheme {
	return &scheme{
		name: SchemeIRNID, country: "IR", title: "National ID of legal entities (شناسه ملی)",
		hasCheck: true, norm: newNormalizer(false, true), check: checkIRNID,
	}
}

// checkIRNC validates the national code: digits 1–9 weighted 10..2, r = sum mod
// 11, check = r if r < 2 else 11 − r. Values with digits 4–9 all zero are
// rejected, and values of ten identical digits (1111111111 passes the
// arithmetic) are placeholders (scheme.validate), as most validators do.
func checkIRNC(s string) error {
	const name = SchemeIRNC
	if n := charCount(s); n != 10 {
		return lengthError(name, "want 10 digits (8 or 9 are left-padded with zeros), got "+strconv.Itoa(n)+" characters")
	}
	if err := asciiOnly(name, s); err != nil {
		return err
	}
	if !allDigits(s) {
		return formatError(name, "only digits are allowed")
	}
	if s[3:9] == "000000" {
		return componentError(name, "digits 4-9 are all zero")
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(s[i]-'0') * (10 - i)
	}
	c := sum % 11
	if c >= 2 {
		c = 11 - c
	}
	if byte('0'+c) != s[9] {
		return checksumError(name, "check digit", string(byte('0'+c)))
	}
	return nil
}

// padIRNC left-pads 8- or 9-digit values with zeros: spreadsheets store the code
// as a number and drop its leading zeros, and codes from Tehran start with 00.
func padIRNC(s string) string {
	if (len(s) == 8 || len(s) == 9) && allDigits(s) {
		return "0000000000"[:10-len(s)] + s
	}
	return s
}

func newIRNC() Scheme {
	n := newNormalizer(false, true)
	n.finish = padIRNC
	return &scheme{
		name: SchemeIRNC, country: "IR", title: "National code of individuals (کد ملی)",
		hasCheck: true, norm: n, check: checkIRNC,
		display: func(s string) string { return s[:3] + "-" + s[3:9] + "-" + s[9:] },
	}
}

// allSame reports whether every byte of s equals the first.
func allSame(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] != s[0] {
			return false
		}
	}
	return true
}
