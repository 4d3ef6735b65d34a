package credit

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/creditsco/creditsco/credit/internal/jsontree"
)

// The corpus of the differential tests: every record of testdata (the
// samples, the labelled training files, the invalid examples and the
// hostile validate cases) and records generated from the samples by
// random mutation, so that an optimised path is compared with the path it
// replaces over far more shapes than the golden files hold. The
// generator is seeded: a failure names its record and repeats.

// testdataRecords returns every record line of testdata that the
// differential tests read, with a name for messages.
func testdataRecords(t testing.TB) (names []string, records [][]byte) {
	t.Helper()
	root := filepath.Join("..", "testdata")
	var files []string
	for _, pattern := range []string{"records/*.ndjson", "train/*.ndjson.gz", "invalid/*.json", "hostile/validate/*", "golden/invalid/*.json"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if _, err := buf.ReadFrom(zr); err != nil {
				t.Fatal(err)
			}
			data = buf.Bytes()
		}
		rd := NewReader(bytes.NewReader(data))
		for raw, err := range rd.All() {
			if err != nil {
				t.Fatal(err)
			}
			if raw.Problem != nil {
				continue
			}
			names = append(names, fmt.Sprintf("%s#%d", filepath.Base(f), raw.Index))
			records = append(records, bytes.Clone(raw.Data))
		}
	}
	return names, records
}

// sampleTrees returns the sample records of testdata/records, decoded as
// the validator decodes them.
func sampleTrees(t testing.TB) []map[string]any {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "records", "*.ndjson"))
	if err != nil || len(files) == 0 {
		t.Fatal("no sample records", err)
	}
	var out []map[string]any
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, MaxRecordBytes)
		for sc.Scan() {
			tree, ps := decodeTree(sc.Bytes())
			if len(ps) > 0 {
				t.Fatal(f, ps)
			}
			out = append(out, tree.(map[string]any))
		}
		fh.Close()
	}
	return out
}

// corpusGen makes records from the samples by random mutation.
type corpusGen struct {
	rng     *rand.Rand
	samples []map[string]any
	// hostile lets mutations break the schema: wrong types, unknown and
	// missing members, values beyond every bound. Without it they keep
	// records mostly valid, with other amounts, dates, counts and
	// categories, for the paths that only valid records reach.
	hostile bool
}

func newCorpusGen(t testing.TB, seed uint64, hostile bool) *corpusGen {
	return &corpusGen{rng: rand.New(rand.NewPCG(seed, 0x11)), samples: sampleTrees(t), hostile: hostile}
}

// next returns one generated record as JSON text.
func (g *corpusGen) next() []byte {
	rec := deepCopy(g.samples[g.rng.IntN(len(g.samples))]).(map[string]any)
	for range 1 + g.rng.IntN(6) {
		if g.hostile && g.rng.IntN(3) == 0 {
			g.breakSchema(rec)
		} else {
			g.mutate(rec)
		}
	}
	var b bytes.Buffer
	g.write(&b, rec)
	return b.Bytes()
}

// deepCopy copies a decoded tree.
func deepCopy(v any) any { return jsontree.Copy(v) }

func (g *corpusGen) pick(vals ...string) string { return vals[g.rng.IntN(len(vals))] }

// amount returns a random plain decimal string of 1 to 15 integer digits
// and 0 to 6 fraction digits, sometimes with trailing zeros.
func (g *corpusGen) amount(negative bool) string {
	var b strings.Builder
	if negative && g.rng.IntN(3) == 0 {
		b.WriteByte('-')
	}
	n := 1 + g.rng.IntN(15)
	if g.rng.IntN(6) == 0 {
		n = 1 // small amounts and zero
	}
	for i := range n {
		d := g.rng.IntN(10)
		if i == 0 && n > 1 && d == 0 {
			d = 1
		}
		b.WriteByte(byte('0' + d))
	}
	if f := g.rng.IntN(7); f > 0 {
		b.WriteByte('.')
		for range f {
			b.WriteByte(byte('0' + g.rng.IntN(10)))
		}
	}
	return b.String()
}

// date returns a random date between 1990 and 2027, mostly real.
func (g *corpusGen) date() string {
	y, m := 1990+g.rng.IntN(38), 1+g.rng.IntN(12)
	d := 1 + g.rng.IntN(daysIn(time.Month(m), y))
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

var mayBeNegative = map[string]bool{"equity": true, "net_income": true, "retained_earnings": true, "ebit": true, "operating_cash_flow": true}

// mutate changes the record within the standard (mostly): the changes
// that move scores and indicators.
func (g *corpusGen) mutate(rec map[string]any) {
	ent, ok := rec["enterprise"].(map[string]any)
	if !ok { // broken by breakSchema
		ent = map[string]any{}
	}
	switch g.rng.IntN(12) {
	case 0: // amounts of one statement
		fs, _ := rec["financials"].([]any)
		if len(fs) == 0 {
			break
		}
		if st, ok := fs[g.rng.IntN(len(fs))].(map[string]any); ok {
			for k := range amountFields {
				if _, ok := st[k]; ok || g.rng.IntN(4) == 0 {
					if k != "amount" && k != "exports_12m" && k != "imports_12m" {
						st[k] = g.amount(mayBeNegative[k])
					}
				}
			}
			if g.rng.IntN(4) == 0 {
				delete(st, g.pick("current_assets", "current_liabilities", "retained_earnings", "ebit", "interest_expense", "operating_cash_flow", "cash"))
			}
			st["period_months"] = json.Number(strconv.Itoa(g.pick12()))
			st["audited"] = g.rng.IntN(2) == 0
			st["currency"] = g.pick("CNY", "RUB", "KZT", "USD", "EUR", "INR", "XYZ", "UZS")
		}
	case 1: // statements dropped or dated otherwise
		if fs, ok := rec["financials"].([]any); ok && len(fs) > 0 {
			i := g.rng.IntN(len(fs))
			if st, ok := fs[i].(map[string]any); ok && g.rng.IntN(2) == 0 {
				st["period_end"] = g.date()
			} else {
				rec["financials"] = slices.Delete(fs, i, i+1)
			}
		}
	case 2: // payments
		ps, _ := rec["payments"].([]any)
		switch g.rng.IntN(4) {
		case 0:
			delete(rec, "payments")
		case 1:
			rec["payments"] = []any{}
		default:
			for range 1 + g.rng.IntN(5) {
				p := map[string]any{"creditor_type": g.pick("bank", "supplier", "tax", "utility", "leasing", "other"),
					"amount": g.amount(false), "currency": g.pick("CNY", "USD", "EUR", "RUB", "KZT", "INR"), "due_date": g.date()}
				if g.rng.IntN(3) > 0 {
					p["paid_date"] = g.date()
				} else if g.rng.IntN(2) == 0 {
					p["written_off"] = true
				}
				if g.rng.IntN(2) == 0 {
					p["creditor_country"] = g.pick("CN", "DE", "KZ", "US")
				}
				ps = append(ps, p)
			}
			rec["payments"] = ps
		}
	case 3: // public records
		switch g.rng.IntN(3) {
		case 0:
			delete(rec, "public_records")
		case 1:
			rec["public_records"] = []any{}
		default:
			prs, _ := rec["public_records"].([]any)
			for range 1 + g.rng.IntN(4) {
				p := map[string]any{"type": g.pick("tax_arrears", "court_judgment", "enforcement", "administrative_penalty",
					"dishonest_debtor", "abnormal_operations", "sanction", "bankruptcy_filing"), "date": g.date()}
				if g.rng.IntN(2) == 0 {
					p["resolved_on"] = g.date()
				}
				if g.rng.IntN(2) == 0 {
					p["amount"] = g.amount(false)
					if g.rng.IntN(3) > 0 {
						p["currency"] = g.pick("CNY", "USD", "RUB")
					}
				}
				prs = append(prs, p)
			}
			rec["public_records"] = prs
		}
	case 4: // trade
		if g.rng.IntN(3) == 0 {
			delete(rec, "trade")
			break
		}
		tr := map[string]any{"customs_status": g.pick("aeo_advanced", "aeo_general", "general", "dishonest", "none")}
		if g.rng.IntN(2) == 0 {
			tr["exports_12m"], tr["imports_12m"], tr["currency"] = g.amount(false), g.amount(false), "USD"
		}
		if g.rng.IntN(2) == 0 {
			tr["partner_countries"] = []any{"DE", "KZ", "RU", "US", "CN"}[:g.rng.IntN(6)]
		}
		if g.rng.IntN(2) == 0 {
			tr["trading_since"] = g.date()
		}
		rec["trade"] = tr
	case 5:
		ent["status"] = g.pick("active", "reorganizing", "liquidating", "bankrupt", "dissolved")
	case 6:
		ent["registered_on"] = g.date()
	case 7:
		rec["as_of"] = g.date()
	case 8:
		if g.rng.IntN(2) == 0 {
			delete(ent, "employees")
		} else {
			ent["employees"] = json.Number(strconv.Itoa(g.rng.IntN(100000)))
		}
	case 9: // strings that need escapes, and non-ASCII names
		ent["legal_name"] = g.pick("Ｆｕｌｌｗｉｄｔｈ", "ООО \"Кавычки\"", "<b>&amp;</b>", "tab\there", "Ahmad و شرکا", "ﻣﻬﺮ\u200cﺍﻥ")
	case 10:
		delete(rec, g.pick("record_id", "financials", "outcome"))
	case 11:
		rec["outcome"] = map[string]any{"defaulted": g.rng.IntN(2) == 0}
	}
}

func (g *corpusGen) pick12() int {
	if g.rng.IntN(3) > 0 {
		return 12
	}
	return 1 + g.rng.IntN(12)
}

// hostileValues are values that test the keywords of the record schema
// at their bounds: types, lengths, patterns, formats, ranges, integers.
var hostileValues = []any{
	nil, true, false, "", "x", "1.0", "ISIC4", "active", "CN", "cn", "CNY", "USD1", "A", "V", "99", "12345",
	"2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01", "9999-12-31", "2024-1-01", "２０２４-01-01", "2024-01-01T00:00:00Z",
	"0", "-0", "1.", ".5", "1e5", "-1.5", "123456789012345678", "1234567890123456789", "1.1234567", "1.123456", "+1", "1 000",
	"CN-USCC", "LEI", "ABC-", "-ABC", "A--B", "AB-C1-D2",
	strings.Repeat("a", 128), strings.Repeat("a", 129), strings.Repeat("я", 512), strings.Repeat("я", 513), strings.Repeat("x", 33),
	json.Number("0"), json.Number("-0"), json.Number("1"), json.Number("12"), json.Number("13"), json.Number("1.0"), json.Number("1e1"),
	json.Number("1.5"), json.Number("-1"), json.Number("10000000"), json.Number("10000001"), json.Number("1e7"), json.Number("1E+7"),
	json.Number("0.0"), json.Number("1.2e1"), json.Number("120e-1"), json.Number("99999999999999999999"),
	map[string]any{}, map[string]any{"scheme": "ISIC4", "code": "C"}, []any{}, []any{"DE", "DE"}, []any{"DE", "KZ"},
	[]any{json.Number("1"), json.Number("1.0")}, []any{map[string]any{"a": json.Number("1")}, map[string]any{"a": json.Number("1.0")}},
}

// breakSchema changes one node of the record to anything at all.
func (g *corpusGen) breakSchema(rec map[string]any) {
	slots := jsontree.Slots(rec)
	s := slots[g.rng.IntN(len(slots))]
	val := jsontree.Copy(hostileValues[g.rng.IntN(len(hostileValues))])
	switch {
	case s.InObject() && g.rng.IntN(5) == 0:
		s.Delete()
	case s.InObject() && g.rng.IntN(5) == 0:
		s.Add(g.pick("extra", "Record_ID", "scheme", "value", "amount", "type", "date", "code"), val)
	case s.InObject():
		s.Set(val)
	case g.rng.IntN(4) == 0:
		s.Set(jsontree.Copy(s.Neighbour())) // duplicates, for uniqueItems
	default:
		s.Set(val)
	}
}

// write writes v as JSON with its keys in random order and, now and
// then, a character of a string as a \u escape, so that both paths of
// the validator (raw text and escapes) are compared.
func (g *corpusGen) write(b *bytes.Buffer, v any) {
	switch t := v.(type) {
	case map[string]any:
		keys := slices.Sorted(maps.Keys(t))
		g.rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			g.writeString(b, k)
			b.WriteByte(':')
			g.write(b, t[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			g.write(b, x)
		}
		b.WriteByte(']')
	case string:
		g.writeString(b, t)
	case json.Number:
		b.WriteString(string(t))
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case nil:
		b.WriteString("null")
	default:
		panic(fmt.Sprintf("corpus: %T", v))
	}
}

func (g *corpusGen) writeString(b *bytes.Buffer, s string) {
	if g.rng.IntN(40) != 0 {
		enc, _ := json.Marshal(s)
		b.Write(enc)
		return
	}
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r < 0x20 || g.rng.IntN(4) == 0:
			if r > 0xFFFF {
				r1, r2 := utf16.EncodeRune(r)
				fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
			} else {
				fmt.Fprintf(b, `\u%04x`, r)
			}
		default:
			var buf [utf8.UTFMax]byte
			b.Write(buf[:utf8.EncodeRune(buf[:], r)])
		}
	}
	b.WriteByte('"')
}
