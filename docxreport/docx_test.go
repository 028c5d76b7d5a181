package docxreport

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/docxreport/docxtest"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/report/upward"
)

var (
	loc = time.FixedZone("ICT", 7*3600)
	now = time.Date(2025, 12, 24, 8, 0, 0, 0, loc)
)

// fixture: plan 2025 (number left blank, as the seed) with two sections and
// plan 2026 (numbered, dated). 25-1 is collective: three communes lead it,
// one done with its decision cited and a file, one blocked asking for
// money, one not started; it is overdue. 25-2 (one lead, one coordinating)
// falls due in January (the next quarter). 25-3 was done late this quarter.
// 26-I.1 is due in 2026, not started.
func fixture() report.Input {
	in := report.Input{Now: now, Loc: loc, Plans: []domain.Plan{
		{Key: "p25", Year: 2025, Number: "/KH-UBND", Date: "Đồng Tháp, ngày     tháng     năm 2025", Title: "Kế hoạch chuyển đổi số năm 2025",
			AppendixTitle: "DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM", Seq: 0, Open: true},
		{Key: "p26", Year: 2026, Number: "45/KH-UBND", Date: "Đồng Tháp, ngày 10 tháng 4 năm 2026", Title: "Kế hoạch khoa học, công nghệ 2026", Seq: 1, Open: true},
	}}
	for i, n := range []string{"Sở Khoa học và Công nghệ", "Sở Tài chính", "Xã Mỹ An", "Phường Cao Lãnh", "Xã Tháp Mười"} {
		in.Agencies = append(in.Agencies, domain.Agency{Key: fmt.Sprintf("a%d", i), Name: n})
	}
	today := deadline.DateOf(now)
	task := func(plan, code, sec, secTitle, num string, seq int, due deadline.Date, lead, coord domain.Cell) {
		in.Tasks = append(in.Tasks, domain.Task{Code: code, PlanKey: plan, Section: sec, SectionTitle: secTitle, Number: num, Seq: seq,
			Title: "Nhiệm vụ " + num + ": triển khai nền tảng số", Lead: lead, Coordinating: coord, Output: "Kế hoạch",
			Deadline: deadline.Deadline{Text: "Trước " + i18n.Date(due), Kind: deadline.Fixed, Due: due}})
	}
	task("p25", "25-1", "I", "HOÀN THIỆN THỂ CHẾ", "1", 0, today.AddDays(-5), domain.Cell{Text: "UBND các xã, phường", Group: agency.Group("communes")}, domain.Cell{})
	task("p25", "25-2", "I", "HOÀN THIỆN THỂ CHẾ", "2", 1, today.AddDays(30), domain.Cell{Text: "Sở Khoa học và Công nghệ"}, domain.Cell{Text: "Sở Tài chính"})
	task("p25", "25-3", "II", "HẠ TẦNG SỐ", "3", 2, today.AddDays(-20), domain.Cell{Text: "Sở Tài chính"}, domain.Cell{})
	task("p26", "26-I.1", "I", "NÂNG CAO NHẬN THỨC", "I.1", 0, today.AddDays(200), domain.Cell{Text: "Sở Khoa học và Công nghệ"}, domain.Cell{})
	add := func(code, ag string, role domain.Role, collective bool, st domain.Status, progress int, reported time.Time, note string) {
		a := domain.Assignment{ID: domain.AssignmentID(code, ag), TaskCode: code, AgencyKey: ag, Role: role, Collective: collective,
			State: domain.State{Status: st, Progress: progress, Note: note}, Kind: deadline.Fixed, ReportedAt: reported}
		for _, t := range in.Tasks {
			if t.Code == code {
				a.PlanKey, a.Due = t.PlanKey, t.Due()
			}
		}
		if st == domain.Done {
			a.DoneAt = reported
		}
		in.Assignments = append(in.Assignments, a)
	}
	add("25-1", "a2", domain.Lead, true, domain.Done, 100, now.AddDate(0, 0, -10), "Đã ban hành Quyết định số 12/QĐ-UBND ngày 14/12/2025")
	add("25-1", "a3", domain.Lead, true, domain.Blocked, 40, now.AddDate(0, 0, -2), "Thiếu kinh phí, đề nghị Sở Tài chính hỗ trợ")
	add("25-1", "a4", domain.Lead, true, domain.NotStarted, 0, time.Time{}, "")
	add("25-2", "a0", domain.Lead, false, domain.InProgress, 60, now.AddDate(0, 0, -1), "Đang lấy ý kiến các sở")
	add("25-2", "a1", domain.Coordinating, false, domain.InProgress, 30, now.AddDate(0, 0, -3), "")
	add("25-3", "a1", domain.Lead, false, domain.Done, 100, now.AddDate(0, 0, -4), "Kế hoạch số 45/KH-STC ngày 20/12/2025")
	add("26-I.1", "a0", domain.Lead, false, domain.NotStarted, 0, time.Time{}, "")
	in.Evidence = map[string]int{"25-1/a2": 1, "25-3/a1": 2}
	in.Files = map[string][]string{"25-1/a2": {"QD-12.pdf"}, "25-3/a1": {"KH-45.pdf", "phu-luc.xlsx"}}
	return in
}

// write writes the report and reads it back; with AGENCYBOT_REPORT_OUT set,
// the file is kept there under name to look at.
func write(t *testing.T, in report.Input, o Options, name string) (*docxtest.Doc, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, in, o); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("AGENCYBOT_REPORT_OUT"); dir != "" && name != "" {
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := docxtest.Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return d, buf.Bytes()
}

// Page 1 carries the form of Nghị định 30: the issuing body and its number
// on the left, the national heading, place and date on the right, then
// "BÁO CÁO" and its title naming the plans and the period; the page is A4
// portrait with the decree's margins, numbered from page 2 in the top
// margin; the appendix is a landscape A4 section; the text is Times New
// Roman, 13–14 pt in the body, at least 10 pt anywhere.
func TestDocumentForm(t *testing.T) {
	d, _ := write(t, fixture(), Options{}, "fixture.docx")
	head := d.Tables[0]
	if len(head) != 1 || len(head[0]) != 2 {
		t.Fatalf("heading block %q", head)
	}
	if got := head[0][0]; got != "UBND TỈNH ĐỒNG THÁP\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\n\nSố:        /BC-SKHCN" {
		t.Errorf("issuing body %q", got)
	}
	if got := head[0][1]; got != "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nĐồng Tháp, ngày 24 tháng 12 năm 2025" {
		t.Errorf("national heading %q", got)
	}
	for _, want := range []string{"BÁO CÁO", "Kết quả thực hiện Kế hoạch số …/KH-UBND năm 2025 và Kế hoạch số 45/KH-UBND ngày 10/04/2026 — kỳ báo cáo quý IV năm 2025"} {
		p, ok := d.Find(want)
		if !ok || p.Text != want || !p.Bold || p.Align != "center" {
			t.Errorf("%q: %+v", want, p)
		}
	}
	if strings.Contains(d.Text(), "ngày     tháng") || strings.Contains(d.Text(), "ngày tháng") {
		t.Error("a date with blanks is printed")
	}
	if len(d.Sections) != 2 {
		t.Fatalf("%d sections, want the report and the appendix", len(d.Sections))
	}
	body, app := d.Sections[0], d.Sections[1]
	if body.W != 11906 || body.H != 16838 || body.Orient != "portrait" {
		t.Errorf("report page %+v, want A4 portrait", body)
	}
	mmOf := func(tw int) float64 { return float64(tw) / 56.7 }
	if m := mmOf(body.Top); m < 20 || m > 25 {
		t.Errorf("top margin %.1f mm", m)
	}
	if m := mmOf(body.Bottom); m < 20 || m > 25 {
		t.Errorf("bottom margin %.1f mm", m)
	}
	if m := mmOf(body.Left); m < 30 || m > 35 {
		t.Errorf("left margin %.1f mm", m)
	}
	if m := mmOf(body.Right); m < 15 || m > 20 {
		t.Errorf("right margin %.1f mm", m)
	}
	if app.W != 16838 || app.H != 11906 || app.Orient != "landscape" {
		t.Errorf("appendix page %+v, want A4 landscape", app)
	}
	// Page numbers: a header with the PAGE field, not on page 1.
	if !body.TitlePage || body.HeaderID == "" || body.HeaderType != "default" {
		t.Errorf("report section header %+v", body)
	}
	rels := string(d.Parts["word/_rels/document.xml.rels"])
	if !strings.Contains(rels, `Id="`+body.HeaderID+`"`) || !strings.Contains(rels, `Target="header1.xml"`) {
		t.Errorf("header %s not in the relationships: %s", body.HeaderID, rels)
	}
	if h := string(d.Parts["word/header1.xml"]); !strings.Contains(h, `w:instr=" PAGE "`) {
		t.Errorf("header has no PAGE field: %s", h)
	}
	if ct := string(d.Parts["[Content_Types].xml"]); !strings.Contains(ct, `PartName="/word/header1.xml"`) {
		t.Errorf("header part has no content type")
	}
	// Fonts and sizes.
	if len(d.Fonts) != 1 || !d.Fonts["Times New Roman"] {
		t.Errorf("fonts %v", d.Fonts)
	}
	if !bytes.Contains(d.Parts["word/styles.xml"], []byte(`w:ascii="Times New Roman"`)) || !bytes.Contains(d.Parts["word/styles.xml"], []byte(`<w:sz w:val="28">`)) {
		t.Error("the default font is not Times New Roman 14 pt")
	}
	for _, p := range d.Body {
		for _, s := range p.Sizes {
			if s < 20 && strings.TrimSpace(p.Text) != "" {
				t.Errorf("%q is %d pt", p.Text, s/2)
			}
			if p.Table < 0 && p.Section == 0 && strings.TrimSpace(p.Text) != "" && p.Text[0] != '(' && s != 28 && s != 26 && p.Italic == false && !p.Bold {
				t.Errorf("body text %q is %v pt", p.Text, float64(s)/2)
			}
		}
	}
	core := string(d.Parts["docProps/core.xml"])
	for _, want := range []string{"<dc:title>Kết quả thực hiện Kế hoạch số …/KH-UBND năm 2025", "<dc:creator>Sở Khoa học và Công nghệ</dc:creator>", ">2025-12-24T01:00:00Z</dcterms:created>"} {
		if !strings.Contains(core, want) {
			t.Errorf("document properties lack %q: %s", want, core)
		}
	}
	for _, want := range []string{"Nơi nhận:", "- Ủy ban nhân dân tỉnh (để báo cáo);", "GIÁM ĐỐC", "[Họ và tên người ký]"} {
		if _, ok := d.Find(want); !ok {
			t.Errorf("no %q", want)
		}
	}
}

// The figures are the roll-up's: the sentence and the results table give,
// per plan and section and in total, the number of tasks and the four
// groups (and "chờ duyệt" while completions need review) that report.Summarize
// computes on the same input; "đã gia hạn" appears only when the input
// records extensions.
func TestFiguresAreTheSummarys(t *testing.T) {
	in := fixture()
	in.ReviewRequired = true
	in.Review = map[string]bool{"25-3/a1": true}
	sum := report.Summarize(in, report.Filter{})
	d, _ := write(t, in, Options{}, "")
	checkFigures(t, d, sum, true, false)
	if strings.Contains(d.Text(), "gia hạn") {
		t.Error("extensions shown with none recorded")
	}

	in.Extended = map[string]bool{"25-2/a0": true}
	sum = report.Summarize(in, report.Filter{})
	d, _ = write(t, in, Options{}, "")
	checkFigures(t, d, sum, true, true)
	if !strings.Contains(d.Text(), "trong đó đã gia hạn 1") {
		t.Errorf("no extension figure in:\n%s", d.Text())
	}
}

// checkFigures compares the report's figures with the summary's.
func checkFigures(t *testing.T, d *docxtest.Doc, sum report.Summary, review, extended bool) {
	t.Helper()
	c := sum.Counts
	want := fmt.Sprintf("Tổng số %d nhiệm vụ, trong đó: đã hoàn thành đúng hạn %d; đã hoàn thành quá hạn %d; đang thực hiện trong hạn %d; quá hạn chưa hoàn thành %d",
		c.Tasks, c.ByGroup[report.DoneOnTime], c.ByGroup[report.DoneLate], c.ByGroup[report.OnTrack], c.ByGroup[report.Late])
	if review {
		want += fmt.Sprintf("; chờ duyệt kết quả %d", c.Waiting)
	}
	if extended {
		want += fmt.Sprintf("; trong đó đã gia hạn %d", c.Extended)
	}
	want += fmt.Sprintf(". Tiến độ bình quân đạt %d%%.", c.Progress)
	if _, ok := d.Find(want); !ok {
		t.Errorf("no sentence %q in:\n%s", want, d.Text())
	}
	tb := d.TableWith("Kế hoạch / nhóm nhiệm vụ")
	if tb == nil {
		t.Fatal("no results table")
	}
	rows := map[string][]string{}
	for _, r := range tb[1:] {
		rows[r[0]] = r[1:]
	}
	check := func(label string, c report.Counts) {
		t.Helper()
		r, ok := rows[label]
		if !ok {
			t.Errorf("no row %q in %q", label, tb)
			return
		}
		nums := []int{c.Tasks, c.ByGroup[report.DoneOnTime], c.ByGroup[report.DoneLate], c.ByGroup[report.OnTrack], c.ByGroup[report.Late]}
		if review {
			nums = append(nums, c.Waiting)
		}
		if extended {
			nums = append(nums, c.Extended)
		}
		nums = append(nums, c.Progress)
		if len(r) != len(nums) {
			t.Errorf("%q: %d columns, want %d", label, len(r), len(nums))
			return
		}
		for i, n := range nums {
			if r[i] != strconv.Itoa(n) {
				t.Errorf("%q column %d = %s, summary %d", label, i+2, r[i], n)
			}
		}
	}
	check("Tổng cộng", c)
	for _, p := range sum.Plans {
		if len(sum.Plans) > 1 {
			check(upward.PlanRef(p.Plan, i18n.VI), p.Counts)
		}
		for _, s := range p.Sections {
			check(s.Section+". "+s.Title, s.Counts)
		}
	}
}

// In English everything is English but the national heading, which stays
// Vietnamese; the groups keep their meaning.
func TestEnglishReport(t *testing.T) {
	d, _ := write(t, fixture(), Options{Lang: "en"}, "fixture-en.docx")
	text := d.Text()
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "REPORT",
		"Results of implementing Plan No. …/KH-UBND (2025) and Plan No. 45/KH-UBND of 10/04/2026 — reporting period Q4 2025",
		"4 tasks in all: done on time 0; done late 1; in progress within the deadline 2; overdue, not finished 1", "Recipients:", "DIRECTOR", "Appendix I", "Overdue, not finished"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	for _, vi := range []string{"BÁO CÁO", "Nơi nhận", "GIÁM ĐỐC", "Phụ lục", "nhiệm vụ", "Quá hạn chưa hoàn thành"} {
		if strings.Contains(text, vi) {
			t.Errorf("Vietnamese %q in the English report", vi)
		}
	}
}

// A report narrowed to one agency names it in its title and lists only its
// tasks, its own part of each (a collective task is its line, not the
// group's).
func TestReportOfOneAgency(t *testing.T) {
	in := fixture()
	d, _ := write(t, in, Options{Filter: report.Filter{AgencyKey: "a3"}}, "")
	if _, ok := d.Find("Kết quả thực hiện Kế hoạch số …/KH-UBND năm 2025 và Kế hoạch số 45/KH-UBND ngày 10/04/2026 của Phường Cao Lãnh — kỳ báo cáo quý IV năm 2025"); !ok {
		t.Errorf("title:\n%s", d.Text())
	}
	var rows []string
	for _, tb := range d.Tables {
		if len(tb) > 0 && tb[0][0] == "STT" {
			for _, r := range tb[1:] {
				if len(r) == 9 {
					rows = append(rows, r[0]+"|"+r[6])
				}
			}
		}
	}
	if got := strings.Join(rows, ";"); got != "1|Gặp vướng mắc, tiến độ 40%" {
		t.Errorf("appendix rows %q", got)
	}
}
