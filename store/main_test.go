package store

import (
	"context"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"agencybot/store/storetest"
)

// The store tests run against one embedded FerretDB per package, or against
// MONGODB_URI when it is set: the same tests on both backends.
var testClient *mongo.Client

func TestMain(m *testing.M) { os.Exit(storetest.Main(m.Run, &testClient)) }

// testStore gives the test its own database on the shared server, with a
// fixed clock that the test may move.
func testStore(t testing.TB) (*Store, *time.Time) {
	t.Helper()
	name := storetest.DBName(t.Name())
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
