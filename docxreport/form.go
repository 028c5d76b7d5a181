package docxreport

import (
	"strings"

	"github.com/gomutex/godocx/wml/stypes"
)

// The form of the document (Nghị định 30/2020/NĐ-CP, Phụ lục I): the
// heading block, the type and title, and the recipients and signature.

const (
	center = stypes.JustificationCenter
	left   = stypes.JustificationLeft
)

// Widths of the heading block's two columns (the page's text width is 165
// mm): the issuing body on the left, the national heading on the right.
var headingWidths = []int{mm(73), mm(92)}

// heading writes the block at the top of page 1 and the report's type and
// title.
func (d *draft) heading() {
	t := d.b.table(headingWidths, false)
	var issuer []string
	lines := d.is.Lines
	for i := range lines {
		issuer = append(issuer, strings.ToUpper(lines[i]))
	}
	up := cell{lines: issuer[:len(issuer)-1], f: format{size: 12, align: center}}
	name := cell{lines: issuer[len(issuer)-1:], f: format{size: 12, bold: true, align: center}}
	// The rule under the name is a third of the column wide (the decree: a
	// third to a half of the name), centred.
	rule := cell{lines: []string{""}, f: format{size: 4, align: center, rule: true, left: mm(24), right: mm(24)}}
	number := cell{lines: []string{d.number()}, f: format{size: 13, align: center, before: 160}}

	nation := cell{lines: []string{d.t("docx.nation")}, f: format{size: 12, bold: true, align: center}}
	motto := cell{lines: []string{d.t("docx.motto")}, f: format{size: 13, bold: true, align: center}}
	// The rule under the motto is as long as the motto.
	mottoRule := cell{lines: []string{""}, f: format{size: 4, align: center, rule: true, left: mm(18), right: mm(18)}}
	date := cell{lines: []string{d.dateLine()}, f: format{size: 14, italic: true, align: center, before: 160}}

	t.row(false, stack(up, name, rule, number), stack(nation, motto, mottoRule, date))

	d.b.para(format{bold: true, align: center, before: 480, after: 0, keepNext: true}, d.t("docx.type"))
	d.b.para(format{bold: true, align: center, after: 0, keepNext: true}, d.title())
	d.b.para(format{size: 4, align: center, rule: true, left: mm(60), right: mm(60), after: 360}, "")
}

// stack puts several cells' lines, each in its own format, into one cell:
// the heading block's columns are one cell each, so that they line up
// however many lines the issuer has.
func stack(cs ...cell) cell {
	out := cell{}
	for _, c := range cs {
		out.parts = append(out.parts, c)
	}
	return out
}

// signature writes the recipients (bottom left) and the signature block
// (bottom right), with placeholders for the signer.
func (d *draft) signature() {
	t := d.b.table([]int{mm(80), mm(85)}, false)
	recipients := cell{f: format{size: sizeSmall, align: left, after: 0}, lines: []string{
		d.t("docx.recipient.ppc"), d.t("docx.recipient.ministry"), d.t("docx.recipient.leaders"), d.t("docx.recipient.archive", d.is.Abbrev()),
	}}
	head := cell{lines: []string{d.t("docx.recipients")}, f: format{size: 12, bold: true, italic: true, align: left, after: 0}}
	signer := cell{lines: []string{d.is.Signer(d.l)}, f: format{size: 14, bold: true, align: center, after: 0}}
	sign := cell{lines: []string{d.t("docx.sign_here"), "", "", ""}, f: format{size: 13, italic: true, align: center, after: 0}}
	name := cell{lines: []string{d.t("docx.signer_name")}, f: format{size: 14, bold: true, align: center, after: 0}}
	d.b.para(format{after: 0}, "")
	t.row(false, stack(head, recipients), stack(signer, sign, name))
}
