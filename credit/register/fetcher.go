package register

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
)

// A Fetcher is a cert.StatusVersionFetcher that reads the status lists
// of a register, so that a service verifies its own certificates without
// a round trip through its web server. It serves only the URLs of the
// register's lists (its base URL, "/", a list name); any other URL is an
// error wrapping ErrUnknownList.
type Fetcher struct {
	reg  Register
	base string
}

// NewFetcher returns a Fetcher of reg's lists.
func NewFetcher(ctx context.Context, reg Register) (*Fetcher, error) {
	info, err := reg.Info(ctx)
	if err != nil {
		return nil, err
	}
	return &Fetcher{reg: reg, base: info.BaseURL}, nil
}

// Fetch returns the latest version of the list at url.
func (f *Fetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	return f.FetchAt(ctx, url, time.Time{})
}

// FetchAt returns the version of the list at url published last at or
// before at (the latest for the zero time).
func (f *Fetcher) FetchAt(ctx context.Context, url string, at time.Time) ([]byte, error) {
	name, ok := strings.CutPrefix(url, f.base+"/")
	if !ok {
		return nil, fmt.Errorf("%w: %s is not under the register's base URL %s", ErrUnknownList, url, f.base)
	}
	l, err := f.reg.List(ctx, name, at)
	if err != nil {
		return nil, err
	}
	return l.Document, nil
}

var _ cert.StatusVersionFetcher = (*Fetcher)(nil)
