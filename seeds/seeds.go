// Package seeds holds the reviewed seed data of the bot, embedded in the
// binary: the two provincial plans with their task tables (transcribed from
// the source documents, cell text kept exactly as written), the agency
// registry and Vietnam's public holidays for 2025–2027.
//
// The JSON files in this directory are the source of truth; they are meant to
// be read and corrected by people. Loading them validates their consistency.
package seeds

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"agencybot/agency"
)

//go:embed *.json
var files embed.FS

// PlanFiles are the plan files, in the order Plans returns them.
var PlanFiles = []string{"plan-2025.json", "plan-2026.json"}

// Group values of a Cell.
const (
	GroupNone                    = ""
	GroupDepartments             = "departments"              // "các sở, ban, ngành" without localities
	GroupDepartmentsLocalities   = "departments_localities"   // "Các sở, ban, ngành, địa phương" and its narrowed variants
	GroupLocalities              = "localities"               // communes/wards only
	GroupUniversities            = "universities"             // "các trường đại học", "các viện, trường"
	GroupDepartmentsUniversities = "departments+universities" // "Các viện, trường; sở, ban, ngành"
)

// Plan is one plan (kế hoạch) with its appendix of tasks.
type Plan struct {
	Key           string `json:"key"`
	Code          string `json:"code"`
	Number        string `json:"number"`
	Date          string `json:"date"`
	Year          int    `json:"year"`
	Title         string `json:"title"`
	AppendixTitle string `json:"appendix_title"`
	Reporting     string `json:"reporting"`
	Tasks         []Task `json:"tasks"`
}

// Task is one row of a plan's appendix.
type Task struct {
	Section      string `json:"section"`
	SectionTitle string `json:"section_title"`
	Number       string `json:"number"`
	Title        string `json:"title"`
	Lead         Cell   `json:"lead"`
	Coordinating Cell   `json:"coordinating"`
	Deadline     string `json:"deadline"`
	Output       string `json:"output"`
	Note         string `json:"note"`
}

// Cell is an agency column (lead or coordinating) of a task: the text as
// written plus its reading.
type Cell struct {
	Text     string   `json:"text"`
	Agencies []string `json:"agencies"` // keys of agencies named explicitly
	Group    string   `json:"group"`    // one of the Group constants
	Rest     []string `json:"rest"`     // parts that are neither a named agency nor a group, as written
}

// Agency is one record of the agency registry.
type Agency struct {
	Key     string   `json:"key"`
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Aliases []string `json:"aliases"`
	Source  string   `json:"source"` // "plan": named by a plan; "registry": added so that groups are complete
}

// Holiday is one public day off.
type Holiday struct {
	Date string `json:"date"` // YYYY-MM-DD
	Name string `json:"name"`
	Note string `json:"note"`
}

// HolidayFile is the layout of holidays.json.
type HolidayFile struct {
	Comment string    `json:"comment"`
	Days    []Holiday `json:"days"`
}

// Code is the task's short code, e.g. "25-7" or "26-IV.5".
func (t Task) Code(p Plan) string { return p.Code + "-" + t.Number }

// Plans returns the plans in file order (2025, then 2026), validated against
// each other and against the agency registry.
func Plans() ([]Plan, error) {
	agencies, err := Agencies()
	if err != nil {
		return nil, err
	}
	plans := make([]Plan, 0, len(PlanFiles))
	for _, name := range PlanFiles {
		var p Plan
		if err := decodeFile(name, &p); err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	if err := ValidatePlans(plans, agencies); err != nil {
		return nil, err
	}
	return plans, nil
}

// Agencies returns the validated agency registry in file order.
func Agencies() ([]Agency, error) {
	var agencies []Agency
	if err := decodeFile("agencies.json", &agencies); err != nil {
		return nil, err
	}
	if err := ValidateAgencies(agencies); err != nil {
		return nil, err
	}
	return agencies, nil
}

// Holidays returns the validated public holidays, sorted by date.
func Holidays() ([]Holiday, error) {
	f, err := HolidaysFile()
	if err != nil {
		return nil, err
	}
	return f.Days, nil
}

// HolidaysFile returns holidays.json with its comment.
func HolidaysFile() (HolidayFile, error) {
	var f HolidayFile
	if err := decodeFile("holidays.json", &f); err != nil {
		return HolidayFile{}, err
	}
	if err := ValidateHolidays(f.Days); err != nil {
		return HolidayFile{}, err
	}
	return f, nil
}

func decodeFile(name string, v any) error {
	b, err := files.ReadFile(name)
	if err != nil {
		return fmt.Errorf("seeds: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("seeds: %s: %w", name, err)
	}
	if dec.More() {
		return fmt.Errorf("seeds: %s: trailing data after the JSON value", name)
	}
	return nil
}

var (
	agencyKeyRe  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	planCode25Re = regexp.MustCompile(`^[1-9][0-9]*$`)
	planCode26Re = regexp.MustCompile(`^[IVX]+\.[1-9][0-9]*$`)
	romanRe      = regexp.MustCompile(`^[IVX]+$`)
)

var agencyKinds = map[string]bool{
	"department": true, "office": true, "police": true, "party": true,
	"university": true, "organisation": true, "commune": true,
}

var validGroups = map[string]bool{
	GroupNone: true, GroupDepartments: true, GroupDepartmentsLocalities: true, GroupLocalities: true,
	GroupUniversities: true, GroupDepartmentsUniversities: true,
}

// ValidateAgencies checks the registry: well-formed unique keys, known kinds
// and sources, and no name or alias that two agencies answer to, compared as
// agency.Normalize compares them (the matching the bot does); a spelling
// variant repeated within one agency is harmless.
func ValidateAgencies(agencies []Agency) error {
	var errs []error
	keys := map[string]bool{}
	names := map[string]string{}
	for i, a := range agencies {
		where := fmt.Sprintf("agency #%d %q", i+1, a.Key)
		if !agencyKeyRe.MatchString(a.Key) {
			errs = append(errs, fmt.Errorf("%s: key must be a lower-case ASCII slug", where))
		}
		if keys[a.Key] {
			errs = append(errs, fmt.Errorf("%s: duplicate key", where))
		}
		keys[a.Key] = true
		if strings.TrimSpace(a.Name) == "" {
			errs = append(errs, fmt.Errorf("%s: empty name", where))
		}
		if !agencyKinds[a.Kind] {
			errs = append(errs, fmt.Errorf("%s: unknown kind %q", where, a.Kind))
		}
		if a.Source != "plan" && a.Source != "registry" {
			errs = append(errs, fmt.Errorf("%s: source must be \"plan\" or \"registry\", got %q", where, a.Source))
		}
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			k := agency.Normalize(n)
			if k == "" {
				errs = append(errs, fmt.Errorf("%s: empty alias", where))
				continue
			}
			if other, ok := names[k]; ok && other != a.Key {
				errs = append(errs, fmt.Errorf("%s: name/alias %q already used by %q", where, n, other))
				continue
			}
			names[k] = a.Key
		}
	}
	return errors.Join(errs...)
}

// ValidatePlans checks the plans against each other and the registry: unique
// keys and codes, unique task numbers of the plan's form, every task with a
// section, a title and a lead text, cells consistent, agency keys known, the
// registry itself valid.
func ValidatePlans(plans []Plan, agencies []Agency) error {
	errs := []error{ValidateAgencies(agencies)}
	known := map[string]bool{}
	for _, a := range agencies {
		known[a.Key] = true
	}
	planKeys, planCodes := map[string]bool{}, map[string]bool{}
	for _, p := range plans {
		where := fmt.Sprintf("plan %q", p.Key)
		if p.Key == "" || p.Code == "" {
			errs = append(errs, fmt.Errorf("%s: key and code are required", where))
		}
		if planKeys[p.Key] {
			errs = append(errs, fmt.Errorf("%s: duplicate plan key", where))
		}
		if planCodes[p.Code] {
			errs = append(errs, fmt.Errorf("%s: duplicate plan code %q", where, p.Code))
		}
		planKeys[p.Key], planCodes[p.Code] = true, true
		if p.Title == "" || p.Year == 0 {
			errs = append(errs, fmt.Errorf("%s: title and year are required", where))
		}
		if len(p.Tasks) == 0 {
			errs = append(errs, fmt.Errorf("%s: no tasks", where))
		}
		numbers := map[string]bool{}
		for i, t := range p.Tasks {
			tw := fmt.Sprintf("%s task #%d (%q)", where, i+1, t.Number)
			if t.Number == "" {
				errs = append(errs, fmt.Errorf("%s: empty number", tw))
			} else if !planCode25Re.MatchString(t.Number) && !planCode26Re.MatchString(t.Number) {
				errs = append(errs, fmt.Errorf("%s: number must look like \"7\" or \"IV.5\"", tw))
			} else if strings.Contains(t.Number, ".") && !strings.HasPrefix(t.Number, t.Section+".") {
				errs = append(errs, fmt.Errorf("%s: number is not in section %q", tw, t.Section))
			}
			if numbers[t.Number] {
				errs = append(errs, fmt.Errorf("%s: duplicate task number", tw))
			}
			numbers[t.Number] = true
			if !romanRe.MatchString(t.Section) || t.SectionTitle == "" {
				errs = append(errs, fmt.Errorf("%s: section must be a Roman numeral with a title", tw))
			}
			if strings.TrimSpace(t.Title) == "" {
				errs = append(errs, fmt.Errorf("%s: empty title", tw))
			}
			if strings.TrimSpace(t.Lead.Text) == "" {
				errs = append(errs, fmt.Errorf("%s: empty lead", tw))
			}
			errs = append(errs, validateCell(tw+" lead", t.Lead, known))
			errs = append(errs, validateCell(tw+" coordinating", t.Coordinating, known))
		}
	}
	return errors.Join(errs...)
}

func validateCell(where string, c Cell, known map[string]bool) error {
	var errs []error
	if !validGroups[c.Group] {
		errs = append(errs, fmt.Errorf("%s: unknown group %q", where, c.Group))
	}
	seen := map[string]bool{}
	for _, k := range c.Agencies {
		if !known[k] {
			errs = append(errs, fmt.Errorf("%s: unknown agency key %q", where, k))
		}
		if seen[k] {
			errs = append(errs, fmt.Errorf("%s: agency %q listed twice", where, k))
		}
		seen[k] = true
	}
	empty := len(c.Agencies) == 0 && c.Group == GroupNone && len(c.Rest) == 0
	switch {
	case strings.TrimSpace(c.Text) == "" && !empty:
		errs = append(errs, fmt.Errorf("%s: empty text but agencies/group/rest set", where))
	case strings.TrimSpace(c.Text) != "" && empty:
		errs = append(errs, fmt.Errorf("%s: text %q is not resolved to any agency, group or rest", where, c.Text))
	}
	for _, r := range c.Rest {
		if r == "" || !strings.Contains(c.Text, r) {
			errs = append(errs, fmt.Errorf("%s: rest part %q does not occur in the text", where, r))
		}
	}
	return errors.Join(errs...)
}

// ValidateHolidays checks that dates are valid, unique and sorted, and that
// every day has a name.
func ValidateHolidays(days []Holiday) error {
	var errs []error
	prev := ""
	for i, h := range days {
		if _, err := time.Parse(time.DateOnly, h.Date); err != nil {
			errs = append(errs, fmt.Errorf("holiday #%d: bad date %q", i+1, h.Date))
		}
		if h.Name == "" {
			errs = append(errs, fmt.Errorf("holiday %s: empty name", h.Date))
		}
		if i > 0 && h.Date <= prev {
			errs = append(errs, fmt.Errorf("holiday %s: not after %s (must be sorted and unique)", h.Date, prev))
		}
		prev = h.Date
	}
	return errors.Join(errs...)
}
