package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/creditsco/creditsco/credit"
)

// TestSCOBaseReproduces refits SCO-BASE's financial characteristics as
// MODEL.md says they were made and checks that the shipped file has
// exactly those bounds, points and scaling, so that a change to the
// fitting code or the data cannot leave the claim silently false.
func TestSCOBaseReproduces(t *testing.T) {
	if testing.Short() {
		t.Skip("fits 2,933 records")
	}
	root := filepath.Join("..", "..", "..", "..")
	pl3, err := read(root, "pl3")
	require.NoError(t, err)
	train, err := read(root, "pl2", "pl3")
	require.NoError(t, err)
	base := credit.DefaultRuleSet()
	old, err := loadFile(filepath.Join(root, "testdata/model/sco-base-1.3.0.json"))
	require.NoError(t, err)
	calib, err := scoreLogit(base, pl3)
	require.NoError(t, err)
	refit, err := refitBase(base, old, centralTendency(calib), train, pl3)
	require.NoError(t, err)
	require.True(t, reproduces(base, refit), "SCO-BASE %s is not what its fit gives: re-derive it (go run ./credit/calibrate/internal/modelreport shows the difference)", base.Version)
}
