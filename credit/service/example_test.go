package service_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/creditsco/creditsco/credit/service"
)

// A handler that validates and scores, inside any net/http server, under
// a prefix of its own.
func ExampleNew() {
	h, err := service.New(service.Options{})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/credit/", http.StripPrefix("/credit", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	records, err := os.Open("../../testdata/records/kz.ndjson")
	if err != nil {
		panic(err)
	}
	defer records.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/credit/v1/score", records)
	req.Header.Set("Content-Type", service.NDJSONType)
	req.Header.Set("Accept", service.NDJSONType) // one result per line, as they come
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r service.ScoreResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			panic(err)
		}
		fmt.Println(r.Index, r.RecordID, r.Profile.RuleSet.ID, r.Profile.Grade, r.Profile.Certifiable)
	}
	// Output:
	// 1 kz-001 SCO-KZ BBB true
	// 2 kz-002 SCO-KZ B true
	// 3 kz-003 SCO-KZ C false
}

// Issuing needs credentials: bearer tokens, client certificates, or
// either.
func ExampleBearerTokens() {
	tokens, err := service.BearerTokens("3f9c1b7e5a2d8c4f6e0a9b1d7c3e5f2a")
	if err != nil {
		panic(err)
	}
	auth := service.AnyOf(tokens, service.ClientCertificates(nil))
	req := httptest.NewRequest(http.MethodPost, "/v1/certificates", nil)
	fmt.Println(auth.Authenticate(req))
	req.Header.Set("Authorization", "Bearer 3f9c1b7e5a2d8c4f6e0a9b1d7c3e5f2a")
	fmt.Println(auth.Authenticate(req))
	// Output:
	// service: unauthenticated: no Authorization header (Bearer token)
	// <nil>
}
