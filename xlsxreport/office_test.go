package xlsxreport

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"agencybot/domain"
	"agencybot/report"
	"agencybot/testkit"
)

// LibreOffice prints the workbook as an office prints the attachment: every
// page A4 landscape; each sheet of the fixture on one page; every page
// numbered in its footer; the plan sheets under their "Phụ lục" heading
// with the status columns and no light words; the text of a plan sheet
// printed at 10 pt or more.
func TestLibreOfficePrintsTheWorkbook(t *testing.T) {
	exe := testkit.Soffice(t)
	in, ups := fixture()
	hist := func(fn func(domain.Update) error) error {
		for _, u := range ups {
			if err := fn(u); err != nil {
				return err
			}
		}
		return nil
	}
	var buf bytes.Buffer
	if err := Write(&buf, in, report.Filter{}, hist, Options{}); err != nil {
		t.Fatal(err)
	}
	pdf := testkit.ToPDF(t, exe, "phu-luc.xlsx", buf.Bytes())
	pages := testkit.PDFPages(t, pdf)
	if len(pages) != 5 {
		t.Errorf("%d pages, want one per sheet (5)", len(pages))
	}
	plan := -1
	for i, p := range pages {
		if !testkit.A4(p, true) {
			t.Errorf("page %d is %.1f × %.1f pt, not A4 landscape", i+1, p.W, p.H)
		}
		if want := fmt.Sprintf("Trang %d/%d", i+1, len(pages)); !strings.Contains(p.Text, want) {
			t.Errorf("page %d has no %q in its footer:\n%s", i+1, want, p.Text)
		}
		if testkit.FirstLine(p.Text) == "Phụ lục I" {
			plan = i
		}
	}
	if plan < 0 {
		t.Fatal("no page begins with Phụ lục I")
	}
	text := pages[plan].Text
	for _, want := range []string{"Kèm theo Báo cáo số", "Tình hình thực hiện", "Đánh giá", "2/3 cơ quan"} {
		if !strings.Contains(text, want) {
			t.Errorf("the plan page lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Đèn") || strings.Contains(text, "Nhóm") {
		t.Errorf("internal words on the plan page:\n%s", text)
	}
	// pdftotext boxes Liberation Serif's words 1.3 times their size high
	// (10 pt text: 13 pt; the report's appendix measures so): 13 pt is 10 pt.
	if h := testkit.MedianWordHeight(t, pdf, plan+1); h < 13 {
		t.Errorf("the plan page's words are %.1f pt high: its text prints under 10 pt", h)
	}
}
