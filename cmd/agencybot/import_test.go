package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// import --dry-run prints the preview of the seed plan 2026's table and
// stores nothing; the import stores it once; the same file again says the
// plan exists; --update updates it.
func TestImportCommand(t *testing.T) {
	env := testEnv(t, nil)
	ctx := context.Background()
	file := "../../planimport/testdata/plan-26.csv"
	args := []string{"import", file, "--number", "45/KH-UBND", "--date", "2027-03-01", "--title", "Kế hoạch thử"}
	run := func(extra ...string) (string, error) {
		var out, errb bytes.Buffer
		err := execute(ctx, append(append([]string{}, args...), extra...), sys(&out, &errb, env))
		return out.String() + errb.String(), err
	}
	out, err := run("--dry-run")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"Xem trước kế hoạch 45/KH-UBND ngày 01/03/2027", "19 nhiệm vụ trong 5 mục", "I HOÀN THIỆN THỂ CHẾ: 2 nhiệm vụ", "Cơ quan đã nhận ra"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}
	var exp bytes.Buffer
	if err := execute(ctx, []string{"export", "--format", "json"}, sys(&exp, &bytes.Buffer{}, env)); err != nil || strings.Contains(exp.String(), "Kế hoạch thử") {
		t.Fatalf("the dry run stored something (%v)", err)
	}
	if out, err = run(); err != nil || !strings.Contains(out, "imported plan 45/KH-UBND (code 27") || !strings.Contains(out, "Inserted:19") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if out, err = run(); err == nil || !strings.Contains(err.Error(), "đã có") {
		t.Fatalf("second import: %v\n%s", err, out)
	}
	if out, err = run("--update"); err != nil || !strings.Contains(out, "updated plan") || !strings.Contains(out, "Unchanged:19") {
		t.Fatalf("update: %v\n%s", err, out)
	}
	if _, err := run("--date", "1/3/2027"); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Errorf("a bad date: %v", err)
	}
	var out2, errb bytes.Buffer
	if err := execute(ctx, []string{"import", "main.go", "--date", "2027-03-01", "--title", "x"}, sys(&out2, &errb, env)); err == nil || !strings.Contains(err.Error(), "xlsx") {
		t.Errorf("a Go file: %v", err)
	}
}
