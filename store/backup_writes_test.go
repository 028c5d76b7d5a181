package store

// Issue 24 point 4: a backup taken while the bot writes is consistent every
// time, and a restore leaves a database that reads correctly at once.

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/domain"
	"agencybot/store/storetest"
)

// writer changes one assignment over and over, like an officer typing notes:
// note n, then their session remembers n (a write to another collection, as
// a typed answer's closing is). What it has done is counted as it goes.
type writer struct {
	user     int64
	aid      string
	base     int          // the assignment's version before the writer began
	started  atomic.Int64 // notes whose Apply has begun
	finished atomic.Int64 // notes whose session write has returned
}

func (w *writer) run(ctx context.Context, s *Store) error {
	for n := int64(1); ctx.Err() == nil; n++ {
		w.started.Store(n)
		if _, _, err := s.Apply(ctx, w.aid, domain.Change{OfficerID: w.user, Kind: domain.AddNote, Note: "ghi chú " + strconv.FormatInt(n, 10)}); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("apply %s note %d: %w", w.aid, n, err)
		}
		if err := s.SaveSession(ctx, Session{UserID: w.user, AssignmentID: w.aid, PromptID: int(n)}); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("session of %d: %w", w.user, err)
		}
		w.finished.Store(n)
		time.Sleep(5 * time.Millisecond) // an officer's pace, not a bulk load: the history stays small enough to back up 20 times
	}
	return nil
}

// check compares what a restore holds of w with the live data at the
// backup's moment: it is some state the live database passed through while
// the backup ran (between lo and hi notes), the same instant for the
// assignment, its history and the session, and read correctly at once (the
// assignment is not behind its history).
func (w *writer) check(ctx context.Context, r *Store, lo, hi int64, instant bool) []string {
	var bad []string
	a, err := r.Assignment(ctx, w.aid)
	if err != nil {
		return []string{err.Error()}
	}
	notes := int64(a.Version - w.base)
	if _, err := one[domain.Update](ctx, r.updates, bson.M{"_id": domain.UpdateID(w.aid, a.Version+1)}); err == nil {
		bad = append(bad, fmt.Sprintf("%s at version %d is behind its history (update %d restored)", w.aid, a.Version, a.Version+1))
		notes++
	}
	if last, err := r.LastUpdate(ctx, a); notes > 0 && (err != nil || a.Note != last.Note) {
		bad = append(bad, fmt.Sprintf("%s shows note %q, its history ends with %q (%v)", w.aid, a.Note, last.Note, err))
	}
	if notes < lo || notes > hi {
		bad = append(bad, fmt.Sprintf("%s: %d notes, the live data had %d…%d while the backup ran", w.aid, notes, lo, hi))
	}
	se, ok, err := r.Session(ctx, w.user, 365*24*time.Hour)
	prompt := int64(0)
	if ok {
		prompt = int64(se.PromptID)
	}
	if err != nil || (instant && (prompt < notes-1 || prompt > notes)) {
		bad = append(bad, fmt.Sprintf("%s: %d notes but the session remembers note %d (not one instant)", w.aid, notes, prompt))
	}
	return bad
}

// Twenty backups while four writers change assignments and sessions at an
// officer's pace; each is restored into another database and compared with
// the live data at the backup's moment. (Before the SQLite copy: 0 of 20
// said consistent, 0 of 20 restored to one moment — every one had
// assignments behind their history and sessions two notes behind them.)
func TestBackupUnderWritesIsConsistentEveryTime(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	list, err := s.AllAssignments(ctx)
	if err != nil || len(list) < 4 {
		t.Fatalf("%d assignments, %v", len(list), err)
	}
	r, err := New(ctx, testClient, storetest.DBName(t.Name()+"_restored"), s.now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Drop(context.Background()) })

	var ws []*writer
	for i, a := range list[:4] {
		ws = append(ws, &writer{user: int64(9001 + i), aid: a.ID, base: a.Version})
	}
	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, len(ws))
	for _, w := range ws {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- w.run(wctx, s) }()
	}
	for _, w := range ws { // every writer under way before the first backup
		for w.finished.Load() < 2 {
			time.Sleep(10 * time.Millisecond)
		}
	}

	const backups = 20
	var consistent, matching int
	var method string
	for i := range backups {
		lo := make([]int64, len(ws))
		for j, w := range ws {
			lo[j] = w.finished.Load()
		}
		var buf bytes.Buffer
		m, err := s.Backup(ctx, &buf, t.TempDir())
		if err != nil {
			t.Fatalf("backup %d: %v", i+1, err)
		}
		hi := make([]int64, len(ws))
		for j, w := range ws {
			hi[j] = w.started.Load()
		}
		method = m.Method
		if m.Consistent {
			consistent++
		}
		if _, err := r.Restore(ctx, opener(buf.Bytes()), true); err != nil {
			t.Fatalf("restore %d: %v", i+1, err)
		}
		var bad []string
		for j, w := range ws {
			bad = append(bad, w.check(ctx, r, lo[j], hi[j], m.Consistent)...)
		}
		if len(bad) == 0 {
			matching++
		} else {
			t.Errorf("backup %d (consistent: %v, %d passes): %v", i+1, m.Consistent, m.Passes, bad)
		}
	}
	stop()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	var notes int64
	for _, w := range ws {
		notes += w.finished.Load()
	}
	t.Logf("%d backups (%s) under writes (%d notes written meanwhile): %d said consistent, %d restored to one moment of the live data, read correctly at once",
		backups, method, notes, consistent, matching)
	// On the embedded backend every backup is one instant (a copy of
	// SQLite's file). On MongoDB (MONGODB_URI) the passes may not agree
	// under these writers: such a backup says consistent: false (and is
	// not checked for one instant), yet its restore reads correctly at once.
	if method == "sqlite-snapshot" && consistent != backups {
		t.Errorf("%d of %d backups said consistent: false", backups-consistent, backups)
	}
}
