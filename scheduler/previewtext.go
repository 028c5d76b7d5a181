package scheduler

import (
	"context"
	"fmt"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// PreviewMessage is one message a run would send, as its recipient would
// read it.
type PreviewMessage struct {
	Kind    string   // store.MessageReminder, MessageDigest or MessageNotice
	ChatID  int64    // the recipient
	Name    string   // the recipient's name ("" when not linked, e.g. an admin)
	Lang    string   // the catalogue it is written in
	Text    string   // plain text: HTML removed, entities decoded; parts joined by a blank line
	Buttons []string // the buttons' labels
}

// PreviewMessages renders, per recipient, the messages the reminder run at
// instant at would send (and the digest if DIGEST_CRON fires that day, and
// the admins' notice of agencies nobody could be told about), exactly as
// the run and the dispatcher would render them; it sends and writes
// nothing. Items planned before are left out, as in Preview.
func (s *Scheduler) PreviewMessages(ctx context.Context, at time.Time) ([]PreviewMessage, error) {
	p, err := s.buildPlan(ctx, at)
	if err != nil {
		return nil, err
	}
	unmarked := func(items []store.OutboxItem) ([]store.OutboxItem, error) {
		var out []store.OutboxItem
		for _, it := range items {
			marked, err := s.st.ItemMarked(ctx, it.ID)
			if err != nil {
				return nil, fmt.Errorf("preview: %w", err)
			}
			if !marked {
				out = append(out, it)
			}
		}
		return out, nil
	}
	name := func(id int64) string { return p.byID[id].Name }
	var out []PreviewMessage
	for _, m := range p.msgs {
		fresh, err := unmarked(m.items)
		if err != nil {
			return nil, err
		}
		if len(fresh) == 0 {
			continue
		}
		// As RunReminders queues it and the dispatcher renders it.
		msg := store.OutboxMessage{Kind: store.MessageReminder, ChatID: m.to.id, Lang: m.to.lang, Day: p.day,
			AgencyName: p.agencies[m.to.agency].Name, OnBehalfOf: strings.Join(m.to.onBehalf, ", "), Items: fresh}
		out = append(out, previewOf(store.MessageReminder, m.to.id, name(m.to.id), string(i18n.For(m.to.lang)), render(msg, false)))
	}
	if s.digestFires(p.day) {
		now := at.In(s.loc)
		in, err := s.digestInput(ctx, now)
		if err != nil {
			return nil, fmt.Errorf("preview: %w", err)
		}
		d, _ := s.computeDigest(p, in)
		behind, targets, err := s.targetsOf(ctx, p.day)
		if err != nil {
			return nil, fmt.Errorf("preview: %w", err)
		}
		for _, o := range digestReaders(p, now) {
			l := i18n.For(o.Lang)
			// The run attaches the chart (digestChart); the preview names it.
			chart := &domain.Attachment{Kind: domain.AttachPhoto, Name: "tien-do.png", MIME: "image/png"}
			out = append(out, previewOf(store.MessageDigest, o.TelegramID, o.Name, string(l),
				[]domain.Outgoing{{ChatID: o.TelegramID, Text: renderDigest(l, d, p.agencies) + renderDigestTargets(l, behind, targets), File: chart,
					Buttons: digestButtons(l, p.day)}}))
		}
	}
	orphans, err := unmarked(p.orphans)
	if err != nil {
		return nil, err
	}
	if len(orphans) > 0 {
		for _, admin := range s.cfg.AdminIDs {
			l := i18n.VI
			if o, ok := p.byID[admin]; ok {
				l = i18n.For(o.Lang)
			}
			out = append(out, previewOf(store.MessageNotice, admin, name(admin), string(l),
				[]domain.Outgoing{{ChatID: admin, Text: renderNoOfficer(l, p, orphans)}}))
		}
	}
	return out, nil
}

func previewOf(kind string, chat int64, name, lang string, parts []domain.Outgoing) PreviewMessage {
	pm := PreviewMessage{Kind: kind, ChatID: chat, Name: name, Lang: lang}
	var texts []string
	for _, o := range parts {
		texts = append(texts, PlainText(o.Text))
		if o.File != nil {
			texts = append(texts, "["+o.File.Kind+": "+o.File.Name+"]")
		}
		for _, row := range o.Buttons {
			for _, b := range row {
				pm.Buttons = append(pm.Buttons, b.Text)
			}
		}
	}
	pm.Text = strings.Join(texts, "\n\n")
	return pm
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// PlainText is an HTML message as its reader sees it: tags removed,
// entities (&amp; &lt; …) decoded. The messages escape every text they
// carry, so a "<" in them always opens a tag.
func PlainText(htmlText string) string {
	return html.UnescapeString(tagRE.ReplaceAllString(htmlText, ""))
}

// WritePreviewMessages writes the messages as plain text, each under a line
// naming its recipient.
func WritePreviewMessages(w io.Writer, msgs []PreviewMessage) error {
	for _, m := range msgs {
		who := strconv.FormatInt(m.ChatID, 10)
		if m.Name != "" {
			who = m.Name + " (" + who + ")"
		}
		if _, err := fmt.Fprintf(w, "\n=== %s to %s · %s ===\n%s\n", m.Kind, who, m.Lang, m.Text); err != nil {
			return fmt.Errorf("write preview: %w", err)
		}
		if len(m.Buttons) > 0 {
			if _, err := fmt.Fprintf(w, "[%s]\n", strings.Join(m.Buttons, "] [")); err != nil {
				return fmt.Errorf("write preview: %w", err)
			}
		}
	}
	return nil
}

// RunOfDay is the reminder run (a slot of REMINDER_CRON) of the day of
// instant at, in the province's time zone; false when the schedule has no
// run that day.
func (s *Scheduler) RunOfDay(at time.Time) (time.Time, bool) {
	day := deadline.DateOf(at.In(s.loc))
	t := s.reminderSched.Next(day.In(s.loc).Add(-time.Second))
	if t.IsZero() || deadline.DateOf(t.In(s.loc)) != day {
		return time.Time{}, false
	}
	return t, true
}
