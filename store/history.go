package store

// The update history, archived for the exports.
//
// The Excel report's history sheet lists every update. Reading the updates
// collection whole costs about 0.25 ms a document on the embedded backend
// (FerretDB decodes each from JSON): some 4 minutes at 1,000,000 updates.
// So the history is also kept as an archive of sealed segments — gzip'd gob
// in binary documents of 50,000 updates each, read by _id — and a head that
// lists them with, per assignment, the last version archived:
//
//   - the first export reads the collection once and seals it all;
//   - each later one first seals what was added since: every update is
//     written by Apply, which notes its assignment in the change log
//     (rollstate.go) before it moves it, so the assignments with new updates
//     are the ones the log names since the last seal (with the grace period
//     before it), and their new versions are read by _id;
//   - the change log keeps those notes until the archive has them (saving
//     the roll-up snapshot trims only what both have);
//   - a correction marks an earlier update corrected in place: the head
//     keeps the ids corrected since, and the reader applies them.
//
// Two processes sealing at once (the bot and an export from the command
// line) each write their own segment; the head is replaced only if it did not
// change meanwhile, so the loser's segment is never listed.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/domain"
)

// segmentSize is how many updates one archive segment holds.
const segmentSize = 50_000

// archiveMaxLag is how far the archive may fall behind the roll-up snapshot
// before the change log is trimmed without it (the next export then reads
// the whole collection again).
const archiveMaxLag = 7 * 24 * time.Hour

// archiveHead lists the sealed segments.
type archiveHead struct {
	ID       string   `bson:"_id"` // "head"
	Segments []string `bson:"segments"`
	Upto     int64    `bson:"upto"`    // change-log time sealed to (Unix nanoseconds, wall clock)
	Count    int      `bson:"count"`   // updates archived
	Index    []byte   `bson:"index"`   // gzip'd gob archiveIndex
	Version  int      `bson:"version"` // archiveVersion
}

// archiveIndex is the head's per-assignment bookkeeping.
type archiveIndex struct {
	Versions  map[string]int  // assignment id → last version archived
	Corrected map[string]bool // update ids a later correction withdrew
}

const archiveVersion = 1

type segmentDoc struct {
	ID   string `bson:"_id"`
	Data []byte `bson:"data"` // gzip'd gob []domain.Update
}

// readArchiveHead reads the head; ok is false when there is none (or one an
// older version wrote).
func (s *Store) readArchiveHead(ctx context.Context) (archiveHead, archiveIndex, bool, error) {
	h, err := one[archiveHead](ctx, s.archiveHead, bson.M{"_id": "head"})
	if errors.Is(err, ErrNotFound) {
		return h, archiveIndex{}, false, nil
	}
	if err != nil {
		return h, archiveIndex{}, false, fmt.Errorf("read the history archive: %w", err)
	}
	var ix archiveIndex
	if h.Version != archiveVersion || gunzipGob(h.Index, &ix) != nil {
		return h, archiveIndex{}, false, nil
	}
	return h, ix, true, nil
}

// SealHistory brings the archive up to date and returns its head: the whole
// updates collection read once when there is no archive, else the updates
// added since the last seal, read by _id.
func (s *Store) SealHistory(ctx context.Context) (archiveHead, archiveIndex, error) {
	for range 3 { // another sealer won the race: read its head and go on
		h, ix, ok, err := s.readArchiveHead(ctx)
		if err != nil {
			return h, ix, err
		}
		var next archiveHead
		if ok {
			next, ix, err = s.sealTail(ctx, h, ix)
		} else {
			next, ix, err = s.sealAll(ctx)
		}
		if err != nil {
			return next, ix, err
		}
		if next.Upto == h.Upto && ok { // nothing new
			return h, ix, nil
		}
		if next.Index, err = gzipGob(ix); err != nil {
			return next, ix, err
		}
		filter := bson.M{"_id": "head"}
		if ok {
			filter["upto"] = h.Upto
		}
		res, err := s.archiveHead.ReplaceOne(ctx, filter, next, options.Replace().SetUpsert(!ok))
		switch {
		case err == nil && (res.MatchedCount == 1 || res.UpsertedCount == 1):
			return next, ix, nil
		case err != nil && !isDup(err):
			return next, ix, fmt.Errorf("save the history archive: %w", err)
		}
	}
	return archiveHead{}, archiveIndex{}, errors.New("the history archive kept changing while being sealed")
}

// KeepHistory seals what was added since the last seal, when an archive
// exists (the first export builds it): the bot calls it every few minutes
// so that exports find little to seal and the change log can be trimmed.
func (s *Store) KeepHistory(ctx context.Context) error {
	if _, _, ok, err := s.readArchiveHead(ctx); err != nil || !ok {
		return err
	}
	_, _, err := s.SealHistory(ctx)
	return err
}

// sealAll archives the whole updates collection, in the order it was
// written.
func (s *Store) sealAll(ctx context.Context) (archiveHead, archiveIndex, error) {
	h := archiveHead{ID: "head", Upto: s.wall().UnixNano(), Version: archiveVersion}
	ix := archiveIndex{Versions: map[string]int{}, Corrected: map[string]bool{}}
	var batch []domain.Update
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		id, err := s.writeSegment(ctx, batch)
		if err != nil {
			return err
		}
		h.Segments = append(h.Segments, id)
		h.Count += len(batch)
		batch = batch[:0]
		return nil
	}
	err := s.scanUpdates(ctx, func(u domain.Update) error {
		ix.note(u)
		batch = append(batch, u)
		if len(batch) == segmentSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	return h, ix, err
}

// sealTail archives the updates added since h: those of the assignments
// the change log names since h.Upto (less the grace period), beyond the
// versions archived.
func (s *Store) sealTail(ctx context.Context, h archiveHead, ix archiveIndex) (archiveHead, archiveIndex, error) {
	upto := s.wall().UnixNano()
	notes, err := s.changeNotes(ctx)
	if err != nil {
		return h, ix, err
	}
	since := h.Upto - int64(s.changeGrace)
	ids := map[string]bool{}
	for _, n := range notes {
		if n.At >= since {
			for _, id := range n.Assignments {
				ids[id] = true
			}
		}
	}
	var fresh []domain.Update
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		for v := ix.Versions[id] + 1; ; v++ {
			u, err := one[domain.Update](ctx, s.updates, bson.M{"_id": domain.UpdateID(id, v)})
			if errors.Is(err, ErrNotFound) {
				break
			}
			if err != nil {
				return h, ix, fmt.Errorf("read update %s: %w", domain.UpdateID(id, v), err)
			}
			fresh = append(fresh, u)
		}
	}
	next := h
	next.Segments = slices.Clone(h.Segments)
	next.Upto = upto
	if len(fresh) == 0 {
		if len(ids) == 0 && upto-h.Upto < int64(time.Minute) {
			next.Upto = h.Upto // nothing at all: leave the head as it is
		}
		return next, ix, nil
	}
	slices.SortStableFunc(fresh, func(a, b domain.Update) int { return a.At.Compare(b.At) })
	for _, u := range fresh {
		ix.note(u)
	}
	for i := 0; i < len(fresh); i += segmentSize {
		id, err := s.writeSegment(ctx, fresh[i:min(len(fresh), i+segmentSize)])
		if err != nil {
			return h, ix, err
		}
		next.Segments = append(next.Segments, id)
	}
	next.Count += len(fresh)
	return next, ix, nil
}

// note records an archived update in the index.
func (ix archiveIndex) note(u domain.Update) {
	ix.Versions[u.AssignmentID] = max(ix.Versions[u.AssignmentID], u.Version)
	if u.Kind == domain.Correction && u.Corrects != "" {
		ix.Corrected[u.Corrects] = true
	}
}

func (s *Store) writeSegment(ctx context.Context, us []domain.Update) (string, error) {
	data, err := gzipGob(us)
	if err != nil {
		return "", err
	}
	id := fmt.Sprintf("%019d-%08x", s.wall().UnixNano(), rand.Uint32())
	if _, err := s.archive.InsertOne(ctx, segmentDoc{ID: id, Data: data}); err != nil {
		return "", fmt.Errorf("save a history segment: %w", err)
	}
	return id, nil
}

// scanUpdates streams the updates collection in the order it was written.
func (s *Store) scanUpdates(ctx context.Context, fn func(domain.Update) error) error {
	cur, err := s.updates.Find(ctx, bson.M{}, options.Find().SetBatchSize(5000))
	if err != nil {
		return fmt.Errorf("read updates: %w", err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var u domain.Update
		if err := cur.Decode(&u); err != nil {
			return fmt.Errorf("decode update: %w", err)
		}
		if err := fn(u); err != nil {
			return err
		}
	}
	return cur.Err()
}

// EachUpdate streams the update history, in the order it was written, to
// fn, stopping at fn's first error; agencyKey not empty keeps only that
// agency's updates. It seals the archive first, then reads it a segment at
// a time — the next one read and decoded while fn works on this one — so
// memory does not grow with the history.
func (s *Store) EachUpdate(ctx context.Context, agencyKey string, fn func(domain.Update) error) error {
	h, ix, err := s.SealHistory(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type segment struct {
		us  []domain.Update
		err error
	}
	next := make(chan segment, 1)
	go func() {
		defer close(next)
		for _, id := range h.Segments {
			var sg segment
			doc, err := one[segmentDoc](ctx, s.archive, bson.M{"_id": id})
			if err != nil {
				sg.err = fmt.Errorf("read history segment %s: %w", id, err)
			} else if err := gunzipGob(doc.Data, &sg.us); err != nil {
				sg.err = fmt.Errorf("decode history segment %s: %w", id, err)
			}
			select {
			case next <- sg:
			case <-ctx.Done():
				return
			}
			if sg.err != nil {
				return
			}
		}
	}()
	n := 0
	for sg := range next {
		if sg.err != nil {
			return sg.err
		}
		n++
		for _, u := range sg.us {
			if agencyKey != "" && u.AgencyKey != agencyKey {
				continue
			}
			u.Corrected = u.Corrected || ix.Corrected[u.ID]
			if err := fn(u); err != nil {
				return err
			}
		}
	}
	if n != len(h.Segments) {
		return fmt.Errorf("read history: %w", context.Cause(ctx))
	}
	return nil
}

// archiveUpto is the change-log time the archive is sealed to, or 0 when
// there is none or it lags too far (then the change log is trimmed without
// it and the archive is dropped, to be rebuilt by the next export).
func (s *Store) archiveUpto(ctx context.Context, snapshotUpto int64) (int64, error) {
	h, err := one[archiveHead](ctx, s.archiveHead, bson.M{"_id": "head"})
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the history archive: %w", err)
	}
	if snapshotUpto-h.Upto > int64(archiveMaxLag) {
		if _, err := s.archiveHead.DeleteOne(ctx, bson.M{"_id": "head"}); err != nil {
			return 0, err
		}
		return 0, s.archive.Drop(ctx)
	}
	return h.Upto, nil
}
