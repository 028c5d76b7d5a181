package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// AllReviews lists every review (waiting, accepted or returned), for the
// export's proof of each part.
func (s *Store) AllReviews(ctx context.Context) ([]Review, error) {
	return all[Review](ctx, s.reviews, bson.M{})
}
