package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"agencybot/domain"
)

// Of many racing claimers of one invite, exactly one wins (the test the
// embedded backend's single connection exists for).
func TestRacingInviteClaimsOneWinner(t *testing.T) {
	s, _ := testStore(t)
	ctx := context.Background()
	for round := 0; round < 5; round++ {
		inv, err := s.CreateInvite(ctx, domain.RoleOfficer, "so-khcn", 1, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		var wg sync.WaitGroup
		wins := make(chan int64, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(id int64) {
				defer wg.Done()
				_, _, err := s.ClaimInvite(ctx, inv.Code, domain.Officer{TelegramID: id, Name: "x"})
				if err == nil {
					wins <- id
				} else if !errors.Is(err, ErrInviteUsed) {
					t.Error(err)
				}
			}(int64(100*(round+1) + i))
		}
		wg.Wait()
		close(wins)
		var winners []int64
		for w := range wins {
			winners = append(winners, w)
		}
		if len(winners) != 1 {
			t.Fatalf("round %d: %d winners %v", round, len(winners), winners)
		}
		got, _ := s.Officers(ctx, "so-khcn")
		linked := 0
		for _, o := range got {
			if o.TelegramID == winners[0] {
				linked++
			}
		}
		if linked != 1 {
			t.Errorf("winner %d not linked", winners[0])
		}
	}
	officers, _ := s.Officers(ctx, "so-khcn")
	if len(officers) != 5 {
		t.Errorf("%d officers linked by 5 invites", len(officers))
	}
}

func TestInviteUnknownUsedExpired(t *testing.T) {
	s, now := testStore(t)
	ctx := context.Background()
	if _, _, err := s.ClaimInvite(ctx, "NOPE", domain.Officer{TelegramID: 1}); !errors.Is(err, ErrInviteUnknown) {
		t.Errorf("unknown: %v", err)
	}
	inv, _ := s.CreateInvite(ctx, domain.RoleLeader, "", 9, 7*24*time.Hour)
	if _, o, err := s.ClaimInvite(ctx, inv.Code, domain.Officer{TelegramID: 1, Name: "Lãnh đạo"}); err != nil || o.Role != domain.RoleLeader {
		t.Fatalf("claim: %v %+v", err, o)
	}
	if _, _, err := s.ClaimInvite(ctx, inv.Code, domain.Officer{TelegramID: 2}); !errors.Is(err, ErrInviteUsed) {
		t.Errorf("used: %v", err)
	}
	old, _ := s.CreateInvite(ctx, domain.RoleOfficer, "so-y-te", 9, 7*24*time.Hour)
	*now = now.Add(7*24*time.Hour + time.Second)
	if _, _, err := s.ClaimInvite(ctx, old.Code, domain.Officer{TelegramID: 3}); !errors.Is(err, ErrInviteExpired) {
		t.Errorf("expired: %v", err)
	}
	if _, err := s.Officer(ctx, 3); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired invite linked someone: %v", err)
	}
	leaders, _ := s.Leaders(ctx)
	if len(leaders) != 1 || leaders[0].TelegramID != 1 {
		t.Errorf("leaders = %+v", leaders)
	}
	if ok, _ := s.RevokeOfficer(ctx, 1); !ok {
		t.Error("revoke failed")
	}
	if _, err := s.Officer(ctx, 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoked leader still active: %v", err)
	}
}

func TestOffsetAndProcessedMarkers(t *testing.T) {
	s, _ := testStore(t)
	ctx := context.Background()
	if off, err := s.Offset(ctx); err != nil || off != 0 {
		t.Fatalf("fresh offset %d %v", off, err)
	}
	for _, v := range []int{5, 9, 7} {
		if err := s.SaveOffset(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	if off, _ := s.Offset(ctx); off != 9 {
		t.Errorf("offset = %d, want 9 (never backwards)", off)
	}
	if first, _ := s.MarkProcessed(ctx, 8); !first {
		t.Error("first mark not first")
	}
	if first, _ := s.MarkProcessed(ctx, 8); first {
		t.Error("second mark reported as first")
	}
	if done, _ := s.Processed(ctx, 8); !done {
		t.Error("processed marker not found")
	}
}
