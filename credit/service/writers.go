package service

import (
	"fmt"
	"net/http"
	"runtime/debug"
)

// A PanicError is a panic recovered while serving a request, which
// Options.OnError receives.
type PanicError struct {
	// Value is the value the code panicked with.
	Value any
	// Stack is the goroutine's stack at the panic.
	Stack []byte
}

func newPanicError(v any) *PanicError { return &PanicError{Value: v, Stack: debug.Stack()} }

func (e *PanicError) Error() string { return fmt.Sprintf("service: panic: %v", e.Value) }

// trackWriter records whether the response has begun, so that a panic
// after it is not answered with a second status line.
type trackWriter struct {
	http.ResponseWriter
	wrote bool
}

func (t *trackWriter) WriteHeader(code int) {
	if code >= 200 {
		t.wrote = true
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackWriter) Write(b []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(b)
}

// Flush flushes the response, as http.Flusher.
func (t *trackWriter) Flush() {
	t.wrote = true
	if f, ok := t.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the server's writer.
func (t *trackWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// captureWriter takes the status and headers of the mux's own 404 and 405
// answers, which the handler replaces by problems; the body is dropped.
type captureWriter struct {
	header http.Header
	status int
}

func (c *captureWriter) Header() http.Header { return c.header }

func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}

func (c *captureWriter) Write(b []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	return len(b), nil
}
