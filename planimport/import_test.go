package planimport

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"agencybot/agency"
	"agencybot/seeds"
)

func seedIndex(t testing.TB) *agency.Index {
	t.Helper()
	ags, err := seeds.Agencies()
	if err != nil {
		t.Fatal(err)
	}
	list := make([]agency.Agency, len(ags))
	for i, a := range ags {
		list[i] = agency.Agency{Key: a.Key, Name: a.Name, Kind: agency.Kind(a.Kind), Aliases: a.Aliases}
	}
	ix, err := agency.NewIndex(list)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func seedPlans(t testing.TB) []seeds.Plan {
	t.Helper()
	plans, err := seeds.Plans()
	if err != nil {
		t.Fatal(err)
	}
	return plans
}

// Each seed plan's table, written as an office .xlsx and as a semicolon CSV
// with a BOM (and the other forms Excel saves), reads back as the seed's
// tasks, field by field, with the same assignee cells and task codes.
func TestImportSeedPlansInOfficeForms(t *testing.T) {
	ix := seedIndex(t)
	for _, p := range seedPlans(t) {
		for _, form := range []struct {
			name string
			file string
			data func() []byte
		}{
			{"xlsx", "phu-luc.xlsx", func() []byte { return officeXLSX(t, p, false) }},
			{"xlsx two-row header", "phu-luc.xlsx", func() []byte { return officeXLSX(t, p, true) }},
			{"csv ; BOM", "phu-luc.csv", func() []byte { rows, _ := officeRows(p, false); return csvOf(t, rows, ';', true) }},
			{"csv , no BOM", "phu-luc.csv", func() []byte { rows, _ := officeRows(p, true); return csvOf(t, rows, ',', false) }},
			{"utf-16 unicode text", "phu-luc.txt", func() []byte { rows, _ := officeRows(p, false); return utf16Text(csvOf(t, rows, '\t', false)) }},
			{"windows-1258 , (CSV Comma delimited)", "phu-luc.csv", func() []byte {
				rows, _ := officeRows(p, true)
				return encodeVN(t, string(csvOf(t, rows, ',', false)), charmap.Windows1258)
			}},
			{"windows-1258 ;", "phu-luc.csv", func() []byte {
				rows, _ := officeRows(p, false)
				return encodeVN(t, string(csvOf(t, rows, ';', false)), charmap.Windows1258)
			}},
			{"xlsx with totals, note, recipients and signature under the table", "phu-luc.xlsx", func() []byte {
				rows, _ := officeRows(p, false)
				rows = append(rows, []string{"", "Tổng cộng"}, []string{"Ghi chú: Các cơ quan chủ trì báo cáo kết quả trước ngày 15/12 hằng năm."},
					[]string{"* Nhiệm vụ trọng tâm"}, []string{}, []string{"Nơi nhận:", "", "", "", "TM. ỦY BAN NHÂN DÂN"}, []string{"", "", "", "", "CHỦ TỊCH"})
				return xlsxOf(t, rows, nil)
			}},
		} {
			t.Run(p.Code+" "+form.name, func(t *testing.T) {
				tb, err := Parse(form.file, form.data(), Options{})
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if len(tb.Tasks) != len(p.Tasks) {
					t.Fatalf("%d tasks, want %d", len(tb.Tasks), len(p.Tasks))
				}
				got := tb.DomainTasks(p.Key, p.Code, ix)
				for i, want := range p.Tasks {
					g, x := got[i], tb.Tasks[i]
					fields := [][3]string{
						{"code", g.Code, want.Code(p)}, {"section", g.Section, want.Section},
						{"section title", g.SectionTitle, want.SectionTitle}, {"number", g.Number, want.Number},
						{"title", g.Title, collapse(want.Title)}, {"lead", g.Lead.Text, collapse(want.Lead.Text)},
						{"coordinating", g.Coordinating.Text, collapse(want.Coordinating.Text)},
						{"deadline", x.Deadline, collapse(want.Deadline)}, {"output", g.Output, collapse(want.Output)},
						{"note", g.Note, collapse(want.Note)},
					}
					for _, f := range fields {
						if f[1] != f[2] {
							t.Errorf("task %s %s = %q, want %q", want.Number, f[0], f[1], f[2])
						}
					}
					for _, c := range [][2]seedsCellPair{{{g.Lead.Agencies, string(g.Lead.Group), g.Lead.Rest}, {want.Lead.Agencies, want.Lead.Group, want.Lead.Rest}},
						{{g.Coordinating.Agencies, string(g.Coordinating.Group), g.Coordinating.Rest}, {want.Coordinating.Agencies, want.Coordinating.Group, want.Coordinating.Rest}}} {
						if !slices.Equal(c[0].keys, nonNil(c[1].keys)) || c[0].group != c[1].group || !slices.Equal(c[0].rest, nonNil(c[1].rest)) {
							t.Errorf("task %s cell read %+v, seed %+v", want.Number, c[0], c[1])
						}
					}
					if g.Deadline.Kind == "" || g.Deadline.Text != x.Deadline {
						t.Errorf("task %s deadline %+v", want.Number, g.Deadline)
					}
				}
			})
		}
	}
}

type seedsCellPair struct {
	keys  []string
	group string
	rest  []string
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// utf16Text turns UTF-8 text into UTF-16LE with a BOM, as Excel's "Unicode
// text" saves.
func utf16Text(b []byte) []byte {
	return append([]byte{0xFF, 0xFE}, utf16le(strings.TrimPrefix(string(b), "\uFEFF"))...)
}
