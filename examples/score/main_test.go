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
			[]string{"MODEL PD BAND", "floored at 0.05% (pd_floor)", "0.16%     BBB"}, exitScored, false},
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
