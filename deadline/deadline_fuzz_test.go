package deadline

import (
	"slices"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// FuzzParse checks Parse's promises on any input: it does not panic, keeps the
// text, returns one of the five kinds, and gives a real due date exactly when
// the kind is Fixed.
func FuzzParse(f *testing.F) {
	for _, tc := range append(append(append([]parseCase{}, planCases...), variantCases...), newPlanCases...) {
		f.Add(tc.text)
		f.Add(norm.NFD.String(tc.text))
	}
	f.Fuzz(func(t *testing.T, text string) {
		d := Parse(text)
		if d.Text != text {
			t.Fatalf("Text = %q, want the input %q", d.Text, text)
		}
		switch d.Kind {
		case Fixed:
			if !d.Due.valid() {
				t.Fatalf("Parse(%q): Fixed with due %#v, want a real date", text, d.Due)
			}
			if d.Due.Year < minYear || d.Due.Year > maxYear {
				t.Fatalf("Parse(%q): due year %d outside %d–%d", text, d.Due.Year, minYear, maxYear)
			}
			if !d.From.IsZero() && (!d.From.valid() || d.From.After(d.Due)) {
				t.Fatalf("Parse(%q): from %#v, due %v", text, d.From, d.Due)
			}
		case Recurring:
			if !slices.Contains(Recurrences(), d.Recurrence) {
				t.Fatalf("Parse(%q): Recurring with recurrence %q", text, d.Recurrence)
			}
		case Conditional, None, Unparsed:
		default:
			t.Fatalf("Parse(%q): kind %q is not one of the five", text, d.Kind)
		}
		if d.Kind != Fixed && (!d.Due.IsZero() || !d.From.IsZero()) {
			t.Fatalf("Parse(%q): %s with due %#v from %#v, want zero", text, d.Kind, d.Due, d.From)
		}
		if d.Kind != Fixed && d.Kind != Recurring && d.Recurrence != NoRecurrence {
			t.Fatalf("Parse(%q): %s with recurrence %q", text, d.Kind, d.Recurrence)
		}
		if d.Kind == None && fold(text) != "" {
			t.Fatalf("Parse(%q): None for a non-blank cell", text)
		}
		if d.Month != 0 || d.Day != 0 {
			if d.Kind != Recurring || d.Recurrence != Annual || !validYearDay(d.Month, d.Day) {
				t.Fatalf("Parse(%q): %s %s with day of year %d/%d", text, d.Kind, d.Recurrence, d.Day, d.Month)
			}
		}
		// Composition must not change the meaning.
		if n := Parse(norm.NFD.String(text)); n.Kind != d.Kind || n.Due != d.Due || n.From != d.From || n.Recurrence != d.Recurrence || n.Month != d.Month || n.Day != d.Day {
			t.Fatalf("Parse(%q) = %+v but its NFD form gives %+v", text, d, n)
		}
	})
}
