package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/deadline"
	"agencybot/domain"
)

// The outbox: what the scheduler plans and sends, exactly once.
//
// Every record here is written with InsertOne under a deterministic _id and
// never updated. A unique _id is atomic on MongoDB and on FerretDB alike (even
// with several connections, where FerretDB's conditional updates are not),
// and on the embedded FerretDB an insert or a lookup by _id costs the same
// however large the collection grows, while an update scans it. So a state
// change is a new document:
//
//	reminder_items  <kind>|<assignment>|<period>|<recipient>  an item was planned (dedupe)
//	runs            <slot>#<n> / <slot>#done                 a planning run started / finished
//	outbox          <message key>                            a message waiting to be sent
//	outbox_claims   <key>#<n> / <key>#<n>!r / <key>#p<i>     attempt n claimed / released / part i sent
//	outbox_done     <message key>                            the message's outcome, with a copy of it
//	outbox_files    <message key>#<i>                        chunk i of a photo's or document's bytes
//
// Messages leave the outbox collection (PruneOutbox) once their outcome is
// recorded, so scanning it for pending work stays cheap.

// Outbox message kinds.
const (
	MessageReminder = "reminder" // items for one officer, rendered when sent
	MessageDigest   = "digest"   // the leadership digest, pre-rendered
	MessageNotice   = "notice"   // a notice to the admins, pre-rendered
	MessageAlert    = "alert"    // a push caused by an event (an alert, a notice to one person), pre-rendered
)

// Outcome states of a message.
const (
	OutcomeSent    = "sent"
	OutcomeSkipped = "skipped" // nothing left to say
	OutcomeFailed  = "failed"
)

// OutboxItem is one thing a reminder says: a task due, overdue, escalated or
// waiting for its periodic report. It carries what the text needs, so a
// message renders the same on every attempt.
type OutboxItem struct {
	ID         string        `bson:"id" json:"id"` // the item mark's _id
	Kind       string        `bson:"kind" json:"kind"`
	Assignment string        `bson:"assignment" json:"assignment"`
	Ref        string        `bson:"ref" json:"ref"`
	Task       string        `bson:"task" json:"task"`
	Title      string        `bson:"title" json:"title"`
	Agency     string        `bson:"agency" json:"agency"`
	Role       domain.Role   `bson:"role" json:"role"`
	Deadline   string        `bson:"deadline" json:"deadline"` // as written in the plan
	Due        deadline.Date `bson:"due" json:"due"`
	Days       int           `bson:"days" json:"days"`                     // days left on the run's day; negative when overdue
	Period     string        `bson:"period" json:"period"`                 // the reporting period of a periodic item ("m2025-12", "q2025-4", "y2025")
	Line       string        `bson:"line,omitempty" json:"line,omitempty"` // a target's request: its line, rendered in the message's language (HTML)
}

// OutboxMessage is one message to one chat: reminder items to render, or a
// pre-rendered text.
type OutboxMessage struct {
	Key        string           `bson:"_id" json:"key"`
	Kind       string           `bson:"kind" json:"kind"`
	ChatID     int64            `bson:"chat_id" json:"chat_id"`
	Lang       string           `bson:"lang" json:"lang"`
	Run        string           `bson:"run" json:"run"`
	Day        deadline.Date    `bson:"day" json:"day"` // the run's day, shown in the header
	AgencyName string           `bson:"agency_name,omitempty" json:"agency_name,omitempty"`
	OnBehalfOf string           `bson:"on_behalf_of,omitempty" json:"on_behalf_of,omitempty"` // paused officers this one stands in for
	Items      []OutboxItem     `bson:"items,omitempty" json:"items,omitempty"`
	Out        *domain.Outgoing `bson:"-" json:"out,omitempty"` // stored by MarshalBSON
	CreatedAt  time.Time        `bson:"created_at" json:"created_at"`
	// NotBefore, Unless, Group and After: see domain.Outgoing (issue 20).
	NotBefore time.Time `bson:"not_before,omitempty" json:"not_before,omitempty"`
	Unless    []string  `bson:"unless,omitempty" json:"unless,omitempty"`
	Group     string    `bson:"group,omitempty" json:"group,omitempty"`
	After     string    `bson:"after,omitempty" json:"after,omitempty"`
}

// OutboxClaim is the state of one attempt at sending a message.
type OutboxClaim struct {
	Attempt    int
	Owner      string
	LeaseUntil time.Time
	// Released is set when the holder gave the message back: to be retried
	// from NotBefore, with Failures temporary failures and Abandoned
	// attempts that never ended (their holder died) so far.
	Released  bool
	NotBefore time.Time
	Failures  int
	Abandoned int
	Error     string
}

// Release is what the holder of an attempt says when it gives the message
// back: when to try again, and the counts so far (carried from attempt to
// attempt, so that any instance can go on from them).
type Release struct {
	NotBefore time.Time
	Failures  int    // temporary failures (5xx, network, the database)
	Abandoned int    // earlier attempts whose holder died before ending them
	Error     string // the last failure
}

// OutboxOutcome is what became of a message.
type OutboxOutcome struct {
	Key     string        `bson:"_id"`
	State   string        `bson:"state"`
	Error   string        `bson:"error,omitempty"`
	Attempt int           `bson:"attempt"`
	At      time.Time     `bson:"at"`
	Message OutboxMessage `bson:"message"`
}

// ItemMark records that an item was planned, by which run, into which message.
type ItemMark struct {
	ID  string    `bson:"_id"`
	Run string    `bson:"run"`
	Msg string    `bson:"msg"`
	At  time.Time `bson:"at"`
}

// insert inserts doc and reports false on a duplicate _id.
func insert(ctx context.Context, c *mongo.Collection, doc any) (bool, error) {
	if _, err := c.InsertOne(ctx, doc); err != nil {
		if isDup(err) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

func exists(ctx context.Context, c *mongo.Collection, id string) (bool, error) {
	err := c.FindOne(ctx, bson.M{"_id": id}, options.FindOne().SetProjection(bson.M{"_id": 1})).Err()
	if isNoDocs(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up %s in %s: %w", id, c.Name(), err)
	}
	return true, nil
}

// MarkItem records that an item was planned. It returns true the first time;
// on a duplicate it returns false and the earlier mark.
func (s *Store) MarkItem(ctx context.Context, id, run, msg string) (bool, ItemMark, error) {
	m := ItemMark{ID: id, Run: run, Msg: msg, At: s.now().UTC()}
	ok, err := insert(ctx, s.reminderItems, m)
	if err != nil {
		return false, m, fmt.Errorf("mark item %s: %w", id, err)
	}
	if ok {
		return true, m, nil
	}
	prev, err := one[ItemMark](ctx, s.reminderItems, bson.M{"_id": id})
	if err != nil {
		return false, prev, fmt.Errorf("read item mark %s: %w", id, err)
	}
	return false, prev, nil
}

// ItemMarked tells whether an item was planned before (previews).
func (s *Store) ItemMarked(ctx context.Context, id string) (bool, error) {
	return exists(ctx, s.reminderItems, id)
}

// Enqueue puts a message in the outbox. A message with the same key queued
// before is left as it is (false). The bytes of a photo or document
// (m.Out.File) are stored apart, in outbox_files, before the message.
func (s *Store) Enqueue(ctx context.Context, m OutboxMessage) (bool, error) {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = s.now().UTC()
	}
	if done, err := exists(ctx, s.outboxDone, m.Key); err != nil || done {
		return false, err
	}
	m, err := s.prepareFile(ctx, m)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", m.Key, err)
	}
	ok, err := insert(ctx, s.outbox, m)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", m.Key, err)
	}
	return ok, nil
}

// PendingMessages lists up to limit messages in the outbox, oldest first.
// Some may already be finished (see PruneOutbox) or held by a dispatcher.
func (s *Store) PendingMessages(ctx context.Context, limit int) ([]OutboxMessage, error) {
	o := options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}})
	if limit > 0 {
		o.SetLimit(int64(limit))
	}
	ms, err := all[OutboxMessage](ctx, s.outbox, bson.M{}, o)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	return ms, nil
}

// EachPending calls fn with the messages in the outbox, in insertion order,
// as they stream from the database, until fn returns false. Some may already
// be finished (see PruneOutbox) or held by a dispatcher.
func (s *Store) EachPending(ctx context.Context, fn func(OutboxMessage) bool) error {
	cur, err := s.outbox.Find(ctx, bson.M{}, options.Find().SetBatchSize(200))
	if err != nil {
		return fmt.Errorf("list outbox: %w", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		var m OutboxMessage
		if err := cur.Decode(&m); err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		if !fn(m) {
			return nil
		}
	}
	if err := cur.Err(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("list outbox: %w", err)
	}
	return nil
}

// ClaimMessage takes attempt n at sending a message, until leaseUntil.
// Exactly one caller gets each attempt; false means someone else has it.
func (s *Store) ClaimMessage(ctx context.Context, key string, n int, owner string, leaseUntil time.Time) (bool, error) {
	ok, err := insert(ctx, s.outboxClaims, bson.M{
		"_id": key + "#" + strconv.Itoa(n), "key": key, "attempt": n, "owner": owner,
		"at": s.now().UTC(), "lease_until": leaseUntil.UTC(),
	})
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", key, err)
	}
	return ok, nil
}

// MessageClaim reads attempt n of a message (found false when nobody took it).
func (s *Store) MessageClaim(ctx context.Context, key string, n int) (OutboxClaim, bool, error) {
	c := s.outboxClaims
	id := key + "#" + strconv.Itoa(n)
	var cl struct {
		Owner      string    `bson:"owner"`
		LeaseUntil time.Time `bson:"lease_until"`
	}
	err := c.FindOne(ctx, bson.M{"_id": id}).Decode(&cl)
	if isNoDocs(err) {
		return OutboxClaim{Attempt: n}, false, nil
	}
	if err != nil {
		return OutboxClaim{}, false, fmt.Errorf("read claim %s: %w", id, err)
	}
	out := OutboxClaim{Attempt: n, Owner: cl.Owner, LeaseUntil: cl.LeaseUntil}
	var rel struct {
		NotBefore time.Time `bson:"not_before"`
		Failures  int       `bson:"failures"`
		Abandoned int       `bson:"abandoned"`
		Error     string    `bson:"error"`
	}
	err = c.FindOne(ctx, bson.M{"_id": id + "!r"}).Decode(&rel)
	switch {
	case isNoDocs(err):
	case err != nil:
		return out, true, fmt.Errorf("read release %s: %w", id, err)
	default:
		out.Released, out.NotBefore, out.Failures, out.Abandoned, out.Error = true, rel.NotBefore, rel.Failures, rel.Abandoned, rel.Error
	}
	return out, true, nil
}

// ReleaseMessage gives attempt n of a message back, to be tried again from
// r.NotBefore, with r's counts so far.
func (s *Store) ReleaseMessage(ctx context.Context, key string, n int, r Release) error {
	_, err := insert(ctx, s.outboxClaims, bson.M{
		"_id": key + "#" + strconv.Itoa(n) + "!r", "key": key, "attempt": n,
		"not_before": r.NotBefore.UTC(), "failures": r.Failures, "abandoned": r.Abandoned, "error": r.Error, "at": s.now().UTC(),
	})
	if err != nil {
		return fmt.Errorf("release %s: %w", key, err)
	}
	return nil
}

// MarkPartSent records that part i of a message split in several was sent.
func (s *Store) MarkPartSent(ctx context.Context, key string, part int) error {
	_, err := insert(ctx, s.outboxClaims, bson.M{"_id": key + "#p" + strconv.Itoa(part), "key": key, "at": s.now().UTC()})
	if err != nil {
		return fmt.Errorf("mark part %d of %s: %w", part, key, err)
	}
	return nil
}

// PartSent tells whether part i of a message was sent.
func (s *Store) PartSent(ctx context.Context, key string, part int) (bool, error) {
	return exists(ctx, s.outboxClaims, key+"#p"+strconv.Itoa(part))
}

// FinishMessage records a message's outcome. The first outcome stands; a
// second is ignored (false).
func (s *Store) FinishMessage(ctx context.Context, m OutboxMessage, state string, attempt int, errText string) (bool, error) {
	ok, err := insert(ctx, s.outboxDone, OutboxOutcome{
		Key: m.Key, State: state, Error: errText, Attempt: attempt, At: s.now().UTC(), Message: m,
	})
	if err != nil {
		return false, fmt.Errorf("finish %s: %w", m.Key, err)
	}
	return ok, nil
}

// MessageOutcome reads what became of a message (found false while it is
// pending or unknown).
func (s *Store) MessageOutcome(ctx context.Context, key string) (OutboxOutcome, bool, error) {
	o, err := one[OutboxOutcome](ctx, s.outboxDone, bson.M{"_id": key})
	if errors.Is(err, ErrNotFound) {
		return o, false, nil
	}
	if err != nil {
		return o, false, fmt.Errorf("read outcome of %s: %w", key, err)
	}
	return o, true, nil
}

// PruneOutbox removes finished messages from the outbox, with their files;
// their outcome documents keep a copy of the message (without the bytes).
func (s *Store) PruneOutbox(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	if _, err := s.outbox.DeleteMany(ctx, bson.M{"_id": bson.M{"$in": keys}}); err != nil {
		return fmt.Errorf("prune outbox: %w", err)
	}
	return s.dropFiles(ctx, keys)
}
