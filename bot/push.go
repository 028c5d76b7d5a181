package bot

// Messages the bot sends on its own — to someone other than the person who
// just wrote — go through the outbox, keyed by what caused them.

import (
	"context"
	"strconv"
	"strings"

	"agencybot/domain"
)

// push queues text for chat under key ("<cause>|<update id>|<chat>"): a
// replayed update queues nothing new, and the dispatcher sends it at once
// with retries.
func (b *Bot) push(ctx context.Context, key string, chat int64, text string) {
	b.pushWith(ctx, key, domain.Outgoing{ChatID: chat, Text: text})
}

// pushWith is push for a message with buttons.
func (b *Bot) pushWith(ctx context.Context, key string, out domain.Outgoing) {
	if _, err := b.Outbox.Enqueue(ctx, key, out); err != nil {
		b.log().Error("queue a notice", "key", key, "chat", out.ChatID, "err", err)
	}
}

// pushKey names a pushed message: its cause, the update that caused it (the
// source "tg:<update id>") and the recipient.
func pushKey(cause, source string, chat int64) string {
	return cause + "|" + strings.TrimPrefix(source, "tg:") + "|" + strconv.FormatInt(chat, 10)
}
