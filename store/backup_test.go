package store

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/domain"
)

// busy gives a seeded store the state a running bot leaves: history, an
// officer, an invite, the offset, processed markers, a planned run and
// outbox messages (one finished).
func busy(t *testing.T) *Store {
	t.Helper()
	s := seeded(t)
	ctx := context.Background()
	id := domain.AssignmentID("25-3", "so-khcn")
	for _, ch := range []domain.Change{
		{OfficerID: 1, OfficerName: "An", Kind: domain.SetStatus, Status: domain.InProgress},
		{OfficerID: 1, Kind: domain.SetProgress, Progress: intp(60)},
		{OfficerID: 1, Kind: domain.AddNote, Note: "Đã trình dự thảo kế hoạch"},
	} {
		if _, _, err := s.Apply(ctx, id, ch); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveOfficer(ctx, domain.Officer{TelegramID: 1, Name: "An", AgencyKey: "so-khcn", Role: domain.RoleOfficer, Active: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateInvite(ctx, domain.RoleLeader, "", 7, 168*time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveOffset(ctx, 1001); err != nil {
		t.Fatal(err)
	}
	for u := 990; u < 1001; u++ {
		if _, err := s.MarkProcessed(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	c, err := s.StartRun(ctx, "reminders@2025-12-24T08:00", "me", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, "reminders@2025-12-24T08:00", c.Attempt, 2); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"rem|a|1", "rem|a|2"} {
		if _, err := s.Enqueue(ctx, OutboxMessage{Key: k, Kind: MessageNotice, ChatID: 1, Out: &domain.Outgoing{ChatID: 1, Text: "Nhắc việc " + k}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.FinishMessage(ctx, OutboxMessage{Key: "rem|a|1"}, OutcomeSent, 1, ""); err != nil {
		t.Fatal(err)
	}
	return s
}

// everything reads every document of every collection: collection → _id → bytes.
func everything(t *testing.T, s *Store) map[string]map[string]string {
	t.Helper()
	ctx := context.Background()
	names, err := copiedNames(ctx, s.db) // the summaries' snapshot is rebuilt, not copied
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, n := range names {
		docs := map[string]string{}
		err := eachDoc(ctx, s.db.Collection(n), func(d bson.Raw) error {
			k, err := idKey(d)
			docs[k] = string(d)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		out[n] = docs
	}
	return out
}

// sameData compares every document of every collection; it reports the
// number of documents compared.
func sameData(t *testing.T, want, got map[string]map[string]string) int {
	t.Helper()
	n := 0
	for c, docs := range want {
		g, ok := got[c]
		if !ok {
			t.Errorf("collection %s missing", c)
			continue
		}
		if len(g) != len(docs) {
			t.Errorf("%s: %d documents, want %d", c, len(g), len(docs))
		}
		for id, d := range docs {
			n++
			if g[id] != d {
				t.Errorf("%s: document %q differs", c, id)
			}
		}
	}
	for c := range got {
		if _, ok := want[c]; !ok {
			t.Errorf("extra collection %s", c)
		}
	}
	return n
}

func opener(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// Back up, wipe, restore: every document of every collection is back, the
// indexes too, and the restored store works (an agency name stays unique).
func TestBackupWipeRestoreGivesBackEveryDocument(t *testing.T) {
	s := busy(t)
	ctx := context.Background()
	before := everything(t, s)
	var buf bytes.Buffer
	m, err := s.Backup(ctx, &buf, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !m.Consistent || (m.Method == "passes" && m.Passes != 2) || (m.Method == "sqlite-snapshot" && m.Passes != 1) {
		t.Errorf("a quiet database: passes %d, consistent %v", m.Passes, m.Consistent)
	}
	counts := map[string]int64{}
	for _, c := range m.Collections {
		counts[c.Name] = c.Count
		if len(c.SHA256) != 64 {
			t.Errorf("%s: checksum %q", c.Name, c.SHA256)
		}
	}
	for c, docs := range before {
		if counts[c] != int64(len(docs)) {
			t.Errorf("manifest: %s has %d, the database %d", c, counts[c], len(docs))
		}
	}
	if counts["updates"] != 3 || counts["processed_updates"] != 11 || counts["outbox"] != 2 || counts["tasks"] != 40 {
		t.Errorf("manifest counts %v", counts)
	}
	vm, err := VerifyBackup(bytes.NewReader(buf.Bytes()))
	if err != nil || vm.Documents() != m.Documents() {
		t.Fatalf("verify: %v (%d documents, want %d)", err, vm.Documents(), m.Documents())
	}

	if err := s.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if got := everything(t, s); len(got) != 0 {
		t.Fatalf("wipe left %d collections", len(got))
	}
	if _, err := s.Restore(ctx, opener(buf.Bytes()), false); err != nil {
		t.Fatal(err)
	}
	if n := sameData(t, before, everything(t, s)); n < 500 {
		t.Errorf("compared only %d documents", n)
	}
	// The bot starts with the same state.
	a, err := s.Assignment(ctx, domain.AssignmentID("25-3", "so-khcn"))
	if err != nil || a.Progress != 60 || a.Version != 3 {
		t.Errorf("assignment after restore: %+v %v", a, err)
	}
	if off, _ := s.Offset(ctx); off != 1001 {
		t.Errorf("offset %d", off)
	}
	if seen, _ := s.Processed(ctx, 995); !seen {
		t.Error("a processed update would be handled again")
	}
	if _, _, err := s.AddAgency(ctx, "Sở Khoa học và Công nghệ", "department", nil); err == nil {
		t.Error("the unique agency index was not restored")
	}
}

// A restore refuses a database with documents unless told to replace it,
// and then replaces everything.
func TestRestoreRefusesNonEmptyUnlessReplace(t *testing.T) {
	s := busy(t)
	ctx := context.Background()
	var buf bytes.Buffer
	if _, err := s.Backup(ctx, &buf, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	want := everything(t, s)
	// Changes after the backup.
	if _, _, err := s.Apply(ctx, domain.AssignmentID("25-3", "so-khcn"), domain.Change{OfficerID: 1, Kind: domain.SetProgress, Progress: intp(90)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkProcessed(ctx, 2000); err != nil {
		t.Fatal(err)
	}
	changed := everything(t, s)
	if _, err := s.Restore(ctx, opener(buf.Bytes()), false); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("restore into a non-empty database: %v", err)
	}
	sameData(t, changed, everything(t, s)) // refused: nothing changed
	if _, err := s.Restore(ctx, opener(buf.Bytes()), true); err != nil {
		t.Fatal(err)
	}
	sameData(t, want, everything(t, s))
	if seen, _ := s.Processed(ctx, 2000); seen {
		t.Error("a marker written after the backup survived --replace")
	}
}

// A damaged archive is refused before anything is written.
func TestRestoreOfDamagedBackupChangesNothing(t *testing.T) {
	s := busy(t)
	ctx := context.Background()
	var buf bytes.Buffer
	if _, err := s.Backup(ctx, &buf, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	for name, bad := range map[string][]byte{
		"truncated": good[:len(good)*2/3],
		"not gzip":  []byte("hello"),
	} {
		other, _ := testStore(t)
		if _, err := other.Restore(ctx, opener(bad), false); !errors.Is(err, ErrBadBackup) {
			t.Errorf("%s: err = %v", name, err)
		}
		if got := everything(t, other); countDocs(got) != 0 {
			t.Errorf("%s: %d documents written", name, countDocs(got))
		}
	}
}

func countDocs(m map[string]map[string]string) int {
	n := 0
	for _, d := range m {
		n += len(d)
	}
	return n
}
