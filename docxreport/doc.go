package docxreport

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gomutex/godocx"
	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"
)

// This file is the small layer over godocx the report is written with:
// paragraphs and runs in the document's typography, tables with fixed
// column widths, sections, and the page-number header.

// Sizes and lengths. Word measures fonts in points (godocx takes whole
// points) and lengths in twips (1/20 pt); a millimetre is 56.7 twips.
const (
	fontName = "Times New Roman"

	sizeBody     = 14 // body text (Nghị định 30: 13–14)
	sizeTable    = 12 // the results table
	sizeAppendix = 10 // the appendix table: at least 10 pt, readable when printed
	sizeSmall    = 11 // the recipients

	a4Width  = 11906 // 210 mm
	a4Height = 16838 // 297 mm
)

func mm(v float64) int { return int(v*56.7 + 0.5) }

// format is how a paragraph looks.
type format struct {
	size          uint64 // points; 0: the body size
	bold, italic  bool
	align         stypes.Justification // "" : justified (body text)
	firstLine     int                  // first-line indent, twips
	left, right   int                  // indents, twips
	before, after uint64               // spacing, twips
	keepNext      bool                 // keep with the next paragraph (headings, the last line before a table)
	pageBreak     bool                 // start on a new page
	rule          bool                 // a rule under the paragraph (the line under a heading block's name)
}

// builder writes the document body.
type builder struct {
	root *docx.RootDoc
}

func newBuilder() (*builder, error) {
	root, err := godocx.NewDocument()
	if err != nil {
		return nil, fmt.Errorf("new document: %w", err)
	}
	b := &builder{root: root}
	b.defaults()
	return b, nil
}

// defaults sets the document's default font (Times New Roman, the body
// size, Vietnamese) and paragraph spacing (single lines, 6 pt after), so that
// text typed into the draft looks like the rest.
func (b *builder) defaults() {
	size := uint64(sizeBody * 2)
	lang := "vi-VN"
	after, line, rule := uint64(120), 240, stypes.LineSpacingRuleAuto
	b.root.DocStyles.DocDefaults = &ctypes.DocDefault{
		RunProp: &ctypes.RunPropDefault{RunProp: &ctypes.RunProperty{
			Fonts: &ctypes.RunFonts{Ascii: fontName, HAnsi: fontName, EastAsia: fontName, CS: fontName},
			Size:  ctypes.NewFontSize(size), SizeCs: ctypes.NewFontSizeCS(size),
			Lang: &ctypes.Lang{Val: &lang},
		}},
		ParaProp: &ctypes.ParaPropDefault{ParaProp: &ctypes.ParagraphProp{
			Spacing: &ctypes.Spacing{After: &after, Line: &line, LineRule: &rule},
		}},
	}
}

// para adds a paragraph of text to the body. Lines of text ("\n") become
// lines of the paragraph.
func (b *builder) para(f format, text string) *docx.Paragraph {
	p := b.root.AddEmptyParagraph()
	fill(p, f, text)
	return p
}

func fill(p *docx.Paragraph, f format, text string) {
	shape(p, f)
	addText(p, f, text)
}

// addText adds text in f's font to p, a line break at each "\n".
func addText(p *docx.Paragraph, f format, text string) {
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			p.AddRun().AddBreak(nil) // a line break
		}
		r := p.AddText(line)
		size := f.size
		if size == 0 {
			size = sizeBody
		}
		r.Size(size).Font(fontName)
		if f.bold {
			r.Bold(true)
		}
		if f.italic {
			r.Italic(true)
		}
	}
}

// shape sets p's alignment, indents, spacing and page flow.
func shape(p *docx.Paragraph, f format) {
	align := f.align
	if align == "" {
		align = stypes.JustificationBoth
	}
	p.Justification(align)
	p.Spacing(f.before, f.after)
	pr := p.GetCT().Property
	if f.firstLine > 0 || f.left > 0 || f.right > 0 {
		ind := &ctypes.Indent{}
		if f.firstLine > 0 {
			fl := uint64(f.firstLine)
			ind.FirstLine = &fl
		}
		if f.left > 0 {
			ind.Left = &f.left
		}
		if f.right > 0 {
			ind.Right = &f.right
		}
		pr.Indent = ind
	}
	if f.keepNext {
		pr.KeepNext = ctypes.OnOffFromBool(true)
	}
	if f.pageBreak {
		pr.PageBreakBefore = ctypes.OnOffFromBool(true)
	}
	if f.rule {
		sz, space, color := 6, "1", "000000"
		pr.Border = &ctypes.ParaBorder{Bottom: &ctypes.Border{Val: stypes.BorderStyleSingle, Size: &sz, Space: &space, Color: &color}}
	}
}

// table is a table with fixed column widths (twips), outer and inner
// borders when ruled, and its first header rows repeated on every page.
type table struct {
	t      *docx.Table
	widths []int
}

func (b *builder) table(widths []int, ruled bool) *table {
	t := b.root.AddTable()
	total := 0
	grid := make([]uint64, len(widths))
	for i, w := range widths {
		total += w
		grid[i] = uint64(w)
	}
	t.Width(total, stypes.TableWidthDxa).Layout(stypes.TableLayoutFixed).Grid(grid...)
	pad := ctypes.NewTableWidth(mm(1.2), stypes.TableWidthDxa)
	t.CellMargin(nil, pad, nil, pad)
	style := stypes.BorderStyleNone
	if ruled {
		style = stypes.BorderStyleSingle
	}
	line := func() *ctypes.Border {
		sz, space, color := 4, "0", "000000"
		return &ctypes.Border{Val: style, Size: &sz, Space: &space, Color: &color}
	}
	t.GetCT().TableProp.Borders = &ctypes.TableBorders{Top: line(), Left: line(), Bottom: line(), Right: line(), InsideH: line(), InsideV: line()}
	return &table{t: t, widths: widths}
}

// cell is the content of one cell: its lines (each a paragraph) in a format,
// spanning span columns (0 or 1: one).
type cell struct {
	lines []string
	f     format
	span  int
	fill  string // background colour, e.g. "F2F2F2"; "" none
	parts []cell // instead of lines: the lines of several cells, each in its format
}

// row adds a row of cells; header rows repeat at the top of every page.
func (t *table) row(header bool, cells ...cell) {
	r := t.t.AddRow()
	col := 0
	for _, c := range cells {
		tc := r.AddCell()
		span := max(c.span, 1)
		w := 0
		for i := col; i < col+span && i < len(t.widths); i++ {
			w += t.widths[i]
		}
		col += span
		tc.Width(w, stypes.TableWidthDxa)
		if span > 1 {
			tc.ColSpan(span)
		}
		if c.fill != "" {
			tc.BackgroundColor(c.fill)
		}
		tc.VerticalAlign("top")
		parts := c.parts
		if len(parts) == 0 {
			parts = []cell{c}
		}
		for _, pc := range parts {
			lines := pc.lines
			if len(lines) == 0 && len(c.parts) == 0 {
				lines = []string{""} // a cell holds at least one paragraph
			}
			for _, l := range lines {
				fill(tc.AddEmptyPara(), pc.f, l)
			}
		}
	}
	ct := t.t.GetCT()
	last := ct.RowContents[len(ct.RowContents)-1].Row
	if header {
		last.Property.Header = ctypes.OnOffFromBool(true)
		last.Property.CantSplit = ctypes.OnOffFromBool(true)
	}
}

// keepRow keeps the last row on one page (a row taller than a page still
// breaks).
func (t *table) keepRow() {
	ct := t.t.GetCT()
	ct.RowContents[len(ct.RowContents)-1].Row.Property.CantSplit = ctypes.OnOffFromBool(true)
}

// page is a section's page: its size, orientation and margins (mm).
type page struct {
	landscape                bool
	top, bottom, left, right float64
}

// Margins of Nghị định 30/2020/NĐ-CP (Phụ lục I): a portrait page 20–25 mm
// top and bottom, 30–35 mm left (the binding), 15–20 mm right; a landscape
// page is bound at its top, so there the wide margin is on top.
var (
	portrait  = page{top: 20, bottom: 20, left: 30, right: 15}
	landscape = page{landscape: true, top: 30, bottom: 15, left: 20, right: 20}
)

// width is the page's text width, twips.
func (pg page) width() int {
	w := a4Width
	if pg.landscape {
		w = a4Height
	}
	return w - mm(pg.left) - mm(pg.right)
}

// sectPr is a section's properties: its page, the page-number header
// (headerID, "" none) and, with titlePage, none on its first page.
func (pg page) sectPr(headerID string, titlePage bool) *ctypes.SectionProp {
	w, h := uint64(a4Width), uint64(a4Height)
	orient := stypes.PageOrientPortrait
	if pg.landscape {
		w, h, orient = h, w, stypes.PageOrientLandscape
	}
	top, bottom, left, right := mm(pg.top), mm(pg.bottom), mm(pg.left), mm(pg.right)
	header, footer, gutter := mm(10), mm(10), 0
	s := &ctypes.SectionProp{
		PageSize:   &ctypes.PageSize{Width: &w, Height: &h, Orient: orient},
		PageMargin: &ctypes.PageMargin{Top: &top, Bottom: &bottom, Left: &left, Right: &right, Header: &header, Footer: &footer, Gutter: &gutter},
		Type:       ctypes.NewGenSingleStrVal(stypes.SectionMarkNextPage),
	}
	if headerID != "" {
		s.HeaderReference = &ctypes.HeaderReference{Type: stypes.HdrFtrDefault, ID: headerID}
	}
	if titlePage {
		s.TitlePg = ctypes.NewGenSingleStrVal(stypes.OnOffTrue)
	}
	return s
}

// endSection ends the section of everything written so far with pg's
// properties: Word keeps a section's properties in its last paragraph.
func (b *builder) endSection(s *ctypes.SectionProp) {
	p := b.root.AddEmptyParagraph()
	p.Spacing(0, 0)
	p.GetCT().Property.SectPr = s
}

// Relationship and content types of a header part (ECMA-376 Part 1, 11.3.9).
const (
	headerRelType     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
	headerContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
)

// pageNumberHeader adds the header part that numbers the pages and returns
// its relationship id. Nghị định 30 puts the number centred in the top
// margin, in the body's size, and not on the first page (titlePg).
//
// godocx models section properties, header references and relationships,
// but neither writes header parts nor has a field element (w:fldSimple,
// w:fldChar): this part is the one piece of WordprocessingML written here,
// given to the package through godocx's own file map, relationships and
// content types. It is a single paragraph holding the PAGE field.
func (b *builder) pageNumberHeader() string {
	const name = "header1.xml"
	part := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<w:p><w:pPr><w:jc w:val="center"/><w:spacing w:before="0" w:after="0"/></w:pPr>` +
		`<w:fldSimple w:instr=" PAGE "><w:r><w:rPr><w:rFonts w:ascii="` + fontName + `" w:hAnsi="` + fontName + `" w:cs="` + fontName + `"/>` +
		`<w:sz w:val="` + strconv.Itoa(sizeBody*2) + `"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple></w:p></w:hdr>`
	b.root.FileMap.Store("word/"+name, []byte(part))
	_ = b.root.ContentType.AddOverride("/word/"+name, headerContentType)
	doc := b.root.Document
	id := "rId" + strconv.Itoa(doc.IncRelationID())
	doc.DocRels.Relationships = append(doc.DocRels.Relationships, &docx.Relationship{ID: id, Type: headerRelType, Target: name})
	return id
}

// coreProps is the package's core properties part (docProps/core.xml,
// ECMA-376 Part 2, 11): godocx reads it but writes the template's (author
// "gomutex", 2013), which Word shows in the file's properties. The report's
// title, its issuer and the time it was written replace it.
type coreProps struct {
	XMLName  xml.Name `xml:"cp:coreProperties"`
	CP       string   `xml:"xmlns:cp,attr"`
	DC       string   `xml:"xmlns:dc,attr"`
	DCTerms  string   `xml:"xmlns:dcterms,attr"`
	XSI      string   `xml:"xmlns:xsi,attr"`
	Title    string   `xml:"dc:title"`
	Creator  string   `xml:"dc:creator"`
	Language string   `xml:"dc:language"`
	Created  w3cdtf   `xml:"dcterms:created"`
	Modified w3cdtf   `xml:"dcterms:modified"`
}

type w3cdtf struct {
	Type  string `xml:"xsi:type,attr"`
	Value string `xml:",chardata"`
}

// properties replaces the core properties.
func (b *builder) properties(title, creator, lang string, at time.Time) error {
	when := w3cdtf{Type: "dcterms:W3CDTF", Value: at.UTC().Format(time.RFC3339)}
	out, err := xml.Marshal(coreProps{
		CP: "http://schemas.openxmlformats.org/package/2006/metadata/core-properties", DC: "http://purl.org/dc/elements/1.1/",
		DCTerms: "http://purl.org/dc/terms/", XSI: "http://www.w3.org/2001/XMLSchema-instance",
		Title: title, Creator: creator, Language: lang, Created: when, Modified: when,
	})
	if err != nil {
		return err
	}
	b.root.FileMap.Store("docProps/core.xml", append([]byte(xml.Header), out...))
	return nil
}
