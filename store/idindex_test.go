package store

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// TestLookupsByIDUseAnIndex: on the embedded backend every collection the
// store uses answers a find by _id from an index, not by scanning the table
// (FerretDB v1.24's own _id index is on another expression; see
// store/embedded/idindex.go). MongoDB always has the _id index.
func TestLookupsByIDUseAnIndex(t *testing.T) {
	if os.Getenv("MONGODB_URI") != "" {
		t.Skip("MongoDB serves _id from its own index; the explain output below is FerretDB's")
	}
	s, _ := testStore(t)
	ctx := context.Background()
	for _, n := range registry.names() {
		var res struct {
			QueryPlanner struct{ Plan []string } `bson:"queryPlanner"`
			Pushdown     bool                    `bson:"filterPushdown"`
		}
		// A connection notices an index made by another one at its next
		// statement: one lookup first, as the bot's first request does.
		_ = s.db.Collection(n).FindOne(ctx, bson.M{"_id": "x"}).Err()
		cmd := bson.D{{Key: "explain", Value: bson.D{{Key: "find", Value: n}, {Key: "filter", Value: bson.M{"_id": "x"}}}}}
		if err := s.db.RunCommand(ctx, cmd).Decode(&res); err != nil {
			t.Fatalf("explain find in %s: %v", n, err)
		}
		plan := strings.Join(res.QueryPlanner.Plan, "; ")
		if !res.Pushdown || !strings.Contains(plan, "USING INDEX") || strings.Contains(plan, "SCAN") {
			t.Errorf("find by _id in %s: pushdown %v, plan %q; want a search using an index", n, res.Pushdown, plan)
		}
	}
}

// TestEveryCollectionIsInTheRegistry: the registry is the only list of
// collections. Store code reaches a collection through its Store field, set
// by its registry entry (so it is created, indexed and given its _id index,
// backed up and migrated); no code names a collection by a literal.
func TestEveryCollectionIsInTheRegistry(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		src, err := os.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, pre := range []string{`Collection("`, `coll("`} {
			if n := strings.Count(string(src), pre); n > 0 {
				t.Errorf("%s names a collection by a literal %d times (%s…\"): add it to the registry and use its field", e.Name(), n, pre)
			}
		}
	}

	s, _ := testStore(t)
	names := map[string]bool{}
	fields := map[**mongo.Collection]string{}
	for _, c := range registry {
		if names[c.name] {
			t.Errorf("%s is twice in the registry", c.name)
		}
		names[c.name] = true
		if c.field == nil {
			t.Errorf("%s has no Store field", c.name)
			continue
		}
		f := c.field(s)
		if other, dup := fields[f]; dup {
			t.Errorf("%s and %s share a Store field", c.name, other)
		}
		fields[f] = c.name
		if *f == nil || (*f).Name() != c.name || (*f).Database().Name() != s.db.Name() {
			t.Errorf("the field of %s holds %v", c.name, *f)
		}
		if c.inPlace && c.derived {
			t.Errorf("%s is both state and derived", c.name)
		}
	}
	// Every collection field of Store is some entry's.
	v := reflect.ValueOf(s).Elem()
	collType := reflect.TypeFor[*mongo.Collection]()
	for i := range v.NumField() {
		if v.Type().Field(i).Type != collType {
			continue
		}
		p := (**mongo.Collection)(v.Field(i).Addr().UnsafePointer())
		if _, ok := fields[p]; !ok {
			t.Errorf("Store.%s is a collection no registry entry sets", v.Type().Field(i).Name)
		}
	}
	if names["report_marks"] {
		t.Error("report_marks is back: nothing uses it")
	}
}
