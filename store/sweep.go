package store

// What a stop at the wrong moment leaves of the derived documents.
//
// A snapshot save (snapshot.go) writes its chunks, replaces the head, then
// deletes the previous snapshot's chunks; a history seal (history.go)
// writes its segments, then replaces the head if nobody else did. A kill -9
// before the head is replaced, or between the replace and the deletes, and
// a sealer that lost the race, leave documents no head lists: megabytes
// each, forever. SweepDerived finds and deletes them.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// sweepAge is how old an unlisted chunk or segment must be to be deleted:
// younger ones may belong to a save or seal still under way in another
// process (the bot and an export from the command line), whose head is not
// written yet. A first seal of 1,000,000 updates takes about 5 minutes.
const sweepAge = time.Hour

// SweepDerived deletes the snapshot chunks and history segments that no
// head lists and that were written more than sweepAge ago, and returns how
// many it deleted. It lists the two collections' ids, which on the
// embedded store reads every document (FerretDB v1 applies a projection
// after decoding): 0.45 s at 1,000,000 archived updates, so the bot
// calls it once soon after a start and then daily.
func (s *Store) SweepDerived(ctx context.Context) (int, error) {
	cut := s.wall().Add(-sweepAge).UnixNano()
	listed := map[string]bool{"head": true}
	if h, err := one[snapshotHead](ctx, s.snapshots, bson.M{"_id": "head"}); err == nil {
		for _, p := range h.Parts {
			for i := range p.Chunks {
				listed[h.Gen+"/"+p.Name+"/"+strconv.Itoa(i)] = true
			}
		}
	} else if !errors.Is(err, ErrNotFound) {
		return 0, fmt.Errorf("read the summaries' snapshot: %w", err)
	}
	n, err := sweep(ctx, s.snapshots, listed, cut)
	if err != nil {
		return n, fmt.Errorf("sweep the summaries' snapshot: %w", err)
	}
	listed = map[string]bool{}
	if h, err := one[archiveHead](ctx, s.archiveHead, bson.M{"_id": "head"}); err == nil {
		for _, id := range h.Segments {
			listed[id] = true
		}
	} else if !errors.Is(err, ErrNotFound) {
		return n, fmt.Errorf("read the history archive: %w", err)
	}
	m, err := sweep(ctx, s.archive, listed, cut)
	if err != nil {
		return n + m, fmt.Errorf("sweep the history archive: %w", err)
	}
	return n + m, nil
}

// sweep deletes from c the documents whose id is not listed and whose
// leading time (the "%019d-%08x" both kinds of id start with) is before
// cut. An id of another form is left alone.
func sweep(ctx context.Context, c *mongo.Collection, listed map[string]bool, cut int64) (int, error) {
	cur, err := c.Find(ctx, bson.M{}, options.Find().SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return 0, err
	}
	var stale []string
	for cur.Next(ctx) {
		var d struct {
			ID string `bson:"_id"`
		}
		if err := cur.Decode(&d); err != nil {
			continue // not one of ours
		}
		if listed[d.ID] {
			continue
		}
		at, _, ok := strings.Cut(d.ID, "-")
		if t, err := strconv.ParseInt(at, 10, 64); ok && err == nil && len(at) == 19 && t < cut {
			stale = append(stale, d.ID)
		}
	}
	if err := cur.Err(); err != nil {
		cur.Close(ctx)
		return 0, err
	}
	cur.Close(ctx)
	n := 0
	for _, id := range stale {
		res, err := c.DeleteOne(ctx, bson.M{"_id": id})
		if err != nil {
			return n, err
		}
		n += int(res.DeletedCount)
	}
	return n, nil
}
