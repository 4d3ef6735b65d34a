package credit_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/creditsco/creditsco/credit"
)

// Choose the rule set that scores a record of a country as of a date, and
// replace a country's default in one's own registry.
func ExampleRuleSetRegistry_Select() {
	reg := credit.BuiltinRuleSets() // a fresh registry: changing it affects no one else
	asOf := credit.MustParseDate("2026-09-30")
	for _, cc := range []string{"CN", "KZ", "TR"} {
		rs, err := reg.Select(cc, asOf)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(cc, rs.ID)
	}
	if err := reg.SetDefault("KZ", credit.SCOBaseID); err != nil {
		log.Fatal(err)
	}
	rs, _ := reg.Select("KZ", asOf)
	fmt.Println("KZ pinned:", rs.ID)
	// Output:
	// CN SCO-CN
	// KZ SCO-KZ
	// TR SCO-BASE
	// KZ pinned: SCO-BASE
}

// Score a batch of several countries in one call, each record with its own
// country's rule set, in input order.
func ExampleScorer_ScoreStream() {
	batch := `{"schema_version":"1.0","record_id":"kz-1","as_of":"2026-06-30","enterprise":{"country":"KZ","legal_name":"«Дала» ЖШС","identifiers":[{"scheme":"KZ-BIN","value":"080540038178"}],"registered_on":"2008-05-20","status":"active"}}
{"schema_version":"1.0","record_id":"cn-1","as_of":"2026-06-30","enterprise":{"country":"CN","legal_name":"示例机械有限公司","identifiers":[{"scheme":"CN-USCC","value":"91350100M000100Y43"}],"registered_on":"2012-03-01","status":"active"}}
`
	s, err := credit.NewScorer(credit.BuiltinRuleSets(), credit.EngineOptions{})
	if err != nil {
		log.Fatal(err)
	}
	err = s.ScoreStream(context.Background(), strings.NewReader(batch), func(r credit.StreamResult) error {
		fmt.Println(r.Index, r.RecordID, r.Profile.RuleSet.ID)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// 1 kz-1 SCO-KZ
	// 2 cn-1 SCO-CN
}

// Show what a master grade means in each country: its PD band, its local
// label and the identifier certificates name.
func ExampleRuleSetRegistry_Recognition() {
	t, err := credit.BuiltinRuleSets().Recognition([]string{"CN", "KZ"}, credit.MustParseDate("2026-09-30"))
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range t.Countries {
		aa := c.Grades[1]
		fmt.Printf("%s %s: %s %s..%s label %q, certificates name %v\n", c.Country, c.RuleSet.ID, aa.Grade, aa.PDLower, aa.PDUpper, aa.LocalLabel, c.PrimaryIdentifiers)
	}
	// Output:
	// CN SCO-CN: AA 0.000141..0.000316 label "", certificates name [CN-USCC]
	// KZ SCO-KZ: AA 0.000141..0.000316 label "kzAAA", certificates name [KZ-BIN KZ-IIN]
}
