package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Offset is the next Telegram update_id to ask for (0 when none stored).
func (s *Store) Offset(ctx context.Context) (int, error) {
	var doc struct {
		Value int `bson:"value"`
	}
	err := s.botState.FindOne(ctx, bson.M{"_id": "offset"}).Decode(&doc)
	if err != nil {
		if errors.Is(err, ErrNotFound) || isNoDocs(err) {
			return 0, nil
		}
		return 0, fmt.Errorf("read update offset: %w", err)
	}
	return doc.Value, nil
}

// SaveOffset stores the next update_id to ask for; it never moves backwards.
func (s *Store) SaveOffset(ctx context.Context, next int) error {
	_, err := s.botState.UpdateOne(ctx, bson.M{"_id": "offset", "value": bson.M{"$lt": next}},
		bson.M{"$set": bson.M{"value": next}})
	if err != nil {
		return fmt.Errorf("save update offset: %w", err)
	}
	// First save: the document does not exist yet.
	if _, err := s.botState.InsertOne(ctx, bson.M{"_id": "offset", "value": next}); err != nil && !isDup(err) {
		return fmt.Errorf("save update offset: %w", err)
	}
	return nil
}

// MarkProcessed records that a Telegram update was handled completely. It
// returns false when it was recorded before (a replay after a restart).
func (s *Store) MarkProcessed(ctx context.Context, updateID int) (bool, error) {
	_, err := s.processed.InsertOne(ctx, bson.M{"_id": updateID, "at": s.now().UTC()})
	if isDup(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("mark update %d processed: %w", updateID, err)
	}
	return true, nil
}

// Processed tells whether a Telegram update was handled before.
func (s *Store) Processed(ctx context.Context, updateID int) (bool, error) {
	n, err := s.processed.CountDocuments(ctx, bson.M{"_id": updateID}, options.Count().SetLimit(1))
	if err != nil {
		return false, fmt.Errorf("look up update %d: %w", updateID, err)
	}
	return n > 0, nil
}

// PruneProcessed forgets processed markers older than d (FerretDB has no TTL
// indexes, so this runs from the scheduler).
func (s *Store) PruneProcessed(ctx context.Context, d time.Duration) (int64, error) {
	r, err := s.processed.DeleteMany(ctx, bson.M{"at": bson.M{"$lt": s.now().UTC().Add(-d)}})
	if err != nil {
		return 0, err
	}
	return r.DeletedCount, nil
}

// Pending is a question the bot asked a user and waits for an answer to
// (a note, a progress figure): it survives restarts.
type Pending struct {
	UserID       int64     `bson:"_id"`
	Kind         string    `bson:"kind"`
	AssignmentID string    `bson:"assignment"`
	MessageID    int       `bson:"message_id"`
	At           time.Time `bson:"at"`
}

// SetPending stores what the bot waits for from a user (one at a time).
func (s *Store) SetPending(ctx context.Context, p Pending) error {
	p.At = s.now().UTC()
	_, err := s.botState.Database().Collection("pending").ReplaceOne(ctx, bson.M{"_id": p.UserID}, p, options.Replace().SetUpsert(true))
	return err
}

// TakePending returns and clears what the bot waits for from a user.
func (s *Store) TakePending(ctx context.Context, userID int64) (Pending, bool, error) {
	var p Pending
	err := s.botState.Database().Collection("pending").FindOneAndDelete(ctx, bson.M{"_id": userID}).Decode(&p)
	if isNoDocs(err) {
		return p, false, nil
	}
	return p, err == nil, err
}

// PeekPending returns what the bot waits for from a user without clearing it.
func (s *Store) PeekPending(ctx context.Context, userID int64) (Pending, bool, error) {
	p, err := one[Pending](ctx, s.botState.Database().Collection("pending"), bson.M{"_id": userID})
	if errors.Is(err, ErrNotFound) {
		return p, false, nil
	}
	return p, err == nil, err
}
