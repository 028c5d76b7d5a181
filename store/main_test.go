package store

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// The store tests run against one embedded FerretDB per package, or against
// MONGODB_URI when it is set: the same tests on both backends.
var (
	testClient  *mongo.Client
	testDataDir string
	dbCounter   atomic.Int64
)

func TestMain(m *testing.M) { os.Exit(runTests(m)) }

func runTests(m *testing.M) int {
	ctx := context.Background()
	uri := os.Getenv("MONGODB_URI")
	single := false
	if uri == "" {
		dir, err := os.MkdirTemp("", "agencybot-store-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		testDataDir = dir
		emb, err := StartEmbedded(ctx, dir+"/shared", nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer emb.Stop()
		uri, single = emb.URI, true
	}
	c, err := Connect(ctx, uri, single)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer c.Disconnect(ctx)
	testClient = c
	return m.Run()
}

var nonName = regexp.MustCompile(`[^A-Za-z0-9]+`)

// testStore gives the test its own database on the shared server, with a
// fixed clock that the test may move.
func testStore(t testing.TB) (*Store, *time.Time) {
	t.Helper()
	name := nonName.ReplaceAllString(t.Name(), "_")
	if len(name) > 40 {
		name = name[:40]
	}
	name = fmt.Sprintf("t%d_%s", dbCounter.Add(1), name)
	now := time.Date(2025, 12, 24, 8, 0, 0, 0, testLoc)
	s, err := New(context.Background(), testClient, name, func() time.Time { return now })
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = s.Drop(context.Background()) })
	return s, &now
}

var testLoc = mustLoc("Asia/Ho_Chi_Minh")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}
