package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"-rates", "../../testdata/fx/rates-2025-12-31.json", "-format", "json", "../../testdata/records/cn.ndjson"}, nil, &out, &errOut)
	if code != exitScored {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for i, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		checkKeys(t, m, "record_id", "country", "ruleset", "score", "pd", "grade", "certifiable",
			"coverage", "pillars", "characteristics", "reasons", "caps", "warnings")
		checkKeys(t, m["ruleset"].(map[string]any), "id", "version", "digest")
		for _, c := range m["characteristics"].([]any) {
			// The contract's keys must be there; items may carry more.
			for _, k := range []string{"id", "value", "points", "max_points"} {
				if _, ok := c.(map[string]any)[k]; !ok {
					t.Errorf("line %d: characteristic without %q: %v", i+1, k, c)
				}
			}
		}
		for _, r := range m["reasons"].([]any) {
			checkKeys(t, r.(map[string]any), "code", "points", "text")
		}
	}

	out.Reset()
	code = run([]string{"-format", "json"}, strings.NewReader("{\"x\":1}\n"), &out, &errOut)
	if code != exitInvalid || !strings.Contains(out.String(), `"valid":false`) {
		t.Errorf("invalid record: exit %d, output %s", code, out.String())
	}

	out.Reset()
	code = run([]string{"-lang", "zh", "../../testdata/records/kz.ndjson"}, nil, &out, &errOut)
	if code != exitScored || !strings.Contains(out.String(), "GRADE") {
		t.Errorf("table: exit %d, output %s", code, out.String())
	}

	for _, args := range [][]string{{"-format", "xml"}, {"-ruleset", "NOPE"}, {"-rates", "/nonexistent"}, {"/nonexistent.ndjson"}} {
		if code := run(args, strings.NewReader(""), &out, &errOut); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}

	out.Reset()
	code = run([]string{"-ruleset", "../../testdata/rulesets/kz-example.json", "-format", "json", "../../testdata/records/kz.ndjson"}, nil, &out, &errOut)
	if code != exitScored || !strings.Contains(out.String(), `"id":"KZ-EXAMPLE"`) {
		t.Errorf("custom rule set: exit %d, %s %s", code, out.String(), errOut.String())
	}
}

// TestSummaryAndEmptyInput: the summary labels the bands as model PD bands
// and explains the floor; empty input scores 0 records and exits 0.
// checkKeys fails unless m has exactly the keys of the contract.
func checkKeys(t *testing.T, m map[string]any, keys ...string) {
	t.Helper()
	if len(m) != len(keys) {
		t.Errorf("keys %v, want exactly %v", mapKeys(m), keys)
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("key %q missing from %v", k, mapKeys(m))
		}
	}
}

func mapKeys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestSummaryAndEmptyInput(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stdin  string
		want   []string
		exit   int
		silent bool
	}{
		{"table", []string{"../../testdata/records/kz.ndjson"}, "",
			[]string{"MODEL PD BAND", "floored at 0.05% (pd_floor)", "0.1545%   BBB"}, exitScored, false},
		{"empty table", nil, "", []string{"0 records: 0 scored (0 certifiable), 0 invalid"}, exitScored, false},
		{"empty json", []string{"-format", "json"}, "", nil, exitScored, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tc.args, strings.NewReader(tc.stdin), &out, &errOut)
			if code != tc.exit {
				t.Fatalf("exit %d, want %d: %s", code, tc.exit, errOut.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if tc.silent && out.Len() != 0 {
				t.Errorf("want no output, got %q", out.String())
			}
		})
	}
}

// TestFlagsAfterFiles checks that a flag after the file names is a usage
// error: "score FILE -rates R" scored without rates, then failed to open
// "-rates".
func TestFlagsAfterFiles(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"../../testdata/records/kz.ndjson", "-rates", "../../testdata/fx/rates-2025-12-31.json"}, nil, &out, &errOut)
	if code != exitUsage || out.Len() != 0 || !strings.Contains(errOut.String(), "score: flag -rates after the operands") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

// TestWarningsInTable checks that the table shows each record's warnings
// and explains a missing FX rate: only -format json showed them.
func TestWarningsInTable(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"../../testdata/records/kz.ndjson"}, nil, &out, &errOut); code != exitScored {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"WARNINGS", "FX_RATE_MISSING", "without -rates FILE no amount is converted"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := run([]string{"-rates", "../../testdata/fx/rates-2025-12-31.json", "../../testdata/records/kz.ndjson"}, nil, &out, &errOut); code != exitScored {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if strings.Contains(out.String(), "FX_RATE_MISSING") {
		t.Errorf("FX warning with rates:\n%s", out.String())
	}
}

// TestRatesMessages checks that a records file given as -rates says what
// a rates file looks like.
func TestRatesMessages(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"-rates", "../../testdata/records/kz.ndjson", "../../testdata/records/kz.ndjson"}, nil, &out, &errOut)
	if code != exitUsage || !strings.Contains(errOut.String(), `a rates file is one JSON object {"date":"2025-12-31"`) {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
	if strings.Count(errOut.String(), "credit:") > 1 || strings.Count(errOut.String(), "rates:") > 2 {
		t.Errorf("repeated prefixes: %q", errOut.String())
	}
}

// TestRuleSetPerCountry: by default every record is scored with its own
// country's rule set; -ruleset forces one, and records of another country
// then carry RULESET_OTHER_COUNTRY.
func TestRuleSetPerCountry(t *testing.T) {
	profiles := func(args ...string) []map[string]any {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := run(append([]string{"-format", "json"}, args...), nil, &out, &errOut); code != exitScored {
			t.Fatalf("%v: exit %d: %s", args, code, errOut.String())
		}
		var ps []map[string]any
		for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatal(err)
			}
			ps = append(ps, m)
		}
		return ps
	}
	warned := func(p map[string]any) bool {
		for _, w := range p["warnings"].([]any) {
			if w.(map[string]any)["code"] == "RULESET_OTHER_COUNTRY" {
				return true
			}
		}
		return false
	}
	for _, p := range profiles("../../testdata/records/kz.ndjson", "../../testdata/records/cn.ndjson") {
		id := p["ruleset"].(map[string]any)["id"]
		if want := "SCO-" + p["country"].(string); id != want || warned(p) {
			t.Errorf("%v: rule set %v (want %s), other-country warning %v", p["record_id"], id, want, warned(p))
		}
	}
	for _, p := range profiles("-ruleset", "SCO-CN", "../../testdata/records/kz.ndjson", "../../testdata/records/cn.ndjson") {
		id := p["ruleset"].(map[string]any)["id"]
		if id != "SCO-CN" || warned(p) != (p["country"] != "CN") {
			t.Errorf("%v: rule set %v, other-country warning %v", p["record_id"], id, warned(p))
		}
	}
	var out, errOut bytes.Buffer
	run([]string{"../../testdata/records/kz.ndjson", "../../testdata/records/ru.ndjson"}, nil, &out, &errOut)
	for _, w := range []string{"rule set SCO-KZ 1.1.0 sha256:", ": 3 records", "rule set SCO-RU 1.1.0 sha256:"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("summary lacks %q:\n%s", w, out.String())
		}
	}
}
