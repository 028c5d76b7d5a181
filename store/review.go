package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
// accept it or return it, with the proof given: the texts (the output
// document's number and date, typed or as a file's caption) and the files,
// in the order given, any number of each while it waits (issue 20).
// Output and Files are what older versions kept (the last text, a count);
// ProofText and FileCount read both.
type Review struct {
	AssignmentID string       `bson:"_id"`
	TaskCode     string       `bson:"task"`
	AgencyKey    string       `bson:"agency"`
	State        string       `bson:"state"`
	Output       string       `bson:"output"`
	Files        int          `bson:"files"`
	Texts        []string     `bson:"texts,omitempty"`
	Docs         []ReviewFile `bson:"docs,omitempty"`
	OfficerID    int64        `bson:"officer"`
	OfficerName  string       `bson:"officer_name"`
	DoneAt       time.Time    `bson:"done_at"`
	ReviewerID   int64        `bson:"reviewer,omitempty"`
	ReviewerName string       `bson:"reviewer_name,omitempty"`
	Comment      string       `bson:"comment,omitempty"`
	ReviewedAt   time.Time    `bson:"reviewed_at,omitempty"`
	// DecidedBy is the source of the update that decided it ("tg:<id>"):
	// the same update handled again (a replay after a kill) finishes what
	// followed the decision instead of being told it was decided.
	DecidedBy string `bson:"decided_by,omitempty"`
}

// ReviewFile is a file given as the proof of a completion: what Telegram
// needs to send it again, its name (given one from the task, the agency
// and the date when it had none of its own) and its caption.
type ReviewFile struct {
	FileID   string `bson:"file_id" json:"-"`
	UniqueID string `bson:"uid" json:"-"`
	Name     string `bson:"name" json:"name"`
	Kind     string `bson:"kind" json:"kind"` // document or photo
	Mime     string `bson:"mime,omitempty" json:"mime,omitempty"`
	Size     int64  `bson:"size" json:"size"`
	Caption  string `bson:"caption,omitempty" json:"caption,omitempty"`
}

// ProofText is the proof's texts, in the order given ("" when none).
func (r Review) ProofText() string {
	texts := r.Texts
	if len(texts) == 0 && r.Output != "" {
		texts = []string{r.Output}
	}
	return strings.Join(texts, "; ")
}

// FileCount is how many files were given.
func (r Review) FileCount() int { return max(r.Files, len(r.Docs)) }

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

// AddProof adds a text (when not empty) and a file (when not nil) to the
// proof of a waiting review; false when no review of it waits. The same
// text or file given again (a replayed update) is kept once.
func (s *Store) AddProof(ctx context.Context, assignmentID, text string, file *ReviewFile) (bool, error) {
	add := bson.M{}
	if text != "" {
		add["texts"] = text
	}
	if file != nil {
		add["docs"] = *file
	}
	if len(add) == 0 {
		return false, nil
	}
	res, err := s.reviews.UpdateOne(ctx, bson.M{"_id": assignmentID, "state": ReviewWaiting}, bson.M{"$addToSet": add})
	if err != nil {
		return false, fmt.Errorf("proof of %s: %w", assignmentID, err)
	}
	return res.MatchedCount > 0, nil
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
// is ErrReviewDecided, with the review as decided.
func (s *Store) DecideReview(ctx context.Context, assignmentID string, accept bool, by int64, byName, comment, source string) (Review, error) {
	state := ReviewReturned
	if accept {
		state = ReviewAccepted
	}
	res, err := s.reviews.UpdateOne(ctx, bson.M{"_id": assignmentID, "state": ReviewWaiting}, bson.M{"$set": bson.M{
		"state": state, "reviewer": by, "reviewer_name": byName, "comment": comment, "decided_by": source, "reviewed_at": s.now().UTC().Truncate(time.Millisecond)}})
	if err != nil {
		return Review{}, fmt.Errorf("decide review of %s: %w", assignmentID, err)
	}
	if res.MatchedCount == 0 {
		r, err := s.ReviewOf(ctx, assignmentID)
		if err != nil {
			return Review{}, err
		}
		return r, ErrReviewDecided
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

// UpdateOf reads one update by its id (domain.UpdateID): the file of an
// evidence update is sent again from /task (issue 20).
func (s *Store) UpdateOf(ctx context.Context, id string) (domain.Update, error) {
	return one[domain.Update](ctx, s.updates, bson.M{"_id": id})
}

// Reviews lists the reviews of every completion reported, waiting or
// decided, by assignment id: what an export says of each part's review
// state and proof (Review.ProofText, Review.Docs).
func (s *Store) Reviews(ctx context.Context) (map[string]Review, error) {
	list, err := all[Review](ctx, s.reviews, bson.M{})
	if err != nil {
		return nil, fmt.Errorf("list reviews: %w", err)
	}
	out := make(map[string]Review, len(list))
	for _, r := range list {
		out[r.AssignmentID] = r
	}
	return out, nil
}
