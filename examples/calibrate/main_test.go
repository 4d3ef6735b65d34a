package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creditsco/creditsco/credit"
)

const (
	pl2 = "../../testdata/train/pl2.ndjson.gz"
	pl3 = "../../testdata/train/pl3.ndjson.gz"
)

func TestRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "fit.json")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-parent", "SCO-BASE", "-prior", "0.0393", "-out", out, "-id", "PL-FIT", "-version", "1.2.3", pl2}, nil, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"Fitted PL-FIT 1.2.3 (extends SCO-BASE", "fin_ems", "kept", "AUC on the training data", "AUC on the held-out cut", "Wrote " + out} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, stdout.String())
		}
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := credit.LoadRuleSet(f)
	if err != nil {
		t.Fatal(err)
	}
	if rs.ID != "PL-FIT" || rs.Version != "1.2.3" || rs.Extends != credit.SCOBaseID {
		t.Errorf("wrote %s %s extending %s", rs.ID, rs.Version, rs.Extends)
	}
}

// TestRunCalibration: the mapping is fitted on the -calibration records,
// with the options given.
func TestRunCalibration(t *testing.T) {
	out := filepath.Join(t.TempDir(), "fit.json")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-parent", "SCO-BASE", "-prior", "0.0471", "-out", out, "-holdout", "0",
		"-calibration", pl3, "-keep-pdo", "-min-bin-share", "0.08", "-prebins", "10", "-max-correlation", "0.9", pl2}, nil, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"on 1516 records (468 defaults, sha256:", "Fitted points scaled by", "Wrote " + out} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, stdout.String())
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"at most 10 pre-bins", "at least 0.08 of the records", "WoE correlation at most 0.9", "calibration records"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("rule set sources lack %q", want)
		}
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	noDefaults := filepath.Join(dir, "good.ndjson")
	line := `{"schema_version":"1.0","record_id":"x","as_of":"2013-06-30","enterprise":{"country":"RU","legal_name":"F","identifiers":[{"scheme":"RU-INN","value":"7700000009"}],"registered_on":"2005-01-01","status":"active"},"financials":[{"period_end":"2012-12-31","period_months":12,"currency":"PLN","audited":false,"total_assets":"100","total_liabilities":"50","equity":"50","revenue":"10","net_income":"1"}],"outcome":{"defaulted":false}}`
	if err := os.WriteFile(noDefaults, []byte(line+"\n"+line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.json")
	for _, tc := range []struct {
		args []string
		exit int
	}{
		{[]string{"-parent", "SCO-BASE", "-prior", "0.05", "-out", out, noDefaults}, exitBadData},
		{[]string{"-parent", "SCO-BASE", "-prior", "0.05", pl2}, exitUsage},
		{[]string{"-parent", "SCO-BASE", "-prior", "1.5", "-out", out, pl2}, exitUsage},
		{[]string{"-parent", "NO-SUCH", "-prior", "0.05", "-out", out, pl2}, exitUsage},
		{[]string{"-parent", "SCO-BASE", "-prior", "0.05", "-out", out, "-bins", "trees", pl2}, exitUsage},
		{[]string{"-parent", "SCO-BASE", "-prior", "0.05", "-out", out}, exitUsage},
		{[]string{"-parent", "SCO-BASE", "-prior", "0.05", "-out", out, filepath.Join(dir, "missing.ndjson")}, exitUsage},
		{[]string{"-parent", "SCO-BASE", "-prior", "0.05", "-out", out, "-calibration", noDefaults, pl2}, exitBadData},
		{[]string{"-parent", "SCO-BASE", "-prior", "0.05", "-out", out, "-calibration", filepath.Join(dir, "missing.ndjson"), pl2}, exitUsage},
		{[]string{"-parent", "SCO-BASE", "-prior", "0.05", "-out", out, "-min-bin-share", "0.6", pl2}, exitUsage},
		{[]string{"-parent", "SCO-BASE", "-prior", "0.05", "-out", out, "-prebins", "500", pl2}, exitUsage},
		{[]string{"-parent", "SCO-BASE", "-prior", "0.05", "-out", out, "-holdout", "2", pl2}, exitUsage},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, nil, &stdout, &stderr); code != tc.exit {
			t.Errorf("%v: exit %d, want %d: %s", tc.args, code, tc.exit, stderr.String())
		}
		if strings.Contains(stderr.String(), "calibrate: calibrate:") {
			t.Errorf("%v: the prefix repeats: %s", tc.args, stderr.String())
		}
	}
}
