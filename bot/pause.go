package bot

// Pausing an officer's reminders: /pause <days> with a colleague to stand
// in, /resume, and what /whoami says about it.
//
// A pause of N days covers the N days after today, to the end of the last
// one: /pause 7 on Monday 01/12 pauses reminders until the end of Monday
// 08/12, whatever the hour it was typed at. The stored end is the next
// midnight (exclusive), in the province's time zone.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"agencybot/domain"
	"agencybot/i18n"
)

// pauseStore keeps pauses and finds the colleagues who may stand in
// (*store.Store: store/people.go).
type pauseStore interface {
	Pause(ctx context.Context, id int64, until time.Time, substitute int64) error
	Officer(ctx context.Context, telegramID int64) (domain.Officer, error)
	Officers(ctx context.Context, agencyKey string) ([]domain.Officer, error)
}

type pausing struct {
	*core
	store pauseStore
	once  *oneShot
}

// maxPauseDays bounds /pause.
const maxPauseDays = 90

// pause pauses the officer's reminders for some days, asking which
// colleague receives them meanwhile.
func (f *pausing) pause(ctx context.Context, w who, args string) error {
	if w.Agency() == "" {
		w.reply(w.t("tasks.not_officer"))
		return nil
	}
	days, err := strconv.Atoi(strings.TrimSpace(args))
	if err != nil || days < 1 || days > maxPauseDays {
		w.reply(w.t("pause.usage", maxPauseDays))
		return nil
	}
	colleagues, err := f.store.Officers(ctx, w.Agency())
	if err != nil {
		return fmt.Errorf("officers: %w", err)
	}
	var rows [][]domain.Button
	for _, o := range colleagues {
		if o.TelegramID == w.ID || o.Role != domain.RoleOfficer {
			continue
		}
		rows = append(rows, []domain.Button{button("👤 "+i18n.Shorten(o.Name, 40),
			domain.Callback{Verb: VerbPause, Ref: itoa(days), Arg: strconv.FormatInt(o.TelegramID, 10)})})
	}
	rows = append(rows, []domain.Button{button(w.t("pause.no_substitute"), domain.Callback{Verb: VerbPause, Ref: itoa(days), Arg: "0"})})
	w.replyKB(w.t("pause.choose", days), rows)
	return nil
}

// confirmed pauses with the substitute pressed, once per choice.
func (f *pausing) confirmed(ctx context.Context, w who, cb domain.Callback) error {
	days, err1 := strconv.Atoi(cb.Ref)
	sub, err2 := strconv.ParseInt(cb.Arg, 10, 64)
	if err1 != nil || err2 != nil || days < 1 || days > maxPauseDays || w.Agency() == "" {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	subName := ""
	if sub != 0 {
		o, err := f.store.Officer(ctx, sub)
		if err != nil || o.AgencyKey != w.Agency() || o.Role != domain.RoleOfficer || sub == w.ID {
			w.answer(w.t("err.stale_button"), true)
			return nil
		}
		subName = o.Name
	}
	if ok, err := f.once.first(ctx, w); !ok { // one pause per choice
		return err
	}
	until := f.end(days)
	if err := f.store.Pause(ctx, w.ID, until, sub); err != nil {
		return fmt.Errorf("pause: %w", err)
	}
	w.answer("", false)
	text := w.t("pause.until_day", f.day(until))
	if sub != 0 {
		text += "\n" + w.t("pause.substitute", escape(subName))
		f.push(ctx, pushKey("substitute", w.Source, sub), sub, f.textFor(ctx, sub, "pause.you_substitute", escape(w.Name), f.day(until)))
	}
	w.edit(w.pressed(), text, nil)
	return nil
}

// end is when a pause of days typed now ends.
func (f *pausing) end(days int) time.Time {
	now := f.local()
	return time.Date(now.Year(), now.Month(), now.Day()+days+1, 0, 0, 0, 0, f.cfg.Location)
}

// day is the last day of a pause ending at until, as 03/12/2026.
func (f *pausing) day(until time.Time) string {
	return until.In(f.cfg.Location).Add(-time.Second).Format("02/01/2006")
}

// pausedNow tells whether an officer's reminders are paused at this moment.
func (f *pausing) pausedNow(o *domain.Officer) bool {
	return o != nil && o.PausedUntil.After(f.now())
}

// whoamiLines is what /whoami adds about pausing: the person's own active
// pause and its substitute, and whom they stand in for meanwhile.
func (f *pausing) whoamiLines(ctx context.Context, w who) []string {
	if w.Agency() == "" {
		return nil
	}
	var lines []string
	if o := w.Officer; f.pausedNow(o) {
		day := f.day(o.PausedUntil)
		if sub, err := f.store.Officer(ctx, o.Substitute); o.Substitute != 0 && err == nil {
			lines = append(lines, w.t("whoami.paused", day, escape(sub.Name)))
		} else {
			lines = append(lines, w.t("whoami.paused_alone", day))
		}
	}
	colleagues, err := f.store.Officers(ctx, w.Agency())
	if err != nil {
		f.log.Warn("officers for whoami", "user", w.ID, "err", err)
		return lines
	}
	for _, c := range colleagues {
		if c.TelegramID != w.ID && c.Substitute == w.ID && f.pausedNow(&c) {
			lines = append(lines, w.t("whoami.standing_in", escape(c.Name), f.day(c.PausedUntil)))
		}
	}
	return lines
}

// resume ends the officer's pause at once and tells their substitute; with
// nothing paused it says so and changes nothing.
func (f *pausing) resume(ctx context.Context, w who) error {
	if w.Agency() == "" {
		w.reply(w.t("tasks.not_officer"))
		return nil
	}
	if !f.pausedNow(w.Officer) {
		w.reply(w.t("pause.not_paused"))
		return nil
	}
	sub := w.Officer.Substitute
	if err := f.store.Pause(ctx, w.ID, time.Time{}, 0); err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	if sub == 0 || sub == w.ID {
		w.reply(w.t("pause.resumed"))
		return nil
	}
	subName := ""
	if o, err := f.store.Officer(ctx, sub); err == nil {
		subName = o.Name
		f.notify(ctx, w, "substitute-ended", sub, i18n.T(i18n.For(o.Lang), "pause.substitute_ended", escape(w.Name)))
	}
	if subName == "" {
		w.reply(w.t("pause.resumed"))
		return nil
	}
	w.reply(w.t("pause.resumed_sub", escape(subName)))
	return nil
}
