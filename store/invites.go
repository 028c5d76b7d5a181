package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/domain"
)

// Invite looks up an invite by its code without using it (ErrNotFound when
// there is none): the bot reads where a link leads before asking someone
// already linked whether to move.
func (s *Store) Invite(ctx context.Context, code string) (domain.Invite, error) {
	return one[domain.Invite](ctx, s.invites, bson.M{"_id": code})
}
