package planimport

import (
	"html"
	"strings"

	"agencybot/agency"
	"agencybot/i18n"
)

// Commune is one row of a list of communes and wards.
type Commune struct {
	Name    string      `json:"name"`
	Kind    agency.Kind `json:"kind"` // always agency.Commune
	Aliases []string    `json:"aliases"`
	Row     int         `json:"row"`
	Known   string      `json:"known,omitempty"` // key of the registered agency it matches, if any
}

// CommunePreview is what a list of communes will add.
type CommunePreview struct {
	New   []Commune `json:"new"`
	Known []Commune `json:"known"`
}

// ParseCommunes reads a list of communes and wards (.csv or .xlsx): a header
// with a name column ("Tên", "Tên đơn vị", "Xã, phường"), optionally a kind
// column ("Loại": xã, phường, đặc khu) and an alias column ("Tên khác",
// "Tên gọi khác", several separated by ';' or ','). Names the index knows are
// listed as known, not added twice; a name repeated in the list is read once.
func ParseCommunes(name string, data []byte, ix *agency.Index) (CommunePreview, error) {
	grids, err := readGrids(name, data)
	if err != nil {
		return CommunePreview{}, err
	}
	g := grids[0]
	for _, f := range g.formulas {
		return CommunePreview{}, withSheet(cellErr(ErrFormula, f[0], f[1], "", ""), g.sheet)
	}
	hr, cName, cKind, cAlias := -1, -1, -1, -1
	for r := 0; r < len(g.rows) && r < maxHeaderRow && hr < 0; r++ {
		for c, v := range g.rows[r] {
			switch f := fold(v); {
			case strings.Contains(f, "ten khac") || strings.Contains(f, "ten goi khac") || strings.Contains(f, "bi danh"):
				cAlias = c
			case f == "loai" || strings.HasPrefix(f, "loai "):
				cKind = c
			case f == "ten" || strings.HasPrefix(f, "ten ") || f == "xa phuong" || f == "don vi":
				cName = c
			}
		}
		if cName >= 0 {
			hr = r
		} else {
			cKind, cAlias = -1, -1
		}
	}
	if hr < 0 {
		return CommunePreview{}, &Error{Code: ErrCommunes, Sheet: g.sheet, Col: -1}
	}
	var p CommunePreview
	seen := map[string]bool{}
	for r := hr + 1; r < len(g.rows); r++ {
		row := g.rows[r]
		n := collapse(cell(row, cName))
		if n == "" {
			continue
		}
		if k := fold(cell(row, cKind)); cKind >= 0 && k != "" && k != "xa" && k != "phuong" && k != "dac khu" {
			return CommunePreview{}, withSheet(cellErr(ErrKind, r+1, cKind, "", collapse(cell(row, cKind))), g.sheet)
		}
		key := agency.Normalize(n)
		if seen[key] {
			continue
		}
		seen[key] = true
		c := Commune{Name: n, Kind: agency.Commune, Row: r + 1, Aliases: []string{}}
		if cAlias >= 0 {
			for _, a := range strings.FieldsFunc(cell(row, cAlias), func(r rune) bool { return r == ';' || r == ',' || r == '\n' }) {
				if a = collapse(a); a != "" {
					c.Aliases = append(c.Aliases, a)
				}
			}
		}
		if ag, ok := ix.Match(n); ok {
			c.Known = ag.Key
			p.Known = append(p.Known, c)
			continue
		}
		p.New = append(p.New, c)
	}
	return p, nil
}

// HTML renders the commune preview as Telegram HTML in l, names escaped.
func (p CommunePreview) HTML(l i18n.Lang) string {
	var sb strings.Builder
	sb.WriteString("<b>" + html.EscapeString(i18n.T(l, "import.communes_title", len(p.New)+len(p.Known))) + "</b>\n")
	for _, part := range []struct {
		key  string
		list []Commune
	}{{"import.communes_new", p.New}, {"import.communes_known", p.Known}} {
		if len(part.list) == 0 {
			continue
		}
		sb.WriteString(html.EscapeString(i18n.T(l, part.key, len(part.list))) + "\n")
		for i, c := range part.list {
			if i == maxListed {
				sb.WriteString(html.EscapeString(i18n.T(l, "import.preview_more", len(part.list)-maxListed)) + "\n")
				break
			}
			line := "• " + html.EscapeString(c.Name)
			if len(c.Aliases) > 0 {
				line += " (" + html.EscapeString(strings.Join(c.Aliases, ", ")) + ")"
			}
			sb.WriteString(line + "\n")
		}
	}
	return strings.TrimRight(sb.String(), "\n")
}
