package service

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
)

// TestConcurrentRequests runs issuing, revoking, suspending, verifying,
// scoring and status list requests at once over HTTP (run it with -race),
// and then checks the register: every certificate handed out is there
// with its entries, no index is shared, and every revocation that was
// acknowledged shows in the published lists.
func TestConcurrentRequests(t *testing.T) {
	e := newEnv(t, nil)
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	client := srv.Client()
	call := func(method, path, body string) (int, []byte, error) {
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Accept", NDJSONType)
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	base := strings.SplitAfter(samples(t, "kz", "cn"), "\n")
	const workers, rounds = 6, 4
	var (
		mu      sync.Mutex
		issued  = map[string][]byte{}
		revoked = map[string]bool{}
		wg      sync.WaitGroup
	)
	for g := range workers {
		wg.Go(func() {
			for n := range rounds {
				// Records of their own: another record_id, another digest,
				// another certificate.
				var body strings.Builder
				for _, line := range base {
					if strings.TrimSpace(line) == "" {
						continue
					}
					body.WriteString(strings.Replace(line, `"record_id":"`, fmt.Sprintf(`"record_id":"g%d-%d-`, g, n), 1))
				}
				status, out, err := call("POST", "/v1/certificates", body.String())
				if !assert.NoError(t, err) || !assert.Equal(t, http.StatusOK, status, "%s", out) {
					return
				}
				var mine []string
				for _, r := range lines[IssueResult](t, out) {
					if r.Status == StatusIssued {
						mu.Lock()
						issued[r.ID] = r.Certificate
						mu.Unlock()
						mine = append(mine, r.ID)
					}
				}
				assert.Len(t, mine, 4)
				status, out, err = call("POST", "/v1/certificates/"+mine[0]+"/revoke", "")
				if assert.NoError(t, err) && assert.Equal(t, http.StatusOK, status, "%s", out) {
					mu.Lock()
					revoked[mine[0]] = true
					mu.Unlock()
				}
				status, out, _ = call("POST", "/v1/certificates/"+mine[1]+"/suspend", "")
				assert.Equal(t, http.StatusOK, status, "%s", out)
				status, out, _ = call("POST", "/v1/certificates/"+mine[1]+"/unsuspend", "")
				assert.Equal(t, http.StatusOK, status, "%s", out)
				status, out, _ = call("POST", "/v1/score", body.String())
				assert.Equal(t, http.StatusOK, status, "%s", out)
				status, _, _ = call("GET", "/v1/status/revocation", "")
				assert.Equal(t, http.StatusOK, status)
				var docs strings.Builder
				mu.Lock()
				for _, id := range mine {
					docs.Write(issued[id])
					docs.WriteByte('\n')
				}
				mu.Unlock()
				status, out, _ = call("POST", "/v1/verify", docs.String())
				if assert.Equal(t, http.StatusOK, status, "%s", out) {
					vs := lines[VerifyResult](t, out)
					assert.Equal(t, "REVOKED", vs[0].Code, "%+v", vs[0])
					for _, v := range vs[1:] {
						assert.True(t, v.Valid, "%+v", v)
					}
				}
			}
		})
	}
	wg.Wait()
	require.Len(t, issued, workers*rounds*4)

	ctx := context.Background()
	fetcher, err := register.NewFetcher(ctx, e.reg)
	require.NoError(t, err)
	seen := map[[2]int]string{}
	var all []register.Entry
	for after := ""; ; {
		page, err := e.reg.Certificates(ctx, after, register.MaxPage)
		require.NoError(t, err)
		if len(page) == 0 {
			break
		}
		all = append(all, page...)
		after = page[len(page)-1].ID
	}
	assert.Len(t, all, len(issued), "every index allocated went to a certificate handed out")
	for _, en := range all {
		k := [2]int{en.List, en.Index}
		require.Empty(t, seen[k], "index %v shared by %s and %s", k, seen[k], en.ID)
		seen[k] = en.ID
		doc, ok := issued[en.ID]
		require.True(t, ok, en.ID)
		var c struct {
			CredentialStatus json.RawMessage `json:"credentialStatus"`
		}
		require.NoError(t, json.Unmarshal(doc, &c))
		want, _ := json.Marshal(en.StatusEntries)
		assert.JSONEq(t, string(want), string(c.CredentialStatus))
		assert.Equal(t, revoked[en.ID], en.Revoked, en.ID)
		assert.False(t, en.Suspended, en.ID)
	}
	// The latest lists show every revocation.
	vopts := e.h.verify
	vopts.Now, vopts.Status = t0, fetcher
	for id := range revoked {
		_, err := cert.VerifyRawDocument(ctx, rawOf(issued[id]), vopts)
		assert.Equal(t, "REVOKED", codeOf(err), id)
	}
}
