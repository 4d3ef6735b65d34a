package credit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// genNDJSON returns n records as NDJSON, every seventh one invalid.
func genNDJSON(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	for i := range n {
		rec := baseRecord()
		rec.RecordID = fmt.Sprintf("gen-%05d", i+1)
		rec.Enterprise.Identifiers = []Identifier{{Scheme: "CN-USCC", Value: "91350100M000100Y43"}}
		rec.Financials[0].RetainedEarnings = nd(fmt.Sprintf("%d", 10*(i%40)))
		rec.Financials[0].Cash = nd("50")
		if i%7 == 3 {
			buf.WriteString(`{"schema_version":"1.0","record_id":"bad-` + fmt.Sprint(i+1) + `"}` + "\n")
			continue
		}
		b, err := json.Marshal(rec)
		require.NoError(t, err)
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func TestScoreStreamOrderAndInvalid(t *testing.T) {
	e := baseEngine(t, EngineOptions{Workers: 4})
	data := genNDJSON(t, 200)
	var got []StreamResult
	err := e.ScoreStream(context.Background(), bytes.NewReader(data), func(r StreamResult) error {
		got = append(got, r)
		return nil
	})
	require.NoError(t, err)
	require.Len(t, got, 200)
	for i, r := range got {
		require.Equal(t, i+1, r.Index)
		if i%7 == 3 {
			assert.False(t, r.Valid())
			assert.Equal(t, fmt.Sprintf("bad-%d", i+1), r.RecordID)
			assert.True(t, r.Problems.HasErrors())
			continue
		}
		require.True(t, r.Valid(), "%d: %v", i+1, r.Problems)
		assert.Equal(t, fmt.Sprintf("gen-%05d", i+1), r.Profile.RecordID)
		// Same as scoring the record directly.
		one, err := e.ScoreJSON(context.Background(), bytes.Split(data, []byte("\n"))[i])
		require.NoError(t, err)
		a, _ := json.Marshal(one.Profile)
		b, _ := json.Marshal(r.Profile)
		assert.Equal(t, string(a), string(b))
	}
}

func TestScoreStreamStops(t *testing.T) {
	e := baseEngine(t, EngineOptions{Workers: 3})
	data := genNDJSON(t, 300)

	stop := errors.New("stop")
	n := 0
	err := e.ScoreStream(context.Background(), bytes.NewReader(data), func(StreamResult) error {
		n++
		if n == 10 {
			return stop
		}
		return nil
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 10, n)

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = e.ScoreStream(ctx, bytes.NewReader(data), func(StreamResult) error {
		n++
		if n == 5 {
			cancel()
		}
		return nil
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, n, 300)

	// An I/O error after some records: those records are emitted first.
	r := iotest.TimeoutReader(bytes.NewReader(data)) // second read fails
	n = 0
	err = e.ScoreStream(context.Background(), r, func(StreamResult) error { n++; return nil })
	assert.Error(t, err)

	// Malformed lines become results.
	var res []StreamResult
	err = e.ScoreStream(context.Background(), strings.NewReader("{\"a\":\n{}\n"), func(r StreamResult) error {
		res = append(res, r)
		return nil
	})
	require.NoError(t, err)
	for _, r := range res {
		assert.False(t, r.Valid())
		assert.NotEmpty(t, r.Problems)
	}
}

func TestValidateStreamOrderAndEquality(t *testing.T) {
	v, err := NewValidator(ValidatorOptions{Workers: 4})
	require.NoError(t, err)
	data := genNDJSON(t, 200)
	// A line too large for the Reader and a broken array are results too.
	data = append(data, []byte("[{\"a\":1},\n"+strings.Repeat(" ", MaxRecordBytes+1)+"x\n{}\n")...)
	var want []Validation
	rd := NewReader(bytes.NewReader(data))
	for raw, err := range rd.All() {
		require.NoError(t, err)
		want = append(want, v.ValidateRaw(raw))
	}
	var got []Validation
	err = v.ValidateStream(context.Background(), bytes.NewReader(data), func(i int, res Validation) error {
		require.Equal(t, len(got)+1, i)
		got = append(got, res)
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, want, got)
	require.Greater(t, len(got), 200)
}

func TestValidateStreamStops(t *testing.T) {
	v, err := NewValidator(ValidatorOptions{Workers: 3})
	require.NoError(t, err)
	data := genNDJSON(t, 300)
	stop := errors.New("stop")
	n := 0
	err = v.ValidateStream(context.Background(), bytes.NewReader(data), func(int, Validation) error {
		n++
		if n == 10 {
			return stop
		}
		return nil
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 10, n)

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = v.ValidateStream(ctx, bytes.NewReader(data), func(int, Validation) error {
		if n++; n == 5 {
			cancel()
		}
		return nil
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, n, 300)

	n = 0
	err = v.ValidateStream(context.Background(), iotest.TimeoutReader(bytes.NewReader(data)), func(int, Validation) error { n++; return nil })
	assert.Error(t, err)

	var zero *Validator
	n = 0
	require.NoError(t, zero.ValidateStream(context.Background(), strings.NewReader("{}\n{}"), func(int, Validation) error { n++; return nil }))
	assert.Equal(t, 2, n)
	var nilCtx context.Context
	for _, call := range []func() error{
		func() error {
			return v.ValidateStream(nilCtx, strings.NewReader("{}"), func(int, Validation) error { return nil })
		},
		func() error {
			return v.ValidateStream(context.Background(), nil, func(int, Validation) error { return nil })
		},
		func() error { return v.ValidateStream(context.Background(), strings.NewReader("{}"), nil) },
	} {
		assert.ErrorIs(t, call(), ErrNilArgument)
	}
}

func TestProcessStream(t *testing.T) {
	data := []byte("{\"a\":1}\n[1,2]\n\"x\"\n" + strings.Repeat("{}\n", 500))
	var got []int
	err := ProcessStream(context.Background(), bytes.NewReader(data), 3, func(raw RawRecord) int {
		return raw.Index * len(raw.Data)
	}, func(n int) error {
		got = append(got, n)
		return nil
	})
	require.NoError(t, err)
	require.Len(t, got, 504)
	assert.Equal(t, []int{7, 2 * 1, 3 * 1, 4 * 3}, got[:4]) // the array's elements are records
	assert.Equal(t, 504*2, got[503])
	assert.ErrorIs(t, ProcessStream[int](context.Background(), bytes.NewReader(data), 0, nil, func(int) error { return nil }), ErrNilArgument)
}

// TestStreamsAnswerEachRecord feeds a stream through a pipe one record at
// a time, as a peer that sends a record and waits for its result does:
// each result must come before the next record is sent. And when emit
// fails while the reader waits for input that does not come, the stream
// returns at once; only its reading goroutine waits for the input.
func TestStreamsAnswerEachRecord(t *testing.T) {
	e := baseEngine(t, EngineOptions{Workers: 2})
	lines := bytes.SplitAfter(genNDJSON(t, 3), []byte("\n"))[:3]
	pr, pw := io.Pipe()
	defer pw.Close()
	results := make(chan StreamResult)
	done := make(chan error, 1)
	go func() {
		done <- e.ScoreStream(context.Background(), pr, func(r StreamResult) error {
			results <- r
			if r.Index == len(lines) {
				return errStopTest
			}
			return nil
		})
	}()
	for i, line := range lines {
		_, err := pw.Write(line)
		require.NoError(t, err)
		select {
		case r := <-results:
			require.Equal(t, i+1, r.Index)
			require.True(t, r.Valid(), "%v", r.Problems)
		case <-time.After(10 * time.Second):
			t.Fatalf("no result for record %d while the input stays open", i+1)
		}
	}
	// The pipe stays open: the reader may be waiting in Read.
	select {
	case err := <-done:
		require.ErrorIs(t, err, errStopTest)
	case <-time.After(10 * time.Second):
		t.Fatal("ScoreStream did not return after emit failed")
	}
}

var errStopTest = errors.New("stop")
