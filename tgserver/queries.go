package tgserver

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
)

// Sent returns every successful bot call that produced, changed or deleted
// a message (sendMessage, sendDocument, sendPhoto, editMessageText,
// editMessageReplyMarkup, deleteMessage), in order.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// SentTo returns the Sent records for one chat, in order.
func (s *Server) SentTo(chatID int64) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Sent
	for _, r := range s.sent {
		if r.ChatID == chatID {
			out = append(out, r)
		}
	}
	return out
}

// Messages returns the current state of the bot's messages in a chat
// (after edits; deleted messages are gone), ordered by message id.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chats[chatID]
	if cs == nil {
		return nil
	}
	var out []Message
	for _, m := range cs.msgs {
		if m.From != nil && m.From.ID == s.bot.ID {
			out = append(out, *m)
		}
	}
	return out
}

// History returns every current message of a chat, from users and from the
// bot, ordered by message id.
func (s *Server) History(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chats[chatID]
	if cs == nil {
		return nil
	}
	out := make([]Message, len(cs.msgs))
	for i, m := range cs.msgs {
		out[i] = *m
	}
	return out
}

// Message returns the current state of one message.
func (s *Server) Message(chatID int64, messageID int) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cs := s.chats[chatID]; cs != nil {
		if m := cs.byID[messageID]; m != nil {
			return *m, true
		}
	}
	return Message{}, false
}

// LastMessage returns the bot's most recent current message in a chat.
func (s *Server) LastMessage(chatID int64) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cs := s.chats[chatID]; cs != nil {
		for i := len(cs.msgs) - 1; i >= 0; i-- {
			if m := cs.msgs[i]; m.From != nil && m.From.ID == s.bot.ID {
				return *m, true
			}
		}
	}
	return Message{}, false
}

// Chats returns every chat the server knows, ordered by id.
func (s *Server) Chats() []Chat {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Chat, 0, len(s.chats))
	for _, cs := range s.chats {
		out = append(out, cs.chat)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Keyboard returns the reply keyboard (ReplyKeyboardMarkup JSON) the bot
// last showed in a chat, or nil if none is shown or it was removed.
func (s *Server) Keyboard(chatID int64) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cs := s.chats[chatID]; cs != nil {
		return cs.keyboard
	}
	return nil
}

// WaitSent blocks until at least n Sent records exist and returns them, or
// returns ctx's error.
func (s *Server) WaitSent(ctx context.Context, n int) ([]Sent, error) {
	return await(ctx, s, func() []Sent { return append([]Sent(nil), s.sent...) },
		func(sent []Sent) bool { return len(sent) >= n })
}

// WaitFor blocks until pred returns true for the Sent records, or returns
// ctx's error. pred runs without the server lock held (it may call the
// server) and must not modify the slice it is given.
func (s *Server) WaitFor(ctx context.Context, pred func([]Sent) bool) error {
	// Records are only ever appended, never changed, so a capacity-capped
	// view can be read without the lock.
	_, err := await(ctx, s, func() []Sent { return s.sent[:len(s.sent):len(s.sent)] }, pred)
	return err
}

// WaitCallbacks blocks until at least n answerCallbackQuery calls were
// recorded and returns them, or returns ctx's error.
func (s *Server) WaitCallbacks(ctx context.Context, n int) ([]CallbackAnswer, error) {
	return await(ctx, s, func() []CallbackAnswer { return append([]CallbackAnswer(nil), s.callbacks...) },
		func(cbs []CallbackAnswer) bool { return len(cbs) >= n })
}

// WaitConfirmed blocks until the bot has confirmed (through a getUpdates
// offset) every update up to and including updateID, i.e. it has fetched
// it and asked for the next ones, or returns ctx's error.
func (s *Server) WaitConfirmed(ctx context.Context, updateID int) error {
	_, err := await(ctx, s, func() bool { return len(s.updates) == 0 || s.updates[0].id > updateID },
		func(done bool) bool { return done })
	return err
}

// Callbacks returns the recorded answerCallbackQuery calls, in order.
func (s *Server) Callbacks() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackAnswer(nil), s.callbacks...)
}

// Commands returns the command lists set with setMyCommands, keyed by
// "scope/language_code": "default/vi", "default/" (no language),
// "chat:123/en", "all_private_chats/", "chat_member:123:456/", ….
func (s *Server) Commands() map[string][]BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]BotCommand, len(s.commands))
	for k, v := range s.commands {
		out[k] = append([]BotCommand(nil), v...)
	}
	return out
}

// ChatActions returns the recorded sendChatAction calls, in order.
func (s *Server) ChatActions() []ChatAction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ChatAction(nil), s.actions...)
}

// Calls returns how many requests with the right token named method
// (case-insensitive), whatever their outcome.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := handlers[strings.ToLower(method)]; ok {
		return s.calls[e.name]
	}
	return 0
}

// Stats returns the server's counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// WaitStats blocks until pred returns true for the current Stats (for
// example "a long poll is waiting": st.ActivePolls > 0), or returns ctx's
// error.
func (s *Server) WaitStats(ctx context.Context, pred func(Stats) bool) error {
	_, err := await(ctx, s, func() Stats { return s.stats }, pred)
	return err
}

// await takes a snapshot of the server's state with look (under the lock)
// and tests it with done (without the lock, so done may call the server),
// again after every recorded change, until done says yes or ctx ends.
func await[T any](ctx context.Context, s *Server, look func() T, done func(T) bool) (T, error) {
	for {
		s.mu.Lock()
		v := look()
		ch := s.changed
		s.mu.Unlock()
		if done(v) {
			return v, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
	}
}
