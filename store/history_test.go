package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/domain"
)

// historyOf is what EachUpdate streams, by update id, in order.
func historyOf(t *testing.T, s *Store, agencyKey string) ([]string, map[string]domain.Update) {
	t.Helper()
	var ids []string
	got := map[string]domain.Update{}
	err := s.EachUpdate(context.Background(), agencyKey, func(u domain.Update) error {
		if _, dup := got[u.ID]; dup {
			return fmt.Errorf("update %s streamed twice", u.ID)
		}
		ids = append(ids, u.ID)
		got[u.ID] = u
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids, got
}

// sameHistory compares the archive's stream with the updates collection.
func sameHistory(t *testing.T, s *Store, what string) int {
	t.Helper()
	want := map[string]domain.Update{}
	if err := s.scanUpdates(context.Background(), func(u domain.Update) error { want[u.ID] = u; return nil }); err != nil {
		t.Fatal(err)
	}
	_, got := historyOf(t, s, "")
	for id, u := range want {
		g, ok := got[id]
		switch {
		case !ok:
			t.Errorf("%s: update %s missing from the history", what, id)
		case !reflect.DeepEqual(gobbedUpdate(g), gobbedUpdate(u)):
			t.Errorf("%s: update %s differs:\n got %+v\nwant %+v", what, id, g, u)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("%s: the history has %s, which the collection does not", what, id)
		}
	}
	return len(got)
}

func gobbedUpdate(u domain.Update) domain.Update {
	data, err := gzipGob(u)
	if err != nil {
		panic(err)
	}
	var out domain.Update
	if err := gunzipGob(data, &out); err != nil {
		panic(err)
	}
	return out
}

// TestHistoryArchiveHasEveryUpdateOnce: the exports' history stream — an
// archive sealed at the first export and extended by _id afterwards — holds
// exactly the updates collection: each update once, a correction's mark on
// an update archived before it included, one agency's narrowing applied;
// and saving the summaries' snapshot does not trim change-log notes the
// archive has not sealed yet.
func TestHistoryArchiveHasEveryUpdateOnce(t *testing.T) {
	s := seeded(t)
	s.changeGrace = 0
	ctx := context.Background()
	a1, a2 := domain.AssignmentID("25-3", "so-y-te"), domain.AssignmentID("25-3", "so-khcn")
	apply := func(id string, ch domain.Change) {
		t.Helper()
		ch.OfficerID, ch.OfficerName = 5, "Trần Thị Năm"
		if _, _, err := s.Apply(ctx, id, ch); err != nil {
			t.Fatal(err)
		}
	}
	apply(a1, domain.Change{Kind: domain.SetStatus, Status: domain.InProgress})
	apply(a1, domain.Change{Kind: domain.SetProgress, Progress: intp(40)})
	apply(a2, domain.Change{Kind: domain.AddNote, Note: "Đã họp triển khai"})
	if n := sameHistory(t, s, "first export"); n != 3 {
		t.Fatalf("first export streamed %d updates, want 3", n)
	}

	// The snapshot is saved; the archive has not seen the next updates yet.
	st, err := s.LoadRollupState(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	apply(a2, domain.Change{Kind: domain.SetStatus, Status: domain.Blocked})
	apply(a1, domain.Change{Kind: domain.Correction}) // withdraws the 40 % update, archived already
	if st, _, err = s.RefreshRollupState(ctx, st); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveRollupState(ctx, st); err != nil {
		t.Fatal(err)
	}
	if n := sameHistory(t, s, "after more updates"); n != 5 {
		t.Fatalf("second export streamed %d updates, want 5", n)
	}
	_, got := historyOf(t, s, "")
	if !got[domain.UpdateID(a1, 2)].Corrected {
		t.Error("the corrected update is not marked corrected in the history")
	}
	h, _, ok, err := s.readArchiveHead(ctx)
	if err != nil || !ok || len(h.Segments) != 2 {
		t.Errorf("archive: %d segments, ok %v, %v; want the first seal and one tail", len(h.Segments), ok, err)
	}
	ids, _ := historyOf(t, s, "so-khcn")
	if len(ids) != 2 || ids[0] != domain.UpdateID(a2, 1) || ids[1] != domain.UpdateID(a2, 2) {
		t.Errorf("one agency's history: %v", ids)
	}

	// Nothing new: the head stays, nothing is written.
	before, _ := s.archive.CountDocuments(ctx, bson.M{})
	sameHistory(t, s, "unchanged")
	if after, _ := s.archive.CountDocuments(ctx, bson.M{}); after != before {
		t.Errorf("an export with nothing new wrote %d segments", after-before)
	}
}

// TestHistoryArchiveRebuiltWithoutHead: with no head (dropped by a restore,
// or never built) the next export reads the whole collection again.
func TestHistoryArchiveRebuiltWithoutHead(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id := domain.AssignmentID("25-3", "so-y-te")
	if _, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 5, Kind: domain.SetStatus, Status: domain.Done}); err != nil {
		t.Fatal(err)
	}
	sameHistory(t, s, "first")
	if _, err := s.archiveHead.DeleteOne(ctx, bson.M{"_id": "head"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 5, Kind: domain.AddNote, Note: "Bổ sung"}); err != nil {
		t.Fatal(err)
	}
	if n := sameHistory(t, s, "rebuilt"); n != 2 {
		t.Errorf("rebuilt history has %d updates, want 2", n)
	}
}

// TestKeepHistorySealsOnlyABuiltArchive: the bot's periodic seal builds
// nothing before the first export (that would read every update), and
// afterwards seals what was added, so that the change log can be trimmed.
func TestKeepHistorySealsOnlyABuiltArchive(t *testing.T) {
	s := seeded(t)
	s.changeGrace = 0
	ctx := context.Background()
	id := domain.AssignmentID("25-3", "so-y-te")
	apply := func() {
		t.Helper()
		if _, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 5, Kind: domain.AddNote, Note: "Tiếp tục theo dõi"}); err != nil {
			t.Fatal(err)
		}
	}
	apply()
	if err := s.KeepHistory(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, _ := s.readArchiveHead(ctx); ok {
		t.Fatal("the periodic seal built an archive before any export")
	}
	sameHistory(t, s, "first export") // builds it
	apply()
	if err := s.KeepHistory(ctx); err != nil {
		t.Fatal(err)
	}
	h, _, ok, err := s.readArchiveHead(ctx)
	if err != nil || !ok || h.Count != 2 {
		t.Fatalf("after the periodic seal the archive holds %d updates (%v, %v), want 2", h.Count, ok, err)
	}
	if _, err := s.LoadRollupState(ctx, true); err != nil { // saves the snapshot, trims the log
		t.Fatal(err)
	}
	if n, _ := s.changeLog.CountDocuments(ctx, bson.M{}); n != 0 {
		t.Errorf("%d notes left after the snapshot and the archive both have them", n)
	}
}
