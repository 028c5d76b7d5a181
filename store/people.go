package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/domain"
)

// Invite errors, each a different message to the person who opened the link.
var (
	ErrInviteUnknown = errors.New("unknown invite code")
	ErrInviteUsed    = errors.New("invite code already used")
	ErrInviteExpired = errors.New("invite code expired")
)

// inviteAlphabet avoids letters that are easy to confuse on a phone.
const inviteAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// CreateInvite makes a single-use code for an agency's officer (role
// officer, agencyKey set) or for a leader (role leader).
func (s *Store) CreateInvite(ctx context.Context, role domain.OfficerRole, agencyKey string, by int64, ttl time.Duration) (domain.Invite, error) {
	now := s.now().UTC().Truncate(time.Millisecond)
	for attempt := 0; attempt < 5; attempt++ {
		code, err := randomCode(10)
		if err != nil {
			return domain.Invite{}, err
		}
		inv := domain.Invite{Code: code, Role: role, AgencyKey: agencyKey, CreatedBy: by, CreatedAt: now, ExpiresAt: now.Add(ttl)}
		if _, err := s.invites.InsertOne(ctx, inv); err != nil {
			if isDup(err) {
				continue
			}
			return inv, fmt.Errorf("save invite: %w", err)
		}
		return inv, nil
	}
	return domain.Invite{}, errors.New("could not draw a unique invite code")
}

func randomCode(n int) (string, error) {
	b := make([]byte, n)
	max := big.NewInt(int64(len(inviteAlphabet)))
	for i := range b {
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", err
		}
		b[i] = inviteAlphabet[k.Int64()]
	}
	return string(b), nil
}

// ClaimInvite uses a code for a Telegram user, exactly once: of any number of
// racing claimers, one wins and links; the others get ErrInviteUsed.
func (s *Store) ClaimInvite(ctx context.Context, code string, o domain.Officer) (domain.Invite, domain.Officer, error) {
	now := s.now().UTC().Truncate(time.Millisecond)
	var inv domain.Invite
	err := s.invites.FindOneAndUpdate(ctx,
		bson.M{"_id": code, "used_by": 0, "expires_at": bson.M{"$gt": now}},
		bson.M{"$set": bson.M{"used_by": o.TelegramID, "used_at": now}},
		options.FindOneAndUpdate().SetReturnDocument(options.After),
	).Decode(&inv)
	if errors.Is(err, mongo.ErrNoDocuments) {
		cur, err2 := one[domain.Invite](ctx, s.invites, bson.M{"_id": code})
		switch {
		case errors.Is(err2, ErrNotFound):
			return inv, o, ErrInviteUnknown
		case err2 != nil:
			return inv, o, err2
		case cur.UsedBy != 0:
			return cur, o, ErrInviteUsed
		default:
			return cur, o, ErrInviteExpired
		}
	}
	if err != nil {
		return inv, o, fmt.Errorf("claim invite: %w", err)
	}
	o.Role, o.AgencyKey, o.LinkedAt, o.Active = inv.Role, inv.AgencyKey, now, true
	o.Unreachable = false
	if err := s.SaveOfficer(ctx, o); err != nil {
		return inv, o, err
	}
	return inv, o, nil
}

// SaveOfficer creates or replaces a linked user.
func (s *Store) SaveOfficer(ctx context.Context, o domain.Officer) error {
	o.Key = domain.OfficerKey(o.TelegramID)
	defer s.officerChanged(o.TelegramID)
	_, err := s.officers.ReplaceOne(ctx, bson.M{"_id": o.Key}, o, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("save officer %d: %w", o.TelegramID, err)
	}
	return nil
}

// Officer looks up an active linked user by Telegram id: from the cache
// when it was read or written through this store less than officerTTL ago
// (cache.go).
func (s *Store) Officer(ctx context.Context, telegramID int64) (domain.Officer, error) {
	c, ok := s.cache.officers.get(telegramID)
	if !ok || s.wall().Sub(c.At) >= officerTTL {
		at, stamp := s.wall(), s.cache.officers.stamp()
		o, err := one[domain.Officer](ctx, s.officers, bson.M{"_id": domain.OfficerKey(telegramID)})
		if err != nil && !errors.Is(err, ErrNotFound) {
			return o, err
		}
		c = cachedOfficer{Officer: o, Found: err == nil, At: at}
		s.cache.officers.putRead(telegramID, c, stamp)
	}
	if !c.Found || !c.Officer.Active {
		return domain.Officer{}, ErrNotFound
	}
	return c.Officer, nil
}

// officerChanged forgets the cached copy of an officer being written: the
// next read reads the database.
func (s *Store) officerChanged(id int64) { s.cache.officers.forget(id) }

// TouchOfficer refreshes the name, username and language Telegram reports.
func (s *Store) TouchOfficer(ctx context.Context, id int64, name, username, lang string) error {
	defer s.officerChanged(id)
	_, err := s.officers.UpdateOne(ctx, bson.M{"_id": domain.OfficerKey(id)}, bson.M{"$set": bson.M{"name": name, "username": username, "lang": lang}})
	return err
}

// Officers lists the active officers of an agency ("" for all), by name.
func (s *Store) Officers(ctx context.Context, agencyKey string) ([]domain.Officer, error) {
	f := bson.M{"active": true}
	if agencyKey != "" {
		f["agency"] = agencyKey
	}
	return all[domain.Officer](ctx, s.officers, f, options.Find().SetSort(bson.D{{Key: "agency", Value: 1}, {Key: "name", Value: 1}}))
}

// Leaders lists the active leaders.
func (s *Store) Leaders(ctx context.Context) ([]domain.Officer, error) {
	return all[domain.Officer](ctx, s.officers, bson.M{"active": true, "role": domain.RoleLeader})
}

// RevokeOfficer unlinks a user. It reports whether someone was unlinked.
func (s *Store) RevokeOfficer(ctx context.Context, id int64) (bool, error) {
	if _, err := s.Officer(ctx, id); err != nil {
		if errors.Is(err, ErrNotFound) {
			return false, nil
		}
		return false, err
	}
	defer s.officerChanged(id)
	if _, err := s.officers.UpdateOne(ctx, bson.M{"_id": domain.OfficerKey(id)}, bson.M{"$set": bson.M{"active": false}}); err != nil {
		return false, fmt.Errorf("revoke %d: %w", id, err)
	}
	return true, nil
}

// SetUnreachable marks that Telegram refuses messages to the user (they
// blocked the bot), or clears the mark.
func (s *Store) SetUnreachable(ctx context.Context, id int64, v bool) error {
	defer s.officerChanged(id)
	_, err := s.officers.UpdateOne(ctx, bson.M{"_id": domain.OfficerKey(id)}, bson.M{"$set": bson.M{"unreachable": v}})
	return err
}

// Pause stops reminders to an officer until the given time, sending them to
// a substitute of the same agency meanwhile (0 for none).
func (s *Store) Pause(ctx context.Context, id int64, until time.Time, substitute int64) error {
	defer s.officerChanged(id)
	_, err := s.officers.UpdateOne(ctx, bson.M{"_id": domain.OfficerKey(id)}, bson.M{"$set": bson.M{"paused_until": until.UTC(), "substitute": substitute}})
	return err
}
