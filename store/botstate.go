package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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
	_, err := s.botState.UpdateOne(ctx, bson.M{"_id": "offset"}, bson.M{"$max": bson.M{"value": next}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("save update offset: %w", err)
	}
	return nil
}

// MarkProcessed records that a Telegram update was handled completely. It
// returns false when it was recorded before (a replay after a restart).
func (s *Store) MarkProcessed(ctx context.Context, updateID int) (bool, error) {
	_, err := s.processed.InsertOne(ctx, bson.M{"_id": strconv.Itoa(updateID), "at": s.now().UTC()})
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
	err := s.processed.FindOne(ctx, bson.M{"_id": strconv.Itoa(updateID)}).Err()
	if isNoDocs(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up update %d: %w", updateID, err)
	}
	return true, nil
}

// ProcessedSince lists the processed markers of update ids at or above
// offset: at start, the bot keeps them in memory to recognise replays without
// asking the database for every update.
func (s *Store) ProcessedSince(ctx context.Context, offset int) (map[int]bool, error) {
	cur, err := s.processed.Find(ctx, bson.M{})
	if err != nil {
		return nil, fmt.Errorf("list processed updates: %w", err)
	}
	defer cur.Close(ctx)
	out := map[int]bool{}
	for cur.Next(ctx) {
		var m struct {
			ID string `bson:"_id"`
		}
		if err := cur.Decode(&m); err != nil {
			return nil, err
		}
		if id, err := strconv.Atoi(m.ID); err == nil && id >= offset {
			out[id] = true
		}
	}
	return out, cur.Err()
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

// Session is what the bot remembers of a conversation with one user: the
// assignment they have open (evidence they send goes there) and the question
// the bot waits for an answer to (a note, a progress figure). It survives
// restarts.
type Session struct {
	Key          string    `bson:"_id"` // the user id as a string
	UserID       int64     `bson:"user"`
	AssignmentID string    `bson:"assignment"`
	Awaiting     string    `bson:"awaiting"` // "", "note", "progress", "blocked_note"
	PromptID     int       `bson:"prompt_id"`
	At           time.Time `bson:"at"`
	// Draft is a typed answer not stored yet (a failed write): kept with
	// the open question until it is stored.
	Draft string `bson:"draft,omitempty"`
	// Answered is the source ("tg:<update id>") of the answer that closed
	// the last question: its replay after a crash is recognised.
	Answered string `bson:"answered,omitempty"`
	// Target is the target whose value the bot asks for (Awaiting
	// "target_value", "target_source", "target_date"), with what was
	// answered so far.
	Target *TargetDraft `bson:"target,omitempty"`
}

// TargetDraft is a target's value being reported, step by step.
type TargetDraft struct {
	ID     string  `bson:"id"`
	Year   int     `bson:"year"`
	Period string  `bson:"period,omitempty"`
	Value  float64 `bson:"value"`
	Text   string  `bson:"text,omitempty"`
	Source string  `bson:"source,omitempty"`
}

// SaveSession stores a user's session, stamped with the clock.
func (s *Store) SaveSession(ctx context.Context, se Session) error {
	se.At = s.now().UTC().Truncate(time.Millisecond)
	se.Key = strconv.FormatInt(se.UserID, 10)
	_, err := s.sessions.ReplaceOne(ctx, bson.M{"_id": se.Key}, se, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("save session of %d: %w", se.UserID, err)
	}
	return nil
}

// Session reads a user's session; a session older than maxAge counts as none.
func (s *Store) Session(ctx context.Context, userID int64, maxAge time.Duration) (Session, bool, error) {
	se, err := one[Session](ctx, s.sessions, bson.M{"_id": strconv.FormatInt(userID, 10)})
	if errors.Is(err, ErrNotFound) {
		return se, false, nil
	}
	if err != nil {
		return se, false, err
	}
	if s.now().Sub(se.At) > maxAge {
		return Session{UserID: userID}, false, nil
	}
	return se, true, nil
}
