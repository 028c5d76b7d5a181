package bot

// The conversation state through a failed write (issue 24 point 3). When
// the store cannot take a session (a full disk), the question the bot just
// asked, or the one it keeps waiting for with the text typed as its draft,
// would be whatever the store held before — often no question at all, so the
// officer's next text, after the disk frees, read as loose text. The
// sessions the store refused are held here, in memory, and written as soon
// as the store takes writes again; until then they are what every feature
// reads. A restart while the store refuses writes forgets them (what the
// officer typed was refused with "send it again", so nothing they sent is
// lost), and a second instance does not see them.

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"agencybot/store"
)

// heldSessions is a sessionStore that holds in memory, per person, the
// last session its store refused, and writes it at the next access.
type heldSessions struct {
	store sessionStore
	clock func() time.Time
	log   *slog.Logger
	mu    sync.Mutex
	held  map[int64]store.Session
}

func newHeldSessions(s sessionStore, clock func() time.Time, log *slog.Logger) *heldSessions {
	if clock == nil {
		clock = time.Now
	}
	return &heldSessions{store: s, clock: clock, log: log, held: map[int64]store.Session{}}
}

// SaveSession stores se; when the store refuses it, se is held (and nil
// returned: the conversation goes on as if it were stored). The lock is not
// held over the store's call: one person's updates come in order (their
// chat's lane), and other people's sessions need not wait.
func (h *heldSessions) SaveSession(ctx context.Context, se store.Session) error {
	err := h.store.SaveSession(ctx, se)
	if err != nil && ctx.Err() != nil {
		return err // stopping: nothing more is handled
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err == nil {
		delete(h.held, se.UserID)
		return nil
	}
	if _, was := h.held[se.UserID]; !was {
		h.log.Warn("session held in memory until the store takes writes again", "user", se.UserID, "err", err)
	}
	se.At = h.clock().UTC()
	h.held[se.UserID] = se
	return nil
}

// Session returns the held session of userID, writing it first if the store
// takes it now, or else the stored one.
func (h *heldSessions) Session(ctx context.Context, userID int64, maxAge time.Duration) (store.Session, bool, error) {
	h.mu.Lock()
	se, held := h.held[userID]
	h.mu.Unlock()
	if !held {
		return h.store.Session(ctx, userID, maxAge)
	}
	if err := h.store.SaveSession(ctx, se); err == nil {
		h.mu.Lock()
		delete(h.held, userID)
		h.mu.Unlock()
		h.log.Info("held session stored", "user", userID)
	}
	if h.clock().Sub(se.At) > maxAge {
		return store.Session{UserID: userID}, false, nil
	}
	return se, true, nil
}
