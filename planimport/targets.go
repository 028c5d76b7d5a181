package planimport

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"agencybot/agency"
	"agencybot/domain"
)

// A plan's file may hold, beside its table of tasks, a table of its targets
// (chỉ tiêu): Chỉ tiêu | Đơn vị tính | Hiện trạng/Năm gốc | 2026 | … | 2030 |
// Cơ quan chủ trì, on the same sheet (above or below the tasks) or on a
// sheet of its own. Parse reads it with the tasks: the targets' rows are
// taken out of the sheet before its tasks are read.

// Error codes of a targets table ("import.err.<code>" in i18n).
const (
	ErrTargetValue     = "target_value"     // a year's cell that is no number (Detail: the cell)
	ErrTargetNoValue   = "target_no_value"  // a target with a unit but no number for any year
	ErrTargetDuplicate = "target_duplicate" // a target named twice (Detail: the name, Other: its first row)
)

// TargetRow is one target of a targets table: its cells as written, its
// numbers read (decimal commas and all: "0,75").
type TargetRow struct {
	Number string `json:"number"`
	Name   string `json:"name"`
	Unit   string `json:"unit"`
	// Baseline is the Hiện trạng cell read: its value and year (from the
	// cell, "8,5 (2025)", or the header, "Hiện trạng năm 2025", else the
	// year before the first year column); nil when empty.
	Baseline *domain.Milestone `json:"baseline,omitempty"`
	// Milestones are the year columns' numbers, the last one the target.
	Milestones []domain.Milestone `json:"milestones"`
	From       int                `json:"from"` // the first year column
	Direction  domain.Direction   `json:"direction"`
	// Stated tells whether a cell states the direction ("≥", "trên"); when
	// none does, it is read from the numbers (targetDirection).
	Stated       bool   `json:"stated"`
	Lead         string `json:"lead"`
	Coordinating string `json:"coordinating"`
	// Source is the row as written, its filled cells joined by " | ": the
	// text the target comes from.
	Source string `json:"source"`
	Row    int    `json:"row"`
	Sheet  string `json:"sheet,omitempty"`
}

// targetHeader is a recognised targets header: the column of each part (-1
// when absent), the year columns, the rows it takes.
type targetHeader struct {
	row, rows                                    int // 1-based first row, rows taken
	number, name, unit, base, baseYear, lead, co int
	baseYearOf                                   int // a year the baseline's header names ("Hiện trạng năm 2025")
	years, yearCols                              []int
	text                                         map[int]string
}

var (
	reYearLabel = regexp.MustCompile(`^(?:nam |muc tieu |muc tieu nam |ke hoach |ke hoach nam |den nam |chi tieu nam |lo trinh |lo trinh nam )?((?:19|20)\d\d)$`)
	reYearIn    = regexp.MustCompile(`\b((?:19|20)\d\d)\b`)
)

// targetLabel reads one folded header label of a targets table: its part
// and, for a year column, its year.
func targetLabel(f string) (part string, year int) {
	switch {
	case f == "stt" || f == "tt" || f == "so tt":
		return "number", 0
	case f == "dvt" || strings.Contains(f, "don vi tinh") || f == "don vi":
		return "unit", 0
	case strings.Contains(f, "hien trang") || strings.Contains(f, "co so") || strings.Contains(f, "xuat phat") || strings.Contains(f, "thuc hien nam"):
		if m := reYearIn.FindStringSubmatch(f); m != nil {
			y, _ := strconv.Atoi(m[1])
			return "base", y
		}
		return "base", 0
	case f == "nam goc" || f == "nam co so":
		return "base_year", 0
	case strings.Contains(f, "nam goc"):
		return "base", 0
	case strings.Contains(f, "chi tieu") && len(f) <= 40: // a header's label, not a task's text
		return "name", 0
	case strings.Contains(f, "phoi hop"):
		return "co", 0
	case strings.Contains(f, "chu tri") || strings.Contains(f, "co quan") || strings.Contains(f, "don vi thuc hien") || strings.Contains(f, "trach nhiem"):
		return "lead", 0
	}
	if m := reYearLabel.FindStringSubmatch(f); m != nil {
		y, _ := strconv.Atoi(m[1])
		return "year", y
	}
	return "", 0
}

// matchTargetHeader reads row r as a targets header, with the year columns
// in row r+1 when row r has none ("Lộ trình" merged over 2026 … 2030).
func matchTargetHeader(rows [][]string, r int) (targetHeader, bool) {
	h := targetHeader{row: r + 1, rows: 1, number: -1, name: -1, unit: -1, base: -1, baseYear: -1, lead: -1, co: -1, text: map[int]string{}}
	read := func(row []string, yearsOnly bool) {
		for c := range row {
			label := collapse(row[c])
			part, y := targetLabel(fold(label))
			if yearsOnly && part != "year" {
				continue
			}
			set := func(p *int) {
				if *p < 0 {
					*p, h.text[c] = c, label
				}
			}
			switch part {
			case "number":
				set(&h.number)
			case "name":
				set(&h.name)
			case "unit":
				set(&h.unit)
			case "base":
				set(&h.base)
				if h.base == c {
					h.baseYearOf = y
				}
			case "base_year":
				set(&h.baseYear)
			case "lead":
				set(&h.lead)
			case "co":
				set(&h.co)
			case "year":
				if n := len(h.years); (n == 0 || y > h.years[n-1]) && !slices.Contains(h.yearCols, c) {
					h.years, h.yearCols, h.text[c] = append(h.years, y), append(h.yearCols, c), label
				}
			}
		}
	}
	read(rows[r], false)
	if h.name < 0 || h.unit < 0 {
		return h, false
	}
	if len(h.years) == 0 && r+1 < len(rows) {
		read(rows[r+1], true)
		h.rows = 2
	}
	if h.baseYear >= 0 && h.base < 0 {
		h.base, h.baseYear = h.baseYear, -1 // "Năm gốc" alone holds the baseline
	}
	return h, len(h.years) > 0
}

// targetBlock is the rows one targets table takes (0-based, end excluded)
// and what it read.
type targetBlock struct {
	from, to int
	rows     []TargetRow
}

// findTargets finds the targets tables of a grid and reads them.
func findTargets(g grid) ([]targetBlock, error) {
	var out []targetBlock
	for r := 0; r < len(g.rows); r++ {
		h, ok := matchTargetHeader(g.rows, r)
		if !ok {
			continue
		}
		b, err := readTargets(g, h)
		if err != nil {
			return nil, withSheet(err, g.sheet)
		}
		b.from = titleAbove(g.rows, b.from)
		out = append(out, b)
		r = b.to - 1
	}
	return out, nil
}

// titleAbove extends a targets table upwards over its title rows ("BIỂU
// CHỈ TIÊU CHỦ YẾU …", "(Kèm theo Kế hoạch số …)"): up to three rows of one
// cell in capitals, in brackets or naming targets, blank rows between
// included. It returns the first row of the table (0-based).
func titleAbove(rows [][]string, from int) int {
	first := from
	for r, seen := from-1, 0; r >= 0 && seen < 3; r-- {
		if blank(rows[r]) {
			continue
		}
		filled := 0
		for _, v := range rows[r] {
			if strings.TrimSpace(v) != "" {
				filled++
			}
		}
		text := collapse(cell(rows[r], firstFilled(rows[r])))
		if filled != 1 || !(isUpperHeading(text) || strings.HasPrefix(text, "(") || strings.Contains(fold(text), "chi tieu")) {
			break
		}
		first, seen = r, seen+1
	}
	return first
}

// isDash tells whether a cell says "no number" ("-", "–", "—", "x").
func isDash(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "-", "–", "—", "x", "X", "/":
		return true
	}
	return false
}

// readTargets reads the rows under a targets header, up to the first empty
// row after a target, a table's header, or what comes under a table (notes,
// the signature). A row without a number, unit or figure continues the name
// above it; one with a Roman numeral, or in capitals, heads a group.
func readTargets(g grid, h targetHeader) (targetBlock, *Error) {
	b := targetBlock{from: h.row - 1}
	start := h.row - 1 + h.rows
	i := start
	names := map[string]int{}
	numbers := map[string]int{}
	for ; i < len(g.rows); i++ {
		row := g.rows[i]
		rowNo := i + 1
		if blank(row) {
			if len(b.rows) > 0 {
				break
			}
			continue
		}
		if i == start && colNumberRow(row) {
			continue
		}
		first := collapse(cell(row, firstFilled(row)))
		if endsTable(first) {
			break
		}
		if th, _ := matchHeader(g.rows, i, false); th.col[colTitle] >= 0 && th.col[colLead] >= 0 {
			break // the tasks' header
		}
		if _, ok := matchTargetHeader(g.rows, i); ok {
			break // another targets table
		}
		get := func(c int) string { return collapse(cell(row, c)) }
		num, name, unit := strings.TrimSuffix(get(h.number), "."), get(h.name), get(h.unit)
		anyValue := false
		for _, c := range h.yearCols {
			if !isDash(get(c)) {
				anyValue = true
			}
		}
		if reRoman.MatchString(num) || (!anyValue && unit == "" && isUpperHeading(name)) {
			continue // a group's heading
		}
		if num == "" && unit == "" && !anyValue && isDash(get(h.base)) {
			if n := len(b.rows); n > 0 && name != "" {
				b.rows[n-1].Name = joinText(b.rows[n-1].Name, name)
			}
			continue
		}
		if name == "" {
			return b, cellErr(ErrNoTitle, rowNo, h.name, h.text[h.name], "")
		}
		t := TargetRow{Number: num, Name: name, Unit: unit, Lead: get(h.lead), Coordinating: get(h.co), Row: rowNo, Sheet: g.sheet, From: h.years[0]}
		var filled []string
		for c := range row {
			if v := get(c); v != "" {
				filled = append(filled, v)
			}
		}
		t.Source = strings.Join(filled, " | ")
		if t.Number == "" {
			t.Number = strconv.Itoa(len(b.rows) + 1)
		}
		if other, dup := numbers[t.Number]; dup {
			return b, &Error{Code: ErrDuplicate, Row: rowNo, Col: h.number, Header: h.text[h.number], Detail: t.Number, Other: other}
		}
		numbers[t.Number] = rowNo
		var units []string
		var dirs []domain.Figure
		for k, c := range h.yearCols {
			text := get(c)
			if isDash(text) {
				continue
			}
			f, err := domain.ParseFigure(text)
			if err != nil {
				return b, cellErr(ErrTargetValue, rowNo, c, h.text[c], text)
			}
			t.Milestones = append(t.Milestones, domain.Milestone{Year: h.years[k], Value: f.Value, Text: f.Text, Strict: f.Strict})
			units = append(units, f.Unit)
			if f.Direction != "" {
				dirs = append(dirs, f)
			}
		}
		if len(t.Milestones) == 0 {
			return b, cellErr(ErrTargetNoValue, rowNo, h.yearCols[0], h.text[h.yearCols[0]], "")
		}
		if text := get(h.base); !isDash(text) {
			m, err := readBaseline(text, h, get(h.baseYear))
			if err != nil {
				return b, cellErr(ErrTargetValue, rowNo, h.base, h.text[h.base], text)
			}
			t.Baseline = &m
		}
		if t.Unit == "" {
			for _, u := range units {
				if u != "" {
					t.Unit = u
					break
				}
			}
		}
		t.Direction, t.Stated = targetDirection(t, dirs)
		key := domain.NormName(t.Name)
		if other, dup := names[key]; dup {
			return b, &Error{Code: ErrTargetDuplicate, Row: rowNo, Col: h.name, Header: h.text[h.name], Detail: t.Name, Other: other}
		}
		names[key] = rowNo
		b.rows = append(b.rows, t)
	}
	b.to = i
	return b, nil
}

var (
	reBaseParen = regexp.MustCompile(`^(.*?)\s*\(\s*(?:năm\s*)?((?:19|20)\d\d)\s*\)$`)
	reBaseNam   = regexp.MustCompile(`^(.*?)\s+năm\s+((?:19|20)\d\d)$`)
	reBaseLead  = regexp.MustCompile(`^(?:năm\s+)?((?:19|20)\d\d)\s*[:\-–]\s*(.+)$`)
	reBaseSlash = regexp.MustCompile(`^([-−]?[\d.,\s]+%?)\s*/\s*((?:19|20)\d\d)$`)
)

// readBaseline reads a Hiện trạng cell: "8,5", "8,5 (2025)", "8,5 (năm
// 2025)", "8,5 năm 2025", "2025: 8,5", "8,5/2025". Its year is the cell's,
// else the Năm gốc column's, else the one the header names, else the year
// before the first year column (the state before the plan starts).
func readBaseline(text string, h targetHeader, yearCell string) (domain.Milestone, error) {
	low := strings.ToLower(norm.NFC.String(text))
	value, year := low, 0
	if m := reBaseParen.FindStringSubmatch(low); m != nil {
		value, year = m[1], atoi(m[2])
	} else if m := reBaseNam.FindStringSubmatch(low); m != nil {
		value, year = m[1], atoi(m[2])
	} else if m := reBaseLead.FindStringSubmatch(low); m != nil {
		value, year = m[2], atoi(m[1])
	} else if m := reBaseSlash.FindStringSubmatch(low); m != nil {
		value, year = m[1], atoi(m[2])
	}
	f, err := domain.ParseFigure(value)
	if err != nil {
		return domain.Milestone{}, err
	}
	if year == 0 {
		if m := reYearIn.FindStringSubmatch(yearCell); m != nil {
			year = atoi(m[1])
		}
	}
	if year == 0 {
		year = h.baseYearOf
	}
	if year == 0 {
		year = h.years[0] - 1
	}
	return domain.Milestone{Year: year, Value: f.Value, Text: f.Text}, nil
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// targetDirection is the direction a target's cells state (the final one's
// first), else the one its numbers show: a target below where it starts (the
// baseline, else its first milestone) is "at most" (a poverty rate from 3 %
// to 1 %); any other is "at least", as "đạt 30%" is read.
func targetDirection(t TargetRow, stated []domain.Figure) (domain.Direction, bool) {
	final := t.Milestones[len(t.Milestones)-1]
	for _, f := range stated {
		if f.Text == final.Text {
			return f.Direction, true
		}
	}
	if len(stated) > 0 {
		return stated[0].Direction, true
	}
	first := t.Milestones[0]
	if t.Baseline != nil {
		first = *t.Baseline
	}
	if final.Value < first.Value {
		return domain.AtMost, false
	}
	return domain.AtLeast, false
}

// takeTargets finds the targets tables of each grid and blanks their rows,
// so that the tasks are read without them. It returns the targets by sheet
// and the rows blanked by sheet (1-based), which are no empty rows of the
// tasks' table.
func takeTargets(grids []grid) (map[string][]TargetRow, map[string][]int, error) {
	targets, blanked := map[string][]TargetRow{}, map[string][]int{}
	for gi := range grids {
		g := &grids[gi]
		blocks, err := findTargets(*g)
		if err != nil {
			return nil, nil, err
		}
		if len(blocks) == 0 {
			continue
		}
		rows := make([][]string, len(g.rows))
		copy(rows, g.rows)
		for _, b := range blocks {
			targets[g.sheet] = append(targets[g.sheet], b.rows...)
			for r := b.from; r < b.to; r++ {
				rows[r] = nil
				blanked[g.sheet] = append(blanked[g.sheet], r+1)
			}
		}
		g.rows = rows
		g.formulas = slices.DeleteFunc(slices.Clone(g.formulas), func(f [2]int) bool { return slices.Contains(blanked[g.sheet], f[0]) })
	}
	return targets, blanked, nil
}

// DomainTargets returns the table's targets ready to store in the plan
// planKey whose short code is code ("27": targets "27-CT1"), their agency
// cells read against ix: the first agency of the lead cell reports it.
func (t Table) DomainTargets(planKey, code string, ix *agency.Index) []domain.Target {
	out := make([]domain.Target, 0, len(t.Targets))
	for i, x := range t.Targets {
		d := domain.Target{
			ID: domain.TargetID(code, x.Number), PlanKey: planKey, Number: x.Number, Name: x.Name, Norm: domain.NormName(x.Name),
			Unit: x.Unit, Direction: x.Direction, Baseline: x.Baseline, Milestones: []domain.Milestone{}, From: x.From,
			AgencyText: x.Lead, Contributors: Cell(x.Coordinating, ix), Source: x.Source, Seq: i,
		}
		if n := len(x.Milestones); n > 0 {
			d.Milestones = append(d.Milestones, x.Milestones[:n-1]...)
			d.Final = x.Milestones[n-1]
		}
		if lead := Cell(x.Lead, ix); len(lead.Agencies) > 0 {
			d.Agency = lead.Agencies[0]
		}
		out = append(out, d)
	}
	return out
}

// withTargets gives the table read from its sheet the targets of that sheet
// and of the sheets that hold no table of tasks (a workbook's "Chỉ tiêu"
// sheet), and drops the targets' rows from its empty rows. A number or a
// name used twice across them is an error.
func withTargets(t Table, grids []grid, targets map[string][]TargetRow, blanked map[string][]int) (Table, error) {
	t.Targets = append([]TargetRow(nil), targets[t.Sheet]...)
	for _, g := range grids {
		if g.sheet == t.Sheet || len(targets[g.sheet]) == 0 {
			continue
		}
		if _, tasks := findHeader(g.rows); !tasks {
			t.Targets = append(t.Targets, targets[g.sheet]...)
		}
	}
	t.Skipped = slices.DeleteFunc(t.Skipped, func(r int) bool { return slices.Contains(blanked[t.Sheet], r) })
	numbers, names := map[string]TargetRow{}, map[string]TargetRow{}
	for _, x := range t.Targets {
		if o, dup := numbers[x.Number]; dup {
			return Table{}, &Error{Code: ErrDuplicate, Sheet: x.Sheet, Row: x.Row, Col: -1, Detail: x.Number, Other: o.Row}
		}
		if o, dup := names[domain.NormName(x.Name)]; dup {
			return Table{}, &Error{Code: ErrTargetDuplicate, Sheet: x.Sheet, Row: x.Row, Col: -1, Detail: x.Name, Other: o.Row}
		}
		numbers[x.Number], names[domain.NormName(x.Name)] = x, x
	}
	return t, nil
}
