package domain

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"agencybot/deadline"
)

// Targets (chỉ tiêu) are the numbers a plan promises ("Tỷ lệ doanh nghiệp có
// hoạt động đổi mới sáng tạo đạt trên 40%"), tracked year by year with the
// values the responsible agency reports.

// Direction says on which side of its number a target is met.
type Direction string

// The directions of a target.
const (
	AtLeast Direction = "at_least" // "đạt", "trên", "≥", "tối thiểu"
	AtMost  Direction = "at_most"  // "dưới", "≤", "không quá", "tối đa"
	Exactly Direction = "exactly"  // "=", "bằng", "đúng"
)

// Valid tells whether d is one of the directions.
func (d Direction) Valid() bool { return d == AtLeast || d == AtMost || d == Exactly }

// Milestone is a number the plan sets for a year, as it writes it.
type Milestone struct {
	Year  int     `bson:"year" json:"year"`
	Value float64 `bson:"value" json:"value"`
	// Text is the cell or phrase as written: "trên 40%", "≥ 0,75", "9,5".
	Text string `bson:"text" json:"text"`
	// Strict: the number itself does not meet it ("trên 40%": more than 40).
	Strict bool `bson:"strict,omitempty" json:"strict,omitempty"`
}

// Target is a number a plan promises, with its yearly milestones.
type Target struct {
	ID      string `bson:"_id" json:"id"` // TargetID(plan code, number): "26-CT1"
	PlanKey string `bson:"plan" json:"plan"`
	Number  string `bson:"number" json:"number"` // its place in the plan's list, "1"
	Name    string `bson:"name" json:"name"`     // as written
	// Norm is the name compared loosely (NormName): one target per name and
	// plan (a unique index).
	Norm      string    `bson:"norm" json:"-"`
	Unit      string    `bson:"unit" json:"unit"` // "%", "người/1 vạn dân", "chỉ số"
	Direction Direction `bson:"direction" json:"direction"`
	// Baseline is the value the plan starts from (Hiện trạng/Năm gốc); nil
	// when the plan states none.
	Baseline *Milestone `bson:"baseline,omitempty" json:"baseline,omitempty"`
	// Milestones are the numbers set for the years before Final's, by year.
	Milestones []Milestone `bson:"milestones" json:"milestones"`
	// Final is the target itself: its value and year ("trên 40%" in 2030).
	Final Milestone `bson:"final" json:"final"`
	// From is the first year values are asked for (the plan's first year).
	From int `bson:"from" json:"from"`
	// Agency is the key of the agency that reports it; AgencyText is the
	// cell as written ("" when the plan names none, see seeds/README.md).
	Agency       string    `bson:"agency" json:"agency"`
	AgencyText   string    `bson:"agency_text" json:"agency_text"`
	Contributors Cell      `bson:"contributors" json:"contributors"`
	Task         string    `bson:"task,omitempty" json:"task,omitempty"` // code of the task that repeats it ("26-V.3")
	Source       string    `bson:"source" json:"source"`                 // the text it comes from
	Seq          int       `bson:"seq" json:"seq"`
	Withdrawn    bool      `bson:"withdrawn" json:"withdrawn"` // no longer in the plan; values kept
	Version      int       `bson:"version" json:"version"`     // of its history: contiguous from 1
	LastValue    string    `bson:"last_value" json:"last_value"`
	ReportedAt   time.Time `bson:"reported_at" json:"reported_at"`
	SeedHash     string    `bson:"seed_hash" json:"-"`
	UpdatedAt    time.Time `bson:"updated_at" json:"-"`
}

// TargetID is the identity of a plan's number-th target: "26-CT1".
func TargetID(planCode, number string) string { return strings.ToUpper(planCode + "-CT" + number) }

// TargetValueID is the identity of the version-th entry of a target's
// history: versions are contiguous, so history is read by identity alone.
func TargetValueID(targetID string, version int) string {
	return targetID + "#" + strconv.Itoa(version)
}

// NormName folds a target's name for comparison: case, diacritics, spacing
// and punctuation do not matter.
func NormName(s string) string {
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

// Points are the numbers the plan sets, by year: the baseline, the
// milestones and the final value.
func (t Target) Points() []Milestone {
	var out []Milestone
	if t.Baseline != nil {
		out = append(out, *t.Baseline)
	}
	out = append(out, t.Milestones...)
	out = append(out, t.Final)
	slices.SortStableFunc(out, func(a, b Milestone) int { return a.Year - b.Year })
	return out
}

// Check tells what is wrong with a target, if anything: a name, a direction,
// a final year, milestones before it in increasing years, a baseline before
// them, finite numbers.
func (t Target) Check() error {
	var errs []error
	if strings.TrimSpace(t.Name) == "" {
		errs = append(errs, errors.New("empty name"))
	}
	if !t.Direction.Valid() {
		errs = append(errs, fmt.Errorf("direction %q is not at_least, at_most or exactly", t.Direction))
	}
	if t.Final.Year < 2000 || t.Final.Year > 2100 {
		errs = append(errs, fmt.Errorf("final year %d", t.Final.Year))
	}
	prev := 0
	if t.Baseline != nil {
		prev = t.Baseline.Year
		if prev == 0 {
			prev = -1 // a baseline of unknown year: before everything
		}
	}
	for _, m := range append(append([]Milestone(nil), t.Milestones...), t.Final) {
		if m.Year <= prev {
			errs = append(errs, fmt.Errorf("milestone %d is not after %d", m.Year, prev))
		}
		prev = m.Year
	}
	for _, m := range t.Points() {
		if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
			errs = append(errs, fmt.Errorf("value of %d is not a number", m.Year))
		}
	}
	if t.From != 0 && t.From > t.Final.Year {
		errs = append(errs, fmt.Errorf("from %d is after the final year %d", t.From, t.Final.Year))
	}
	return errors.Join(errs...)
}

// TargetEntryKind says what an entry of a target's history is.
type TargetEntryKind string

// The kinds of entry.
const (
	ReportValue     TargetEntryKind = "value"      // a value reported for a year or period
	CorrectionValue TargetEntryKind = "correction" // the officer's latest value withdrawn
)

// TargetValue is one entry of a target's append-only history: a value an
// officer reported, or the correction that withdraws their latest one.
type TargetValue struct {
	ID       string          `bson:"_id" json:"id"` // TargetValueID(target, version)
	Source   string          `bson:"source" json:"-"`
	TargetID string          `bson:"target" json:"target"`
	Version  int             `bson:"version" json:"version"`
	Kind     TargetEntryKind `bson:"kind" json:"kind"`
	// Year is the year the value is of; Period says which part of it when
	// it is not the whole year, as written ("6 tháng đầu năm 2026").
	Year   int     `bson:"year" json:"year"`
	Period string  `bson:"period,omitempty" json:"period,omitempty"`
	Value  float64 `bson:"value" json:"value"`
	Text   string  `bson:"text,omitempty" json:"text,omitempty"` // as typed: "9,5"
	// DataSource is where the figure comes from ("Cục Thống kê, số liệu
	// 2026") and Date the date it bears.
	DataSource  string        `bson:"data_source,omitempty" json:"data_source,omitempty"`
	Date        deadline.Date `bson:"date" json:"date"`
	AgencyKey   string        `bson:"agency" json:"agency"`
	OfficerID   int64         `bson:"officer" json:"officer"`
	OfficerName string        `bson:"officer_name" json:"officer_name"`
	At          time.Time     `bson:"at" json:"at"`
	Corrects    string        `bson:"corrects,omitempty" json:"corrects,omitempty"`
	Corrected   bool          `bson:"corrected" json:"corrected"`
}

// TargetChange is what an officer asks to record on a target.
type TargetChange struct {
	Kind       TargetEntryKind
	Year       int
	Period     string
	Value      float64
	Text       string
	DataSource string
	Date       deadline.Date
}

// maxTargetText bounds the texts of a reported value.
const maxTargetText = 500

// NextTargetValue is the one rule of a target's history, as Next is of an
// assignment's. Given a change, the officer, the target's latest entry (nil
// when it has none), its current values and the day, it returns the entry to
// record (without identity, source, officer or time, which the store sets):
//
//   - a value needs a year from 2000 to the target's final year and not
//     after this year, a finite number, a source, and a date not after today;
//     the same value, period and source as the current one of that year is
//     ErrNoChange;
//   - a correction withdraws the latest entry, which must be the officer's
//     own value and neither a correction nor corrected (ErrNothingToCorrect).
func NextTargetValue(t Target, ch TargetChange, officer int64, last *TargetValue, current []TargetValue, today deadline.Date) (TargetValue, error) {
	switch ch.Kind {
	case ReportValue:
		switch {
		case ch.Year < 2000 || ch.Year > t.Final.Year:
			return TargetValue{}, fmt.Errorf("%w: year %d is outside 2000–%d", ErrInvalidChange, ch.Year, t.Final.Year)
		case ch.Year > today.Year:
			return TargetValue{}, fmt.Errorf("%w: year %d has not come yet", ErrInvalidChange, ch.Year)
		case math.IsNaN(ch.Value) || math.IsInf(ch.Value, 0):
			return TargetValue{}, fmt.Errorf("%w: value is not a number", ErrInvalidChange)
		case strings.TrimSpace(ch.DataSource) == "":
			return TargetValue{}, fmt.Errorf("%w: a value needs its source", ErrInvalidChange)
		case len(ch.DataSource) > maxTargetText || len(ch.Period) > maxTargetText || len(ch.Text) > maxTargetText:
			return TargetValue{}, fmt.Errorf("%w: text longer than %d bytes", ErrInvalidChange, maxTargetText)
		case !ch.Date.IsZero() && ch.Date.After(today):
			return TargetValue{}, fmt.Errorf("%w: date %s is after today", ErrInvalidChange, ch.Date)
		}
		v := TargetValue{Kind: ReportValue, TargetID: t.ID, Year: ch.Year, Period: strings.TrimSpace(ch.Period), Value: ch.Value,
			Text: strings.TrimSpace(ch.Text), DataSource: strings.TrimSpace(ch.DataSource), Date: ch.Date}
		for i := len(current) - 1; i >= 0; i-- {
			c := current[i]
			if c.Year == v.Year && c.Period == v.Period {
				if c.Value == v.Value && c.DataSource == v.DataSource && c.Date == v.Date {
					return v, ErrNoChange
				}
				break
			}
		}
		return v, nil
	case CorrectionValue:
		if WhyNotCorrectableValue(last, officer) != CanCorrect {
			return TargetValue{}, ErrNothingToCorrect
		}
		return TargetValue{Kind: CorrectionValue, TargetID: t.ID, Year: last.Year, Period: last.Period, Corrects: last.ID}, nil
	}
	return TargetValue{}, fmt.Errorf("%w: unknown change %q", ErrInvalidChange, ch.Kind)
}

// WhyNotCorrectableValue says whether an officer may withdraw last, the
// latest entry of a target's history, as WhyNotCorrectable does for updates.
func WhyNotCorrectableValue(last *TargetValue, officer int64) CorrectBlock {
	switch {
	case last == nil:
		return NothingReported
	case last.Kind == CorrectionValue || last.Corrected:
		return AlreadyCorrected
	case last.OfficerID != officer:
		return NotTheirs
	}
	return CanCorrect
}

// CurrentValues are the values of a history (in any order) that stand:
// neither withdrawn by a correction nor corrections themselves, oldest first.
// A correction counts even when the crash of its writer left the withdrawn
// entry unmarked.
func CurrentValues(history []TargetValue) []TargetValue {
	withdrawn := map[string]bool{}
	for _, v := range history {
		if v.Kind == CorrectionValue {
			withdrawn[v.Corrects] = true
		}
	}
	var out []TargetValue
	for _, v := range history {
		if v.Kind == ReportValue && !v.Corrected && !withdrawn[v.ID] {
			out = append(out, v)
		}
	}
	slices.SortStableFunc(out, func(a, b TargetValue) int { return a.Version - b.Version })
	return out
}

// MayReportTarget tells whether an officer reports a target's values: a
// focal officer of the agency responsible for it.
func MayReportTarget(t Target, o Officer) bool {
	return o.Active && o.Role == RoleOfficer && o.AgencyKey != "" && o.AgencyKey == t.Agency
}

// TargetLight is how a target stands in a year.
type TargetLight string

// The lights of a target.
const (
	OnTrack TargetLight = "on_track" // this year's value meets this year's expectation
	Behind  TargetLight = "behind"   // it does not
	NoData  TargetLight = "no_data"  // no value reported for this year
)

// Trend is how the two latest yearly values move, judged by the direction.
type Trend string

// The trends.
const (
	TrendNone      Trend = ""          // fewer than two years with a value
	TrendImproving Trend = "improving" // towards the target
	TrendWorsening Trend = "worsening" // away from it
	TrendSteady    Trend = "steady"    // unchanged
)

// Basis says where the number a year is judged against comes from.
type Basis string

// The bases of an expectation.
const (
	BasisNone         Basis = ""             // before the first year tracked
	BasisMilestone    Basis = "milestone"    // the plan's number for that year
	BasisFinal        Basis = "final"        // the final year, or later
	BasisInterpolated Basis = "interpolated" // on the line between two of the plan's numbers
	BasisReported     Basis = "reported"     // on the line from the first reported value (the plan gives no baseline)
	BasisNext         Basis = "next"         // nothing before it: the next number the plan sets
)

// Expectation is what a target expects of a year.
type Expectation struct {
	Year  int     `json:"year"`
	Value float64 `json:"value"`
	Basis Basis   `json:"basis"`
	// Strict: the value must pass the number, not just reach it (a
	// milestone written "trên 40%").
	Strict bool `json:"strict,omitempty"`
}

// Expect is the number year y is judged against.
//
// A year the plan sets a number for (a milestone, the final year, the
// baseline's) is judged against that number; a year after the final one
// against the final value. A year between two of the plan's numbers is
// judged against the straight line between them (linear interpolation: the
// plan promises where the figure is at both ends, and an even pace between
// is the only reading that favours neither end). When the plan gives no
// number before y (no baseline), the first value reported for an earlier
// year stands in for the baseline; without one either, y is judged against
// the next number the plan sets. first is that earliest reported value (nil
// when there is none).
func (t Target) Expect(y int, first *TargetValue) Expectation {
	if y > t.Final.Year {
		return Expectation{Year: y, Value: t.Final.Value, Basis: BasisFinal, Strict: t.Final.Strict}
	}
	points := t.Points()
	var prev, next *Milestone
	for i := range points {
		p := &points[i]
		switch {
		case p.Year == y:
			b := BasisMilestone
			if y == t.Final.Year {
				b = BasisFinal
			}
			return Expectation{Year: y, Value: p.Value, Basis: b, Strict: p.Strict}
		case p.Year < y && p.Year != 0:
			prev = p
		case p.Year > y && next == nil:
			next = p
		}
	}
	// next is never nil here: y is before the final year.
	basis := BasisInterpolated
	if prev == nil && first != nil && first.Year < y {
		prev, basis = &Milestone{Year: first.Year, Value: first.Value}, BasisReported
	}
	if prev == nil {
		return Expectation{Year: y, Value: next.Value, Basis: BasisNext, Strict: next.Strict}
	}
	frac := float64(y-prev.Year) / float64(next.Year-prev.Year)
	return Expectation{Year: y, Value: prev.Value + frac*(next.Value-prev.Value), Basis: basis}
}

// Judgement is how a target stands on a day.
type Judgement struct {
	Year     int          `json:"year"` // the year judged: this year, or the final year once it is past
	Expected Expectation  `json:"expected"`
	Actual   *TargetValue `json:"actual,omitempty"` // the value of the judged year (the latest reported)
	Latest   *TargetValue `json:"latest,omitempty"` // the latest value of any year
	Light    TargetLight  `json:"light"`
	Trend    Trend        `json:"trend"`
	// Met tells whether the latest value already meets the final target.
	Met bool `json:"met"`
}

// JudgeTarget judges a target on day today from its history (in any order):
// the light of this year's value against this year's expectation (Expect),
// no data when nothing was reported for this year (a value of part of the
// year counts when no whole-year value is there); the trend of the two
// latest years with a value; whether the latest value meets the final one.
// Once the final year is past, the final year is judged.
func JudgeTarget(t Target, history []TargetValue, today deadline.Date) Judgement {
	cur := CurrentValues(history)
	y := min(today.Year, t.Final.Year)
	j := Judgement{Year: y, Light: NoData}
	byYear := YearlyValues(cur)
	var first *TargetValue
	for i := range cur {
		if first == nil || cur[i].Year < first.Year {
			first = &cur[i]
		}
	}
	j.Expected = t.Expect(y, first)
	if t.From != 0 && y < t.From {
		j.Expected = Expectation{Year: y}
	}
	if len(byYear) > 0 {
		last := byYear[len(byYear)-1]
		j.Latest = &last
		j.Met = meets(t, last.Value, Expectation{Value: t.Final.Value, Strict: t.Final.Strict})
	}
	for i := range byYear {
		if byYear[i].Year == y {
			v := byYear[i]
			j.Actual = &v
		}
	}
	if j.Actual != nil && j.Expected.Basis != BasisNone {
		j.Light = Behind
		if meets(t, j.Actual.Value, j.Expected) {
			j.Light = OnTrack
		}
	}
	if n := len(byYear); n >= 2 {
		j.Trend = trendOf(t, byYear[n-2].Value, byYear[n-1].Value)
	}
	return j
}

// YearlyValues is one value per year of current values (CurrentValues,
// oldest first), the years in order: the latest whole-year value reported,
// else the latest value of part of the year.
func YearlyValues(cur []TargetValue) []TargetValue {
	best := map[int]TargetValue{}
	for _, v := range cur { // oldest first: a later one replaces an earlier
		b, ok := best[v.Year]
		if !ok || v.Period == "" || b.Period != "" {
			best[v.Year] = v
		}
	}
	out := make([]TargetValue, 0, len(best))
	for _, v := range best {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b TargetValue) int { return a.Year - b.Year })
	return out
}

// eps absorbs the error of floating-point sums (an interpolated 10,125
// typed as 10,125 meets it).
const eps = 1e-9

// meets tells whether v meets the expectation in the target's direction. An
// "exactly" target is met when v, rounded to the decimals its final value is
// written with, is the expected number so rounded ("0,75" → two decimals).
func meets(t Target, v float64, e Expectation) bool {
	switch t.Direction {
	case AtMost:
		if e.Strict {
			return v < e.Value-eps
		}
		return v <= e.Value+eps
	case Exactly:
		p := math.Pow(10, float64(decimals(t.Final.Text)))
		return math.Round(v*p) == math.Round(e.Value*p)
	}
	if e.Strict {
		return v > e.Value+eps
	}
	return v >= e.Value-eps
}

func trendOf(t Target, prev, last float64) Trend {
	d := last - prev
	if math.Abs(d) <= eps {
		return TrendSteady
	}
	better := d > 0
	switch t.Direction {
	case AtMost:
		better = d < 0
	case Exactly:
		better = math.Abs(last-t.Final.Value) < math.Abs(prev-t.Final.Value)
	}
	if better {
		return TrendImproving
	}
	return TrendWorsening
}

// decimals counts the digits after the decimal mark of the number in s.
func decimals(s string) int {
	f, err := ParseFigure(s)
	if err != nil {
		return 0
	}
	_, frac, ok := strings.Cut(f.number, ".")
	if !ok {
		return 0
	}
	return len(frac)
}

// FindTargets finds the targets a person means by q (/target <q>): the one
// whose identity it is ("26-CT5", any case), else those of that number
// ("5"), else those whose name holds its words in order, compared as
// NormName compares ("nhân lực nghiên cứu" finds research staff). The list's
// order is kept; nothing found is an empty list.
func FindTargets(list []Target, q string) []Target {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	var out []Target
	for _, t := range list {
		if strings.EqualFold(t.ID, q) {
			return []Target{t}
		}
	}
	n := strings.TrimPrefix(strings.ToUpper(q), "CT")
	for _, t := range list {
		if t.Number == n {
			out = append(out, t)
		}
	}
	if len(out) > 0 {
		return out
	}
	words := NormName(q)
	for _, t := range list {
		if words != "" && strings.Contains(NormName(t.Name), words) {
			out = append(out, t)
		}
	}
	return out
}
