package scheduler

import (
	"context"
	"errors"
	"fmt"

	"agencybot/domain"
	"agencybot/store"
)

// Enqueue queues a message the program sends because something happened (a
// block alert to the leaders, an "invite used" notice, a substitute's
// notice) and wakes the dispatcher, so it goes out now rather than at the
// next run, with the reminders' rate limits, retries and 403 handling.
//
// key names what caused the message and for whom, e.g.
// "block|<update id>|<leader id>": a replay of the same cause queues nothing
// new (false), whether the first is still waiting or was sent long ago.
// out may carry a photo or a document (out.File).
func (s *Scheduler) Enqueue(ctx context.Context, key string, out domain.Outgoing) (bool, error) {
	if key == "" || out.ChatID == 0 {
		return false, errors.New("enqueue: a key and a chat are required")
	}
	ok, err := s.st.Enqueue(ctx, store.OutboxMessage{
		Key: key, Kind: store.MessageAlert, ChatID: out.ChatID, Out: &out,
		NotBefore: out.NotBefore.UTC(), Unless: out.Unless, Group: out.Group, After: out.After,
	})
	if err != nil {
		return false, fmt.Errorf("queue %s: %w", key, err)
	}
	s.Wake()
	return ok, nil
}

// RunDispatcher sends what the outbox holds, at once when woken (Enqueue,
// Wake) and every 30 s otherwise, until ctx ends — the dispatcher of Run
// without its cron runs, for tests of what the bot pushes.
func (s *Scheduler) RunDispatcher(ctx context.Context) error {
	if s.send == nil {
		return errors.New("scheduler: Sender is required to dispatch")
	}
	s.dispatchLoop(ctx)
	return nil
}
