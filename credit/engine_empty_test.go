package credit

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kzRecordJSON returns record kz-001 of testdata/records/kz.ndjson as a
// JSON object, for tests that change its lists.
func kzRecordJSON(t *testing.T) map[string]any {
	t.Helper()
	f, err := os.Open("../testdata/records/kz.ndjson")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	require.True(t, sc.Scan())
	var m map[string]any
	require.NoError(t, json.Unmarshal(sc.Bytes(), &m))
	require.Equal(t, "kz-001", m["record_id"])
	return m
}

// parseJSONRecord validates a record given as a JSON object, as a partner
// sends it, and fails the test when it is not valid.
func parseJSONRecord(t *testing.T, m map[string]any) *Record {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	v := ParseRecord(b)
	require.True(t, v.Valid(), "%v", v.Problems)
	return v.Record
}

// TestCleanPublicRecordCheck: a register check that found nothing
// ("public_records": []) is data, not its absence. It must not cover less,
// nor score lower, than the same record whose check found one old,
// resolved penalty; and both must cover more than a record that was not
// checked at all (no public_records).
func TestCleanPublicRecordCheck(t *testing.T) {
	e := baseEngine(t, EngineOptions{})
	score := func(m map[string]any) *Profile {
		p, err := e.Score(context.Background(), parseJSONRecord(t, m))
		require.NoError(t, err)
		return p
	}
	base := kzRecordJSON(t)
	delete(base, "payments")

	clean := kzRecordJSON(t)
	delete(clean, "payments")
	clean["public_records"] = []any{}

	penalty := kzRecordJSON(t)
	delete(penalty, "payments")
	penalty["public_records"] = []any{map[string]any{
		"type": "administrative_penalty", "date": "2022-03-01", "resolved_on": "2022-04-15",
		"amount": "150000.00", "currency": "KZT",
	}}

	pUnchecked, pClean, pPenalty := score(base), score(clean), score(penalty)
	cov := func(p *Profile) string { return p.Coverage }
	assert.Equal(t, cov(pPenalty), cov(pClean), "a clean check must cover as much as one with an old penalty")
	assert.Greater(t, cov(pClean), cov(pUnchecked), "a clean check must cover more than no check")
	assert.GreaterOrEqual(t, pClean.Score, pPenalty.Score)
	for _, cs := range pClean.Characteristics {
		if cs.Pillar == "public_record" {
			assert.Empty(t, cs.Missing, cs.ID)
			assert.Equal(t, cs.MaxPoints, cs.Points, "%s: a clean check takes the best bin", cs.ID)
		}
	}
	for _, cs := range pUnchecked.Characteristics {
		if cs.Pillar == "public_record" {
			assert.Equal(t, MissingNoPublicRecords, cs.Missing, cs.ID)
		}
	}
}

// TestEmptyPaymentsList: "payments": [] (looked at, no obligations) gives
// the payment counts and the overdue ratio (0, best bins), while the
// on-time share and maximum DPD stay missing, so it covers more than no
// payments at all and less than a payment history.
func TestEmptyPaymentsList(t *testing.T) {
	e := baseEngine(t, EngineOptions{})
	score := func(m map[string]any) *Profile {
		p, err := e.Score(context.Background(), parseJSONRecord(t, m))
		require.NoError(t, err)
		return p
	}
	full := kzRecordJSON(t)
	absent := kzRecordJSON(t)
	delete(absent, "payments")
	empty := kzRecordJSON(t)
	empty["payments"] = []any{}

	pFull, pAbsent, pEmpty := score(full), score(absent), score(empty)
	assert.Greater(t, pEmpty.Coverage, pAbsent.Coverage)
	assert.Less(t, pEmpty.Coverage, pFull.Coverage)
	want := map[string]string{
		"pay_on_time_share":   MissingNoPaymentsInWindow,
		"pay_max_dpd_12m":     MissingNoPaymentsInWindow,
		"pay_dpd90_count_24m": "",
		"pay_open_overdue":    "",
		"pay_written_off":     "",
	}
	seen := map[string]bool{}
	for _, cs := range pEmpty.Characteristics {
		if w, ok := want[cs.ID]; ok {
			assert.Equal(t, w, cs.Missing, cs.ID)
			seen[cs.ID] = true
		}
	}
	for id := range want {
		assert.True(t, seen[id], "characteristic %s is not in the profile", id)
	}
}
