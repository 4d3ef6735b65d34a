package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creditsco/creditsco/credit/calibrate"
)

const (
	pl2 = "../../testdata/train/pl2.ndjson.gz"
	pl3 = "../../testdata/train/pl3.ndjson.gz"
)

func TestRunJSONBaselinePlots(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	// SCO-BASE passes on the data it was fitted on, with the population
	// rate of their source file.
	code := run([]string{"-ruleset", "SCO-BASE", "-prior", "0.0393", "-format", "json", pl2}, nil, &stdout, &stderr)
	if code != exitPass {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	base := filepath.Join(dir, "pl2.json")
	if err := os.WriteFile(base, stdout.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := calibrate.ReadReport(bytes.NewReader(stdout.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != 1417 || rep.Failed != 0 {
		t.Errorf("report: %d records, %d failed", rep.Records, rep.Failed)
	}

	stdout.Reset()
	plots := filepath.Join(dir, "plots")
	code = run([]string{"-ruleset", "SCO-BASE", "-prior", "0.0471", "-baseline", base, "-plots", plots, pl3}, nil, &stdout, &stderr)
	if code != exitPass && code != exitFail {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"Stability against SCO-BASE", "PSI of the score", "CSI fin_ems", "wrote " + filepath.Join(plots, calibrate.PlotROC)} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	for _, name := range []string{calibrate.PlotROC, calibrate.PlotDistribution, calibrate.PlotGrades, calibrate.PlotCalibration} {
		if _, err := os.Stat(filepath.Join(plots, name)); err != nil {
			t.Error(err)
		}
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	unlabelled := filepath.Join(dir, "u.ndjson")
	line := `{"schema_version":"1.0","record_id":"x","as_of":"2013-06-30","enterprise":{"country":"RU","legal_name":"F","identifiers":[{"scheme":"RU-INN","value":"7700000009"}],"registered_on":"2005-01-01","status":"active"},"financials":[{"period_end":"2012-12-31","period_months":12,"currency":"PLN","audited":false,"total_assets":"100","total_liabilities":"50","equity":"50","revenue":"10","net_income":"1"}]}`
	if err := os.WriteFile(unlabelled, []byte(line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badBase := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(badBase, []byte(`{"report_version":9}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		exit int
	}{
		// Without the prior, PDs of the population are tested against a
		// sample with 28% defaults: the grades fail.
		{[]string{"-ruleset", "SCO-BASE", pl2}, exitFail},
		{[]string{"-ruleset", "SCO-BASE", unlabelled}, exitUsage},
		{[]string{"-ruleset", "SCO-BASE", "-format", "xml", pl2}, exitUsage},
		{[]string{"-ruleset", "SCO-BASE", "-prior", "0", pl2}, exitUsage},
		{[]string{"-ruleset", "SCO-BASE", "-baseline", badBase, pl2}, exitUsage},
		{[]string{"-ruleset", "NO-SUCH", pl2}, exitUsage},
		{[]string{pl2}, exitUsage},
		{[]string{"-ruleset", "SCO-BASE", filepath.Join(dir, "missing.ndjson")}, exitUsage},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, nil, &stdout, &stderr); code != tc.exit {
			t.Errorf("%v: exit %d, want %d: %s", tc.args, code, tc.exit, stderr.String())
		}
	}
}
