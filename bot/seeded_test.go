package bot

import (
	"bytes"
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"agencybot/store"
	"agencybot/store/storetest"
)

// Each test's database is a copy of a template instead of a seeding: the
// copy holds what SeedDefault writes at the harness's instant, document for
// document and in the same order (the change log's entries are stamped with
// the machine's clock, so of those only what they name is compared).
func TestSeededStoreIsASeeding(t *testing.T) {
	ctx := context.Background()
	name := storetest.DBName(t.Name())
	st, err := store.New(ctx, testClient, name, func() time.Time { return seedInstant })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Drop(context.Background()) })
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	cp, db := seededStore(t, func() time.Time { return seedInstant })
	t.Cleanup(func() { _ = cp.Drop(context.Background()) })
	want := testClient.Database(name)
	names, err := want.ListCollectionNames(ctx, bson.M{})
	if err != nil {
		t.Fatal(err)
	}
	copied := 0
	for _, c := range names {
		w, g := docsOf(t, want.Collection(c)), docsOf(t, db.Collection(c))
		if len(w) != len(g) {
			t.Errorf("%s: %d documents in the copy, %d after a seeding", c, len(g), len(w))
			continue
		}
		copied += len(g)
		for i := range w {
			if c == "rollup_changes" {
				w[i], g[i] = withoutStamps(t, w[i]), withoutStamps(t, g[i])
			}
			if !bytes.Equal(w[i], g[i]) {
				t.Errorf("%s: document %d differs:\ncopy    %s\nseeding %s", c, i, g[i], w[i])
			}
		}
	}
	if copied == 0 {
		t.Error("the seeding wrote nothing")
	}
}

// docsOf reads a collection in its natural order.
func docsOf(t *testing.T, c *mongo.Collection) []bson.Raw {
	t.Helper()
	cur, err := c.Find(context.Background(), bson.M{})
	if err != nil {
		t.Fatal(err)
	}
	var out []bson.Raw
	if err := cur.All(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// withoutStamps is a change-log entry without its wall-clock id and time.
func withoutStamps(t *testing.T, d bson.Raw) bson.Raw {
	t.Helper()
	var m bson.D
	if err := bson.Unmarshal(d, &m); err != nil {
		t.Fatal(err)
	}
	var kept bson.D
	for _, e := range m {
		if e.Key != "_id" && e.Key != "at" {
			kept = append(kept, e)
		}
	}
	out, err := bson.Marshal(kept)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
