package chart

import (
	"image/color"
	"io"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
)

// The page of targets: one panel per target, the plan's path (baseline,
// milestones, target) dashed against the values reported by year, under a
// heading with the target's light.

// TargetInput is a target with its history (store.TargetRecord's shape).
type TargetInput struct {
	Target  domain.Target
	History []domain.TargetValue
}

// YearValue is one point of a panel; Text is a plan's number as written
// ("trên 40%"), "" for a reported value.
type YearValue struct {
	Year  int
	Value float64
	Text  string
}

// TargetPanel is what one target's panel shows.
type TargetPanel struct {
	Label  string // "5. Nguồn nhân lực … (người/1 vạn dân)"
	Light  domain.TargetLight
	From   int         // the first year tracked: the years across start there (or at the baseline's)
	Plan   []YearValue // the plan's numbers by year
	Actual []YearValue // the values reported, one a year
}

// TargetFigures is everything the page shows.
type TargetFigures struct {
	Today  deadline.Date
	Panels []TargetPanel
}

// TargetFiguresOf takes the page's figures from the targets on day today:
// each one's light (domain.JudgeTarget) and its yearly values
// (domain.YearlyValues), so the page agrees with what /targets says.
func TargetFiguresOf(in []TargetInput, today deadline.Date) TargetFigures {
	f := TargetFigures{Today: today}
	for _, x := range in {
		t := x.Target
		p := TargetPanel{Label: t.Number + ". " + t.Name, Light: domain.JudgeTarget(t, x.History, today).Light, From: t.From}
		if t.Unit != "" {
			p.Label += " (" + t.Unit + ")"
		}
		for _, m := range t.Points() {
			if m.Year != 0 {
				p.Plan = append(p.Plan, YearValue{m.Year, m.Value, m.Text})
			}
		}
		for _, v := range domain.YearlyValues(domain.CurrentValues(x.History)) {
			p.Actual = append(p.Actual, YearValue{Year: v.Year, Value: v.Value})
		}
		f.Panels = append(f.Panels, p)
	}
	return f
}

// RenderTargets draws the targets' page as a PNG into w, as wide as the
// summary's chart.
func RenderTargets(w io.Writer, f TargetFigures, lang string) error {
	l := i18n.Lang(lang)
	if l != i18n.EN {
		l = i18n.VI
	}
	titleSty, headSty, capSty := style(19, true), style(14, true), style(12, false)
	caption := wrap(i18n.T(l, "chart.targets.caption", dmy(f.Today)), capSty, width-2*margin)
	const panelH = vg.Length(190)
	heads := make([][]string, len(f.Panels))
	height := vg.Length(60) + legendRowH
	for i, p := range f.Panels {
		heads[i] = wrap(p.Label, headSty, width-2*margin)
		height += vg.Length(len(heads[i]))*headSty.Height("Ằ")*1.2 + 22 + panelH
	}
	if len(f.Panels) == 0 {
		height += 40
	}
	capH := vg.Length(len(caption))*capSty.Height("Ằ")*1.25 + margin
	height += capH + margin

	c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(c)
	top := height - margin
	dc.FillText(titleSty, vg.Point{X: margin, Y: top}, i18n.T(l, "chart.targets.title"))
	dc.FillText(style(14, false), vg.Point{X: margin, Y: top - 26}, dmy(f.Today))
	top -= 60
	targetLegend(&dc, top, l)
	top -= legendRowH
	if len(f.Panels) == 0 {
		dc.FillText(headSty, vg.Point{X: margin, Y: top}, i18n.T(l, "chart.targets.none"))
		top -= 40
	}
	for i, p := range f.Panels {
		for _, line := range heads[i] {
			dc.FillText(headSty, vg.Point{X: margin, Y: top}, line)
			top -= headSty.Height("Ằ") * 1.2
		}
		lc := lightColor(p.Light)
		dc.FillPolygon(lc, []vg.Point{{X: margin, Y: top - 3}, {X: margin + 12, Y: top - 3}, {X: margin + 12, Y: top - 15}, {X: margin, Y: top - 15}})
		dc.FillText(style(12, false), vg.Point{X: margin + 18, Y: top - 1}, i18n.T(l, "target.light."+string(p.Light)))
		top -= 22
		pl, err := targetPlot(p, l)
		if err != nil {
			return err
		}
		pl.Draw(draw.Crop(dc, margin/2, -margin, top-panelH, -(height - top)))
		top -= panelH
	}
	return finishPNG(w, c, dc, capSty, caption, top)
}

// legendRowH is the height of the page's legend: one line.
const legendRowH = vg.Length(26)

var (
	planColor   = blue
	actualColor = color.RGBA{R: 0x20, G: 0x20, B: 0x20, A: 0xff}
	noDataColor = color.Gray{Y: 0xa0}
)

func lightColor(l domain.TargetLight) color.Color {
	switch l {
	case domain.OnTrack:
		return green
	case domain.Behind:
		return red
	}
	return noDataColor
}

// targetLegend draws what the dashed line with rings and the dots are.
func targetLegend(dc *draw.Canvas, y vg.Length, l i18n.Lang) {
	sty := style(12, false)
	x := margin
	dc.StrokeLine2(draw.LineStyle{Color: planColor, Width: 2, Dashes: []vg.Length{5, 3}}, x, y-8, x+24, y-8)
	draw.RingGlyph{}.DrawGlyph(dc, draw.GlyphStyle{Color: planColor, Radius: 4, Shape: draw.RingGlyph{}}, vg.Point{X: x + 12, Y: y - 8})
	dc.FillText(sty, vg.Point{X: x + 30, Y: y}, i18n.T(l, "chart.targets.plan"))
	x += 30 + sty.Width(i18n.T(l, "chart.targets.plan")) + 24
	draw.CircleGlyph{}.DrawGlyph(dc, draw.GlyphStyle{Color: actualColor, Radius: 4, Shape: draw.CircleGlyph{}}, vg.Point{X: x + 6, Y: y - 8})
	dc.FillText(sty, vg.Point{X: x + 16, Y: y}, i18n.T(l, "chart.targets.actual"))
}

// targetPlot is one panel: years across, the plan's path dashed with hollow
// marks, the values reported joined with filled dots and labelled with
// their numbers, written as the language writes them (9,5 / 9.5).
func targetPlot(p TargetPanel, l i18n.Lang) (*plot.Plot, error) {
	pl := newPlot()
	pl.Y.Tick.Label.XAlign, pl.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	first, last := 0, 0
	lo, hi := 0.0, 0.0
	seen := func(y int, v float64) {
		if first == 0 || y < first {
			first = y
		}
		last = max(last, y)
		lo, hi = min(lo, v), max(hi, v)
	}
	for _, v := range append(append([]YearValue(nil), p.Plan...), p.Actual...) {
		seen(v.Year, v.Value)
	}
	if p.From != 0 && p.From < first {
		first = p.From
	}
	if len(p.Plan) > 0 {
		xy := make(plotter.XYs, len(p.Plan))
		var labels plotter.XYLabels
		for i, v := range p.Plan {
			xy[i] = plotter.XY{X: float64(v.Year), Y: v.Value}
			if v.Text != "" {
				labels.XYs, labels.Labels = append(labels.XYs, xy[i]), append(labels.Labels, v.Text)
			}
		}
		line, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		line.Color, line.Width, line.Dashes = planColor, 2, []vg.Length{5, 3}
		pts.Shape, pts.Color, pts.Radius = draw.RingGlyph{}, planColor, 4
		pl.Add(line, pts)
		if len(labels.XYs) > 0 {
			lb, err := plotter.NewLabels(labels)
			if err != nil {
				return nil, err
			}
			for i := range lb.TextStyle {
				lb.TextStyle[i] = style(11, false)
				lb.TextStyle[i].Color = planColor
				lb.TextStyle[i].XAlign, lb.TextStyle[i].YAlign = draw.XRight, draw.YTop
			}
			lb.Offset = vg.Point{X: -4, Y: -6}
			pl.Add(lb)
		}
	}
	if len(p.Actual) > 0 {
		xy := make(plotter.XYs, len(p.Actual))
		var labels plotter.XYLabels
		for i, v := range p.Actual {
			xy[i] = plotter.XY{X: float64(v.Year), Y: v.Value}
			labels.XYs = append(labels.XYs, xy[i])
			labels.Labels = append(labels.Labels, i18n.Number(l, v.Value))
		}
		line, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		line.Color, line.Width = actualColor, 1.5
		pts.Shape, pts.Color, pts.Radius = draw.CircleGlyph{}, actualColor, 4
		lb, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, err
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i] = style(11, true)
			lb.TextStyle[i].XAlign, lb.TextStyle[i].YAlign = draw.XCenter, draw.YBottom
		}
		lb.Offset = vg.Point{Y: 6}
		pl.Add(line, pts, lb)
	} else {
		x := float64(first+last) / 2
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: []plotter.XY{{X: x, Y: (lo + hi) / 2}}, Labels: []string{i18n.T(l, "chart.targets.no_values")}})
		if err != nil {
			return nil, err
		}
		lb.TextStyle[0] = style(12, false)
		lb.TextStyle[0].Color = noDataColor
		lb.TextStyle[0].XAlign, lb.TextStyle[0].YAlign = draw.XCenter, draw.YCenter
		pl.Add(lb)
	}
	var ticks []plot.Tick
	for y := first; y <= last; y++ {
		ticks = append(ticks, plot.Tick{Value: float64(y), Label: strconv.Itoa(y)})
	}
	pl.X.Tick.Marker = plot.ConstantTicks(ticks)
	pl.X.Min, pl.X.Max = float64(first)-0.5, float64(last)+0.5
	span := hi - lo
	if span == 0 {
		span = 1
	}
	pl.Y.Min, pl.Y.Max = lo, hi+span*0.25 // room for the labels above the dots
	pl.Y.Tick.Marker = numberTicks{l}
	return pl, nil
}

// numberTicks are gonum's default ticks written as the language writes
// numbers.
type numberTicks struct{ l i18n.Lang }

func (t numberTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = i18n.Number(t.l, ticks[i].Value)
		}
	}
	return ticks
}
