package bot

// Completion needs proof: marking an assignment done asks for its output
// (the document's number and date, a file, or both); /review lists what
// waits for a coordinator, who accepts it or returns it with a comment.

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
	"agencybot/telegram"
)

// reviewStore keeps the completions waiting for review and their proof
// (*store.Store: store/review.go; nil: no reviews).
type reviewStore interface {
	OpenReview(ctx context.Context, a domain.Assignment, officerID int64, officerName string) error
	AddProof(ctx context.Context, assignmentID, text string, file *store.ReviewFile) (bool, error)
	ReviewOf(ctx context.Context, assignmentID string) (store.Review, error)
	UpdateOf(ctx context.Context, id string) (domain.Update, error)
	DropReview(ctx context.Context, assignmentID string) error
	WaitingReviews(ctx context.Context) ([]store.Review, error)
	DecideReview(ctx context.Context, assignmentID string, accept bool, by int64, byName, comment, source string) (store.Review, error)
}

// reviewedStore is what a decision reads and changes besides the review.
type reviewedStore interface {
	Apply(ctx context.Context, assignmentID string, ch domain.Change) (domain.Assignment, domain.Update, error)
	Assignment(ctx context.Context, id string) (domain.Assignment, error)
	AssignmentByRef(ctx context.Context, ref string) (domain.Assignment, error)
	Officers(ctx context.Context, agencyKey string) ([]domain.Officer, error)
}

type reviews struct {
	*core
	store       reviewStore // nil: reviews are not available
	assignments reviewedStore
	sessions    sessionStore
	changes     *changes
}

// maxReviewList bounds the completions /review shows at once.
const maxReviewList = 10

// afterChange opens or drops the review of a completion after an officer's
// change: done asks for the proof and tells the coordinators; taken back,
// the review goes. replay: the change was applied before a crash (the
// update is handled again): a review already open is kept with its proof,
// and only what may be missing is done (the notices are keyed by the
// update, so none goes twice).
// ask tells the caller to ask for the proof (askProof) once the card is
// shown.
func (f *reviews) afterChange(ctx context.Context, w who, moved domain.Assignment, u domain.Update, replay bool) (ask bool) {
	if f.store == nil {
		return false
	}
	switch {
	case u.After.Done() && !u.Before.Done():
		if replay {
			if r, err := f.store.ReviewOf(ctx, moved.ID); err == nil && r.State == store.ReviewWaiting {
				f.noticeWaiting(ctx, w, r)
				se, ok, err := f.sessions.Session(ctx, w.ID, sessionAge) // asked before the kill?
				return err == nil && !(ok && se.Awaiting == "proof" && se.AssignmentID == moved.ID)
			}
		}
		if err := f.store.OpenReview(ctx, moved, w.ID, w.Name); err != nil {
			f.log.Error("open review", "assignment", moved.ID, "err", err)
			return false
		}
		if r, err := f.store.ReviewOf(ctx, moved.ID); err == nil {
			f.noticeWaiting(ctx, w, r)
		}
		return true
	case !u.After.Done() && u.Before.Done():
		if err := f.store.DropReview(ctx, moved.ID); err != nil {
			f.log.Error("drop review", "assignment", moved.ID, "err", err)
		}
		if se, ok, err := f.sessions.Session(ctx, w.ID, sessionAge); err == nil && ok && se.Awaiting == "proof" && se.AssignmentID == moved.ID {
			_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: moved.ID})
		}
	}
	return false
}

// askProof asks for the proof of a completion just reported; the question
// stays open while the completion waits (proofText).
func (f *reviews) askProof(ctx context.Context, w who, moved domain.Assignment) error {
	m := w.ask(w.t("review.ask_proof", escape(moved.TaskCode)), w.t("review.proof_placeholder"))
	if err := f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: moved.ID, Awaiting: "proof", PromptID: m}); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

var digitRE = regexp.MustCompile(`\d`)

// proofText takes typed text when the bot waits for it: the proof of a
// completion (officer) or the reason a completion is returned (admin). took
// is false when it waits for neither. A completion's proof is taken while
// the completion waits, any number of texts in any order with its files:
// the question stays open until the review is decided or the officer
// turns to something else; once some proof is given, a text without a
// number is not taken as proof (it goes on as any text).
func (f *reviews) proofText(ctx context.Context, w who, m *telegram.Message) (took bool, err error) {
	if f.store == nil {
		return false, nil
	}
	se, ok, err := f.sessions.Session(ctx, w.ID, sessionAge)
	if err != nil || !ok {
		return false, nil
	}
	if r := m.ReplyTo; r != 0 && r != se.PromptID && f.changes.cards.abouts.isAbout(ctx, w.Chat, r) {
		return false, nil // a reply about another message: a note by reply
	}
	text := strings.TrimSpace(m.Text)
	switch se.Awaiting {
	case "proof", "":
		if se.AssignmentID == "" || (se.Awaiting == "" && m.ReplyTo != 0) {
			return false, nil
		}
		a, err := f.assignments.Assignment(ctx, se.AssignmentID)
		if err != nil || a.AgencyKey != w.Agency() {
			return false, nil
		}
		r, err := f.store.ReviewOf(ctx, a.ID)
		if err != nil || r.State != store.ReviewWaiting { // decided or taken back: no longer a proof
			if se.Awaiting != "" {
				_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID})
			}
			return false, nil
		}
		// The open task's completion waits: a text with a number is its
		// proof, the question open or not (the card opened again, /cancel).
		if !digitRE.MatchString(text) || len([]rune(text)) > maxNoteRunes {
			if se.Awaiting == "" || r.ProofText() != "" || r.FileCount() > 0 {
				return false, nil // proof given: this is something else
			}
			w.reply(w.t("review.proof_unreadable"))
			return true, nil // keep waiting
		}
		if _, err := f.store.AddProof(ctx, a.ID, text, nil); err != nil {
			return true, fmt.Errorf("add proof: %w", err)
		}
		_, err = f.changes.apply(ctx, w, a, domain.Change{Kind: domain.AddNote, Note: w.t("review.output_note", text)}, 0)
		return true, err
	case "return":
		if !w.Admin {
			return false, nil
		}
		if text == "" || len([]rune(text)) > maxNoteRunes {
			w.reply(w.t("err.note_empty"))
			return true, nil
		}
		_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID})
		return true, f.giveBack(ctx, w, se.AssignmentID, text)
	}
	return false, nil
}

// proofFile adds a file an officer sent on an assignment to the proof of
// its completion while the completion waits (whether or not the question
// is still open); its caption is proof text too.
func (f *reviews) proofFile(ctx context.Context, a domain.Assignment, ev domain.Evidence, caption string) {
	if f.store == nil {
		return
	}
	file := store.ReviewFile{FileID: ev.FileID, UniqueID: ev.FileUniqueID, Name: ev.Name, Kind: ev.Kind, Mime: ev.Mime, Size: ev.Size, Caption: caption}
	if _, err := f.store.AddProof(ctx, a.ID, caption, &file); err != nil {
		f.log.Error("add proof file", "assignment", a.ID, "err", err)
	}
}

// list lists the completions waiting for review, each with its proof,
// a button for each of its files, and Accept and Return buttons.
func (f *reviews) list(ctx context.Context, w who) error {
	if f.store == nil {
		w.reply(w.t("import.unavailable"))
		return nil
	}
	list, err := f.store.WaitingReviews(ctx)
	if err != nil {
		return fmt.Errorf("list reviews: %w", err)
	}
	if len(list) == 0 {
		w.reply(w.t("review.none"))
		return nil
	}
	w.reply(i18n.N(w.Lang, "review.header", len(list), len(list)))
	for i, r := range list {
		if i == maxReviewList {
			w.reply(w.t("review.more", len(list)-i))
			break
		}
		a, err := f.assignments.Assignment(ctx, r.AssignmentID)
		if err != nil {
			continue
		}
		t, _ := f.catalog.store.Task(ctx, r.TaskCode)
		ag, _ := f.catalog.store.Agency(ctx, r.AgencyKey)
		output := r.ProofText()
		if output == "" {
			output = w.t("review.no_output")
		}
		text := w.t("review.item", escape(r.TaskCode), escape(i18n.Shorten(t.Title, 160)), escape(ag.Name), escape(r.OfficerName),
			i18n.Date(deadline.DateOf(r.DoneAt.In(f.cfg.Location))), escape(i18n.Shorten(output, 600)), r.FileCount())
		text += fileLines(w, r.Docs)
		kb := fileButtons(w, a.Ref, r.Docs)
		kb = append(kb, []domain.Button{
			button(w.t("review.btn_accept"), domain.Callback{Verb: VerbReview, Ref: "a", Arg: a.Ref}),
			button(w.t("review.btn_return"), domain.Callback{Verb: VerbReview, Ref: "r", Arg: a.Ref})})
		w.replyKB(text, kb)
	}
	return nil
}

// decide accepts a completion, asks why it is returned, lists what waits
// (the coordinators' notice) or sends one of its files.
func (f *reviews) decide(ctx context.Context, w who, cb domain.Callback) error {
	if f.store == nil {
		w.answer(w.t("err.admins_only"), true)
		return nil
	}
	if cb.Ref == "l" { // the notice's button
		w.answer("", false)
		return f.list(ctx, w)
	}
	a, err := f.assignments.AssignmentByRef(ctx, cb.Arg)
	if err != nil {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	switch {
	case cb.Ref == "a":
		r, err := f.store.DecideReview(ctx, a.ID, true, w.ID, w.Name, "", w.Source)
		replayed := errors.Is(err, store.ErrReviewDecided) && r.DecidedBy == w.Source && r.State == store.ReviewAccepted
		if errors.Is(err, store.ErrNotFound) || (errors.Is(err, store.ErrReviewDecided) && !replayed) {
			w.answer(w.t("review.decided"), true)
			return nil
		}
		if err != nil && !replayed {
			return fmt.Errorf("accept review of %s: %w", a.ID, err)
		}
		w.answer(w.t("review.accepted_short"), false)
		w.edit(w.pressed(), w.t("review.accepted", escape(r.TaskCode), escape(w.Name)), nil)
		f.tellOfficers(ctx, w, r, "accepted", func(ow who) string {
			t, _ := f.catalog.store.Task(ctx, r.TaskCode)
			return ow.t("review.accepted_to_officer", escape(r.TaskCode), escape(i18n.Shorten(t.Title, 160)))
		})
	case cb.Ref == "r":
		w.answer("", false)
		m := w.ask(w.t("review.ask_reason", escape(a.TaskCode)), w.t("review.reason_placeholder"))
		if err := f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID, Awaiting: "return", PromptID: m}); err != nil {
			return fmt.Errorf("save session: %w", err)
		}
	case strings.HasPrefix(cb.Ref, "f"): // a file of the review
		r, err := f.store.ReviewOf(ctx, a.ID)
		n, convErr := strconv.Atoi(cb.Ref[1:])
		if err != nil || convErr != nil || n < 0 || n >= len(r.Docs) {
			w.answer(w.t("review.file_gone"), true)
			return nil
		}
		return f.sendFile(ctx, w, r.Docs[n])
	case strings.HasPrefix(cb.Ref, "u"): // the file of an evidence update (/task)
		v, convErr := strconv.Atoi(cb.Ref[1:])
		u, err := f.store.UpdateOf(ctx, domain.UpdateID(a.ID, v))
		if err != nil || convErr != nil || u.Evidence == nil {
			w.answer(w.t("review.file_gone"), true)
			return nil
		}
		e := u.Evidence
		return f.sendFile(ctx, w, store.ReviewFile{FileID: e.FileID, Name: e.Name, Kind: e.Kind, Mime: e.Mime, Caption: u.Note})
	default:
		w.answer(w.t("err.stale_button"), true)
	}
	return nil
}

// sendFile sends a file of a proof to the coordinator who asked for it
// (an answer, through the Replier), by the id Telegram gave it.
func (f *reviews) sendFile(_ context.Context, w who, d store.ReviewFile) error {
	w.answer("", false)
	kind := domain.AttachDocument
	if d.Kind == "photo" {
		kind = domain.AttachPhoto
	}
	caption := "📎 " + escape(d.Name)
	if d.Caption != "" {
		caption += "\n" + escape(i18n.Shorten(d.Caption, 900))
	}
	if err := w.out.SendFile(w.Chat, domain.Attachment{Kind: kind, Name: d.Name, MIME: d.Mime, FileID: d.FileID}, caption); err != nil {
		w.reply(w.t("review.file_gone"))
	}
	return nil
}

// fileLines lists the files of a proof, each with its caption.
func fileLines(w who, docs []store.ReviewFile) string {
	var sb strings.Builder
	for _, d := range docs {
		sb.WriteString("\n📎 " + escape(d.Name))
		if d.Caption != "" {
			sb.WriteString(" — " + escape(i18n.Shorten(d.Caption, 200)))
		}
	}
	return sb.String()
}

// fileButtons are the buttons that send each file of a proof, two a row.
func fileButtons(w who, ref string, docs []store.ReviewFile) [][]domain.Button {
	var kb [][]domain.Button
	for i, d := range docs {
		b := button("📎 "+i18n.Shorten(d.Name, 30), domain.Callback{Verb: VerbReview, Ref: "f" + itoa(i), Arg: ref})
		if i%2 == 0 {
			kb = append(kb, []domain.Button{b})
		} else {
			kb[len(kb)-1] = append(kb[len(kb)-1], b)
		}
	}
	return kb
}

// giveBack returns a completion with the coordinator's reason: the
// assignment goes back to in progress, the reason is its note, and the
// agency's officers are told why, with a button to open it. The same
// update handled again (a kill before it finished) finishes it.
func (f *reviews) giveBack(ctx context.Context, w who, id, reason string) error {
	r, err := f.store.DecideReview(ctx, id, false, w.ID, w.Name, reason, w.Source)
	replayed := errors.Is(err, store.ErrReviewDecided) && r.DecidedBy == w.Source && r.State == store.ReviewReturned
	if errors.Is(err, store.ErrNotFound) || (errors.Is(err, store.ErrReviewDecided) && !replayed) {
		w.reply(w.t("review.decided"))
		return nil
	}
	if err != nil && !replayed {
		return fmt.Errorf("return review: %w", err)
	}
	name := w.name()
	back := domain.Change{SourceID: w.Source + ":return", OfficerID: w.ID, OfficerName: name, Kind: domain.SetStatus, Status: domain.InProgress}
	moved, _, err := f.assignments.Apply(ctx, id, back)
	if err != nil && !errors.Is(err, domain.ErrNoChange) && !errors.Is(err, store.ErrDuplicate) {
		return fmt.Errorf("return to in progress: %w", err)
	}
	progress := -1 // why the progress is what it is after the return (issue 23, point 4)
	if err == nil {
		f.sums.Applied(moved) // the summaries count it at once
		progress = moved.Progress
	}
	note := domain.Change{SourceID: w.Source + ":reason", OfficerID: w.ID, OfficerName: name, Kind: domain.AddNote, Note: w.t("review.reason_note", reason)}
	if moved, _, err := f.assignments.Apply(ctx, id, note); err != nil && !errors.Is(err, store.ErrDuplicate) {
		f.log.Error("note the reason of a return", "assignment", id, "err", err)
	} else if err == nil {
		f.sums.Applied(moved)
	}
	w.reply(w.t("review.returned", escape(r.TaskCode)))
	f.tellOfficers(ctx, w, r, "returned", func(ow who) string {
		text := ow.t("review.returned_to_officer", escape(r.TaskCode), escape(name), escape(reason))
		if progress >= 0 {
			text += "\n" + ow.t("review.returned_progress", progress)
		}
		return text
	})
	return nil
}

// tellOfficers tells the officers of the agency of a decided review, each
// in their language, through the outbox keyed by the update that decided
// it (a replay queues nothing new), with a button to open the task.
func (f *reviews) tellOfficers(ctx context.Context, w who, r store.Review, cause string, text func(who) string) {
	officers, err := f.assignments.Officers(ctx, r.AgencyKey)
	if err != nil {
		f.log.Error("officers of a decided completion", "agency", r.AgencyKey, "err", err)
		return
	}
	for _, o := range officers {
		ow := who{Lang: i18n.For(o.Lang)}
		open := [][]domain.Button{{button(ow.t("review.btn_open"), domain.Callback{Verb: domain.VerbOpen, Ref: domain.RefOf(r.AssignmentID)})}}
		f.pushWith(ctx, pushKey(cause, w.Source, o.TelegramID), domain.Outgoing{ChatID: o.TelegramID, Text: text(ow), Buttons: open})
	}
}

// reviewBatch is how long the coordinators' notice of a new completion
// waits: completions reported within it of each other are told in one
// message (issue 20).
const reviewBatch = 2 * time.Minute

// noticeWaiting tells the coordinators (the admins) that a completion
// waits, through the outbox keyed by the update that reported it. It goes
// reviewBatch after the report; completions reported close together (each
// within reviewBatch of the one before) go as one message, the last one's,
// which names them all (the outbox skips the earlier ones of the group).
func (f *reviews) noticeWaiting(ctx context.Context, w who, r store.Review) {
	list, err := f.store.WaitingReviews(ctx)
	if err != nil {
		f.log.Error("completions waiting", "err", err)
		list = []store.Review{r}
	}
	// The chain of completions close together that ends with r, newest first.
	var burst []store.Review
	last := r.DoneAt
	for i := len(list) - 1; i >= 0; i-- {
		x := list[i]
		if x.DoneAt.After(r.DoneAt) {
			continue
		}
		if last.Sub(x.DoneAt) > reviewBatch {
			break
		}
		burst, last = append(burst, x), x.DoneAt
	}
	if len(burst) == 0 {
		burst = []store.Review{r}
	}
	for _, id := range f.cfg.AdminIDs {
		if id == w.ID {
			continue
		}
		lw := who{Lang: f.langOf(ctx, id)}
		var text string
		if len(burst) == 1 {
			t, _ := f.catalog.store.Task(ctx, r.TaskCode)
			ag, _ := f.catalog.store.Agency(ctx, r.AgencyKey)
			text = lw.t("review.notice_one", escape(r.TaskCode), escape(i18n.Shorten(t.Title, 160)), escape(ag.Name), escape(r.OfficerName))
		} else {
			var lines []string
			for i := len(burst) - 1; i >= 0 && len(lines) < maxReviewList; i-- {
				ag, _ := f.catalog.store.Agency(ctx, burst[i].AgencyKey)
				lines = append(lines, "• <b>"+escape(burst[i].TaskCode)+"</b> — "+escape(ag.Name))
			}
			text = lw.t("review.notice_many", len(burst), strings.Join(lines, "\n"))
		}
		if len(list) > len(burst) {
			text += "\n" + lw.t("review.notice_total", len(list))
		}
		f.pushWith(ctx, pushKey("reviewwait", w.Source, id), domain.Outgoing{ChatID: id, Text: text,
			Buttons:   [][]domain.Button{{button(lw.t("review.btn_list"), domain.Callback{Verb: VerbReview, Ref: "l"})}},
			NotBefore: r.DoneAt.Add(reviewBatch), Group: "reviewwait|" + itoa64(id)})
	}
}

// waitingOf is the review of an assignment when its completion waits for
// one (ok false otherwise, and when reviews are not available).
func (f *reviews) waitingOf(ctx context.Context, id string) (store.Review, bool) {
	if f == nil || f.store == nil {
		return store.Review{}, false
	}
	r, err := f.store.ReviewOf(ctx, id)
	if err != nil {
		if !isNotFound(err) {
			f.log.Warn("load review", "assignment", id, "err", err)
		}
		return store.Review{}, false
	}
	return r, r.State == store.ReviewWaiting
}

// shownStatus is an assignment's status as every view shows it: "⏳ Chờ duyệt
// kết quả" while its completion waits for review (domain.Judged).
func shownStatus(w who, s domain.Status, waiting bool) string {
	if waiting {
		return w.t("review.waiting_status")
	}
	return statusText(w.Lang, s)
}

// proofLine is a waiting completion's proof on its card: the texts given,
// then each file with its caption.
func proofLine(w who, r store.Review) string {
	text := r.ProofText()
	if text == "" {
		text = w.t("review.no_output")
	}
	return "<b>" + w.t("review.proof_label") + "</b> " + escape(i18n.Shorten(text, 600)) + fileLines(w, r.Docs)
}
