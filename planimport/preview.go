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

// Meta is what the caption or the command line says about the plan (or,
// for Table.Meta, what the rows above the table print).
type Meta struct {
	Number string // "123/KH-UBND"
	Date   string // YYYY-MM-DD
	Title  string
}

// Line is one task as the preview lists it.
type Line struct {
	Number   string            `json:"number"`
	Title    string            `json:"title"`
	Lead     string            `json:"lead"`
	Deadline deadline.Deadline `json:"deadline"`
	Row      int               `json:"row"`
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
	Key  string `json:"key,omitempty"` // the agency matched, for Matched; the group, for Groups
	Rows []int  `json:"rows"`
	// Members is how many registered agencies a group reaches.
	Members int `json:"members,omitempty"`
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
	Kept       []Found   `json:"kept"`       // phrases that are no agency and no group ("Các doanh nghiệp viễn thông"), kept as written, not tracked
	Unreadable []Found   `json:"unreadable"` // deadline phrases read as unparsed
	NoLead     []int     `json:"no_lead"`    // rows of tasks without a lead agency
	Skipped    []int     `json:"skipped"`    // empty rows skipped
	NotTasks   []Skip    `json:"not_tasks"`  // totals, notes, recipients, signature: skipped
	Lines      []Line    `json:"lines"`      // the tasks, in order
	// Targets are the plan's targets (chỉ tiêu), when the file has a table
	// of them; TargetNoAgency the rows of those without a lead agency
	// recognised.
	Targets        []TargetLine `json:"targets"`
	TargetNoAgency []int        `json:"target_no_agency"`
}

// NewPreview builds the preview of a table read against the agencies of ix.
func NewPreview(t Table, meta Meta, ix *agency.Index) Preview {
	p := Preview{Meta: meta, Sheet: t.Sheet, Tasks: len(t.Tasks), Skipped: t.Skipped, NotTasks: t.NotTasks}
	matched, unknown, groups, kept, unread := map[string]*Found{}, map[string]*Found{}, map[string]*Found{}, map[string]*Found{}, map[string]*Found{}
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
		p.Lines = append(p.Lines, Line{Number: x.Number, Title: x.Title, Lead: x.Lead, Deadline: deadline.Parse(x.Deadline), Row: x.Row})
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
				} else {
					// Not one agency and not a group ("Các doanh nghiệp viễn
					// thông"): stored as written, shown so that it is not
					// lost from sight.
					add(kept, agency.Normalize(r), r, "", x.Row)
				}
			}
			if a.Phrase != "" {
				add(groups, a.Phrase, a.Phrase, string(a.Group), x.Row)
				groups[a.Phrase].Members = len(a.Group.Members(ix.All()))
			}
		}
		if d := deadline.Parse(x.Deadline); d.Kind == deadline.Unparsed {
			add(unread, collapse(x.Deadline), collapse(x.Deadline), "", x.Row)
		}
	}
	p.previewTargets(t, ix, func(kind, id, text, key string, row int) {
		m := matched
		if kind == "unknown" {
			m = unknown
		}
		add(m, id, text, key, row)
	})
	p.Matched, p.Unknown, p.Groups, p.Kept, p.Unreadable = sorted(matched), sorted(unknown), sorted(groups), sorted(kept), sorted(unread)
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

// PageSize is how many tasks one page of a preview lists.
const PageSize = 10

// Pages is how many pages the task list takes.
func (p Preview) Pages() int { return max(1, (len(p.Lines)+PageSize-1)/PageSize) }

// HTML renders the preview as a Telegram HTML message in l, with the first
// page of the task list. Every text taken from the file is escaped: cells
// are data, never markup.
func (p Preview) HTML(l i18n.Lang) string { return p.HTMLPage(l, 0) }

// HTMLPage is HTML with the page'th (0-based) page of the task list; a page
// past the end shows the last one.
func (p Preview) HTMLPage(l i18n.Lang, page int) string {
	return p.render(l, html.EscapeString, "<b>", "</b>", min(max(page, 0), p.Pages()-1))
}

// Text renders the preview as plain text (the command line's --dry-run),
// every task listed.
func (p Preview) Text(l i18n.Lang) string {
	return p.render(l, func(s string) string { return s }, "", "", -1)
}

// Date writes a YYYY-MM-DD date as chat texts do, dd/mm/yyyy; anything else
// as it is.
func Date(iso string) string {
	d, err := deadline.ParseDate(iso)
	if err != nil {
		return iso
	}
	return i18n.Date(d)
}

// DueText says how a deadline cell was read: "Quý II/2027 → 30/06/2027".
func DueText(l i18n.Lang, d deadline.Deadline) string {
	text := collapse(d.Text)
	switch d.Kind {
	case deadline.Fixed:
		return i18n.T(l, "import.due_fixed", text, i18n.Date(d.Due))
	case deadline.Recurring:
		return i18n.T(l, "import.due_recurring", text)
	case deadline.Conditional:
		return i18n.T(l, "import.due_conditional", text)
	case deadline.None:
		return i18n.T(l, "import.due_none")
	}
	return i18n.T(l, "import.due_unparsed", text)
}

func (p Preview) render(l i18n.Lang, esc func(string) string, b0, b1 string, page int) string {
	var sb strings.Builder
	line := func(s string) { sb.WriteString(s); sb.WriteByte('\n') }
	number, date := p.Meta.Number, Date(p.Meta.Date)
	if number == "" {
		number = i18n.T(l, "import.preview_no_number")
	}
	line(b0 + esc(i18n.T(l, "import.preview_title", number, date)) + b1)
	if p.Meta.Title != "" {
		line(esc(p.Meta.Title))
	}
	if p.Sheet != "" {
		line(esc(i18n.T(l, "import.preview_sheet", p.Sheet)))
	}
	line(esc(i18n.N(l, "import.preview_tasks", p.Tasks, p.Tasks, len(p.Sections))))
	for _, s := range p.Sections {
		name := s.Section
		if s.Title != "" {
			name = strings.TrimSpace(name + " " + s.Title)
		}
		if name == "" {
			name = i18n.T(l, "import.preview_no_section")
		}
		line("• " + esc(i18n.N(l, "import.preview_section", s.Tasks, name, s.Tasks)))
	}
	list := func(key string, items []Found, withRows bool, members bool) {
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
			switch {
			case members && f.Members == 0:
				s += " " + esc(i18n.T(l, "import.preview_members_none"))
			case members:
				s += " " + esc(i18n.N(l, "import.preview_members", f.Members, f.Members))
			}
			if withRows {
				s += " " + esc(i18n.N(l, "import.preview_rows", len(f.Rows), rowList(f.Rows)))
			}
			line(s)
		}
	}
	list("import.preview_matched", p.Matched, false, false)
	list("import.preview_groups", p.Groups, false, true)
	list("import.preview_unknown", p.Unknown, true, false)
	list("import.preview_kept", p.Kept, true, false)
	list("import.preview_unreadable", p.Unreadable, true, false)
	if len(p.NoLead) > 0 {
		line("")
		line(esc(i18n.N(l, "import.preview_no_lead", len(p.NoLead), rowList(p.NoLead))))
	}
	if len(p.Skipped) > 0 {
		line(esc(i18n.T(l, "import.preview_skipped", rowList(p.Skipped))))
	}
	if len(p.NotTasks) > 0 {
		var parts []string
		for i, s := range p.NotTasks {
			if i == 10 {
				parts = append(parts, "…")
				break
			}
			parts = append(parts, fmt.Sprintf("%d (%s)", s.Row, i18n.Shorten(s.Text, 30)))
		}
		line(esc(i18n.T(l, "import.preview_not_tasks", strings.Join(parts, ", "))))
	}
	if page <= 0 {
		p.renderTargets(l, esc, b0, b1, line)
	}
	lines, first := p.Lines, 0
	if page >= 0 {
		first = page * PageSize
		lines = lines[first:min(len(lines), first+PageSize)]
	}
	if len(lines) > 0 {
		line("")
		line(b0 + esc(i18n.T(l, "import.preview_list", first+1, first+len(lines), len(p.Lines))) + b1)
		for _, x := range lines {
			// Running numbers are written "7.", numbers per section "IV.5".
			n := x.Number
			if !strings.Contains(n, ".") {
				n += "."
			}
			s := esc(n) + " " + esc(i18n.Shorten(x.Title, 60))
			if x.Lead != "" {
				s += " — " + esc(i18n.Shorten(x.Lead, 40))
			}
			line(s + " — " + esc(DueText(l, x.Deadline)))
		}
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
