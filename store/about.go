package store

// What the bot's messages are about: which assignments a message in a chat
// is about (a task card, a reminder, an alert), the one live card of each
// task in a chat, the texts an officer typed while the bot asks what to do
// with them, and one-shot choices. Every lookup is by _id.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// MessageAbout says which assignments a message the bot sent is about.
type MessageAbout struct {
	Key     string `bson:"_id"` // "<chat>:<message>"
	Chat    int64  `bson:"chat"`
	Message int    `bson:"message"`
	// Kind is what the message is: "card", "reminder", "alert", ….
	Kind string `bson:"kind"`
	// Refs are the assignments' short refs (domain.RefOf).
	Refs []string  `bson:"refs"`
	At   time.Time `bson:"at"`
}

func messageKey(chat int64, msg int) string {
	return strconv.FormatInt(chat, 10) + ":" + strconv.Itoa(msg)
}

// RecordAbout records which assignments message msg of chat is about. A
// card redrawn in place is about what it was about: what this store
// recorded already is not written again (cache.go).
func (s *Store) RecordAbout(ctx context.Context, m MessageAbout) error {
	m.Key = messageKey(m.Chat, m.Message)
	if had, ok := s.cache.abouts.get(m.Key); ok && had.Kind == m.Kind && slices.Equal(had.Refs, m.Refs) {
		return nil
	}
	m.At = s.now().UTC().Truncate(time.Millisecond)
	if _, err := s.abouts.ReplaceOne(ctx, bson.M{"_id": m.Key}, m, options.Replace().SetUpsert(true)); err != nil {
		s.cache.abouts.forget(m.Key)
		return fmt.Errorf("record what message %s is about: %w", m.Key, err)
	}
	s.cache.abouts.put(m.Key, MessageAbout{Key: m.Key, Chat: m.Chat, Message: m.Message, Kind: m.Kind, Refs: slices.Clone(m.Refs)})
	return nil
}

// About tells which assignments message msg of chat is about; ok is false
// for a message not recorded (a welcome, /help, a list…).
func (s *Store) About(ctx context.Context, chat int64, msg int) (MessageAbout, bool, error) {
	m, err := one[MessageAbout](ctx, s.abouts, bson.M{"_id": messageKey(chat, msg)})
	if errors.Is(err, ErrNotFound) {
		return m, false, nil
	}
	if err != nil {
		return m, false, fmt.Errorf("look up message %s: %w", messageKey(chat, msg), err)
	}
	return m, true, nil
}

type liveCard struct {
	Key     string    `bson:"_id"` // "<chat>:<assignment>"
	Message int       `bson:"message"`
	At      time.Time `bson:"at"`
}

func liveCardKey(chat int64, assignmentID string) string {
	return strconv.FormatInt(chat, 10) + ":" + assignmentID
}

// LiveCard is the message id of the card of an assignment that has buttons
// in chat (0 when none): read once, then kept (cache.go).
func (s *Store) LiveCard(ctx context.Context, chat int64, assignmentID string) (int, error) {
	key := liveCardKey(chat, assignmentID)
	if msg, ok := s.cache.liveCards.get(key); ok {
		return msg, nil
	}
	stamp := s.cache.liveCards.stamp()
	c, err := one[liveCard](ctx, s.liveCards, bson.M{"_id": key})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return 0, fmt.Errorf("live card of %s: %w", assignmentID, err)
	}
	s.cache.liveCards.putRead(key, c.Message, stamp)
	return c.Message, nil
}

// SetLiveCard makes msg the live card of an assignment in chat.
func (s *Store) SetLiveCard(ctx context.Context, chat int64, assignmentID string, msg int) error {
	key := liveCardKey(chat, assignmentID)
	c := liveCard{Key: key, Message: msg, At: s.now().UTC().Truncate(time.Millisecond)}
	if _, err := s.liveCards.ReplaceOne(ctx, bson.M{"_id": key}, c, options.Replace().SetUpsert(true)); err != nil {
		s.cache.liveCards.forget(key)
		return fmt.Errorf("set live card of %s: %w", assignmentID, err)
	}
	s.cache.liveCards.put(key, msg)
	return nil
}

// Draft is a text an officer typed that the bot asked what to do with: it
// waits for their one tap (a note, a progress figure, which task).
type Draft struct {
	Key    string    `bson:"_id"` // the id of the update that brought the text
	UserID int64     `bson:"user"`
	Text   string    `bson:"text"`
	Refs   []string  `bson:"refs"` // the assignments it may go to
	Used   bool      `bson:"used"`
	Done   []string  `bson:"done,omitempty"` // of several refs, those it went to already
	At     time.Time `bson:"at"`
}

// SaveDraft keeps a typed text until the officer chooses what it is.
func (s *Store) SaveDraft(ctx context.Context, d Draft) error {
	d.At = s.now().UTC().Truncate(time.Millisecond)
	if _, err := s.drafts.ReplaceOne(ctx, bson.M{"_id": d.Key}, d, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("save draft %s: %w", d.Key, err)
	}
	return nil
}

// Draft reads a draft (ErrNotFound when there is none).
func (s *Store) Draft(ctx context.Context, key string) (Draft, error) {
	return one[Draft](ctx, s.drafts, bson.M{"_id": key})
}

// UseDraft marks a draft used: it returns false when it was used before.
func (s *Store) UseDraft(ctx context.Context, key string) (bool, error) {
	r, err := s.drafts.UpdateOne(ctx, bson.M{"_id": key, "used": false}, bson.M{"$set": bson.M{"used": true}})
	if err != nil {
		return false, fmt.Errorf("use draft %s: %w", key, err)
	}
	return r.ModifiedCount == 1, nil
}

// UseDraftFor marks a draft of several refs used for one of them: it
// returns false when it was used for that ref before, or dropped. The
// draft stays open for its other refs.
func (s *Store) UseDraftFor(ctx context.Context, key, ref string) (bool, error) {
	r, err := s.drafts.UpdateOne(ctx, bson.M{"_id": key, "used": false}, bson.M{"$addToSet": bson.M{"done": ref}})
	if err != nil {
		return false, fmt.Errorf("use draft %s for %s: %w", key, ref, err)
	}
	return r.ModifiedCount == 1, nil
}

// ClaimOnce marks a one-shot choice taken: it returns false when it was
// taken before (a second press of the same choice).
func (s *Store) ClaimOnce(ctx context.Context, key string) (bool, error) {
	_, err := s.once.InsertOne(ctx, bson.M{"_id": key, "at": s.now().UTC()})
	if isDup(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", key, err)
	}
	return true, nil
}
