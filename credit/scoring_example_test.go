package credit_test

import (
	"context"
	"fmt"
	"log"

	"github.com/creditsco/creditsco/credit"
)

// Score a record under the SCO baseline rule set.
func ExampleEngine_Score() {
	data := []byte(`{
	  "schema_version": "1.0", "record_id": "demo-1", "as_of": "2026-06-30",
	  "enterprise": {"country": "CN", "legal_name": "示例机械有限公司",
	    "identifiers": [{"scheme": "CN-USCC", "value": "91350100M000100Y43"}],
	    "registered_on": "2012-03-01", "status": "active"},
	  "financials": [{"period_end": "2025-12-31", "period_months": 12, "currency": "CNY", "audited": true,
	    "total_assets": "1000000", "total_liabilities": "400000", "equity": "600000",
	    "revenue": "1500000", "net_income": "90000", "current_assets": "550000",
	    "current_liabilities": "300000", "retained_earnings": "350000", "ebit": "130000",
	    "interest_expense": "20000", "operating_cash_flow": "120000"}]
	}`)
	v := credit.ParseRecord(data)
	if v.Record == nil {
		log.Fatal(v.Problems)
	}
	engine, err := credit.NewEngine(credit.DefaultRuleSet(), credit.EngineOptions{})
	if err != nil {
		log.Fatal(err)
	}
	p, err := engine.Score(context.Background(), v.Record)
	if err != nil {
		log.Fatal(err)
	}
	// Without payment history or a public-record check the coverage is too
	// low to certify; the reasons say what is missing.
	fmt.Println(p.RuleSet.ID, p.Score, p.PD, p.Grade, p.Certifiable)
	for _, r := range p.Reasons {
		fmt.Println(r.Code, r.Points)
	}
	// Output:
	// SCO-BASE 646 0.012081 BB false
	// FIN_REVENUE_GROWTH_UNKNOWN 28
	// PAY_NO_DATA 20
	// TRADE_NO_DATA 19
	// FIN_OCF_CL_BELOW_TOP 6
}
