package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"

	"github.com/creditsco/creditsco/credit/service"
)

// maxTokenFileBytes bounds a token file.
const maxTokenFileBytes = 64 << 10

// loadTokens reads the bearer tokens of the token file name, one per line
// (blank lines and lines starting with # skipped). A file that does not
// exist is created, mode 0600, with one new random token: 256 bits in
// hexadecimal.
func loadTokens(name string, log *slog.Logger) ([]string, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return createTokenFile(name, log)
	}
	if err != nil {
		return nil, fmt.Errorf("-token-file: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&0o077 != 0 {
		log.Warn("the token file can be read by other users; chmod 600 it", "token_file", name, "mode", fi.Mode().Perm().String())
	}
	data, err := io.ReadAll(io.LimitReader(f, maxTokenFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("-token-file %s: %w", name, err)
	}
	if len(data) > maxTokenFileBytes {
		return nil, fmt.Errorf("-token-file %s is larger than %d bytes", name, maxTokenFileBytes)
	}
	var tokens []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if _, err := service.BearerTokens(line); err != nil {
			return nil, fmt.Errorf("-token-file %s, line %d: a token is at least %d characters of letters, digits and -._~+/ (such as 64 hexadecimal digits)", name, n, service.MinTokenLen)
		}
		tokens = append(tokens, line)
	}
	if len(tokens) == 0 {
		return nil, fmt.Errorf("-token-file %s holds no token", name)
	}
	return tokens, nil
}

// createTokenFile writes a new token file with one random token.
func createTokenFile(name string, log *slog.Logger) ([]string, error) {
	var b [32]byte
	rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("-token-file: %w", err)
	}
	if _, err := f.WriteString(token + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("-token-file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("-token-file: %w", err)
	}
	log.Info("created a token file with a new bearer token", "token_file", name)
	return []string{token}, nil
}
