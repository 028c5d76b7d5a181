package bot

import (
	"context"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/telegram"
)

// menuStore lists the people whose command menus are set at start.
type menuStore interface {
	Officers(ctx context.Context, agencyKey string) ([]domain.Officer, error)
}

// menus sets the command menus (setMyCommands) from the command table.
type menus struct {
	*core
	store menuStore
}

// setAll sets the command menus at start: the default menu in Vietnamese
// and English, then each linked person's and admin's own menu. A failure is
// logged and never stops the bot.
func (f *menus) setAll(ctx context.Context, out telegram.Replier) {
	unlinked := menuFor(who{})
	for _, l := range []struct {
		code string
		lang i18n.Lang
	}{{"", i18n.VI}, {"vi", i18n.VI}, {"en", i18n.EN}} {
		if err := out.SetMenu(0, l.code, menuOf(l.lang, unlinked)); err != nil {
			f.log.Warn("setMyCommands (default) failed; the menu may be out of date", "lang", l.code)
		}
	}
	people, err := f.store.Officers(ctx, "")
	if err != nil {
		f.log.Warn("list officers for command menus", "err", err)
	}
	seen := map[int64]bool{}
	for _, o := range people {
		seen[o.TelegramID] = true
		f.setFor(out, who{ID: o.TelegramID, Lang: i18n.For(o.Lang), Officer: &o, Admin: f.cfg.IsAdmin(o.TelegramID)})
	}
	for _, id := range f.cfg.AdminIDs {
		if !seen[id] {
			f.setFor(out, who{ID: id, Lang: i18n.VI, Admin: true})
		}
	}
}

// setFor sets one person's menu (chat scope) in their language.
func (f *menus) setFor(out telegram.Replier, w who) {
	if err := out.SetMenu(w.ID, "", menuOf(w.Lang, menuFor(w))); err != nil {
		f.log.Warn("setMyCommands for a user failed", "user", w.ID)
	}
}
