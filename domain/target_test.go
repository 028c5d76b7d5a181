package domain

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"agencybot/deadline"
)

func TestParseNumberReadsDecimalCommas(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
	}{
		{"0,75", 0.75}, {"9,5", 9.5}, {"12", 12}, {"9.5", 9.5}, {"1.234,5", 1234.5}, {"1,234.5", 1234.5},
		{"1.234.567", 1234567}, {"1.200", 1200}, {"0.750", 0.75}, {"10.5", 10.5}, {"1,234,567", 1234567}, {"12 345", 12345}, {"-3,2", -3.2}, {"−0,5", -0.5}, {"+7", 7},
		{" 40 ", 40},
	} {
		got, err := ParseNumber(c.in)
		if err != nil || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "abc", "1,2,3.4.5", ",5", "5,", "1e3", "NaN", "Inf", "0x10", "12%", "9,5 người"} {
		if v, err := ParseNumber(bad); !errors.Is(err, ErrNotANumber) {
			t.Errorf("ParseNumber(%q) = %v, %v; want ErrNotANumber", bad, v, err)
		}
	}
}

func TestParseFigureReadsThePlansWording(t *testing.T) {
	for _, c := range []struct {
		in     string
		value  float64
		dir    Direction
		strict bool
		unit   string
	}{
		{"trên 40%", 40, AtLeast, true, "%"},
		{"> 40%", 40, AtLeast, true, "%"},
		{"30% GRDP", 30, "", false, "% GRDP"},
		{"đạt 30% GRDP", 30, "", false, "% GRDP"},
		{"ở mức trên 55%", 55, AtLeast, true, "%"},
		{"$\\geq 0,75$", 0.75, AtLeast, false, ""},
		{"≥ 0,75", 0.75, AtLeast, false, ""},
		{">=0,75", 0.75, AtLeast, false, ""},
		{"9,5", 9.5, "", false, ""},
		{"12 người/1 vạn dân", 12, "", false, "người/1 vạn dân"},
		{"tối thiểu 12", 12, AtLeast, false, ""},
		{"không quá 5%", 5, AtMost, false, "%"},
		{"dưới 3", 3, AtMost, true, ""},
		{"≤ 2,5 %", 2.5, AtMost, false, "%"},
		{"từ 40% trở lên", 40, AtLeast, false, "%"},
		{"1% trở xuống", 1, AtMost, false, "%"},
		{"= 100%", 100, Exactly, false, "%"},
		{"Trên 1.200 doanh nghiệp", 1200, AtLeast, true, "doanh nghiệp"},
	} {
		f, err := ParseFigure(c.in)
		if err != nil {
			t.Errorf("ParseFigure(%q): %v", c.in, err)
			continue
		}
		if math.Abs(f.Value-c.value) > 1e-12 || f.Direction != c.dir || f.Strict != c.strict || f.Unit != c.unit {
			t.Errorf("ParseFigure(%q) = %v %q strict=%v unit %q; want %v %q %v %q", c.in, f.Value, f.Direction, f.Strict, f.Unit, c.value, c.dir, c.strict, c.unit)
		}
	}
	for _, bad := range []string{"", "tăng dần", "trên", "—", "x 40"} {
		if _, err := ParseFigure(bad); !errors.Is(err, ErrNotANumber) {
			t.Errorf("ParseFigure(%q): %v, want ErrNotANumber", bad, err)
		}
	}
}

// staff is plan 2026's research staff target: 9,5 in 2026, 12 by 2030.
func staff() Target {
	return Target{ID: "26-CT5", Name: "Nguồn nhân lực nghiên cứu khoa học", Unit: "người/1 vạn dân", Direction: AtLeast, From: 2026,
		Milestones: []Milestone{{Year: 2026, Value: 9.5, Text: "9,5"}}, Final: Milestone{Year: 2030, Value: 12, Text: "12"}, Agency: "so-khcn"}
}

// innovation is "trên 40%" by 2030, with no baseline and no milestone.
func innovation() Target {
	return Target{ID: "26-CT1", Name: "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo", Unit: "%", Direction: AtLeast, From: 2026,
		Final: Milestone{Year: 2030, Value: 40, Text: "trên 40%", Strict: true}, Agency: "so-khcn"}
}

func val(year int, v float64, version int, officer int64) TargetValue {
	return TargetValue{ID: TargetValueID("t", version), TargetID: "t", Version: version, Kind: ReportValue, Year: year, Value: v,
		DataSource: "Cục Thống kê", OfficerID: officer, At: time.Date(year+1, 1, 10, 9, 0, 0, 0, time.UTC).Add(time.Duration(version) * time.Minute)}
}

func day(y int, m time.Month, d int) deadline.Date { return deadline.Date{Year: y, Month: m, Day: d} }

// The year a target is judged against: the plan's number where it sets one,
// the straight line between two of its numbers, the first reported value
// standing in for a missing baseline, the next number when nothing comes
// before, the final value after the final year.
func TestExpectInterpolatesBetweenTheNumbers(t *testing.T) {
	base := Target{Direction: AtLeast, Baseline: &Milestone{Year: 2025, Value: 8}, Milestones: []Milestone{{Year: 2027, Value: 10}},
		Final: Milestone{Year: 2030, Value: 16, Strict: true}}
	first := val(2026, 20, 1, 1)
	for _, c := range []struct {
		name   string
		t      Target
		year   int
		first  *TargetValue
		value  float64
		basis  Basis
		strict bool
	}{
		{"the baseline's year", base, 2025, nil, 8, BasisMilestone, false},
		{"between baseline and milestone", base, 2026, nil, 9, BasisInterpolated, false},
		{"a milestone", base, 2027, nil, 10, BasisMilestone, false},
		{"between milestone and final", base, 2028, nil, 12, BasisInterpolated, false},
		{"the final year", base, 2030, nil, 16, BasisFinal, true},
		{"after the final year", base, 2032, nil, 16, BasisFinal, true},
		{"milestone 2026 of staff", staff(), 2026, nil, 9.5, BasisMilestone, false},
		{"2028 of staff", staff(), 2028, nil, 10.75, BasisInterpolated, false},
		{"no baseline, nothing reported", innovation(), 2027, nil, 40, BasisNext, true},
		{"no baseline, a value of 2026", innovation(), 2028, &first, 30, BasisReported, false},
		{"no baseline, the first value is this year's", innovation(), 2026, &first, 40, BasisNext, true},
	} {
		e := c.t.Expect(c.year, c.first)
		if math.Abs(e.Value-c.value) > 1e-9 || e.Basis != c.basis || e.Strict != c.strict || e.Year != c.year {
			t.Errorf("%s: Expect(%d) = %+v, want %v %s strict=%v", c.name, c.year, e, c.value, c.basis, c.strict)
		}
	}
}

// The light at pinned dates: no data until this year's value comes; on
// track when it meets this year's expectation, behind when not; the trend of
// the two latest years; a corrected value no longer counts.
func TestJudgeTargetAtPinnedDates(t *testing.T) {
	withdrawn := val(2027, 11.5, 4, 7)
	correction := TargetValue{ID: TargetValueID("t", 5), Version: 5, Kind: CorrectionValue, Corrects: withdrawn.ID, OfficerID: 7}
	half := val(2027, 9, 3, 7)
	half.Period = "6 tháng đầu năm 2027"
	for _, c := range []struct {
		name    string
		t       Target
		history []TargetValue
		today   deadline.Date
		light   TargetLight
		trend   Trend
		year    int
		actual  float64
		met     bool
	}{
		{"nothing reported", staff(), nil, day(2026, 12, 24), NoData, TrendNone, 2026, 0, false},
		{"2026 meets its milestone 9,5", staff(), []TargetValue{val(2026, 9.6, 1, 7)}, day(2026, 12, 24), OnTrack, TrendNone, 2026, 9.6, false},
		{"exactly the milestone", staff(), []TargetValue{val(2026, 9.5, 1, 7)}, day(2026, 12, 24), OnTrack, TrendNone, 2026, 9.5, false},
		{"2026 below its milestone", staff(), []TargetValue{val(2026, 9.1, 1, 7)}, day(2026, 12, 24), Behind, TrendNone, 2026, 9.1, false},
		{"a new year, no value yet", staff(), []TargetValue{val(2026, 9.6, 1, 7)}, day(2027, 3, 1), NoData, TrendNone, 2027, 0, false},
		{"2027 against 10,125 (interpolated)", staff(), []TargetValue{val(2026, 9.6, 1, 7), val(2027, 10.1, 2, 7)}, day(2027, 12, 2), Behind, TrendImproving, 2027, 10.1, false},
		{"2027 on the line", staff(), []TargetValue{val(2026, 9.6, 1, 7), val(2027, 10.125, 2, 7)}, day(2027, 12, 2), OnTrack, TrendImproving, 2027, 10.125, false},
		{"a falling value", staff(), []TargetValue{val(2026, 9.6, 1, 7), val(2027, 9.4, 2, 7)}, day(2027, 12, 2), Behind, TrendWorsening, 2027, 9.4, false},
		{"part of the year counts without a whole-year value", staff(), []TargetValue{val(2026, 9.6, 1, 7), half}, day(2027, 7, 20), Behind, TrendWorsening, 2027, 9, false},
		{"the correction withdraws 11,5", staff(), []TargetValue{val(2026, 9.6, 1, 7), half, withdrawn, correction}, day(2027, 12, 2), Behind, TrendWorsening, 2027, 9, false},
		{"the whole year wins over part of it", staff(), []TargetValue{val(2026, 9.6, 1, 7), half, val(2027, 10.2, 6, 7)}, day(2027, 12, 2), OnTrack, TrendImproving, 2027, 10.2, false},
		{"final year met", staff(), []TargetValue{val(2030, 12, 1, 7)}, day(2030, 12, 2), OnTrack, TrendNone, 2030, 12, true},
		{"after the final year, the final year is judged", staff(), []TargetValue{val(2030, 11, 1, 7)}, day(2031, 2, 1), Behind, TrendNone, 2030, 11, false},
		{"trên 40%: 40 is not enough in 2030", innovation(), []TargetValue{val(2029, 35, 1, 7), val(2030, 40, 2, 7)}, day(2030, 12, 2), Behind, TrendImproving, 2030, 40, false},
		{"trên 40%: 40,1 is", innovation(), []TargetValue{val(2030, 40.1, 1, 7)}, day(2030, 12, 2), OnTrack, TrendNone, 2030, 40.1, true},
		{"before the plan starts", staff(), []TargetValue{val(2025, 8, 1, 7)}, day(2025, 12, 2), NoData, TrendNone, 2025, 8, false},
	} {
		j := JudgeTarget(c.t, c.history, c.today)
		got := 0.0
		if j.Actual != nil {
			got = j.Actual.Value
		}
		if j.Light != c.light || j.Trend != c.trend || j.Year != c.year || got != c.actual || j.Met != c.met {
			t.Errorf("%s: light %s trend %q year %d actual %v met %v; want %s %q %d %v %v (expected %+v)",
				c.name, j.Light, j.Trend, j.Year, got, j.Met, c.light, c.trend, c.year, c.actual, c.met, j.Expected)
		}
	}
}

// An "at most" target is met below its number, an "exactly" one at its
// number to the decimals it is written with.
func TestJudgeOtherDirections(t *testing.T) {
	poverty := Target{Direction: AtMost, Baseline: &Milestone{Year: 2025, Value: 3}, Final: Milestone{Year: 2030, Value: 1, Text: "dưới 1%", Strict: true}}
	index := Target{Direction: Exactly, Final: Milestone{Year: 2030, Value: 0.75, Text: "0,75"}}
	for _, c := range []struct {
		name  string
		t     Target
		h     []TargetValue
		today deadline.Date
		light TargetLight
		trend Trend
	}{
		{"at most, on the line 2,6", poverty, []TargetValue{val(2026, 2.6, 1, 1)}, day(2026, 12, 1), OnTrack, TrendNone},
		{"at most, above the line", poverty, []TargetValue{val(2026, 2.7, 1, 1)}, day(2026, 12, 1), Behind, TrendNone},
		{"at most, falling is improving", poverty, []TargetValue{val(2026, 2.7, 1, 1), val(2027, 2.1, 2, 1)}, day(2027, 12, 1), OnTrack, TrendImproving},
		{"at most, strict at the end", poverty, []TargetValue{val(2030, 1, 1, 1)}, day(2030, 12, 1), Behind, TrendNone},
		{"exactly 0,75 by rounding", index, []TargetValue{val(2030, 0.753, 1, 1)}, day(2030, 12, 1), OnTrack, TrendNone},
		{"exactly, off by 0,01", index, []TargetValue{val(2030, 0.76, 1, 1)}, day(2030, 12, 1), Behind, TrendNone},
		{"exactly, nearer is improving", index, []TargetValue{val(2029, 0.6, 1, 1), val(2030, 0.7, 2, 1)}, day(2030, 12, 1), Behind, TrendImproving},
		{"steady", index, []TargetValue{val(2029, 0.7, 1, 1), val(2030, 0.7, 2, 1)}, day(2030, 12, 1), Behind, TrendSteady},
	} {
		j := JudgeTarget(c.t, c.h, c.today)
		if j.Light != c.light || j.Trend != c.trend {
			t.Errorf("%s: %s %q, want %s %q (expected %+v)", c.name, j.Light, j.Trend, c.light, c.trend, j.Expected)
		}
	}
}

// Reporting a value and correcting it follow the rules of updates: a value
// needs a year in range and not ahead, a source, a date not in the future;
// the same value again is no change; a correction withdraws only the
// officer's own latest value.
func TestNextTargetValue(t *testing.T) {
	tg := staff()
	today := day(2026, 12, 24)
	ok := TargetChange{Kind: ReportValue, Year: 2026, Value: 9.6, Text: "9,6", DataSource: "Cục Thống kê, số liệu 2026", Date: day(2026, 12, 20)}
	v, err := NextTargetValue(tg, ok, 7, nil, nil, today)
	if err != nil || v.Value != 9.6 || v.Year != 2026 || v.Kind != ReportValue || v.DataSource != "Cục Thống kê, số liệu 2026" {
		t.Fatalf("a good value: %+v, %v", v, err)
	}
	for name, ch := range map[string]TargetChange{
		"a year to come":       {Kind: ReportValue, Year: 2027, Value: 9, DataSource: "x"},
		"after the final year": {Kind: ReportValue, Year: 2031, Value: 9, DataSource: "x"},
		"before 2000":          {Kind: ReportValue, Year: 1999, Value: 9, DataSource: "x"},
		"no source":            {Kind: ReportValue, Year: 2026, Value: 9, DataSource: "  "},
		"NaN":                  {Kind: ReportValue, Year: 2026, Value: math.NaN(), DataSource: "x"},
		"a date to come":       {Kind: ReportValue, Year: 2026, Value: 9, DataSource: "x", Date: day(2026, 12, 25)},
		"unknown kind":         {Kind: "guess", Year: 2026, Value: 9, DataSource: "x"},
	} {
		if _, err := NextTargetValue(tg, ch, 7, nil, nil, today); !errors.Is(err, ErrInvalidChange) {
			t.Errorf("%s: %v, want ErrInvalidChange", name, err)
		}
	}
	first := val(2026, 9.6, 1, 7)
	first.DataSource, first.Date = ok.DataSource, ok.Date
	if _, err := NextTargetValue(tg, ok, 7, &first, []TargetValue{first}, today); !errors.Is(err, ErrNoChange) {
		t.Errorf("the same value again: %v, want ErrNoChange", err)
	}
	other := ok
	other.Value = 9.7
	if _, err := NextTargetValue(tg, other, 7, &first, []TargetValue{first}, today); err != nil {
		t.Errorf("a new value of the same year: %v", err)
	}
	corr := TargetChange{Kind: CorrectionValue}
	if c, err := NextTargetValue(tg, corr, 7, &first, nil, today); err != nil || c.Corrects != first.ID || c.Kind != CorrectionValue {
		t.Errorf("own latest: %+v, %v", c, err)
	}
	if _, err := NextTargetValue(tg, corr, 8, &first, nil, today); !errors.Is(err, ErrNothingToCorrect) {
		t.Errorf("someone else's: %v", err)
	}
	if _, err := NextTargetValue(tg, corr, 7, nil, nil, today); !errors.Is(err, ErrNothingToCorrect) {
		t.Errorf("nothing: %v", err)
	}
	done := first
	done.Corrected = true
	if WhyNotCorrectableValue(&done, 7) != AlreadyCorrected || WhyNotCorrectableValue(&first, 8) != NotTheirs || WhyNotCorrectableValue(nil, 7) != NothingReported {
		t.Error("reasons")
	}
}

func TestTargetCheck(t *testing.T) {
	if err := staff().Check(); err != nil {
		t.Errorf("staff: %v", err)
	}
	bad := staff()
	bad.Milestones = []Milestone{{Year: 2031, Value: 1}}
	bad.Direction = "up"
	bad.Name = ""
	if err := bad.Check(); err == nil {
		t.Error("a milestone after the final year, a bad direction and no name passed")
	}
	if !MayReportTarget(staff(), Officer{Active: true, Role: RoleOfficer, AgencyKey: "so-khcn"}) ||
		MayReportTarget(staff(), Officer{Active: true, Role: RoleOfficer, AgencyKey: "so-y-te"}) ||
		MayReportTarget(staff(), Officer{Active: true, Role: RoleLeader}) {
		t.Error("MayReportTarget")
	}
	if TargetID("26", "1") != "26-CT1" || NormName(" Tỷ lệ  Doanh nghiệp, (%) ") != "ty le doanh nghiep" {
		t.Error("ids")
	}
}

func TestFindTargets(t *testing.T) {
	a, b := staff(), innovation()
	a.Number, b.Number = "5", "1"
	c := b
	c.ID, c.PlanKey = "27-CT1", "p27"
	list := []Target{b, a, c}
	ids := func(ts []Target) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.ID)
		}
		return out
	}
	for q, want := range map[string][]string{
		"26-ct5": {"26-CT5"}, "5": {"26-CT5"}, "CT1": {"26-CT1", "27-CT1"}, "nhân lực nghiên cứu": {"26-CT5"},
		"DOANH NGHIEP": {"26-CT1", "27-CT1"}, "": nil, "không có": nil,
	} {
		if got := ids(FindTargets(list, q)); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("FindTargets(%q) = %v, want %v", q, got, want)
		}
	}
}
