package main

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/creditsco/creditsco/credit/cert"
	"github.com/creditsco/creditsco/credit/register"
	_ "github.com/creditsco/creditsco/credit/register/postgres"
	_ "github.com/creditsco/creditsco/credit/register/sqlite"
	"github.com/creditsco/creditsco/credit/service"
	"github.com/creditsco/creditsco/examples/internal/inputs"
)

// serve runs the server of cfg until ctx ends.
func serve(ctx context.Context, cfg *config, stderr io.Writer, ready chan<- string) int {
	log := newLogger(cfg, stderr)
	fail := func(msg string, err error) int {
		log.Error(msg, "err", err)
		return exitUsage
	}
	now := time.Now
	if !cfg.clock.IsZero() {
		start := time.Now()
		now = func() time.Time { return cfg.clock.Add(time.Since(start)) }
		log.Warn("the clock starts at -clock, not now", "clock", cfg.clock.Format(time.RFC3339))
	}
	opts := service.Options{Limits: cfg.limits, Now: now, OnError: reportError(log)}
	var err error
	if opts.Scoring.Rates, err = inputs.Rates(cfg.ratesFile); err != nil {
		return fail("cannot read -rates", err)
	}
	for _, s := range cfg.trust {
		pub, err := inputs.Trust(s)
		if err != nil {
			return fail("bad -trust", err)
		}
		opts.Verify.TrustedKeys = append(opts.Verify.TrustedKeys, pub)
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fail("cannot listen", err)
	}
	defer ln.Close()
	addr := ln.Addr().String()

	var reg register.Register
	if cfg.keyFile != "" {
		if opts.Key, err = inputs.Key("-key", cfg.keyFile); err != nil {
			return fail("cannot read -key", err)
		}
		scheme := "http"
		if cfg.tlsCert != "" {
			scheme = "https"
		}
		statusURL := cfg.statusURL
		if statusURL == "" && reachable(cfg.addr) {
			statusURL = scheme + "://" + addr + "/v1/status"
		}
		if reg, err = openRegister(ctx, cfg, statusURL, opts.Key); errors.Is(err, register.ErrNoRegister) {
			return fail("cannot create a register", fmt.Errorf("-addr %s names no address clients can reach again (any host, or port 0): give -status-url, the public base URL of the status lists, written into every certificate", cfg.addr))
		} else if err != nil {
			return fail("cannot open -register", err)
		}
		defer func() {
			if reg != nil {
				reg.Close()
			}
		}()
		opts.Register = reg
		opts.Verify.TrustedKeys = append(opts.Verify.TrustedKeys, opts.Key.Public().(ed25519.PublicKey))
		var auths []service.Authenticator
		if cfg.tokenFile != "" {
			tokens, err := loadTokens(cfg.tokenFile, log)
			if err != nil {
				return fail("cannot read -token-file", err)
			}
			a, err := service.BearerTokens(tokens...)
			if err != nil {
				return fail("cannot read -token-file", err)
			}
			auths = append(auths, a)
		}
		if cfg.clientCA != "" {
			auths = append(auths, service.ClientCertificates(nil))
		}
		if len(auths) == 0 {
			log.Warn("no -token-file and no -client-ca: issuing and status changes answer 401")
		} else {
			opts.Auth = service.AnyOf(auths...)
		}
	}
	h, err := service.New(opts)
	if err != nil {
		return fail("cannot make the handler", err)
	}
	srv := &http.Server{
		Handler:           accessLog(log, h),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       cfg.limits.Timeout,
		WriteTimeout:      cfg.limits.Timeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if cfg.tlsCert != "" {
		if srv.TLSConfig, err = tlsConfig(cfg); err != nil {
			return fail("cannot read the TLS files", err)
		}
	}

	var wg sync.WaitGroup
	refreshCtx, stopRefresh := context.WithCancel(context.Background())
	defer stopRefresh()
	if reg != nil {
		wg.Go(func() { h.RefreshLists(refreshCtx) })
	}
	served := make(chan error, 1)
	go func() {
		if cfg.tlsCert != "" {
			served <- srv.ServeTLS(ln, cfg.tlsCert, cfg.tlsKey)
		} else {
			served <- srv.Serve(ln)
		}
	}()
	log.Info("listening", "addr", addr, "issuing", reg != nil, "tls", cfg.tlsCert != "")
	if ready != nil {
		ready <- addr
	}

	status := exitOK
	select {
	case <-ctx.Done():
		log.Info("shutting down: finishing the requests in flight", "timeout", cfg.shutdownTimeout)
	case err := <-served:
		log.Error("the server stopped", "err", err)
		status = exitUsage
	}
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Error("requests still in flight at the shutdown timeout were cut off", "err", err)
		srv.Close()
		status = max(status, exitUnclean)
	}
	stopRefresh()
	wg.Wait()
	if reg != nil {
		err := reg.Close()
		reg = nil
		if err != nil {
			log.Error("the register did not close cleanly", "err", err)
			status = max(status, exitUnclean)
		}
	}
	log.Info("stopped", "exit", status)
	return status
}

// reachable reports whether the listen address addr (HOST:PORT, checked)
// names a host and a fixed port, so that http://addr/v1/status can serve
// as the lists' base URL, which every certificate carries for good.
func reachable(addr string) bool {
	host, port, _ := net.SplitHostPort(addr)
	ip := net.ParseIP(host)
	return host != "" && (ip == nil || !ip.IsUnspecified()) && port != "0"
}

// openRegister opens the register of cfg, creating it with statusURL as
// its lists' base URL if the database holds none (and statusURL is not
// empty: with none it is ErrNoRegister), and checks that it is the
// register of key and, if -status-url was given, of that URL.
func openRegister(ctx context.Context, cfg *config, statusURL string, key ed25519.PrivateKey) (register.Register, error) {
	var create *register.Settings
	if statusURL != "" {
		create = &register.Settings{BaseURL: statusURL, ListValidity: cfg.listValidity}
	}
	reg, err := register.Open(ctx, cfg.registerURL, register.Options{Create: create})
	if err != nil {
		return nil, err
	}
	info, err := reg.Info(ctx)
	if err != nil {
		reg.Close()
		return nil, err
	}
	did := cert.DIDKey(key.Public().(ed25519.PublicKey))
	switch {
	case info.Issuer != "" && info.Issuer != did:
		reg.Close()
		return nil, fmt.Errorf("the register's lists are signed by %s, not by -key (%s)", info.Issuer, did)
	case cfg.statusURLSet && info.BaseURL != strings.TrimSuffix(cfg.statusURL, "/"):
		reg.Close()
		return nil, fmt.Errorf("the register publishes its lists under %s, not -status-url %s (it is set when a register is created)", info.BaseURL, cfg.statusURL)
	}
	return reg, nil
}

// tlsConfig returns the TLS configuration of cfg: TLS 1.2 at least, and
// with -client-ca, client certificates verified when given (the issuing
// endpoints require one, or a bearer token).
func tlsConfig(cfg *config) (*tls.Config, error) {
	if _, err := tls.LoadX509KeyPair(cfg.tlsCert, cfg.tlsKey); err != nil {
		return nil, err
	}
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.clientCA != "" {
		pem, err := os.ReadFile(cfg.clientCA)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("-client-ca %s holds no PEM certificate", cfg.clientCA)
		}
		c.ClientCAs, c.ClientAuth = pool, tls.VerifyClientCertIfGiven
	}
	return c, nil
}

// newLogger returns the program's logger.
func newLogger(cfg *config, w io.Writer) *slog.Logger {
	if cfg.logJSON {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// reportError logs the errors the handler reports, with the request id
// and, for a panic, the stack.
func reportError(log *slog.Logger) func(*http.Request, error) {
	return func(r *http.Request, err error) {
		attrs := []any{"err", err}
		if r != nil {
			attrs = append(attrs, "id", service.RequestID(r.Context()), "method", r.Method, "path", r.URL.Path)
		}
		var pe *service.PanicError
		if errors.As(err, &pe) {
			attrs = append(attrs, "stack", string(pe.Stack))
		}
		log.Error("request failed", attrs...)
	}
}
