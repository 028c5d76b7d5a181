package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"agencybot/domain"
)

// Invite reads where a code leads without using it.
func TestInviteLooksWithoutUsing(t *testing.T) {
	s, _ := testStore(t)
	ctx := context.Background()
	inv, err := s.CreateInvite(ctx, domain.RoleOfficer, "so-y-te", 1, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Invite(ctx, inv.Code)
	if err != nil || got.AgencyKey != "so-y-te" || got.Role != domain.RoleOfficer || got.UsedBy != 0 {
		t.Fatalf("Invite = %+v, %v", got, err)
	}
	if _, _, err := s.ClaimInvite(ctx, inv.Code, domain.Officer{TelegramID: 7, Name: "x"}); err != nil {
		t.Fatalf("looking used the invite: %v", err)
	}
	if got, _ = s.Invite(ctx, inv.Code); got.UsedBy != 7 {
		t.Errorf("after the claim: %+v", got)
	}
	if _, err := s.Invite(ctx, "NOSUCHCODE"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown code: %v", err)
	}
}
