package tgserver

import "strconv"

// What a chat client shows beside the messages: the command menu that
// applies to a chat, the ForceReply waiting for an answer, and a revision
// number that tells a client when to fetch the chat again.

// ChatRevision returns a number that grows whenever a message of the chat
// is added, edited or deleted (0 for an unknown chat).
func (s *Server) ChatRevision(chatID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cs := s.chats[chatID]; cs != nil {
		return cs.rev
	}
	return 0
}

// ForceReply returns the bot message whose ForceReply markup still waits
// for the user's answer in a chat, and its input field placeholder. A
// message from the user ends the wait, as Telegram's client does.
func (s *Server) ForceReply(chatID int64) (messageID int, placeholder string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cs := s.chats[chatID]; cs != nil && cs.forceMsg != 0 {
		return cs.forceMsg, cs.forceHint, true
	}
	return 0, "", false
}

// CommandsFor returns the command menu a Telegram client shows in a private
// chat for a user whose language is lang, resolving scopes as Telegram
// does: the chat's own list, then all private chats, then the default;
// within each scope the user's language first, then no language.
func (s *Server) CommandsFor(chatID int64, lang string) []BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(lang) > 2 {
		lang = lang[:2]
	}
	for _, scope := range []string{"chat:" + strconv.FormatInt(chatID, 10), "all_private_chats", "default"} {
		for _, l := range []string{lang, ""} {
			if cmds, ok := s.commands[scope+"/"+l]; ok {
				return append([]BotCommand(nil), cmds...)
			}
			if l == "" {
				break
			}
		}
	}
	return nil
}
