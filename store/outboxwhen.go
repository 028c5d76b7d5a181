package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Superseded tells, at send time, whether a message has nothing left to
// say (issue 20): a message keyed by one of m.Unless was queued (waiting or
// finished), or a message of m.Group was queued after m (its text covers
// m's). A later message of the group leaves the outbox only once it is
// finished, and it falls due after m, so looking in the outbox suffices.
func (s *Store) Superseded(ctx context.Context, m OutboxMessage) (bool, error) {
	for _, k := range m.Unless {
		for _, c := range []string{"outbox", "outbox_done"} {
			coll := s.outbox
			if c == "outbox_done" {
				coll = s.outboxDone
			}
			found, err := exists(ctx, coll, k)
			if err != nil {
				return false, err
			}
			if found {
				return true, nil
			}
		}
	}
	if m.Group == "" {
		return false, nil
	}
	at := m.CreatedAt.UTC()
	filter := bson.M{"group": m.Group, "$or": bson.A{
		bson.M{"created_at": bson.M{"$gt": at}},
		bson.M{"created_at": at, "_id": bson.M{"$gt": m.Key}},
	}}
	if !m.NotBefore.IsZero() { // only those queued while m waited: "arrived close together"
		filter["$and"] = bson.A{bson.M{"created_at": bson.M{"$lte": m.NotBefore.UTC()}}}
	}
	err := s.outbox.FindOne(ctx, filter, options.FindOne().SetProjection(bson.M{"_id": 1})).Err()
	if isNoDocs(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("later messages of %s: %w", m.Group, err)
	}
	return true, nil
}

// Pending tells whether a message is queued and has no outcome yet.
func (s *Store) Pending(ctx context.Context, key string) (bool, error) {
	queued, err := exists(ctx, s.outbox, key)
	if err != nil || !queued {
		return false, err
	}
	done, err := exists(ctx, s.outboxDone, key)
	return !done, err
}
