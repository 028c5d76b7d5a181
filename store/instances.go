package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Heartbeats: each dispatching instance records, every few seconds while it
// holds claims, that it is alive (instances/<instance id>). A claim whose
// holder stopped beating is taken back at once rather than when its lease
// ends. The collection has one small document per instance, so updating it
// costs nothing even where an update scans.

// Beat records that instance was alive at at.
func (s *Store) Beat(ctx context.Context, instance string, at time.Time) error {
	_, err := s.instances.UpdateOne(ctx, bson.M{"_id": instance},
		bson.M{"$set": bson.M{"beat": at.UTC()}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("heartbeat of %s: %w", instance, err)
	}
	return nil
}

// LastBeat reads when instance last said it was alive (found false when it
// never did).
func (s *Store) LastBeat(ctx context.Context, instance string) (time.Time, bool, error) {
	var d struct {
		Beat time.Time `bson:"beat"`
	}
	err := s.instances.FindOne(ctx, bson.M{"_id": instance}).Decode(&d)
	if isNoDocs(err) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read heartbeat of %s: %w", instance, err)
	}
	return d.Beat, true, nil
}
