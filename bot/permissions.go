package bot

// Who may look at and change an assignment.

import (
	"context"
	"errors"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/store"
)

// allowed loads the assignment a button names and checks that the person
// may act on it: officers of its agency change it; leaders and admins may
// only look. Stale or forged data gets an alert and changes nothing.
func (b *Bot) allowed(ctx context.Context, w who, q *tgbotapi.CallbackQuery, ref string, change bool) (domain.Assignment, bool) {
	if change {
		// Changes need no read here: the identity tells the agency, and
		// Apply reads the assignment (refusing a withdrawn one) anyway.
		id, err := b.refID(ctx, ref)
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				b.log().Error("load assignment", "ref", ref, "err", err)
			}
			b.answer(q.ID, w.t("err.stale_button"), true)
			return domain.Assignment{}, false
		}
		task, agency, _ := strings.Cut(id, "/")
		if w.Agency() == "" || agency != w.Agency() {
			b.answer(q.ID, w.t("err.not_yours"), true)
			return domain.Assignment{}, false
		}
		return domain.Assignment{ID: id, Ref: ref, TaskCode: task, AgencyKey: agency}, true
	}
	a, err := b.Assignments.AssignmentByRef(ctx, ref)
	if err == nil {
		b.rememberRef(ref, a.ID)
	}
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			b.log().Error("load assignment", "ref", ref, "err", err)
		}
		b.answer(q.ID, w.t("err.stale_button"), true)
		return a, false
	}
	mine := w.Agency() != "" && w.Agency() == a.AgencyKey
	if a.Withdrawn || (!mine && (change || !w.Sees())) {
		b.answer(q.ID, w.t("err.not_yours"), true)
		return a, false
	}
	return a, true
}
