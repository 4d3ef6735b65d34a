// Package service is creditsco as an HTTP API: an http.Handler that
// validates, scores, certifies and verifies, and publishes the status
// lists of an issuer's register, for any net/http server or router.
//
//	h, err := service.New(service.Options{
//		Scoring:  credit.EngineOptions{Rates: rates},
//		Key:      key,                                  // the issuer's Ed25519 key
//		Register: reg,                                  // register.Open(ctx, "sqlite:...", ...)
//		Auth:     auth,                                 // service.BearerTokens(token), ClientCertificates(nil)
//		Verify:   cert.CertificateVerifyOptions{TrustedKeys: trusted},
//	})
//	go h.RefreshLists(ctx)                             // re-sign the status lists before they expire
//	mux.Handle("/", h)                                 // or under a prefix with http.StripPrefix
//
// # Endpoints
//
//	POST /v1/validate                      records in, one ValidateResult each
//	POST /v1/score                         records in, one ScoreResult each (rule set of the record's country)
//	POST /v1/certificates                  records in, one IssueResult each (authenticated)
//	POST /v1/verify                        certificates in, one VerifyResult each (at=RFC3339 to check at a past time)
//	POST /v1/certificates/{id}/revoke      StatusChange (authenticated); also /suspend and /unsuspend
//	GET  /v1/status/{list}                 the signed status list credential, cacheable for its validity
//	GET  /v1/rulesets                      RuleSetList: every version of every rule set
//	GET  /v1/rulesets/{id}                 the bytes whose SHA-256 is the rule set's digest (version=X.Y.Z)
//	GET  /v1/recognition                   the recognition table (countries=KZ,CN; as_of=YYYY-MM-DD)
//	GET  /v1/openapi.json                  the OpenAPI 3.1 description (schema.OpenAPI)
//	GET  /healthz, /readyz                 liveness, and readiness (the register answers)
//
// The POST endpoints of records and documents read what credit.Reader
// reads, one JSON value, a JSON array or NDJSON, and stream: a record is
// read, processed and written while the next ones are, on
// Scoring.Workers goroutines, in input order, so that memory stays
// bounded whatever the size of the body. The response is a JSON array
// (Accept: application/json, the default) or NDJSON (Accept:
// application/x-ndjson). An error before the first result is a problem
// response with its status; an error after it (the body grew past
// Limits.MaxBodyBytes, the request past Limits.Timeout) cannot change
// the status any more, and ends the stream with a StreamError item:
// the results before it are complete, and a client that finds one
// knows the rest of its records were not processed.
//
// # Issuing
//
// POST /v1/certificates scores each record under the rule set of its
// country and issues a certificate for each certifiable one with
// cert.Issue, recorded in the Register (its status list index, record
// digest and validity) durably before it is signed; a record that is
// invalid or not certifiable gets its reasons instead. The certificates'
// lists are published before the first certificate in them is handed
// out. Revoking, suspending and lifting a suspension record the change
// and publish the lists before they answer, so that the change shows in
// GET /v1/status/{list} at once; changes made at the same time share one
// publication. GET /v1/status/{list} is cacheable for the list's validity
// (Cache-Control max-age, Expires its validUntil, Last-Modified its
// validFrom, ETag, and conditional GET with If-None-Match; not
// If-Modified-Since, since two publications may share a second).
// RefreshLists re-signs the lists before they expire.
// Several processes may serve one register (PostgreSQL on several
// machines): the register hands out each index once, and publications
// of one process show the changes of all.
//
// Issuing and status changes need Options.Auth: bearer tokens compared in
// constant time (BearerTokens), client certificates verified by the
// server's TLS configuration (ClientCertificates), or both (AnyOf).
//
// # Errors and limits
//
// Errors are RFC 9457 problem details (application/problem+json, type
// ProblemTypeBase + code) with a stable code: the Code* constants of this
// package (BODY_TOO_LARGE, TOO_MANY_RECORDS, UNAUTHENTICATED,
// UNKNOWN_CERTIFICATE, REGISTER_UNAVAILABLE, ...); record problems keep
// the codes of package credit, and verdicts those of cert.Code. Every response carries X-Request-Id, the
// request's own if valid (ValidRequestID) or a generated one. Limits
// bound the body, the records of one request, its time (reading the body
// and writing the results included, through http.ResponseController
// deadlines) and the requests processed at once. The request's context
// stops the work when the client goes away. A panic is recovered into a
// 500 problem (if nothing was written yet) and reported to
// Options.OnError; the library never logs.
package service
