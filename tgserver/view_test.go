package tgserver

import (
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// What a chat client shows: the menu resolved by scope and language, the
// ForceReply waiting until the user answers, revisions that move on every
// change, and the query id of a pressed button to find its answer.
func TestChatViewForClients(t *testing.T) {
	srv, bot := setup(t, Options{})
	u := User{ID: 42, FirstName: "An", LanguageCode: "en"}
	srv.SendText(u, "hi")

	mustCall := func(c tgbotapi.Chattable) {
		t.Helper()
		if _, err := bot.Request(c); err != nil {
			t.Fatal(err)
		}
	}
	mustCall(tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "en", tgbotapi.BotCommand{Command: "help", Description: "Help"}))
	mustCall(tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "start", Description: "Bắt đầu"}))
	if got := srv.CommandsFor(42, "en-US"); len(got) != 1 || got[0].Command != "help" {
		t.Errorf("English default menu = %v", got)
	}
	if got := srv.CommandsFor(42, "vi"); len(got) != 1 || got[0].Command != "start" {
		t.Errorf("menu without a list in the language = %v", got)
	}
	mustCall(tgbotapi.NewSetMyCommandsWithScope(tgbotapi.NewBotCommandScopeChat(42), tgbotapi.BotCommand{Command: "tasks", Description: "Tasks"}))
	if got := srv.CommandsFor(42, "en"); len(got) != 1 || got[0].Command != "tasks" {
		t.Errorf("the chat's own menu = %v", got)
	}

	rev := srv.ChatRevision(42)
	m := tgbotapi.NewMessage(42, "Your note?")
	m.ReplyMarkup = tgbotapi.ForceReply{ForceReply: true, InputFieldPlaceholder: "a note"}
	sent, err := bot.Send(m)
	if err != nil {
		t.Fatal(err)
	}
	if id, hint, ok := srv.ForceReply(42); !ok || id != sent.MessageID || hint != "a note" {
		t.Errorf("ForceReply = %d %q %v", id, hint, ok)
	}
	if srv.ChatRevision(42) <= rev {
		t.Error("a sent message did not move the revision")
	}
	srv.ReplyTo(u, sent.MessageID, "done")
	if _, _, ok := srv.ForceReply(42); ok {
		t.Error("the ForceReply still waits after the answer")
	}

	kb := tgbotapi.NewMessage(42, "Pick")
	kb.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("A", "a")))
	withKB, err := bot.Send(kb)
	if err != nil {
		t.Fatal(err)
	}
	rev = srv.ChatRevision(42)
	if _, err := bot.Send(tgbotapi.NewEditMessageText(42, withKB.MessageID, "Picked")); err != nil {
		t.Fatal(err)
	}
	if srv.ChatRevision(42) <= rev {
		t.Error("an edit did not move the revision")
	}
	_, q := srv.PressButtonQuery(PrivateChat(u), u, withKB.MessageID, "a")
	if _, err := bot.Request(tgbotapi.NewCallback(q, "Saved")); err != nil {
		t.Fatalf("answering the returned query id: %v", err)
	}
	if cbs := srv.Callbacks(); len(cbs) != 1 || cbs[0].ID != q || cbs[0].Text != "Saved" {
		t.Errorf("callbacks = %+v", cbs)
	}
}
