package bot

// Typed text that is not the answer to a question: a reply to a message
// about a task, a text typed with a task card open, a pasted invite code, or
// anything else. Every one gets somewhere: a change, a one-tap choice naming
// the task, or a hint saying how to reach a task.

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
	"agencybot/telegram"
)

// draftStore keeps typed texts waiting for the officer's choice
// (*store.Store: store/about.go).
type draftStore interface {
	SaveDraft(ctx context.Context, d store.Draft) error
	Draft(ctx context.Context, key string) (store.Draft, error)
	UseDraft(ctx context.Context, key string) (bool, error)
	UseDraftFor(ctx context.Context, key, ref string) (bool, error)
}

type freeText struct {
	*core
	store       draftStore
	assignments assignmentReader
	abouts      *abouts
	changes     *changes
}

// maxChoiceTasks bounds the tasks a choice offers.
const maxChoiceTasks = 8

// parseProgress reads a progress figure: "60", "80%", "80 %".
func parseProgress(s string) (int, bool) {
	m := progressRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	v, err := strconv.Atoi(m[1])
	return v, err == nil && v >= 0 && v <= 100
}

// inviteRE is an invite code as the bot makes them (see store.CreateInvite),
// alone or in its link.
var inviteRE = regexp.MustCompile(`^(?:(?:https?://)?(?:t|telegram)\.me/[A-Za-z0-9_]+\?start=)?([A-HJ-NP-Za-hj-np-z2-9]{10})$`)

// pastedInvite tells whether a text is only an invite code (or its link).
// A code typed in lower case counts only for someone not linked yet: from a
// linked officer such a word is more likely a note.
func pastedInvite(text string, anyCase bool) (string, bool) {
	text = strings.TrimSpace(text)
	m := inviteRE.FindStringSubmatch(text)
	if m == nil || (!anyCase && text == strings.ToLower(text)) {
		return "", false
	}
	return strings.ToUpper(m[1]), true
}

// reply handles a reply to a message recorded as being about tasks; took is
// false when the replied-to message is about no task.
func (f *freeText) reply(ctx context.Context, w who, m *telegram.Message) (took bool, err error) {
	mine, recorded := f.abouts.mine(ctx, w, m.ReplyTo)
	if !recorded {
		return false, nil
	}
	if w.Agency() == "" {
		w.reply(w.t("hint.leader"))
		return true, nil
	}
	if len(mine) > 0 && f.nothingToSave(w, m.Text, mine) {
		return true, nil
	}
	switch len(mine) {
	case 0:
		w.reply(w.t("err.reply_which_task"))
	case 1:
		if v, ok := parseProgress(m.Text); ok {
			_, err := f.changes.apply(ctx, w, mine[0], domain.Change{Kind: domain.SetProgress, Progress: &v}, 0)
			return true, err
		}
		note := strings.TrimSpace(m.Text)
		if n := len([]rune(note)); n > maxNoteRunes {
			w.reply(w.t("err.note_too_long", n, maxNoteRunes))
			return true, nil
		}
		_, err := f.changes.apply(ctx, w, mine[0], domain.Change{Kind: domain.AddNote, Note: note}, 0)
		return true, err
	default:
		return true, f.offer(ctx, w, m.Text, mine)
	}
	return true, nil
}

// loose handles text that answers no question and replies to no message
// about a task.
func (f *freeText) loose(ctx context.Context, w who, m *telegram.Message, se store.Session, open bool) error {
	if w.Agency() == "" {
		w.reply(w.t("hint.leader"))
		return nil
	}
	if open && se.AssignmentID != "" {
		a, err := f.assignments.Assignment(ctx, se.AssignmentID)
		if err == nil && a.AgencyKey == w.Agency() && !a.Withdrawn {
			if f.nothingToSave(w, m.Text, []domain.Assignment{a}) {
				return nil
			}
			return f.offer(ctx, w, m.Text, []domain.Assignment{a})
		}
	}
	w.reply(w.t("hint.text"))
	return nil
}

// nothingToSave answers a text about the tasks as that carries nothing to
// save: spaces only (an empty note) or a greeting, thanks or an emoji (how
// to write a note). It tells whether it answered.
func (f *freeText) nothingToSave(w who, text string, as []domain.Assignment) bool {
	switch {
	case strings.TrimSpace(text) == "":
		w.reply(w.t("err.note_empty"))
	case strayText(text):
		codes := make([]string, 0, len(as))
		for _, a := range as {
			codes = append(codes, escape(a.TaskCode))
		}
		w.reply(w.t("hint.stray", strings.Join(codes, ", ")))
	default:
		return false
	}
	return true
}

// offer keeps a typed text and asks, with one tap, what it is: a note or
// (when it reads as a figure) the progress of the task named, or which of
// several tasks it is for.
func (f *freeText) offer(ctx context.Context, w who, text string, as []domain.Assignment) error {
	text = strings.TrimSpace(text)
	if n := len([]rune(text)); n > maxNoteRunes {
		w.reply(w.t("err.note_too_long", n, maxNoteRunes))
		return nil
	}
	if len(as) > maxChoiceTasks {
		as = as[:maxChoiceTasks]
	}
	key := strings.TrimPrefix(w.Source, "tg:")
	d := store.Draft{Key: key, UserID: w.ID, Text: text}
	for _, a := range as {
		d.Refs = append(d.Refs, refOf(a))
	}
	if err := f.store.SaveDraft(ctx, d); err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	head := w.t("typed.choose_many", escape(i18n.Shorten(text, 200)))
	if len(as) == 1 {
		head = w.t("typed.choose_one", escape(i18n.Shorten(text, 200)), escape(as[0].TaskCode))
	}
	w.replyKB(head, choiceRows(w, key, text, as, nil))
	return nil
}

// choiceRows are the buttons of a choice for a typed text: per task, its
// progress (when the text reads as a figure) and a note, but for the tasks
// done already (by the index of the draft's ref); then "ignore".
func choiceRows(w who, key, text string, as []domain.Assignment, done map[int]bool) [][]domain.Button {
	v, isNum := parseProgress(text)
	var rows [][]domain.Button
	for i, a := range as {
		if done[i] {
			continue
		}
		var row []domain.Button
		if isNum {
			row = append(row, button(w.t("typed.btn_progress", v, a.TaskCode), domain.Callback{Verb: VerbTyped, Ref: key, Arg: "p" + itoa(i)}))
		}
		row = append(row, button(w.t("typed.btn_note", a.TaskCode), domain.Callback{Verb: VerbTyped, Ref: key, Arg: "n" + itoa(i)}))
		rows = append(rows, row)
	}
	return append(rows, []domain.Button{button(w.t("typed.btn_drop"), domain.Callback{Verb: VerbTyped, Ref: key, Arg: "x"})})
}

// left is what stays of a choice among several tasks once the text went to
// some: the buttons of the others, to send it to the next one too.
func (f *freeText) left(ctx context.Context, w who, d store.Draft) [][]domain.Button {
	done, open := map[int]bool{}, 0
	var as []domain.Assignment
	for i, ref := range d.Refs {
		id, err := f.changes.refs.id(ctx, ref)
		task, _, _ := strings.Cut(id, "/")
		done[i] = err != nil || slices.Contains(d.Done, ref)
		if !done[i] {
			open++
		}
		as = append(as, domain.Assignment{ID: id, Ref: ref, TaskCode: task})
	}
	if open == 0 {
		return nil
	}
	return choiceRows(w, d.Key, d.Text, as, done)
}

// chosen applies the choice made for a typed text, once.
func (f *freeText) chosen(ctx context.Context, w who, cb domain.Callback) error {
	msgID := w.pressed()
	d, err := f.store.Draft(ctx, cb.Ref)
	if err != nil || d.UserID != w.ID || cb.Arg == "" {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			f.log.Error("load draft", "err", err)
		}
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	if d.Used {
		w.answer(w.t("ok.choice_done"), true)
		w.strip(msgID)
		return nil
	}
	if cb.Arg == "x" {
		if _, err := f.store.UseDraft(ctx, d.Key); err != nil {
			return fmt.Errorf("use draft: %w", err)
		}
		w.answer(w.t("typed.dropped"), false)
		w.edit(msgID, w.t("typed.dropped"), nil)
		return nil
	}
	i, err := strconv.Atoi(cb.Arg[1:])
	if err != nil || i < 0 || i >= len(d.Refs) || (cb.Arg[0] != 'n' && cb.Arg[0] != 'p') {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	a, ok := f.changes.mine(ctx, w, d.Refs[i])
	if !ok {
		return nil
	}
	several := len(d.Refs) > 1 // the text may go to each of them, once
	use := func() (bool, error) { return f.store.UseDraft(ctx, d.Key) }
	if several {
		use = func() (bool, error) { return f.store.UseDraftFor(ctx, d.Key, d.Refs[i]) }
	}
	if used, err := use(); err != nil {
		return fmt.Errorf("use draft: %w", err)
	} else if !used {
		w.answer(w.t("ok.choice_done"), true)
		return nil
	}
	// The change is the typed text's: its source is the text's update, so
	// it is applied once however often the choice arrives.
	src := w
	src.Source = "tg:" + d.Key
	var done string
	made := true
	if cb.Arg[0] == 'p' {
		v, ok := parseProgress(d.Text)
		if !ok {
			w.answer(w.t("err.stale_button"), true)
			return nil
		}
		_, made, err = f.changes.applyTold(ctx, src, a, domain.Change{Kind: domain.SetProgress, Progress: &v}, 0)
		done = w.t("typed.chosen", escape(a.TaskCode), w.t("upd.progress", v))
		if !made { // the progress was that already (an older choice): say so, as the pop-up does
			done = w.t("typed.unchanged_progress", escape(a.TaskCode), v)
		}
	} else {
		_, made, err = f.changes.applyTold(ctx, src, a, domain.Change{Kind: domain.AddNote, Note: d.Text}, 0)
		done = w.t("typed.chosen", escape(a.TaskCode), w.t("upd.note", escape(i18n.Shorten(d.Text, 300))))
		if !made {
			done = w.t("typed.unchanged", escape(a.TaskCode))
		}
	}
	var rows [][]domain.Button
	if several {
		if d, rerr := f.store.Draft(ctx, d.Key); rerr == nil {
			if rows = f.left(ctx, w, d); rows != nil {
				done += "\n\n" + w.t("typed.choose_next", escape(i18n.Shorten(d.Text, 200)))
			}
		}
	}
	w.edit(msgID, done, rows)
	if rows == nil {
		f.abouts.remember(ctx, w.Chat, msgID, AboutConfirm, refOf(a))
	}
	return err
}
