package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Spells of delay in the outbox: the dispatcher tells the admins once when
// the oldest message has waited too long, and once when that is over. Every
// instance sharing the database watches the same outbox; the spells are
// numbered, and each state change is an insert under a unique _id in
// bot_state, so of several instances seeing the same spell one records it:
//
//	outbox_delay#<n>         spell n began (its oldest message, when noticed)
//	outbox_delay#<n>!clear   spell n ended

// DelaySpell is one spell during which the outbox's oldest message waited
// longer than the alarm threshold.
type DelaySpell struct {
	N       int       `bson:"n"`
	Since   time.Time `bson:"since"`  // when the oldest waiting message was queued
	Opened  time.Time `bson:"opened"` // when the delay was noticed
	Waiting int       `bson:"waiting"`
	Cleared time.Time `bson:"-"` // zero while the spell lasts
}

func delayID(n int) string { return "outbox_delay#" + strconv.Itoa(n) }

// DelaySpell reads spell n (found false when it never began).
func (s *Store) DelaySpell(ctx context.Context, n int) (DelaySpell, bool, error) {
	var d DelaySpell
	err := s.botState.FindOne(ctx, bson.M{"_id": delayID(n)}).Decode(&d)
	if isNoDocs(err) {
		return d, false, nil
	}
	if err != nil {
		return d, false, fmt.Errorf("read outbox delay %d: %w", n, err)
	}
	var c struct {
		At time.Time `bson:"at"`
	}
	err = s.botState.FindOne(ctx, bson.M{"_id": delayID(n) + "!clear"}).Decode(&c)
	switch {
	case isNoDocs(err):
	case err != nil:
		return d, true, fmt.Errorf("read outbox delay %d: %w", n, err)
	default:
		d.Cleared = c.At
	}
	return d, true, nil
}

// BeginDelay records that spell d.N began; false when another instance
// recorded it first.
func (s *Store) BeginDelay(ctx context.Context, d DelaySpell) (bool, error) {
	ok, err := insert(ctx, s.botState, bson.M{
		"_id": delayID(d.N), "n": d.N, "since": d.Since.UTC(), "opened": d.Opened.UTC(), "waiting": d.Waiting,
	})
	if err != nil {
		return false, fmt.Errorf("record outbox delay %d: %w", d.N, err)
	}
	return ok, nil
}

// EndDelay records that spell n ended at at; false when it was recorded
// before.
func (s *Store) EndDelay(ctx context.Context, n int, at time.Time) (bool, error) {
	ok, err := insert(ctx, s.botState, bson.M{"_id": delayID(n) + "!clear", "at": at.UTC()})
	if err != nil {
		return false, fmt.Errorf("record the end of outbox delay %d: %w", n, err)
	}
	return ok, nil
}
