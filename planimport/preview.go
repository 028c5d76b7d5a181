package planimport

import (
	"fmt"
	"html"
	"sort"
	"strings"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/i18n"
)

// Meta is what the caption or the command line says about the plan.
type Meta struct {
	Number string // "123/KH-UBND"
	Date   string // YYYY-MM-DD
	Title  string
}

// Section is one section of the preview.
type Section struct {
	Section string `json:"section"`
	Title   string `json:"title"`
	Tasks   int    `json:"tasks"`
}

// Found is a name or phrase of the table with the rows it occurs in.
type Found struct {
	Text string `json:"text"`
	Key  string `json:"key,omitempty"` // the agency matched, for Matched
	Rows []int  `json:"rows"`
}

// Preview is what a table will become, for a coordinator to confirm: its
// sections, the agencies it matched, the names it did not recognise (each to
// be created or mapped to an agency) and the deadline phrases it could not
// read (a coordinator sets those dates later).
type Preview struct {
	Meta       Meta      `json:"meta"`
	Sheet      string    `json:"sheet"`
	Tasks      int       `json:"tasks"`
	Sections   []Section `json:"sections"`
	Matched    []Found   `json:"matched"`
	Unknown    []Found   `json:"unknown"`
	Groups     []Found   `json:"groups"`     // collective phrases ("Các sở, ban, ngành, địa phương")
	Unreadable []Found   `json:"unreadable"` // deadline phrases read as unparsed
	NoLead     []int     `json:"no_lead"`    // rows of tasks without a lead agency
	Skipped    []int     `json:"skipped"`    // empty rows skipped
}

// NewPreview builds the preview of a table read against the agencies of ix.
func NewPreview(t Table, meta Meta, ix *agency.Index) Preview {
	p := Preview{Meta: meta, Sheet: t.Sheet, Tasks: len(t.Tasks), Skipped: t.Skipped}
	matched, unknown, groups, unread := map[string]*Found{}, map[string]*Found{}, map[string]*Found{}, map[string]*Found{}
	add := func(m map[string]*Found, id, text, key string, row int) {
		f, ok := m[id]
		if !ok {
			f = &Found{Text: text, Key: key}
			m[id] = f
		}
		if len(f.Rows) == 0 || f.Rows[len(f.Rows)-1] != row {
			f.Rows = append(f.Rows, row)
		}
	}
	for _, x := range t.Tasks {
		if n := len(p.Sections); n == 0 || p.Sections[n-1].Section != x.Section || p.Sections[n-1].Title != x.SectionTitle {
			p.Sections = append(p.Sections, Section{Section: x.Section, Title: x.SectionTitle})
		}
		p.Sections[len(p.Sections)-1].Tasks++
		if strings.TrimSpace(x.Lead) == "" {
			p.NoLead = append(p.NoLead, x.Row)
		}
		for _, text := range []string{x.Lead, x.Coordinating} {
			a := agency.ParseAssignees(text, ix)
			for _, n := range a.Names {
				if ag, ok := ix.Match(n); ok {
					add(matched, ag.Key, ag.Name, ag.Key, x.Row)
				}
			}
			for _, r := range a.Rest {
				if agency.NameLike(r) {
					add(unknown, agency.Normalize(r), r, "", x.Row)
				}
			}
			if a.Phrase != "" {
				add(groups, a.Phrase, a.Phrase, string(a.Group), x.Row)
			}
		}
		if d := deadline.Parse(x.Deadline); d.Kind == deadline.Unparsed {
			add(unread, collapse(x.Deadline), collapse(x.Deadline), "", x.Row)
		}
	}
	p.Matched, p.Unknown, p.Groups, p.Unreadable = sorted(matched), sorted(unknown), sorted(groups), sorted(unread)
	return p
}

func sorted(m map[string]*Found) []Found {
	out := make([]Found, 0, len(m))
	for _, f := range m {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Rows[0] != out[j].Rows[0] {
			return out[i].Rows[0] < out[j].Rows[0]
		}
		return out[i].Text < out[j].Text
	})
	return out
}

// maxListed bounds each list of a rendered preview (a Telegram message holds
// 4096 characters); the rest is counted.
const maxListed = 15

// HTML renders the preview as a Telegram HTML message in l. Every text taken
// from the file is escaped: cells are data, never markup.
func (p Preview) HTML(l i18n.Lang) string { return p.render(l, html.EscapeString, "<b>", "</b>") }

// Text renders the preview as plain text (the command line's --dry-run).
func (p Preview) Text(l i18n.Lang) string {
	return p.render(l, func(s string) string { return s }, "", "")
}

func (p Preview) render(l i18n.Lang, esc func(string) string, b0, b1 string) string {
	var sb strings.Builder
	line := func(s string) { sb.WriteString(s); sb.WriteByte('\n') }
	line(b0 + esc(i18n.T(l, "import.preview_title", p.Meta.Number, p.Meta.Date)) + b1)
	if p.Meta.Title != "" {
		line(esc(p.Meta.Title))
	}
	if p.Sheet != "" {
		line(esc(i18n.T(l, "import.preview_sheet", p.Sheet)))
	}
	line(esc(i18n.T(l, "import.preview_tasks", p.Tasks, len(p.Sections))))
	for _, s := range p.Sections {
		name := s.Section
		if s.Title != "" {
			name = strings.TrimSpace(name + " " + s.Title)
		}
		if name == "" {
			name = i18n.T(l, "import.preview_no_section")
		}
		line("• " + esc(i18n.T(l, "import.preview_section", name, s.Tasks)))
	}
	list := func(key string, items []Found, withRows bool) {
		if len(items) == 0 {
			return
		}
		line("")
		line(b0 + esc(i18n.T(l, key, len(items))) + b1)
		for i, f := range items {
			if i == maxListed {
				line(esc(i18n.T(l, "import.preview_more", len(items)-maxListed)))
				break
			}
			s := "• " + esc(f.Text)
			if withRows {
				s += " " + esc(i18n.T(l, "import.preview_rows", rowList(f.Rows)))
			}
			line(s)
		}
	}
	list("import.preview_matched", p.Matched, false)
	list("import.preview_groups", p.Groups, false)
	list("import.preview_unknown", p.Unknown, true)
	list("import.preview_unreadable", p.Unreadable, true)
	if len(p.NoLead) > 0 {
		line("")
		line(esc(i18n.T(l, "import.preview_no_lead", rowList(p.NoLead))))
	}
	if len(p.Skipped) > 0 {
		line(esc(i18n.T(l, "import.preview_skipped", rowList(p.Skipped))))
	}
	return strings.TrimRight(sb.String(), "\n")
}

// rowList writes rows as "3, 5, 7" (at most ten, then "…").
func rowList(rows []int) string {
	var parts []string
	for i, r := range rows {
		if i == 10 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprint(r))
	}
	return strings.Join(parts, ", ")
}
