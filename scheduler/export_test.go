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

// DrainOnce is one drain of the dispatch loop: it returns the instant the
// loop would wake for a deferred message (zero if none), so that external
// tests can move a fake clock as the loop would wait.
func (s *Scheduler) DrainOnce(ctx context.Context) (time.Time, error) { return s.drain(ctx) }

// PollInterval is how long the dispatch loop waits at most between drains.
const PollInterval = pollInterval

// BackoffCap is the longest wait between two tries of a message.
const BackoffCap = backoffCap
