package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"agencybot/testkit"
)

// testClock is the clock of every run of the program in these tests: pinned
// to testkit.At() (a Wednesday 10:00 unless AGENCYBOT_TEST_AT says
// otherwise), one clock for the package so that its readings only grow.
var testClock = testkit.Pinned(testkit.At())

// sys is the world a command runs in for a test: its streams, environment
// and the pinned clock.
func sys(stdout, stderr io.Writer, env func(string) string) world {
	return world{stdout: stdout, stderr: stderr, getenv: env, now: testClock}
}

func testEnv(t *testing.T, extra map[string]string) func(string) string {
	dir := t.TempDir()
	// HTTP_ADDR off: tests running side by side must not fight over port 9090.
	m := map[string]string{"DATA_DIR": dir + "/data", "LOG_LEVEL": "warn", "HTTP_ADDR": "off"}
	for k, v := range extra {
		m[k] = v
	}
	return func(k string) string { return m[k] }
}

// On a fresh data directory, export seeds the embedded database and prints
// all 40 tasks with the documented fields.
func TestExportOnFreshEmbeddedDatabase(t *testing.T) {
	var out, errb bytes.Buffer
	if err := execute(context.Background(), []string{"export", "--format", "json"}, sys(&out, &errb, testEnv(t, nil))); err != nil {
		t.Fatalf("export: %v\n%s", err, errb.String())
	}
	var rows []map[string]any
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		t.Fatalf("stdout is not a JSON array: %v", err)
	}
	if len(rows) != 40 {
		t.Fatalf("%d tasks, want 40", len(rows))
	}
	for _, k := range []string{"plan", "section", "number", "code", "title", "lead", "coordinating", "deadline_text", "deadline_kind", "due", "recurrence", "output"} {
		if _, ok := rows[0][k]; !ok {
			t.Errorf("field %s missing", k)
		}
	}
	byCode := map[string]map[string]any{}
	for _, r := range rows {
		byCode[r["code"].(string)] = r
	}
	if r := byCode["25-3"]; r["due"] != "2025-12-31" || r["deadline_kind"] != "fixed" || r["coordinating_text"] == nil {
		t.Errorf("25-3 = %v", r)
	}
	if r := byCode["26-V.3"]; r["number"] != "V.3" || r["due"] != "2030-12-31" || r["recurrence"] != "annual" {
		t.Errorf("26-V.3 = %v", r)
	}
	if r := byCode["25-1"]; r["lead_text"] != "Các sở, ban, ngành, địa phương" || len(r["lead"].([]any)) < 10 || r["due"] != nil || r["recurrence"] != "ongoing" {
		t.Errorf("25-1 = %v", r)
	}
	if r := byCode["25-18"]; r["deadline_kind"] != "none" || r["deadline_text"] != "" {
		t.Errorf("25-18 = %v", r)
	}
	// Seeding again changes nothing.
	out.Reset()
	if err := execute(context.Background(), []string{"seed"}, sys(&out, &errb, testEnv(t, nil))); err != nil {
		t.Fatal(err)
	}
}

func TestBadConfigIsOneLinePerVariable(t *testing.T) {
	var out, errb bytes.Buffer
	err := execute(context.Background(), []string{"export"}, sys(&out, &errb, testEnv(t, map[string]string{"LOG_LEVEL": "chatty"})))
	if err == nil || !strings.Contains(err.Error(), "LOG_LEVEL: must be debug, info, warn or error") {
		t.Errorf("err = %v", err)
	}
	var u usageError
	if err := execute(context.Background(), []string{"frob"}, sys(&out, &errb, testEnv(t, nil))); !errors.As(err, &u) {
		t.Errorf("unknown command: %v", err)
	}
}

func TestAgencyAdd(t *testing.T) {
	var out, errb bytes.Buffer
	env := testEnv(t, nil)
	if err := execute(context.Background(), []string{"agency", "add", "--name", "Xã Mỹ An", "--kind", "commune"}, sys(&out, &errb, env)); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "added Xã Mỹ An") {
		t.Errorf("output %q", out.String())
	}
	if err := execute(context.Background(), []string{"agency", "add", "--name", "xa my an", "--kind", "commune"}, sys(&out, &errb, env)); err == nil {
		t.Error("the same commune was added twice")
	}
}
