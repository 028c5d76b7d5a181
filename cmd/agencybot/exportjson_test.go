package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"agencybot/config"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/store"
)

// The JSON export carries per agency's part its current date, the plan's,
// its extensions (approved with another date, refused) and its proof (the
// document's number and date, the files), with the waiting-for-review state.
func TestExportCarriesExtensionsAndProof(t *testing.T) {
	env := testEnv(t, nil)
	ctx := context.Background()
	cfg, err := config.Load(env)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2025, 12, 24, 8, 0, 0, 0, cfg.Location)
	s, err := store.Open(ctx, store.Options{DataDir: cfg.DataDir, Database: cfg.MongoDatabase, Clock: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	day := func(iso string) deadline.Date { d, _ := deadline.ParseDate(iso); return d }
	ext := domain.AssignmentID("25-10", "so-khcn")
	for _, e := range []struct {
		key, asked, reason string
		d                  store.Decision
	}{
		{"1", "2026-03-31", "Chờ ý kiến các sở", store.Decision{Approve: true, To: day("2026-02-28"), By: 1, ByName: "Quản Trị", Key: "2"}},
		{"3", "2026-04-30", "Thiếu kinh phí", store.Decision{Refusal: "Đã gia hạn một lần", By: 1, ByName: "Quản Trị", Key: "4"}},
	} {
		a, _ := s.Assignment(ctx, ext)
		if _, err := s.RequestExtension(ctx, store.Extension{Key: e.key, AssignmentID: ext, TaskCode: "25-10", AgencyKey: "so-khcn", From: a.Due,
			Asked: day(e.asked), Reason: e.reason, RequestedBy: 100, RequestName: "Nguyễn An"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.DecideExtension(ctx, ext, e.key, e.d); err != nil {
			t.Fatal(err)
		}
	}
	done := domain.AssignmentID("25-3", "so-y-te")
	moved, _, err := s.Apply(ctx, done, domain.Change{OfficerID: 100, OfficerName: "Trần Bình", Kind: domain.SetStatus, Status: domain.Done})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.OpenReview(ctx, moved, 100, "Trần Bình"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddProof(ctx, done, "Quyết định số 123/QĐ-UBND ngày 05/11/2025", nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Apply(ctx, done, domain.Change{OfficerID: 100, OfficerName: "Trần Bình", Kind: domain.AddEvidence,
		Evidence: &domain.Evidence{FileID: "F1", Name: "qd-123.pdf", Mime: "application/pdf", Size: 2048, Kind: "document"}, Note: "Bản ký số"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}

	var out, errb bytes.Buffer
	if err := execute(ctx, []string{"export", "--format", "json", "--at", "2025-12-24T09:00:00+07:00"}, sys(&out, &errb, env)); err != nil {
		t.Fatalf("export: %v\n%s", err, errb.String())
	}
	var rows []exportTask
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	line := func(code, agency string) exportLine {
		for _, r := range rows {
			for _, l := range r.Agencies {
				if r.Code == code && l.AgencyKey == agency {
					return l
				}
			}
		}
		t.Fatalf("no line %s/%s", code, agency)
		return exportLine{}
	}
	l := line("25-10", "so-khcn")
	if l.Due == nil || *l.Due != "2026-02-28" || l.DueOriginal == nil || *l.DueOriginal != "2025-12-31" || len(l.Extensions) != 2 {
		t.Fatalf("25-10's part: due %v, original %v, %d extensions", l.Due, l.DueOriginal, len(l.Extensions))
	}
	if e := l.Extensions[0]; e.To != "2026-02-28" || e.Asked != "2026-03-31" || e.Reason != "Chờ ý kiến các sở" || e.RequestedBy != "Nguyễn An" ||
		e.DecidedBy != "Quản Trị" || e.Decision != "approved" || e.At == nil {
		t.Errorf("the first extension: %+v", e)
	}
	if e := l.Extensions[1]; e.Decision != "refused" || e.Refusal != "Đã gia hạn một lần" || e.From != "2026-02-28" || e.To != "2026-04-30" {
		t.Errorf("the second extension: %+v", e)
	}
	p := line("25-3", "so-y-te")
	if !p.Waiting || p.ProofText != "Quyết định số 123/QĐ-UBND ngày 05/11/2025" || len(p.Files) != 1 || p.Files[0].Name != "qd-123.pdf" || p.Files[0].Mime != "application/pdf" || p.Files[0].Caption != "Bản ký số" {
		t.Errorf("25-3's proof: waiting %v, %q, files %+v", p.Waiting, p.ProofText, p.Files)
	}
	if o := line("25-3", "so-khcn"); o.Due == nil || *o.Due != "2025-12-31" || *o.DueOriginal != "2025-12-31" || o.Extensions == nil || len(o.Extensions) != 0 || o.Files == nil {
		t.Errorf("a part never extended: %+v", o)
	}
	if !bytes.Contains(out.Bytes(), []byte(`"extensions": []`)) || !bytes.Contains(out.Bytes(), []byte(`"due_original": "2025-12-31"`)) {
		t.Error("the JSON lacks the documented fields")
	}
}
