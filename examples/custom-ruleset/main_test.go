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
	kzExample = "../../testdata/rulesets/kz-example.json"
	kzRecords = "../../testdata/records/kz.ndjson"
)

func TestRun(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"-ruleset", kzExample, kzRecords}, &out, &errOut)
	if code != exitScored {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	got := out.String()
	for _, want := range []string{"SCO-BASE", "KZ-EXAMPLE", "KZ-STRICT", "kz-001", "kz-003", "Go code", "sha256:"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	// kz-002 pays up to 24 days late: KZ-STRICT's cap keeps it at CCC.
	for _, line := range strings.Split(got, "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[1] == "kz-002" && !strings.HasSuffix(strings.Join(f, " "), "CCC (602)") {
			t.Errorf("kz-002 under KZ-STRICT: %s", line)
		}
	}
	if strings.Count(got, "sha256:") != 3 {
		t.Errorf("want three digests:\n%s", got)
	}
}

func TestRunPrintReloads(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-print"}, &out, &errOut); code != exitScored {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	// The published JSON form loads to the rule set written in Go, with the
	// same digest once resolved.
	published, err := credit.LoadRuleSet(&out)
	if err != nil {
		t.Fatal(err)
	}
	fromGo, err := credit.NewRuleSet(strictRuleSet())
	if err != nil {
		t.Fatal(err)
	}
	digest := func(rs *credit.RuleSet) string {
		reg := credit.BuiltinRuleSets()
		if err := reg.Register(rs); err != nil {
			t.Fatal(err)
		}
		r, _ := reg.Lookup(rs.ID)
		return r.Digest()
	}
	if a, b := digest(published), digest(fromGo); a != b || a == "" {
		t.Errorf("published %q, Go %q", a, b)
	}
}

func TestRunExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.ndjson")
	data, err := os.ReadFile(kzRecords)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, append(data, "{\"x\":1}\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"-ruleset", kzExample, bad}, &out, &errOut); code != exitInvalid {
		t.Errorf("invalid record: exit %d, want %d; %s", code, exitInvalid, errOut.String())
	}
	if !strings.Contains(out.String(), "invalid") || !strings.Contains(out.String(), "kz-003") {
		t.Errorf("invalid record: output %s", out.String())
	}
	for _, args := range [][]string{
		{"-nope"},
		{"-ruleset", filepath.Join(dir, "missing.json"), kzRecords},
		{"-ruleset", kzExample, filepath.Join(dir, "missing.ndjson")},
		{"-ruleset", kzRecords, kzRecords}, // not a rule set
	} {
		out.Reset()
		errOut.Reset()
		if code := run(args, &out, &errOut); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

// TestFlagsAfterFiles checks that a flag after the file names is a usage
// error instead of a file name.
func TestFlagsAfterFiles(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{kzRecords, "-ruleset", kzExample}, &out, &errOut)
	if code != exitUsage || !strings.Contains(errOut.String(), "custom-ruleset: flag -ruleset after the operands") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}
