package ops

import (
	"context"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"agencybot/store"
	"agencybot/store/storetest"
)

var testClient *mongo.Client

func TestMain(m *testing.M) { os.Exit(storetest.Main(m.Run, &testClient)) }

var hcm = mustLoc("Asia/Ho_Chi_Minh")

func mustLoc(n string) *time.Location {
	l, err := time.LoadLocation(n)
	if err != nil {
		panic(err)
	}
	return l
}

// testStore is a store on its own database with a clock the test moves.
func testStore(t *testing.T) (*store.Store, *time.Time) {
	t.Helper()
	now := time.Date(2025, 12, 24, 8, 30, 0, 0, hcm)
	s, err := store.New(context.Background(), testClient, storetest.DBName(t.Name()), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Drop(context.Background()) })
	return s, &now
}

var _ Data = (*store.Store)(nil)
