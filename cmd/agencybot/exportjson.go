package main

import (
	"context"
	"time"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/report"
	"agencybot/store"
)

// exportTask is one task as `agencybot export --format json` prints it: the
// plan's row, then its roll-up and one line per agency.
type exportTask struct {
	Plan             string   `json:"plan"`
	Section          string   `json:"section"`
	Number           string   `json:"number"`
	Code             string   `json:"code"`
	Title            string   `json:"title"`
	Lead             []string `json:"lead"`
	LeadText         string   `json:"lead_text,omitempty"`
	Coordinating     []string `json:"coordinating"`
	CoordinatingText string   `json:"coordinating_text,omitempty"`
	DeadlineText     string   `json:"deadline_text"`
	DeadlineKind     string   `json:"deadline_kind"`
	Due              *string  `json:"due"`
	Recurrence       *string  `json:"recurrence"`
	Output           string   `json:"output"`

	Status       domain.Status `json:"status"`
	Progress     int           `json:"progress"`
	Light        domain.Light  `json:"light"`
	Group        report.Group  `json:"group"`
	NotReported  bool          `json:"not_reported_this_period"`
	Waiting      bool          `json:"waiting_for_review"`
	LatestNote   string        `json:"latest_note,omitempty"`
	Agencies     []exportLine  `json:"agencies"`
	LastReported *time.Time    `json:"last_reported,omitempty"`
}

// exportLine is one agency's line under a task.
type exportLine struct {
	AgencyKey   string        `json:"agency_key"`
	Agency      string        `json:"agency"`
	Role        domain.Role   `json:"role"`
	Collective  bool          `json:"collective"`
	Status      domain.Status `json:"status"`
	Progress    int           `json:"progress"`
	Light       domain.Light  `json:"light"`
	Group       report.Group  `json:"group"`
	NotReported bool          `json:"not_reported_this_period"`
	Waiting     bool          `json:"waiting_for_review"`
	ReportedAt  *time.Time    `json:"reported_at"`
	Note        string        `json:"note,omitempty"`
	Evidence    int           `json:"evidence"`
	// Issue 20: the part's current date, the plan's, and its extensions;
	// its proof (the output document's number and date, the files).
	Due         *string           `json:"due"`
	DueOriginal *string           `json:"due_original"`
	Extensions  []exportExtension `json:"extensions"`
	ProofText   string            `json:"proof_text,omitempty"`
	Files       []exportFile      `json:"files"`
}

// exportExtension is one request for more time on a part (gia hạn) and its
// decision: approved (to is the date approved), refused, or pending (to is
// the date asked).
type exportExtension struct {
	From        string     `json:"from"`
	To          string     `json:"to"`
	Asked       string     `json:"asked"`
	Reason      string     `json:"reason"`
	Late        bool       `json:"late,omitempty"`
	RequestedBy string     `json:"requested_by"`
	RequestedAt time.Time  `json:"requested_at"`
	DecidedBy   string     `json:"decided_by,omitempty"`
	Decision    string     `json:"decision"` // approved, refused or pending
	At          *time.Time `json:"at"`       // when it was decided
	Refusal     string     `json:"refusal,omitempty"`
	Direct      bool       `json:"direct,omitempty"` // a coordinator's /setdue of a dated task
}

// exportFile is one evidence file sent on a part, as the store has it.
type exportFile struct {
	domain.Evidence
	Caption string    `json:"caption,omitempty"` // what the officer wrote with the file (issue 20)
	At      time.Time `json:"at"`
}

// exportExtras is what the export adds to the roll-up per part (by
// assignment id): extensions, reviews, files.
type exportExtras struct {
	extensions map[string][]store.Extension
	reviews    map[string]store.Review
	files      map[string][]exportFile
}

// readExtras reads the extensions and reviews of every part, and collects
// the files as the updates are folded (fold).
func readExtras(ctx context.Context, s *store.Store) (exportExtras, func(domain.Update), error) {
	x := exportExtras{extensions: map[string][]store.Extension{}, reviews: map[string]store.Review{}, files: map[string][]exportFile{}}
	exts, err := s.AllExtensions(ctx)
	if err != nil {
		return x, nil, err
	}
	for _, e := range exts {
		x.extensions[e.AssignmentID] = append(x.extensions[e.AssignmentID], e)
	}
	revs, err := s.AllReviews(ctx)
	if err != nil {
		return x, nil, err
	}
	for _, r := range revs {
		x.reviews[r.AssignmentID] = r
	}
	fold := func(u domain.Update) {
		if u.Kind == domain.AddEvidence && u.Evidence != nil && !u.Corrected {
			x.files[u.AssignmentID] = append(x.files[u.AssignmentID], exportFile{Evidence: *u.Evidence, Caption: u.Note, At: u.At})
		}
	}
	return x, fold, nil
}

// dateRef is a date as the export writes it, nil when zero.
func dateRef(d deadline.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

// extras fills a part's line from x.
func (x exportExtras) fill(l *exportLine, a domain.Assignment, loc *time.Location) {
	l.Due, l.DueOriginal = dateRef(a.Due), dateRef(a.Due)
	if a.Extended() && !a.DueOriginal.IsZero() {
		l.DueOriginal = dateRef(a.DueOriginal)
	}
	l.Extensions, l.Files = []exportExtension{}, []exportFile{}
	for _, e := range x.extensions[a.ID] {
		v := exportExtension{From: e.From.String(), To: e.Asked.String(), Asked: e.Asked.String(), Reason: e.Reason, Late: e.Late,
			RequestedBy: e.RequestName, RequestedAt: e.RequestedAt.In(loc), DecidedBy: e.DecidedName, Decision: e.State, Refusal: e.Refusal, Direct: e.Direct}
		if e.State == store.ExtensionApproved {
			v.To = e.To.String()
		}
		if !e.DecidedAt.IsZero() {
			at := e.DecidedAt.In(loc)
			v.At = &at
		}
		l.Extensions = append(l.Extensions, v)
	}
	if r, ok := x.reviews[a.ID]; ok {
		l.ProofText = r.ProofText() // every text given, in order (with a caption, once each)
	}
	for _, f := range x.files[a.ID] {
		f.At = f.At.In(loc)
		l.Files = append(l.Files, f)
	}
}

// exportTasks turns the roll-up's tasks into the JSON rows.
func exportTasks(r *report.Rollup, loc *time.Location, extras exportExtras) []exportTask {
	rows := []exportTask{}
	r.EachTask(func(v report.TaskView) bool {
		t := v.Task
		lines := append(append([]report.AssignmentView(nil), v.Lead...), v.Coordinating...)
		as := make([]domain.Assignment, len(lines))
		names := map[string]string{}
		for i, a := range lines {
			as[i] = a.Assignment
			names[a.Assignment.AgencyKey] = a.Agency.Name
		}
		row := exportTask{
			Plan: v.Plan.Label(), Section: t.Section, Number: t.Number, Code: t.Code, Title: t.Title,
			Lead: resolved(t.Lead, as, domain.Lead, names), Coordinating: resolved(t.Coordinating, as, domain.Coordinating, names),
			DeadlineText: t.Deadline.Text, DeadlineKind: string(t.Deadline.Kind), Output: t.Output,
			Status: v.Status, Progress: v.Progress, Light: v.Light, Group: v.Group, NotReported: v.Unreported, Waiting: v.Waiting,
			LatestNote: v.LatestNote, Agencies: []exportLine{},
		}
		if t.Lead.Group != agency.NoGroup || len(t.Lead.Rest) > 0 {
			row.LeadText = t.Lead.Text
		}
		if t.Coordinating.Group != agency.NoGroup || len(t.Coordinating.Rest) > 0 {
			row.CoordinatingText = t.Coordinating.Text
		}
		if d := t.Due(); !d.IsZero() {
			s := d.String()
			row.Due = &s
		}
		if t.Deadline.Recurrence != "" {
			s := string(t.Deadline.Recurrence)
			row.Recurrence = &s
		}
		for _, a := range lines {
			x := a.Assignment
			l := exportLine{AgencyKey: x.AgencyKey, Agency: a.Agency.Name, Role: x.Role, Collective: x.Collective, Status: x.Status,
				Progress: x.Progress, Light: a.Light, Group: a.Group, NotReported: a.Unreported, Waiting: a.Waiting, Note: x.Note, Evidence: a.Evidence}
			extras.fill(&l, x, loc)
			if !x.ReportedAt.IsZero() {
				at := x.ReportedAt.In(loc)
				l.ReportedAt = &at
				if row.LastReported == nil || at.After(*row.LastReported) {
					row.LastReported = &at
				}
			}
			row.Agencies = append(row.Agencies, l)
		}
		rows = append(rows, row)
		return true
	})
	return rows
}
