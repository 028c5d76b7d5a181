package testkit

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The office tests print what the program writes (the report upward, the
// Excel report) as an office would: LibreOffice converts it to PDF, and
// poppler's pdfinfo, pdftotext and pdffonts read the PDF.

// Soffice finds LibreOffice on the PATH; without it the test skips (CI
// installs it: .ci/run).
func Soffice(t testing.TB) string {
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
func poppler(t testing.TB, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("%s is missing: install poppler-utils (CI does, .ci/run)", tool)
	}
	return p
}

// ToPDF converts the file to PDF with LibreOffice, as "Export as PDF" does,
// in a profile of its own, and returns the PDF's path.
func ToPDF(t testing.TB, exe, name string, data []byte) string {
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

// PDFPage is one printed page: its size in points and its text.
type PDFPage struct {
	W, H float64
	Text string
}

var pageSize = regexp.MustCompile(`(?m)^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts`)

// PDFPages reads every page's size (pdfinfo) and text (pdftotext).
func PDFPages(t testing.TB, pdf string) []PDFPage {
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
	pages := make([]PDFPage, n)
	for _, s := range pageSize.FindAllSubmatch(sizes, -1) {
		i, _ := strconv.Atoi(string(s[1]))
		pages[i-1].W, _ = strconv.ParseFloat(string(s[2]), 64)
		pages[i-1].H, _ = strconv.ParseFloat(string(s[3]), 64)
	}
	for i := range pages {
		txt, err := exec.Command(poppler(t, "pdftotext"), "-layout", "-f", strconv.Itoa(i+1), "-l", strconv.Itoa(i+1), pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		pages[i].Text = string(txt)
	}
	return pages
}

// A4 tells whether a page is A4, portrait or landscape (595 × 842 pt).
func A4(p PDFPage, landscape bool) bool {
	w, h := p.W, p.H
	if landscape {
		w, h = h, w
	}
	return w > 594 && w < 597 && h > 840 && h < 843
}

// FirstLine is the first line of a page's text that is not blank.
func FirstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// PDFFonts lists the fonts a PDF embeds (pdffonts).
func PDFFonts(t testing.TB, pdf string) []string {
	t.Helper()
	out, err := exec.Command(poppler(t, "pdffonts"), pdf).Output()
	if err != nil {
		t.Fatalf("pdffonts: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var fonts []string
	for _, l := range lines[min(2, len(lines)):] {
		if f := strings.Fields(l); len(f) > 0 {
			fonts = append(fonts, f[0])
		}
	}
	return fonts
}

var wordBox = regexp.MustCompile(`<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">`)

// MedianWordHeight is the median height, in points, of the words printed on
// a page (pdftotext -bbox): about 1.15 times their font size.
func MedianWordHeight(t testing.TB, pdf string, page int) float64 {
	t.Helper()
	out, err := exec.Command(poppler(t, "pdftotext"), "-bbox", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var hs []float64
	for _, m := range wordBox.FindAllSubmatch(out, -1) {
		y0, _ := strconv.ParseFloat(string(m[1]), 64)
		y1, _ := strconv.ParseFloat(string(m[2]), 64)
		hs = append(hs, y1-y0)
	}
	if len(hs) == 0 {
		return 0
	}
	sort.Float64s(hs)
	return hs[len(hs)/2]
}
