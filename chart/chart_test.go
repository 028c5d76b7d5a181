package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/report"
)

// vnInput is a small province with Vietnamese names: 20 agencies (so the
// chart groups the last ones), two plans with sections.
func vnInput() report.Input {
	loc := time.FixedZone("ICT", 7*3600)
	now := time.Date(2025, 12, 24, 8, 0, 0, 0, loc)
	in := report.Input{Now: now, Loc: loc, Plans: []domain.Plan{
		{Key: "p25", Number: "", Year: 2025, Title: "Kế hoạch chuyển đổi số", Seq: 0, Open: true},
		{Key: "p26", Number: "45/KH-UBND", Year: 2026, Title: "Kế hoạch khoa học, công nghệ", Seq: 1, Open: true},
	}}
	names := []string{"Sở Khoa học và Công nghệ", "Ủy ban nhân dân xã Mỹ An", "Đồng Tháp: Sở Tài chính", "Công an tỉnh", "Sở Y tế",
		"Sở Giáo dục và Đào tạo", "Văn phòng Ủy ban nhân dân tỉnh", "Sở Công Thương", "Sở Nông nghiệp và Môi trường", "Sở Nội vụ",
		"Trường Đại học Đồng Tháp", "Phường Cao Lãnh", "Xã Tháp Mười", "Sở Xây dựng", "Sở Văn hóa, Thể thao và Du lịch",
		"Ban Quản lý các khu công nghiệp", "Sở Tư pháp", "Thanh tra tỉnh", "Xã Thanh Bình", "Phường Sa Đéc"}
	for i, n := range names {
		in.Agencies = append(in.Agencies, domain.Agency{Key: fmt.Sprintf("a%02d", i), Name: n})
	}
	sections := []struct{ plan, sec, title string }{
		{"p25", "I", "Hoàn thiện thể chế, chưa triển khai vướng mắc"}, {"p25", "II", "Hạ tầng số"},
		{"p26", "I", "Nâng cao nhận thức"}, {"p26", "II", "Phát triển nguồn nhân lực khoa học"}, {"p26", "III", "Đổi mới sáng tạo"},
	}
	today := deadline.DateOf(now)
	for si, s := range sections {
		for k := range 4 {
			code := fmt.Sprintf("%s-%s.%d", s.plan, s.sec, k+1)
			due := today.AddDays(-30 + 20*k + si)
			in.Tasks = append(in.Tasks, domain.Task{Code: code, PlanKey: s.plan, Section: s.sec, SectionTitle: s.title, Number: fmt.Sprintf("%s.%d", s.sec, k+1),
				Title: "Nhiệm vụ " + code, Seq: si*10 + k, Deadline: deadline.Deadline{Kind: deadline.Fixed, Due: due}})
			for ai := range in.Agencies {
				if (ai+k+si)%3 != 0 {
					continue
				}
				st := []domain.Status{domain.NotStarted, domain.InProgress, domain.Done, domain.Blocked}[(ai*7+k+si)%4]
				a := domain.Assignment{ID: domain.AssignmentID(code, in.Agencies[ai].Key), TaskCode: code, PlanKey: s.plan, AgencyKey: in.Agencies[ai].Key,
					Role: domain.Lead, State: domain.State{Status: st, Progress: 10 * ((ai + k) % 10)}, Due: due, Kind: deadline.Fixed, ReportedAt: now.AddDate(0, 0, -ai*3)}
				if st == domain.Done {
					a.Progress, a.DoneAt = 100, now.AddDate(0, 0, -ai)
				}
				in.Assignments = append(in.Assignments, a)
			}
		}
	}
	return in
}

// The chart's figures are the summary's: one bar per agency for the 15 most
// red, the other five summed in one bar; every light of every assignment is
// in some bar; one progress bar per plan and section with their means.
func TestFiguresAreTheSummarys(t *testing.T) {
	sum := report.Summarize(vnInput(), report.Filter{})
	f := FiguresOf(sum, "vi", 15)
	if len(f.Agencies) != 16 || f.Agencies[15].Grouped != 5 || f.Agencies[15].Label != "Các cơ quan khác (5)" {
		t.Fatalf("%d bars, last %+v", len(f.Agencies), f.Agencies[len(f.Agencies)-1])
	}
	var r, y, g int
	for i, b := range f.Agencies {
		r, y, g = r+b.Red, y+b.Yellow, g+b.Green
		if i > 0 && i < 15 && b.Red > f.Agencies[i-1].Red {
			t.Errorf("bar %d (%s) has more red than the one above it", i, b.Label)
		}
	}
	var sr, sy, sg int
	for _, a := range sum.Agencies {
		sr, sy, sg = sr+a.Red, sy+a.Yellow, sg+a.Green
	}
	if r != sr || y != sy || g != sg || r+y+g != sum.Assignments {
		t.Errorf("bars %d/%d/%d, summary %d/%d/%d of %d assignments", r, y, g, sr, sy, sg, sum.Assignments)
	}
	if len(f.Progress) != 7 || !f.Progress[0].Plan || f.Progress[0].Progress != sum.Plans[0].Progress || f.Progress[1].Progress != sum.Plans[0].Sections[0].Progress {
		t.Errorf("progress bars %+v", f.Progress)
	}
}

// Render writes a PNG 1080 px wide whose height grows with the bars; with
// AGENCYBOT_CHART_OUT set it is also saved there to look at.
func TestRenderWritesAPhoneWidePNG(t *testing.T) {
	in := vnInput()
	for _, c := range []struct {
		name string
		f    report.Filter
	}{{"all", report.Filter{}}, {"agency", report.Filter{AgencyKey: "a01"}}, {"empty", report.Filter{PlanKey: "none"}}} {
		var buf bytes.Buffer
		if err := Render(&buf, report.Summarize(in, c.f), Options{}); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		img, err := png.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", c.name, err)
		}
		if b := img.Bounds(); b.Dx() != 1080 || b.Dy() < 200 {
			t.Errorf("%s: %v, want 1080 px wide", c.name, b)
		}
		if dir := os.Getenv("AGENCYBOT_CHART_OUT"); dir != "" {
			if err := os.WriteFile(dir+"/chart-"+c.name+".png", buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// renderHeight renders figures and returns the PNG's height, failing on a
// PNG that is not 1080 px wide or is blank.
func renderHeight(t *testing.T, f Figures, lang string) int {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderFigures(&buf, f, lang); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if img.Bounds().Dx() != 1080 {
		t.Fatalf("%v, want 1080 px wide", img.Bounds())
	}
	if notBlank(img) == 0 {
		t.Fatal("blank image")
	}
	return img.Bounds().Dy()
}

// notBlank counts the pixels that are not white.
func notBlank(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				n++
			}
		}
	}
	return n
}

// Long section and agency names are shown whole, on several lines, and the
// rows grow to hold them: the chart with the long names is taller than the
// one with short names, and every word of each name is in its label.
func TestLongNamesWrapWhole(t *testing.T) {
	long := []string{"Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Đồng Tháp", "III. VỀ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ"}
	fig := func(agency, section string) Figures {
		return Figures{Today: deadline.Date{Year: 2026, Month: 12, Day: 2}, Scope: "x", Tasks: 1, Assignments: 1, AgencyCount: 1,
			Agencies: []AgencyBar{{Label: agency, Red: 1}, {Label: "Sở Y tế", Green: 2}},
			Progress: []ProgressBar{{Label: "Kế hoạch 2026", Plan: true, Progress: 40}, {Label: section, Progress: 40}}}
	}
	short, wrapped := renderHeight(t, fig("Sở Y tế", "I. Thể chế"), "vi"), renderHeight(t, fig(long[0], long[1]), "vi")
	if wrapped <= short {
		t.Errorf("long names: %d px high, short names: %d px; want the long ones taller", wrapped, short)
	}
	labels := append(agencyLabels([]AgencyBar{{Label: long[0]}}), progressLabels([]ProgressBar{{Label: long[1]}})...)
	for i, l := range labels {
		if strings.Contains(l, "…") || strings.Join(strings.Fields(l), " ") != long[i] {
			t.Errorf("label %q, want all of %q", l, long[i])
		}
		for _, line := range strings.Split(l, "\n") {
			if n := utf8.RuneCountInString(strings.TrimSpace(line)); n > labelMax {
				t.Errorf("line %q has %d runes, more than %d", line, n, labelMax)
			}
		}
	}
}

// The agencies' axis counts pieces of work: whole numbers only, even for one
// agency with one or two of them (it read "0.00 … 25.00").
func TestAgencyAxisShowsWholeCounts(t *testing.T) {
	for _, bars := range [][]AgencyBar{{{Label: "Sở Y tế", Green: 1}}, {{Label: "Sở Y tế", Red: 1, Yellow: 1}}, {{Label: "Sở Y tế", Green: 37}}} {
		p, err := agencyPlot(bars, textsFor("vi"))
		if err != nil {
			t.Fatal(err)
		}
		p.X.Max = float64(bars[0].Red + bars[0].Yellow + bars[0].Green)
		ticks := p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max)
		var shown []string
		for _, tk := range ticks {
			if tk.Label == "" {
				continue
			}
			shown = append(shown, tk.Label)
			if v, err := strconv.Atoi(tk.Label); err != nil || float64(v) != tk.Value {
				t.Errorf("%+v: tick %q at %v, want a whole count", bars, tk.Label, tk.Value)
			}
		}
		if len(shown) < 2 {
			t.Errorf("%+v: ticks %v, want at least 0 and one more", bars, shown)
		}
	}
}
