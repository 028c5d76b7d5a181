package bot

// Issue 8 points 3 and 12: a typed answer survives a crash between storing
// it and closing the question, and a failed write (a full disk).

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/store"
)

// killed stands for a SIGKILL: the handler stops dead (HandleUpdate
// recovers it and, like a killed process, does not mark the update handled).
type killed struct{}

// crashAt wraps the store and "kills" the handler at one step.
type crashAt struct {
	*store.Store
	step string // "before-store", "after-store", "after-clear", "" (none)
	fail error  // writes fail with it while set (disk full)
}

func (c *crashAt) Apply(ctx context.Context, id string, ch domain.Change) (domain.Assignment, domain.Update, error) {
	if c.fail != nil {
		return domain.Assignment{}, domain.Update{}, c.fail
	}
	if c.step == "before-store" {
		panic(killed{})
	}
	a, u, err := c.Store.Apply(ctx, id, ch)
	if err == nil && c.step == "after-store" {
		panic(killed{})
	}
	return a, u, err
}

func (c *crashAt) SaveSession(ctx context.Context, se store.Session) error {
	if c.fail != nil {
		return c.fail
	}
	err := c.Store.SaveSession(ctx, se)
	if err == nil && se.Awaiting == "" && c.step == "after-clear" {
		panic(killed{})
	}
	return err
}

// unmarked is the store of a process killed while handling an update: it
// never gets as far as the processed marker.
type unmarked struct{ Data }

func (unmarked) MarkProcessed(context.Context, int) (bool, error) { return true, nil }

// applyVia is c with its changes applied by via (only the change fails).
type applyVia struct {
	*crashAt
	via *crashAt
}

func (a applyVia) Apply(ctx context.Context, id string, ch domain.Change) (domain.Assignment, domain.Update, error) {
	return a.via.Apply(ctx, id, ch)
}

// typedAt is an update carrying text the officer typed.
func typedAt(id int, text string) tgbotapi.Update {
	return tgbotapi.Update{UpdateID: id, Message: &tgbotapi.Message{
		MessageID: id, Date: int(time.Date(2025, 12, 24, 8, 0, 0, 0, time.UTC).Unix()), Text: text,
		From: &tgbotapi.User{ID: officer.ID, FirstName: officer.FirstName, LastName: officer.LastName, LanguageCode: "vi"},
		Chat: &tgbotapi.Chat{ID: officer.ID, Type: "private"},
	}}
}

// Notes and progress typed after the prompt, each killed at every step
// between storing the answer and closing the question, then replayed on a
// restarted bot: every answer stored exactly once, none read as stray text.
func TestTypedAnswerSurvivesKills(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	h.stop()
	ctx := context.Background()
	aid := cardAssignment(t, h)
	steps := []string{"before-store", "after-store", "after-clear"}
	var runs, kills, lost, doubled, stray int
	id := 500000
	for i := range 12 {
		for _, step := range steps {
			runs++
			kind, text, want := "note", "ghi chú "+itoa(id), 0
			if i%2 == 1 {
				want = (runs * 7) % 101
				kind, text = "progress", itoa(want)
			}
			if err := h.store.SaveSession(ctx, store.Session{UserID: officer.ID, AssignmentID: aid, Awaiting: kind, PromptID: 1}); err != nil {
				t.Fatal(err)
			}
			id++
			hints := countText(h, "Bot chưa hiểu")
			c := &crashAt{Store: h.store, step: step}
			first, _ := h.wireWith(h.store, nil, func(d *Deps) { d.Data = unmarked{c} })
			first.Runtime.Panicked = nil                       // the kill is a panic, on purpose
			first.Runtime.HandleUpdate(ctx, typedAt(id, text)) // killed at step
			kills++
			restarted, _ := h.wire(nil)
			restarted.Runtime.HandleUpdate(ctx, typedAt(id, text)) // the replay: the offset was not saved
			restarted.Runtime.HandleUpdate(ctx, typedAt(id, text)) // and once more, marked handled by now
			hist, err := h.store.AssignmentHistory(ctx, aid, 200)
			if err != nil {
				t.Fatal(err)
			}
			var n int
			for _, u := range hist {
				if u.Source == "tg:"+itoa(id) {
					n++
				}
			}
			switch {
			case n == 0:
				lost++
				t.Errorf("%s %q killed %s: lost", kind, text, step)
			case n > 1:
				doubled++
				t.Errorf("%s %q killed %s: stored %d times", kind, text, step, n)
			}
			if countText(h, "Bot chưa hiểu") > hints {
				stray++
				t.Errorf("%s %q killed %s: the replay was read as stray text", kind, text, step)
			}
			if se, ok, err := h.store.Session(ctx, officer.ID, sessionAge); err != nil || (ok && se.Awaiting != "") {
				t.Errorf("%s killed %s: the question is still open (%+v, %v)", kind, step, se, err)
			}
		}
	}
	t.Logf("runs %d, kills %d, lost %d, doubled %d, read as stray %d", runs, kills, lost, doubled, stray)
}

func countText(h *harness, part string) int {
	var n int
	for _, s := range h.srv.SentTo(officer.ID) {
		if strings.Contains(s.Text, part) {
			n++
		}
	}
	return n
}

// With the disk full, a note typed after the prompt gets "try again", not
// "Bot chưa hiểu…", and stays with the open question; once writes work,
// typing it again stores it once and closes the question.
func TestTypedNoteSurvivesFullDisk(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	h.stop()
	ctx := context.Background()
	aid := cardAssignment(t, h)
	if err := h.store.SaveSession(ctx, store.Session{UserID: officer.ID, AssignmentID: aid, Awaiting: "note", PromptID: 1}); err != nil {
		t.Fatal(err)
	}
	full := errors.New("write: no space left on device")
	for _, writes := range []string{"the change only", "every write"} {
		c := &crashAt{Store: h.store}
		var data Data = c
		if writes == "the change only" {
			data = applyVia{crashAt: c, via: &crashAt{Store: h.store, fail: full}}
		} else {
			c.fail = full
		}
		b, _ := h.wireWith(h.store, nil, func(d *Deps) { d.Data = data })
		n, hints := countText(h, "vui lòng gửi lại"), countText(h, "Bot chưa hiểu")
		b.Runtime.HandleUpdate(ctx, typedAt(600000+len(writes), "Chưa có kinh phí"))
		if countText(h, "vui lòng gửi lại") != n+1 {
			t.Errorf("%s failing: the officer was not asked to send it again", writes)
		}
		if countText(h, "Bot chưa hiểu") != hints {
			t.Errorf("%s failing: the note was read as stray text", writes)
		}
		se, ok, err := h.store.Session(ctx, officer.ID, sessionAge)
		if err != nil || !ok || se.Awaiting != "note" {
			t.Fatalf("%s failing: the question was closed (%+v, %v)", writes, se, err)
		}
		if writes == "the change only" && se.Draft != "Chưa có kinh phí" {
			t.Errorf("the typed note is not kept with the question: draft %q", se.Draft)
		}
	}
	ok, _ := h.wire(nil)
	ok.Runtime.HandleUpdate(ctx, typedAt(600100, "Chưa có kinh phí"))
	hist, err := h.store.AssignmentHistory(ctx, aid, 50)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, u := range hist {
		if u.Kind == domain.AddNote && u.Note == "Chưa có kinh phí" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the note was stored %d times once the disk had room, want 1", n)
	}
	if se, ok, _ := h.store.Session(ctx, officer.ID, sessionAge); ok && (se.Awaiting != "" || se.Draft != "") {
		t.Errorf("the question is still open after the note was stored: %+v", se)
	}
}
