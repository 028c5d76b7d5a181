package store

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/store/storetest"
)

// carriedNames is what backups and migrations of a store with registry r
// must hold: its collections that are not derived, the in-place state first
// in the registry's order, then the others by name.
func carriedNames(r collections) []string {
	var first, rest []string
	for _, c := range r {
		switch {
		case c.derived:
		case c.inPlace:
			first = append(first, c.name)
		default:
			rest = append(rest, c.name)
		}
	}
	slices.Sort(rest)
	return append(first, rest...)
}

func manifestNames(m BackupManifest) []string {
	var out []string
	for _, c := range m.Collections {
		out = append(out, c.Name)
	}
	return out
}

// A backup of a new store holds exactly the registry's collections that are
// not derived, in copy order; nothing the registry does not list.
func TestBackupCarriesExactlyTheRegistry(t *testing.T) {
	s, _ := testStore(t)
	ctx := context.Background()
	var buf bytes.Buffer
	m, err := s.Backup(ctx, &buf, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := manifestNames(m), carriedNames(registry); !slices.Equal(got, want) {
		t.Errorf("backup holds\n%v\nwant\n%v", got, want)
	}
	if len(carriedNames(registry)) != len(registry)-4 {
		t.Errorf("%d of %d collections carried; the four derived ones are left out", len(carriedNames(registry)), len(registry))
	}
}

// A collection added to the registry is created with its index by New,
// backed up, restored and migrated; a derived one is created but carried
// by neither backup nor migration, and a collection the registry does not
// know is left alone.
func TestACollectionAddedToTheRegistryIsCreatedBackedUpRestoredMigrated(t *testing.T) {
	ctx := context.Background()
	reg := append(slices.Clone(registry),
		collection{name: "test_extra", indexes: []mongo.IndexModel{{Keys: bson.D{{Key: "k", Value: 1}}, Options: options.Index().SetUnique(true)}}},
		collection{name: "test_derived", derived: true},
	)
	clock := func() time.Time { return time.Date(2025, 12, 24, 8, 0, 0, 0, testLoc) }
	open := func(name string) *Store {
		t.Helper()
		s, err := newStore(ctx, testClient, storetest.DBName(name), clock, reg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Drop(context.Background()) })
		return s
	}
	uniqueK := func(s *Store) bool {
		t.Helper()
		ixs, err := listIndexes(ctx, s.db.Collection("test_extra"))
		if err != nil {
			t.Fatal(err)
		}
		return len(ixs) == 1 && ixs[0].Unique && len(ixs[0].Keys) == 1 && ixs[0].Keys[0].Field == "k"
	}
	count := func(s *Store, coll string) int64 {
		t.Helper()
		n, err := s.db.Collection(coll).CountDocuments(ctx, bson.M{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	src := open(t.Name() + "_src")
	have, err := existing(ctx, src.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range reg.names() {
		if !slices.Contains(have, n) {
			t.Errorf("New did not create %s", n)
		}
	}
	if !uniqueK(src) {
		t.Error("New did not create the added collection's index")
	}
	for i := range 3 {
		if _, err := src.db.Collection("test_extra").InsertOne(ctx, bson.M{"_id": i, "k": i}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := src.db.Collection("test_derived").InsertOne(ctx, bson.M{"_id": "rebuilt"}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.db.Collection("not_ours").InsertOne(ctx, bson.M{"_id": "stray"}); err != nil {
		t.Fatal(err)
	}
	if err := src.SaveOffset(ctx, 42); err != nil {
		t.Fatal(err)
	}

	// Backed up: exactly the registry's carried collections.
	var buf bytes.Buffer
	m, err := src.Backup(ctx, &buf, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := manifestNames(m), carriedNames(reg); !slices.Equal(got, want) {
		t.Errorf("backup holds\n%v\nwant\n%v", got, want)
	}

	// Restored: its documents and its index are back, the derived one is
	// there and empty.
	restored := open(t.Name() + "_restored")
	if err := restored.db.Drop(ctx); err != nil { // as a fresh server: not even the collections
		t.Fatal(err)
	}
	if _, err := restored.Restore(ctx, opener(buf.Bytes()), false); err != nil {
		t.Fatal(err)
	}
	if n := count(restored, "test_extra"); n != 3 || !uniqueK(restored) {
		t.Errorf("restored test_extra: %d documents (want 3), unique index %v", n, uniqueK(restored))
	}
	if n := count(restored, "test_derived"); n != 0 {
		t.Errorf("restored test_derived has %d documents, want none", n)
	}
	if have, _ := existing(ctx, restored.db); !slices.Contains(have, "test_derived") || slices.Contains(have, "not_ours") {
		t.Errorf("after the restore the database has %v", have)
	}
	if off, _ := restored.Offset(ctx); off != 42 {
		t.Errorf("restored offset %d", off)
	}

	// Migrated: the same collections, nothing else.
	dst := open(t.Name() + "_dst")
	rs, err := src.MigrateTo(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	var migrated []string
	for _, r := range rs {
		migrated = append(migrated, r.Name)
	}
	if want := carriedNames(reg); !slices.Equal(migrated, want) {
		t.Errorf("migrated\n%v\nwant\n%v", migrated, want)
	}
	if r := byName(rs)["test_extra"]; r.Copied != 3 || count(dst, "test_extra") != 3 || !uniqueK(dst) {
		t.Errorf("migrated test_extra: %+v, %d in the target, index %v", r, count(dst, "test_extra"), uniqueK(dst))
	}
	if n := count(dst, "test_derived"); n != 0 {
		t.Errorf("the derived collection reached the target: %d documents", n)
	}
	if have, _ := existing(ctx, dst.db); slices.Contains(have, "not_ours") {
		t.Error("a collection the registry does not know was migrated")
	}
}
