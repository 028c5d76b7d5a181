package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// A reminder run's writes, batched.
//
// A run marks every item it plans (reminder_items) and queues one message
// per person (outbox). One command per item and two per message made a run
// to 1,000 officers some 10,000 commands on the embedded store, seconds
// before the first send. These write the same documents with unordered
// InsertMany: each document is inserted, or refused on its _id, on its own,
// exactly as InsertOne would (FerretDB inserts a batch in one transaction
// and, when one of it is a duplicate, the batch one by one), so the
// guarantees are MarkItem's and Enqueue's.

// MarkItems records that items were planned, as MarkItem does for one:
// fresh[i] tells whether marks[i] is new, rather than marked before by any
// run or instance. It does not read the earlier marks (MarkItem does; a run
// taking over a dead planner's slot needs them, and marks one by one). Each
// mark's At is set to now.
func (s *Store) MarkItems(ctx context.Context, marks []ItemMark) ([]bool, error) {
	now := s.now().UTC()
	docs := make([]any, len(marks))
	for i, m := range marks {
		m.At = now
		docs[i] = m
	}
	fresh, err := insertNew(ctx, s.reminderItems, docs)
	if err != nil {
		return nil, fmt.Errorf("mark %d items: %w", len(marks), err)
	}
	return fresh, nil
}

// EnqueueNew puts messages in the outbox, as Enqueue does for one, but
// without first looking for their outcome in outbox_done: only for keys that
// nobody can have queued before, let alone sent — those of a planning run's
// first attempt, which holds its slot alone, are. queued[i] is false when a
// message with that key is in the outbox already. A message with a file is
// refused (Enqueue stores its bytes first).
func (s *Store) EnqueueNew(ctx context.Context, msgs []OutboxMessage) ([]bool, error) {
	now := s.now().UTC()
	docs := make([]any, len(msgs))
	for i, m := range msgs {
		if m.Out != nil && m.Out.File != nil {
			return nil, fmt.Errorf("enqueue %s: a message with a file goes through Enqueue", m.Key)
		}
		if m.CreatedAt.IsZero() {
			m.CreatedAt = now
		}
		docs[i] = m
	}
	queued, err := insertNew(ctx, s.outbox, docs)
	if err != nil {
		return nil, fmt.Errorf("enqueue %d messages: %w", len(msgs), err)
	}
	return queued, nil
}

// insertNew inserts docs, unordered, and tells which were new (the others'
// _id existed).
func insertNew(ctx context.Context, c *mongo.Collection, docs []any) ([]bool, error) {
	fresh := make([]bool, len(docs))
	if len(docs) == 0 {
		return fresh, nil
	}
	for i := range fresh {
		fresh[i] = true
	}
	_, err := c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err == nil {
		return fresh, nil
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || !allDup(err) {
		return nil, err
	}
	for _, we := range bwe.WriteErrors {
		if we.Index < 0 || we.Index >= len(docs) {
			return nil, fmt.Errorf("insert: a write error for document %d of %d: %w", we.Index, len(docs), err)
		}
		fresh[we.Index] = false
	}
	return fresh, nil
}
