package docxreport

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"
)

// The tests read the document back as a word processor would: the package
// (zip), its relationships and content types, and word/document.xml parsed
// into paragraphs, tables and sections.

// readDoc is a .docx read back.
type readDoc struct {
	parts    map[string][]byte
	body     []para       // every paragraph of the body, in order (table cells' included)
	tables   [][][]string // tables: rows of cells, each cell's paragraphs joined by "\n"
	sections []section    // in order; the last is the body's own
	fonts    map[string]bool
	styles   []byte
}

type para struct {
	text    string
	table   int // index of the table it is in; -1 outside tables
	section int // the section it belongs to
	sizes   []int
	bold    bool
	italic  bool
	align   string
}

type section struct {
	w, h                     int
	orient                   string
	top, bottom, left, right int
	headerID, headerType     string
	titlePage                bool
}

func readDocx(t *testing.T, data []byte) *readDoc {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	d := &readDoc{parts: map[string][]byte{}, fonts: map[string]bool{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		d.parts[f.Name] = b
	}
	doc, ok := d.parts["word/document.xml"]
	if !ok {
		t.Fatalf("no word/document.xml in %v", keys(d.parts))
	}
	d.styles = d.parts["word/styles.xml"]
	d.parse(t, doc)
	return d
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func (d *readDoc) parse(t *testing.T, doc []byte) {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var (
		cur      *para
		text     strings.Builder
		inRPr    bool
		table    = -1
		row      []string
		cellText []string
		inCell   bool
		sec      *section
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "tbl":
				d.tables = append(d.tables, nil)
				table = len(d.tables) - 1
			case "tr":
				row = nil
			case "tc":
				inCell, cellText = true, nil
			case "p":
				cur = &para{table: -1, section: len(d.sections)}
				if inCell {
					cur.table = table
				}
				text.Reset()
			case "rPr":
				inRPr = true
			case "sz":
				if inRPr && cur != nil {
					cur.sizes = append(cur.sizes, atoi(attr(e, "val")))
				}
			case "b":
				if inRPr && cur != nil && attr(e, "val") != "false" && attr(e, "val") != "0" {
					cur.bold = true
				}
			case "i":
				if inRPr && cur != nil && attr(e, "val") != "false" && attr(e, "val") != "0" {
					cur.italic = true
				}
			case "rFonts":
				if f := attr(e, "ascii"); f != "" {
					d.fonts[f] = true
				}
			case "jc":
				if cur != nil && !inRPr {
					cur.align = attr(e, "val")
				}
			case "br":
				text.WriteString("\n")
			case "sectPr":
				sec = &section{}
			case "pgSz":
				if sec != nil {
					sec.w, sec.h, sec.orient = atoi(attr(e, "w")), atoi(attr(e, "h")), attr(e, "orient")
				}
			case "pgMar":
				if sec != nil {
					sec.top, sec.bottom, sec.left, sec.right = atoi(attr(e, "top")), atoi(attr(e, "bottom")), atoi(attr(e, "left")), atoi(attr(e, "right"))
				}
			case "headerReference":
				if sec != nil {
					sec.headerID, sec.headerType = attr(e, "id"), attr(e, "type")
				}
			case "titlePg":
				if sec != nil {
					sec.titlePage = attr(e, "val") != "false" && attr(e, "val") != "0"
				}
			}
		case xml.CharData:
			if cur != nil {
				text.Write(e)
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "rPr":
				inRPr = false
			case "p":
				if cur != nil {
					cur.text = text.String()
					d.body = append(d.body, *cur)
					if inCell {
						cellText = append(cellText, cur.text)
					}
					cur = nil
				}
			case "tc":
				row = append(row, strings.Join(cellText, "\n"))
				inCell = false
			case "tr":
				d.tables[table] = append(d.tables[table], row)
			case "tbl":
				table = -1
			case "sectPr":
				d.sections = append(d.sections, *sec)
				sec = nil
			}
		}
	}
}

// text is the body's text, one paragraph a line.
func (d *readDoc) text() string {
	var b strings.Builder
	for _, p := range d.body {
		b.WriteString(p.text)
		b.WriteByte('\n')
	}
	return b.String()
}

// find is the first paragraph whose text contains s.
func (d *readDoc) find(s string) (para, bool) {
	for _, p := range d.body {
		if strings.Contains(p.text, s) {
			return p, true
		}
	}
	return para{}, false
}

// tableWith is the first table whose first row's first cell is head.
func (d *readDoc) tableWith(head string) [][]string {
	for _, tb := range d.tables {
		if len(tb) > 0 && len(tb[0]) > 0 && tb[0][0] == head {
			return tb
		}
	}
	return nil
}
