package credit_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/creditsco/creditsco/credit"
)

// Example validates a bundled sample record and scores it under the SCO
// baseline rule set.
func Example() {
	f, err := os.Open("../testdata/records/kz.ndjson")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	raw, err := credit.NewReader(f).Next()
	if err != nil {
		fmt.Println(err)
		return
	}
	res := credit.ParseRecord(raw.Data)
	if !res.Valid() {
		fmt.Println(res.Problems)
		return
	}
	eng, err := credit.NewEngine(credit.DefaultRuleSet(), credit.EngineOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := eng.Score(context.Background(), res.Record)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.RecordID, p.Country, p.Grade, p.Score, p.PD, p.Certifiable)
	for _, r := range p.Reasons {
		fmt.Println(r.Code)
	}
	// Output:
	// kz-001 KZ BBB 701 0.001777 true
	// FIN_OCF_CL_BELOW_TOP
	// TRADE_AEO_GENERAL
	// FIN_SIZE_UNKNOWN
	// PAY_DPD_MINOR
}

// ExampleParseRecord checks a record that a partner sent with a statement
// dated after the assessment date and a balance sheet that does not
// balance. Every problem is reported with its JSON Pointer path, its code
// and its severity; the error rejects the record, the warning alone would
// not.
func ExampleParseRecord() {
	data := []byte(`{
	  "schema_version": "1.0",
	  "record_id": "kz-demo",
	  "as_of": "2026-09-30",
	  "enterprise": {
	    "country": "KZ",
	    "legal_name": "«Дала Астық Экспорт» АҚ",
	    "identifiers": [{"scheme": "KZ-BIN", "value": "080540038178"}],
	    "registered_on": "2008-05-20",
	    "status": "active"
	  },
	  "financials": [{
	    "period_end": "2026-12-31", "period_months": 12, "currency": "KZT", "audited": true,
	    "total_assets": "9800000000", "total_liabilities": "4100000000", "equity": "5600000000",
	    "revenue": "12500000000", "net_income": "830000000"
	  }]
	}`)
	res := credit.ParseRecord(data)
	fmt.Println("valid:", res.Valid())
	for _, p := range res.Problems {
		fmt.Printf("%s %s %s: %s\n", p.Severity, p.Code, p.Path, p.Message)
	}
	// Output:
	// valid: false
	// error DATE_AFTER_AS_OF /financials/0/period_end: 2026-12-31 is after the assessment date as_of 2026-09-30
	// warning BALANCE_SHEET_MISMATCH /financials/0/total_assets: total assets 9800000000 differ from liabilities plus equity 9700000000 by 100000000, more than 1% of total assets
}

// ExampleReader checks NDJSON as a partner sends it: one record per line,
// with a broken line in the middle that does not hide the line after it.
func ExampleReader() {
	input := strings.NewReader(`{"schema_version":"1.0","record_id":"a","as_of":"2026-09-30"}
{"schema_version":"1.0","record_id":"b",
{"schema_version":"1.0","record_id":"c","as_of":"2026-09-31"}
`)
	for raw, err := range credit.NewReader(input).All() {
		if err != nil {
			fmt.Println("read error:", err)
			return
		}
		res := credit.ParseRecord(raw.Data)
		for _, p := range res.Problems {
			fmt.Printf("record %d (%s): %s\n", raw.Index, res.RecordID, strings.TrimSpace(p.Code+" "+p.Path))
		}
	}
	// Output:
	// record 1 (a): REQUIRED /enterprise
	// record 2 (): MALFORMED_JSON
	// record 3 (c): INVALID_DATE /as_of
	// record 3 (c): REQUIRED /enterprise
}
