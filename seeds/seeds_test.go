package seeds

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"agencybot/agency"
)

func loadPlans(t *testing.T) (p25, p26 Plan) {
	t.Helper()
	plans, err := Plans()
	if err != nil {
		t.Fatalf("Plans: %v", err)
	}
	if len(plans) != 2 {
		t.Fatalf("got %d plans, want 2", len(plans))
	}
	return plans[0], plans[1]
}

func findTask(t *testing.T, p Plan, number string) Task {
	t.Helper()
	for _, task := range p.Tasks {
		if task.Number == number {
			return task
		}
	}
	t.Fatalf("plan %s has no task %q", p.Code, number)
	return Task{}
}

func TestPlansTaskNumbers(t *testing.T) {
	p25, p26 := loadPlans(t)
	var want25 []string
	for i := 1; i <= 21; i++ {
		want25 = append(want25, strconv.Itoa(i))
	}
	want26 := []string{"I.1", "I.2", "II.1", "II.2", "II.3", "III.1", "III.2", "III.3", "III.4",
		"IV.1", "IV.2", "IV.3", "IV.4", "IV.5", "IV.6", "IV.7", "V.1", "V.2", "V.3"}
	for _, c := range []struct {
		p    Plan
		year int
		code string
		want []string
	}{{p25, 2025, "25", want25}, {p26, 2026, "26", want26}} {
		var got []string
		for _, task := range c.p.Tasks {
			got = append(got, task.Number)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("plan %d task numbers = %v, want %v", c.year, got, c.want)
		}
		if c.p.Year != c.year || c.p.Code != c.code {
			t.Errorf("plan %q: year %d code %q, want %d %q", c.p.Key, c.p.Year, c.p.Code, c.year, c.code)
		}
	}
	if len(p25.Tasks) != 21 || len(p26.Tasks) != 19 {
		t.Errorf("task counts %d/%d, want 21/19", len(p25.Tasks), len(p26.Tasks))
	}
}

func TestTaskCode(t *testing.T) {
	p25, p26 := loadPlans(t)
	if got := findTask(t, p25, "7").Code(p25); got != "25-7" {
		t.Errorf("Code = %q, want 25-7", got)
	}
	if got := findTask(t, p26, "IV.5").Code(p26); got != "26-IV.5" {
		t.Errorf("Code = %q, want 26-IV.5", got)
	}
}

type spot struct {
	number, prefix, suffix string
	lead, coord            Cell
	deadline, output       string
	section                string
}

func cell(text string, agencies []string, group string, rest ...string) Cell {
	if agencies == nil {
		agencies = []string{}
	}
	if rest == nil {
		rest = []string{}
	}
	return Cell{Text: text, Agencies: agencies, Group: group, Rest: rest}
}

var none = cell("", nil, "")

func TestSpotChecks(t *testing.T) {
	p25, p26 := loadPlans(t)
	dl := GroupDepartmentsLocalities
	checks25 := []spot{
		{"3", "Tập trung hoàn thành nhiệm vụ chuyển đổi số;", "bảo đảm hiệu quả, đúng tiến độ.",
			cell("Sở Khoa học và Công nghệ; Công an Tỉnh", []string{"so-khcn", "cong-an-tinh"}, ""),
			cell("Các sở, ban, ngành, địa phương đang quản lý, vận hành các nền tảng số, hệ thống thông tin, cơ sở dữ liệu", nil, dl),
			"Trước 31/12/2025", "Kế hoạch, báo cáo", "II"},
		{"5", "Bảo đảm đủ, kịp thời kinh phí", "theo Đề án chuyển đổi số trong các cơ quan đảng.",
			cell("Sở Tài chính", []string{"so-tai-chinh"}, ""),
			cell("Văn phòng Tỉnh ủy", []string{"vp-tinh-uy"}, ""),
			"Theo tiến độ thực hiện của Đề án số 05-ĐA/TU ngày 11/9/2025 của Ban Thường vụ Tỉnh ủy", "Báo cáo", "II"},
		{"13", "Tổ chức triển khai thực hiện hiệu quả các nhiệm vụ, dự án", "tránh trùng lặp, lãng phí.",
			cell("Sở, ban, ngành, địa phương thực hiện các nhiệm vụ, dự án", nil, dl),
			none, "Trong tháng 12/2025", "Kế hoạch, báo cáo", "IV"},
		{"18", "Chủ trì hướng dẫn, hỗ trợ doanh nghiệp áp dụng tiêu chuẩn", "tiêu chuẩn quốc gia, tiêu chuẩn quốc tế.",
			cell("Sở Khoa học và Công nghệ", []string{"so-khcn"}, ""),
			cell("Các sở, ban, ngành, địa phương", nil, dl),
			"", "Hướng dẫn", "V"},
		{"21", "Tổ chức diễn đàn/hội chợ về đổi mới sáng tạo", "thúc đẩy hợp tác và thương mại hoá sản phẩm.",
			cell("Sở Khoa học và Công nghệ", []string{"so-khcn"}, ""),
			cell("Các sở, ban, ngành, địa phương", nil, dl),
			"Tổ chức hằng năm hoặc theo nhu cầu thực tế phát sinh", "Kế hoạch, báo cáo", "VI"},
		{"2", "Tuân thủ chế độ báo cáo", "tiêu chí quan trọng để đánh giá năng lực, mức độ hoàn thành nhiệm vụ của người đứng đầu.",
			cell("Các sở, ban, ngành, địa phương được giao tài khoản báo cáo", nil, dl),
			none, "Thường xuyên", "Kết quả thực hiện trên hệ thống; Báo cáo", "I"},
		{"11", "Tham mưu xây dựng và ban hành Chương trình", "trí thức Việt Nam ở nước ngoài.",
			cell("Sở Khoa học và Công nghệ", []string{"so-khcn"}, ""),
			cell("Các sở, ban, ngành, địa phương", nil, dl),
			"Quý I/2026", "Chương trình", "III"},
	}
	checks26 := []spot{
		{"I.1", "Tập trung rà soát, hoàn thiện đồng bộ thể chế", "đề xuất cơ chế chấp nhận rủi ro có kiểm soát)",
			cell("Sở Khoa học và Công nghệ", []string{"so-khcn"}, ""),
			cell("Sở Tài chính, Sở Tư pháp", []string{"so-tai-chinh", "so-tu-phap"}, ""),
			"Khi Trung ương ban hành văn bản",
			"Các văn bản quy phạm pháp luật được ban hành, có hiệu lực thi hành đồng bộ với hiệu lực thi hành của các Luật đã được Quốc hội thông qua", "I"},
		{"IV.5", "Triển khai thực hiện có hiệu quả các chương trình, kế hoạch hợp tác",
			"trong đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số. Nghiên cứu tham mưu Ủy ban nhân dân tỉnh trong việc duy trì các mối hợp tác hiện có cũng như ký kết những chương trình, kế hoạch hợp tác mới",
			cell("Sở Khoa học và Công nghệ", []string{"so-khcn"}, ""),
			cell("Các sở: Y tế, Nông nghiệp và Môi trường, Công Thương, Tài chính, Nội vụ và các đơn vị ký kết hợp tác",
				[]string{"so-y-te", "so-nong-nghiep-va-moi-truong", "so-cong-thuong", "so-tai-chinh", "so-noi-vu"}, "",
				"các đơn vị ký kết hợp tác"),
			"Thường xuyên", "Báo cáo", "IV"},
		{"V.1", "Tổ chức tập huấn, nâng cao kỹ năng số", "thúc đẩy chuyển đổi số toàn diện, bền vững.",
			cell("Các sở, ban, ngành, địa phương", nil, dl),
			cell("Sở Khoa học và Công nghệ", []string{"so-khcn"}, ""),
			"Thường xuyên", "Kế hoạch, báo cáo", "V"},
		{"V.2", "Hình thành nhóm nghiên cứu mạnh/mạng lưới chuyên gia.", "Hình thành nhóm nghiên cứu mạnh/mạng lưới chuyên gia.",
			cell("Đại học Đồng Tháp, Đại học Tiền Giang", []string{"dai-hoc-dong-thap", "dai-hoc-tien-giang"}, ""),
			cell("Sở Khoa học và Công nghệ", []string{"so-khcn"}, ""),
			"2026 - 2030", "Nhóm nghiên cứu mạnh/mạng lưới chuyên gia.", "V"},
		{"V.3", "Nhân lực nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo đạt 9,5 người/1 vạn dân năm 2026",
			"đạt 12 người/1 vạn dân đến năm 2030",
			cell("Sở Khoa học và Công nghệ", []string{"so-khcn"}, ""),
			cell("Các viện, trường; sở, ban, ngành", nil, GroupDepartmentsUniversities),
			"2026 - 2030", "Báo cáo", "V"},
		{"II.1", "Đổi mới việc quản lý các nhiệm vụ khoa học, công nghệ;", "có ảnh hưởng sâu rộng đến kinh tế - xã hội của tỉnh)",
			cell("Sở Khoa học và Công nghệ", []string{"so-khcn"}, ""),
			cell("Sở Tài chính, và các sở, ban, ngành, tổ chức, cá nhân liên quan", []string{"so-tai-chinh"}, GroupDepartments,
				"tổ chức, cá nhân liên quan"),
			"Ngay sau khi Chính phủ, Bộ, ngành ban hành các quy định liên quan", "Tờ trình, Báo cáo", "II"},
	}
	for _, c := range []struct {
		p      Plan
		checks []spot
	}{{p25, checks25}, {p26, checks26}} {
		for _, s := range c.checks {
			task := findTask(t, c.p, s.number)
			code := task.Code(c.p)
			if !strings.HasPrefix(task.Title, s.prefix) || !strings.HasSuffix(task.Title, s.suffix) {
				t.Errorf("%s title = %q, want prefix %q and suffix %q", code, task.Title, s.prefix, s.suffix)
			}
			if !reflect.DeepEqual(task.Lead, s.lead) {
				t.Errorf("%s lead = %+v, want %+v", code, task.Lead, s.lead)
			}
			if !reflect.DeepEqual(task.Coordinating, s.coord) {
				t.Errorf("%s coordinating = %+v, want %+v", code, task.Coordinating, s.coord)
			}
			if task.Deadline != s.deadline || task.Output != s.output || task.Section != s.section {
				t.Errorf("%s deadline/output/section = %q/%q/%q, want %q/%q/%q", code,
					task.Deadline, task.Output, task.Section, s.deadline, s.output, s.section)
			}
		}
	}
	// No markup leaks into plan 2026.
	for _, task := range p26.Tasks {
		for _, s := range []string{task.Title, task.Output, task.Note, task.Deadline} {
			if strings.ContainsAny(s, "<>*") {
				t.Errorf("%s contains markup: %q", task.Code(p26), s)
			}
		}
	}
	if task := findTask(t, p26, "V.1"); !strings.Contains(task.Title, `nền tảng "Bình dân học vụ số"; Duy trì`) {
		t.Errorf("26-V.1 title not joined across the page break: %q", task.Title)
	}
	if task := findTask(t, p26, "II.1"); !strings.Contains(task.Title, "đặt hàng (đối với các chuyên gia") {
		t.Errorf("26-II.1 title lost the words of the <i> span: %q", task.Title)
	}
}

// TestCellsAgreeWithRegistry checks each agency cell's reading against its
// text: every listed agency is named in the text (by name or alias; in a
// "Các sở: A, B" list by its name without "Sở "), no other registry agency
// is named there, and the group follows from the words of the text.
func TestCellsAgreeWithRegistry(t *testing.T) {
	p25, p26 := loadPlans(t)
	agencies, err := Agencies()
	if err != nil {
		t.Fatal(err)
	}
	// An independent, plainer reading than the parser's: lower case,
	// whitespace collapsed, substrings.
	NormName := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	named := func(a Agency, text string) bool {
		lt := NormName(text)
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			if strings.Contains(lt, NormName(n)) {
				return true
			}
		}
		if list, ok := strings.CutPrefix(lt, "các sở:"); ok && strings.HasPrefix(a.Name, "Sở ") {
			short := " " + NormName(strings.TrimPrefix(a.Name, "Sở "))
			if strings.Contains(list, short+",") || strings.Contains(list, short+" và ") || strings.HasSuffix(list, short) {
				return true
			}
		}
		return false
	}
	for _, p := range []Plan{p25, p26} {
		for _, task := range p.Tasks {
			for role, c := range map[string]Cell{"lead": task.Lead, "coordinating": task.Coordinating} {
				where := task.Code(p) + " " + role
				for _, a := range agencies {
					if in := slices.Contains(c.Agencies, a.Key); in != named(a, c.Text) {
						t.Errorf("%s: agency %s listed=%v but named in %q = %v", where, a.Key, in, c.Text, !in)
					}
				}
				lt := NormName(c.Text)
				dept := strings.Contains(lt, "sở, ban, ngành") || strings.Contains(lt, "sở, ngành")
				loc := strings.Contains(lt, "địa phương") || strings.Contains(lt, "xã, phường")
				uni := strings.Contains(lt, "các trường đại học") || strings.Contains(lt, "các viện, trường")
				want := GroupNone
				switch {
				case dept && loc:
					want = GroupDepartmentsLocalities
				case dept && uni:
					want = GroupDepartmentsUniversities
				case dept:
					want = GroupDepartments
				case loc:
					want = GroupLocalities
				case uni:
					want = GroupUniversities
				}
				if c.Group != want {
					t.Errorf("%s: group %q, want %q for %q", where, c.Group, want, c.Text)
				}
			}
		}
	}
}

func TestAgencies(t *testing.T) {
	agencies, err := Agencies()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"so-khcn": "Sở Khoa học và Công nghệ", "cong-an-tinh": "Công an tỉnh", "vp-ubnd-tinh": "Văn phòng UBND tỉnh",
		"so-cong-thuong": "Sở Công Thương", "vp-tinh-uy": "Văn phòng Tỉnh ủy", "so-xay-dung": "Sở Xây dựng",
		"thanh-tra-tinh": "Thanh tra tỉnh", "dai-hoc-tien-giang": "Đại học Tiền Giang",
	}
	for key, name := range want {
		i := slices.IndexFunc(agencies, func(a Agency) bool { return a.Key == key })
		if i < 0 || agencies[i].Name != name {
			t.Errorf("agency %s missing or not named %q", key, name)
		}
	}
	list := make([]agency.Agency, len(agencies))
	for i, a := range agencies {
		list[i] = agency.Agency{Key: a.Key, Name: a.Name, Kind: agency.Kind(a.Kind), Aliases: a.Aliases}
	}
	ix, err := agency.NewIndex(list)
	if err != nil {
		t.Fatal(err)
	}
	for text, key := range map[string]string{
		"Công an Tỉnh": "cong-an-tinh", "Sở Công thương": "so-cong-thuong", "Văn phòng UBND Tỉnh": "vp-ubnd-tinh",
		"Hiệp hội doanh nghiệp": "hiep-hoi-doanh-nghiep", "Sở  KH&CN": "so-khcn", "Văn phòng Ủy ban nhân dân tỉnh": "vp-ubnd-tinh",
	} {
		if a, ok := ix.Match(text); !ok || a.Key != key {
			t.Errorf("Match(%q) = %q, %v; want %q", text, a.Key, ok, key)
		}
	}
	// Every agency the plans reference is marked source "plan".
	p25, p26 := loadPlans(t)
	used := map[string]bool{}
	for _, p := range []Plan{p25, p26} {
		for _, task := range p.Tasks {
			for _, k := range append(slices.Clone(task.Lead.Agencies), task.Coordinating.Agencies...) {
				used[k] = true
			}
		}
	}
	for _, a := range agencies {
		if used[a.Key] && a.Source != "plan" {
			t.Errorf("agency %s is used by a plan but has source %q", a.Key, a.Source)
		}
	}
}

func TestValidatePlansRejectsBrokenData(t *testing.T) {
	agencies := []Agency{
		{Key: "so-khcn", Name: "Sở Khoa học và Công nghệ", Kind: "department", Aliases: []string{"Sở KHCN"}, Source: "plan"},
		{Key: "so-tai-chinh", Name: "Sở Tài chính", Kind: "department", Source: "plan"},
	}
	good := Plan{Key: "p", Code: "99", Year: 2025, Title: "T", Tasks: []Task{{
		Section: "I", SectionTitle: "S", Number: "1", Title: "x",
		Lead:         Cell{Text: "Sở Khoa học và Công nghệ", Agencies: []string{"so-khcn"}},
		Coordinating: Cell{Text: "Các sở, ban, ngành", Group: GroupDepartments},
	}}}
	if err := ValidatePlans([]Plan{good}, agencies); err != nil {
		t.Fatalf("valid plan rejected: %v", err)
	}
	bad := good
	bad.Tasks = []Task{
		good.Tasks[0],
		{Section: "I", SectionTitle: "S", Number: "1", Title: "duplicate number", Lead: Cell{Text: "X", Agencies: []string{"so-khong-co"}}},
		{Section: "I", SectionTitle: "S", Number: "2", Title: "", Lead: Cell{}},
		{Section: "I", SectionTitle: "S", Number: "3", Title: "bad group", Lead: Cell{Text: "Các sở", Group: "everyone"}},
		{Section: "I", SectionTitle: "S", Number: "4", Title: "unresolved", Lead: Cell{Text: "Ai đó"}},
		{Section: "I", SectionTitle: "S", Number: "5", Title: "rest", Lead: Cell{Text: "A", Rest: []string{"B"}}},
	}
	err := ValidatePlans([]Plan{bad}, agencies)
	if err == nil {
		t.Fatal("broken plan accepted")
	}
	for _, want := range []string{
		"duplicate task number", `unknown agency key "so-khong-co"`, "empty title", "empty lead",
		`unknown group "everyone"`, "not resolved", `rest part "B"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
	dupPlans := []Plan{good, good}
	if err := ValidatePlans(dupPlans, agencies); err == nil || !strings.Contains(err.Error(), "duplicate plan key") {
		t.Errorf("duplicate plan not rejected: %v", err)
	}
	badAgencies := append(slices.Clone(agencies),
		Agency{Key: "so-khcn", Name: "Sở KH và CN", Kind: "department", Source: "plan"},
		Agency{Key: "khcn-2", Name: "sở khcn", Kind: "department", Source: "plan"},
		Agency{Key: "Bad Key", Name: "Z", Kind: "ministry", Source: "guess"},
	)
	err = ValidatePlans([]Plan{good}, badAgencies)
	for _, want := range []string{"duplicate key", `"sở khcn" already used by "so-khcn"`, "slug", `unknown kind "ministry"`, "source must be"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad registry: error does not mention %q: %v", want, err)
		}
	}
}

func TestHolidays(t *testing.T) {
	days, err := Holidays()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	prev := ""
	for _, h := range days {
		d, err := time.Parse(time.DateOnly, h.Date)
		if err != nil {
			t.Fatalf("bad date %q", h.Date)
		}
		if d.Year() < 2025 || d.Year() > 2027 {
			t.Errorf("%s outside 2025–2027", h.Date)
		}
		if h.Date <= prev {
			t.Errorf("%s not after %s", h.Date, prev)
		}
		prev = h.Date
		have[h.Date] = true
	}
	for _, d := range []string{
		"2025-01-01", "2025-01-29", "2025-04-07", "2025-04-30", "2025-05-01", "2025-09-01", "2025-09-02",
		"2026-01-01", "2026-02-17", "2026-04-26", "2026-04-30", "2026-05-01", "2026-09-02",
		"2027-01-01", "2027-02-06", "2027-04-16", "2027-04-30", "2027-05-01", "2027-09-02",
	} {
		if !have[d] {
			t.Errorf("holiday %s missing", d)
		}
	}
	// The official Tết breaks are contiguous runs, weekends included.
	for _, r := range [][2]string{{"2025-01-25", "2025-02-02"}, {"2026-02-14", "2026-02-22"}} {
		a, _ := time.Parse(time.DateOnly, r[0])
		b, _ := time.Parse(time.DateOnly, r[1])
		for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
			if !have[d.Format(time.DateOnly)] {
				t.Errorf("Tết break day %s missing", d.Format(time.DateOnly))
			}
		}
	}
	if err := ValidateHolidays([]Holiday{{Date: "2026-02-17", Name: "a"}, {Date: "2026-02-17", Name: "b"}}); err == nil {
		t.Error("duplicate holiday accepted")
	}
	if err := ValidateHolidays([]Holiday{{Date: "2026-02-30", Name: "a"}}); err == nil {
		t.Error("bad date accepted")
	}
}

// TestFilesAreCanonical checks the JSON files are exactly what json.Encoder
// (SetEscapeHTML(false), two-space indent) writes for the typed data, so
// unknown fields, \u escapes or stray formatting cannot slip in.
func TestFilesAreCanonical(t *testing.T) {
	targets := map[string]func() any{
		"plan-2025.json":    func() any { return new(Plan) },
		"plan-2026.json":    func() any { return new(Plan) },
		"agencies.json":     func() any { return new([]Agency) },
		"holidays.json":     func() any { return new(HolidayFile) },
		"targets-2026.json": func() any { return new(TargetFile) },
	}
	entries, err := files.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(targets) {
		t.Errorf("embedded %d files, expected %d", len(entries), len(targets))
	}
	for name, mk := range targets {
		raw, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		v := mk()
		if err := decodeFile(name, v); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), raw) {
			t.Errorf("%s is not in canonical form (re-encode it with json.Encoder, SetEscapeHTML(false), SetIndent(\"\", \"  \"))", name)
		}
		if bytes.Contains(raw, []byte(`\u`)) {
			t.Errorf("%s contains \\u escapes", name)
		}
	}
}

// deadlineShapes are the deadline phrases DOMAIN.md lists. A deadline that
// fits none of them usually means a cell boundary was misread (for example an
// output glued to the deadline: "Trước 31/12/2025 Báo cáo").
var deadlineShapes = []*regexp.Regexp{
	regexp.MustCompile(`^Trước (ngày )?\d{1,2}/\d{1,2}/\d{4}$`),
	regexp.MustCompile(`^Trong tháng \d{1,2}/\d{4}$`),
	regexp.MustCompile(`^Quý (I|II|III|IV)/\d{4}$`),
	regexp.MustCompile(`^Năm \d{4}$`),
	regexp.MustCompile(`^\d{4} ?[-–] ?\d{4}$`),
	regexp.MustCompile(`^(Nhiệm vụ t|T)hường xuyên( \(.+\)| theo quy định hiện hành)?$`),
	regexp.MustCompile(`^(Hàng|Hằng) năm$`),
	regexp.MustCompile(`^Tổ chức hằng năm hoặc theo nhu cầu thực tế phát sinh$`),
	regexp.MustCompile(`^(Khi|Ngay sau khi) .+ ban hành .+$`),
	regexp.MustCompile(`^Theo (tiến độ|thời gian) .+$`),
}

func TestDeadlineShapesAndWhitespace(t *testing.T) {
	p25, p26 := loadPlans(t)
	for _, p := range []Plan{p25, p26} {
		for _, task := range p.Tasks {
			code := task.Code(p)
			if task.Deadline != "" && !slices.ContainsFunc(deadlineShapes, func(re *regexp.Regexp) bool { return re.MatchString(task.Deadline) }) {
				t.Errorf("%s deadline %q fits no known phrase", code, task.Deadline)
			}
			for _, s := range append([]string{task.Title, task.SectionTitle, task.Lead.Text, task.Coordinating.Text,
				task.Deadline, task.Output, task.Note}, append(task.Lead.Rest, task.Coordinating.Rest...)...) {
				if s != strings.Join(strings.Fields(s), " ") {
					t.Errorf("%s: whitespace not collapsed in %q", code, s)
				}
			}
		}
		for _, s := range []string{p.Title, p.Number, p.Date, p.AppendixTitle, p.Reporting} {
			if s != strings.Join(strings.Fields(s), " ") || s == "" {
				t.Errorf("plan %s: empty or uncollapsed header field %q", p.Code, s)
			}
		}
	}
	// Task 18 of plan 2025 has no deadline in the table.
	if d := findTask(t, p25, "18").Deadline; d != "" {
		t.Errorf("25-18 deadline = %q, want empty", d)
	}
}
