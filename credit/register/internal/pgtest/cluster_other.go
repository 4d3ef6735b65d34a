//go:build !unix

package pgtest

import "errors"

type cluster struct{ dsn string }

func startCluster() (*cluster, error) {
	return nil, errors.New("throwaway clusters are started on Unix only")
}

func (c *cluster) stop() error { return nil }
