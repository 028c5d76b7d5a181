package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/report"
)

// sameState says how two roll-up states differ ("" when they do not); an
// empty list and no list are the same.
func sameState(got, want RollupState) string {
	got, want = gobbed(got), gobbed(want)
	var diffs []string
	byID := func(as []domain.Assignment) map[string]domain.Assignment {
		m := map[string]domain.Assignment{}
		for _, a := range as {
			m[a.ID] = a
		}
		return m
	}
	g, w := byID(got.Assignments), byID(want.Assignments)
	for id, a := range w {
		if b, ok := g[id]; !ok {
			diffs = append(diffs, "missing "+id)
		} else if !reflect.DeepEqual(a, b) {
			diffs = append(diffs, fmt.Sprintf("%s: got %+v, want %+v", id, b, a))
		}
	}
	for id := range g {
		if _, ok := w[id]; !ok {
			diffs = append(diffs, "extra "+id)
		}
	}
	if len(got.Assignments) != len(g) {
		diffs = append(diffs, "an assignment listed twice")
	}
	if !reflect.DeepEqual(got.Plans, want.Plans) {
		diffs = append(diffs, "plans differ")
	}
	if !reflect.DeepEqual(got.Tasks, want.Tasks) {
		diffs = append(diffs, "tasks differ")
	}
	if !reflect.DeepEqual(got.Agencies, want.Agencies) {
		diffs = append(diffs, "agencies differ")
	}
	slices.Sort(diffs)
	if len(diffs) > 5 {
		diffs = append(diffs[:5], fmt.Sprintf("… %d more", len(diffs)-5))
	}
	return strings.Join(diffs, "; ")
}

// TestRollupStateFollowsEveryWriter: after each kind of write — a status
// update, a due date set by hand, an agency added, renamed and retired, a
// task's lead edited — the roll-up state read from the snapshot and the
// change log, and the one refreshed from before the write, equal a full
// read of the collections. Saving a snapshot empties the change log.
func TestRollupStateFollowsEveryWriter(t *testing.T) {
	s := seeded(t)
	s.changeGrace = 0
	ctx := context.Background()
	first, err := s.LoadRollupState(ctx, false)
	if err != nil || first.From != "scan" {
		t.Fatalf("first load: from %q, %v; want a scan (there is no snapshot yet)", first.From, err)
	}
	if n, _ := s.changeLog.CountDocuments(ctx, bson.M{}); n != 0 {
		t.Fatalf("the first snapshot left %d notes in the change log", n)
	}
	prev := first
	var added domain.Agency
	step := func(what string, write func() error) {
		t.Helper()
		if err := write(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		want, err := s.scanRollupState(ctx)
		if err != nil {
			t.Fatal(err)
		}
		loaded, err := s.LoadRollupState(ctx, false)
		if err != nil || loaded.From != "snapshot" {
			t.Fatalf("%s: load from %q, %v; want the snapshot", what, loaded.From, err)
		}
		if d := sameState(loaded, want); d != "" {
			t.Errorf("%s: snapshot and change log differ from the collections: %s", what, d)
		}
		// One agency read cold: the snapshot's catalog and its bucket, with
		// the notes that concern it.
		for _, key := range []string{"so-y-te", "so-tai-chinh", added.Key} {
			if key == "" {
				continue
			}
			in, err := s.RollupInput(ctx, report.Input{}, key, true)
			if !slices.ContainsFunc(want.Agencies, func(a domain.Agency) bool { return a.Key == key }) {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("%s: a retired agency (%s) read cold: %v, want not found", what, key, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: one agency (%s): %v", what, key, err)
			}
			var mine []domain.Assignment
			for _, a := range want.Assignments {
				if a.AgencyKey == key {
					mine = append(mine, a)
				}
			}
			got := RollupState{Plans: in.Plans, Tasks: in.Tasks, Agencies: in.Agencies, Assignments: in.Assignments}
			if d := sameState(got, RollupState{Plans: want.Plans, Tasks: want.Tasks, Agencies: want.Agencies, Assignments: mine}); d != "" {
				t.Errorf("%s: one agency (%s) read cold differs: %s", what, key, d)
			}
		}
		refreshed, n, err := s.RefreshRollupState(ctx, prev)
		if err != nil || n == 0 {
			t.Fatalf("%s: refresh applied %d notes, %v", what, n, err)
		}
		if d := sameState(refreshed, want); d != "" {
			t.Errorf("%s: the refreshed state differs from the collections: %s", what, d)
		}
		if err := s.SaveRollupState(ctx, refreshed); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.changeLog.CountDocuments(ctx, bson.M{}); n != 0 {
			t.Errorf("%s: saving the snapshot left %d notes", what, n)
		}
		prev = refreshed
	}
	id := domain.AssignmentID("25-3", "so-y-te")
	step("a status update", func() error {
		_, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 7, OfficerName: "Lê Văn Bảy", Kind: domain.SetStatus, Status: domain.Blocked})
		return err
	})
	step("a due date set by hand", func() error { return s.SetDue(ctx, "25-3", deadline.Date{Year: 2026, Month: 3, Day: 31}) })
	step("an agency added", func() error {
		var err error
		added, _, err = s.AddAgency(ctx, "Ủy ban nhân dân xã Tân Mỹ", agency.Commune, nil)
		return err
	})
	step("an agency renamed", func() error { _, err := s.RenameAgency(ctx, added.Key, "UBND xã Tân Mỹ Chánh"); return err })
	step("a task's lead edited", func() error {
		_, _, err := s.EditTask(ctx, "25-3", EditLead, "Sở Tài chính", 1, "Điều phối")
		return err
	})
	step("an agency retired", func() error { _, err := s.DeactivateAgency(ctx, "so-y-te"); return err })
}

// TestRollupStateNoteBeforeWrite: a writer notes a change, then is slow to
// make it (or is killed in between). The refresh that ran in between saw
// the old state; the next one, within the grace period, re-reads the
// assignment and sees the write. A note whose write never came costs a
// re-read and changes nothing.
func TestRollupStateNoteBeforeWrite(t *testing.T) {
	s := seeded(t)
	s.changeGrace = 0 // the seeding's notes go with the first snapshot
	ctx := context.Background()
	st, err := s.LoadRollupState(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	s.changeGrace = time.Hour
	id := domain.AssignmentID("25-3", "so-y-te")
	if err := s.noteAssignments(ctx, id); err != nil {
		t.Fatal(err)
	}
	st, _, err = s.RefreshRollupState(ctx, st) // between the note and the write
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.assignments.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"status": domain.Done, "progress": 100}}); err != nil {
		t.Fatal(err)
	}
	st, _, err = s.RefreshRollupState(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.scanRollupState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := sameState(st, want); d != "" {
		t.Fatalf("the late write is missing after the next refresh: %s", d)
	}
	if err := s.SaveRollupState(ctx, st); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.changeLog.CountDocuments(ctx, bson.M{}); n != 1 {
		t.Errorf("a note younger than the grace period was trimmed (%d left, want 1)", n)
	}
	loaded, err := s.LoadRollupState(ctx, false)
	if err != nil || loaded.From != "snapshot" {
		t.Fatalf("load: %q, %v", loaded.From, err)
	}
	if d := sameState(loaded, want); d != "" {
		t.Errorf("reloaded from the snapshot: %s", d)
	}
}

// TestRollupStateSurvivesAnUnreadableSnapshot: a snapshot that cannot be
// decoded (written by another version) is not used: everything is read.
func TestRollupStateSurvivesAnUnreadableSnapshot(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	if _, err := s.LoadRollupState(ctx, false); err != nil {
		t.Fatal(err)
	}
	head, err := one[snapshotHead](ctx, s.snapshots, bson.M{"_id": "head"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.snapshots.UpdateOne(ctx, bson.M{"_id": head.Gen + "/catalog/0"}, bson.M{"$set": bson.M{"data": []byte("not a snapshot")}}); err != nil {
		t.Fatal(err)
	}
	st, err := s.LoadRollupState(ctx, false)
	if err != nil || st.From != "scan" || len(st.Assignments) == 0 {
		t.Fatalf("load over a broken snapshot: from %q, %d assignments, %v", st.From, len(st.Assignments), err)
	}
}

// gobbed is st encoded and decoded as a snapshot is: empty lists become nil.
func gobbed(st RollupState) RollupState {
	data, err := gzipGob(st)
	if err != nil {
		panic(err)
	}
	var out RollupState
	if err := gunzipGob(data, &out); err != nil {
		panic(err)
	}
	return out
}
