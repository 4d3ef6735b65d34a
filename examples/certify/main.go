// Command certify issues, signs, verifies and revokes verifiable credit
// certificates: W3C Verifiable Credentials secured with eddsa-jcs-2022
// Data Integrity proofs made with an Ed25519 did:key.
//
// Usage:
//
//	certify keygen -out FILE
//	certify issue -key FILE [-issuer URI] [-ruleset ID|FILE] [-rates FILE]
//	              [-status DIR [-status-url URL] [-list-validity DURATION]]
//	              [-at RFC3339] [-cpuprofile FILE] [FILE ...]
//	certify sign -key FILE -created RFC3339 [-vm VERIFICATION_METHOD] FILE
//	certify verify [-trust DID_KEY]... [-at RFC3339] [-status DIR | -no-status]
//	               [-max-status-age DURATION] [-ruleset FILE]... [-cpuprofile FILE] [FILE ...]
//	certify revoke|suspend|unsuspend -key FILE -status DIR [-at RFC3339] ID...
//	certify refresh -key FILE -status DIR [-at RFC3339]
//
// keygen writes a new Ed25519 private key to FILE, which must not exist,
// with mode 0600, in the Multikey multibase form ("z3u2...", one line),
// and prints the key's did:key on standard output. Every -key flag reads
// a key file with cert.ParseKeyFile: this form, or a JSON key pair
// document (cert.MarshalKeyFile), at most cert.MaxKeyFileBytes:
//
//	{"id": "did:key:z6Mk...#z6Mk...", "publicKeyMultibase": "z6Mk...", "secretKeyMultibase": "z3u2..."}
//
// issue reads enterprise records from each FILE (standard input when none,
// or for "-"): one JSON record, a JSON array of records, or NDJSON.
// Records are numbered from 1 across all inputs, validated and scored on
// every core and certified in input order. Each record is validated
// and scored with the FX rates of -rates under the built-in rule set of
// its own country as of its as_of (SCO-CN, SCO-KZ, …; credit.Scorer), and
// each certifiable record gives one signed CreditCertificate under that
// rule set, written to standard output as one line of compact JSON
// (NDJSON), in input order. The certificate names the primary identifier
// the rule set prefers (SCO-IN: the CIN, then the PAN, then the GSTIN)
// and, after the master grade, the grade's local label where the rule set
// names one (localGrade; SCO-KZ: kzAAA for AAA to BBB). -ruleset forces
// one rule set on every record: a built-in id, or a rule-set JSON file
// that may extend a built-in one. The certificates are then issued as
// asked, but those of enterprises of another country than the rule set's
// (SCO-BASE is made for every country) carry the warning
// RULESET_OTHER_COUNTRY in credentialSubject.warnings, which verifiers
// require, so that no one mistakes them for certificates under the
// enterprise's own rule set; a line on standard error counts them. Invalid records (with their problem codes) and records that
// may not be certified are reported on standard error, with their number
// and record_id, followed by a summary line: "not certifiable" gives the
// reasons of the profile's caps, or the stable code and message of a
// certificate that verifiers would refuse (BAD_VALIDITY for an assessment
// dated after the time of issue or more than the rule set's validity
// months before it, BAD_IDENTIFIER, BAD_SUBJECT). -issuer sets the
// certificate's issuer URI (default: the key's did:key); certify verify
// trusts did:key issuers only, so a certificate with another issuer needs
// a verifier that binds that issuer to the key
// (cert.CertificateVerifyOptions.TrustedIssuers). -at fixes the time of
// issue (default: now), from which validFrom, validUntil, the proof's
// created member and the certificate id derive, so that a fixed -at gives
// byte-identical output. With -status, the status registry in DIR is
// opened, or created with base URL -status-url (default
// https://status.example/credit) and list validity -list-validity
// (default 168h, 7 days) if DIR holds none. The registry is a SQLite
// database, DIR/register.db (package credit/register), and the signed
// status lists it publishes lie beside it in the layout that verify
// -status DIR reads:
//
//	DIR/register.db                 the register: certificates, indexes, statuses, every list version
//	DIR/revocation.json             the current revocation list, published at BASE/revocation
//	DIR/suspension.json             the current suspension list
//	DIR/versions/revocation/T.json  every version of each list, by validFrom (20261001T090000Z)
//	DIR/versions/suspension/T.json
//
// Publish the .json files and versions/ at the base URL, not the
// database. Each certificate is recorded in the register, with its
// record digest and a revocation and a suspension entry at an index no
// other certificate has or will have, before it is signed; the lists are
// signed with the key (valid from the time of issue for the list
// validity) and written into DIR every 512 certificates and at the end,
// and the certificates are written only after that. A status directory
// of an earlier certify (a file register: DIR/index.json beside the
// lists) is imported into DIR/register.db on first use, and its
// index.json renamed index.json.imported; one whose state contradicts
// its lists (a stale or damaged index.json, an interrupted save) is
// refused with the reason, and nothing is written. So is a register
// older than the lists in DIR, such as a backup of register.db restored
// over it.
//
// sign adds an eddsa-jcs-2022 proof, created at -created, to the JSON
// object in FILE ("-" for standard input; a UTF-8 byte order mark is
// skipped) and prints the secured document as one line of JSON. -vm is
// the proof's verification method (default: the key's did:key
// verification method, did:key:z6Mk...#z6Mk...). A number the signature
// cannot cover exactly is refused, not changed: RFC 8785 signs every
// number as an IEEE-754 double, so 1e-400 (signed as 0), 9007199254740993
// (signed as 9007199254740992) and integers beyond ±(2^53 - 1) must be
// written as strings. Other spellings of a double's value, such as 1.50
// for 1.5, are signed as that value.
//
// verify checks documents: each FILE (standard input when none, or for
// "-") holds one JSON document, possibly pretty-printed, a JSON array of
// documents, or NDJSON (one document per line), read a few documents per
// core at a time and checked on every core; a UTF-8 byte order mark is
// skipped. A document larger than
// cert.MaxDocumentBytes (1 MiB) is MALFORMED without being read whole. A
// document whose type includes CreditCertificate is verified as a credit
// certificate (cert.VerifyCertificate: proof, trust, the certificate's
// JSON Schema, that it is what an issuer could have produced from its
// rule set, validity period, status, recognised and unmodified rule set);
// any other document as a Verifiable Credential with an eddsa-jcs-2022
// proof (proof, validity period, status). Only the keys given with -trust
// (a did:key, a did:key verification method or a z6Mk publicKeyMultibase;
// repeatable) are trusted: without -trust every document fails with
// UNTRUSTED_KEY. -trust names keys, not issuers, so a credit certificate
// verifies only if its issuer is the did:key of the key that signed it:
// one with any other issuer (such as an https URL) is UNTRUSTED_KEY even
// when its key is trusted. Only did:key verification methods are
// resolved. -at is the time of the check (default: now). -status DIR
// reads the status lists from DIR (the layout of a status registry)
// instead of the network: with -at, the version of each list that was
// current at that time. A status list is believed only within its
// validity period; -max-status-age refuses lists older than that
// (STATUS_UNAVAILABLE). Status is checked fail-closed: without -status,
// a document that has credentialStatus entries is invalid with
// STATUS_UNAVAILABLE ("status not checked: no status fetcher"); documents
// without entries are unaffected. -no-status skips status checking
// explicitly, so that revoked and suspended documents verify as ok: use
// it only where status is checked some other way; it cannot be combined
// with -status. The trust check comes first: without -trust every
// document is UNTRUSTED_KEY, whatever its status. Every version of the
// built-in rule sets is recognised; -ruleset FILE recognises a rule set
// besides them (repeatable), by id and version, so that a file of a newer
// version of a built-in rule set leaves the certificates of the built-in
// version valid. A certificate is checked against its rule set: among
// others its primary identifier, its local label and its warnings (see
// issue). One line is printed per document, in input order:
//
//	ok<TAB>ID
//	invalid<TAB>ID<TAB>CODE<TAB>message
//
// where ID is the document's id, or "-" if it has none or cannot be read,
// and CODE is a stable code of cert.Code: MALFORMED, NO_PROOF, BAD_PROOF,
// UNSUPPORTED_CRYPTOSUITE, UNTRUSTED_KEY, NOT_YET_VALID, EXPIRED, REVOKED,
// SUSPENDED, STATUS_UNAVAILABLE, UNKNOWN_RULESET, BAD_IDENTIFIER,
// BAD_VALIDITY or BAD_SUBJECT. A line that is not JSON is
// "invalid<TAB>-<TAB>MALFORMED<TAB>...". Nothing else is printed: a
// certificate that carries the warning RULESET_OTHER_COUNTRY is ok (the
// warning is part of what was signed, for its reader to weigh), and a
// program that shows what a grade means in each country reads the
// recognition table of the rule sets (credit.RuleSetRegistry.Recognition;
// see package credit/cert).
//
// revoke, suspend and unsuspend set or clear the status of each
// certificate ID in the status registry in DIR, then sign the registry's
// status lists with the key (valid from -at, default now, for the
// registry's list validity) and write them into DIR. refresh only
// re-signs and writes the lists, which an issuer does before they
// expire; it prints
// "refreshed<TAB>LIST URL<TAB>VALID UNTIL" per list. The key must be the
// one that signed the registry's lists, and -at may not be before the
// lists last saved. revoke, suspend and unsuspend print "revoked<TAB>ID"
// (or suspended, unsuspended) per ID. Revocation is permanent.
//
// Exit status:
//
//	issue:       0 every record got a certificate (also when there were
//	             no records); 1 some record was invalid or not
//	             certifiable; 2 usage or I/O error.
//	verify:      0 every document is valid (also when there were no
//	             documents); 1 some document is not; 2 usage or I/O
//	             error.
//	sign:        0 signed; 1 the document cannot be signed (not a JSON
//	             object, already has a proof, a number it cannot sign
//	             exactly); 2 usage or I/O error.
//	revoke, suspend, unsuspend:
//	             0 done; 1 some ID has no entry in the registry (the others
//	             are still updated); 2 usage or I/O error.
//	refresh:     0 done; 2 usage or I/O error.
//	keygen:      0 written; 2 usage or I/O error (also when FILE exists).
//
// "go run ./examples/certify" reports every non-zero exit status of the
// program as 1 (and prints "exit status 2"); build the program (go build
// ./examples/certify) where the difference between 1 and 2 matters.
//
// Empty input, or input of blank lines only, is not an error, as for the
// validate and score examples: issue then writes no certificates, prints
// its summary line ("0 records: 0 certificates, ...") on standard error
// and exits 0; verify prints nothing on standard output, notes "no
// documents to verify" on standard error and exits 0.
//
// With no subcommand or an unknown one, certify prints its usage on
// standard error and exits with status 2; "certify help" prints it on
// standard output and exits with status 0.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/creditsco/creditsco/examples/internal/inputs"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses shared by the subcommands; see the package comment for
// what each means for each subcommand.
const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
)

const usage = `usage:
  certify keygen -out FILE
  certify issue -key FILE [-issuer URI] [-ruleset ID|FILE] [-rates FILE]
                [-status DIR [-status-url URL] [-list-validity DURATION]] [-at RFC3339] [FILE ...]
  certify sign -key FILE -created RFC3339 [-vm VERIFICATION_METHOD] FILE
  certify verify [-trust DID_KEY]... [-at RFC3339] [-status DIR | -no-status]
                 [-max-status-age DURATION] [-ruleset FILE]... [FILE ...]
  certify revoke|suspend|unsuspend -key FILE -status DIR [-at RFC3339] ID...
  certify refresh -key FILE -status DIR [-at RFC3339]
Run "certify SUBCOMMAND -h" for the flags of a subcommand.
`

// run is the whole program: args are the command-line arguments after
// the program name; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "keygen":
		return runKeygen(rest, stdout, stderr)
	case "issue":
		return runIssue(rest, stdin, stdout, stderr)
	case "sign":
		return runSign(rest, stdin, stdout, stderr)
	case "verify":
		return runVerify(rest, stdin, stdout, stderr)
	case "revoke", "suspend", "unsuspend", "refresh":
		return runStatus(sub, rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "certify: unknown subcommand %q\n", sub)
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
}

// newFlagSet returns a flag set for subcommand name that reports to
// stderr and prints synopsis before the flags.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("certify "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: certify "+name+" "+synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and returns the exit status to stop with, or -1
// to go on: exitOK for -h, exitUsage for a bad flag.
func parseFlags(fs *flag.FlagSet, args []string) int {
	err := inputs.ParseFlags(fs, args)
	switch {
	case err == nil:
		return -1
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	default:
		return exitUsage
	}
}

// isSet reports whether the flag name was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

// failer returns a function that prints "certify SUB: message" on stderr
// and returns exitUsage.
func failer(sub string, stderr io.Writer) func(format string, a ...any) int {
	return func(format string, a ...any) int {
		fmt.Fprintf(stderr, "certify "+sub+": "+format+"\n", a...)
		return exitUsage
	}
}

// parseTime parses an RFC 3339 time given with flag name; an empty value
// means now.
func parseTime(name, value string) (time.Time, error) {
	if value == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return time.Time{}, fmt.Errorf("-%s %q is not an RFC 3339 time such as 2026-01-15T00:00:00Z", name, value)
	}
	return t, nil
}
