package chart

import (
	"bytes"
	"image/color"
	"image/png"
	"os"
	"testing"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/seeds"
)

// seedTargetInputs are plan 2026's targets with two values reported on the
// research staff target (2026 below its 9,5 milestone after a correction
// withdrew 9,8) and one on the digital-transformation index.
func seedTargetInputs(t *testing.T) []TargetInput {
	t.Helper()
	files, err := seeds.Targets()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 20, 9, 0, 0, 0, time.UTC)
	var in []TargetInput
	for _, st := range files[0].Targets {
		d, err := st.Domain(files[0].Plan, "26")
		if err != nil {
			t.Fatal(err)
		}
		x := TargetInput{Target: d}
		switch d.ID {
		case "26-CT5":
			x.History = []domain.TargetValue{
				{ID: "26-CT5#1", Version: 1, Kind: domain.ReportValue, Year: 2025, Value: 8.7, At: at},
				{ID: "26-CT5#2", Version: 2, Kind: domain.ReportValue, Year: 2026, Value: 9.8, At: at},
				{ID: "26-CT5#3", Version: 3, Kind: domain.CorrectionValue, Corrects: "26-CT5#2", At: at},
				{ID: "26-CT5#4", Version: 4, Kind: domain.ReportValue, Year: 2026, Value: 9.1, At: at},
			}
		case "26-CT4":
			x.History = []domain.TargetValue{{ID: "26-CT4#1", Version: 1, Kind: domain.ReportValue, Year: 2026, Value: 0.78, At: at}}
		}
		in = append(in, x)
	}
	return in
}

// The page's figures are the targets' own: the plan's numbers by year, one
// value a year (a withdrawn one left out), the light JudgeTarget gives.
func TestTargetFiguresAreTheTargets(t *testing.T) {
	f := TargetFiguresOf(seedTargetInputs(t), deadline.Date{Year: 2026, Month: 12, Day: 24})
	if len(f.Panels) != 5 {
		t.Fatalf("%d panels", len(f.Panels))
	}
	staff, dti, first := f.Panels[4], f.Panels[3], f.Panels[0]
	if staff.Label != "5. Nguồn nhân lực nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo (người/1 vạn dân)" || staff.Light != domain.Behind ||
		len(staff.Plan) != 2 || staff.Plan[0] != (YearValue{2026, 9.5, "9,5 người/1 vạn dân"}) || staff.Plan[1] != (YearValue{2030, 12, "12 người trên một vạn dân"}) ||
		len(staff.Actual) != 2 || staff.Actual[1] != (YearValue{Year: 2026, Value: 9.1}) {
		t.Errorf("research staff panel %+v", staff)
	}
	if dti.Light != domain.OnTrack || len(dti.Actual) != 1 {
		t.Errorf("DTI panel %+v", dti)
	}
	if first.Light != domain.NoData || len(first.Actual) != 0 || len(first.Plan) != 1 {
		t.Errorf("first panel %+v", first)
	}
}

// nearly tells whether c is within a few steps of want (anti-aliasing).
func nearly(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, b uint8) int { x := int(a>>8) - int(b); return max(x, -x) }
	return d(r, want.R) < 12 && d(g, want.G) < 12 && d(b, want.B) < 12
}

// The page is a PNG as wide as the summary's chart, a panel per target,
// drawn (not blank), with a light's colour for a target behind (red) and one
// on track (green); with no targets it says so, still an image.
func TestRenderTargetsPage(t *testing.T) {
	f := TargetFiguresOf(seedTargetInputs(t), deadline.Date{Year: 2026, Month: 12, Day: 24})
	for _, c := range []struct {
		name string
		f    TargetFigures
		lang string
	}{{"vi", f, "vi"}, {"en", f, "en"}, {"none", TargetFigures{Today: f.Today}, "vi"}} {
		var buf bytes.Buffer
		if err := RenderTargets(&buf, c.f, c.lang); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		img, err := png.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", c.name, err)
		}
		b := img.Bounds()
		if b.Dx() != 1080 || b.Dy() < 200 {
			t.Errorf("%s: %v, want 1080 px wide", c.name, b)
		}
		if len(c.f.Panels) == 5 && b.Dy() < 5*380 {
			t.Errorf("%s: %d px high for five panels of 380 px", c.name, b.Dy())
		}
		inked, reds, greens := 0, 0, 0
		for y := b.Min.Y; y < b.Max.Y; y += 2 {
			for x := b.Min.X; x < b.Max.X; x += 2 {
				px := img.At(x, y)
				if r, g, bl, _ := px.RGBA(); r>>8 < 0xf0 || g>>8 < 0xf0 || bl>>8 < 0xf0 {
					inked++
				}
				if nearly(px, red) {
					reds++
				}
				if nearly(px, green) {
					greens++
				}
			}
		}
		total := (b.Dx() / 2) * (b.Dy() / 2)
		if inked*100 < total {
			t.Errorf("%s: %d of %d sampled pixels drawn: blank", c.name, inked, total)
		}
		if len(c.f.Panels) > 0 && (reds < 20 || greens < 20) {
			t.Errorf("%s: %d red and %d green pixels; want a light of each", c.name, reds, greens)
		}
		if dir := os.Getenv("AGENCYBOT_CHART_OUT"); dir != "" {
			if err := os.WriteFile(dir+"/targets-"+c.name+".png", buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
