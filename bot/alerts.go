package bot

// Alerts to leaders and admins: the whole story of a block — reported,
// described, unblocked, or the block (or the unblock) undone. Each goes
// through the outbox keyed by the update that caused it.

import (
	"context"

	"agencybot/domain"
	"agencybot/i18n"
)

// alertStore is who hears of blocks (*store.Store: store/people.go).
type alertStore interface {
	Leaders(ctx context.Context) ([]domain.Officer, error)
	Officer(ctx context.Context, telegramID int64) (domain.Officer, error)
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

// block tells leaders and admins what a change did to a block, if
// anything: a change that neither enters, leaves nor describes a block
// sends nothing. Keyed by the change's update, so a replay sends nothing new.
func (f *alerts) block(ctx context.Context, a domain.Assignment, u domain.Update, by who) {
	was, is := u.Before.Status == domain.Blocked, a.Status == domain.Blocked
	cause := ""
	switch {
	case u.Kind == domain.SetStatus && !was && is:
		cause = alertBlocked
	case u.Kind == domain.SetStatus && was && !is:
		cause = alertUnblocked
	case u.Kind == domain.Correction && was && !is:
		cause = alertUndone
	case u.Kind == domain.Correction && !was && is:
		cause = alertReblocked
	case u.Kind == domain.AddNote && is && u.Note != "":
		cause = alertNote
	default:
		return
	}
	t, _ := f.catalog.store.Task(ctx, a.TaskCode)
	ag, _ := f.catalog.store.Agency(ctx, a.AgencyKey)
	for _, r := range f.recipients(ctx) {
		if r.ID == by.ID {
			continue // they did it themselves
		}
		lw := who{Lang: r.Lang}
		var text string
		switch cause {
		case alertBlocked:
			note := a.Note
			if note == "" {
				note = lw.t("alert.no_note")
			}
			text = lw.t("alert.blocked", escape(t.Code), escape(i18n.Shorten(t.Title, 160)), escape(ag.Name), escape(by.Name), escape(note))
		case alertNote:
			text = lw.t("alert.blocked_note", escape(a.TaskCode), escape(ag.Name), escape(by.Name), escape(u.Note))
		default:
			text = lw.t("alert."+cause, escape(a.TaskCode), escape(ag.Name), escape(by.Name), lw.t("status."+string(a.Status)))
		}
		f.pushWith(ctx, pushKey(cause, u.Source, r.ID), domain.Outgoing{ChatID: r.ID, Text: text, Buttons: openTaskButtons(lw, a.TaskCode)})
	}
}
