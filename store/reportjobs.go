package store

// Reports a leader asked for that are built in the background.
//
// The Excel report of the whole province takes seconds to build and
// upload; built in the handler, it held up the poll loop, and so everybody
// else's messages, for that long. The request is recorded here first (by
// the key of the update that asked, so a replay records nothing new), the
// file is built in the background and queued in the outbox, then the
// record is deleted. A record a stop left behind is taken up at the next
// start. Each attempt queues under its own key ("<job>/<attempt>"), so a
// file rebuilt after a kill never mixes with a killed attempt's chunks; an
// attempt that finds an earlier one's message queued only deletes the
// record, so the leader gets the report once.

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// ReportJob is one report being built for a chat.
type ReportJob struct {
	Key     string    `bson:"_id"`
	Kind    string    `bson:"kind"` // "export" (the Excel report) or "report" (the report upward, .docx)
	UserID  int64     `bson:"user"`
	Chat    int64     `bson:"chat"`
	Lang    string    `bson:"lang"`
	Agency  string    `bson:"agency,omitempty"` // the narrowing asked for
	Plan    string    `bson:"plan,omitempty"`
	Period  string    `bson:"period,omitempty"` // a report's period as upward.ParsePeriod reads it ("2026-Q4")
	Attempt int       `bson:"attempt"`          // attempts started
	At      time.Time `bson:"at"`
}

// AttemptKey is the outbox key attempt n of the job queues its message under.
func (j ReportJob) AttemptKey(n int) string { return j.Key + "/" + strconv.Itoa(n) }

// AddReportJob records a job; false when one with its key is recorded
// already (the same request handled again).
func (s *Store) AddReportJob(ctx context.Context, j ReportJob) (bool, error) {
	if j.At.IsZero() {
		j.At = s.now().UTC().Truncate(time.Millisecond)
	}
	j.Attempt = 0
	ok, err := insert(ctx, s.reportJobs, j)
	if err != nil {
		return false, fmt.Errorf("record report job %s: %w", j.Key, err)
	}
	return ok, nil
}

// StartReportJob counts a new attempt at the job and returns it;
// ErrNotFound when the job is finished.
func (s *Store) StartReportJob(ctx context.Context, key string) (ReportJob, error) {
	var j ReportJob
	err := s.reportJobs.FindOneAndUpdate(ctx, bson.M{"_id": key}, bson.M{"$inc": bson.M{"attempt": 1}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&j)
	if isNoDocs(err) {
		return j, ErrNotFound
	}
	if err != nil {
		return j, fmt.Errorf("start report job %s: %w", key, err)
	}
	return j, nil
}

// ReportJobs lists the jobs not finished, oldest first (a handful at most:
// the collection is read whole).
func (s *Store) ReportJobs(ctx context.Context) ([]ReportJob, error) {
	cur, err := s.reportJobs.Find(ctx, bson.M{}, options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("list report jobs: %w", err)
	}
	var out []ReportJob
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("list report jobs: %w", err)
	}
	return out, nil
}

// FinishReportJob deletes the job's record.
func (s *Store) FinishReportJob(ctx context.Context, key string) error {
	if _, err := s.reportJobs.DeleteOne(ctx, bson.M{"_id": key}); err != nil {
		return fmt.Errorf("finish report job %s: %w", key, err)
	}
	return nil
}

// Queued tells whether the outbox has, or had, a message with key.
func (s *Store) Queued(ctx context.Context, key string) (bool, error) {
	for _, c := range []*mongo.Collection{s.outbox, s.outboxDone} {
		ok, err := exists(ctx, c, key)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}
