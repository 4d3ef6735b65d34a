package service

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"time"
)

// Results are held back until streamBuffer bytes of them are ready or
// flushEvery has passed since the first, so that a request that fails
// early, as most that fail do, still gets a problem response with its
// status; and once results flow, they are flushed at least every
// flushEvery, when they are slow to come (certificates at one register
// commit each).
const (
	streamBuffer = 32 << 10
	flushEvery   = 200 * time.Millisecond
)

// A streamWriter writes the results of a streamed endpoint as NDJSON or
// as a JSON array. The status line and headers go out with the first
// results (see streamBuffer), so that an error before them is still a
// problem response; an error after them becomes the last item
// (StreamError).
type streamWriter struct {
	w       http.ResponseWriter
	ndjson  bool
	pending bytes.Buffer // results before the response began
	first   time.Time    // when the first pending result came
	bw      *bufio.Writer
	started bool
	items   int
	flushed time.Time
	err     error // the first write error: the client is gone
}

func newStreamWriter(w http.ResponseWriter, mediaType string) *streamWriter {
	return &streamWriter{w: w, ndjson: mediaType == NDJSONType}
}

// out is where results go: the pending buffer, then the response.
func (s *streamWriter) out() io.Writer {
	if s.started {
		return s.bw
	}
	return &s.pending
}

// start sends the status line, the headers and the pending results.
func (s *streamWriter) start() {
	s.started = true
	h := s.w.Header()
	if s.ndjson {
		h.Set("Content-Type", NDJSONType)
	} else {
		h.Set("Content-Type", JSONType)
	}
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	s.w.WriteHeader(http.StatusOK)
	s.bw = bufio.NewWriterSize(s.w, streamBuffer)
	s.flushed = time.Now()
	if !s.ndjson {
		s.bw.WriteString("[")
	}
	s.bw.Write(s.pending.Bytes())
	s.pending = bytes.Buffer{}
}

// item writes one result. Its error is the client's going away.
func (s *streamWriter) item(v any) error {
	if s.err != nil {
		return s.err
	}
	b, err := marshal(v)
	if err != nil {
		return err
	}
	if s.items == 0 {
		s.first = time.Now()
	}
	out := s.out()
	if !s.ndjson {
		if s.items > 0 {
			io.WriteString(out, ",")
		}
		io.WriteString(out, "\n")
		b = b[:len(b)-1] // the array's separator ends the line
	}
	s.items++
	if _, err := out.Write(b); err != nil {
		s.err = err
		return err
	}
	switch {
	case !s.started && (s.pending.Len() >= streamBuffer || time.Since(s.first) >= flushEvery):
		s.start()
		s.flush()
	case s.started && time.Since(s.flushed) >= flushEvery:
		s.flush()
	}
	return s.err
}

func (s *streamWriter) flush() {
	if err := s.bw.Flush(); err != nil && s.err == nil {
		s.err = err
	}
	if f, ok := s.w.(http.Flusher); ok && s.err == nil {
		f.Flush()
	}
	s.flushed = time.Now()
}

// finish ends the response: with p, a problem response if it had not
// begun, else a StreamError item; then it closes the array.
func (s *streamWriter) finish(p *Problem) {
	if p != nil && !s.started {
		writeProblem(s.w, p)
		return
	}
	if !s.started {
		s.start()
	}
	if p != nil {
		p.RequestID = s.w.Header().Get(RequestIDHeader)
		s.item(StreamError{Error: *p})
	}
	if !s.ndjson {
		if s.items > 0 {
			s.bw.WriteString("\n")
		}
		s.bw.WriteString("]\n")
	}
	s.flush()
}
