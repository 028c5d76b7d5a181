package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"agencybot/config"
	"agencybot/deadline"
	"agencybot/docxreport/docxtest"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/report/upward"
)

// `agencybot report` on the seeded plans after officers reported, as of 10
// March 2026: every figure of the report — the sentence, and per plan and
// section the tasks and the four groups of the results table, the headings'
// counts of completed, overdue and blocked tasks, one appendix row per task
// — is what report.Summarize computes on the input /summary reads (the open
// plans) at the same instant; the completions cite their decisions and
// files, the recommendations what the blocked agencies asked for.
func TestReportAgreesWithTheSummary(t *testing.T) {
	env := testEnv(t, nil)
	cfg, err := config.Load(env)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at, _ := time.Parse(time.RFC3339, agreeAt)
	s := seedReported(t, cfg, at.AddDate(0, 0, -20))
	in, err := s.RollupInput(ctx, report.Base(cfg, at), "", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	sum := report.Summarize(in, report.Filter{})
	if sum.ByGroup[report.Late] == 0 || sum.ByStatus[domain.Blocked] == 0 || sum.ByGroup[report.DoneOnTime] == 0 {
		t.Fatalf("the data does not exercise the groups: %v %v", sum.ByGroup, sum.ByStatus)
	}

	dir := t.TempDir()
	if d := os.Getenv("AGENCYBOT_REPORT_OUT"); d != "" {
		dir = d
	}
	d, stdout := runReportCmd(t, env, filepath.Join(dir, "bao-cao-seed.docx"))
	if !strings.Contains(stdout, "suggested name bao-cao-2026-q1.docx") {
		t.Errorf("stdout %q", stdout)
	}
	text := d.Text()
	c := sum.Counts
	// Extensions are recorded (issue 20): the figure of extended tasks is
	// there, zero included.
	figures := fmt.Sprintf("Tổng số %d nhiệm vụ, trong đó: đã hoàn thành đúng hạn %d; đã hoàn thành quá hạn %d; đang thực hiện trong hạn %d; quá hạn chưa hoàn thành %d; chờ duyệt kết quả %d; trong đó đã gia hạn %d. Tiến độ bình quân đạt %d%%.",
		c.Tasks, c.ByGroup[report.DoneOnTime], c.ByGroup[report.DoneLate], c.ByGroup[report.OnTrack], c.ByGroup[report.Late], c.Waiting, c.Extended, c.Progress)
	if !strings.Contains(text, figures) {
		t.Errorf("no %q in the report", figures)
	}
	// The results table, row by row: each plan, its sections, the total.
	tb := d.TableWith("Kế hoạch / nhóm nhiệm vụ")
	var want [][]string
	row := func(label string, c report.Counts) {
		want = append(want, []string{label, strconv.Itoa(c.Tasks), strconv.Itoa(c.ByGroup[report.DoneOnTime]), strconv.Itoa(c.ByGroup[report.DoneLate]),
			strconv.Itoa(c.ByGroup[report.OnTrack]), strconv.Itoa(c.ByGroup[report.Late]), strconv.Itoa(c.Waiting), strconv.Itoa(c.Extended), strconv.Itoa(c.Progress)})
	}
	for _, p := range sum.Plans {
		row(upward.PlanRef(p.Plan, i18n.VI), p.Counts)
		for _, s := range p.Sections {
			row(s.Section+". "+s.Title, s.Counts)
		}
	}
	row("Tổng cộng", sum.Counts)
	if len(tb) != len(want)+1 {
		t.Fatalf("results table has %d rows, want header + %d:\n%q", len(tb), len(want), tb)
	}
	for i, w := range want {
		if got := strings.Join(tb[i+1], "|"); got != strings.Join(w, "|") {
			t.Errorf("results row %d:\n got %s\nwant %s", i+1, got, strings.Join(w, "|"))
		}
	}
	// The lists' counts.
	q1, _ := upward.ParsePeriod("2026-Q1")
	completed, blocked := 0, 0
	for _, v := range report.Tasks(in, report.Filter{}) {
		if v.Status == domain.Done {
			var last time.Time
			for _, a := range v.Lead {
				if a.Assignment.DoneAt.After(last) {
					last = a.Assignment.DoneAt
				}
			}
			if q1.Contains(deadline.DateOf(last.In(in.Loc))) {
				completed++
			}
		}
		if v.Status == domain.Blocked {
			blocked++
		}
	}
	for _, h := range []string{
		fmt.Sprintf("2. Nhiệm vụ hoàn thành trong kỳ (%d nhiệm vụ)", completed),
		fmt.Sprintf("1. Nhiệm vụ quá hạn chưa hoàn thành (%d nhiệm vụ)", sum.ByGroup[report.Late]),
		fmt.Sprintf("2. Nhiệm vụ gặp vướng mắc (%d nhiệm vụ)", blocked),
	} {
		if !strings.Contains(text, h) {
			t.Errorf("no heading %q", h)
		}
	}
	if completed == 0 || !strings.Contains(text, "/QĐ-UBND ngày 15/02/2026") || !strings.Contains(text, ".pdf") {
		t.Errorf("completions without their proof (%d completed)", completed)
	}
	if !strings.Contains(text, "«Thiếu kinh phí, đề nghị Sở Tài chính bố trí»") {
		t.Error("the blocked agencies' request is not among the recommendations")
	}
	// The appendix: one row per task of each plan (plus its sections' rows).
	tasks := 0
	for _, tb := range d.Tables {
		if len(tb) > 0 && len(tb[0]) == 9 && tb[0][0] == "STT" {
			for _, r := range tb[1:] {
				if len(r) == 9 {
					tasks++
				}
			}
		}
	}
	if tasks != sum.Tasks {
		t.Errorf("appendix rows %d, tasks %d", tasks, sum.Tasks)
	}
}

// runReportCmd runs `agencybot report` with args (as of agreeAt) writing
// out, and reads the document back.
func runReportCmd(t *testing.T, env func(string) string, out string, args ...string) (*docxtest.Doc, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args = append([]string{"report", "--out", out, "--at", agreeAt}, args...)
	if err := execute(context.Background(), args, sys(&stdout, &stderr, env)); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	d, err := docxtest.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	return d, stdout.String()
}

// The flags shape the report: a plan, an agency, a period (quarter, half,
// year, month, or from/to), English; the default period is the quarter of
// the caller's clock. A wrong flag is a usage error that writes no file.
func TestReportFlags(t *testing.T) {
	env := testEnv(t, nil)
	dir := t.TempDir()
	title := func(d *docxtest.Doc) string {
		for i, p := range d.Body {
			if (p.Text == "BÁO CÁO" || p.Text == "REPORT") && i+1 < len(d.Body) {
				return d.Body[i+1].Text
			}
		}
		return ""
	}
	for _, c := range []struct {
		args  []string
		title string
	}{
		{nil, "Kết quả thực hiện Kế hoạch số …/KH-UBND năm 2025 và Kế hoạch số …/KH-UBND năm 2026 — kỳ báo cáo quý I năm 2026"},
		{[]string{"--plan", "2026", "--period", "2026-H1"}, "Kết quả thực hiện Kế hoạch số …/KH-UBND năm 2026 — kỳ báo cáo 6 tháng đầu năm 2026"},
		{[]string{"--agency", "tư pháp", "--period", "2026"}, "Kết quả thực hiện Kế hoạch số …/KH-UBND năm 2025 và Kế hoạch số …/KH-UBND năm 2026 của Sở Tư pháp — kỳ báo cáo năm 2026"},
		{[]string{"--period", "2026-02"}, "Kết quả thực hiện Kế hoạch số …/KH-UBND năm 2025 và Kế hoạch số …/KH-UBND năm 2026 — kỳ báo cáo tháng 2 năm 2026"},
		{[]string{"--from", "01/01/2026", "--to", "2026-03-10"}, "Kết quả thực hiện Kế hoạch số …/KH-UBND năm 2025 và Kế hoạch số …/KH-UBND năm 2026 — kỳ báo cáo từ ngày 01/01/2026 đến ngày 10/03/2026"},
		{[]string{"--lang", "en", "--plan", "kh 2025"}, "Results of implementing Plan No. …/KH-UBND (2025) — reporting period Q1 2026"},
	} {
		d, _ := runReportCmd(t, env, filepath.Join(dir, "r.docx"), c.args...)
		if got := title(d); got != c.title {
			t.Errorf("%q: title %q, want %q", c.args, got, c.title)
		}
		if !strings.Contains(d.Text(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") {
			t.Errorf("%q: no national heading", c.args)
		}
	}
	// The default period follows the caller's clock, not the wall clock.
	var stdout, stderr bytes.Buffer
	w := sys(&stdout, &stderr, env)
	w.now = func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600)) }
	out := filepath.Join(dir, "clock.docx")
	if err := execute(context.Background(), []string{"report", "--out", out}, w); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "quý IV năm 2026") || !strings.Contains(stdout.String(), "bao-cao-2026-q4.docx") {
		t.Errorf("default period at 20/11/2026: %q", stdout.String())
	}

	for _, bad := range [][]string{
		{"report"},
		{"report", "--out", filepath.Join(dir, "x.pdf")},
		{"report", "--out", filepath.Join(dir, "bad.docx"), "--period", "2026-Q5"},
		{"report", "--out", filepath.Join(dir, "bad.docx"), "--period", "2026", "--from", "2026-01-01", "--to", "2026-02-01"},
		{"report", "--out", filepath.Join(dir, "bad.docx"), "--from", "2026-01-01"},
		{"report", "--out", filepath.Join(dir, "bad.docx"), "--from", "2026-03-01", "--to", "2026-02-01"},
		{"report", "--out", filepath.Join(dir, "bad.docx"), "--plan", "2031"},
		{"report", "--out", filepath.Join(dir, "bad.docx"), "--agency", "Bộ Ngoại giao Sao Hỏa"},
		{"report", "--out", filepath.Join(dir, "bad.docx"), "--lang", "fr"},
	} {
		var u usageError
		err := execute(context.Background(), bad, sys(&stdout, &stderr, env))
		if !errors.As(err, &u) {
			t.Errorf("%q: %v, want a usage error", bad, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "bad.docx")); err == nil {
			t.Errorf("%q wrote a file", bad)
		}
	}
}
