package service

import (
	"context"
	"crypto/ed25519"
	"errors"
	"sync"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// maxPublishSkew is how far another issuer's last publication may lie
// after this one's clock for this one to publish at that time instead
// (a publication at the same second supersedes the other).
const maxPublishSkew = 5 * time.Minute

// A publisher signs new versions of a register's status lists. Changes
// that wait for a publication share one (group commit): a caller gets
// the first publication that began after it asked, so that many
// revocations at once cost few signatures.
type publisher struct {
	reg register.Register
	key ed25519.PrivateKey
	now func() time.Time

	sem chan struct{} // held while publishing

	mu        sync.Mutex
	started   uint64 // publications begun
	done      uint64 // the last publication completed
	last      *register.Publication
	published map[string]bool // list names of publications seen
}

// publishAfter returns a publication that began after the call: one that
// shows every change made before it.
func (p *publisher) publishAfter(ctx context.Context) (*register.Publication, error) {
	p.mu.Lock()
	need := p.started + 1
	p.mu.Unlock()
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-p.sem }()
	p.mu.Lock()
	if p.done >= need {
		last := p.last
		p.mu.Unlock()
		return last, nil
	}
	p.started++
	seq := p.started
	p.mu.Unlock()
	pub, err := p.publish(ctx)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.done, p.last = seq, pub
	for _, l := range pub.Lists {
		p.published[l.Name] = true
	}
	p.mu.Unlock()
	return pub, nil
}

// publish signs a new version of the lists at the clock's time. When
// another issuer sharing the register published at a later second, as a
// clock a little ahead does, it publishes at that second, which
// supersedes the other's lists there.
func (p *publisher) publish(ctx context.Context) (*register.Publication, error) {
	at := p.now()
	pub, err := p.reg.Publish(ctx, p.key, at)
	if !errors.Is(err, register.ErrPastPublication) {
		return pub, err
	}
	info, ierr := p.reg.Info(ctx)
	if ierr != nil || info.Last == nil || info.Last.ValidFrom.Sub(at) > maxPublishSkew {
		return nil, err
	}
	return p.reg.Publish(ctx, p.key, info.Last.ValidFrom)
}

// ensurePublished publishes the lists if one of the entries' lists has
// never been published, so that a certificate is handed out only when a
// verifier can read its status: the first certificates of a register,
// and the first of each new list pair.
func (p *publisher) ensurePublished(ctx context.Context, entries []cert.BitstringStatusListEntry) error {
	missing := func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, e := range entries {
			if !p.published[listName(e.StatusListCredential)] {
				return true
			}
		}
		return false
	}
	if !missing() {
		return nil
	}
	// Another process may have published them: the register knows.
	info, err := p.reg.Info(ctx)
	if err != nil {
		return err
	}
	if info.Last != nil {
		p.mu.Lock()
		for _, l := range info.Last.Lists {
			p.published[l.Name] = true
		}
		p.mu.Unlock()
		if !missing() {
			return nil
		}
	}
	_, err = p.publishAfter(ctx)
	return err
}

// Publish signs a new version of every status list of the register with
// the issuer's key, at the handler's clock, and returns it. Changes made
// before the call show in it. Concurrent calls share publications.
func (h *Handler) Publish(ctx context.Context) (*register.Publication, error) {
	if h.pub == nil {
		return nil, errors.New("service: Publish on a handler without an issuer")
	}
	return h.pub.publishAfter(ctx)
}

// RefreshLists keeps the register's status lists fresh until ctx ends,
// and then returns ctx.Err(): it publishes a new version when there is
// none yet, and whenever the last one (by any process sharing the
// register) is older than a quarter of the lists' validity, so that
// verifiers always find lists with most of their validity ahead. It
// checks at most every hour. Failures go to Options.OnError and are
// retried after a minute. An embedding program runs it on a goroutine of
// its own, beside the server. On a handler without an issuer it returns
// an error at once.
func (h *Handler) RefreshLists(ctx context.Context) error {
	if h.pub == nil {
		return errors.New("service: RefreshLists on a handler without an issuer")
	}
	for {
		wait, err := h.refresh(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			h.reportError(nil, err)
			wait = time.Minute
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// refresh publishes if the last publication is older than a quarter of
// the validity, and returns how long to wait before the next check.
func (h *Handler) refresh(ctx context.Context) (time.Duration, error) {
	info, err := h.opts.Register.Info(ctx)
	if err != nil {
		return 0, err
	}
	every := max(info.ListValidity/4, time.Second)
	if info.Last != nil {
		if age := h.now().Sub(info.Last.ValidFrom); age < every {
			return min(every-age, time.Hour), nil
		}
	}
	if _, err := h.pub.publishAfter(ctx); err != nil {
		return 0, err
	}
	return min(every, time.Hour), nil
}
