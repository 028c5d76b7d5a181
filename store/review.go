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

// The states of a review of a reported completion.
const (
	ReviewWaiting  = "waiting"
	ReviewAccepted = "accepted"
	ReviewReturned = "returned"
)

// ErrReviewDecided means the review was accepted or returned already.
var ErrReviewDecided = errors.New("review already decided")

// Review is a completion an officer reported, waiting for a coordinator to
// accept it or return it, with the proof given: the output document's
// number and date, and how many files.
type Review struct {
	AssignmentID string    `bson:"_id"`
	TaskCode     string    `bson:"task"`
	AgencyKey    string    `bson:"agency"`
	State        string    `bson:"state"`
	Output       string    `bson:"output"`
	Files        int       `bson:"files"`
	OfficerID    int64     `bson:"officer"`
	OfficerName  string    `bson:"officer_name"`
	DoneAt       time.Time `bson:"done_at"`
	ReviewerID   int64     `bson:"reviewer,omitempty"`
	ReviewerName string    `bson:"reviewer_name,omitempty"`
	Comment      string    `bson:"comment,omitempty"`
	ReviewedAt   time.Time `bson:"reviewed_at,omitempty"`
}

// OpenReview records that an assignment was reported done and waits for
// review (a new report replaces an earlier review of it).
func (s *Store) OpenReview(ctx context.Context, a domain.Assignment, officerID int64, officerName string) error {
	r := Review{AssignmentID: a.ID, TaskCode: a.TaskCode, AgencyKey: a.AgencyKey, State: ReviewWaiting,
		OfficerID: officerID, OfficerName: officerName, DoneAt: s.now().UTC().Truncate(time.Millisecond)}
	if _, err := s.reviews.ReplaceOne(ctx, bson.M{"_id": a.ID}, r, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("open review of %s: %w", a.ID, err)
	}
	return nil
}

// AddProof adds the output document's number and date (when output is not
// empty) or one more file (file) to a waiting review.
func (s *Store) AddProof(ctx context.Context, assignmentID, output string, file bool) error {
	set := bson.M{}
	if output != "" {
		set["output"] = output
	}
	up := bson.M{}
	if len(set) > 0 {
		up["$set"] = set
	}
	if file {
		up["$inc"] = bson.M{"files": 1}
	}
	if len(up) == 0 {
		return nil
	}
	if _, err := s.reviews.UpdateOne(ctx, bson.M{"_id": assignmentID, "state": ReviewWaiting}, up); err != nil {
		return fmt.Errorf("proof of %s: %w", assignmentID, err)
	}
	return nil
}

// ReviewOf reads the review of an assignment.
func (s *Store) ReviewOf(ctx context.Context, assignmentID string) (Review, error) {
	return one[Review](ctx, s.reviews, bson.M{"_id": assignmentID})
}

// WaitingReviews lists the completions waiting for review, oldest first.
func (s *Store) WaitingReviews(ctx context.Context) ([]Review, error) {
	return all[Review](ctx, s.reviews, bson.M{"state": ReviewWaiting}, options.Find().SetSort(bson.D{{Key: "done_at", Value: 1}}))
}

// Waiting is the set of assignment ids whose completion waits for review
// (report.Input.Review).
func (s *Store) Waiting(ctx context.Context) (map[string]bool, error) {
	list, err := s.WaitingReviews(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(list))
	for _, r := range list {
		out[r.AssignmentID] = true
	}
	return out, nil
}

// DecideReview accepts or returns a waiting review, once: a second decision
// is ErrReviewDecided.
func (s *Store) DecideReview(ctx context.Context, assignmentID string, accept bool, by int64, byName, comment string) (Review, error) {
	state := ReviewReturned
	if accept {
		state = ReviewAccepted
	}
	res, err := s.reviews.UpdateOne(ctx, bson.M{"_id": assignmentID, "state": ReviewWaiting}, bson.M{"$set": bson.M{
		"state": state, "reviewer": by, "reviewer_name": byName, "comment": comment, "reviewed_at": s.now().UTC().Truncate(time.Millisecond)}})
	if err != nil {
		return Review{}, fmt.Errorf("decide review of %s: %w", assignmentID, err)
	}
	if res.MatchedCount == 0 {
		if _, err := s.ReviewOf(ctx, assignmentID); err != nil {
			return Review{}, err
		}
		return Review{}, ErrReviewDecided
	}
	return s.ReviewOf(ctx, assignmentID)
}

// DropReview forgets a waiting review: the officer took the completion back.
func (s *Store) DropReview(ctx context.Context, assignmentID string) error {
	if _, err := s.reviews.DeleteOne(ctx, bson.M{"_id": assignmentID, "state": ReviewWaiting}); err != nil {
		return fmt.Errorf("drop review of %s: %w", assignmentID, err)
	}
	return nil
}
