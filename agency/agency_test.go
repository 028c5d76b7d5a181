package agency

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// realAgencies are the agencies named in the two plans (and a few communes),
// spelled as an administrator would register them.
func realAgencies() []Agency {
	return []Agency{
		{Key: "so-khoa-hoc-va-cong-nghe", Name: "Sở Khoa học và Công nghệ", Kind: Department, Aliases: []string{"Sở KH&CN"}},
		{Key: "so-tai-chinh", Name: "Sở Tài chính", Kind: Department},
		{Key: "so-tu-phap", Name: "Sở Tư pháp", Kind: Department},
		{Key: "so-noi-vu", Name: "Sở Nội vụ", Kind: Department},
		{Key: "so-cong-thuong", Name: "Sở Công Thương", Kind: Department},
		{Key: "so-y-te", Name: "Sở Y tế", Kind: Department},
		{Key: "so-nong-nghiep-va-moi-truong", Name: "Sở Nông nghiệp và Môi trường", Kind: Department},
		{Key: "so-giao-duc-va-dao-tao", Name: "Sở Giáo dục và Đào tạo", Kind: Department},
		{Key: "so-van-hoa-the-thao-va-du-lich", Name: "Sở Văn hóa, Thể thao và Du lịch", Kind: Department},
		{Key: "thanh-tra", Name: "Thanh tra tỉnh", Kind: Department},
		{Key: "van-phong-uy-ban-nhan-dan", Name: "Văn phòng UBND tỉnh", Kind: Office},
		{Key: "cong-an", Name: "Công an tỉnh", Kind: Police},
		{Key: "van-phong-tinh-uy", Name: "Văn phòng Tỉnh ủy", Kind: Party},
		{Key: "dai-hoc-dong-thap", Name: "Đại học Đồng Tháp", Kind: University},
		{Key: "dai-hoc-tien-giang", Name: "Đại học Tiền Giang", Kind: University},
		{Key: "doan-thanh-nien", Name: "Đoàn TNCS Hồ Chí Minh tỉnh", Kind: Organisation},
		{Key: "hiep-hoi-doanh-nghiep", Name: "Hiệp hội Doanh nghiệp tỉnh Đồng Tháp", Kind: Organisation},
		{Key: "phuong-cao-lanh", Name: "Phường Cao Lãnh", Kind: Commune},
		{Key: "phuong-my-tho", Name: "Phường Mỹ Tho", Kind: Commune},
		{Key: "xa-tan-hong", Name: "Xã Tân Hồng", Kind: Commune},
	}
}

func realIndex(t testing.TB) *Index {
	t.Helper()
	ix, err := NewIndex(realAgencies())
	if err != nil {
		t.Fatalf("NewIndex: %v", err)
	}
	return ix
}

func TestNormalizeVariantsMeet(t *testing.T) {
	groups := [][]string{
		{"Sở Tài chính", "Sở Tài chính tỉnh Đồng Tháp", "sở tài chính tỉnh", "SO TAI CHINH", "  Sở  Tài\tchính. "},
		{"Công an Tỉnh", "Công an tỉnh", "công an tỉnh Đồng Tháp", "Công an"},
		{"Sở Công thương", "Sở Công Thương", "Sở Công thương tỉnh"},
		{"Tỉnh ủy", "Tỉnh uỷ", "TỈNH ỦY"},
		{"Văn phòng Tỉnh ủy", "Văn phòng Tỉnh uỷ", "VP Tỉnh ủy"},
		{"Sở Khoa học và Công nghệ", "Sở KH&CN", "Sở KHCN", "Sở KH & CN", "sở khoa hoc va cong nghe", "Sở Khoa học và Công nghệ tỉnh Đồng Tháp", "Sở KH-CN"},
		{"Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "Sở GDĐT", "Sở GD-ĐT", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"},
		{"Văn phòng UBND Tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh", "Văn phòng Uỷ ban nhân dân tỉnh Đồng Tháp", "VPUB"},
		{"Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh", "Đoàn TNCS Hồ Chí Minh", "Đoàn TNCS HCM tỉnh", "ĐTN Cộng sản Hồ Chí Minh tỉnh"},
		{"Thành phố Hồ Chí Minh", "TP. HCM", "TP.HCM", "Tp Hồ Chí Minh"},
		{"Đại học Đồng Tháp", "ĐH Đồng Tháp", "Đại học Đồng Tháp tỉnh Đồng Tháp"},
	}
	for _, g := range groups {
		want := Normalize(g[0])
		if want == "" {
			t.Fatalf("Normalize(%q) is empty", g[0])
		}
		for _, v := range g[1:] {
			if got := Normalize(v); got != want {
				t.Errorf("Normalize(%q) = %q, want %q (as %q)", v, got, want, g[0])
			}
		}
	}
}

func TestNormalizeValues(t *testing.T) {
	cases := map[string]string{
		"Sở Khoa học và Công nghệ":   "so khoa hoc va cong nghe",
		"Sở KH&CN":                   "so khoa hoc va cong nghe",
		"UBND tỉnh Đồng Tháp":        "uy ban nhan dan",
		"Văn phòng Tỉnh ủy":          "van phong tinh uy",
		"Đại học Đồng Tháp":          "dai hoc dong thap",
		"Đoàn TNCS Hồ Chí Minh tỉnh": "doan thanh nien cong san ho chi minh",
		"Tỉnh":                       "tinh",
		"Tỉnh Đồng Tháp":             "tinh dong thap",
		"":                           "",
		"  ;,.&  ":                   "",
		"Sở Văn hóa, Thể thao và Du lịch": "so van hoa the thao va du lich",
		"Sở VH,TT&DL":                      "so van hoa the thao va du lich",
		"ubnd các xã, phường":              "uy ban nhan dan cac xa phuong",
		"Hiệp hội Doanh nghiệp tỉnh":       "hiep hoi doanh nghiep",
		"Phường Cao Lãnh":                  "phuong cao lanh",
		"TPHCM":                            "tphcm", // not a whole-word abbreviation
		"Sở Khoa học và Công nghệ (KH&CN)": "so khoa hoc va cong nghe khoa hoc va cong nghe",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeKeepsAgenciesApart(t *testing.T) {
	pairs := [][2]string{
		{"Sở Tài chính", "Sở Tư pháp"},
		{"Đại học Đồng Tháp", "Đại học Tiền Giang"},
		{"Văn phòng UBND tỉnh", "Văn phòng Tỉnh ủy"},
		{"Sở Nội vụ", "Sở Y tế"},
		{"Sở Công Thương", "Công an tỉnh"},
		{"Tỉnh ủy", "UBND tỉnh"},
		{"Đại học Đồng Tháp", "Đồng Tháp"},
		{"Sở Giáo dục và Đào tạo", "Sở Khoa học và Công nghệ"},
	}
	for _, p := range pairs {
		if a, b := Normalize(p[0]), Normalize(p[1]); a == b {
			t.Errorf("Normalize(%q) == Normalize(%q) == %q", p[0], p[1], a)
		}
	}
}

func TestNormalizeNFD(t *testing.T) {
	for _, name := range []string{"Sở Khoa học và Công nghệ", "Văn phòng Tỉnh uỷ", "Đại học Tiền Giang", "Công an Tỉnh"} {
		nfd := norm.NFD.String(name)
		if nfd == name {
			t.Fatalf("test input %q has no decomposable letters", name)
		}
		if got, want := Normalize(nfd), Normalize(name); got != want {
			t.Errorf("Normalize(NFD %q) = %q, want %q", name, got, want)
		}
		if got, want := Normalize(norm.NFC.String(nfd)), Normalize(name); got != want {
			t.Errorf("Normalize(NFC %q) = %q, want %q", name, got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	cases := map[string]string{
		"Sở Khoa học và Công nghệ":   "so-khoa-hoc-va-cong-nghe",
		"Sở KH&CN":                   "so-khoa-hoc-va-cong-nghe",
		"Công an Tỉnh":               "cong-an",
		"Văn phòng UBND tỉnh":        "van-phong-uy-ban-nhan-dan",
		"Đoàn TNCS Hồ Chí Minh tỉnh": "doan-thanh-nien-cong-san-ho-chi-minh",
		"Phường 1":                   "phuong-1",
	}
	for in, want := range cases {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"", "北京", "Sở 北京", "Sở 上海", strings.Repeat("Sở Tài chính ", 20)} {
		s := Slug(in)
		if s == "" || len(s) > maxSlug+9 || s != Slug(in) {
			t.Errorf("Slug(%q) = %q: want a short stable key", in, s)
		}
		for _, r := range s {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				t.Errorf("Slug(%q) = %q has %q", in, s, r)
			}
		}
	}
	if Slug("Sở 北京") == Slug("Sở 上海") {
		t.Errorf("Slug of two non-ASCII names collide: %q", Slug("Sở 北京"))
	}
}

func TestKindOf(t *testing.T) {
	for _, a := range realAgencies() {
		k, ok := KindOf(a.Name)
		if !ok || k != a.Kind {
			t.Errorf("KindOf(%q) = %q, %v; want %q", a.Name, k, ok, a.Kind)
		}
	}
	if k, ok := KindOf("Ban Tuyên giáo và Dân vận Tỉnh ủy"); !ok || k != Party {
		t.Errorf("KindOf(Ban … Tỉnh ủy) = %q, %v", k, ok)
	}
	if _, ok := KindOf("tổ chức, cá nhân liên quan"); ok {
		t.Errorf("KindOf(rest) should not guess")
	}
	for _, k := range Kinds() {
		if !k.Valid() {
			t.Errorf("%q not valid", k)
		}
	}
	if Kind("ministry").Valid() {
		t.Errorf("unknown kind valid")
	}
}

func TestIndexMatch(t *testing.T) {
	ix := realIndex(t)
	cases := map[string]string{
		"Sở Khoa học và Công nghệ":                  "so-khoa-hoc-va-cong-nghe",
		"so khcn":                                   "so-khoa-hoc-va-cong-nghe",
		"Sở KH&CN tỉnh Đồng Tháp":                   "so-khoa-hoc-va-cong-nghe",
		"Công an Tỉnh":                              "cong-an",
		"Sở Công thương":                            "so-cong-thuong",
		"Văn phòng UBND Tỉnh":                       "van-phong-uy-ban-nhan-dan",
		"Văn phòng Tỉnh uỷ":                         "van-phong-tinh-uy",
		"Hiệp hội doanh nghiệp":                     "hiep-hoi-doanh-nghiep",
		"Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh": "doan-thanh-nien",
		"Sở Văn hóa Thể thao và Du lịch":            "so-van-hoa-the-thao-va-du-lich",
	}
	for in, want := range cases {
		a, ok := ix.Match(in)
		if !ok || a.Key != want {
			t.Errorf("Match(%q) = %q, %v; want %q", in, a.Key, ok, want)
		}
	}
	for _, in := range []string{"", "Sở", "Đại học", "Bộ Khoa học và Công nghệ", "khoa hoc"} {
		if a, ok := ix.Match(in); ok {
			t.Errorf("Match(%q) = %q, want none", in, a.Key)
		}
	}
	// Results are copies: changing one does not change the index.
	a, _ := ix.Match("Sở KH&CN")
	a.Aliases[0] = "changed"
	if b, _ := ix.Match("Sở KH&CN"); b.Aliases[0] != "Sở KH&CN" {
		t.Errorf("Match leaked the index's memory")
	}
	var nilIx *Index
	if _, ok := nilIx.Match("Sở Tài chính"); ok || nilIx.Search("so") != nil || nilIx.Len() != 0 {
		t.Errorf("nil index should know nothing")
	}
	if g, ok := ix.Get("cong-an"); !ok || g.Name != "Công an tỉnh" {
		t.Errorf("Get(cong-an) = %v, %v", g, ok)
	}
	if ix.Len() != len(realAgencies()) || len(ix.All()) != ix.Len() {
		t.Errorf("Len/All disagree with the list")
	}
}

func keys(list []Agency) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Key
	}
	return out
}

func TestIndexSearch(t *testing.T) {
	ix := realIndex(t)
	cases := []struct {
		query string
		first []string // the leading results, in order
		only  bool     // the results are exactly first
	}{
		{"khoa hoc", []string{"so-khoa-hoc-va-cong-nghe"}, true},
		{"Khoa học", []string{"so-khoa-hoc-va-cong-nghe"}, true},
		{"KH&CN", []string{"so-khoa-hoc-va-cong-nghe"}, true},
		{"so khcn", []string{"so-khoa-hoc-va-cong-nghe"}, true},
		{"cong an", []string{"cong-an"}, false},
		{"tien giang", []string{"dai-hoc-tien-giang"}, true},
		{"tiền giang", []string{"dai-hoc-tien-giang"}, true},
		{"tien gi", []string{"dai-hoc-tien-giang"}, true},
		{"dai hoc", []string{"dai-hoc-dong-thap", "dai-hoc-tien-giang"}, true},
		{"dong thap", []string{"dai-hoc-dong-thap"}, true},
		{"tai chinh", []string{"so-tai-chinh"}, true},
		{"tinh uy", []string{"van-phong-tinh-uy"}, true},
		{"van phong", []string{"van-phong-tinh-uy", "van-phong-uy-ban-nhan-dan"}, true},
		{"vp ubnd", []string{"van-phong-uy-ban-nhan-dan"}, true},
		{"doanh ng", []string{"hiep-hoi-doanh-nghiep"}, true},
		{"thanh nien", []string{"doan-thanh-nien"}, true},
		// Exact match first, then whole phrase, then the rest by fewer words.
		{"Sở Y tế", []string{"so-y-te"}, false},
		{"so", []string{"so-cong-thuong", "so-noi-vu", "so-tai-chinh", "so-tu-phap", "so-y-te"}, false},
		// Whole words before word prefixes before parts of words.
		{"phuong", []string{"phuong-cao-lanh", "phuong-my-tho"}, true},
		{"cao", []string{"phuong-cao-lanh"}, true},
		{"ao", []string{"phuong-cao-lanh", "so-giao-duc-va-dao-tao", "so-van-hoa-the-thao-va-du-lich"}, true},
		{"nghe", []string{"so-khoa-hoc-va-cong-nghe"}, true},
		{"", nil, true},
		{"  ;; ", nil, true},
		{"bo quoc phong", nil, true},
	}
	for _, c := range cases {
		got := keys(ix.Search(c.query))
		if c.only {
			if !slices.Equal(got, c.first) && !(len(got) == 0 && len(c.first) == 0) {
				t.Errorf("Search(%q) = %v, want %v", c.query, got, c.first)
			}
			continue
		}
		if len(got) < len(c.first) || !slices.Equal(got[:len(c.first)], c.first) {
			t.Errorf("Search(%q) = %v, want it to start with %v", c.query, got, c.first)
		}
	}
	// "so" finds every department, each once.
	if got := ix.Search("so"); len(got) != 9 {
		t.Errorf("Search(so) = %v, want the 9 departments", keys(got))
	}
}

func TestNewIndexRejectsDuplicates(t *testing.T) {
	cases := []struct {
		name string
		list []Agency
		want []string // words the error must contain
	}{
		{"same name, other spelling", []Agency{
			{Key: "a", Name: "Công an tỉnh", Kind: Police},
			{Key: "b", Name: "Công an Tỉnh Đồng Tháp", Kind: Police},
		}, []string{"Công an tỉnh", "Công an Tỉnh Đồng Tháp"}},
		{"alias of another", []Agency{
			{Key: "khcn", Name: "Sở Khoa học và Công nghệ", Kind: Department},
			{Key: "x", Name: "Sở Mới", Aliases: []string{"Sở KH&CN"}, Kind: Department},
		}, []string{"Sở Khoa học và Công nghệ", "Sở Mới", "Sở KH&CN"}},
		{"same key", []Agency{
			{Key: "a", Name: "Sở Tài chính", Kind: Department},
			{Key: "a", Name: "Sở Tư pháp", Kind: Department},
		}, []string{"Sở Tài chính", "Sở Tư pháp"}},
		{"no key", []Agency{{Name: "Sở Tài chính"}}, []string{"Sở Tài chính"}},
		{"no name", []Agency{{Key: "a", Name: " & "}}, []string{"a"}},
	}
	for _, c := range cases {
		ix, err := NewIndex(c.list)
		if err == nil || ix != nil {
			t.Errorf("%s: NewIndex = %v, %v; want an error", c.name, ix, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not name %q", c.name, err, w)
			}
		}
	}
	// An alias that repeats the agency's own name is no conflict.
	if _, err := NewIndex([]Agency{{Key: "a", Name: "Công an tỉnh", Aliases: []string{"Công an Tỉnh", ""}, Kind: Police}}); err != nil {
		t.Errorf("own alias: %v", err)
	}
	// The index keeps its own copy of the list.
	list := realAgencies()
	ix, err := NewIndex(list)
	if err != nil {
		t.Fatal(err)
	}
	list[0].Aliases[0] = "Sở Khác"
	if a, _ := ix.Get("so-khoa-hoc-va-cong-nghe"); a.Aliases[0] != "Sở KH&CN" {
		t.Errorf("index shares the caller's slices")
	}
}

func TestGroupMembers(t *testing.T) {
	list := realAgencies()
	departments := []string{"cong-an", "so-cong-thuong", "so-giao-duc-va-dao-tao", "so-khoa-hoc-va-cong-nghe",
		"so-noi-vu", "so-nong-nghiep-va-moi-truong", "so-tai-chinh", "so-tu-phap", "so-van-hoa-the-thao-va-du-lich",
		"so-y-te", "thanh-tra", "van-phong-uy-ban-nhan-dan"}
	communes := []string{"phuong-cao-lanh", "phuong-my-tho", "xa-tan-hong"}
	both := append(slices.Clone(departments), communes...)
	slices.Sort(both)
	cases := map[Group][]string{
		Departments:           departments,
		DepartmentsLocalities: both,
		Localities:            communes,
		NoGroup:               nil,
	}
	for g, want := range cases {
		if got := keys(g.Members(list)); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%q.Members = %v, want %v", g, got, want)
		}
		if !g.Valid() {
			t.Errorf("%q not valid", g)
		}
	}
	if Group("all").Valid() || Group("all").Includes(Department) {
		t.Errorf("unknown group accepted")
	}
	for _, k := range []Kind{Party, University, Organisation} {
		for _, g := range []Group{Departments, DepartmentsLocalities, Localities} {
			if g.Includes(k) {
				t.Errorf("%q includes %q", g, k)
			}
		}
	}
	if Departments.union(Localities) != DepartmentsLocalities || Departments.union(NoGroup) != Departments ||
		NoGroup.union(Localities) != Localities {
		t.Errorf("union")
	}
}

// planCells are every "Cơ quan chủ trì" and "Cơ quan phối hợp" cell of both
// plans (the 2025 plan's cells are broken across lines in the source; the
// spacing below keeps some of that), plus the variants the domain names.
var planCells = []struct {
	cell   string
	names  []string
	group  Group
	phrase string
	rest   []string
}{
	{cell: "Sở Khoa học và \nCông nghệ; Công an \n\nTỉnh", names: []string{"Sở Khoa học và Công nghệ", "Công an Tỉnh"}},
	{cell: "Văn phòng UBND \nTỉnh; Sở Khoa học \n\nvà Công nghệ", names: []string{"Văn phòng UBND Tỉnh", "Sở Khoa học và Công nghệ"}},
	{cell: "Sở Nội vụ, Sở Khoa \nhọc và Công nghệ", names: []string{"Sở Nội vụ", "Sở Khoa học và Công nghệ"}},
	{cell: "Sở Tài chính, Sở Tư pháp", names: []string{"Sở Tài chính", "Sở Tư pháp"}},
	{cell: "Sở Công thương, Hiệp hội doanh nghiệp", names: []string{"Sở Công thương", "Hiệp hội doanh nghiệp"}},
	{cell: "Sở Giáo dục và Đào tạo; Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh; các Trường đại học",
		names: []string{"Sở Giáo dục và Đào tạo", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh"},
		group: Universities, phrase: "các Trường đại học"},
	{cell: "Sở Tài chính, và các sở, ban, ngành, tổ chức, cá nhân liên quan",
		names: []string{"Sở Tài chính"}, group: Departments, phrase: "các sở, ban, ngành",
		rest: []string{"tổ chức, cá nhân liên quan"}},
	{cell: "Sở Tài chính, các sở, ngành và tổ chức, cá nhân liên quan",
		names: []string{"Sở Tài chính"}, group: Departments, phrase: "các sở, ngành",
		rest: []string{"tổ chức, cá nhân liên quan"}},
	{cell: "Các sở: Y tế, Nông nghiệp và Môi trường, Công Thương, Tài chính, Nội vụ\n và các đơn vị ký kết hợp tác",
		names: []string{"Sở Y tế", "Sở Nông nghiệp và Môi trường", "Sở Công Thương", "Sở Tài chính", "Sở Nội vụ"},
		rest:  []string{"các đơn vị ký kết hợp tác"}},
	{cell: "Các sở: Y tế, Nông nghiệp và Môi trường, Công Thương, Tài chính, Nội vụ",
		names: []string{"Sở Y tế", "Sở Nông nghiệp và Môi trường", "Sở Công Thương", "Sở Tài chính", "Sở Nội vụ"}},
	{cell: "Đại học Đồng Tháp, Đại học Tiền Giang", names: []string{"Đại học Đồng Tháp", "Đại học Tiền Giang"}},
	{cell: "Các viện, trường; sở, ban, ngành", group: Departments.union(Universities), phrase: "Các viện, trường; sở, ban, ngành"},
	{cell: "Các sở, ban, ngành, \nđịa phương được \n\ngiao tài khoản báo \ncáo", group: DepartmentsLocalities,
		phrase: "Các sở, ban, ngành, địa phương được giao tài khoản báo cáo"},
	{cell: "Các sở, ban, \nngành, địa \n\nphương đang \nquản lý, vận hành \ncác nền tảng số, \nhệ thống thông \n\ntin, cơ sở dữ liệu",
		group:  DepartmentsLocalities,
		phrase: "Các sở, ban, ngành, địa phương đang quản lý, vận hành các nền tảng số, hệ thống thông tin, cơ sở dữ liệu"},
	{cell: "Sở, ban, ngành, địa \nphương thực hiện \n\ncác nhiệm vụ, dự án", group: DepartmentsLocalities,
		phrase: "Sở, ban, ngành, địa phương thực hiện các nhiệm vụ, dự án"},
	{cell: "Các sở, ban, \nngành, địa \n\nphương thực hiện \ncác nhiệm vụ, dự \n\nán", group: DepartmentsLocalities,
		phrase: "Các sở, ban, ngành, địa phương thực hiện các nhiệm vụ, dự án"},
	{cell: "Các sở, ban, ngành, \nđịa phương", group: DepartmentsLocalities, phrase: "Các sở, ban, ngành, địa phương"},
	{cell: "Sở, ban, ngành, \nđịa phương", group: DepartmentsLocalities, phrase: "Sở, ban, ngành, địa phương"},
	{cell: "Các sở, ban, \nngành", group: Departments, phrase: "Các sở, ban, ngành"},
	{cell: "Văn phòng \nUBND Tỉnh", names: []string{"Văn phòng UBND Tỉnh"}},
	{cell: "Văn phòng \nTỉnh ủy", names: []string{"Văn phòng Tỉnh ủy"}},
	{cell: "Sở Tài chính", names: []string{"Sở Tài chính"}},
	{cell: "Sở Khoa học và \nCông nghệ", names: []string{"Sở Khoa học và Công nghệ"}},
	{cell: "Sở Khoa học và Công nghệ", names: []string{"Sở Khoa học và Công nghệ"}},
	{cell: ""},
	{cell: " \n\t "},
	// Variants the domain and the plans' prose use.
	{cell: "các sở, ngành", group: Departments, phrase: "các sở, ngành"},
	{cell: "Các sở, ban ngành, địa phương", group: DepartmentsLocalities, phrase: "Các sở, ban ngành, địa phương"},
	{cell: "các địa phương", group: Localities, phrase: "các địa phương"},
	{cell: "UBND các xã, phường", group: Localities, phrase: "UBND các xã, phường"},
	{cell: "Các sở, ban, ngành tỉnh và UBND cấp xã", group: DepartmentsLocalities,
		phrase: "Các sở, ban, ngành tỉnh và UBND cấp xã"},
	{cell: "Sở Văn hóa, Thể thao và Du lịch, Sở Y tế", names: []string{"Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế"}},
	{cell: "Sở Tài chính Văn phòng Tỉnh ủy", names: []string{"Sở Tài chính", "Văn phòng Tỉnh ủy"}},
	{cell: "Sở KH&CN; Sở Khoa học và Công nghệ", names: []string{"Sở KH&CN"}},
	{cell: "Sở Tài chính và Phường Cao Lãnh", names: []string{"Sở Tài chính", "Phường Cao Lãnh"}},
	{cell: "Sở Tài chính - Sở Tư pháp", names: []string{"Sở Tài chính", "Sở Tư pháp"}},
	{cell: "Sở Khoa học và Công nghệ (chủ trì); các đơn vị liên quan", names: []string{"Sở Khoa học và Công nghệ"},
		rest: []string{"(chủ trì)", "các đơn vị liên quan"}},
	{cell: "Các sở: Y tế (đầu mối), Tài chính và các địa phương", names: []string{"Sở Y tế", "Sở Tài chính"},
		group: Localities, phrase: "các địa phương", rest: []string{"(đầu mối)"}},
	{cell: "Phường Cao Lãnh, Xã Tân Hồng và các xã, phường khác", names: []string{"Phường Cao Lãnh", "Xã Tân Hồng"},
		group: Localities, phrase: "các xã, phường khác"},
	{cell: "Các Sở, ban, ngành và UBND các xã, phường", group: DepartmentsLocalities,
		phrase: "Các Sở, ban, ngành và UBND các xã, phường"},
	{cell: "Các sở, ban, ngành, đoàn thể tỉnh", group: Departments, phrase: "Các sở, ban, ngành", rest: []string{"đoàn thể tỉnh"}},
	{cell: "Các sở:"},
}

func TestParseAssigneesWithIndex(t *testing.T) {
	ix := realIndex(t)
	for _, c := range planCells {
		got := ParseAssignees(c.cell, ix)
		want := Assignees{
			Text:   strings.Join(strings.Fields(c.cell), " "),
			Names:  c.names,
			Group:  c.group,
			Phrase: c.phrase,
			Rest:   c.rest,
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ParseAssignees(%q)\n got %#v\nwant %#v", c.cell, got, want)
		}
		// Every name found is known to the index.
		for _, n := range got.Names {
			if _, ok := ix.Match(n); !ok {
				t.Errorf("ParseAssignees(%q): name %q unknown to the index", c.cell, n)
			}
		}
		if got.Empty() != (c.names == nil && c.group == NoGroup && c.rest == nil) {
			t.Errorf("ParseAssignees(%q).Empty() = %v", c.cell, got.Empty())
		}
	}
}

func TestParseAssigneesWithoutIndex(t *testing.T) {
	// Without an index the same cells split the same way: names are told
	// apart by how agency names begin.
	for _, c := range planCells {
		if c.cell == "Sở Tài chính Văn phòng Tỉnh ủy" {
			continue // two cells run together: only an index can split them
		}
		got := ParseAssignees(c.cell, nil)
		if !slices.Equal(got.Names, c.names) || got.Group != c.group || got.Phrase != c.phrase ||
			!slices.Equal(got.Rest, c.rest) {
			t.Errorf("ParseAssignees(%q, nil)\n got %#v\nwant names %q group %q phrase %q rest %q",
				c.cell, got, c.names, c.group, c.phrase, c.rest)
		}
	}
}

func TestParseAssigneesUnknownNames(t *testing.T) {
	ix := realIndex(t)
	got := ParseAssignees("Sở Xây dựng, Sở Tài chính; Sở Lao động, Thương binh và Xã hội, các đơn vị liên quan", ix)
	want := Assignees{
		Text:  "Sở Xây dựng, Sở Tài chính; Sở Lao động, Thương binh và Xã hội, các đơn vị liên quan",
		Names: []string{"Sở Tài chính"},
		Rest:  []string{"Sở Xây dựng", "Sở Lao động, Thương binh và Xã hội", "các đơn vị liên quan"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
	if !NameLike("Sở Xây dựng") || NameLike("các đơn vị liên quan") || NameLike("tổ chức") || NameLike("") {
		t.Errorf("NameLike")
	}
	got = ParseAssignees("Các sở: Y tế, Xây dựng và các đơn vị", ix)
	if !slices.Equal(got.Names, []string{"Sở Y tế"}) || !slices.Equal(got.Rest, []string{"Sở Xây dựng", "các đơn vị"}) {
		t.Errorf("list with an unknown department: %#v", got)
	}
}

func TestResolve(t *testing.T) {
	ix := realIndex(t)
	a := ParseAssignees("Sở Tài chính, và các sở, ban, ngành, tổ chức, cá nhân liên quan", ix)
	got := keys(ix.Resolve(a))
	if len(got) != 12 || got[0] != "so-tai-chinh" || slices.Contains(got[1:], "so-tai-chinh") {
		t.Errorf("Resolve = %v", got)
	}
	a = ParseAssignees("Đại học Đồng Tháp, Đại học Tiền Giang", ix)
	if got := keys(ix.Resolve(a)); !slices.Equal(got, []string{"dai-hoc-dong-thap", "dai-hoc-tien-giang"}) {
		t.Errorf("Resolve = %v", got)
	}
}

func FuzzNormalizeAndParse(f *testing.F) {
	for _, c := range planCells {
		f.Add(c.cell)
	}
	for _, s := range []string{"Sở KH&CN", "TP.HCM", "Tỉnh tỉnh tỉnh", "kh kh cn", "İ", "ǅ", "\xff\xfe", "Các sở: và", "Các sở:", ";;,,"} {
		f.Add(s)
	}
	ix, err := NewIndex(realAgencies())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q", s, n, again)
		}
		if n != strings.Join(strings.Fields(n), " ") {
			t.Fatalf("Normalize(%q) = %q: whitespace not collapsed", s, n)
		}
		_ = Slug(s)
		_ = ix.Search(s)
		for _, idx := range []*Index{ix, nil} {
			a := ParseAssignees(s, idx)
			if idx != nil {
				for _, n := range a.Names {
					if _, ok := idx.Match(n); !ok {
						t.Fatalf("name %q found in %q is unknown to the index", n, s)
					}
				}
			}
			if a.Text != strings.Join(strings.Fields(s), " ") {
				t.Fatalf("Text = %q", a.Text)
			}
			if !a.Group.Valid() || (a.Group == NoGroup) != (a.Phrase == "") {
				t.Fatalf("group %q with phrase %q", a.Group, a.Phrase)
			}
			for _, part := range slices.Concat(a.Names, a.Rest, []string{a.Phrase}) {
				if part != strings.TrimSpace(part) {
					t.Fatalf("part %q not trimmed", part)
				}
			}
		}
	})
}

// The kind of an agency from its name, the one place groups of one kind are
// told apart: universities, institutes and colleges are University (the
// procuracy, "Viện kiểm sát", is not), communes and wards Commune,
// departments Department.
func TestKindOfByName(t *testing.T) {
	for _, c := range []struct {
		name string
		kind Kind
		ok   bool
	}{
		{"Trường Đại học Đồng Tháp", University, true},
		{"Đại học Tiền Giang", University, true},
		{"Viện Lúa Đồng bằng sông Cửu Long", University, true},
		{"Viện Cây ăn quả miền Nam", University, true},
		{"Trường Cao đẳng Cộng đồng Đồng Tháp", University, true},
		{"Viện kiểm sát nhân dân tỉnh", "", false},
		{"UBND xã Mỹ Thọ", Commune, true},
		{"Phường Cao Lãnh", Commune, true},
		{"Sở Nội vụ", Department, true},
		{"Ban Quản lý Khu kinh tế", "", false},
		{"Các doanh nghiệp viễn thông", "", false},
	} {
		if k, ok := KindOf(c.name); k != c.kind || ok != c.ok {
			t.Errorf("KindOf(%q) = %q, %v; want %q, %v", c.name, k, ok, c.kind, c.ok)
		}
	}
}

// A group of one kind fans out to the agencies of that kind, keeping the
// phrase as written; groups of several kinds in one cell are their union;
// a phrase that is no agency and no group stays as written in Rest.
func TestGroupsOfOneKind(t *testing.T) {
	ix := realIndex(t)
	for _, c := range []struct {
		cell    string
		group   Group
		phrase  string
		rest    []string
		members []string // keys of the group's members that are universities or communes
	}{
		{"các Trường đại học", Universities, "các Trường đại học", nil, []string{"dai-hoc-dong-thap", "dai-hoc-tien-giang"}},
		{"Các trường đại học, cao đẳng", Universities, "Các trường đại học, cao đẳng", nil, []string{"dai-hoc-dong-thap", "dai-hoc-tien-giang"}},
		{"Các viện, trường", Universities, "Các viện, trường", nil, []string{"dai-hoc-dong-thap", "dai-hoc-tien-giang"}},
		{"các cơ sở giáo dục đại học trên địa bàn", Universities, "các cơ sở giáo dục đại học trên địa bàn", nil, []string{"dai-hoc-dong-thap", "dai-hoc-tien-giang"}},
		{"Các viện, trường; sở, ban, ngành", Departments.union(Universities), "Các viện, trường; sở, ban, ngành", nil, []string{"dai-hoc-dong-thap", "dai-hoc-tien-giang"}},
		{"UBND các xã, phường", Localities, "UBND các xã, phường", nil, []string{"phuong-cao-lanh", "phuong-my-tho", "xa-tan-hong"}},
		{"các sở, ban, ngành", Departments, "các sở, ban, ngành", nil, nil},
		{"Các doanh nghiệp viễn thông", NoGroup, "", []string{"Các doanh nghiệp viễn thông"}, nil},
		{"các tổ chức, cá nhân", NoGroup, "", []string{"các tổ chức, cá nhân"}, nil},
		{"Trường Đại học Đồng Tháp", NoGroup, "", nil, nil},
	} {
		a := ParseAssignees(c.cell, ix)
		var members []string
		for _, m := range ix.Resolve(a) {
			if m.Kind == University || m.Kind == Commune {
				members = append(members, m.Key)
			}
		}
		if c.cell == "Trường Đại học Đồng Tháp" {
			if len(a.Names) != 1 || a.Group != NoGroup {
				t.Errorf("%q: %+v, want the one university", c.cell, a)
			}
			continue
		}
		if a.Group != c.group || a.Phrase != c.phrase || strings.Join(a.Rest, "|") != strings.Join(c.rest, "|") ||
			strings.Join(members, " ") != strings.Join(c.members, " ") || !a.Group.Valid() {
			t.Errorf("%q: group %q phrase %q rest %q members %v; want %q %q %q %v", c.cell, a.Group, a.Phrase, a.Rest, members, c.group, c.phrase, c.rest, c.members)
		}
	}
	if g := Departments.union(Universities); g != "departments+universities" || !g.Includes(University) || !g.Includes(Department) || g.Includes(Commune) {
		t.Errorf("departments ∪ universities = %q", g)
	}
	if g := Universities.union(DepartmentsLocalities); g != "departments_localities+universities" || !g.Valid() {
		t.Errorf("universities ∪ departments, localities = %q", g)
	}
	for _, bad := range []Group{"universities+departments", "departments+localities", "universities+universities", "departments+"} {
		if bad.Valid() {
			t.Errorf("%q valid", bad)
		}
	}
}
