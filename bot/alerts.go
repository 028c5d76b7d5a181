package bot

// Alerts to leaders when an officer reports a block.

import (
	"context"

	"agencybot/domain"
	"agencybot/i18n"
)

// alertLeaders tells every leader at once that an officer reported a block.
func (b *Bot) alertLeaders(ctx context.Context, a domain.Assignment, u domain.Update, by who) {
	leaders, err := b.People.Leaders(ctx)
	if err != nil {
		b.log().Error("load leaders", "err", err)
		return
	}
	t, _ := b.Catalog.Task(ctx, a.TaskCode)
	ag, _ := b.Catalog.Agency(ctx, a.AgencyKey)
	for _, l := range leaders {
		lw := who{Lang: i18n.For(l.Lang)}
		note := a.Note
		if note == "" {
			note = lw.t("alert.no_note")
		}
		b.replyKB(l.TelegramID, lw.t("alert.blocked", escape(t.Code), escape(i18n.Shorten(t.Title, 160)), escape(ag.Name), escape(by.Name), escape(note)),
			openTaskKB(lw, a.TaskCode))
	}
}

// alertLeadersNote forwards the officer's description of a block.
func (b *Bot) alertLeadersNote(ctx context.Context, a domain.Assignment, note string, by who) {
	leaders, err := b.People.Leaders(ctx)
	if err != nil {
		b.log().Error("load leaders", "err", err)
		return
	}
	ag, _ := b.Catalog.Agency(ctx, a.AgencyKey)
	for _, l := range leaders {
		lw := who{Lang: i18n.For(l.Lang)}
		b.replyKB(l.TelegramID, lw.t("alert.blocked_note", escape(a.TaskCode), escape(ag.Name), escape(by.Name), escape(note)), openTaskKB(lw, a.TaskCode))
	}
}
