// Package schema holds the JSON Schemas (draft-07) of the creditsco data
// standards, embedded so that programs need no files at run time, and the
// JSON-LD context of the credit certificate. The same files are published
// as-is for partners who work in other languages.
package schema

import "embed"

// Files holds every schema and context file of this directory, by base name,
// e.g. "enterprise-record.schema.json".
//
//go:embed *.json *.jsonld
var Files embed.FS

// EnterpriseRecord is the JSON Schema of the enterprise record standard v1.
//
//go:embed enterprise-record.schema.json
var EnterpriseRecord []byte

// CreditCertificate is the JSON Schema of the credit certificate, a W3C
// Verifiable Credential.
//
//go:embed credit-certificate.schema.json
var CreditCertificate []byte

// CreditCertificateContext is the JSON-LD context document of the credit
// certificate's terms, published at https://creditsco.org/ns/credit/v1.
//
//go:embed credit-certificate.context.jsonld
var CreditCertificateContext []byte

// OpenAPI is the OpenAPI 3.1 description of the HTTP API that package
// credit/service serves (GET /v1/openapi.json). Its component schemas
// keep to what JSON Schema draft-07 can also check.
//
//go:embed openapi.json
var OpenAPI []byte
