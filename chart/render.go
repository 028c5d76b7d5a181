package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"agencybot/deadline"
	"agencybot/report"
)

// Options shape the image.
type Options struct {
	Lang        string // "vi" (default) or "en"
	MaxAgencies int    // bars of their own; 0 means DefaultMaxAgencies
}

// The image is 1080 px wide (a phone screen's width) at 144 dpi; type is
// 15 pt (30 px), which a phone shows at about the size of chat text.
const (
	dpi      = 144
	width    = vg.Length(540) // points: 7.5 in
	margin   = vg.Length(14)
	rowH     = vg.Length(26)
	labelMax = 30 // runes of an axis label's line; longer labels wrap
	lineH    = vg.Length(15)
)

var (
	red    = color.RGBA{R: 0xd9, G: 0x30, B: 0x25, A: 0xff}
	yellow = color.RGBA{R: 0xf2, G: 0xb7, B: 0x05, A: 0xff}
	green  = color.RGBA{R: 0x2e, G: 0x9e, B: 0x44, A: 0xff}
	blue   = color.RGBA{R: 0x1f, G: 0x5f, B: 0xa8, A: 0xff}
	sky    = color.RGBA{R: 0x7f, G: 0xae, B: 0xe0, A: 0xff}
	grey   = color.Gray{Y: 0x40}
)

// fonts is Liberation Sans (which has every Vietnamese letter), embedded in
// the binary by gonum's liberation package.
var fonts = font.NewCache(liberation.Collection())

func style(size vg.Length, bold bool) text.Style {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{Color: grey, Font: f, Handler: text.Plain{Fonts: fonts}, XAlign: draw.XLeft, YAlign: draw.YTop}
}

// Render draws the summary's chart as a PNG into w.
func Render(w io.Writer, sum report.Summary, o Options) error {
	return RenderFigures(w, FiguresOf(sum, o.Lang, o.MaxAgencies), o.Lang)
}

// RenderFigures draws figures as a PNG into w.
func RenderFigures(w io.Writer, f Figures, lang string) error {
	l := textsFor(lang)
	titleSty, headSty, capSty := style(19, true), style(15, true), style(12, false)
	caption := wrap(fmt.Sprintf(l.caption, dmy(f.Today), f.Scope, f.Tasks, f.Assignments, f.AgencyCount), capSty, width-2*margin)

	agH := vg.Length(0)
	if len(f.Agencies) > 0 {
		agH = vg.Length(len(f.Agencies))*rowHeight(agencyLabels(f.Agencies)) + 60 + legendH
	}
	prH := vg.Length(0)
	if len(f.Progress) > 0 {
		prH = vg.Length(len(f.Progress))*rowHeight(progressLabels(f.Progress)) + 80
	}
	titleH := vg.Length(60)
	capH := vg.Length(len(caption))*capSty.Height("Ằ")*1.25 + margin
	if agH+prH == 0 {
		capH += 40
	}
	height := titleH + agH + prH + capH + margin

	c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(c)
	top := height - margin
	dc.FillText(titleSty, vg.Point{X: margin, Y: top}, l.title)
	dc.FillText(style(14, false), vg.Point{X: margin, Y: top - 26}, dmy(f.Today)+" · "+f.Scope)
	top -= titleH
	if agH+prH == 0 {
		dc.FillText(headSty, vg.Point{X: margin, Y: top}, l.noData)
		top -= 40
	}
	if agH > 0 {
		p, err := agencyPlot(f.Agencies, l)
		if err != nil {
			return err
		}
		dc.FillText(headSty, vg.Point{X: margin, Y: top}, l.agencies)
		legend(&dc, top-26, l)
		p.Draw(draw.Crop(dc, margin/2, -margin, top-agH, -(height-top)-26-legendH))
		top -= agH
	}
	if prH > 0 {
		p, err := progressPlot(f.Progress)
		if err != nil {
			return err
		}
		dc.FillText(headSty, vg.Point{X: margin, Y: top}, l.progress)
		p.Draw(draw.Crop(dc, margin/2, -margin, top-prH, -(height-top)-24))
		top -= prH
	}
	return finishPNG(w, c, dc, capSty, caption, top)
}

// legendH is the height of the legend: three lines.
const legendH = vg.Length(3 * 19)

// legend draws the three lights, one a line, from y down.
func legend(dc *draw.Canvas, y vg.Length, l labels) {
	sty := style(12, false)
	for _, e := range []struct {
		c color.Color
		t string
	}{{red, l.red}, {yellow, l.yellow}, {green, l.green}} {
		dc.FillPolygon(e.c, []vg.Point{{X: margin, Y: y - 2}, {X: margin + 12, Y: y - 2}, {X: margin + 12, Y: y - 14}, {X: margin, Y: y - 14}})
		dc.FillText(sty, vg.Point{X: margin + 18, Y: y}, e.t)
		y -= 19
	}
}

// newPlot is a plot with the chart's fonts.
func newPlot() *plot.Plot {
	p := plot.New()
	p.TextHandler = text.Plain{Fonts: fonts}
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Tick.Label = style(13, false)
		a.Tick.Label.XAlign, a.Tick.Label.YAlign = draw.XRight, draw.YCenter
		a.Label.TextStyle = style(13, false)
	}
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.Legend.TextStyle = style(12, false)
	p.Legend.Top, p.Legend.Left = true, true
	p.Y.Padding, p.X.Padding = 2, 0
	return p
}

func agencyPlot(bars []AgencyBar, l labels) (*plot.Plot, error) {
	n := len(bars)
	r, y, g := make(plotter.Values, n), make(plotter.Values, n), make(plotter.Values, n)
	names := agencyLabels(bars)
	// Bars are drawn bottom up: the first (most red) goes on top.
	for i, b := range bars {
		j := n - 1 - i
		r[j], y[j], g[j] = float64(b.Red), float64(b.Yellow), float64(b.Green)
	}
	p := newPlot()
	w := rowH * 0.7
	br, err := plotter.NewBarChart(r, w)
	if err != nil {
		return nil, err
	}
	by, _ := plotter.NewBarChart(y, w)
	bg, _ := plotter.NewBarChart(g, w)
	var labels plotter.XYLabels
	for _, s := range []struct {
		b   *plotter.BarChart
		c   color.Color
		v   plotter.Values
		off []float64
	}{{br, red, r, nil}, {by, yellow, y, nil}, {bg, green, g, nil}} {
		s.b.Horizontal, s.b.Color, s.b.LineStyle.Width = true, s.c, 0
	}
	by.StackOn(br)
	bg.StackOn(by)
	for j := range n {
		x := 0.0
		for _, v := range []float64{r[j], y[j], g[j]} {
			if v > 0 {
				labels.XYs = append(labels.XYs, plotter.XY{X: x + v/2, Y: float64(j)})
				labels.Labels = append(labels.Labels, fmt.Sprint(v))
			}
			x += v
		}
	}
	p.Add(br, by, bg)
	if len(labels.XYs) > 0 {
		lb, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, err
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i] = style(11, true)
			lb.TextStyle[i].Color = color.White
			lb.TextStyle[i].XAlign, lb.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
		}
		p.Add(lb)
	}
	p.NominalY(names...)
	p.X.Min = 0
	// Counts are whole: a one-agency chart would otherwise read 0.00, 0.25 …
	p.X.Tick.Marker = countTicks{}
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	return p, nil
}

func progressPlot(bars []ProgressBar) (*plot.Plot, error) {
	n := len(bars)
	planV, secV := make(plotter.Values, n), make(plotter.Values, n)
	names := progressLabels(bars)
	var labels plotter.XYLabels
	for i, b := range bars {
		j := n - 1 - i
		if b.Plan {
			planV[j] = float64(b.Progress)
		} else {
			secV[j] = float64(b.Progress)
		}
		labels.XYs = append(labels.XYs, plotter.XY{X: float64(b.Progress) + 1, Y: float64(j)})
		labels.Labels = append(labels.Labels, fmt.Sprintf("%d%%", b.Progress))
	}
	p := newPlot()
	w := rowH * 0.7
	bp, err := plotter.NewBarChart(planV, w)
	if err != nil {
		return nil, err
	}
	bs, _ := plotter.NewBarChart(secV, w)
	bp.Horizontal, bp.Color, bp.LineStyle.Width = true, blue, 0
	bs.Horizontal, bs.Color, bs.LineStyle.Width = true, sky, 0
	lb, err := plotter.NewLabels(labels)
	if err != nil {
		return nil, err
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i] = style(11, true)
		lb.TextStyle[i].XAlign, lb.TextStyle[i].YAlign = draw.XLeft, draw.YCenter
	}
	p.Add(bp, bs, lb)
	p.NominalY(names...)
	p.X.Min, p.X.Max = 0, 112
	p.X.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: 0, Label: "0"}, {Value: 25, Label: "25"}, {Value: 50, Label: "50"}, {Value: 75, Label: "75"}, {Value: 100, Label: "100"}})
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	return p, nil
}

// dmy writes a date as Vietnamese documents do: 24/12/2025.
func dmy(d deadline.Date) string { return fmt.Sprintf("%02d/%02d/%d", d.Day, int(d.Month), d.Year) }

// wrapLabel breaks an axis label into lines of at most labelMax runes at
// spaces, so that a long section or agency name is shown whole ("III. VỀ
// PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ …" used to end in an ellipsis); a word
// longer than a line is a line of its own. indent starts every line.
func wrapLabel(s, indent string) string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= labelMax:
			line += " " + word
		default:
			lines = append(lines, indent+line)
			line = word
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, indent+line)
	}
	return strings.Join(lines, "\n")
}

// agencyLabels are the agency bars' labels, bottom up as the plot draws them.
func agencyLabels(bars []AgencyBar) []string {
	names := make([]string, len(bars))
	for i, b := range bars {
		names[len(bars)-1-i] = wrapLabel(b.Label, "")
	}
	return names
}

// progressLabels are the progress bars' labels, bottom up; sections are
// indented under their plan.
func progressLabels(bars []ProgressBar) []string {
	names := make([]string, len(bars))
	for i, b := range bars {
		indent := "   "
		if b.Plan {
			indent = ""
		}
		names[len(bars)-1-i] = wrapLabel(b.Label, indent)
	}
	return names
}

// rowHeight is the height of every row of a panel: enough for its label of
// most lines (the nominal axis spaces rows evenly).
func rowHeight(names []string) vg.Length {
	most := 1
	for _, n := range names {
		most = max(most, strings.Count(n, "\n")+1)
	}
	return max(rowH, vg.Length(most)*lineH+8)
}

// countTicks marks an axis of counts at whole numbers only, about five of
// them, labelled without decimals.
type countTicks struct{}

func (countTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000} {
		step = s
		if (hi-lo)/float64(s) <= 6 {
			break
		}
	}
	var ticks []plot.Tick
	for v := int(math.Ceil(lo/float64(step))) * step; float64(v) <= hi; v += step {
		ticks = append(ticks, plot.Tick{Value: float64(v), Label: strconv.Itoa(v)})
	}
	return ticks
}

// wrap breaks s into lines no wider than w.
func wrap(s string, sty text.Style, w vg.Length) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if line != "" && sty.Width(try) > w {
			lines = append(lines, line)
			try = word
		}
		line = try
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// finishPNG writes the caption lines under the last panel (whose bottom is
// top) and the canvas as PNG: the end every page of the chart shares.
func finishPNG(w io.Writer, c *vgimg.Canvas, dc draw.Canvas, capSty text.Style, caption []string, top vg.Length) error {
	y := top - margin/2
	for _, line := range caption {
		dc.FillText(capSty, vg.Point{X: margin, Y: y}, line)
		y -= capSty.Height("Ằ") * 1.25
	}
	_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	return err
}
