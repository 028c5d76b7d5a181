//go:build checkseeds

// These tests compare seeds/ with the source documents, which are not in the
// repository: `make check-seeds` runs them (PLANS_DIR, default ../shared/plans).
// They are built only with the checkseeds tag, so `make test` needs nothing
// outside the repository.

package seeds

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sourceDir is where the source documents are: PLANS_DIR (make check-seeds
// sets it, absolute) or shared/plans beside the repository.
func sourceDir() string {
	if d := os.Getenv("PLANS_DIR"); d != "" {
		return d
	}
	return "../../shared/plans"
}

const (
	source2025 = "000_2c0730acbf0d633b.txt"
	source2026 = "002_4640159613110c52.txt"
)

func readSource(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sourceDir(), name))
	if err != nil {
		abs, _ := filepath.Abs(sourceDir())
		t.Fatalf("source plan %s not found in %s (make check-seeds compares the seed files with the source documents; "+
			"set PLANS_DIR to the folder that holds them): %v", name, abs, err)
	}
	return string(b)
}

var hyphenBreak = regexp.MustCompile(`(\S[-–])[ \t]*\n\s*`)

// collapse joins a word broken after a hyphen or dash at the end of a line
// ("05-\nĐA/TU" -> "05-ĐA/TU", "2026–\n2030" -> "2026–2030") and collapses
// all other whitespace runs to one space.
func collapse(s string) string {
	s = hyphenBreak.ReplaceAllString(s, "$1")
	return strings.Join(strings.Fields(s), " ")
}

func untag(s string) string {
	return strings.NewReplacer("<i>", "", "</i>", "").Replace(s)
}

// appendix returns the text from the "Phụ lục" line on.
func appendix(t *testing.T, src string) string {
	t.Helper()
	i := strings.Index(src, "\nPhụ lục\n")
	if i < 0 || strings.Count(src, "\nPhụ lục\n") != 1 {
		t.Fatalf("source has no single \"Phụ lục\" line")
	}
	return src[i+1:]
}

// TestPlan2025MatchesSource proves the transcription of plan 2025 is exact:
// the collapsed appendix, with the repeated table header removed, must be
// exactly the sequence of section headings and tasks, each task being
// "N. " + title + lead + coordinating + deadline + output (the PDF extraction
// emits the cells in that order), where a page break may put the cells (and
// the removed header) inside the title.
func TestPlan2025MatchesSource(t *testing.T) {
	p25, _ := loadPlans(t)
	app := collapse(appendix(t, readSource(t, source2025)))
	const header = "TT Tên nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp Thời gian hoàn thành Kết quả/Dự kiến kết quả"
	if n := strings.Count(app, header); n != 7 {
		t.Fatalf("expected the table header 7 times in the appendix, found %d", n)
	}
	app = strings.Join(strings.Fields(strings.ReplaceAll(app, header, " ")), " ")
	start := strings.Index(app, p25.Tasks[0].Section+" "+p25.Tasks[0].SectionTitle+" ")
	if start < 0 {
		t.Fatalf("first section heading not found in the appendix")
	}
	cur := start
	for i, task := range p25.Tasks {
		code := task.Code(p25)
		if i == 0 || task.Section != p25.Tasks[i-1].Section {
			heading := task.Section + " " + task.SectionTitle + " "
			if !strings.HasPrefix(app[cur:], heading) {
				t.Fatalf("%s: expected section heading %q at %q", code, heading, excerpt(app[cur:]))
			}
			cur += len(heading)
		}
		marker := task.Number + ". "
		if !strings.HasPrefix(app[cur:], marker) {
			t.Fatalf("%s: expected %q at %q", code, marker, excerpt(app[cur:]))
		}
		cur += len(marker)
		var content string
		if i+1 < len(p25.Tasks) {
			next := p25.Tasks[i+1]
			tok := " " + next.Number + ". "
			if next.Section != task.Section {
				tok = " " + next.Section + " " + next.SectionTitle + " "
			}
			end := strings.Index(app[cur:], tok)
			if end < 0 {
				t.Fatalf("%s: start of the next row %q not found", code, tok)
			}
			content = app[cur : cur+end]
			cur += end + 1
		} else {
			content = strings.TrimSpace(app[cur:])
		}
		var cells []string
		for _, c := range []string{task.Lead.Text, task.Coordinating.Text, task.Deadline, task.Output} {
			if c != "" {
				cells = append(cells, c)
			}
		}
		if !rowMatches(content, task.Title, strings.Join(cells, " ")) {
			t.Errorf("%s does not match the source row.\nsource: %s\ntitle:  %s\ncells:  %s", code, content, task.Title, strings.Join(cells, " | "))
		}
	}
}

// rowMatches reports whether content is title followed by cells, or the
// title split at one space with cells in between.
func rowMatches(content, title, cells string) bool {
	if content == title+" "+cells {
		return true
	}
	for k := 0; k < len(title); k++ {
		if title[k] == ' ' && content == title[:k]+" "+cells+" "+title[k+1:] {
			return true
		}
	}
	return false
}

func excerpt(s string) string {
	r := []rune(s)
	if len(r) > 80 {
		r = r[:80]
	}
	return string(r)
}

// TestPlan2026MatchesSource re-reads the tab-separated appendix of plan 2026
// (a row with an empty STT after a repeated header continues the previous
// row) and compares every field.
func TestPlan2026MatchesSource(t *testing.T) {
	_, p26 := loadPlans(t)
	var got []Task
	section, title := "", ""
	for _, line := range strings.Split(appendix(t, readSource(t, source2026)), "\n") {
		if !strings.Contains(line, "\t") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 7 {
			t.Fatalf("row with %d columns: %q", len(c), line)
		}
		for i := range c {
			c[i] = strings.TrimSpace(c[i])
		}
		switch {
		case c[0] == "STT":
		case romanRe.MatchString(c[0]):
			section, title = c[0], c[1]
		case c[0] == "":
			if len(got) == 0 {
				t.Fatalf("continuation row before any task")
			}
			last := &got[len(got)-1]
			for i, f := range []*string{&last.Title, &last.Lead.Text, &last.Coordinating.Text, &last.Output, &last.Deadline, &last.Note} {
				if c[i+1] != "" {
					*f = strings.TrimSpace(*f + " " + c[i+1])
				}
			}
		default:
			got = append(got, Task{Section: section, SectionTitle: title, Number: section + "." + c[0], Title: c[1],
				Lead: Cell{Text: c[2]}, Coordinating: Cell{Text: c[3]}, Output: c[4], Deadline: c[5], Note: c[6]})
		}
	}
	if len(got) != len(p26.Tasks) {
		t.Fatalf("source has %d tasks, seed has %d", len(got), len(p26.Tasks))
	}
	norm := func(s string) string { return collapse(untag(s)) }
	for i, src := range got {
		seed := p26.Tasks[i]
		code := seed.Code(p26)
		pairs := [][3]string{
			{"section", src.Section, seed.Section},
			{"section_title", src.SectionTitle, seed.SectionTitle},
			{"number", src.Number, seed.Number},
			{"title", norm(src.Title), seed.Title},
			{"lead", norm(src.Lead.Text), seed.Lead.Text},
			{"coordinating", norm(src.Coordinating.Text), seed.Coordinating.Text},
			{"output", norm(src.Output), seed.Output},
			{"deadline", norm(src.Deadline), seed.Deadline},
			{"note", norm(src.Note), seed.Note},
		}
		for _, p := range pairs {
			if p[1] != p[2] {
				t.Errorf("%s %s:\nsource: %q\nseed:   %q", code, p[0], p[1], p[2])
			}
		}
	}
}

// TestTextsOccurInSource checks the simpler property asked of every
// transcription: each deadline (both plans), each plan 2025 title once the
// page headers and the row's own cells are taken out (see
// TestPlan2025MatchesSource), each plan 2026 title part, and the plan
// headers occur verbatim in the collapsed source.
func TestTextsOccurInSource(t *testing.T) {
	p25, p26 := loadPlans(t)
	src25 := collapse(readSource(t, source2025))
	src26raw := readSource(t, source2026)
	src26 := collapse(untag(strings.ReplaceAll(src26raw, "**", "")))
	for _, c := range []struct {
		p   Plan
		src string
	}{{p25, src25}, {p26, src26}} {
		for _, task := range c.p.Tasks {
			if task.Deadline != "" && !strings.Contains(c.src, task.Deadline) {
				t.Errorf("%s deadline %q not in source", task.Code(c.p), task.Deadline)
			}
			if task.Output != "" && !strings.Contains(c.src, task.Output) {
				t.Errorf("%s output %q not in source", task.Code(c.p), task.Output)
			}
		}
		for name, s := range map[string]string{"title": c.p.Title, "appendix_title": c.p.AppendixTitle, "date": c.p.Date} {
			if !strings.Contains(c.src, s) {
				t.Errorf("plan %s %s %q not in source", c.p.Code, name, s)
			}
		}
		if !strings.Contains(c.src, "Số: "+c.p.Number) {
			t.Errorf("plan %s number %q not in source", c.p.Code, c.p.Number)
		}
	}
	// Plan 2026 titles: whole, or (for rows continued after a page break)
	// each row part on its own.
	for _, task := range p26.Tasks {
		if strings.Contains(src26, task.Title) {
			continue
		}
		ok := false
		for k := 0; k < len(task.Title); k++ {
			if task.Title[k] == ' ' && strings.Contains(src26, task.Title[:k]) && strings.Contains(src26, task.Title[k+1:]) &&
				(strings.Contains(src26raw, "\t"+task.Title[k+1:]+"\t")) {
				ok = true
				break
			}
		}
		if !ok {
			t.Errorf("%s title not in source: %q", task.Code(p26), task.Title)
		}
	}
	// Reporting: sentences as written (plan 2025 without the footnote marker "3").
	for _, s := range strings.SplitAfter(p25.Reporting, "theo quy định. ") {
		s = strings.TrimSpace(s)
		if !strings.Contains(strings.ReplaceAll(src25, "283/KH-UBND3,", "283/KH-UBND,"), s) {
			t.Errorf("plan 25 reporting part not in source: %q", s)
		}
	}
	for _, s := range strings.SplitAfter(p26.Reporting, "năm 2030. ") {
		if !strings.Contains(src26, strings.TrimSpace(s)) {
			t.Errorf("plan 26 reporting part not in source: %q", s)
		}
	}
}

// objectives returns the specific objectives of plan 2026 (section I.2,
// "Mục tiêu cụ thể đến năm 2030", up to section II), collapsed, with the
// PDF extraction's LaTeX ("$\geq 0,75$") read as the sign it stands for.
func objectives(t *testing.T, src string) string {
	t.Helper()
	const head, end = "2. Mục tiêu cụ thể đến năm 2030", "II. NGUYÊN TẮC TRIỂN KHAI"
	i, j := strings.Index(src, head), strings.Index(src, end)
	if i < 0 || j < i {
		t.Fatalf("plan 2026 has no section %q before %q", head, end)
	}
	s := strings.NewReplacer(`$\geq `, "≥ ", `$\leq `, "≤ ", "$", "").Replace(src[i+len(head) : j])
	return collapse(s)
}

var figureRe = regexp.MustCompile(`(?:trên |≥ |≤ |dưới )?\d+(?:,\d+)?(?: ?%| người)?`)

// TestTargets2026MatchesSource compares the targets of plan 2026 with its
// objectives: each target's source sentence is in them, its name and final
// phrase in its sentence (the name's first letter may be capitalised), the
// final year is the section's 2030, the direction is the one the phrase
// states, every figure of the section belongs to a target, and task V.3's
// row states the 2026 milestone and the final value of the last target.
func TestTargets2026MatchesSource(t *testing.T) {
	files, err := Targets()
	if err != nil {
		t.Fatal(err)
	}
	_, p26 := loadPlans(t)
	src := readSource(t, source2026)
	obj := objectives(t, src)
	lowerFirst := func(s string) string {
		r := []rune(s)
		return strings.ToLower(string(r[:1])) + string(r[1:])
	}
	var finals []string
	for _, tg := range files[0].Targets {
		where := "target " + tg.Number
		if !strings.Contains(obj, tg.Source) {
			t.Errorf("%s: source %q is not in the objectives", where, tg.Source)
		}
		if !strings.Contains(tg.Source, tg.Name) && !strings.Contains(tg.Source, lowerFirst(tg.Name)) {
			t.Errorf("%s: name %q is not in its source %q", where, tg.Name, tg.Source)
		}
		if tg.Final.Year != 2030 {
			t.Errorf("%s: final year %d, the section sets 2030", where, tg.Final.Year)
		}
		text := tg.Final.Text
		if tg.Task == "" && !strings.Contains(tg.Source, text) {
			t.Errorf("%s: final %q is not in its source %q", where, text, tg.Source)
		}
		finals = append(finals, text)
		if tg.Direction != "at_least" {
			t.Errorf("%s: direction %s; the plan's \"đạt\", \"trên\" and \"≥\" mean at least", where, tg.Direction)
		}
		if strings.HasPrefix(text, "trên ") != strings.Contains(tg.Source, "trên "+strings.TrimPrefix(text, "trên ")) {
			t.Errorf("%s: %q and its source disagree on \"trên\"", where, text)
		}
		if tg.Task == "" {
			continue
		}
		task := findTask(t, p26, tg.Task)
		if !strings.Contains(obj, tg.Final.Text) {
			t.Errorf("%s: final %q is not in the objectives", where, tg.Final.Text)
		}
		for _, m := range tg.Milestones {
			if !strings.Contains(task.Title, "đạt "+m.Text+" năm "+strconv.Itoa(m.Year)) {
				t.Errorf("%s: task %s does not state %q in %d: %q", where, tg.Task, m.Text, m.Year, task.Title)
			}
		}
		if !strings.Contains(task.Title, "đạt "+strings.TrimSuffix(tg.Final.Value, ",0")+" "+tg.Unit+" đến năm 2030") {
			t.Errorf("%s: task %s does not state %s %s by 2030: %q", where, tg.Task, tg.Final.Value, tg.Unit, task.Title)
		}
		if !strings.Contains(collapse(untag(src)), task.Title) {
			t.Errorf("%s: task %s's title is not in the source", where, tg.Task)
		}
	}
	all := strings.Join(finals, " | ")
	found := figureRe.FindAllString(obj, -1)
	if len(found) != len(finals) {
		t.Errorf("the objectives state %d figures %q, the seeds have %d targets", len(found), found, len(finals))
	}
	for _, f := range found {
		if !strings.Contains(all, f) {
			t.Errorf("the objectives' %q belongs to no target (%s)", f, all)
		}
	}
}
