package main

import (
	"time"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/report"
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
}

// exportTasks turns the roll-up's tasks into the JSON rows.
func exportTasks(r *report.Rollup, loc *time.Location) []exportTask {
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
