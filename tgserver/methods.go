package tgserver

import (
	"bytes"
	"encoding/json"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"agencybot/i18n"
)

const (
	maxMessageLen = 4096
	maxCaptionLen = 1024
	maxGetFile    = 20 << 20
)

func (s *Server) handleTrue(*call) (any, *apiError) { return true, nil }

func (s *Server) handleGetMe(*call) (any, *apiError) {
	return struct {
		User
		CanJoinGroups           bool `json:"can_join_groups"`
		CanReadAllGroupMessages bool `json:"can_read_all_group_messages"`
		SupportsInlineQueries   bool `json:"supports_inline_queries"`
	}{User: s.bot, CanJoinGroups: true}, nil
}

// resolveChatLocked finds the chat named by chat_id (numeric or
// "@username").
func (s *Server) resolveChatLocked(p map[string]string) (*chatState, *apiError) {
	v := strings.TrimSpace(p["chat_id"])
	if v == "" {
		return nil, badRequest("chat_id is empty")
	}
	if strings.HasPrefix(v, "@") {
		id, ok := s.chatByName[v]
		if !ok {
			return nil, badRequest("chat not found")
		}
		return s.chats[id], nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id == 0 {
		return nil, badRequest("chat not found")
	}
	if cs := s.chats[id]; cs != nil {
		return cs, nil
	}
	if s.opts.RequireKnownChats {
		return nil, badRequest("chat not found")
	}
	return s.chatLocked(Chat{ID: id}), nil
}

// formatText validates and parses a text or caption according to
// parse_mode and the entities parameter.
func formatText(text, parseMode, entitiesJSON string, maxLen int, caption bool) (string, []MessageEntity, *apiError) {
	if !utf8.ValidString(text) {
		return "", nil, badRequest("text must be encoded in UTF-8")
	}
	plain := text
	var ents []MessageEntity
	switch strings.ToLower(parseMode) {
	case "":
		if entitiesJSON != "" {
			if err := json.Unmarshal([]byte(entitiesJSON), &ents); err != nil {
				return "", nil, badRequest("can't parse entities JSON object")
			}
		}
	case "html":
		var err error
		plain, ents, err = ParseHTML(text)
		if err != nil {
			return "", nil, badRequest("can't parse entities: %v", err)
		}
	case "markdown", "markdownv2":
		// Accepted as is; Markdown is not validated by this server.
	default:
		return "", nil, badRequest("unsupported parse_mode")
	}
	if !caption && strings.TrimSpace(plain) == "" {
		return "", nil, badRequest("message text is empty")
	}
	if i18n.UTF16Len(plain) > maxLen {
		if caption {
			return "", nil, badRequest("message caption is too long")
		}
		return "", nil, badRequest("message is too long")
	}
	return plain, ents, nil
}

// markup is a validated reply_markup parameter.
type markup struct {
	raw      json.RawMessage // compact JSON as sent
	inline   bool
	keyboard bool // reply keyboard shown to the user
	remove   bool // remove_keyboard
	force    bool // force_reply
	// placeholder is the input_field_placeholder of a ForceReply.
	placeholder string
}

func parseMarkup(v string) (*markup, *apiError) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(v)); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &obj); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	m := &markup{raw: json.RawMessage(buf.Bytes())}
	switch {
	case obj["inline_keyboard"] != nil:
		var kb [][]map[string]json.RawMessage
		if err := json.Unmarshal(obj["inline_keyboard"], &kb); err != nil {
			return nil, badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
		}
		for _, row := range kb {
			for _, b := range row {
				if e := validateInlineButton(b); e != nil {
					return nil, e
				}
			}
		}
		m.inline = true
	case obj["keyboard"] != nil:
		var kb [][]json.RawMessage
		if err := json.Unmarshal(obj["keyboard"], &kb); err != nil {
			return nil, badRequest("can't parse reply keyboard markup JSON object")
		}
		m.keyboard = true
	case obj["remove_keyboard"] != nil:
		m.remove = true
	case obj["force_reply"] != nil:
		m.force = true
		_ = json.Unmarshal(obj["input_field_placeholder"], &m.placeholder)
	default:
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	return m, nil
}

func validateInlineButton(b map[string]json.RawMessage) *apiError {
	var text string
	if err := json.Unmarshal(b["text"], &text); err != nil {
		return badRequest("can't parse inline keyboard button: Field \"text\" must be of type String")
	}
	if text == "" {
		return badRequest("BUTTON_TEXT_INVALID")
	}
	actions := 0
	for _, k := range []string{"url", "callback_data", "web_app", "login_url", "switch_inline_query",
		"switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "callback_game", "pay", "copy_text"} {
		if _, ok := b[k]; ok {
			actions++
		}
	}
	if actions == 0 {
		return badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	}
	if raw, ok := b["callback_data"]; ok {
		var data string
		if err := json.Unmarshal(raw, &data); err != nil || len(data) < 1 || len(data) > 64 {
			return badRequest("BUTTON_DATA_INVALID")
		}
	}
	if raw, ok := b["url"]; ok {
		var u string
		if err := json.Unmarshal(raw, &u); err != nil {
			return badRequest("BUTTON_URL_INVALID")
		}
		pu, err := url.Parse(u)
		if err != nil || u == "" || (pu.Scheme != "" && pu.Scheme != "http" && pu.Scheme != "https" && pu.Scheme != "tg" && pu.Scheme != "ton") {
			return badRequest("BUTTON_URL_INVALID")
		}
	}
	return nil
}

// replyTarget parses reply_to_message_id / reply_parameters.
func replyTarget(p map[string]string) (int, bool, *apiError) {
	id, err := intParam(p, "reply_to_message_id", 0)
	if err != nil {
		return 0, false, badRequest("%v", err)
	}
	allow := p["allow_sending_without_reply"] == "true"
	if rp := p["reply_parameters"]; rp != "" {
		var v struct {
			MessageID                int  `json:"message_id"`
			AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
		}
		if err := json.Unmarshal([]byte(rp), &v); err != nil {
			return 0, false, badRequest("can't parse reply parameters JSON object")
		}
		id, allow = v.MessageID, v.AllowSendingWithoutReply
	}
	return id, allow, nil
}

func copyParams(p map[string]string) map[string]string {
	out := make(map[string]string, len(p))
	for k, v := range p {
		out[k] = v
	}
	return out
}

// sendCommon is everything sendMessage/sendDocument/sendPhoto share: chat
// resolution, block check, markup and reply validation.
type sendCommon struct {
	cs      *chatState
	markup  *markup
	replyTo *Message
	replyID int
}

func (s *Server) prepareSendLocked(p map[string]string) (*sendCommon, *apiError) {
	cs, e := s.resolveChatLocked(p)
	if e != nil {
		return nil, e
	}
	if e := s.blockedErrorLocked(cs); e != nil {
		return nil, e
	}
	mk, e := parseMarkup(p["reply_markup"])
	if e != nil {
		return nil, e
	}
	replyID, allow, e := replyTarget(p)
	if e != nil {
		return nil, e
	}
	sc := &sendCommon{cs: cs, markup: mk}
	if replyID != 0 {
		if target := cs.byID[replyID]; target != nil {
			r := *target
			r.ReplyToMessage = nil
			sc.replyTo = &r
			sc.replyID = replyID
		} else if !allow {
			return nil, badRequest("message to be replied not found")
		}
	}
	return sc, nil
}

// finishSendLocked stores a new bot message, applies the markup and records
// the call.
func (s *Server) finishSendLocked(c *call, sc *sendCommon, m *Message, rec Sent) *Message {
	cs := sc.cs
	bot := s.bot
	m.From = &bot
	m.Chat = cs.chat
	m.Date = s.clock().Unix()
	m.ReplyToMessage = sc.replyTo
	if sc.markup != nil {
		switch {
		case sc.markup.inline:
			m.ReplyMarkup = sc.markup.raw
		case sc.markup.keyboard:
			cs.keyboard = sc.markup.raw
		case sc.markup.remove:
			cs.keyboard = nil
		}
	}
	cs.add(m)
	if sc.markup != nil && sc.markup.force {
		cs.forceMsg, cs.forceHint = m.MessageID, sc.markup.placeholder
	}
	rec.Method = c.method
	rec.ChatID = cs.chat.ID
	rec.MessageID = m.MessageID
	rec.ParseMode = c.params["parse_mode"]
	if sc.markup != nil {
		rec.ReplyMarkup = sc.markup.raw
	}
	rec.DisableNotification = c.params["disable_notification"] == "true"
	rec.ReplyToMessageID = sc.replyID
	rec.At = s.clock()
	rec.Params = copyParams(c.params)
	s.sent = append(s.sent, rec)
	s.stats.Sends++
	s.notifyLocked()
	return snapshot(m)
}

func (s *Server) handleSendMessage(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc, e := s.prepareSendLocked(c.params)
	if e != nil {
		return nil, e
	}
	text := c.params["text"]
	plain, ents, e := formatText(text, c.params["parse_mode"], c.params["entities"], maxMessageLen, false)
	if e != nil {
		return nil, e
	}
	if e := s.rateLimitLocked(sc.cs.chat.ID); e != nil {
		return nil, e
	}
	m := &Message{Text: plain, Entities: ents, RawText: text, ParseMode: c.params["parse_mode"]}
	return s.finishSendLocked(c, sc, m, Sent{Text: text}), nil
}

// fileSource is where the file of sendDocument/sendPhoto comes from: an
// upload, an existing file_id, or an HTTP URL (which this server cannot
// fetch; it records an empty file).
type fileSource struct {
	existing *StoredFile
	up       *upload
	urlName  string
}

func (s *Server) fileSourceLocked(c *call, field string) (fileSource, *apiError) {
	if up, ok := c.files[field]; ok {
		return fileSource{up: &up}, nil
	}
	v := c.params[field]
	if v == "" {
		return fileSource{}, badRequest("there is no %s in the request", field)
	}
	if name, ok := strings.CutPrefix(v, "attach://"); ok {
		if up, ok := c.files[name]; ok {
			return fileSource{up: &up}, nil
		}
		return fileSource{}, badRequest("wrong file identifier/HTTP URL specified")
	}
	if f := s.files[v]; f != nil {
		return fileSource{existing: f}, nil
	}
	if u, err := url.Parse(v); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return fileSource{urlName: path.Base(u.Path)}, nil
	}
	return fileSource{}, badRequest("wrong file identifier/HTTP URL specified")
}

// prepareMediaLocked does what sendDocument and sendPhoto share: the chat,
// the caption, the file and the rate limit.
func (s *Server) prepareMediaLocked(c *call, field string) (*sendCommon, string, string, []MessageEntity, fileSource, *apiError) {
	sc, e := s.prepareSendLocked(c.params)
	if e != nil {
		return nil, "", "", nil, fileSource{}, e
	}
	caption := c.params["caption"]
	plain, ents, e := formatText(caption, c.params["parse_mode"], c.params["caption_entities"], maxCaptionLen, true)
	if e != nil {
		return nil, "", "", nil, fileSource{}, e
	}
	src, e := s.fileSourceLocked(c, field)
	if e != nil {
		return nil, "", "", nil, fileSource{}, e
	}
	if e := s.rateLimitLocked(sc.cs.chat.ID); e != nil {
		return nil, "", "", nil, fileSource{}, e
	}
	return sc, caption, plain, ents, src, nil
}

func (s *Server) handleSendDocument(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc, caption, plain, ents, src, e := s.prepareMediaLocked(c, "document")
	if e != nil {
		return nil, e
	}
	f := src.existing
	switch {
	case src.up != nil:
		f = s.storeFileLocked("documents", src.up.name, src.up.contentType, src.up.data)
	case f == nil:
		f = s.storeFileLocked("documents", src.urlName, "", nil)
	}
	m := &Message{
		Document:        &Document{FileID: f.FileID, FileUniqueID: f.FileUniqueID, FileName: f.FileName, MimeType: f.MimeType, FileSize: f.Size},
		Caption:         plain,
		CaptionEntities: ents,
		RawText:         caption,
		ParseMode:       c.params["parse_mode"],
	}
	return s.finishSendLocked(c, sc, m, Sent{FileName: f.FileName, FileID: f.FileID, Caption: caption}), nil
}

func (s *Server) handleSendPhoto(c *call) (any, *apiError) {
	// Decode and scale an uploaded photo before taking the lock.
	var variants []photoVariant
	up, uploaded := c.files["photo"]
	if !uploaded {
		if name, ok := strings.CutPrefix(c.params["photo"], "attach://"); ok {
			up, uploaded = c.files[name]
		}
	}
	if uploaded {
		variants = photoVariants(up.data)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sc, caption, plain, ents, src, e := s.prepareMediaLocked(c, "photo")
	if e != nil {
		return nil, e
	}
	var sizes []PhotoSize
	var fileName string
	switch {
	case uploaded:
		sizes = s.storePhotoLocked(variants)
		fileName = up.name
		s.files[sizes[len(sizes)-1].FileID].FileName = up.name
	case src.existing != nil:
		f := src.existing
		sizes = []PhotoSize{{FileID: f.FileID, FileUniqueID: f.FileUniqueID, Width: f.Width, Height: f.Height, FileSize: f.Size}}
		fileName = f.FileName
	default:
		sizes = s.storePhotoLocked([]photoVariant{{}})
		fileName = src.urlName
	}
	m := &Message{Photo: sizes, Caption: plain, CaptionEntities: ents, RawText: caption, ParseMode: c.params["parse_mode"]}
	return s.finishSendLocked(c, sc, m, Sent{FileName: fileName, FileID: sizes[len(sizes)-1].FileID, Caption: caption}), nil
}

// editTargetLocked finds the message an edit refers to.
func (s *Server) editTargetLocked(p map[string]string) (*chatState, *Message, *apiError) {
	if p["inline_message_id"] != "" {
		return nil, nil, badRequest("MESSAGE_ID_INVALID")
	}
	cs, e := s.resolveChatLocked(p)
	if e != nil {
		return nil, nil, e
	}
	if e := s.blockedErrorLocked(cs); e != nil {
		return nil, nil, e
	}
	id, err := intParam(p, "message_id", 0)
	if err != nil || id == 0 {
		return nil, nil, badRequest("message identifier is not specified")
	}
	m := cs.byID[id]
	if m == nil {
		return nil, nil, badRequest("message to edit not found")
	}
	if m.From == nil || m.From.ID != s.bot.ID {
		return nil, nil, badRequest("message can't be edited")
	}
	return cs, m, nil
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

func (s *Server) recordEditLocked(c *call, cs *chatState, m *Message, rec Sent) *Message {
	cs.rev++
	m.EditDate = s.clock().Unix()
	rec.Method = c.method
	rec.ChatID = cs.chat.ID
	rec.MessageID = m.MessageID
	rec.ParseMode = c.params["parse_mode"]
	rec.At = s.clock()
	rec.Params = copyParams(c.params)
	s.sent = append(s.sent, rec)
	s.stats.Edits++
	s.notifyLocked()
	return snapshot(m)
}

func inlineMarkup(p map[string]string) (json.RawMessage, *apiError) {
	mk, e := parseMarkup(p["reply_markup"])
	if e != nil {
		return nil, e
	}
	if mk == nil {
		return nil, nil
	}
	if !mk.inline {
		return nil, badRequest("inline keyboard expected")
	}
	return mk.raw, nil
}

func (s *Server) handleEditMessageText(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, m, e := s.editTargetLocked(c.params)
	if e != nil {
		return nil, e
	}
	if m.Document != nil || m.Photo != nil || m.Sticker != nil {
		return nil, badRequest("there is no text in the message to edit")
	}
	text := c.params["text"]
	plain, ents, e := formatText(text, c.params["parse_mode"], c.params["entities"], maxMessageLen, false)
	if e != nil {
		return nil, e
	}
	// Like Telegram, an edit without reply_markup removes the inline
	// keyboard.
	mk, e := inlineMarkup(c.params)
	if e != nil {
		return nil, e
	}
	if plain == m.Text && slices.Equal(ents, m.Entities) && bytes.Equal(mk, m.ReplyMarkup) {
		return nil, badRequest(notModified)
	}
	m.Text, m.Entities, m.RawText, m.ParseMode, m.ReplyMarkup = plain, ents, text, c.params["parse_mode"], mk
	return s.recordEditLocked(c, cs, m, Sent{Text: text, ReplyMarkup: mk}), nil
}

func (s *Server) handleEditMessageReplyMarkup(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, m, e := s.editTargetLocked(c.params)
	if e != nil {
		return nil, e
	}
	mk, e := inlineMarkup(c.params)
	if e != nil {
		return nil, e
	}
	if bytes.Equal(mk, m.ReplyMarkup) {
		return nil, badRequest(notModified)
	}
	m.ReplyMarkup = mk
	return s.recordEditLocked(c, cs, m, Sent{ReplyMarkup: mk}), nil
}

func (s *Server) handleDeleteMessage(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, e := s.resolveChatLocked(c.params)
	if e != nil {
		return nil, e
	}
	if e := s.blockedErrorLocked(cs); e != nil {
		return nil, e
	}
	id, err := intParam(c.params, "message_id", 0)
	if err != nil || id == 0 {
		return nil, badRequest("message identifier is not specified")
	}
	if !cs.remove(id) {
		return nil, badRequest("message to delete not found")
	}
	s.sent = append(s.sent, Sent{Method: c.method, ChatID: cs.chat.ID, MessageID: id, At: s.clock(), Params: copyParams(c.params)})
	s.stats.Deletes++
	s.notifyLocked()
	return true, nil
}

func (s *Server) handleAnswerCallbackQuery(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := c.params["callback_query_id"]
	answered, known := s.callbackIDs[id]
	if !known || answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	text := c.params["text"]
	if i18n.UTF16Len(text) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	cacheTime, _ := intParam(c.params, "cache_time", 0)
	s.callbackIDs[id] = true
	s.callbacks = append(s.callbacks, CallbackAnswer{
		ID:        id,
		Text:      text,
		ShowAlert: c.params["show_alert"] == "true",
		URL:       c.params["url"],
		CacheTime: cacheTime,
		At:        s.clock(),
	})
	s.notifyLocked()
	return true, nil
}

var chatActions = map[string]bool{
	"typing": true, "upload_photo": true, "record_video": true, "upload_video": true,
	"record_voice": true, "upload_voice": true, "upload_document": true, "choose_sticker": true,
	"find_location": true, "record_video_note": true, "upload_video_note": true,
	// Deprecated names still accepted by Telegram.
	"record_audio": true, "upload_audio": true,
}

func (s *Server) handleSendChatAction(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, e := s.resolveChatLocked(c.params)
	if e != nil {
		return nil, e
	}
	if e := s.blockedErrorLocked(cs); e != nil {
		return nil, e
	}
	action := c.params["action"]
	if !chatActions[action] {
		return nil, badRequest("wrong parameter action in request")
	}
	s.actions = append(s.actions, ChatAction{ChatID: cs.chat.ID, Action: action, At: s.clock()})
	s.notifyLocked()
	return true, nil
}

func (s *Server) handleGetFile(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[c.params["file_id"]]
	if f == nil {
		return nil, badRequest("invalid file_id")
	}
	if f.Size > maxGetFile {
		return nil, badRequest("file is too big")
	}
	return struct {
		FileID       string `json:"file_id"`
		FileUniqueID string `json:"file_unique_id"`
		FileSize     int    `json:"file_size"`
		FilePath     string `json:"file_path"`
	}{f.FileID, f.FileUniqueID, f.Size, f.FilePath}, nil
}

// commandsKey builds "scope/language" keys such as "default/vi",
// "chat:123/en" or "all_private_chats/" (no language).
func commandsKey(p map[string]string) (string, *apiError) {
	scope := "default"
	if raw := p["scope"]; raw != "" {
		var sc struct {
			Type   string          `json:"type"`
			ChatID json.RawMessage `json:"chat_id"`
			UserID json.RawMessage `json:"user_id"`
		}
		if err := json.Unmarshal([]byte(raw), &sc); err != nil {
			return "", badRequest("can't parse BotCommandScope JSON object")
		}
		id := func(r json.RawMessage) string {
			var str string
			if json.Unmarshal(r, &str) == nil {
				return str
			}
			return string(r)
		}
		switch sc.Type {
		case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
			scope = sc.Type
		case "chat", "chat_administrators":
			if len(sc.ChatID) == 0 {
				return "", badRequest("chat_id is empty")
			}
			scope = sc.Type + ":" + id(sc.ChatID)
		case "chat_member":
			if len(sc.ChatID) == 0 || len(sc.UserID) == 0 {
				return "", badRequest("chat_id and user_id are required")
			}
			scope = "chat_member:" + id(sc.ChatID) + ":" + id(sc.UserID)
		default:
			return "", badRequest("unsupported bot command scope type")
		}
	}
	lang := p["language_code"]
	if lang != "" && (len(lang) != 2 || strings.ToLower(lang) != lang) {
		return "", badRequest("invalid language code specified")
	}
	return scope + "/" + lang, nil
}

func validCommand(cmd string) bool {
	if len(cmd) < 1 || len(cmd) > 32 {
		return false
	}
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func (s *Server) handleSetMyCommands(c *call) (any, *apiError) {
	key, e := commandsKey(c.params)
	if e != nil {
		return nil, e
	}
	var cmds []BotCommand
	if err := json.Unmarshal([]byte(c.params["commands"]), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands specified")
	}
	for _, cmd := range cmds {
		if !validCommand(cmd.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := i18n.UTF16Len(strings.TrimSpace(cmd.Description)); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(cmds) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = cmds
	}
	s.notifyLocked()
	return true, nil
}

func (s *Server) handleDeleteMyCommands(c *call) (any, *apiError) {
	key, e := commandsKey(c.params)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, key)
	s.notifyLocked()
	return true, nil
}

func (s *Server) handleGetMyCommands(c *call) (any, *apiError) {
	key, e := commandsKey(c.params)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds := append([]BotCommand{}, s.commands[key]...)
	return cmds, nil
}
