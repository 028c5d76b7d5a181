package bot

// Wrong invite codes are limited per user (issue 23, point 9): after
// maxWrongInvites unknown codes in wrongInviteWindow the bot asks the
// person to wait until the window ends, whatever they send, so that codes
// cannot be tried at speed. The tries are counted in the store: a restart
// gives nobody more.

import (
	"context"
	"fmt"
	"time"

	"agencybot/i18n"
)

const (
	maxWrongInvites   = 5
	wrongInviteWindow = 10 * time.Minute
)

// tooManyWrong answers someone who used up their tries, and tells whether
// it did.
func (f *linking) tooManyWrong(ctx context.Context, w who) (bool, error) {
	tries, err := f.store.InviteTries(ctx, w.ID, wrongInviteWindow)
	if err != nil {
		return false, fmt.Errorf("invite tries of %d: %w", w.ID, err)
	}
	if tries.Count < maxWrongInvites {
		return false, nil
	}
	w.reply(w.t("invite.wait", i18n.Time(tries.Since.Add(wrongInviteWindow), f.cfg.Location)))
	return true, nil
}

// wrongCode counts an unknown code and answers it: the code is wrong, and
// with the last try, how long to wait.
func (f *linking) wrongCode(ctx context.Context, w who) error {
	tries, err := f.store.WrongInvite(ctx, w.ID, wrongInviteWindow)
	if err != nil {
		return fmt.Errorf("count a wrong invite: %w", err)
	}
	if tries.Count >= maxWrongInvites {
		w.reply(w.t("invite.unknown") + "\n" + w.t("invite.wait", i18n.Time(tries.Since.Add(wrongInviteWindow), f.cfg.Location)))
		return nil
	}
	w.reply(w.t("invite.unknown"))
	return nil
}
