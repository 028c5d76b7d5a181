// Package docxtest reads a .docx back for the tests of the packages that
// write or send one (docxreport, cmd, bot): the package's parts, and
// word/document.xml parsed into paragraphs, tables and sections, as a word
// processor lays them out.
package docxtest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Doc is a .docx read back.
type Doc struct {
	Parts    map[string][]byte // every part of the package by name
	Body     []Para            // every paragraph of the body, in order (table cells' included)
	Tables   [][][]string      // tables: rows of cells, each cell's paragraphs joined by "\n"
	Sections []Section         // in order; the last is the body's own
	Fonts    map[string]bool   // the fonts runs name (w:rFonts w:ascii)
}

// Para is one paragraph.
type Para struct {
	Text    string
	Table   int   // index of the table it is in; -1 outside tables
	Section int   // the section it belongs to
	Sizes   []int // its runs' sizes, in half points
	Bold    bool  // a run of it is bold
	Italic  bool  // a run of it is italic
	Align   string
}

// Section is a section's page: size and margins in twips.
type Section struct {
	W, H                     int
	Orient                   string
	Top, Bottom, Left, Right int
	HeaderID, HeaderType     string
	TitlePage                bool
}

// Read reads a .docx.
func Read(data []byte) (*Doc, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a zip: %w", err)
	}
	d := &Doc{Parts: map[string][]byte{}, Fonts: map[string]bool{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		d.Parts[f.Name] = b
	}
	doc, ok := d.Parts["word/document.xml"]
	if !ok {
		return nil, fmt.Errorf("no word/document.xml in %v", keys(d.Parts))
	}
	return d, d.parse(doc)
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

func (d *Doc) parse(doc []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var (
		cur      *Para
		text     strings.Builder
		inRPr    bool
		table    = -1
		row      []string
		cellText []string
		inCell   bool
		sec      *Section
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("document.xml: %w", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "tbl":
				d.Tables = append(d.Tables, nil)
				table = len(d.Tables) - 1
			case "tr":
				row = nil
			case "tc":
				inCell, cellText = true, nil
			case "p":
				cur = &Para{Table: -1, Section: len(d.Sections)}
				if inCell {
					cur.Table = table
				}
				text.Reset()
			case "rPr":
				inRPr = true
			case "sz":
				if inRPr && cur != nil {
					cur.Sizes = append(cur.Sizes, atoi(attr(e, "val")))
				}
			case "b":
				if inRPr && cur != nil && attr(e, "val") != "false" && attr(e, "val") != "0" {
					cur.Bold = true
				}
			case "i":
				if inRPr && cur != nil && attr(e, "val") != "false" && attr(e, "val") != "0" {
					cur.Italic = true
				}
			case "rFonts":
				if f := attr(e, "ascii"); f != "" {
					d.Fonts[f] = true
				}
			case "jc":
				if cur != nil && !inRPr {
					cur.Align = attr(e, "val")
				}
			case "br":
				text.WriteString("\n")
			case "sectPr":
				sec = &Section{}
			case "pgSz":
				if sec != nil {
					sec.W, sec.H, sec.Orient = atoi(attr(e, "w")), atoi(attr(e, "h")), attr(e, "orient")
				}
			case "pgMar":
				if sec != nil {
					sec.Top, sec.Bottom, sec.Left, sec.Right = atoi(attr(e, "top")), atoi(attr(e, "bottom")), atoi(attr(e, "left")), atoi(attr(e, "right"))
				}
			case "headerReference":
				if sec != nil {
					sec.HeaderID, sec.HeaderType = attr(e, "id"), attr(e, "type")
				}
			case "titlePg":
				if sec != nil {
					sec.TitlePage = attr(e, "val") != "false" && attr(e, "val") != "0"
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
					cur.Text = text.String()
					d.Body = append(d.Body, *cur)
					if inCell {
						cellText = append(cellText, cur.Text)
					}
					cur = nil
				}
			case "tc":
				row = append(row, strings.Join(cellText, "\n"))
				inCell = false
			case "tr":
				d.Tables[table] = append(d.Tables[table], row)
			case "tbl":
				table = -1
			case "sectPr":
				d.Sections = append(d.Sections, *sec)
				sec = nil
			}
		}
	}
	return nil
}

// Text is the body's text, one paragraph a line.
func (d *Doc) Text() string {
	var b strings.Builder
	for _, p := range d.Body {
		b.WriteString(p.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// Find is the first paragraph whose text contains s.
func (d *Doc) Find(s string) (Para, bool) {
	for _, p := range d.Body {
		if strings.Contains(p.Text, s) {
			return p, true
		}
	}
	return Para{}, false
}

// TableWith is the first table whose first row's first cell is head.
func (d *Doc) TableWith(head string) [][]string {
	for _, tb := range d.Tables {
		if len(tb) > 0 && len(tb[0]) > 0 && tb[0][0] == head {
			return tb
		}
	}
	return nil
}
