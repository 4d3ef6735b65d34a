// Package ident validates national enterprise identifiers of the SCO member and
// observer states, plus the cross-border LEI, for the creditsco scoring library.
//
// Each identifier scheme (China's USCC, Russia's INN/OGRN/OGRNIP/KPP,
// Kazakhstan's BIN/IIN, India's GSTIN/PAN/CIN, Pakistan's NTN/CNIC, Iran's
// legal-entity ID and national code, Belarus's UNP, the format-only numbers of
// Kyrgyzstan, Tajikistan, Uzbekistan, Mongolia and Afghanistan, and the LEI) is
// a Scheme with a fixed name such as "CN-USCC". Schemes normalize input
// (separators, case, well-known labels, look-alike letters, Persian digits) and
// validate it; a failure is an *Error whose Kind is one of the sentinels
// ErrLength, ErrFormat, ErrChecksum, ErrComponent, ErrPlaceholder or
// ErrUnknownScheme, and Code gives its stable code (LENGTH, FORMAT,
// CHECKSUM, COMPONENT, PLACEHOLDER, UNKNOWN_SCHEME).
//
//	n, err := ident.Validate("KZ-BIN", "0805 4003 8178") // "080540038178", nil
//
// Normalisation applies only these documented, meaning-preserving mappings:
//   - every scheme: fullwidth forms U+FF01..U+FF5E become the ASCII characters
//     U+0021..U+007E ("９１３５０１" is 913501), as Chinese and Japanese input
//     methods produce them; the ideographic space U+3000, like every other
//     space, '-', '.', '/' and the Unicode dashes, is removed as a separator;
//     ASCII and Cyrillic letters are upper-cased;
//   - schemes whose letters are Latin (CN-USCC, RU-KPP, IN-GSTIN, IN-PAN,
//     IN-CIN, BY-UNP, LEI): the Cyrillic look-alikes А В Е К М Н О Р С Т У Х
//     (and а в е к м н о р с т у х) become A B E K M H O P C T Y X, because
//     such values are often typed on a Cyrillic keyboard;
//   - IR, AF and PK schemes: Persian and Arabic-Indic digits become ASCII;
//   - well-known labels ("УНП", "INN", "GSTIN", ...) are dropped from the start,
//     and IR-NC left-pads 8 or 9 digits with zeros.
//
// Any other character is kept and reported. Lengths are counted in characters,
// not bytes: a value of the right length holding a character that survives
// normalisation outside ASCII (say a Chinese character) is ErrFormat naming
// its position, not ErrLength.
//
// What is checked, and what is not: a check digit is verified only where its
// algorithm is public and confirmed by independent sources (HasCheckDigit
// reports it). For the other schemes (KG-INN, TJ-INN, UZ-INN, IN-PAN, IN-CIN,
// PK-NTN, PK-CNIC, RU-KPP, MN-REG, AF-TIN) only length, characters and
// documented components are checked: no checksum is invented, so a mistyped
// number of the right shape passes. Nothing here consults a register: a valid
// number may still be unassigned or belong to someone else. A value made
// of one repeated character is refused as ErrPlaceholder in every built-in
// scheme, even where it passes a check digit (RU-INN 0000000000). The
// schemes, what is checked and why:
//
//	scheme     country  checked                                          why
//	CN-USCC    CN       check character (GB 32100 mod 31) and the inner  both algorithms published; letters allowed in
//	                    organisation code's (GB 11714 mod 11)            positions 1-2 as the standard permits
//	RU-INN     RU       check digit(s), 10 or 12 digits                  weighted mod 11 mod 10, 2+ sources
//	RU-OGRN    RU       check digit, record sign 1 or 5                  12 digits mod 11 mod 10, 2+ sources
//	RU-OGRNIP  RU       check digit, record sign 3                       14 digits mod 13, last digit (remainders
//	                                                                     10-12 give 0-2, unlike python-stdnum)
//	RU-KPP     RU       format only                                      no check digit exists; letters A-Z allowed
//	                                                                     in positions 5-6
//	KZ-BIN     KZ       check digit, month, entity type, attribute       two-pass mod 11 (decree P070000406); a double
//	                                                                     remainder 10 is never issued: invalid
//	KZ-IIN     KZ       check digit, birth date, century digit           same algorithm as BIN
//	KG-INN     KG       format only (14 digits)                          no public algorithm; 2 published examples
//	TJ-INN     TJ       format only (9 digits)                           no public algorithm
//	UZ-INN     UZ       format only (9 digits)                           a control digit exists, its algorithm is
//	                                                                     unpublished
//	IN-GSTIN   IN       check character (Luhn mod 36), state code        public algorithm, 2+ sources
//	                    (01-38, 97, 99), embedded PAN
//	IN-PAN     IN       format, holder type, serial not 0000             the check letter's algorithm is unpublished
//	IN-CIN     IN       structure, listing status, ownership class       no check digit exists
//	PK-NTN     PK       format only (7 digits, optional 8th)             the claimed mod 11 rule fails on real NTNs
//	PK-CNIC    PK       format, province, sex digit                      no check digit known
//	IR-NID     IR       check digit                                      persian-tools algorithm, recomputed on real
//	                                                                     IDs (1 lineage)
//	IR-NC      IR       check digit; 8 or 9 digits left-padded           2+ sources
//	BY-UNP     BY       check digit; remainder 10 is invalid             python-stdnum citing the Belarus rules
//	                                                                     (1 lineage)
//	MN-REG     MN       format only (7 digits, length unverified)        no published structure or algorithm
//	AF-TIN     AF       format only (10 digits)                          no published algorithm
//	LEI        any      check digits (ISO 7064 MOD 97-10)                ISO 17442
//
// Which schemes each country's rule set accepts, which one certificates
// name and the cross-checks between them are in the country rule sets of
// package credit (RuleSet.Identity; the README's country table).
//
// Schemes live in a Registry. Default returns a process-wide registry with all
// built-in schemes, built on first use; NewRegistry(Builtins()...) gives an
// isolated one. Custom schemes implement Scheme and are added with Register
// (process-wide, to Default) or Registry.Register; a duplicate name is
// refused (see the example of Registry.Register). The validator of package
// credit and the certificate verifier of credit/cert take a Registry, so a
// custom scheme works there too.
//
// Performance: validating an already compact, valid value does not allocate.
package ident
