package credit

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// characteristicReason scores rec and returns the reason code of the
// characteristic id ("" when it lost no points).
func characteristicReason(t *testing.T, e *Engine, rec *Record, id string) string {
	t.Helper()
	p, err := e.Score(context.Background(), rec)
	require.NoError(t, err)
	for _, cs := range p.Characteristics {
		if cs.ID == id {
			return cs.Reason
		}
	}
	t.Fatalf("no characteristic %s", id)
	return ""
}

// TestReorganizingReason: reorganizing means restructuring under
// insolvency law, and the enterprise still operates; its reason must say
// so in every language, and the statuses that end the business keep their
// own reason.
func TestReorganizingReason(t *testing.T) {
	rs := DefaultRuleSet()
	e := baseEngine(t, EngineOptions{})
	rec := baseRecord()
	rec.Enterprise.Status = StatusReorganizing
	code := characteristicReason(t, e, rec, "ops_status")
	require.Equal(t, "OPS_INSOLVENCY_RESTRUCTURING", code)
	txt := rs.Reasons[code]
	assert.Contains(t, txt.EN, "insolvency")
	assert.Contains(t, txt.ZH, "破产重整")
	assert.Contains(t, txt.RU, "несостоятельности (банкротстве)")
	for _, s := range []Status{StatusLiquidating, StatusBankrupt, StatusDissolved} {
		rec.Enterprise.Status = s
		code := characteristicReason(t, e, rec, "ops_status")
		assert.Equal(t, "OPS_STATUS", code, s)
		// A merger or conversion is "active", so no text may call
		// restructuring a status other than active.
		assert.NotContains(t, rs.Reasons[code].RU, "реорганизац", s)
		assert.NotContains(t, rs.Reasons[code].ZH, "重整", s)
	}
}

// TestCustomsReasonsCountryNeutral: the AEO reasons are shown for every
// country, so they must not name one country's customs tiers.
func TestCustomsReasonsCountryNeutral(t *testing.T) {
	rs := DefaultRuleSet()
	for _, code := range []string{"TRADE_AEO_GENERAL", "TRADE_NOT_AEO"} {
		txt := rs.Reasons[code]
		assert.NotContains(t, txt.ZH, "认证企业", code) // China's tier names (高级认证企业, 认证企业)
		assert.NotContains(t, txt.RU, "сертифицированн", code)
		assert.NotContains(t, txt.EN, "certified (non-advanced)", code)
	}
	e := baseEngine(t, EngineOptions{})
	rec := baseRecord()
	rec.Enterprise.Country = "RU"
	rec.Trade = &Trade{CustomsStatus: CustomsAEOGeneral}
	assert.Equal(t, "TRADE_AEO_GENERAL", characteristicReason(t, e, rec, "trade_customs"))
	rec.Trade.CustomsStatus = CustomsGeneral
	assert.Equal(t, "TRADE_NOT_AEO", characteristicReason(t, e, rec, "trade_customs"))
}

// TestMissingReasonTextsCoverEveryCause: a missing bin gives one reason
// whatever made the indicator missing, so its text must name every cause.
func TestMissingReasonTextsCoverEveryCause(t *testing.T) {
	rs := DefaultRuleSet()
	e := baseEngine(t, EngineOptions{})

	// fin.size_usd: no statement, or no exchange rate.
	noStatement := baseRecord()
	noStatement.Financials = nil
	assert.Equal(t, "FIN_SIZE_UNKNOWN", characteristicReason(t, e, noStatement, "fin_size_usd"))
	assert.Equal(t, "FIN_SIZE_UNKNOWN", characteristicReason(t, e, baseRecord(), "fin_size_usd"))
	size := rs.Reasons["FIN_SIZE_UNKNOWN"]
	assert.Contains(t, size.EN, "no financial statement")
	assert.Contains(t, size.EN, "no exchange rate")
	assert.Contains(t, size.ZH, "无财务报表")
	assert.Contains(t, size.ZH, "汇率")
	assert.Contains(t, size.RU, "нет финансовой отчётности")
	assert.Contains(t, size.RU, "обменного курса")

	// The ratios of FIN_DATA_INCOMPLETE: also without any statement.
	// (fin_ocf_to_liabilities and fin_loss_years_3y have 0 points in every
	// bin since SCO-BASE 2.1.0, so they never report a reason.)
	for _, id := range []string{"fin_current_ratio", "fin_interest_coverage", "fin_retained_earnings", "fin_liabilities_to_assets", "fin_ocf_to_current_liabilities"} {
		assert.Equal(t, "FIN_DATA_INCOMPLETE", characteristicReason(t, e, noStatement, id), id)
	}
	inc := rs.Reasons["FIN_DATA_INCOMPLETE"]
	assert.NotContains(t, inc.EN, "from the statements")
	assert.Contains(t, inc.EN, "no suitable financial statement")

	// pay.on_time_share counts unpaid and written-off obligations as not on
	// time, not only late payments.
	rec := baseRecord()
	rec.Payments = []Payment{
		{CreditorType: CreditorSupplier, Amount: dec("97"), Currency: "CNY", DueDate: MustParseDate("2026-03-01"), PaidDate: datep("2026-03-01")},
		{CreditorType: CreditorSupplier, Amount: dec("3"), Currency: "CNY", DueDate: MustParseDate("2026-03-01")},
	}
	assert.Equal(t, "PAY_ON_TIME_BELOW_TOP", characteristicReason(t, e, rec, "pay_on_time_share"))
	on := rs.Reasons["PAY_ON_TIME_BELOW_TOP"]
	assert.Contains(t, on.EN, "unpaid")
	assert.Contains(t, on.EN, "written off")
	assert.Contains(t, on.ZH, "未支付")
	assert.Contains(t, on.RU, "не оплачена")
}
