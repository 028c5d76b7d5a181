package docxreport

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/report/upward"
)

// facts is what the report says, gathered in one pass over the roll-up
// (a task's view is built, read and dropped, so the pass holds one task's
// assignments at a time however large the province).
type facts struct {
	sum          report.Summary
	period, next upward.Period
	today        deadline.Date
	loc          *time.Location
	extended     bool // the input records extensions: "đã gia hạn" is shown
	review       bool // completions wait for review: "chờ duyệt" is shown
	plans        []planFacts

	agencies, reported int // agencies with work in scope; those that have reported at least once

	completed, dueNext []item    // done within the period; due within the next
	overdue, blocked   []item    // blocked: those not overdue (the overdue list carries its blocks)
	blockedTasks       int       // tasks blocked, overdue or not
	blockedLate        int       // of which overdue
	requests           []request // what blocked agencies ask for, most asked first
}

// planFacts is one plan in scope: its figures and its appendix table.
type planFacts struct {
	plan     domain.Plan
	counts   report.PlanSummary
	agencies int
	rows     []row
}

// row is a row of the appendix table: a section's title, or a task.
type row struct {
	section bool
	cells   []string
}

// item is a task in one of the report's lists, with the lines under it
// (explanations, proof).
type item struct {
	plan  int // index in facts.plans
	head  string
	lines []string
}

// request is one text of support asked for by blocked agencies, with who
// asked and on which tasks.
type request struct {
	note     string
	agencies []string
	tasks    []string
	n        int
}

// gather reads the roll-up once.
func gather(r *report.Rollup, in report.Input, o Options, l i18n.Lang, loc *time.Location) *facts {
	sum := r.Summary()
	fc := &facts{sum: sum, period: o.Period, next: o.Period.Next(), today: sum.Today, loc: loc,
		extended: in.Extended != nil, review: in.ReviewRequired || sum.Waiting > 0}
	planIdx := map[string]int{}
	for i, p := range sum.Plans {
		planIdx[p.Plan.Key] = i
		fc.plans = append(fc.plans, planFacts{plan: p.Plan, counts: p})
	}
	perPlan := make([]map[string]bool, len(sum.Plans))
	for i := range perPlan {
		perPlan[i] = map[string]bool{}
	}
	all, reported := map[string]bool{}, map[string]bool{}
	requests := map[string]*request{}
	section := map[int]string{}
	r.EachTask(func(v report.TaskView) bool {
		pi := planIdx[v.Plan.Key]
		pf := &fc.plans[pi]
		if s, ok := section[pi]; !ok || s != v.Task.Section {
			section[pi] = v.Task.Section
			pf.rows = append(pf.rows, row{section: true, cells: []string{v.Task.Section, v.Task.SectionTitle}})
		}
		pf.rows = append(pf.rows, row{cells: appendixCells(v, l, loc)})
		for _, side := range [][]report.AssignmentView{v.Lead, v.Coordinating} {
			for i := range side {
				a := &side[i]
				perPlan[pi][a.Agency.Key] = true
				all[a.Agency.Key] = true
				if !a.Assignment.ReportedAt.IsZero() {
					reported[a.Agency.Key] = true
				}
				if a.Assignment.Status == domain.Blocked {
					if n := note(a); n != "" {
						rq := requests[n]
						if rq == nil {
							rq = &request{note: n}
							requests[n] = rq
						}
						rq.n++
						rq.agencies = appendOnce(rq.agencies, a.Agency.Name)
						rq.tasks = appendOnce(rq.tasks, taskName(v, l))
					}
				}
			}
		}
		fc.classify(v, pi, l)
		return true
	})
	for i := range fc.plans {
		fc.plans[i].agencies = len(perPlan[i])
	}
	fc.agencies, fc.reported = len(all), len(reported)
	for _, rq := range requests {
		fc.requests = append(fc.requests, *rq)
	}
	slices.SortFunc(fc.requests, func(a, b request) int { return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.note, b.note)) })
	return fc
}

// classify puts a task in the lists it belongs to.
func (fc *facts) classify(v report.TaskView, pi int, l i18n.Lang) {
	basis := v.Lead
	if len(basis) == 0 {
		basis = v.Coordinating
	}
	head := taskHead(v, l)
	switch {
	case v.Status == domain.Done:
		at := doneAt(basis)
		if at.IsZero() || !fc.period.Contains(deadline.DateOf(at.In(fc.loc))) {
			return
		}
		lines := []string{i18n.T(l, "docx.done.when", i18n.Date(deadline.DateOf(at.In(fc.loc))), upward.GroupWord(l, v.Group))}
		if out := strings.TrimSpace(v.Task.Output); out != "" {
			lines = append(lines, i18n.T(l, "docx.done.output", out))
		}
		lines = append(lines, fc.proof(basis, l)...)
		fc.completed = append(fc.completed, item{plan: pi, head: head, lines: lines})
		return
	}
	// The agencies reported blocked (any role), and the rest of the basis
	// not done; pointers into the view, which a province's collective task
	// makes a thousand long.
	var blocked, waiting []*report.AssignmentView
	for _, side := range [][]report.AssignmentView{v.Lead, v.Coordinating} {
		for i := range side {
			if side[i].Assignment.Status == domain.Blocked {
				blocked = append(blocked, &side[i])
			}
		}
	}
	for i := range basis {
		if st := basis[i].Assignment.Status; st != domain.Done && st != domain.Blocked {
			waiting = append(waiting, &basis[i])
		}
	}
	late := v.Group == report.Late
	if late {
		// An overdue task: where it stands, its agencies in one line, and
		// what they say: why it is late, what blocks it.
		lines := []string{fc.state(v, l)}
		if p, ok := upward.PartsOf(v); ok {
			lines = append(lines, p.Text(l, maxNames))
		}
		said := fc.explanations(waiting, "docx.explained", "", l)
		said = append(said, fc.explanations(blocked, "docx.blocked_by", "docx.blocked_silent", l)...)
		if len(said) == 0 {
			said = []string{i18n.T(l, "docx.unexplained")}
		}
		fc.overdue = append(fc.overdue, item{plan: pi, head: head, lines: append(lines, said...)})
	}
	if v.Status == domain.Blocked {
		fc.blockedTasks++
		if late {
			fc.blockedLate++ // listed with the overdue ones
		} else {
			lines := []string{fc.state(v, l)}
			lines = append(lines, fc.explanations(blocked, "docx.blocked_by", "docx.blocked_silent", l)...)
			fc.blocked = append(fc.blocked, item{plan: pi, head: head, lines: lines})
		}
	}
	if !v.Due.IsZero() && fc.next.Contains(v.Due) {
		fc.dueNext = append(fc.dueNext, item{plan: pi, head: head, lines: []string{fc.state(v, l)}})
	}
}

// maxNames is how many agencies a line names before "và N cơ quan khác".
const maxNames = 5

// state says where a task stands: "Đang thực hiện, tiến độ 40%; thời hạn:
// Trước 31/12/2025 (quá hạn 12 ngày)".
func (fc *facts) state(v report.TaskView, l i18n.Lang) string {
	due := v.Task.Deadline.Text
	if due == "" {
		due = i18n.Date(v.Due)
	}
	s := i18n.T(l, "docx.state", upward.StatusWord(l, v.Status), v.Progress, due)
	if due == "" {
		s = i18n.T(l, "docx.state_nodue", upward.StatusWord(l, v.Status), v.Progress)
	}
	switch {
	case !v.Due.IsZero() && v.DaysLeft < 0 && v.Status != domain.Done:
		s += " " + i18n.N(l, "docx.days_late", -v.DaysLeft, -v.DaysLeft)
	case !v.Due.IsZero() && v.Task.Deadline.Text != "" && v.Task.Deadline.Due != v.Due:
		s += " (" + i18n.Date(v.Due) + ")"
	}
	if v.Extended && fc.extended {
		s += "; " + i18n.T(l, "upward.extended_mark")
	}
	return s
}

// explanations groups the notes of the given assignments by their text, the
// most shared first, each with who wrote it: "Sở Tài chính (20/12/2025):
// «Thiếu kinh phí»"; at most three texts. Without any note: the none key.
func (fc *facts) explanations(as []*report.AssignmentView, key, none string, l i18n.Lang) []string {
	type group struct {
		note  string
		names []string
		at    time.Time
	}
	var groups []*group
	by := map[string]*group{}
	for i := range as {
		n := note(as[i])
		if n == "" {
			continue
		}
		g := by[n]
		if g == nil {
			g = &group{note: n}
			by[n] = g
			groups = append(groups, g)
		}
		g.names = append(g.names, as[i].Agency.Name)
		if t := as[i].Assignment.ReportedAt; t.After(g.at) {
			g.at = t
		}
	}
	if len(groups) == 0 {
		if len(as) == 0 || none == "" {
			return nil
		}
		return []string{i18n.T(l, none)}
	}
	slices.SortStableFunc(groups, func(a, b *group) int { return cmp.Compare(len(b.names), len(a.names)) })
	var out []string
	for i, g := range groups {
		if i == 3 {
			out = append(out, i18n.N(l, "docx.more_notes", len(groups)-3, len(groups)-3))
			break
		}
		when := ""
		if !g.at.IsZero() {
			when = i18n.Date(deadline.DateOf(g.at.In(fc.loc)))
		}
		out = append(out, i18n.T(l, key, upward.Names(l, g.names, 3), when, g.note))
	}
	return out
}

// proof is what proves a completion: the done agencies' own words (where
// they cite the document, "Quyết định số 12/QĐ-UBND ngày …") and their files.
func (fc *facts) proof(basis []report.AssignmentView, l i18n.Lang) []string {
	all := make([]*report.AssignmentView, len(basis))
	for i := range basis {
		all[i] = &basis[i]
	}
	out := fc.explanations(all, "docx.proof", "docx.no_proof", l)
	var files []string
	for i := range basis {
		for _, f := range basis[i].Files {
			if len(files) < report.MaxFiles {
				files = append(files, f)
			}
		}
	}
	n := 0
	for i := range basis {
		n += basis[i].Evidence
	}
	if n > 0 {
		names := strings.Join(files, ", ")
		if names == "" {
			out = append(out, i18n.N(l, "docx.files_count", n, n))
		} else {
			out = append(out, i18n.N(l, "docx.files", n, n, names))
		}
	}
	return out
}

// doneAt is when the last of as was done.
func doneAt(as []report.AssignmentView) time.Time {
	var at time.Time
	for i := range as {
		t := as[i].Assignment.DoneAt
		if t.IsZero() {
			t = as[i].Assignment.ReportedAt
		}
		if t.After(at) {
			at = t
		}
	}
	return at
}

func note(a *report.AssignmentView) string {
	return strings.Join(strings.Fields(a.Assignment.Note), " ")
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// taskName names a task briefly: "nhiệm vụ I.1" ("task I.1").
func taskName(v report.TaskView, l i18n.Lang) string {
	n := v.Task.Number
	if n == "" {
		n = v.Task.Code
	}
	return i18n.T(l, "docx.task", n)
}

// taskHead is a task's line in a list: "Nhiệm vụ I.1: <title> (chủ trì:
// <agencies as written>)".
func taskHead(v report.TaskView, l i18n.Lang) string {
	n := v.Task.Number
	if n == "" {
		n = v.Task.Code
	}
	lead := v.Task.Lead.Text
	if lead == "" && len(v.Lead) > 0 {
		lead = v.Lead[0].Agency.Name
	}
	return i18n.T(l, "docx.task_head", n, i18n.Shorten(v.Task.Title, 220), lead)
}

// appendixCells is a task's row of the appendix: the plan's columns as
// written, then where it stands, its group in the official words, and the
// latest note.
func appendixCells(v report.TaskView, l i18n.Lang, loc *time.Location) []string {
	st := upward.Standing(v, l, maxNames)
	g := upward.Assessment(v, l)
	nt := ""
	if v.LatestNote != "" {
		nt = i18n.Shorten(v.LatestNote, 240)
		if v.LatestNoteBy != "" {
			nt += "\n(" + v.LatestNoteBy + ", " + i18n.Date(deadline.DateOf(v.LatestNoteAt.In(loc))) + ")"
		}
	}
	return []string{v.Task.Number, v.Task.Title, v.Task.Lead.Text, v.Task.Coordinating.Text, v.Task.Deadline.Text, v.Task.Output, st, g, nt}
}
