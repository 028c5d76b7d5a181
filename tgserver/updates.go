package tgserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// update is the JSON shape of an Update this server produces.
type update struct {
	UpdateID      int            `json:"update_id"`
	Message       *Message       `json:"message,omitempty"`
	EditedMessage *Message       `json:"edited_message,omitempty"`
	ChannelPost   *Message       `json:"channel_post,omitempty"`
	CallbackQuery *callbackQuery `json:"callback_query,omitempty"`
}

type callbackQuery struct {
	ID           string   `json:"id"`
	From         User     `json:"from"`
	Message      *Message `json:"message,omitempty"`
	ChatInstance string   `json:"chat_instance"`
	Data         string   `json:"data,omitempty"`
}

// PrivateChat returns the private chat of a user with the bot.
func PrivateChat(u User) Chat {
	return Chat{ID: u.ID, Type: "private", FirstName: u.FirstName, LastName: u.LastName, Username: u.Username}
}

func inferChatType(id int64) string {
	switch {
	case id > 0:
		return "private"
	case id <= -1000000000000:
		return "supergroup"
	default:
		return "group"
	}
}

// chatLocked returns the state of chat, creating it if needed. Non-empty
// fields of chat update the stored description.
func (s *Server) chatLocked(chat Chat) *chatState {
	if chat.Type == "" {
		chat.Type = inferChatType(chat.ID)
	}
	cs := s.chats[chat.ID]
	if cs == nil {
		cs = &chatState{chat: chat, nextMsgID: 1, byID: map[int]*Message{}}
		s.chats[chat.ID] = cs
	} else {
		if chat.Title != "" {
			cs.chat.Title = chat.Title
		}
		if chat.Username != "" {
			cs.chat.Username = chat.Username
		}
		if chat.FirstName != "" {
			cs.chat.FirstName = chat.FirstName
		}
		if chat.LastName != "" {
			cs.chat.LastName = chat.LastName
		}
		cs.chat.Type = chat.Type
	}
	if chat.Username != "" {
		s.chatByName["@"+chat.Username] = chat.ID
	}
	return cs
}

// AddChat registers a chat so that the bot can address it (needed with
// Options.RequireKnownChats, and for "@username" chat ids).
func (s *Server) AddChat(chat Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chat)
}

func (cs *chatState) add(m *Message) {
	cs.rev++
	if m.From != nil && !m.From.IsBot {
		cs.forceMsg, cs.forceHint = 0, ""
	}
	if m.MessageID == 0 {
		m.MessageID = cs.nextMsgID
	}
	if m.MessageID >= cs.nextMsgID {
		cs.nextMsgID = m.MessageID + 1
	}
	if old := cs.byID[m.MessageID]; old != nil {
		*old = *m
		return
	}
	cs.byID[m.MessageID] = m
	// Keep msgs ordered by id; new ids are almost always the largest.
	i := len(cs.msgs)
	for i > 0 && cs.msgs[i-1].MessageID > m.MessageID {
		i--
	}
	cs.msgs = append(cs.msgs, nil)
	copy(cs.msgs[i+1:], cs.msgs[i:])
	cs.msgs[i] = m
}

func (cs *chatState) remove(id int) bool {
	if cs.byID[id] == nil {
		return false
	}
	delete(cs.byID, id)
	cs.rev++
	for i, m := range cs.msgs {
		if m.MessageID == id {
			cs.msgs = append(cs.msgs[:i], cs.msgs[i+1:]...)
			break
		}
	}
	return true
}

// pushLocked assigns the next update_id, stores the update and wakes long
// polls.
func (s *Server) pushLocked(u update) int {
	u.UpdateID = s.nextUpdateID
	raw, err := json.Marshal(u)
	if err != nil {
		panic("tgserver: marshal update: " + err.Error())
	}
	return s.pushRawLocked(raw)
}

func (s *Server) pushRawLocked(raw json.RawMessage) int {
	id := s.nextUpdateID
	s.nextUpdateID++
	s.updates = append(s.updates, storedUpdate{id: id, raw: raw})
	s.history = append(s.history, storedUpdate{id: id, raw: raw})
	s.stats.Updates++
	close(s.updatesCh)
	s.updatesCh = make(chan struct{})
	s.notifyLocked()
	return id
}

func (s *Server) userMessageLocked(cs *chatState, from User) *Message {
	f := from
	return &Message{From: &f, Date: s.clock().Unix(), Chat: cs.chat}
}

func snapshot(m *Message) *Message {
	if m == nil {
		return nil
	}
	c := *m
	return &c
}

// SendText simulates a user writing text to the bot in their private chat
// (chat.id == from.ID). Commands ("/start", "/help@bot") get bot_command
// entities, so Message.IsCommand works. It returns the update_id.
func (s *Server) SendText(from User, text string) int {
	return s.SendTextIn(PrivateChat(from), from, text)
}

// SendTextIn simulates a user writing text in any chat (group, supergroup,
// or private). It returns the update_id.
func (s *Server) SendTextIn(chat Chat, from User, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(chat)
	m := s.userMessageLocked(cs, from)
	m.Text = text
	m.Entities = commandEntities(text)
	cs.add(m)
	return s.pushLocked(update{Message: snapshot(m)})
}

// ReplyTo simulates a user replying, in their private chat, to message
// replyToMessageID (normally a bot message; its stored state is embedded as
// reply_to_message). It returns the update_id.
func (s *Server) ReplyTo(from User, replyToMessageID int, text string) int {
	return s.ReplyToIn(PrivateChat(from), from, replyToMessageID, text)
}

// ReplyToIn is ReplyTo in any chat.
func (s *Server) ReplyToIn(chat Chat, from User, replyToMessageID int, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(chat)
	m := s.userMessageLocked(cs, from)
	m.Text = text
	m.Entities = commandEntities(text)
	if target := cs.byID[replyToMessageID]; target != nil {
		r := *target
		r.ReplyToMessage = nil
		m.ReplyToMessage = &r
	} else {
		m.ReplyToMessage = &Message{MessageID: replyToMessageID, Chat: cs.chat}
	}
	cs.add(m)
	return s.pushLocked(update{Message: snapshot(m)})
}

// PressButton simulates a user pressing an inline button with callback data
// under message messageID in their private chat. The callback_query carries
// a fresh id, the user, the stored message (with its current reply_markup)
// and data. It returns the update_id.
func (s *Server) PressButton(from User, messageID int, data string) int {
	return s.PressButtonIn(PrivateChat(from), from, messageID, data)
}

// PressButtonIn is PressButton in any chat.
func (s *Server) PressButtonIn(chat Chat, from User, messageID int, data string) int {
	id, _ := s.PressButtonQuery(chat, from, messageID, data)
	return id
}

// PressButtonQuery is PressButtonIn that also returns the callback query's
// id, so that its answerCallbackQuery can be found among Callbacks.
func (s *Server) PressButtonQuery(chat Chat, from User, messageID int, data string) (updateID int, queryID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(chat)
	s.nextCallback++
	id := strconv.FormatInt(4000000000000000000+int64(s.nextCallback), 10)
	s.callbackIDs[id] = false
	q := &callbackQuery{
		ID:           id,
		From:         from,
		ChatInstance: strconv.FormatInt(cs.chat.ID*7919+1, 10),
		Data:         data,
	}
	if m := cs.byID[messageID]; m != nil {
		q.Message = snapshot(m)
	} else {
		q.Message = &Message{MessageID: messageID, Chat: cs.chat, Date: s.clock().Unix()}
	}
	return s.pushLocked(update{CallbackQuery: q}), id
}

// PressButtonText finds the inline button labelled text on message
// messageID in from's private chat and presses it. It fails if the message
// or a callback button with that label does not exist.
func (s *Server) PressButtonText(from User, messageID int, text string) (int, error) {
	s.mu.Lock()
	var markup json.RawMessage
	if cs := s.chats[from.ID]; cs != nil {
		if m := cs.byID[messageID]; m != nil {
			markup = m.ReplyMarkup
		}
	}
	s.mu.Unlock()
	if markup == nil {
		return 0, fmt.Errorf("tgserver: message %d in chat %d has no inline keyboard", messageID, from.ID)
	}
	var kb struct {
		InlineKeyboard [][]struct {
			Text         string  `json:"text"`
			CallbackData *string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal(markup, &kb); err != nil {
		return 0, err
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.Text == text && b.CallbackData != nil {
				return s.PressButton(from, messageID, *b.CallbackData), nil
			}
		}
	}
	return 0, fmt.Errorf("tgserver: no callback button %q on message %d", text, messageID)
}

// SendDocument simulates a user sending a file to the bot in their private
// chat. The file is stored, so getFile and the download endpoint serve it.
// It returns the update_id.
func (s *Server) SendDocument(from User, fileName, mimeType string, content []byte, caption string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(PrivateChat(from))
	f := s.storeFileLocked("documents", fileName, mimeType, content)
	m := s.userMessageLocked(cs, from)
	m.Document = &Document{FileID: f.FileID, FileUniqueID: f.FileUniqueID, FileName: f.FileName, MimeType: f.MimeType, FileSize: f.Size}
	m.Caption = caption
	m.CaptionEntities = commandEntities(caption)
	cs.add(m)
	return s.pushLocked(update{Message: snapshot(m)})
}

// SendPhoto simulates a user sending a photo. If content decodes as JPEG,
// PNG or GIF, smaller JPEG sizes are generated (as Telegram does) and the
// original comes last; otherwise the photo has a single size with unknown
// dimensions. It returns the update_id.
func (s *Server) SendPhoto(from User, content []byte, caption string) int {
	variants := photoVariants(content)
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(PrivateChat(from))
	m := s.userMessageLocked(cs, from)
	m.Photo = s.storePhotoLocked(variants)
	m.Caption = caption
	m.CaptionEntities = commandEntities(caption)
	cs.add(m)
	return s.pushLocked(update{Message: snapshot(m)})
}

// SendSticker simulates a user sending a (static, 512×512) sticker. It
// returns the update_id.
func (s *Server) SendSticker(from User) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(PrivateChat(from))
	f := s.storeFileLocked("stickers", "sticker.webp", "image/webp", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	m := s.userMessageLocked(cs, from)
	m.Sticker = &Sticker{FileID: f.FileID, FileUniqueID: f.FileUniqueID, Type: "regular", Width: 512, Height: 512, Emoji: "👍", FileSize: f.Size}
	cs.add(m)
	return s.pushLocked(update{Message: snapshot(m)})
}

// EditText simulates a user editing their own message messageID in their
// private chat, producing an edited_message update. It returns the
// update_id.
func (s *Server) EditText(from User, messageID int, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(PrivateChat(from))
	m := cs.byID[messageID]
	if m == nil {
		m = s.userMessageLocked(cs, from)
		m.MessageID = messageID
		cs.add(m)
	}
	m.Text = text
	m.Entities = commandEntities(text)
	m.EditDate = s.clock().Unix()
	return s.pushLocked(update{EditedMessage: snapshot(m)})
}

// ChannelPost simulates a post in a channel the bot administers (a
// channel_post update; the message has sender_chat and no from). It returns
// the update_id.
func (s *Server) ChannelPost(chat Chat, text string) int {
	chat.Type = "channel"
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(chat)
	sc := cs.chat
	m := &Message{SenderChat: &sc, Date: s.clock().Unix(), Chat: cs.chat, Text: text, Entities: commandEntities(text)}
	cs.add(m)
	return s.pushLocked(update{ChannelPost: snapshot(m)})
}

// PushRaw queues any update JSON object; its update_id is set by the server
// and returned. Messages inside "message", "edited_message" and
// "channel_post" are recorded in their chat so the bot can reply to or edit
// them. It panics if update is not a JSON object; use PushUpdate to get an
// error instead.
func (s *Server) PushRaw(update json.RawMessage) int {
	id, err := s.PushUpdate(update)
	if err != nil {
		panic(err)
	}
	return id
}

// PushUpdate is PushRaw returning an error for invalid JSON.
func (s *Server) PushUpdate(raw json.RawMessage) (int, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return 0, errors.New("tgserver: update must be a JSON object")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, key := range []string{"message", "edited_message", "channel_post", "edited_channel_post"} {
		if v, ok := obj[key]; ok {
			var m Message
			if json.Unmarshal(v, &m) == nil && m.Chat.ID != 0 && m.MessageID != 0 {
				cs := s.chatLocked(m.Chat)
				cs.add(&m)
			}
		}
	}
	idRaw, _ := json.Marshal(s.nextUpdateID)
	obj["update_id"] = idRaw
	out, err := json.Marshal(obj)
	if err != nil {
		return 0, err
	}
	return s.pushRawLocked(out), nil
}

// SetUpdateID sets the update_id the next queued update gets.
func (s *Server) SetUpdateID(next int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpdateID = next
}

// PendingUpdates returns how many updates have not been confirmed by a
// getUpdates offset yet.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// getUpdates implements long polling. It returns a nil result when the
// client went away.
func (s *Server) getUpdates(c *call) (any, *apiError) {
	offset, err1 := intParam(c.params, "offset", 0)
	limit, err2 := intParam(c.params, "limit", 100)
	timeout, err3 := intParam(c.params, "timeout", 0)
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, badRequest("%v", err)
	}
	if limit < 1 || limit > 100 {
		limit = 100
	}
	if timeout < 0 || s.opts.IgnorePollTimeout {
		timeout = 0
	}
	var deadline <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		deadline = t.C
	}
	s.mu.Lock()
	s.pollGen++
	gen := s.pollGen
	if s.opts.ExclusivePolling {
		// Wake a concurrent long poll so that it notices it was superseded.
		close(s.updatesCh)
		s.updatesCh = make(chan struct{})
	}
	s.mu.Unlock()
	expired := false
	for {
		s.mu.Lock()
		if s.opts.ExclusivePolling && s.pollGen != gen {
			s.mu.Unlock()
			return nil, &apiError{code: http.StatusConflict, desc: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		}
		if offset < 0 {
			if keep := -offset; len(s.updates) > keep {
				s.updates = append([]storedUpdate(nil), s.updates[len(s.updates)-keep:]...)
				s.notifyLocked()
			}
		} else if offset > 0 {
			i := 0
			for i < len(s.updates) && s.updates[i].id < offset {
				i++
			}
			if i > 0 {
				s.updates = append([]storedUpdate(nil), s.updates[i:]...)
				s.notifyLocked()
			}
		}
		n := min(limit, len(s.updates))
		if n > 0 || timeout == 0 || expired {
			out := make([]json.RawMessage, n)
			for i := range out {
				out[i] = s.updates[i].raw
			}
			s.mu.Unlock()
			return out, nil
		}
		ch := s.updatesCh
		s.stats.ActivePolls++
		s.notifyLocked()
		s.mu.Unlock()
		gone := false
		select {
		case <-ch:
		case <-deadline:
			expired = true
		case <-s.done:
			expired = true
		case <-c.ctx.Done():
			gone = true
		}
		s.mu.Lock()
		s.stats.ActivePolls--
		s.notifyLocked()
		s.mu.Unlock()
		if gone {
			return nil, nil
		}
	}
}

func intParam(p map[string]string, key string, def int) (int, error) {
	v, ok := p[key]
	if !ok || v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f, ferr := strconv.ParseFloat(v, 64)
		if ferr != nil {
			return 0, fmt.Errorf("invalid %s value %q", key, v)
		}
		n = int(f)
	}
	return n, nil
}

func int64Param(p map[string]string, key string) (int64, bool, error) {
	v, ok := p[key]
	if !ok || v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, true, err
	}
	return n, true, nil
}

// AllUpdates returns every update queued so far, confirmed or not, in order,
// as the JSON getUpdates delivers (tests replay them to check idempotence).
func (s *Server) AllUpdates() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]json.RawMessage, 0, len(s.history))
	for _, u := range s.history {
		out = append(out, u.raw)
	}
	return out
}
