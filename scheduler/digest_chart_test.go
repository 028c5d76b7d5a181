package scheduler_test

import (
	"bytes"
	"context"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"agencybot/domain"
	"agencybot/report"
	"agencybot/scheduler"
	"agencybot/tgserver"
)

// The weekly digest goes through the outbox with /chart's image: each
// leader receives the digest text and the PNG once, even when the run is
// repeated, and the digest's counts are the one roll-up's.
func TestDigestAttachesTheChartOnce(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cfg := loadConfig(t, map[string]string{})
	monday := time.Date(2025, 12, 29, 7, 30, 0, 0, cfg.Location)
	srv, sender := fakeAPI(t, tgserver.Options{})
	st := scheduler.NewTestStore(t, func() time.Time { return monday })
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	const vi, en = 7001, 7002
	for id, lang := range map[int64]string{vi: "vi", en: "en"} {
		if err := st.SaveOfficer(ctx, domain.Officer{TelegramID: id, Role: domain.RoleLeader, Active: true, Lang: lang, Name: "Leader"}); err != nil {
			t.Fatal(err)
		}
	}
	s, err := scheduler.New(scheduler.Deps{Store: st, Sender: sender, Config: cfg, Clock: func() time.Time { return monday }})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.RunDigest(ctx, monday); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	in, err := st.RollupInput(ctx, report.Input{Now: monday, Loc: cfg.Location, Policy: domain.PolicyFor(cfg.SoonDays, cfg.ReportPeriod)}, "", false)
	if err != nil {
		t.Fatal(err)
	}
	sum := report.New(in, report.Filter{}).Summary()
	for id, want := range map[int64]string{vi: "Tổng hợp tuần", en: "Weekly digest"} {
		var texts, photos []tgserver.Sent
		for _, m := range srv.SentTo(id) {
			switch m.Method {
			case "sendMessage":
				texts = append(texts, m)
			case "sendPhoto":
				photos = append(photos, m)
			}
		}
		digest := strings.Join(append(sentTexts(texts), sentCaptions(photos)...), "\n")
		if len(photos) != 1 || !strings.Contains(digest, want) {
			t.Fatalf("leader %d: %d texts, %d photos, text %q", id, len(texts), len(photos), digest)
		}
		if !strings.Contains(digest, "<b>"+itoa(sum.Tasks)+"</b>") {
			t.Errorf("leader %d: the digest does not count the roll-up's %d tasks: %q", id, sum.Tasks, digest)
		}
		f, ok := srv.File(photos[0].FileID)
		if !ok {
			t.Fatal("photo not stored")
		}
		img, err := png.Decode(bytes.NewReader(f.Content))
		if err != nil || img.Bounds().Dx() < 1000 {
			t.Errorf("leader %d: the attached chart is not the full-width PNG: %v", id, err)
		}
	}
}

func sentTexts(s []tgserver.Sent) []string {
	var out []string
	for _, m := range s {
		out = append(out, m.Text)
	}
	return out
}

func sentCaptions(s []tgserver.Sent) []string {
	var out []string
	for _, m := range s {
		out = append(out, m.Caption)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
