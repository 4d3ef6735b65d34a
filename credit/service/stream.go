package service

import (
	"bytes"
	"net/http"
	"sync"
	"time"
)

// Results are held back until streamBuffer bytes of them are ready or
// flushEvery has passed since the first, so that a request that fails
// early, as most that fail do, still gets a problem response with its
// status; once results flow, they go out in writes of streamBuffer
// bytes, or at least every flushEvery when they are slow to come
// (certificates at one register commit each).
const (
	streamBuffer = 32 << 10
	flushEvery   = 200 * time.Millisecond
)

// streamBuffers holds the buffers of finished streams for the next ones.
var streamBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// A streamWriter writes the results of a streamed endpoint as NDJSON or
// as a JSON array. The status line and headers go out with the first
// results (see streamBuffer), so that an error before them is still a
// problem response; an error after them becomes the last item
// (StreamError).
type streamWriter struct {
	w       http.ResponseWriter
	ndjson  bool
	buf     *bytes.Buffer // results not yet written
	started bool          // the status line is written
	items   int
	first   time.Time // of the first result held back
	flushed time.Time
	err     error // the first write error: the client is gone
}

func newStreamWriter(w http.ResponseWriter, mediaType string) *streamWriter {
	return &streamWriter{w: w, ndjson: mediaType == NDJSONType, buf: streamBuffers.Get().(*bytes.Buffer)}
}

// start sends the status line and the headers.
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
	if s.buf.Len() == 0 {
		s.first = time.Now()
	}
	switch {
	case s.ndjson:
	case s.items == 0:
		s.buf.WriteString("[\n")
	default:
		s.buf.WriteString(",\n")
	}
	if !s.ndjson {
		b = b[:len(b)-1] // the array's separator ends the line
	}
	s.buf.Write(b)
	s.items++
	if s.buf.Len() >= streamBuffer || time.Since(s.first) >= flushEvery ||
		(s.started && time.Since(s.flushed) >= flushEvery) {
		if !s.started {
			s.start()
		}
		s.flush()
	}
	return s.err
}

// flush writes the results held back.
func (s *streamWriter) flush() {
	if s.err == nil && s.buf.Len() > 0 {
		_, s.err = s.w.Write(s.buf.Bytes())
	}
	s.buf.Reset()
	if f, ok := s.w.(http.Flusher); ok && s.err == nil {
		f.Flush()
	}
	s.flushed = time.Now()
}

// finish ends the response: with p, a problem response if it had not
// begun, else a StreamError item; then it closes the array. The writer
// is not used again.
func (s *streamWriter) finish(p *Problem) {
	defer s.release()
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
		if s.items == 0 {
			s.buf.WriteString("[")
		}
		s.buf.WriteString("\n]\n")
	}
	s.flush()
}

// release returns the buffer to the pool, unless it grew beyond the
// size of a few results (one large record).
func (s *streamWriter) release() {
	if s.buf.Cap() <= 4*streamBuffer {
		s.buf.Reset()
		streamBuffers.Put(s.buf)
	}
	s.buf = nil
}
