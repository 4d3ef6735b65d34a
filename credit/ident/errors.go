package ident

import "errors"

// Sentinel errors. Every error returned by a Scheme's Validate is an *Error whose
// Unwrap returns exactly one of these, so callers can branch with errors.Is without
// parsing messages.
var (
	// ErrLength reports a value with the wrong number of characters after
	// normalisation.
	ErrLength = errors.New("ident: invalid length")
	// ErrFormat reports a character that is not allowed at its position.
	ErrFormat = errors.New("ident: invalid format")
	// ErrChecksum reports a check character that does not match the one computed
	// from the rest of the value (or a value for which no check character exists).
	ErrChecksum = errors.New("ident: invalid checksum")
	// ErrComponent reports a well-formed part with a value that is not assigned,
	// such as an unknown state code or holder type.
	ErrComponent = errors.New("ident: invalid component")
	// ErrUnknownScheme reports a scheme name that is not registered.
	ErrUnknownScheme = errors.New("ident: unknown scheme")
	// ErrPlaceholder reports a value made of one character repeated, such
	// as RU-INN 0000000000: it may pass a check digit, but no register
	// issues it; it is what forms hold when the real number is unknown.
	ErrPlaceholder = errors.New("ident: placeholder value")
)

// Error is the typed error returned by every Validate in this package. It carries
// enough context for a caller to explain the failure without re-parsing the value;
// it never contains the value itself, because identifiers of individuals are
// personal data and error messages end up in logs.
type Error struct {
	Scheme   string // scheme name, e.g. "KZ-BIN"
	Kind     error  // one of ErrLength, ErrFormat, ErrChecksum, ErrComponent, ErrUnknownScheme, ErrPlaceholder
	Expected string // for ErrChecksum: the expected check character(s), "" if none exists
	Detail   string // plain English explanation, e.g. "state code 39 is not assigned"
}

// Error returns a message such as `ident: KZ-BIN: checksum: expected check digit 7`.
func (e *Error) Error() string {
	msg := "ident: " + e.Scheme + ": " + kindLabel(e.Kind)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns the sentinel in Kind so that errors.Is(err, ErrChecksum) works.
func (e *Error) Unwrap() error { return e.Kind }

func kindLabel(kind error) string {
	switch kind {
	case ErrLength:
		return "length"
	case ErrFormat:
		return "format"
	case ErrChecksum:
		return "checksum"
	case ErrComponent:
		return "component"
	case ErrUnknownScheme:
		return "unknown scheme"
	case ErrPlaceholder:
		return "placeholder"
	}
	if kind == nil {
		return "invalid"
	}
	return kind.Error()
}

// Code maps an error from this package to a stable upper-case code for reports and
// machine-readable output: "LENGTH", "FORMAT", "CHECKSUM", "COMPONENT",
// "PLACEHOLDER" or "UNKNOWN_SCHEME". It returns "" for nil and for errors of
// other origin.
func Code(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrLength):
		return "LENGTH"
	case errors.Is(err, ErrFormat):
		return "FORMAT"
	case errors.Is(err, ErrChecksum):
		return "CHECKSUM"
	case errors.Is(err, ErrComponent):
		return "COMPONENT"
	case errors.Is(err, ErrUnknownScheme):
		return "UNKNOWN_SCHEME"
	case errors.Is(err, ErrPlaceholder):
		return "PLACEHOLDER"
	}
	return ""
}

// Constructors keep the call sites short and make every error carry its scheme.

func lengthError(scheme, detail string) error {
	return &Error{Scheme: scheme, Kind: ErrLength, Detail: detail}
}

func formatError(scheme, detail string) error {
	return &Error{Scheme: scheme, Kind: ErrFormat, Detail: detail}
}

func componentError(scheme, detail string) error {
	return &Error{Scheme: scheme, Kind: ErrComponent, Detail: detail}
}

// checksumError reports a mismatch; what names the check ("check digit",
// "check character", ...) and expected is the value that would have been valid.
func checksumError(scheme, what, expected string) error {
	return &Error{Scheme: scheme, Kind: ErrChecksum, Expected: expected, Detail: "expected " + what + " " + expected}
}
