package store

import (
	"context"
	"testing"
	"time"
)

// One instance among several holds an update's claim; a claim whose holder
// died is taken over after its lease; claims are no processed markers.
func TestClaimUpdate(t *testing.T) {
	s, now := testStore(t)
	ctx := context.Background()
	mustClaim := func(owner string, want bool) {
		t.Helper()
		got, err := s.ClaimUpdate(ctx, 42, owner, time.Minute)
		if err != nil || got != want {
			t.Fatalf("claim by %s: %v, %v; want %v", owner, got, err, want)
		}
	}
	mustClaim("a", true)
	mustClaim("b", false)
	*now = now.Add(2 * time.Minute) // a died while handling
	mustClaim("b", true)
	mustClaim("a", false)
	if err := s.ReleaseUpdate(ctx, 42, "a"); err != nil { // not a's any more: nothing happens
		t.Fatal(err)
	}
	mustClaim("c", false)
	if err := s.ReleaseUpdate(ctx, 42, "b"); err != nil {
		t.Fatal(err)
	}
	mustClaim("c", true)
	if done, err := s.Processed(ctx, 42); err != nil || done {
		t.Errorf("a claim reads as processed: %v, %v", done, err)
	}
	if seen, err := s.ProcessedSince(ctx, 0); err != nil || len(seen) != 0 {
		t.Errorf("ProcessedSince lists claims: %v, %v", seen, err)
	}
}

// Every instance on the database gets the same webhook secret.
func TestWebhookSecretShared(t *testing.T) {
	s, _ := testStore(t)
	a, err := s.WebhookSecret(context.Background())
	if err != nil || len(a) < 40 {
		t.Fatalf("secret %q, %v", a, err)
	}
	b, err := s.WebhookSecret(context.Background())
	if err != nil || a != b {
		t.Errorf("second read %q, %v; want the first", b, err)
	}
}
