package scheduler

import (
	"cmp"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// Telegram allows 4096 UTF-16 code units per message after entity parsing;
// counting the HTML source is stricter, and the margin covers the header.
const textBudget = 3900

// maxItemButtons is how many items get their own button; more get one
// button to the task list.
const maxItemButtons = 8

// render turns an outbox message into what is sent: a reminder becomes one
// message (several when its items do not fit in one); a pre-rendered
// message is sent as it is. late marks a message sent after the day it was
// planned for (see Scheduler.late): its first line says so.
func render(m store.OutboxMessage, late bool) []domain.Outgoing {
	if m.Kind != store.MessageReminder {
		if m.Out == nil {
			return nil
		}
		o := *m.Out
		if o.ChatID == 0 {
			o.ChatID = m.ChatID
		}
		if late {
			o.Text = markLate(i18n.For(m.Lang), o.Text)
		}
		return []domain.Outgoing{o}
	}
	return renderReminder(m, late)
}

// markLate adds the late mark to the end of a text's first line (its title).
func markLate(l i18n.Lang, text string) string {
	first, rest, more := strings.Cut(text, "\n")
	if more {
		rest = "\n" + rest
	}
	return first + i18n.T(l, "reminder.late") + rest
}

// block is the line(s) about one assignment, the section it goes in, and its
// button.
type block struct {
	section string // the section header
	text    string
	button  domain.Button
	target  bool // a target's value asked for: the message has one button to the agency's targets
}

// renderReminder renders a person's items in sections (overdue, due soon,
// periodic reports by period), one line per assignment with its items
// merged, under a header naming the day and agency, with a button per
// assignment to report on it. Information only (escalation notices alone)
// goes silently. Items that do not fit in one message go in several parts.
// A late reminder says so in its header; the parts are cut the same either
// way (the room for the mark is kept in each), so that a message whose first
// parts went on time and the rest late resumes at the right part.
func renderReminder(m store.OutboxMessage, late bool) []domain.Outgoing {
	if len(m.Items) == 0 {
		return nil
	}
	l := i18n.For(m.Lang)
	type group struct {
		section string
		items   []store.OutboxItem
	}
	var sections []string
	bySection := map[string][]*group{}
	index := map[string]*group{}
	infoOnly := true
	for _, it := range m.Items {
		sec := sectionOf(l, it)
		g := index[sec+"|"+it.Assignment]
		if g == nil {
			g = &group{section: sec}
			index[sec+"|"+it.Assignment] = g
			if _, ok := bySection[sec]; !ok {
				sections = append(sections, sec)
			}
			bySection[sec] = append(bySection[sec], g)
		}
		g.items = append(g.items, it)
		if it.Kind != KindEscalation {
			infoOnly = false
		}
	}
	slices.SortStableFunc(sections, func(a, b string) int { return cmp.Compare(sectionRank(l, a), sectionRank(l, b)) })
	var blocks []block
	for _, sec := range sections {
		for _, g := range bySection[sec] {
			blocks = append(blocks, renderBlock(l, sec, g.items))
		}
	}

	titleKey := "reminder.title"
	if infoOnly {
		titleKey = "reminder.title_info"
	}
	title := i18n.T(l, titleKey, i18n.Date(m.Day))
	lateMark := i18n.T(l, "reminder.late")
	var intro []string
	if m.AgencyName != "" {
		intro = append(intro, i18n.T(l, "reminder.agency", html.EscapeString(m.AgencyName)))
	}
	if m.OnBehalfOf != "" {
		intro = append(intro, i18n.T(l, "reminder.on_behalf", html.EscapeString(m.OnBehalfOf)))
	}
	footer := i18n.T(l, "reminder.footer")
	fixed := i18n.UTF16Len(title) + i18n.UTF16Len(lateMark) + i18n.UTF16Len(i18n.T(l, "reminder.part", 99, 99)) + i18n.UTF16Len(strings.Join(intro, "\n")) + i18n.UTF16Len(footer) + 8

	// Split the blocks into parts that fit, counting each section header
	// where a part shows it.
	var parts [][]block
	var cur []block
	size := fixed
	for _, b := range blocks {
		n := i18n.UTF16Len(b.text) + 1
		if len(cur) == 0 || cur[len(cur)-1].section != b.section {
			n += i18n.UTF16Len(b.section) + 2
		}
		if len(cur) > 0 && size+n > textBudget {
			parts = append(parts, cur)
			cur, size = nil, fixed
			n = i18n.UTF16Len(b.text) + i18n.UTF16Len(b.section) + 3
		}
		cur = append(cur, b)
		size += n
	}
	parts = append(parts, cur)

	out := make([]domain.Outgoing, 0, len(parts))
	for i, part := range parts {
		head := title
		if len(parts) > 1 {
			head += i18n.T(l, "reminder.part", i+1, len(parts))
		}
		if late {
			head += lateMark
		}
		var sb strings.Builder
		sb.WriteString(head)
		for _, line := range intro {
			sb.WriteString("\n" + line)
		}
		var rows [][]domain.Button
		targets := false
		for j, b := range part {
			if j == 0 || part[j-1].section != b.section {
				sb.WriteString("\n\n" + b.section)
			}
			sb.WriteString("\n" + b.text)
			if b.target {
				targets = true // one button to the agency's targets, below
			} else if j < maxItemButtons {
				rows = append(rows, []domain.Button{b.button})
			}
		}
		sb.WriteString("\n\n" + footer)
		if len(part) > maxItemButtons {
			rows = append(rows, []domain.Button{{
				Text: i18n.T(l, "reminder.all_tasks"),
				Data: domain.Callback{Verb: domain.VerbList, Ref: "0"}.Encode(),
			}})
		}
		if targets {
			rows = append(rows, []domain.Button{{
				Text: "📊 " + i18n.T(l, "reminder.targets_btn"),
				Data: domain.Callback{Verb: domain.VerbTarget, Ref: "-", Arg: "m"}.Encode(),
			}})
		}
		out = append(out, domain.Outgoing{ChatID: m.ChatID, Text: sb.String(), Buttons: rows, Silent: infoOnly})
	}
	return out
}

// sectionOf is the header of the section an item goes in.
func sectionOf(l i18n.Lang, it store.OutboxItem) string {
	switch it.Kind {
	case KindOverdue, KindEscalation:
		return i18n.T(l, "reminder.section_overdue")
	case KindPeriodic:
		return i18n.T(l, "reminder.section_periodic", periodLabel(l, it.Period))
	case KindTarget:
		return i18n.T(l, "reminder.section_targets", it.Due.Year, i18n.Date(it.Due))
	}
	return i18n.T(l, "reminder.section_soon")
}

// sectionRank orders sections: overdue, due soon, periodic reports.
func sectionRank(l i18n.Lang, sec string) int {
	switch sec {
	case i18n.T(l, "reminder.section_overdue"):
		return 0
	case i18n.T(l, "reminder.section_soon"):
		return 1
	}
	if strings.HasPrefix(sec, "📊") {
		return 3 // the targets' values, after the periodic reports
	}
	return 2
}

// renderBlock renders the items of one assignment in one section: a line
// with the task, its deadline as written and the days left or overdue, and
// a note for a coordination request or an escalation.
func renderBlock(l i18n.Lang, section string, items []store.OutboxItem) block {
	first := items[0]
	if first.Kind == KindTarget {
		return block{section: section, text: first.Line, target: true}
	}
	var sb strings.Builder
	sb.WriteString(i18n.T(l, "reminder.item", html.EscapeString(first.Task), html.EscapeString(i18n.Shorten(first.Title, 60))))
	if first.Role == domain.Coordinating {
		sb.WriteString(" <i>(" + i18n.T(l, "role.coordinating") + ")</i>")
	}
	when := ""
	for _, it := range items {
		if it.Kind != KindPeriodic && !it.Due.IsZero() {
			when = daysText(l, it.Days)
		}
	}
	if dl := deadlineText(first); dl != "" {
		sb.WriteString(" — " + i18n.T(l, "reminder.deadline", dl))
		if when != "" {
			sb.WriteString(", " + when)
		}
	} else if when != "" {
		sb.WriteString(" — " + when)
	}
	for _, it := range items {
		switch it.Kind {
		case KindCoordination:
			sb.WriteString("\n   ↳ " + i18n.T(l, "reminder.coordination"))
		case KindEscalation:
			sb.WriteString("\n   ↳ " + i18n.T(l, "reminder.escalated", -it.Days))
		}
	}
	return block{
		section: section,
		text:    sb.String(),
		button: domain.Button{
			Text: first.Task + " · " + i18n.Shorten(first.Title, 28),
			Data: domain.Callback{Verb: domain.VerbOpen, Ref: first.Ref}.Encode(),
		},
	}
}

// deadlineText is the deadline as written, escaped, followed by the due date
// when the text does not state it ("Quý I/2026 (31/03/2026)").
func deadlineText(it store.OutboxItem) string {
	text := strings.Join(strings.Fields(it.Deadline), " ")
	if it.Due.IsZero() {
		return html.EscapeString(text)
	}
	due := i18n.Date(it.Due)
	switch {
	case text == "":
		return due
	case strings.Contains(text, due):
		return html.EscapeString(text)
	}
	return html.EscapeString(text) + " (" + due + ")"
}

// daysText says how far the due date is.
func daysText(l i18n.Lang, days int) string {
	switch {
	case days > 0:
		return i18n.T(l, "reminder.days_left", days)
	case days == 0:
		return i18n.T(l, "reminder.due_today")
	}
	return i18n.T(l, "reminder.overdue", -days)
}

var romanQuarter = []string{"", "I", "II", "III", "IV"}

// periodLabel names a reporting period ("m2025-12", "q2026-1", "y2026").
func periodLabel(l i18n.Lang, p string) string {
	if len(p) < 2 {
		return p
	}
	body := p[1:]
	switch p[0] {
	case 'm', 'q', 'h':
		y, n, ok := strings.Cut(body, "-")
		yi, err1 := strconv.Atoi(y)
		ni, err2 := strconv.Atoi(n)
		if !ok || err1 != nil || err2 != nil {
			return p
		}
		if p[0] == 'm' {
			return i18n.T(l, "reminder.period_month", ni, yi)
		}
		if p[0] == 'h' && (ni == 1 || ni == 2) {
			return i18n.T(l, fmt.Sprintf("reminder.period_half%d", ni), yi)
		}
		if ni < 1 || ni > 4 {
			return p
		}
		return i18n.T(l, "reminder.period_quarter", romanQuarter[ni], yi)
	case 'y':
		y, err := strconv.Atoi(body)
		if err != nil {
			return p
		}
		return i18n.T(l, "reminder.period_year", y)
	}
	return p
}

// renderNoOfficer lists the agencies that had something due and nobody to
// tell, with their task codes, within one message.
func renderNoOfficer(l i18n.Lang, p *plan, orphans []store.OutboxItem) string {
	keys := agencyKeys(orphans)
	codes := map[string][]string{}
	for _, it := range orphans {
		if !containsStr(codes[it.Agency], it.Task) {
			codes[it.Agency] = append(codes[it.Agency], it.Task)
		}
	}
	var sb strings.Builder
	sb.WriteString(i18n.T(l, "reminder.no_officer", i18n.Date(p.day)))
	size := i18n.UTF16Len(sb.String())
	for i, k := range keys {
		name := k
		if a, ok := p.agencies[k]; ok {
			name = a.Name
		}
		line := "\n" + i18n.T(l, "reminder.no_officer_line", html.EscapeString(name), html.EscapeString(strings.Join(codes[k], ", ")))
		if size+i18n.UTF16Len(line) > textBudget-60 {
			sb.WriteString("\n" + i18n.T(l, "reminder.more", len(keys)-i))
			break
		}
		sb.WriteString(line)
		size += i18n.UTF16Len(line)
	}
	return sb.String()
}

// renderBlocked tells the admins that someone blocked the bot.
func renderBlocked(l i18n.Lang, chat int64, o domain.Officer, agencyName string) string {
	who := strings.TrimSpace(o.Name)
	if o.Username != "" {
		who = strings.TrimSpace(who + " @" + o.Username)
	}
	if who == "" {
		who = "—"
	}
	if agencyName == "" {
		agencyName = "—"
	}
	return i18n.T(l, "reminder.blocked", html.EscapeString(who), chat, html.EscapeString(agencyName))
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
