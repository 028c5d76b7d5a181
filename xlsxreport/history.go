package xlsxreport

import (
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"agencybot/domain"
	"agencybot/report"
)

// historyRows is how many updates one history sheet holds under its header
// row: a worksheet's 1,048,576 rows less the header. The updates that do
// not fit go on "Lịch sử cập nhật (2)", "(3)", … with the same header. A
// variable so that a test can make it small.
var historyRows = excelize.TotalRows - 1

// historyWidths are the history sheet's column widths.
var historyWidths = []float64{17, 12, 34, 22, 60, 18, 12}

// writeHistory streams "Lịch sử cập nhật": one row per update in scope
// (time, task, agency, officer, what changed, state after), folding the
// evidence counts into in.Evidence as it goes. The first sheet exists
// already; further ones are added after it as they fill.
func writeHistory(b *book, in report.Input, f report.Filter, loc *time.Location, history History) error {
	l, st := b.l, b.st
	head := make([]value, len(l.historyCols))
	for i, c := range l.historyCols {
		head[i] = str(st.header, c)
	}
	var (
		r      *rows
		sheets int // history sheets opened
		n      int // updates on the current sheet
	)
	open := func() error {
		sheets++
		name := l.historySheet
		if sheets > 1 {
			if err := r.finish(); err != nil {
				return err
			}
			name = sheetName(l.historySheet+" ("+strconv.Itoa(sheets)+")", b.used)
			if _, err := b.x.NewSheet(name); err != nil {
				return err
			}
		}
		sw, rs, err := b.stream(name, historyWidths, 1)
		if err != nil {
			return err
		}
		if err := sw.Flush(); err != nil {
			return err
		}
		r, n = rs, 0
		return r.row(0, head...)
	}
	if err := open(); err != nil {
		return err
	}
	names := make(map[string]string, len(in.Agencies))
	for _, a := range in.Agencies {
		names[a.Key] = a.Name
	}
	planOf := make(map[string]string, len(in.Tasks))
	for _, t := range in.Tasks {
		planOf[t.Code] = t.PlanKey
	}
	inPlans := map[string]bool{}
	for _, p := range in.Plans {
		if f.PlanKey == "" || p.Key == f.PlanKey {
			inPlans[p.Key] = true
		}
	}
	var (
		cells  [7]value
		minute = int64(-1 << 62) // the local minute when was formatted for
		when   string
		scr    []byte
	)
	if history != nil {
		err := history(func(u domain.Update) error {
			if (f.AgencyKey != "" && u.AgencyKey != f.AgencyKey) || !inPlans[planOf[u.TaskCode]] {
				return nil
			}
			if n == historyRows {
				if err := open(); err != nil {
					return err
				}
			}
			n++
			report.FoldUpdates(in.Evidence, u)
			name := names[u.AgencyKey]
			if name == "" {
				name = u.AgencyKey
			}
			t := u.At.In(loc)
			_, off := t.Zone()
			if m := floorDiv(u.At.Unix()+int64(off), 60); m != minute {
				scr = t.AppendFormat(scr[:0], "02/01/2006 15:04")
				minute, when = m, string(scr)
			}
			cells[0] = str(st.cell, when)
			cells[1] = str(st.cell, u.TaskCode)
			cells[2] = str(st.cell, name)
			cells[3] = str(st.cell, u.OfficerName)
			cells[4] = str(st.cell, change(u, l))
			cells[5] = str(st.cell, l.status[u.After.Status])
			cells[6] = num(st.center, u.After.Progress)
			return r.row(rowHeight(cells[:], historyWidths, 15), cells[:]...)
		})
		if err != nil {
			return err
		}
	}
	return r.finish()
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// change says in words what an update changed.
func change(u domain.Update, l labels) string {
	var s string
	switch u.Kind {
	case domain.SetStatus:
		s = l.kind[u.Kind] + ": " + l.status[u.Before.Status] + " → " + l.status[u.After.Status]
	case domain.SetProgress:
		s = l.kind[u.Kind] + ": " + strconv.Itoa(u.Before.Progress) + "% → " + strconv.Itoa(u.After.Progress) + "%"
	case domain.AddNote:
		s = l.kind[u.Kind] + ": " + u.Note
	case domain.AddEvidence:
		name := ""
		if u.Evidence != nil {
			name = u.Evidence.Name
		}
		s = l.kind[u.Kind] + ": " + name
		if u.Note != "" { // its caption
			s += " — " + u.Note
		}
	case domain.Correction:
		s = l.kind[u.Kind] + ": " + l.status[u.Before.Status] + " " + strconv.Itoa(u.Before.Progress) + "% → " +
			l.status[u.After.Status] + " " + strconv.Itoa(u.After.Progress) + "%"
	default:
		s = string(u.Kind)
	}
	if u.Corrected {
		s += " (" + l.correction + ")"
	}
	return strings.TrimSpace(s)
}
