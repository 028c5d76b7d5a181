package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/domain"
)

// Invite looks up an invite by its code without using it (ErrNotFound when
// there is none): the bot reads where a link leads before asking someone
// already linked whether to move.
func (s *Store) Invite(ctx context.Context, code string) (domain.Invite, error) {
	return one[domain.Invite](ctx, s.invites, bson.M{"_id": code})
}

// OpenInvites lists the invites not used yet and not expired, newest first
// (a coordinator's /invites).
func (s *Store) OpenInvites(ctx context.Context) ([]domain.Invite, error) {
	now := s.now().UTC()
	return all[domain.Invite](ctx, s.invites, bson.M{"used_by": 0, "expires_at": bson.M{"$gt": now}},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}}))
}

// CancelInvite withdraws an invite nobody used: its code then links nobody.
// It returns false when the invite was used (or cancelled) before.
func (s *Store) CancelInvite(ctx context.Context, code string) (bool, error) {
	r, err := s.invites.DeleteOne(ctx, bson.M{"_id": code, "used_by": 0})
	if err != nil {
		return false, fmt.Errorf("cancel invite %s: %w", code, err)
	}
	return r.DeletedCount == 1, nil
}

// InviteTries is a user's wrong invite codes in the current window.
type InviteTries struct {
	User  int64     `bson:"_id"`
	Since time.Time `bson:"since"` // the first wrong code of the window
	Count int       `bson:"count"`
}

// WrongInvite records a wrong invite code from user at the store's clock,
// in a window of the given length that starts at the first wrong code, and
// returns the tries of that window. Kept in the store, a restart does not
// give anyone more tries.
func (s *Store) WrongInvite(ctx context.Context, user int64, window time.Duration) (InviteTries, error) {
	now := s.now().UTC().Truncate(time.Millisecond)
	cur, err := s.InviteTries(ctx, user, window)
	if err != nil {
		return cur, err
	}
	if cur.Count == 0 {
		cur = InviteTries{User: user, Since: now, Count: 1}
		_, err = s.inviteTries.ReplaceOne(ctx, bson.M{"_id": user}, cur, options.Replace().SetUpsert(true))
	} else {
		cur.Count++
		_, err = s.inviteTries.UpdateOne(ctx, bson.M{"_id": user}, bson.M{"$inc": bson.M{"count": 1}})
	}
	if err != nil {
		return cur, fmt.Errorf("count a wrong invite of %d: %w", user, err)
	}
	return cur, nil
}

// InviteTries reads a user's wrong invite codes of the window still open
// (none when it ended).
func (s *Store) InviteTries(ctx context.Context, user int64, window time.Duration) (InviteTries, error) {
	cur, err := one[InviteTries](ctx, s.inviteTries, bson.M{"_id": user})
	if errors.Is(err, ErrNotFound) || err == nil && !cur.Since.Add(window).After(s.now()) {
		return InviteTries{User: user}, nil
	}
	return cur, err
}
