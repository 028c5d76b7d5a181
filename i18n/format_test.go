package i18n

import (
	"testing"
	"time"
	"unicode/utf8"

	"agencybot/deadline"
)

func TestFormatHelpers(t *testing.T) {
	if got := Date(deadline.Date{Year: 2025, Month: 12, Day: 5}); got != "05/12/2025" {
		t.Errorf("Date = %q", got)
	}
	if Date(deadline.Date{}) != "" {
		t.Error("zero date is not empty")
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	if got := Time(time.Date(2025, 12, 24, 1, 0, 0, 0, time.UTC), loc); got != "24/12/2025 08:00" {
		t.Errorf("Time = %q", got)
	}
	title := "Xây dựng   kế hoạch chuyển đổi số, đổi mới sáng tạo của tỉnh giai đoạn 2026–2030"
	for _, n := range []int{10, 28, 60} {
		s := Shorten(title, n)
		if c := utf8.RuneCountInString(s); c > n || s[len(s)-len("…"):] != "…" {
			t.Errorf("Shorten(%d) = %q (%d runes)", n, s, c)
		}
	}
	if Shorten("ngắn  gọn", 20) != "ngắn gọn" {
		t.Error("a short text is changed beyond its spaces")
	}
	if UTF16Len("Sở 📊") != 5 || UTF16Len("") != 0 {
		t.Errorf("UTF16Len = %d", UTF16Len("Sở 📊"))
	}
}

func TestNumber(t *testing.T) {
	for _, c := range []struct {
		l    Lang
		v    float64
		want string
	}{{VI, 9.5, "9,5"}, {EN, 9.5, "9.5"}, {VI, 0.75, "0,75"}, {VI, 12, "12"}, {VI, 10.125, "10,125"}, {EN, -0.0001, "0"}, {VI, 1234.5, "1234,5"}} {
		if got := Number(c.l, c.v); got != c.want {
			t.Errorf("Number(%s, %v) = %q, want %q", c.l, c.v, got, c.want)
		}
	}
}
