package chart

import (
	"fmt"
	"image/color"
	"io"
	"sort"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
)

// The view a leader cites: how many pieces of work (task × agency) were
// done, and how many overdue, at the end of each month, from the history.

// Month is the figures of one month, as they stood at its end (or on
// Today for the current month).
type Month struct {
	Year    int
	Month   time.Month
	Total   int // pieces of work that existed then
	Done    int // done at the month's end
	Overdue int // not done at the month's end, due before it
}

// MonthlyFigures is everything the history chart shows.
type MonthlyFigures struct {
	Today  deadline.Date
	Scope  string
	Months []Month // oldest first
}

// Monthly computes the months from the first month of from to today's,
// at most months of them (the latest), from the assignments and their
// updates (in any order). A piece of work counts from the month it was
// created (or first updated) in; its state at a month's end is the After
// of its last update at or before that end (not started before any);
// withdrawn ones are left out. A piece of work is overdue in a month when
// its fixed due date is before the month's last day (today's, for the
// current month) and it was not done then. loc is the province's zone.
func Monthly(as []domain.Assignment, ups []domain.Update, today deadline.Date, months int, loc *time.Location) []Month {
	byA := map[string][]domain.Update{}
	for _, u := range ups {
		byA[u.AssignmentID] = append(byA[u.AssignmentID], u)
	}
	for _, us := range byA {
		sort.Slice(us, func(i, j int) bool { return us[i].Version < us[j].Version })
	}
	type piece struct {
		a     domain.Assignment
		from  time.Time
		steps []domain.Update
	}
	var pieces []piece
	var first time.Time
	for _, a := range as {
		if a.Withdrawn {
			continue
		}
		p := piece{a: a, from: a.CreatedAt, steps: byA[a.ID]}
		if len(p.steps) > 0 && (p.from.IsZero() || p.steps[0].At.Before(p.from)) {
			p.from = p.steps[0].At
		}
		if !p.from.IsZero() && (first.IsZero() || p.from.Before(first)) {
			first = p.from
		}
		pieces = append(pieces, p)
	}
	if len(pieces) == 0 {
		return nil
	}
	start := deadline.Date{Year: today.Year, Month: today.Month, Day: 1}
	if !first.IsZero() {
		f := deadline.DateOf(first.In(loc))
		start = deadline.Date{Year: f.Year, Month: f.Month, Day: 1}
	}
	var out []Month
	for m := start; !today.Before(m); m = nextMonth(m) {
		end := lastDay(m)
		if today.Before(end) {
			end = today
		}
		cut := end.AddDays(1).In(loc) // the first instant after the month's end
		mo := Month{Year: m.Year, Month: m.Month}
		for _, p := range pieces {
			if !p.from.IsZero() && !p.from.Before(cut) {
				continue
			}
			mo.Total++
			st := domain.NotStarted
			for _, u := range p.steps {
				if u.At.Before(cut) {
					st = u.After.Status
				}
			}
			switch {
			case st == domain.Done:
				mo.Done++
			case p.a.Kind == deadline.Fixed && !p.a.Due.IsZero() && p.a.Due.Before(end):
				mo.Overdue++
			}
		}
		out = append(out, mo)
	}
	if months > 0 && len(out) > months {
		out = out[len(out)-months:]
	}
	return out
}

func nextMonth(d deadline.Date) deadline.Date {
	if d.Month == time.December {
		return deadline.Date{Year: d.Year + 1, Month: time.January, Day: 1}
	}
	return deadline.Date{Year: d.Year, Month: d.Month + 1, Day: 1}
}

func lastDay(d deadline.Date) deadline.Date { return nextMonth(d).AddDays(-1) }

// RenderMonthly draws the history chart as a PNG into w: done (green) and
// overdue (red) pieces of work by month, whole counts up the side.
func RenderMonthly(w io.Writer, f MonthlyFigures, lang string) error {
	l := i18n.Lang(lang)
	if l != i18n.EN {
		l = i18n.VI
	}
	t := func(k string) string { return i18n.T(l, "chart.monthly."+k) }
	titleSty, capSty := style(19, true), style(12, false)
	caption := wrap(fmt.Sprintf(t("caption"), dmy(f.Today), f.Scope), capSty, width-2*margin)
	plotH := vg.Length(0)
	if len(f.Months) > 0 {
		plotH = 300 + legendRow
	}
	titleH := vg.Length(60)
	capH := vg.Length(len(caption))*capSty.Height("Ằ")*1.25 + margin
	if plotH == 0 {
		capH += 40
	}
	height := titleH + plotH + capH + margin
	c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(c)
	top := height - margin
	dc.FillText(titleSty, vg.Point{X: margin, Y: top}, t("title"))
	dc.FillText(style(14, false), vg.Point{X: margin, Y: top - 26}, dmy(f.Today)+" · "+f.Scope)
	top -= titleH
	if plotH == 0 {
		dc.FillText(style(15, true), vg.Point{X: margin, Y: top}, t("none"))
		top -= 40
	} else {
		p, err := monthlyPlot(f.Months)
		if err != nil {
			return err
		}
		sty := style(12, false)
		x := margin
		for _, e := range []struct {
			c color.Color
			t string
		}{{green, t("done")}, {red, t("overdue")}} {
			dc.FillPolygon(e.c, []vg.Point{{X: x, Y: top - 4}, {X: x + 12, Y: top - 4}, {X: x + 12, Y: top - 16}, {X: x, Y: top - 16}})
			dc.FillText(sty, vg.Point{X: x + 18, Y: top}, e.t)
			x += 18 + sty.Width(e.t) + 24
		}
		p.Draw(draw.Crop(dc, margin/2, -margin, top-plotH, -(height-top)-legendRow))
		top -= plotH
	}
	return finishPNG(w, c, dc, capSty, caption, top)
}

// legendRow is the height of the history chart's one-line legend.
const legendRow = vg.Length(26)

func monthlyPlot(months []Month) (*plot.Plot, error) {
	done, over := make(plotter.XYs, len(months)), make(plotter.XYs, len(months))
	most := 1
	var ticks []plot.Tick
	every := (len(months) + 5) / 6 // at most six month labels across
	for i, m := range months {
		done[i] = plotter.XY{X: float64(i), Y: float64(m.Done)}
		over[i] = plotter.XY{X: float64(i), Y: float64(m.Overdue)}
		most = max(most, m.Done, m.Overdue)
		label := ""
		if i%every == 0 || (i == len(months)-1 && i%every >= every/2+1) {
			label = fmt.Sprintf("%02d/%d", int(m.Month), m.Year)
		}
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: label})
	}
	p := newPlot()
	for _, s := range []struct {
		xy plotter.XYs
		c  color.Color
	}{{done, green}, {over, red}} {
		l, pts, err := plotter.NewLinePoints(s.xy)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = s.c, 2.5
		pts.Color, pts.Shape, pts.Radius = s.c, draw.CircleGlyph{}, 3.5
		p.Add(l, pts)
	}
	var lbl plotter.XYLabels
	if last := len(months) - 1; last >= 0 {
		for _, v := range []float64{done[last].Y, over[last].Y} {
			lbl.XYs = append(lbl.XYs, plotter.XY{X: float64(last) + 0.15, Y: v})
			lbl.Labels = append(lbl.Labels, strconv.Itoa(int(v)))
		}
		lb, err := plotter.NewLabels(lbl)
		if err != nil {
			return nil, err
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i] = style(11, true)
			lb.TextStyle[i].XAlign, lb.TextStyle[i].YAlign = draw.XLeft, draw.YCenter
		}
		p.Add(lb)
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.3, float64(len(months)-1)+0.6
	p.Y.Min, p.Y.Max = 0, float64(most)*1.15+0.5
	p.Y.Tick.Marker = countTicks{}
	p.Y.Padding, p.X.Padding = 4, 4
	return p, nil
}
