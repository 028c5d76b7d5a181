package xlsxreport

import (
	"github.com/xuri/excelize/v2"

	"agencybot/report"
)

// styles are the workbook's cell styles, created once per file.
type styles struct {
	title, subtitle, appendix, header, section, cell, center, heading int
	group                                                             map[report.Group]int // a task's or part's group, filled in its colour
}

func newStyles(x *excelize.File) (*styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1},
	}
	wrapTop := &excelize.Alignment{WrapText: true, Vertical: "top"}
	wrapCenter := &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}
	font := func(bold, italic bool, size float64) *excelize.Font {
		return &excelize.Font{Bold: bold, Italic: italic, Size: size, Family: "Times New Roman"}
	}
	fill := func(c string) excelize.Fill { return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}} }
	st := &styles{group: map[report.Group]int{}}
	defs := []struct {
		id *int
		s  excelize.Style
	}{
		{&st.title, excelize.Style{Font: font(true, false, 13), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.subtitle, excelize.Style{Font: font(false, true, 12), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.appendix, excelize.Style{Font: font(true, false, 13), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&st.heading, excelize.Style{Font: font(true, false, 12)}},
		{&st.header, excelize.Style{Font: font(true, false, 11), Alignment: wrapCenter, Border: border, Fill: fill("D9E2F3")}},
		{&st.section, excelize.Style{Font: font(true, false, 11), Alignment: wrapTop, Border: border, Fill: fill("F2F2F2")}},
		{&st.cell, excelize.Style{Font: font(false, false, 11), Alignment: wrapTop, Border: border}},
		{&st.center, excelize.Style{Font: font(false, false, 11), Alignment: &excelize.Alignment{WrapText: true, Vertical: "top", Horizontal: "center"}, Border: border}},
	}
	for _, d := range defs {
		id, err := x.NewStyle(&d.s)
		if err != nil {
			return nil, err
		}
		*d.id = id
	}
	// The groups in colours a printed copy keeps: done green, done late
	// amber, overdue red; in progress within the deadline plain.
	fills := map[report.Group]string{report.DoneOnTime: "C6EFCE", report.DoneLate: "FFEB9C", report.Late: "FFC7CE"}
	for _, g := range report.Groups { // in order: the same file every time
		s := excelize.Style{Font: font(false, false, 11), Alignment: &excelize.Alignment{WrapText: true, Vertical: "top", Horizontal: "center"}, Border: border}
		if c, ok := fills[g]; ok {
			s.Fill = fill(c)
		}
		id, err := x.NewStyle(&s)
		if err != nil {
			return nil, err
		}
		st.group[g] = id
	}
	return st, nil
}

// printSetup makes a sheet print on A4 landscape, fit to the page width,
// with its header row repeated on every page and the page number ("Trang
// 3/12") centred in the footer.
func printSetup(x *excelize.File, sheet string, headerRow int, footer string) error {
	size, orient, one, zero, fit := 9, "landscape", 1, 0, true // 9: A4
	if err := x.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	if err := x.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	m, bottom, foot := 0.5, 0.7, 0.3
	if err := x.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &m, Right: &m, Top: &m, Bottom: &bottom, Footer: &foot}); err != nil {
		return err
	}
	if err := x.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: `&C&"Times New Roman,Regular"&10` + footer}); err != nil {
		return err
	}
	if headerRow > 0 {
		ref := "'" + sheet + "'!$" + itoa(headerRow) + ":$" + itoa(headerRow)
		if err := x.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: ref, Scope: sheet}); err != nil {
			return err
		}
	}
	return nil
}
