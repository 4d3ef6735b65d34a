package credit_test

import (
	"encoding/json"
	"fmt"
	"log"
	"strings"

	"github.com/creditsco/creditsco/credit"
	"github.com/shopspring/decimal"
)

// A rule set of your own, written as data: it extends SCO-BASE and
// overrides only what differs (a longer grace period, a tax-arrears cap).
// Registering it resolves "extends"; pinning it makes it the one that
// scores KZ records in this registry alone. The full file is
// testdata/rulesets/kz-example.json.
func ExampleLoadRuleSet() {
	const file = `{
  "id": "KZ-EXAMPLE", "version": "0.1.0", "country": "KZ", "extends": "SCO-BASE",
  "effective_from": "2026-01-01",
  "description": "SCO-BASE with a longer grace period and a tax-arrears cap.",
  "sources": [{"id": "kz-example", "title": "Illustration only"}],
  "parameters": {"payment_grace_days": {"value": 10, "source": "[kz-example]"}},
  "caps": [{"id": "tax_arrears", "when": [{"indicator": "pub.tax_arrears_open", "op": "ge", "value": 1}],
            "max_grade": "BB", "reason": "CAP_TAX_ARREARS", "source": "[kz-example]"}],
  "reasons": {"CAP_TAX_ARREARS": {"en": "Open tax arrears limit the grade",
              "zh": "未结清的欠税限制了信用等级", "ru": "Непогашенная налоговая задолженность ограничивает рейтинг"}}
}`
	rs, err := credit.LoadRuleSet(strings.NewReader(file)) // schema and semantic checks
	if err != nil {
		log.Fatal(err) // credit.Problems, with JSON Pointer paths into the file
	}
	reg := credit.BuiltinRuleSets()
	if err := reg.Register(rs); err != nil { // resolves "extends" against SCO-BASE
		log.Fatal(err)
	}
	if err := reg.SetDefault("KZ", "KZ-EXAMPLE"); err != nil {
		log.Fatal(err)
	}
	kz, err := reg.Select("KZ", credit.MustParseDate("2026-09-30"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(kz.ID, kz.Version, "extends", kz.Extends)
	fmt.Println("grace days:", kz.Parameters["payment_grace_days"].Value)
	// Output:
	// KZ-EXAMPLE 0.1.0 extends SCO-BASE
	// grace days: 10
}

// A rule set written as Go code goes through the same checks as a file
// and gets the same kind of digest; JSON gives the file to publish, which
// LoadRuleSet reads back to the same digest.
func ExampleNewRuleSet() {
	def := credit.RuleSet{
		ID: "KZ-STRICT", Version: "0.1.0", Country: "KZ", Extends: credit.SCOBaseID,
		Description: "SCO-BASE with no payment grace days.",
		Sources:     []credit.Source{{ID: "policy", Title: "Credit policy 2026"}},
		Parameters:  map[string]credit.SourcedValue{"payment_grace_days": {Value: decimal.Zero, Source: "[policy]"}},
		Caps: []credit.Cap{{ID: "late_payer", MaxGrade: "CCC", Reason: "CAP_LATE_PAYER", Source: "[policy]",
			When: []credit.Condition{{Indicator: "pay.max_dpd_12m", Op: "ge", Value: json.RawMessage("15")}}}},
		Reasons: map[string]credit.ReasonText{"CAP_LATE_PAYER": {
			EN: "Late payments limit the grade", ZH: "逾期付款限制了信用等级", RU: "Просрочки платежей ограничивают рейтинг"}},
	}
	rs, err := credit.NewRuleSet(def) // credit.Problems on failure, as for a file
	if err != nil {
		log.Fatal(err)
	}
	published, err := def.JSON() // the JSON file to publish
	if err != nil {
		log.Fatal(err)
	}
	again, err := credit.LoadRuleSet(strings.NewReader(string(published)))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rs.ID, again.Digest() == rs.Digest())
	reg := credit.BuiltinRuleSets()
	fmt.Println(reg.Register(rs)) // resolves "extends", as for a file
	// Output:
	// KZ-STRICT true
	// <nil>
}
