package credit

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIndicatorsAbsentVersusEmpty checks that an absent list (nil: not
// sent, not checked) and an empty one ([]: checked, nothing found) give
// different indicators: public records and payment counts are missing
// for nil and 0 (the best bins) for [], while a share or maximum over no
// payments stays missing.
func TestIndicatorsAbsentVersusEmpty(t *testing.T) {
	pubIDs := []string{
		"pub.tax_arrears_open", "pub.judgments_36m", "pub.enforcement_open", "pub.penalties_24m",
		"pub.dishonest_debtor_open", "pub.abnormal_operations_open", "pub.bankruptcy_filing_open",
	}
	value := func(t *testing.T, id string, rec *Record) IndicatorValue {
		t.Helper()
		v, _, ok := ComputeIndicator(id, rec, nil, nil)
		require.True(t, ok, id)
		return v
	}
	t.Run("public records absent", func(t *testing.T) {
		rec := baseRecord()
		for _, id := range append(pubIDs, "pub.sanction") {
			assert.Equal(t, MissingNoPublicRecords, value(t, id, rec).Missing, id)
		}
	})
	t.Run("public records checked, none", func(t *testing.T) {
		rec := baseRecord()
		rec.PublicRecords = []PublicRecord{}
		for _, id := range pubIDs {
			v := value(t, id, rec)
			require.False(t, v.IsMissing(), "%s: %s", id, v.Missing)
			assert.True(t, v.Num.IsZero(), "%s = %s", id, v.Num)
		}
		assert.Equal(t, IndicatorValue{Cat: "none"}, value(t, "pub.sanction", rec))
	})

	payIDs := []string{
		"pay.on_time_share", "pay.max_dpd_12m", "pay.max_dpd_24m", "pay.dpd90_count_24m",
		"pay.open_overdue_to_revenue", "pay.written_off_count_36m",
	}
	t.Run("payments absent", func(t *testing.T) {
		rec := baseRecord()
		for _, id := range payIDs {
			assert.Equal(t, MissingNoPayments, value(t, id, rec).Missing, id)
		}
	})
	t.Run("payments looked at, none", func(t *testing.T) {
		rec := baseRecord()
		rec.Payments = []Payment{}
		for _, id := range []string{"pay.on_time_share", "pay.max_dpd_12m", "pay.max_dpd_24m"} {
			assert.Equal(t, MissingNoPaymentsInWindow, value(t, id, rec).Missing, id)
		}
		for _, id := range []string{"pay.dpd90_count_24m", "pay.open_overdue_to_revenue", "pay.written_off_count_36m"} {
			v := value(t, id, rec)
			require.False(t, v.IsMissing(), "%s: %s", id, v.Missing)
			assert.True(t, v.Num.IsZero(), "%s = %s", id, v.Num)
		}
		// Nothing overdue, but no statement to measure it against.
		rec.Financials = nil
		assert.Equal(t, MissingNoStatement, value(t, "pay.open_overdue_to_revenue", rec).Missing)
	})
	t.Run("empty lists behave like lists with only old entries", func(t *testing.T) {
		old := baseRecord()
		old.Payments = []Payment{{CreditorType: CreditorBank, Amount: decimal.NewFromInt(1), Currency: "CNY",
			DueDate: MustParseDate("2020-01-10"), PaidDate: datep("2020-01-10")}}
		old.PublicRecords = []PublicRecord{{Type: PublicAdministrativePenalty, Date: MustParseDate("2020-01-10"), ResolvedOn: datep("2020-02-10")}}
		empty := baseRecord()
		empty.Payments, empty.PublicRecords = []Payment{}, []PublicRecord{}
		for _, id := range append(append(pubIDs, "pub.sanction"), payIDs...) {
			assert.Equal(t, value(t, id, old), value(t, id, empty), id)
		}
	})
}
