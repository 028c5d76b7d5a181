package planimport

import (
	"strings"
	"testing"

	"agencybot/i18n"
)

// The preview lists sections, matched agencies, collective phrases, unknown
// names and unreadable deadlines with their rows; in HTML every cell is
// escaped, so a cell can never be markup.
func TestPreviewListsWhatNeedsAttentionAndEscapes(t *testing.T) {
	rows := small(
		[]string{"II", "<b>CHUYỂN ĐỔI SỐ</b>"},
		[]string{"1", `<a href="tg://x">bấm</a> & <script>`, "Sở <i>Mới</i>; Sở Tư pháp", "Các sở, ban, ngành, địa phương", "Càng sớm càng tốt"},
		[]string{"2", "Việc thứ hai", "Sở <i>Mới</i>", "", "Sau khi Bộ ban hành hướng dẫn"},
	)
	tb, err := Parse("x.csv", csvOf(t, rows, ';', true), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tb.Tasks[2].Number != "II.1" || tb.Tasks[0].Number != "I.1" {
		t.Fatalf("numbers per section: %q %q", tb.Tasks[0].Number, tb.Tasks[2].Number)
	}
	p := NewPreview(tb, Meta{Number: "12/KH-UBND", Date: "2027-01-15", Title: "Kế hoạch <thử>"}, seedIndex(t))
	if len(p.Sections) != 2 || p.Sections[1].Tasks != 2 || len(p.Unknown) != 1 || p.Unknown[0].Text != "Sở <i>Mới</i>" ||
		!slicesEqual(p.Unknown[0].Rows, []int{7, 8}) || len(p.Unreadable) != 1 || p.Unreadable[0].Text != "Càng sớm càng tốt" {
		t.Fatalf("preview %+v", p)
	}
	h := p.HTML(i18n.VI)
	for _, bad := range []string{"<script>", "<i>", "<a ", "<thử>", "<b>CHUYỂN"} {
		if strings.Contains(h, bad) {
			t.Errorf("HTML preview holds %q unescaped:\n%s", bad, h)
		}
	}
	for _, want := range []string{"<b>Xem trước kế hoạch 12/KH-UBND ngày 15/01/2027</b>", "Kế hoạch &lt;thử&gt;", "Sở &lt;i&gt;Mới&lt;/i&gt; (dòng 7, 8)",
		"Càng sớm càng tốt (dòng 7)", "Sở Tư pháp", "Các sở, ban, ngành, địa phương", "II &lt;b&gt;CHUYỂN ĐỔI SỐ&lt;/b&gt;: 2 nhiệm vụ"} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML preview lacks %q:\n%s", want, h)
		}
	}
	if en := p.Text(i18n.EN); !strings.Contains(en, "Names not recognised (1)") || !strings.Contains(en, "Sở <i>Mới</i> (rows 7, 8)") {
		t.Errorf("English text preview:\n%s", en)
	}
}

// The template is a real workbook that reads back as a one-task table.
func TestTemplateReadsBack(t *testing.T) {
	b, err := Template()
	if err != nil {
		t.Fatal(err)
	}
	tb, err := Parse("mau.xlsx", b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Tasks) != 1 || tb.Tasks[0].Number != "1" || tb.Tasks[0].Section != "I" || tb.Tasks[0].Lead != "Sở Khoa học và Công nghệ" {
		t.Fatalf("template read back as %+v", tb.Tasks)
	}
}
