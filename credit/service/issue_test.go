package service

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit/cert"
)

// issueAll issues the certificates of body and returns the results.
func issueAll(t *testing.T, e *env, body string) []IssueResult {
	t.Helper()
	w := post(e.h, "/v1/certificates", body)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	return lines[IssueResult](t, w.Body.Bytes())
}

// verifyAll verifies the certificates, at the time at if not zero.
func verifyAll(t *testing.T, e *env, at time.Time, docs ...[]byte) []VerifyResult {
	t.Helper()
	path := "/v1/verify"
	if !at.IsZero() {
		path += "?at=" + at.Format(time.RFC3339)
	}
	var b strings.Builder
	for _, d := range docs {
		b.Write(d)
		b.WriteByte('\n')
	}
	w := post(e.h, path, b.String())
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	return lines[VerifyResult](t, w.Body.Bytes())
}

func codes(vs []VerifyResult) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Code
		if v.Valid {
			out[i] = "ok"
		}
	}
	return out
}

func TestIssueVerifyRevoke(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	got := issueAll(t, e, samples(t, "kz", "cn")+`{"schema_version":"1.0"}`+"\n")
	require.Len(t, got, 7)
	var issued []IssueResult
	for i, r := range got {
		assert.Equal(t, i+1, r.Index)
		switch {
		case i == 6:
			assert.Equal(t, StatusInvalid, r.Status)
			assert.NotEmpty(t, r.Problems)
		case strings.HasSuffix(r.RecordID, "-003"):
			assert.Equal(t, StatusNotCertifiable, r.Status, "%+v", r)
			assert.Equal(t, CodeNotCertifiable, r.Code)
			require.NotEmpty(t, r.Caps)
			for _, c := range r.Caps {
				assert.False(t, c.Certifiable)
			}
			assert.Nil(t, r.Certificate)
		default:
			require.Equal(t, StatusIssued, r.Status, "%+v", r)
			issued = append(issued, r)
		}
	}
	require.Len(t, issued, 4)

	// Each certificate is in the register as it states, and its lists
	// were published before it was handed out.
	for _, r := range issued {
		var c cert.Certificate
		require.NoError(t, json.Unmarshal(r.Certificate, &c))
		assert.Equal(t, r.ID, c.ID)
		assert.Equal(t, t0.Format(time.RFC3339), c.ValidFrom)
		entry, err := e.reg.Status(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, c.CredentialSubject.RecordDigest, entry.RecordDigest)
		assert.Equal(t, c.CredentialStatus, entry.StatusEntries)
		for _, s := range c.CredentialStatus {
			_, err := e.reg.List(ctx, listName(s.StatusListCredential), time.Time{})
			assert.NoError(t, err, "the list %s is published", s.StatusListCredential)
		}
	}
	docs := func() [][]byte {
		var out [][]byte
		for _, r := range issued {
			out = append(out, r.Certificate)
		}
		return out
	}()
	assert.Equal(t, []string{"ok", "ok", "ok", "ok"}, codes(verifyAll(t, e, time.Time{}, docs...)))

	// An hour later, one is revoked and another suspended: the lists are
	// published before the answer.
	e.clock.Add(time.Hour)
	for i, action := range []string{"revoke", "suspend"} {
		w := post(e.h, "/v1/certificates/"+issued[i].ID+"/"+action, "")
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		var sc StatusChange
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &sc))
		assert.Equal(t, issued[i].ID, sc.ID)
		assert.Equal(t, action == "revoke", sc.Revoked)
		assert.Equal(t, action == "suspend", sc.Suspended)
		assert.Equal(t, t0.Add(time.Hour).Format(time.RFC3339), sc.Published.ValidFrom)
		assert.Len(t, sc.StatusLists, 2)
	}
	assert.Equal(t, []string{"REVOKED", "SUSPENDED", "ok", "ok"}, codes(verifyAll(t, e, time.Time{}, docs...)))
	// Checked as of before the changes, the lists valid then say nothing.
	assert.Equal(t, []string{"ok", "ok", "ok", "ok"}, codes(verifyAll(t, e, t0.Add(time.Minute), docs...)))

	// Revoking twice changes nothing; lifting the suspension restores it.
	require.Equal(t, http.StatusOK, post(e.h, "/v1/certificates/"+issued[0].ID+"/revoke", "").Code)
	w := post(e.h, "/v1/certificates/"+issued[1].ID+"/unsuspend", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, []string{"REVOKED", "ok", "ok", "ok"}, codes(verifyAll(t, e, time.Time{}, docs...)))

	// Unknown and malformed ids.
	w = post(e.h, "/v1/certificates/urn:uuid:00000000-0000-8000-8000-000000000000/revoke", "")
	assert.Equal(t, CodeUnknownCertificate, problemOf(t, w).Code)
	assert.Equal(t, http.StatusNotFound, w.Code)
	w = post(e.h, "/v1/certificates/not-an-id/suspend", "")
	assert.Equal(t, CodeInvalidParameter, problemOf(t, w).Code)
}

func TestStatusListCaching(t *testing.T) {
	e := newEnv(t, nil)
	got := issueAll(t, e, samples(t, "kz"))
	require.Equal(t, StatusIssued, got[0].Status)
	e.clock.Add(time.Hour)
	require.Equal(t, http.StatusOK, post(e.h, "/v1/certificates/"+got[0].ID+"/revoke", "").Code)
	e.clock.Add(time.Hour)

	w := serve(e.h, request{method: http.MethodGet, path: "/v1/status/revocation"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	hdr := w.Header()
	from, until := t0.Add(time.Hour), t0.Add(time.Hour+7*24*time.Hour)
	assert.Equal(t, StatusListContentType, hdr.Get("Content-Type"))
	assert.Equal(t, from.Format(http.TimeFormat), hdr.Get("Last-Modified"))
	assert.Equal(t, until.Format(http.TimeFormat), hdr.Get("Expires"))
	assert.Equal(t, "public, max-age="+strconv.Itoa(int(until.Sub(t0.Add(2*time.Hour))/time.Second)), hdr.Get("Cache-Control"))
	etag := hdr.Get("ETag")
	require.NotEmpty(t, etag)
	assert.Regexp(t, `^sha-256=:[A-Za-z0-9+/]+=*:$`, hdr.Get("Content-Digest"))

	// The list is the signed list the certificate's entry names, and
	// shows the revocation.
	var c cert.Certificate
	require.NoError(t, json.Unmarshal(got[0].Certificate, &c))
	fetch := cert.FetcherFunc(func(context.Context, string) ([]byte, error) { return w.Body.Bytes(), nil })
	err := cert.CheckStatus(context.Background(), c.CredentialStatus[0], fetch, cert.VerifyOptions{
		TrustedKeys: []ed25519.PublicKey{e.key.Public().(ed25519.PublicKey)}, Now: t0.Add(2 * time.Hour)})
	assert.ErrorIs(t, err, cert.ErrRevoked)

	for _, c := range []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"If-None-Match", map[string]string{"If-None-Match": etag}, http.StatusNotModified},
		{"If-None-Match weak, in a list", map[string]string{"If-None-Match": `"x", W/` + etag}, http.StatusNotModified},
		{"If-None-Match *", map[string]string{"If-None-Match": "*"}, http.StatusNotModified},
		{"If-None-Match of another version", map[string]string{"If-None-Match": `"00"`}, http.StatusOK},
		{"If-None-Match wins over If-Modified-Since", map[string]string{"If-None-Match": `"00"`, "If-Modified-Since": until.Format(http.TimeFormat)}, http.StatusOK},
		// A list published again in the same second has the same validFrom:
		// only the ETag validates.
		{"If-Modified-Since its validFrom", map[string]string{"If-Modified-Since": from.Format(http.TimeFormat)}, http.StatusOK},
		{"If-Modified-Since before", map[string]string{"If-Modified-Since": t0.Format(http.TimeFormat)}, http.StatusOK},
		{"If-Modified-Since malformed", map[string]string{"If-Modified-Since": "yesterday"}, http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := serve(e.h, request{method: http.MethodGet, path: "/v1/status/revocation", header: c.header})
			assert.Equal(t, c.want, w.Code)
			assert.Equal(t, etag, w.Header().Get("ETag"))
			if c.want == http.StatusNotModified {
				assert.Empty(t, w.Body.Bytes())
				assert.NotEmpty(t, w.Header().Get("Cache-Control"))
			}
		})
	}

	// A cap on max-age, and an expired list.
	e2 := newEnv(t, func(o *Options) { o.StatusCacheMaxAge = 5 * time.Minute })
	issueAll(t, e2, samples(t, "kz"))
	w = serve(e2.h, request{method: http.MethodGet, path: "/v1/status/suspension"})
	assert.Equal(t, "public, max-age=300", w.Header().Get("Cache-Control"))
	e2.clock.Add(8 * 24 * time.Hour)
	w = serve(e2.h, request{method: http.MethodGet, path: "/v1/status/suspension"})
	assert.Equal(t, "no-cache", w.Header().Get("Cache-Control"))

	// Lists that do not exist, or are not published yet.
	for _, name := range []string{"revocation-1", "nope", "revocation-01", strings.Repeat("x", 300)} {
		w := serve(e.h, request{method: http.MethodGet, path: "/v1/status/" + name})
		assert.Equal(t, http.StatusNotFound, w.Code, name)
		assert.Equal(t, CodeUnknownList, problemOf(t, w).Code)
	}
}

func TestRefreshLists(t *testing.T) {
	e := newEnv(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- e.h.RefreshLists(ctx) }()
	require.Eventually(t, func() bool {
		info, err := e.reg.Info(context.Background())
		return err == nil && info.Last != nil
	}, 10*time.Second, 10*time.Millisecond, "the first publication")
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)

	// A refresh publishes only when the last publication is a quarter of
	// the validity old.
	wait, err := e.h.refresh(context.Background())
	require.NoError(t, err)
	assert.Equal(t, time.Hour, wait)
	info, _ := e.reg.Info(context.Background())
	e.clock.Add(42*time.Hour - time.Second)
	wait, err = e.h.refresh(context.Background())
	require.NoError(t, err)
	assert.Equal(t, time.Second, wait)
	e.clock.Add(time.Second)
	_, err = e.h.refresh(context.Background())
	require.NoError(t, err)
	info2, _ := e.reg.Info(context.Background())
	assert.Equal(t, info.Last.Version+1, info2.Last.Version)

	h, err := New(Options{})
	require.NoError(t, err)
	assert.Error(t, h.RefreshLists(context.Background()))
	_, err = h.Publish(context.Background())
	assert.Error(t, err)
}
