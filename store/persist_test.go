package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"agencybot/domain"
)

// Data written before a stop is there after a start.
func TestDataSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	uri := os.Getenv("MONGODB_URI")
	dir := filepath.Join(t.TempDir(), "data")
	db := "restart_" + filepath.Base(filepath.Dir(dir))
	open := func() *Store {
		s, err := Open(ctx, Options{URI: uri, Database: db, DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	if _, err := s.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	id := domain.AssignmentID("25-3", "so-khcn")
	if _, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 5, Kind: domain.AddNote, Note: "Ghi chú trước khi dừng"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s = open()
	defer func() {
		if uri != "" {
			_ = s.Drop(ctx)
		}
		_ = s.Close(ctx)
	}()
	a, err := s.Assignment(ctx, id)
	if err != nil || a.Note != "Ghi chú trước khi dừng" || a.Version != 1 {
		t.Fatalf("after restart: %+v %v", a, err)
	}
	if empty, _ := s.Empty(ctx); empty {
		t.Error("plans gone after restart")
	}
}

// Only one process opens a data directory; a second one either joins the
// running server through its socket or is told the directory is busy.
func TestDataDirLockAndJoin(t *testing.T) {
	if os.Getenv("MONGODB_URI") != "" {
		t.Log("MONGODB_URI set: the embedded server is still tested here, in its own directory")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "d")
	first, err := Open(ctx, Options{Database: "lock", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close(ctx)
	if _, err := first.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, Options{Database: "lock", DataDir: dir}); !errors.Is(err, ErrDataDirBusy) {
		t.Fatalf("second open without Join: err = %v, want ErrDataDirBusy", err)
	}
	joined, err := Open(ctx, Options{Database: "lock", DataDir: dir, Join: true})
	if err != nil {
		t.Fatalf("join: %v", err)
	}
	defer joined.Close(ctx)
	if joined.Backend != "embedded (shared)" {
		t.Errorf("backend = %q", joined.Backend)
	}
	tasks, err := joined.Tasks(ctx, "")
	if err != nil || len(tasks) != 40 {
		t.Errorf("joined client sees %d tasks, %v", len(tasks), err)
	}
}
