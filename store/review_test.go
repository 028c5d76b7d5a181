package store

import (
	"context"
	"errors"
	"testing"

	"agencybot/domain"
)

// Issue 20: a waiting review keeps every text and file of its proof in the
// order given, each once (a replayed update adds nothing); once decided it
// takes no more, and a second decision says who decided, by which update.
func TestReviewProofInAnyOrderOnce(t *testing.T) {
	s, _ := testStore(t)
	ctx := context.Background()
	a := domain.Assignment{ID: "25-3/so-y-te", TaskCode: "25-3", AgencyKey: "so-y-te"}
	if ok, err := s.AddProof(ctx, a.ID, "Quyết định số 1", nil); ok || err != nil {
		t.Fatalf("proof without a review: %v %v", ok, err)
	}
	if err := s.OpenReview(ctx, a, 100, "Nguyễn An"); err != nil {
		t.Fatal(err)
	}
	pdf := &ReviewFile{FileID: "f1", UniqueID: "u1", Name: "qd.pdf", Kind: "document", Caption: "Bản ký số"}
	for i := 0; i < 2; i++ { // the second time: a replay
		if ok, err := s.AddProof(ctx, a.ID, "", pdf); !ok || err != nil {
			t.Fatalf("file: %v %v", ok, err)
		}
		if ok, err := s.AddProof(ctx, a.ID, "Quyết định số 123/QĐ-UBND", nil); !ok || err != nil {
			t.Fatalf("text: %v %v", ok, err)
		}
	}
	if _, err := s.AddProof(ctx, a.ID, "Bản ký số", &ReviewFile{FileID: "f2", UniqueID: "u2", Name: "anh.jpg", Kind: "photo"}); err != nil {
		t.Fatal(err)
	}
	r, err := s.ReviewOf(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.ProofText(); got != "Quyết định số 123/QĐ-UBND; Bản ký số" {
		t.Errorf("proof text %q", got)
	}
	if r.FileCount() != 2 || r.Docs[0].Name != "qd.pdf" || r.Docs[0].Caption != "Bản ký số" || r.Docs[1].FileID != "f2" {
		t.Errorf("files %+v", r.Docs)
	}
	if _, err := s.DecideReview(ctx, a.ID, true, 1, "Quản Trị", "", "tg:42"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.AddProof(ctx, a.ID, "Quyết định số 9", nil); ok || err != nil {
		t.Errorf("proof added to a decided review: %v %v", ok, err)
	}
	again, err := s.DecideReview(ctx, a.ID, false, 1, "Quản Trị", "", "tg:43")
	if !errors.Is(err, ErrReviewDecided) || again.DecidedBy != "tg:42" || again.State != ReviewAccepted {
		t.Errorf("second decision: %+v %v", again, err)
	}
	all, err := s.Reviews(ctx)
	if err != nil || all[a.ID].State != ReviewAccepted || len(all[a.ID].Docs) != 2 {
		t.Errorf("Reviews: %+v %v", all, err)
	}
}
