package docxreport

import (
	"strconv"
	"strings"
	"testing"

	"agencybot/testkit"
)

// LibreOffice opens the report and prints it on A4: the report's pages
// portrait, then one landscape page per plan's appendix (the fixture's
// tables are short), numbered from page 2 at the top; page 1 carries the
// heading, the last report page the signature; every font is Times New
// Roman or its metric twin Liberation Serif, so the draft prints as it will
// in the office.
func TestLibreOfficePrintsTheReport(t *testing.T) {
	exe := testkit.Soffice(t)
	_, data := write(t, fixture(), Options{}, "")
	pdf := testkit.ToPDF(t, exe, "bao-cao.docx", data)
	pages := testkit.PDFPages(t, pdf)
	var portrait, landscape int
	for i, p := range pages {
		switch {
		case testkit.A4(p, false) && landscape == 0:
			portrait++
		case testkit.A4(p, true):
			landscape++
		default:
			t.Errorf("page %d is %.1f × %.1f pt: not A4 in its place (portrait report, then landscape appendix)", i+1, p.W, p.H)
		}
	}
	if portrait < 2 || portrait > 4 || landscape != 2 {
		t.Errorf("%d portrait and %d landscape pages; want 2–4 and 2", portrait, landscape)
	}
	if !strings.Contains(pages[0].Text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") || !strings.Contains(pages[0].Text, "BÁO CÁO") {
		t.Errorf("page 1:\n%s", pages[0].Text)
	}
	if l := testkit.FirstLine(pages[0].Text); l == "1" {
		t.Error("page 1 is numbered")
	}
	for i := 1; i < len(pages); i++ {
		if l := testkit.FirstLine(pages[i].Text); l != strconv.Itoa(i+1) {
			t.Errorf("page %d starts with %q, not its number", i+1, l)
		}
	}
	// The results table is printed with its rows, not only its header (a
	// header row too tall for the rest of a page made LibreOffice drop the
	// rows of the seeded report once the waiting and extended columns came).
	var printed strings.Builder
	for _, p := range pages[:portrait] {
		printed.WriteString(p.Text)
	}
	if !strings.Contains(printed.String(), "Tổng cộng") {
		t.Errorf("the results table's total row is not printed:\n%s", printed.String())
	}
	if !strings.Contains(pages[portrait-1].Text, "Nơi nhận:") || !strings.Contains(pages[portrait-1].Text, "GIÁM ĐỐC") {
		t.Errorf("last report page has no signature block:\n%s", pages[portrait-1].Text)
	}
	for i, want := range []string{"Phụ lục I", "Phụ lục II"} {
		if p := pages[portrait+i]; !strings.Contains(p.Text, want) || !strings.Contains(p.Text, "Tình hình thực hiện") {
			t.Errorf("page %d lacks %q and the table:\n%s", portrait+i+1, want, p.Text)
		}
	}
	for _, f := range testkit.PDFFonts(t, pdf) {
		if !strings.Contains(f, "LiberationSerif") && !strings.Contains(f, "TimesNewRoman") {
			t.Errorf("font %s printed instead of Times New Roman (install fonts-liberation2; CI does)", f)
		}
	}
}
