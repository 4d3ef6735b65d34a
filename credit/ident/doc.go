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
// ErrLength, ErrFormat, ErrChecksum, ErrComponent or ErrUnknownScheme.
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
// number may still be unassigned or belong to someone else.
//
// Schemes live in a Registry. Default returns a process-wide registry with all
// built-in schemes, built on first use; NewRegistry(Builtins()...) gives an
// isolated one. Custom schemes implement Scheme and are added with Register.
//
// Performance: validating an already compact, valid value does not allocate.
package ident
