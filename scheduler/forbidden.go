package scheduler

import (
	"context"
	"strconv"
	"time"

	"agencybot/domain"
	"agencybot/store"
)

// forbidden handles a 403: the person blocked the bot. The message is given
// up, the officer marked unreachable (planning skips them from now on), and
// the admins are told through the outbox.
func (s *Scheduler) forbidden(ctx context.Context, m store.OutboxMessage, n int, cause error) outcome {
	r := s.finish(ctx, m, n, store.OutcomeFailed, cause.Error())
	if m.Kind == store.MessageNotice {
		return r // an admin who blocked the bot: nobody else to tell
	}
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	o, err := s.st.Officer(c, m.ChatID)
	if err != nil {
		o = domain.Officer{TelegramID: m.ChatID}
	}
	if err := s.st.SetUnreachable(c, m.ChatID, true); err != nil {
		s.log.Error("mark unreachable", "chat", m.ChatID, "err", err)
	}
	agencyName := m.AgencyName
	if agencyName == "" {
		agencyName = o.AgencyKey
	}
	s.log.Warn("recipient blocked the bot; marked unreachable", "chat", m.ChatID, "key", m.Key)
	for _, admin := range s.cfg.AdminIDs {
		if admin == m.ChatID {
			continue
		}
		l := s.langOf(c, admin)
		out := domain.Outgoing{ChatID: admin, Text: renderBlocked(l, m.ChatID, o, agencyName), Silent: true}
		if _, err := s.st.Enqueue(c, store.OutboxMessage{
			Key: "blocked|" + m.Key + "|" + strconv.FormatInt(admin, 10), Kind: store.MessageNotice,
			ChatID: admin, Lang: string(l), Run: m.Run, Day: m.Day, Out: &out,
		}); err != nil {
			s.log.Error("queue blocked notice", "admin", admin, "err", err)
		}
		s.queuedMeanwhile.Store(true)
	}
	s.Wake()
	return r
}
