package scheduler

import (
	"context"
	"testing"
	"time"

	"agencybot/store"
	"agencybot/store/storetest"
)

// NewTestStore opens a fresh database on the package's shared test server
// for the external tests (package scheduler_test), dropped at cleanup.
func NewTestStore(t testing.TB, clock func() time.Time) *store.Store {
	t.Helper()
	st, err := store.New(context.Background(), testClient, storetest.DBName(t.Name()), clock)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Drop(context.Background()) })
	return st
}
