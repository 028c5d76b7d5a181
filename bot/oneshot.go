package bot

import (
	"context"
	"fmt"
	"strconv"
)

// onceStore claims a key once (*store.Store: store/about.go).
type onceStore interface {
	ClaimOnce(ctx context.Context, key string) (bool, error)
}

// oneShot makes a choice message good for one press.
type oneShot struct {
	*core
	store onceStore
}

// first claims the choice message the pressed button is on: the first press
// goes on (true), any later press (of any of its buttons) is told it was
// done and changes nothing, and the message loses its buttons. A storage
// error is returned (and the press is not answered: the runtime answers).
func (f *oneShot) first(ctx context.Context, w who) (bool, error) {
	if w.press == nil || w.press.MessageID == 0 {
		return true, nil
	}
	key := "choice:" + strconv.FormatInt(w.Chat, 10) + ":" + itoa(w.press.MessageID)
	ok, err := f.store.ClaimOnce(ctx, key)
	if err != nil {
		return false, fmt.Errorf("claim a choice: %w", err)
	}
	if !ok {
		w.answer(w.t("ok.choice_done"), true)
		w.strip(w.press.MessageID)
		return false, nil
	}
	return true, nil
}
