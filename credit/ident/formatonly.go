package ident

// Schemes with no public check algorithm, validated by length and digits only.
// Accepting a mistyped number is the price of not rejecting real ones with an
// invented checksum.

// newKGINN: Kyrgyzstan INN/PIN, 14 digits (org-id kg-tin, kgaccount.com). The
// two published examples (02507199510010, 20502198100469) suggest a leading
// type digit and a DDMMYYYY date, but no authoritative layout or check
// algorithm was found, so only the length is enforced.
func newKGINN() Scheme {
	return formatOnly(SchemeKGINN, "KG", "Taxpayer identification number (ИНН / ПИН)", 14,
		newNormalizer(false, false, "ИНН", "INN", "ПИН", "PIN"))
}

// newTJINN: Tajikistan INN, 9 digits (org-id tj-tin). It reportedly ends in
// "digits used for validation" but the algorithm is not public.
func newTJINN() Scheme {
	return formatOnly(SchemeTJINN, "TJ", "Taxpayer identification number (ИНН)", 9,
		newNormalizer(false, false, "ИНН", "INN"))
}

// newUZINN: Uzbekistan STIR/INN, 9 digits. The ninth digit is a control digit
// computed with an unpublished algorithm (frk/valid citing lex.uz/acts/499945).
// The first digit is not restricted: the "companies start with 2" rule has
// counter-examples.
func newUZINN() Scheme {
	return formatOnly(SchemeUZINN, "UZ", "Taxpayer identification number (STIR / ИНН)", 9,
		newNormalizer(false, false, "ИНН", "INN", "STIR"))
}

// newMNREG: Mongolia's state registration number of a legal entity, which is
// also its taxpayer number (Mongolian Tax Authority). Known: that role. Not
// known from any source found: the length, structure or a check digit. The
// commonly cited 7 digits are enforced; citizens' numbers (2 Cyrillic letters
// plus 8 digits) are not accepted by this scheme.
func newMNREG() Scheme {
	return formatOnly(SchemeMNREG, "MN", "Register number of a legal entity (регистрийн дугаар)", 7,
		newNormalizer(false, false))
}

// newAFTIN: Afghanistan TIN, 10 digits (org-id af-tin and two tax sites; one
// source says 9). No check algorithm is published. Persian digits are accepted.
func newAFTIN() Scheme {
	return formatOnly(SchemeAFTIN, "AF", "Taxpayer Identification Number (TIN)", 10,
		newNormalizer(false, true, "TIN"))
}
