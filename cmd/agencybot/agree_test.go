package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"agencybot/chart"
	"agencybot/config"
	"agencybot/domain"
	"agencybot/report"
	"agencybot/store"
)

const agreeAt = "2026-03-10T08:00:00+07:00"

// The summary, the chart's figures, the xlsx "Tổng hợp", the JSON and the
// CSV exports agree on the same data: the seeded plans after officers
// reported (done, late, blocked, progress, evidence), as of 10 March 2026.
func TestEveryOutputAgrees(t *testing.T) {
	env := testEnv(t, nil)
	ctx := context.Background()
	cfg, err := config.Load(env)
	if err != nil {
		t.Fatal(err)
	}
	at, _ := time.Parse(time.RFC3339, agreeAt)
	s := seedReported(t, cfg, at.AddDate(0, 0, -20))
	in, err := s.RollupInput(ctx, report.Base(cfg, at), "", true)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	sum := report.Summarize(in, report.Filter{})
	if sum.ByGroup[report.Late] == 0 || sum.ByStatus[domain.Blocked] == 0 || sum.ByLight[domain.Green] == 0 {
		t.Fatalf("the data does not exercise the groups: %v %v", sum.ByGroup, sum.ByLight)
	}

	dir := t.TempDir()
	if d := os.Getenv("AGENCYBOT_REPORT_OUT"); d != "" {
		dir = d // keep the files to look at
	}
	run := func(args ...string) []byte {
		t.Helper()
		var out, errb bytes.Buffer
		if err := execute(ctx, append(args, "--at", agreeAt), sys(&out, &errb, env)); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errb.String())
		}
		return out.Bytes()
	}

	// The chart: a PNG, whose figures (FiguresOf the summary) carry every
	// assignment's light.
	run("chart", "--out", filepath.Join(dir, "c.png"))
	fh, err := os.Open(filepath.Join(dir, "c.png"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(fh); err != nil {
		t.Errorf("chart is not a PNG: %v", err)
	}
	fh.Close()
	fig := chart.FiguresOf(sum, "vi", 0)
	lights := map[domain.Light]int{}
	for _, b := range fig.Agencies {
		lights[domain.Red] += b.Red
		lights[domain.Yellow] += b.Yellow
		lights[domain.Green] += b.Green
	}
	byLightAssign := map[domain.Light]int{}
	for _, a := range sum.Agencies {
		byLightAssign[domain.Red] += a.Red
		byLightAssign[domain.Yellow] += a.Yellow
		byLightAssign[domain.Green] += a.Green
	}
	if lights[domain.Red] != byLightAssign[domain.Red] || lights[domain.Yellow] != byLightAssign[domain.Yellow] || lights[domain.Green] != byLightAssign[domain.Green] {
		t.Errorf("chart lights %v, summary %v", lights, byLightAssign)
	}
	for i, pl := range sum.Plans {
		if fig.Progress[0].Label == "" || !progressOf(fig, i, pl.Progress) {
			t.Errorf("chart progress of plan %d differs from %d", i, pl.Progress)
		}
	}

	// JSON: per plan, tasks by status, light and group.
	var rows []exportTask
	if err := json.Unmarshal(run("export", "--format", "json"), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != sum.Tasks {
		t.Fatalf("json %d tasks, summary %d", len(rows), sum.Tasks)
	}
	type key struct{ plan, what string }
	jsonCount := map[key]int{}
	for _, r := range rows {
		for _, w := range []string{string(r.Status), string(r.Light), string(r.Group)} {
			jsonCount[key{r.Plan, w}]++
		}
	}
	for _, pl := range sum.Plans {
		for st, n := range pl.ByStatus {
			if jsonCount[key{pl.Plan.Label(), string(st)}] != n {
				t.Errorf("plan %s status %s: json %d, summary %d", pl.Plan.Label(), st, jsonCount[key{pl.Plan.Label(), string(st)}], n)
			}
		}
		for l, n := range pl.ByLight {
			if jsonCount[key{pl.Plan.Label(), string(l)}] != n {
				t.Errorf("plan %s light %s: json %d, summary %d", pl.Plan.Label(), l, jsonCount[key{pl.Plan.Label(), string(l)}], n)
			}
		}
		for g, n := range pl.ByGroup {
			if jsonCount[key{pl.Plan.Label(), string(g)}] != n {
				t.Errorf("plan %s group %s: json %d, summary %d", pl.Plan.Label(), g, jsonCount[key{pl.Plan.Label(), string(g)}], n)
			}
		}
	}

	// CSV: per agency, assignments by light and group.
	recs, err := csv.NewReader(bytes.NewReader(run("export", "--format", "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	if len(recs)-1 != sum.Assignments {
		t.Errorf("csv %d rows, summary %d assignments", len(recs)-1, sum.Assignments)
	}
	csvCount := map[key]int{}
	for _, r := range recs[1:] {
		csvCount[key{r[col["agency_key"]], r[col["light"]]}]++
		csvCount[key{r[col["agency_key"]], r[col["group"]]}]++
	}
	for _, a := range sum.Agencies {
		for _, c := range []struct {
			w string
			n int
		}{{"red", a.Red}, {"yellow", a.Yellow}, {"green", a.Green}, {string(report.Late), a.ByGroup[report.Late]}, {string(report.DoneOnTime), a.ByGroup[report.DoneOnTime]}} {
			if csvCount[key{a.Agency.Key, c.w}] != c.n {
				t.Errorf("agency %s %s: csv %d, summary %d", a.Agency.Key, c.w, csvCount[key{a.Agency.Key, c.w}], c.n)
			}
		}
	}

	// XLSX "Tổng hợp": one row per plan, the total, one row per agency.
	run("export", "--format", "xlsx", "--out", filepath.Join(dir, "r.xlsx"))
	x, err := excelize.OpenFile(filepath.Join(dir, "r.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	xrows, err := x.GetRows("Tổng hợp")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string][]string{}
	for _, r := range xrows {
		if len(r) >= 12 {
			byName[r[0]] = r
		}
	}
	check := func(name string, c report.Counts) {
		r, ok := byName[name]
		if !ok {
			t.Errorf("xlsx has no row %q", name)
			return
		}
		want := []int{c.Tasks, c.ByGroup[report.DoneOnTime], c.ByGroup[report.DoneLate], c.ByGroup[report.OnTrack], c.ByGroup[report.Late],
			c.Waiting, c.ByLight[domain.Green], c.ByLight[domain.Yellow], c.ByLight[domain.Red], c.Unreported, c.Progress}
		for i, w := range want {
			if got, _ := strconv.Atoi(r[i+1]); got != w {
				t.Errorf("xlsx %q column %d = %s, summary %d", name, i+2, r[i+1], w)
			}
		}
	}
	check("Tổng cộng", sum.Counts)
	for _, pl := range sum.Plans {
		n := pl.Plan.Label()
		if pl.Plan.Number == "" || pl.Plan.Number[0] == '/' {
			n = "Kế hoạch " + strconv.Itoa(pl.Plan.Year)
		}
		check(n, pl.Counts)
	}
	for _, a := range sum.Agencies {
		check(a.Agency.Name, a.Counts)
	}
}

// progressOf tells whether the chart's bar of the i-th plan shows p.
func progressOf(f chart.Figures, i, p int) bool {
	n := -1
	for _, b := range f.Progress {
		if b.Plan {
			n++
			if n == i {
				return b.Progress == p
			}
		}
	}
	return false
}

// seedReported seeds the plans into cfg's embedded database and has
// officers report on a third of the assignments at clock: done (with the
// decision they issued as the note and its file), 40 %, blocked (with what
// they need) or a file sent. The store is left open for the caller to read.
func seedReported(t *testing.T, cfg config.Config, clock time.Time) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{DataDir: cfg.DataDir, Database: cfg.MongoDatabase, Clock: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	all, err := s.AllAssignments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := func(v int) *int { return &v }
	officer := func(ch domain.Change) domain.Change {
		ch.OfficerID, ch.OfficerName = 7, "Lê Văn Tâm"
		return ch
	}
	for i, a := range all {
		if i%3 != 0 {
			continue
		}
		var chs []domain.Change
		switch (i / 3) % 4 {
		case 0:
			chs = []domain.Change{{Kind: domain.SetStatus, Status: domain.Done},
				{Kind: domain.AddNote, Note: "Đã ban hành Quyết định số " + strconv.Itoa(100+i) + "/QĐ-UBND ngày 15/02/2026"},
				{Kind: domain.AddEvidence, Evidence: &domain.Evidence{Name: "qd-" + strconv.Itoa(100+i) + ".pdf"}}}
		case 1:
			chs = []domain.Change{{Kind: domain.SetProgress, Progress: p(40)}}
		case 2:
			chs = []domain.Change{{Kind: domain.SetStatus, Status: domain.Blocked}, {Kind: domain.AddNote, Note: "Thiếu kinh phí, đề nghị Sở Tài chính bố trí"}}
		case 3:
			chs = []domain.Change{{Kind: domain.AddEvidence, Evidence: &domain.Evidence{Name: "bao-cao.pdf"}}}
		}
		for _, ch := range chs {
			if _, _, err := s.Apply(ctx, a.ID, officer(ch)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return s
}
