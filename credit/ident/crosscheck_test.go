package ident

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCrossCheck(t *testing.T) {
	type want struct {
		index, other int
		code         string
		warning      bool
	}
	cases := []struct {
		name string
		ids  []Identifier
		want []want
	}{
		{"IN consistent", []Identifier{{SchemeGSTIN, "24AAHCV4821L1Z4"}, {SchemePAN, "AAHCV4821L"}, {SchemeCIN, "U24230GJ2006PTC048317"}}, nil},
		{"IN GSTIN of another PAN", []Identifier{{SchemeGSTIN, "24AAHCV4821L1Z4"}, {SchemePAN, "AAHCV4827L"}},
			[]want{{0, 1, CrossGSTINPAN, false}}},
		{"IN PAN given first", []Identifier{{SchemePAN, "AAHCV4827L"}, {SchemeGSTIN, "24AAHCV4821L1Z4"}},
			[]want{{1, 0, CrossGSTINPAN, false}}},
		{"IN two GSTINs of one PAN in two states", []Identifier{{SchemeGSTIN, "24AAHCV4821L1Z4"}, {SchemeGSTIN, "27AAHCV4821L1ZY"}, {SchemePAN, "AAHCV4821L"}}, nil},
		{"IN CIN with an individual's PAN", []Identifier{{SchemeCIN, "U24230GJ2006PTC048317"}, {SchemePAN, "AAHPV4821L"}},
			[]want{{1, 0, CrossEntityKind, false}}},
		{"IN CIN with a firm's PAN", []Identifier{{SchemeCIN, "U24230GJ2006PTC048317"}, {SchemePAN, "AAHFV4821L"}},
			[]want{{1, 0, CrossEntityKind, false}}},
		{"RU organisation", []Identifier{{SchemeRUINN, "5905128736"}, {SchemeOGRN, "1025901584323"}, {SchemeKPP, "590501001"}, {SchemeLEI, "2534004XKM7QR2V1T670"}}, nil},
		{"RU individual INN with an organisation's OGRN and KPP", []Identifier{{SchemeRUINN, "770712345633"}, {SchemeOGRN, "1025901584323"}, {SchemeKPP, "590501001"}},
			[]want{{1, 0, CrossEntityKind, false}, {2, 0, CrossEntityKind, false}}},
		{"RU sole trader", []Identifier{{SchemeRUINN, "770712345633"}, {SchemeOGRNIP, "304500116000157"}}, nil},
		{"RU OGRNIP with an organisation's INN", []Identifier{{SchemeRUINN, "5905128736"}, {SchemeOGRNIP, "304500116000157"}},
			[]want{{1, 0, CrossEntityKind, false}}},
		{"RU OGRN of another region", []Identifier{{SchemeRUINN, "7802413968"}, {SchemeOGRN, "1147773211585"}},
			[]want{{1, 0, CrossRegion, true}}},
		{"RU region of a sole trader is not compared", []Identifier{{SchemeRUINN, "770712345633"}, {SchemeOGRNIP, "304590116000151"}}, nil},
		{"KZ legal entity with an IIN", []Identifier{{SchemeBIN, "080540038178"}, {SchemeIIN, "780412300407"}},
			[]want{{1, 0, CrossEntityKind, false}}},
		{"KZ joint entrepreneurship BIN with an IIN", []Identifier{{SchemeBIN, "080560038177"}, {SchemeIIN, "780412300407"}}, nil},
		{"IR legal entity with a national code", []Identifier{{SchemeIRNID, "10103728548"}, {SchemeIRNC, "0499370899"}},
			[]want{{1, 0, CrossEntityKind, false}}},
		{"second USCC", []Identifier{{SchemeUSCC, "9132050669332578XY"}, {SchemeLEI, "300300K7QW2M4T8N5R68"}, {SchemeUSCC, "91650102MA775Q2K06"}},
			[]want{{2, 0, CrossSecondValue, false}}},
		{"same value twice is a duplicate, not a second value", []Identifier{{SchemeUSCC, "9132050669332578XY"}, {SchemeUSCC, "9132050669332578XY"}}, nil},
		{"two KPPs", []Identifier{{SchemeRUINN, "5905128736"}, {SchemeKPP, "590501001"}, {SchemeKPP, "590545001"}}, nil},
		{"invalid entries skipped", []Identifier{{}, {SchemePAN, "AAHCV4827L"}, {}, {SchemeGSTIN, "24AAHCV4821L1Z4"}},
			[]want{{3, 1, CrossGSTINPAN, false}}},
		{"unknown scheme ignored", []Identifier{{"XX-CHAMBER", "12345678"}, {"XX-CHAMBER", "87654321"}},
			[]want{{1, 0, CrossSecondValue, false}}},
		{"nothing", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, id := range tc.ids {
				if s, ok := Lookup(id.Scheme); ok {
					require.NoError(t, s.Validate(id.Value), "test identifiers must be valid: %s %s", id.Scheme, id.Value)
				}
			}
			var got []want
			for _, c := range CrossCheck(tc.ids) {
				got = append(got, want{c.Index, c.Other, c.Code, c.Warning})
				assert.NotEmpty(t, c.Detail)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCrossCheckDetailNamesNoValue(t *testing.T) {
	ids := []Identifier{{SchemeGSTIN, "24AAHCV4821L1Z4"}, {SchemePAN, "AAHCV4827L"}, {SchemeUSCC, "9132050669332578XY"}, {SchemeUSCC, "91650102MA775Q2K06"}}
	for _, c := range CrossCheck(ids) {
		for _, id := range ids {
			assert.NotContains(t, c.Detail, id.Value)
		}
	}
}

func TestCrossCheckAllocatesNothingWhenConsistent(t *testing.T) {
	ids := []Identifier{{SchemeRUINN, "5905128736"}, {SchemeOGRN, "1025901584323"}, {SchemeKPP, "590501001"}, {SchemeLEI, "2534004XKM7QR2V1T670"}}
	allocs := testing.AllocsPerRun(100, func() {
		if len(CrossCheck(ids)) != 0 {
			t.Fatal("unexpected conflict")
		}
	})
	assert.Zero(t, allocs)
}

// FuzzCrossCheck checks that any values, valid or not, give conflicts
// whose positions lie within the input.
func FuzzCrossCheck(f *testing.F) {
	f.Add(SchemeGSTIN, "24AAHCV4821L1Z4", SchemePAN, "AAHCV4827L")
	f.Add(SchemeOGRN, "1147773211585", SchemeRUINN, "7802413968")
	f.Add(SchemeBIN, "0", SchemeIIN, "")
	f.Fuzz(func(t *testing.T, s1, v1, s2, v2 string) {
		ids := []Identifier{{s1, v1}, {s2, v2}, {s1, v2}}
		for _, c := range CrossCheck(ids) {
			if c.Index < 0 || c.Index >= len(ids) || c.Other < 0 || c.Other >= len(ids) || c.Index == c.Other {
				t.Fatalf("conflict out of range: %+v", c)
			}
		}
	})
}
