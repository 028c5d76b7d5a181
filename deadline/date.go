package deadline

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// dateLayout is the one textual form of a Date: in JSON, in BSON and in String.
// Strings in this form sort in date order, which range queries rely on.
const dateLayout = "2006-01-02"

// Date is a calendar date with no time of day and no time zone.
// The zero Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// IsZero reports whether d is the zero Date, i.e. no date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// In returns midnight at the start of d in loc. d should be non-zero.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, day := t.Date()
	return Date{Year: y, Month: m, Day: day}
}

// ParseDate parses a date written as "2006-01-02". Both month and day need two
// digits, and the day must exist in that month.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// AddDays returns the date n days after d (before d when n is negative).
// The zero Date stays zero.
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	return DateOf(d.In(time.UTC).AddDate(0, 0, n))
}

// Before reports whether d is earlier than o. The zero Date is before every
// other date.
func (d Date) Before(o Date) bool { return d.compare(o) < 0 }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.compare(o) > 0 }

func (d Date) compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	default:
		return 0
	}
}

// DaysBetween returns the number of days from a to b (b - a): 1 when b is the
// day after a, negative when b is before a. Both dates should be non-zero.
func DaysBetween(a, b Date) int {
	const day = 24 * 60 * 60
	// Midnight UTC has no daylight saving, so the difference is a whole
	// number of days.
	return int((b.In(time.UTC).Unix() - a.In(time.UTC).Unix()) / day)
}

// valid reports whether d is a real calendar date that survives a round trip
// through its string form.
func (d Date) valid() bool {
	if d.IsZero() {
		return false
	}
	p, err := ParseDate(d.String())
	return err == nil && p == d
}

// MarshalJSON encodes d as "2006-01-02", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON accepts "2006-01-02", "" or null (the last two give the zero
// Date).
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date must be a \"2006-01-02\" string or null: %w", err)
	}
	return d.setString(s)
}

// MarshalBSONValue encodes d as a BSON string "2006-01-02", or "" for the zero
// Date, so stored dates compare and sort as dates. It implements
// bson.ValueMarshaler.
func (d Date) MarshalBSONValue() (byte, []byte, error) {
	t, b, err := bson.MarshalValue(d.String())
	return byte(t), b, err
}

// UnmarshalBSONValue decodes a BSON string written by MarshalBSONValue; an
// empty string or BSON null gives the zero Date. It implements
// bson.ValueUnmarshaler.
func (d *Date) UnmarshalBSONValue(typ byte, data []byte) error {
	switch bson.Type(typ) {
	case bson.TypeNull, bson.TypeUndefined:
		*d = Date{}
		return nil
	case bson.TypeString:
		rv := bson.RawValue{Type: bson.TypeString, Value: data}
		if err := rv.Validate(); err != nil {
			return fmt.Errorf("decode date: %w", err)
		}
		s, ok := rv.StringValueOK()
		if !ok {
			return errors.New("decode date: malformed BSON string")
		}
		return d.setString(s)
	default:
		return fmt.Errorf("decode date: BSON type %v, want string", bson.Type(typ))
	}
}

func (d *Date) setString(s string) error {
	if s == "" {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}
