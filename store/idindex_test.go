package store

import (
	"context"
	"os"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
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
	// The targets' collections get their index from EnsureTargets until
	// they join the store's list of collections.
	if err := s.EnsureTargets(ctx); err != nil {
		t.Fatal(err)
	}
	for _, n := range append(append([]string(nil), storeCollections...), TargetCollections...) {
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

// TestEveryCollectionIsListed: every collection the store code names is in
// storeCollections (or TargetCollections), so it gets its _id index.
func TestEveryCollectionIsListed(t *testing.T) {
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
			for _, part := range strings.Split(string(src), pre)[1:] {
				name := part[:strings.IndexByte(part, '"')]
				// TargetCollections: indexed by EnsureTargets (targets.go).
				if !contains(storeCollections, name) && !contains(TargetCollections, name) {
					t.Errorf("%s uses collection %q, which storeCollections does not list", e.Name(), name)
				}
			}
		}
	}
}

func contains(list []string, s string) bool { // test helper
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
