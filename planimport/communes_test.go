package planimport

import (
	"errors"
	"strings"
	"testing"

	"agencybot/agency"
	"agencybot/i18n"
)

// A list of communes and wards: new ones with their aliases, known ones (the
// seed registry has some) apart, repeats read once, an unknown kind refused
// with its row and column; names are escaped in the preview.
func TestParseCommunes(t *testing.T) {
	list := append(seedIndex(t).All(), agency.Agency{Key: "phuong-cao-lanh", Name: "Phường Cao Lãnh", Kind: agency.Commune})
	ix, err := agency.NewIndex(list)
	if err != nil {
		t.Fatal(err)
	}
	known := "phường  Cao Lãnh"
	rows := [][]string{
		{"DANH SÁCH XÃ, PHƯỜNG"},
		{"STT", "Tên đơn vị", "Loại", "Tên khác"},
		{"1", "Xã Mỹ <Thọ>", "xã", "UBND xã Mỹ Thọ; Mỹ Thọ"},
		{"2", known, "Phường", ""},
		{"3", "Xã  Mỹ <Thọ>", "Xã", ""},
		{"4", "Phường An Bình", "phường", ""},
	}
	p, err := ParseCommunes("xa.csv", csvOf(t, rows, ';', true), ix)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.New) != 2 || p.New[0].Name != "Xã Mỹ <Thọ>" || strings.Join(p.New[0].Aliases, "|") != "UBND xã Mỹ Thọ|Mỹ Thọ" ||
		p.New[1].Name != "Phường An Bình" || len(p.Known) != 1 || p.Known[0].Known == "" {
		t.Fatalf("preview %+v", p)
	}
	if h := p.HTML(i18n.VI); strings.Contains(h, "<Thọ>") || !strings.Contains(h, "Xã Mỹ &lt;Thọ&gt;") || !strings.Contains(h, "Thêm mới (2)") {
		t.Errorf("HTML:\n%s", h)
	}
	rows = append(rows, []string{"5", "Thị trấn Cũ", "thị trấn", ""})
	_, err = ParseCommunes("xa.csv", csvOf(t, rows, ';', true), ix)
	var e *Error
	if !errors.As(err, &e) || e.Code != ErrKind || e.Row != 7 || ColName(e.Col) != "C" || !strings.Contains(e.Message(i18n.VI), "thị trấn") {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, err := ParseCommunes("xa.csv", csvOf(t, [][]string{{"a", "b"}, {"c", "d"}}, ';', true), ix); !errors.As(err, &e) || e.Code != ErrCommunes {
		t.Fatalf("no name column: %v", err)
	}
}
