package bot

// Alerts to leaders and admins: the whole story of a block — reported,
// described, unblocked, or the block (or the unblock) undone. Each goes
// through the outbox keyed by the update that caused it.

import (
	"context"
	"time"

	"agencybot/domain"
	"agencybot/i18n"
)

// alertStore is who hears of blocks (*store.Store: store/people.go).
type alertStore interface {
	Leaders(ctx context.Context) ([]domain.Officer, error)
	Officer(ctx context.Context, telegramID int64) (domain.Officer, error)
	AssignmentHistory(ctx context.Context, id string, limit int) ([]domain.Update, error)
}

type alerts struct {
	*core
	store alertStore
}

// Causes of the alerts, the first part of their outbox keys.
const (
	alertBlocked   = "block"     // reported blocked
	alertNote      = "blocknote" // the block described (a note while blocked)
	alertUnblocked = "unblock"   // moved on from blocked
	alertUndone    = "blockundo" // the block report withdrawn
	alertReblocked = "reblock"   // the unblock withdrawn: blocked again
	alertDescribed = "blockdesc" // the block's alert, with the officer's description (issue 20)
)

// recipient is someone who hears of blocks, in their language.
type recipient struct {
	ID   int64
	Lang i18n.Lang
}

// alertRecipients are the leaders and the admins, each once.
func (f *alerts) recipients(ctx context.Context) []recipient {
	leaders, err := f.store.Leaders(ctx)
	if err != nil {
		f.log.Error("load leaders", "err", err)
	}
	seen := map[int64]bool{}
	var out []recipient
	for _, l := range leaders {
		if !seen[l.TelegramID] {
			seen[l.TelegramID] = true
			out = append(out, recipient{l.TelegramID, i18n.For(l.Lang)})
		}
	}
	for _, id := range f.cfg.AdminIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		lang := ""
		if o, err := f.store.Officer(ctx, id); err == nil {
			lang = o.Lang
		}
		out = append(out, recipient{id, i18n.For(lang)})
	}
	return out
}

// blockWait is how long a block alert waits for the officer's own
// description before it goes without one (issue 20).
const blockWait = 3 * time.Minute

// block tells leaders and admins what a change did to a block, if
// anything: a change that neither enters, leaves nor describes a block
// sends nothing. There is one alert per block, keyed by the update that
// made it (so a replay sends nothing new): it waits blockWait for the
// officer's description and goes with it as soon as it comes, or without
// one once the wait is over — never quoting an older note. Leaving a block
// by any change (a status, 100 %) is announced; the announcement waits for
// a block alert still waiting, so that it never comes first.
func (f *alerts) block(ctx context.Context, a domain.Assignment, u domain.Update, by who) {
	was, is := u.Before.Status == domain.Blocked, a.Status == domain.Blocked
	cause := ""
	switch {
	case u.Kind == domain.SetStatus && !was && is:
		cause = alertBlocked
	case u.Kind == domain.Correction && was && !is:
		cause = alertUndone
	case u.Kind == domain.Correction && !was && is:
		cause = alertReblocked
	case was && !is:
		cause = alertUnblocked
	case u.Kind == domain.AddNote && is && u.Note != "":
		cause = alertNote
	default:
		return
	}
	b, described := u, false // the update that made the block
	if cause != alertBlocked && cause != alertReblocked {
		var ok bool
		if b, described, ok = f.blockOf(ctx, a.ID, u); !ok && cause == alertNote {
			return // a note on a block older than its history: nothing to describe
		}
	}
	t, _ := f.catalog.store.Task(ctx, a.TaskCode)
	ag, _ := f.catalog.store.Agency(ctx, a.AgencyKey)
	due := b.At.Add(blockWait) // when the block's own alert goes without a description
	for _, r := range f.recipients(ctx) {
		if r.ID == by.ID {
			continue // they did it themselves
		}
		lw := who{Lang: r.Lang}
		out := domain.Outgoing{ChatID: r.ID, Buttons: openTaskButtons(lw, a.TaskCode)}
		key := pushKey(cause, u.Source, r.ID)
		switch cause {
		case alertBlocked:
			key = pushKey(alertBlocked, b.ID, r.ID)
			out.Text = lw.t("alert.blocked", escape(t.Code), escape(i18n.Shorten(t.Title, 160)), escape(ag.Name), escape(by.Name), lw.t("alert.no_desc", int(blockWait/time.Minute)))
			out.NotBefore, out.Unless = due, []string{pushKey(alertDescribed, b.ID, r.ID)}
		case alertNote:
			if described {
				return // the block was described before: one alert per block
			}
			if b.Kind == domain.SetStatus && f.now().Before(due) { // the block's alert, with its description
				key = pushKey(alertDescribed, b.ID, r.ID)
				out.Text = lw.t("alert.blocked", escape(t.Code), escape(i18n.Shorten(t.Title, 160)), escape(ag.Name), escape(b.OfficerName), escape(u.Note))
				break
			}
			// The alert went (or the block was a withdrawn unblock): the
			// description follows it, once per block.
			key = pushKey(alertNote, b.ID, r.ID)
			out.Text = lw.t("alert.blocked_note", escape(a.TaskCode), escape(ag.Name), escape(by.Name), escape(u.Note))
		default:
			out.Text = lw.t("alert."+cause, escape(a.TaskCode), escape(ag.Name), escape(by.Name), lw.t("status."+string(a.Status)))
			if b.Kind == domain.SetStatus && !described && f.now().Before(due) {
				out.NotBefore = due.Add(5 * time.Second) // after the block's alert, still waiting
				out.After = pushKey(alertBlocked, b.ID, r.ID)
			}
		}
		f.pushWith(ctx, key, out)
	}
}

// blockOf finds the update that made the block u is about (the latest one
// before u that entered blocked), and whether a note described the block
// before u. ok is false when the history holds none.
func (f *alerts) blockOf(ctx context.Context, id string, u domain.Update) (b domain.Update, described, ok bool) {
	h, err := f.store.AssignmentHistory(ctx, id, 50)
	if err != nil {
		f.log.Error("history of a block", "assignment", id, "err", err)
		return u, false, false
	}
	for _, x := range h { // newest first
		if x.Version >= u.Version {
			continue
		}
		if x.After.Status == domain.Blocked && x.Before.Status != domain.Blocked {
			return x, described, true
		}
		if x.Kind == domain.AddNote {
			described = true
		}
	}
	return u, false, false
}
