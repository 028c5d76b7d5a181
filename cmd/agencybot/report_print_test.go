package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"agencybot/testkit"
)

// The report of the seeded plans, printed by LibreOffice as an office would:
// the results table comes out with its rows — every plan's and section's line
// and the total — not only its header. (With the waiting and extended
// columns its header grew too tall for the rest of page 1, and LibreOffice
// printed the header there and none of the rows anywhere.)
func TestSeededReportPrintsTheResultsTable(t *testing.T) {
	exe := testkit.Soffice(t)
	env := testEnv(t, nil)
	var stdout, stderr bytes.Buffer
	if err := execute(context.Background(), []string{"seed"}, sys(&stdout, &stderr, env)); err != nil {
		t.Fatalf("seed: %v\n%s", err, stderr.String())
	}
	// The seeded plans as they stand on 2 December 2026, nothing reported:
	// the fourth quarter's report (the --at given last wins).
	out := filepath.Join(t.TempDir(), "bao-cao.docx")
	runReportCmd(t, env, out, "--period", "2026-Q4", "--at", "2026-12-02T10:00:00+07:00")
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, p := range testkit.PDFPages(t, testkit.ToPDF(t, exe, "bao-cao.docx", data)) {
		text.WriteString(p.Text + "\n")
	}
	printed := text.String()
	total := regexp.MustCompile(`(?m)^\s*Tổng cộng(\s+\d+){8}\s*$`)
	if !total.MatchString(printed) {
		t.Errorf("the results table's total row (label and 8 figures) is not printed:\n%s", printed[:min(len(printed), 4000)])
	}
	for _, section := range []string{"I. VỀ CÔNG TÁC", "I. HOÀN THIỆN"} {
		if !strings.Contains(strings.Join(strings.Fields(printed), " "), section) {
			t.Errorf("the results table's row %q is not printed", section)
		}
	}
}
