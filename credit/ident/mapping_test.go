package ident

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// detailOf returns the *Error of err, failing the test if there is none.
func detailOf(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	require.True(t, errors.As(err, &e), "%v is not an *Error", err)
	return e
}

func TestLengthCountsCharacters(t *testing.T) {
	// The reviewer's case: a fullwidth digit typed with a Chinese IME is the
	// digit itself, so the code is valid.
	n, err := Validate(SchemeUSCC, "9135０100M000100Y43")
	require.NoError(t, err)
	assert.Equal(t, "91350100M000100Y43", n)

	// A character that no mapping turns into ASCII, at a valid length, is a
	// format error naming its position (in characters), not a length error.
	_, err = Validate(SchemeUSCC, "9135中100M000100Y43")
	require.ErrorIs(t, err, ErrFormat)
	assert.Equal(t, "character at position 5 is not an ASCII letter or digit", detailOf(t, err).Detail)
	assert.Equal(t, "FORMAT", Code(err))

	// Too short, with a multi-byte character: counted in characters.
	_, err = Validate(SchemeUSCC, "9135中100M000100Y4")
	require.ErrorIs(t, err, ErrLength)
	assert.Equal(t, "want 18 characters, got 17", detailOf(t, err).Detail)

	// Invalid UTF-8 counts one character per byte.
	_, err = Validate(SchemeBIN, "94014000038\xff")
	require.ErrorIs(t, err, ErrFormat)
	assert.Equal(t, "character at position 12 is not an ASCII letter or digit", detailOf(t, err).Detail)
}

// TestEveryBuiltinCountsCharacters replaces one character of a valid value of
// each built-in scheme by non-ASCII characters of 2 and 3 bytes (ErrFormat at
// that position) and appends one (ErrLength with the character count).
func TestEveryBuiltinCountsCharacters(t *testing.T) {
	for name, seeds := range seedsByScheme {
		s := mustScheme(t, name)
		v := s.Normalize(seeds[0])
		require.NoError(t, s.Validate(v), name)
		for _, r := range []string{"Б", "中", "\U0001F600"} {
			for _, pos := range []int{1, len(v)/2 + 1, len(v)} {
				m := v[:pos-1] + r + v[pos:]
				err := s.Validate(m)
				require.ErrorIs(t, err, ErrFormat, "%s %q", name, m)
				assert.Equal(t, "character at position "+strconv.Itoa(pos)+" is not an ASCII letter or digit",
					detailOf(t, err).Detail, "%s %q", name, m)
			}
			err := s.Validate(v + r)
			require.ErrorIs(t, err, ErrLength, "%s %q", name, v+r)
			assert.Contains(t, detailOf(t, err).Detail, "got "+strconv.Itoa(len(v)+1), name)
			assert.NotContains(t, detailOf(t, err).Detail, "got "+strconv.Itoa(len(v)+len(r)), name)
		}
	}
}

func TestFullwidthAndLookalikesValidate(t *testing.T) {
	for _, c := range []struct{ scheme, in, want string }{
		{SchemeUSCC, "９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"},
		{SchemeUSCC, "91350100М000100У43", "91350100M000100Y43"}, // Cyrillic М, У
		{SchemeGSTIN, "２７ＡＡＰＦＵ０９３９Ｆ１ＺＶ", "27AAPFU0939F1ZV"},
		{SchemeGSTIN, "27ААРFU0939F1ZV", "27AAPFU0939F1ZV"}, // Cyrillic А А Р
		{SchemePAN, "АСUРА7085R", "ACUPA7085R"},
		{SchemeCIN, "L17110МН1973РLС019786", "L17110MH1973PLC019786"},
		// A Kazakh partner's LEI typed with a Cyrillic «А».
		{SchemeLEI, "969500ZАUC3Z50DNZV77", "969500ZAUC3Z50DNZV77"},
		{SchemeLEI, "５４９３００１ＫＪＴＩＩＧＣ８Ｙ１Ｒ１２", "5493001KJTIIGC8Y1R12"},
		{SchemeKPP, "０１０８А４９３４", "0108A4934"},
		{SchemeUNP, "УНП　ＭА１９５３６８４", "MA1953684"},
		{SchemeRUINN, "ＩＮＮ ７８３０００２２９３", "7830002293"},
		{SchemeBIN, "９４０１　４０００　０３８５", "940140000385"},
		{SchemeIRNC, "６８４－１５９－４１", "0068415941"},
		{SchemeCNIC, "３４２０１－０８９１２３１－８", "3420108912318"},
	} {
		n, err := Validate(c.scheme, c.in)
		require.NoError(t, err, "%s %q", c.scheme, c.in)
		assert.Equal(t, c.want, n, c.in)
		f, err := mustScheme(t, c.scheme).Format(c.in)
		require.NoError(t, err)
		assert.NoError(t, mustScheme(t, c.scheme).Validate(f))
	}
	// The mappings never fix a wrong number: the fullwidth form of an invalid
	// value fails exactly like the ASCII form.
	for _, c := range []struct{ scheme, ascii string }{
		{SchemeUSCC, "91350100M000100Y4Z"}, {SchemeLEI, "5493001KJTIIGC8Y1R17"},
		{SchemeGSTIN, "27AAPFU0939F1ZO"}, {SchemeBIN, "940140000386"},
	} {
		want := mustScheme(t, c.scheme).Validate(c.ascii)
		require.Error(t, want)
		assert.Equal(t, want, mustScheme(t, c.scheme).Validate(widen(c.ascii)), c.ascii)
		assert.Equal(t, want, mustScheme(t, c.scheme).Validate(toCyrillic(c.ascii)), c.ascii)
	}
	// Digit-only schemes do not map look-alikes: a Cyrillic О typed for 0.
	err := mustScheme(t, SchemeBIN).Validate("94О140000385")
	require.ErrorIs(t, err, ErrFormat)
	assert.Equal(t, "character at position 3 is not an ASCII letter or digit", detailOf(t, err).Detail)
}

func TestLookalikeTableIsShared(t *testing.T) {
	// One table, the letters of the documented set, each mapping to the Latin
	// capital it looks like; the schemes with Latin letters all use it.
	var to strings.Builder
	for _, c := range "АВЕКМНОРСТУХ" {
		l, ok := cyrillicToLatin[c]
		require.True(t, ok, string(c))
		to.WriteRune(l)
	}
	assert.Equal(t, "ABEKMHOPCTYX", to.String())
	assert.Len(t, cyrillicToLatin, 12)
	for _, s := range Builtins() {
		want := map[string]bool{SchemeUSCC: true, SchemeKPP: true, SchemeGSTIN: true, SchemePAN: true,
			SchemeCIN: true, SchemeUNP: true, SchemeLEI: true}[s.Name()]
		assert.Equal(t, want, mapsLookalikes(s), s.Name())
	}
}
