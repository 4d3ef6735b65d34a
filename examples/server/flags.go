package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/service"
	"github.com/creditsco/creditsco/examples/internal/inputs"
)

// config is what the command line says.
type config struct {
	addr, keyFile, registerURL, tokenFile, ratesFile string
	trust                                            []string
	statusURL                                        string
	statusURLSet                                     bool
	listValidity                                     time.Duration
	tlsCert, tlsKey, clientCA                        string
	limits                                           service.Limits
	shutdownTimeout                                  time.Duration
	clock                                            time.Time
	logJSON                                          bool
}

const usageLine = `usage: server -addr HOST:PORT -key FILE -register sqlite:PATH|postgres://...
              [-token-file FILE] [-rates FILE] [-trust DID_KEY]...
              [-status-url URL] [-list-validity DURATION]
              [-tls-cert FILE -tls-key FILE [-client-ca FILE]]
              [-timeout DURATION] [-max-body BYTES] [-max-records N]
              [-shutdown-timeout DURATION] [-clock RFC3339] [-log text|json]`

// parseFlags reads the command line; its errors are for the user.
func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usageLine)
		fs.PrintDefaults()
	}
	var (
		cfg   config
		trust inputs.List
		clock string
		logF  string
	)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "address to listen on, HOST:PORT (port 0: any free port)")
	fs.StringVar(&cfg.keyFile, "key", "", "issuer's private key file (certify keygen)")
	fs.StringVar(&cfg.registerURL, "register", "", "issuer's register: sqlite:PATH or postgres://USER@HOST:PORT/DB")
	fs.StringVar(&cfg.tokenFile, "token-file", "", "bearer tokens for issuing, one per line (created with a random token if missing)")
	fs.StringVar(&cfg.ratesFile, "rates", "", "FX rates JSON file for scoring")
	fs.Var(&trust, "trust", "issuer key trusted for verification, a did:key (repeatable; the server's own key is trusted)")
	fs.StringVar(&cfg.statusURL, "status-url", "", "base URL of the status lists of a new register (default: http://ADDR/v1/status, where -addr names a host and a port other than 0)")
	fs.DurationVar(&cfg.listValidity, "list-validity", cert.DefaultListValidity, "validity of the status lists of a new register")
	fs.StringVar(&cfg.tlsCert, "tls-cert", "", "TLS certificate chain, PEM (serve HTTPS)")
	fs.StringVar(&cfg.tlsKey, "tls-key", "", "TLS private key, PEM")
	fs.StringVar(&cfg.clientCA, "client-ca", "", "PEM certificates of the authorities whose client certificates may issue (needs -tls-cert)")
	fs.DurationVar(&cfg.limits.Timeout, "timeout", service.DefaultTimeout, "longest time of one request")
	fs.Int64Var(&cfg.limits.MaxBodyBytes, "max-body", service.DefaultMaxBodyBytes, "largest request body, in bytes")
	fs.IntVar(&cfg.limits.MaxRecords, "max-records", service.DefaultMaxRecords, "most records or documents in one request")
	fs.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 30*time.Second, "longest wait for requests in flight at shutdown")
	fs.StringVar(&clock, "clock", "", "start the clock at this RFC 3339 time (demonstrations and tests)")
	fs.StringVar(&logF, "log", "text", "log format: text or json")
	if err := inputs.ParseFlags(fs, args); err != nil {
		return nil, errUsage
	}
	fail := func(format string, a ...any) (*config, error) {
		fmt.Fprintf(stderr, "server: "+format+"\n", a...)
		return nil, errUsage
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q: the server takes flags only", fs.Arg(0))
	}
	cfg.trust = trust
	if _, _, err := net.SplitHostPort(cfg.addr); err != nil {
		return fail("-addr %q is not HOST:PORT", cfg.addr)
	}
	if (cfg.keyFile == "") != (cfg.registerURL == "") {
		return fail("-key and -register go together: the register records what the key signs")
	}
	cfg.statusURLSet = cfg.statusURL != ""
	if cfg.statusURLSet {
		if u, err := url.Parse(cfg.statusURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fail("-status-url %q is not an absolute http(s) URL", cfg.statusURL)
		}
	}
	if cfg.listValidity < time.Second {
		return fail("-list-validity %s is shorter than a second", cfg.listValidity)
	}
	if (cfg.tlsCert == "") != (cfg.tlsKey == "") {
		return fail("-tls-cert and -tls-key go together")
	}
	if cfg.clientCA != "" && cfg.tlsCert == "" {
		return fail("-client-ca needs TLS (-tls-cert and -tls-key)")
	}
	if cfg.limits.Timeout <= 0 || cfg.limits.MaxBodyBytes <= 0 || cfg.limits.MaxRecords <= 0 || cfg.shutdownTimeout <= 0 {
		return fail("-timeout, -max-body, -max-records and -shutdown-timeout must be positive")
	}
	if clock != "" {
		t, err := time.Parse(time.RFC3339, clock)
		if err != nil {
			return fail("-clock %q is not an RFC 3339 time, such as 2026-10-01T09:00:00Z", clock)
		}
		cfg.clock = t
	}
	switch logF {
	case "text":
	case "json":
		cfg.logJSON = true
	default:
		return fail("unknown -log %q (want text or json)", logF)
	}
	return &cfg, nil
}
