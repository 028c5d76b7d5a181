package bot

import (
	"context"
	"time"

	"agencybot/domain"
	"agencybot/i18n"
)

// A pause of N days covers the N days after today, to the end of the last
// one: /pause 7 on Monday 01/12 pauses reminders until the end of Monday
// 08/12, whatever the hour it was typed at. The stored end is the next
// midnight (exclusive), in the province's time zone.

// pauseEnd is when a pause of days typed now ends.
func (b *Bot) pauseEnd(days int) time.Time {
	now := b.local()
	return time.Date(now.Year(), now.Month(), now.Day()+days+1, 0, 0, 0, 0, b.Config.Location)
}

// pauseDay is the last day of a pause ending at until, as 03/12/2026.
func (b *Bot) pauseDay(until time.Time) string {
	return until.In(b.Config.Location).Add(-time.Second).Format("02/01/2006")
}

// pausedNow tells whether an officer's reminders are paused at this moment.
func (b *Bot) pausedNow(o *domain.Officer) bool {
	return o != nil && o.PausedUntil.After(b.now())
}

// whoamiPause is what /whoami adds about pausing: the person's own active
// pause and its substitute, and whom they stand in for meanwhile.
func (b *Bot) whoamiPause(ctx context.Context, w who) []string {
	if w.Agency() == "" {
		return nil
	}
	var lines []string
	if o := w.Officer; b.pausedNow(o) {
		day := b.pauseDay(o.PausedUntil)
		if sub, err := b.People.Officer(ctx, o.Substitute); o.Substitute != 0 && err == nil {
			lines = append(lines, w.t("whoami.paused", day, escape(sub.Name)))
		} else {
			lines = append(lines, w.t("whoami.paused_alone", day))
		}
	}
	colleagues, err := b.People.Officers(ctx, w.Agency())
	if err != nil {
		b.log().Warn("officers for whoami", "user", w.ID, "err", err)
		return lines
	}
	for _, c := range colleagues {
		c := c
		if c.TelegramID != w.ID && c.Substitute == w.ID && b.pausedNow(&c) {
			lines = append(lines, w.t("whoami.standing_in", escape(c.Name), b.pauseDay(c.PausedUntil)))
		}
	}
	return lines
}

// cmdResume ends the officer's pause at once and tells their substitute;
// with nothing paused it says so and changes nothing.
func (b *Bot) cmdResume(ctx context.Context, w who) {
	if w.Agency() == "" {
		b.reply(w.Chat, w.t("tasks.not_officer"))
		return
	}
	if !b.pausedNow(w.Officer) {
		b.reply(w.Chat, w.t("pause.not_paused"))
		return
	}
	sub := w.Officer.Substitute
	if err := b.People.Pause(ctx, w.ID, time.Time{}, 0); err != nil {
		b.fail(w, "resume", err)
		return
	}
	if sub == 0 || sub == w.ID {
		b.reply(w.Chat, w.t("pause.resumed"))
		return
	}
	subName := ""
	if o, err := b.People.Officer(ctx, sub); err == nil {
		subName = o.Name
		b.notify(sub, substituteEndedNotice(i18n.For(o.Lang), w.Name))
	}
	if subName == "" {
		b.reply(w.Chat, w.t("pause.resumed"))
		return
	}
	b.reply(w.Chat, w.t("pause.resumed_sub", escape(subName)))
}
