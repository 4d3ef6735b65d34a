package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/creditsco/creditsco/credit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The generated file must hold n valid records with n distinct ids, or
// the measurements would not be of the work users do.
func TestGenerateDistinctValidRecords(t *testing.T) {
	samples, err := loadSamples("../../testdata/records")
	require.NoError(t, err)
	require.NotEmpty(t, samples)
	n := 2*len(samples) + 3
	path := filepath.Join(t.TempDir(), "records.ndjson")
	size, err := generate(path, samples, n)
	require.NoError(t, err)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.EqualValues(t, len(data), size)

	ids := map[string]bool{}
	rd := credit.NewReader(bytes.NewReader(data))
	for raw, err := range rd.All() {
		require.NoError(t, err)
		res := credit.ParseRecord(raw.Data)
		require.True(t, res.Valid(), "record %d: %v", raw.Index, res.Problems)
		assert.False(t, ids[res.Record.RecordID], "duplicate id %s", res.Record.RecordID)
		ids[res.Record.RecordID] = true
	}
	assert.Len(t, ids, n)
}

func TestDecodeEncodeFloor(t *testing.T) {
	samples, err := loadSamples("../../testdata/records")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "records.ndjson")
	_, err = generate(path, samples, len(samples))
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, decodeEncode(path, &out))
	assert.Equal(t, len(samples), bytes.Count(out.Bytes(), []byte{'\n'}))
}

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("10, 1000")
	require.NoError(t, err)
	assert.Equal(t, []int{10, 1000}, got)
	for _, bad := range []string{"", "0", "-5", "x", "100000001"} {
		_, err := parseSizes(bad)
		assert.Error(t, err, bad)
	}
}
