package docxreport

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The report as an office opens and prints it: LibreOffice converts it to
// PDF, and poppler's pdfinfo, pdftotext and pdffonts read the PDF.

// soffice finds LibreOffice on the PATH; without it the test skips (CI
// installs it: .ci/run).
func soffice(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no LibreOffice on this machine: install it (apt-get install -y --no-install-recommends libreoffice-writer-nogui poppler-utils fonts-liberation) to run the office test; CI does (.ci/run)")
	return ""
}

// poppler is the path of one of poppler's tools; LibreOffice being there,
// they must be too.
func poppler(t *testing.T, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("%s is missing: install poppler-utils (CI does, .ci/run)", tool)
	}
	return p
}

// toPDF converts the file to PDF with LibreOffice, as "Export as PDF" does,
// in a profile of its own, and returns the PDF's path.
func toPDF(t *testing.T, exe, name string, data []byte) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, name)
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "pdf", "--outdir", dir, src)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	out, err := cmd.CombinedOutput()
	pdf := strings.TrimSuffix(src, filepath.Ext(src)) + ".pdf"
	if _, serr := os.Stat(pdf); err != nil || serr != nil {
		t.Fatalf("LibreOffice did not convert %s: %v %v\n%s", name, err, serr, out)
	}
	if keep := os.Getenv("AGENCYBOT_REPORT_OUT"); keep != "" {
		b, _ := os.ReadFile(pdf)
		_ = os.WriteFile(filepath.Join(keep, filepath.Base(pdf)), b, 0o644)
	}
	return pdf
}

// pdfPage is one printed page: its size in points and its text.
type pdfPage struct {
	w, h float64
	text string
}

var pageSize = regexp.MustCompile(`(?m)^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts`)

// pdfPages reads every page's size (pdfinfo) and text (pdftotext).
func pdfPages(t *testing.T, pdf string) []pdfPage {
	t.Helper()
	info, err := exec.Command(poppler(t, "pdfinfo"), pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo: no page count in\n%s", info)
	}
	n, _ := strconv.Atoi(string(m[1]))
	sizes, err := exec.Command(poppler(t, "pdfinfo"), "-f", "1", "-l", strconv.Itoa(n), pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	pages := make([]pdfPage, n)
	for _, s := range pageSize.FindAllSubmatch(sizes, -1) {
		i, _ := strconv.Atoi(string(s[1]))
		pages[i-1].w, _ = strconv.ParseFloat(string(s[2]), 64)
		pages[i-1].h, _ = strconv.ParseFloat(string(s[3]), 64)
	}
	for i := range pages {
		txt, err := exec.Command(poppler(t, "pdftotext"), "-layout", "-f", strconv.Itoa(i+1), "-l", strconv.Itoa(i+1), pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		pages[i].text = string(txt)
	}
	return pages
}

// a4 tells whether a page is A4, portrait or landscape (595 × 842 pt).
func a4(p pdfPage, landscape bool) bool {
	w, h := p.w, p.h
	if landscape {
		w, h = h, w
	}
	return w > 594 && w < 597 && h > 840 && h < 843
}

// firstLine is the first line of a page's text that is not blank.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// LibreOffice opens the report and prints it on A4: the report's pages
// portrait, then one landscape page per plan's appendix (the fixture's
// tables are short), numbered from page 2 at the top; page 1 carries the
// heading, the last report page the signature; every font is Times New
// Roman or its metric twin Liberation Serif, so the draft prints as it will
// in the office.
func TestLibreOfficePrintsTheReport(t *testing.T) {
	exe := soffice(t)
	_, data := write(t, fixture(), Options{}, "")
	pdf := toPDF(t, exe, "bao-cao.docx", data)
	pages := pdfPages(t, pdf)
	var portrait, landscape int
	for i, p := range pages {
		switch {
		case a4(p, false) && landscape == 0:
			portrait++
		case a4(p, true):
			landscape++
		default:
			t.Errorf("page %d is %.1f × %.1f pt: not A4 in its place (portrait report, then landscape appendix)", i+1, p.w, p.h)
		}
	}
	if portrait < 2 || portrait > 4 || landscape != 2 {
		t.Errorf("%d portrait and %d landscape pages; want 2–4 and 2", portrait, landscape)
	}
	if !strings.Contains(pages[0].text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") || !strings.Contains(pages[0].text, "BÁO CÁO") {
		t.Errorf("page 1:\n%s", pages[0].text)
	}
	if l := firstLine(pages[0].text); l == "1" {
		t.Error("page 1 is numbered")
	}
	for i := 1; i < len(pages); i++ {
		if l := firstLine(pages[i].text); l != strconv.Itoa(i+1) {
			t.Errorf("page %d starts with %q, not its number", i+1, l)
		}
	}
	if !strings.Contains(pages[portrait-1].text, "Nơi nhận:") || !strings.Contains(pages[portrait-1].text, "GIÁM ĐỐC") {
		t.Errorf("last report page has no signature block:\n%s", pages[portrait-1].text)
	}
	for i, want := range []string{"Phụ lục I", "Phụ lục II"} {
		if p := pages[portrait+i]; !strings.Contains(p.text, want) || !strings.Contains(p.text, "Tình hình thực hiện") {
			t.Errorf("page %d lacks %q and the table:\n%s", portrait+i+1, want, p.text)
		}
	}
	fonts, err := exec.Command(poppler(t, "pdffonts"), pdf).Output()
	if err != nil {
		t.Fatalf("pdffonts: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(fonts)), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts:\n%s", fonts)
	}
	for _, l := range lines[2:] {
		if f := strings.Fields(l)[0]; !strings.Contains(f, "LiberationSerif") && !strings.Contains(f, "TimesNewRoman") {
			t.Errorf("font %s printed instead of Times New Roman (install fonts-liberation; CI does)", f)
		}
	}
}
