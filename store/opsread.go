package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Read-only views for health checks and metrics (package ops). They read by
// _id or scan the outbox, which PruneOutbox keeps small.

// Ping tells whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx, nil); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// OutboxBacklog counts the messages waiting in the outbox (those without an
// outcome yet) and returns when the oldest of them was queued (zero when
// none waits).
func (s *Store) OutboxBacklog(ctx context.Context) (depth int, oldest time.Time, err error) {
	cur, err := s.outbox.Find(ctx, bson.M{}, options.Find().SetProjection(bson.M{"_id": 1, "created_at": 1}).SetBatchSize(500))
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("list outbox: %w", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		var m struct {
			Key       string    `bson:"_id"`
			CreatedAt time.Time `bson:"created_at"`
		}
		if err := cur.Decode(&m); err != nil {
			return 0, time.Time{}, fmt.Errorf("read outbox: %w", err)
		}
		// A finished message stays in the outbox until the dispatcher prunes
		// it; its outcome says it no longer waits.
		done, err := exists(ctx, s.outboxDone, m.Key)
		if err != nil {
			return 0, time.Time{}, err
		}
		if done {
			continue
		}
		depth++
		if oldest.IsZero() || m.CreatedAt.Before(oldest) {
			oldest = m.CreatedAt
		}
	}
	if err := cur.Err(); err != nil {
		return 0, time.Time{}, fmt.Errorf("list outbox: %w", err)
	}
	return depth, oldest, nil
}

// RunFinished tells whether a planning run slot ("reminders@2025-12-24T08:00")
// was planned completely, when, and how many messages it queued.
func (s *Store) RunFinished(ctx context.Context, slot string) (at time.Time, planned int, ok bool, err error) {
	var doc struct {
		At      time.Time `bson:"at"`
		Planned int       `bson:"planned"`
	}
	err = s.runs.FindOne(ctx, bson.M{"_id": slot + "#done"}).Decode(&doc)
	if isNoDocs(err) {
		return time.Time{}, 0, false, nil
	}
	if err != nil {
		return time.Time{}, 0, false, fmt.Errorf("read run %s: %w", slot, err)
	}
	return doc.At, doc.Planned, true, nil
}
