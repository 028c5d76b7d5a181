package planimport

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Columns of a plan table.
const (
	colNumber = iota
	colTitle
	colLead
	colCoord
	colDeadline
	colOutput
	colNote
	nCols
)

// required are the columns a table must have, and their names as messages
// give them.
var (
	required = []int{colNumber, colTitle, colLead, colDeadline}
	colNames = [nCols]string{"STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Kết quả/sản phẩm", "Ghi chú"}
)

// Task is one task row of the table, cell texts with white space collapsed.
type Task struct {
	Section      string `json:"section"`       // Roman numeral of its section, "" before any section
	SectionTitle string `json:"section_title"` // the section's heading
	Number       string `json:"number"`        // "7" (running numbers) or "IV.5" (numbers per section)
	Title        string `json:"title"`
	Lead         string `json:"lead"`
	Coordinating string `json:"coordinating"`
	Deadline     string `json:"deadline"`
	Output       string `json:"output"`
	Note         string `json:"note"`
	Row          int    `json:"row"` // the row its number is in
}

// Table is a plan table read from a file.
type Table struct {
	Sheet   string // the sheet it came from ("" for a CSV)
	Tasks   []Task
	Skipped []int // empty rows under the header, skipped
	// Meta is the plan's number and date as the rows above the table print
	// them ("Kèm theo Kế hoạch số 77/KH-UBND ngày 10/02/2027"), "" when
	// they do not; the coordinator confirms or changes them.
	Meta Meta
	// NotTasks are the rows under the header that are not tasks: totals,
	// notes and footnotes, the recipients and the signature block.
	NotTasks []Skip
	Hash     string // content hash of the tasks: the same table gives the same hash
	// Targets are the plan's targets (chỉ tiêu), when the file has a table
	// of them (targets.go).
	Targets []TargetRow
}

// Skip is a row that is not a task, with the text it begins with.
type Skip struct {
	Row  int    `json:"row"`
	Text string `json:"text"`
}

// fold lower-cases s, drops diacritics (đ → d) and collapses white space and
// punctuation, for matching header cells loosely.
func fold(s string) string {
	s = norm.NFD.String(strings.ToLower(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ':
			r = 'd'
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			r = ' '
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// collapse joins white space runs (line breaks included) into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// headerColumn tells which column a folded header label names.
func headerColumn(f string) (int, bool) {
	switch {
	case f == "stt" || f == "tt" || f == "so tt" || f == "so thu tu" || f == "thu tu":
		return colNumber, true
	case strings.Contains(f, "ghi chu"):
		return colNote, true
	case strings.Contains(f, "chu tri"):
		return colLead, true
	case strings.Contains(f, "phoi hop"):
		return colCoord, true
	case strings.Contains(f, "thoi gian") || strings.Contains(f, "thoi han") || strings.Contains(f, "tien do") ||
		strings.Contains(f, "han hoan thanh"):
		return colDeadline, true
	case strings.Contains(f, "ket qua") || strings.Contains(f, "san pham"):
		return colOutput, true
	case strings.Contains(f, "nhiem vu") || strings.Contains(f, "noi dung") || strings.Contains(f, "ten cong viec"):
		return colTitle, true
	}
	return 0, false
}

// header is a recognised header: the column index of each column (-1 when
// absent) and the rows it takes.
type header struct {
	row, rows int
	col       [nCols]int
	text      [nCols]string
}

// maxHeaderRow bounds how far down the header is looked for.
const maxHeaderRow = 30

// findHeader finds the header row: the first row (within maxHeaderRow) in
// which at least the task and lead columns are named. A header may take two
// rows ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp"); merged cells leave
// the later cells of a merge empty, so an upper label carries to the right
// over the lower labels.
func findHeader(rows [][]string) (header, bool) {
	for r := 0; r < len(rows) && r < maxHeaderRow; r++ {
		one, n := matchHeader(rows, r, false)
		if one.col[colTitle] >= 0 && one.col[colLead] >= 0 {
			return one, true
		}
		if r+1 < len(rows) {
			if next, _ := matchHeader(rows, r+1, false); next.col[colTitle] >= 0 && next.col[colLead] >= 0 {
				continue // the next row is a header by itself
			}
			if two, _ := matchHeader(rows, r, true); two.col[colTitle] >= 0 && two.col[colLead] >= 0 {
				return two, true
			}
		}
		if one.col[colTitle] >= 0 && n >= 3 {
			return one, true // a header that lacks the lead column: reported as such
		}
	}
	return header{}, false
}

// matchHeader reads row r (and r+1 when two) as a header and says how many
// columns it named.
func matchHeader(rows [][]string, r int, two bool) (header, int) {
	h := header{row: r + 1, rows: 1}
	for i := range h.col {
		h.col[i] = -1
	}
	width := len(rows[r])
	if two {
		width = max(width, len(rows[r+1]))
		h.rows = 2
	}
	found := 0
	top := ""
	for c := range width {
		label := cell(rows[r], c)
		if two {
			if label != "" {
				top = label
			}
			if low := cell(rows[r+1], c); low != "" {
				label = top + " " + low
			}
		}
		k, ok := headerColumn(fold(label))
		if !ok || h.col[k] >= 0 {
			continue
		}
		h.col[k], h.text[k] = c, collapse(label)
		found++
	}
	return h, found
}

func cell(row []string, c int) string {
	if c < 0 || c >= len(row) {
		return ""
	}
	return row[c]
}

var (
	reRoman       = regexp.MustCompile(`^([IVXL]+)\s*[.:)]?$`)
	reRomanTitled = regexp.MustCompile(`^([IVXL]+)\s*[.:)\-–]\s*(\S.*)$`)
	reNumber      = regexp.MustCompile(`^(\d{1,4})\s*[.)]?$`)
	reColNumbers  = regexp.MustCompile(`^\(?\d{1,2}\)?$`)
	reBullet      = regexp.MustCompile(`^(?:[a-zđ][.)]|[-+*•])$`)
)

// rawTask is a task row before its number is settled.
type rawTask struct {
	Task
	n string // the number as written, without a trailing dot
}

// parseTable reads the rows of one sheet into a table.
func parseTable(g grid) (Table, error) {
	h, ok := findHeader(g.rows)
	if !ok {
		return Table{}, &Error{Code: ErrHeader, Sheet: g.sheet, Col: -1}
	}
	var missing []string
	for _, k := range required {
		if h.col[k] < 0 {
			missing = append(missing, colNames[k])
		}
	}
	if len(missing) > 0 {
		return Table{}, &Error{Code: ErrColumns, Sheet: g.sheet, Row: h.row, Col: -1, Detail: strings.Join(missing, ", ")}
	}
	// Formulas without a kept value are refused in the cells that are read;
	// a totals row's sum, or a column the table does not have, is never read.
	formulas := map[int]int{}
	for _, f := range g.formulas {
		if !slices.Contains(h.col[:], f[1]) {
			continue
		}
		if c, ok := formulas[f[0]]; !ok || f[1] < c {
			formulas[f[0]] = f[1]
		}
	}
	t := Table{Sheet: g.sheet, Meta: findMeta(g.rows[:h.row-1])}
	ended := false // under the table: notes, recipients, signature
	var tasks []rawTask
	section, sectionTitle := "", ""
	start := h.row + h.rows - 1 // 0-based index of the first row under the header
	for i := start; i < len(g.rows); i++ {
		row := g.rows[i]
		rowNo := i + 1
		if i == start && colNumberRow(row) {
			continue
		}
		if blank(row) {
			t.Skipped = append(t.Skipped, rowNo)
			continue
		}
		first := collapse(cell(row, firstFilled(row)))
		if !ended && endsTable(first) {
			ended = true
		}
		if ended || isTotal(first) {
			t.NotTasks = append(t.NotTasks, Skip{Row: rowNo, Text: first})
			continue
		}
		if c, ok := formulas[rowNo]; ok {
			return Table{}, withSheet(cellErr(ErrFormula, rowNo, c, headerOf(h, c), ""), g.sheet)
		}
		num := collapse(cell(row, h.col[colNumber]))
		if m := reRoman.FindStringSubmatch(num); m != nil {
			section, sectionTitle = m[1], firstAfter(row, h.col[colNumber])
			continue
		}
		if m := reRomanTitled.FindStringSubmatch(num); m != nil && isUpperHeading(m[2]) {
			section, sectionTitle = m[1], collapse(m[2])
			continue
		}
		get := func(k int) string { return collapse(cell(row, h.col[k])) }
		if m := reNumber.FindStringSubmatch(num); m != nil {
			if get(colTitle) == "" {
				return Table{}, withSheet(cellErr(ErrNoTitle, rowNo, h.col[colTitle], h.text[colTitle], ""), g.sheet)
			}
			tasks = append(tasks, rawTask{n: m[1], Task: Task{
				Section: section, SectionTitle: sectionTitle, Title: get(colTitle), Lead: get(colLead),
				Coordinating: get(colCoord), Deadline: get(colDeadline), Output: get(colOutput), Note: get(colNote), Row: rowNo,
			}})
			continue
		}
		if num != "" && !reBullet.MatchString(fold(num)) {
			return Table{}, withSheet(cellErr(ErrNumber, rowNo, h.col[colNumber], h.text[colNumber], num), g.sheet)
		}
		// A continuation row: its cells join the task above.
		if len(tasks) == 0 || tasks[len(tasks)-1].Section != section {
			if len(tasks) == 0 && section == "" {
				return Table{}, withSheet(cellErr(ErrOrphan, rowNo, firstFilled(row), "", ""), g.sheet)
			}
			if len(tasks) == 0 || tasks[len(tasks)-1].Section != section {
				// Under a heading, before its first task: the heading goes on.
				sectionTitle = joinText(sectionTitle, collapse(strings.Join(row, " ")))
				continue
			}
		}
		last := &tasks[len(tasks)-1]
		if num != "" {
			last.Title = joinText(last.Title, num)
		}
		last.Title = joinText(last.Title, get(colTitle))
		last.Lead = joinText(last.Lead, get(colLead))
		last.Coordinating = joinText(last.Coordinating, get(colCoord))
		last.Deadline = joinText(last.Deadline, get(colDeadline))
		last.Output = joinText(last.Output, get(colOutput))
		last.Note = joinText(last.Note, get(colNote))
	}
	if len(tasks) == 0 {
		return Table{}, &Error{Code: ErrNoTasks, Sheet: g.sheet, Row: h.row, Col: -1}
	}
	if err := number(tasks, h, g.sheet); err != nil {
		return Table{}, err
	}
	for _, rt := range tasks {
		t.Tasks = append(t.Tasks, rt.Task)
	}
	b, _ := json.Marshal(t.Tasks)
	sum := sha256.Sum256(b)
	t.Hash = hex.EncodeToString(sum[:12])
	return t, nil
}

// number settles the tasks' numbers: running numbers ("1." … "21.") stay as
// they are; numbers that start again in each section ("1", "2" in I, "1" in
// II) take their section ("II.1"). A number used twice in one section is an
// error.
func number(tasks []rawTask, h header, sheet string) error {
	type key struct{ section, n string }
	first := map[key]int{}
	all := map[string]bool{}
	perSection := false
	for _, t := range tasks {
		k := key{t.Section, t.n}
		if r, dup := first[k]; dup {
			return &Error{Code: ErrDuplicate, Sheet: sheet, Row: t.Row, Col: h.col[colNumber], Header: h.text[colNumber], Detail: t.n, Other: r}
		}
		first[k] = t.Row
		if all[t.n] {
			perSection = true
		}
		all[t.n] = true
	}
	for i := range tasks {
		tasks[i].Number = tasks[i].n
		if perSection {
			tasks[i].Number = tasks[i].Section + "." + tasks[i].n
		}
	}
	return nil
}

func withSheet(e *Error, sheet string) *Error { e.Sheet = sheet; return e }

func headerOf(h header, c int) string {
	for k, col := range h.col {
		if col == c {
			return h.text[k]
		}
	}
	return ""
}

func joinText(a, b string) string {
	switch {
	case b == "":
		return a
	case a == "":
		return b
	}
	return a + " " + b
}

func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func firstFilled(row []string) int {
	for c, v := range row {
		if strings.TrimSpace(v) != "" {
			return c
		}
	}
	return -1
}

// firstAfter returns the first non-empty cell right of column c (a section
// heading, possibly merged across the other columns).
func firstAfter(row []string, c int) string {
	for j := c + 1; j < len(row); j++ {
		if v := collapse(row[j]); v != "" {
			return v
		}
	}
	return ""
}

var (
	// rePlanNumber is the plan's own number above its table: "Kế hoạch số
	// 77/KH-UBND" (the documents a plan implements, "Kết luận số 18-KL/TW
	// ngày 02/4/2026", are not it). A draft's blank number ("số /KH-UBND")
	// is no number.
	rePlanNumber = regexp.MustCompile(`(?i)kế hoạch\s+số\s*:?\s*(\d[\p{L}\d.-]*/[\p{L}\d./-]*[\p{L}\d])`)
	// rePlanDate is its date after the number: "ngày 10/02/2027", "ngày 10
	// tháng 02 năm 2027".
	rePlanDate = regexp.MustCompile(`(?i)^[^;]*?ngày\s+(\d{1,2})(?:\s*[/.-]\s*|\s+tháng\s+)(\d{1,2})(?:\s*[/.-]\s*|\s+năm\s+)(\d{4})`)
)

// findMeta reads the plan's number and date from the rows above the table.
func findMeta(rows [][]string) Meta {
	for _, row := range rows {
		text := collapse(strings.Join(row, " "))
		m := rePlanNumber.FindStringSubmatchIndex(text)
		if m == nil {
			continue
		}
		meta := Meta{Number: text[m[2]:m[3]]}
		if d := rePlanDate.FindStringSubmatch(text[m[1]:]); d != nil {
			if t, err := time.Parse("2/1/2006", d[1]+"/"+d[2]+"/"+d[3]); err == nil {
				meta.Date = t.Format(time.DateOnly)
			}
		}
		return meta
	}
	return Meta{}
}

var (
	// reTotal is a totals row's label: "Tổng cộng", "TỔNG SỐ:", "Cộng mục
	// I", "Tổng cộng (I+II)". The label is the whole cell, so that a task
	// text that begins "Tổng kết …" stays a task's text.
	reTotal = regexp.MustCompile(`^(tổng cộng|tổng số|tổng|cộng)(\s+(mục|phần)?\s*[ivxl0-9.+()\s]*)?\s*[:.]?$`)
	// reNote is a note or footnote under the table: "Ghi chú: …", "Lưu ý:",
	// "* …" (a lone "*" is a bullet), "(1) …".
	reNote = regexp.MustCompile(`^((ghi chú|lưu ý|chú ý|chú thích)\s*[:：]|\*+\s*\S|\(\d{1,2}\)\s*\S)`)
	// reSignature is the recipients and the signature block: "Nơi nhận:",
	// "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH".
	reSignature = regexp.MustCompile(`^(nơi nhận\s*:?|(tm|kt|tl|ttl|q|t/m|k/t)\.\s*\S.*|(phó )?chủ tịch)$`)
)

// isTotal tells whether a row's first cell labels a totals row. Subtotals
// stand between sections, so the table goes on after one.
func isTotal(first string) bool { return reTotal.MatchString(strings.ToLower(norm.NFC.String(first))) }

// endsTable tells whether a row's first cell begins what comes under the
// table: a note, a footnote, the recipients, the signature. Every row after
// it is no task either.
func endsTable(first string) bool {
	low := strings.ToLower(norm.NFC.String(first))
	if reNote.MatchString(low) {
		return true
	}
	return reSignature.MatchString(low) && (strings.HasPrefix(low, "nơi nhận") || isUpperHeading(first))
}

// colNumberRow tells whether a row is the "(1) (2) (3) …" row of column
// numbers under a header.
func colNumberRow(row []string) bool {
	n := 0
	for _, v := range row {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !reColNumbers.MatchString(v) {
			return false
		}
		n++
	}
	return n >= 3
}

// isUpperHeading tells whether a text is written in capitals, as section
// headings are ("HOÀN THIỆN THỂ CHẾ").
func isUpperHeading(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if unicode.IsLower(r) {
				return false
			}
			letters++
		}
	}
	return letters > 0
}
