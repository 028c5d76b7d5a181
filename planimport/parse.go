package planimport

import (
	"errors"
	"strings"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
)

// Options chooses among several sheets with a table.
type Options struct {
	Sheet string // the sheet to read; "" when the file has one table
}

// Parse reads a plan's table from a file's name and content. It returns an
// *Error (see its Code) when the file cannot be read as a plan table; with
// ErrSheets the caller asks which sheet and calls again with Options.Sheet.
func Parse(name string, data []byte, opt Options) (Table, error) {
	grids, err := readGrids(name, data)
	if err != nil {
		return Table{}, err
	}
	// A table of targets is read first and taken out of its sheet, so that
	// the tasks are read without its rows.
	targets, blanked, err := takeTargets(grids)
	if err != nil {
		return Table{}, err
	}
	t, err := parseGrids(grids, opt)
	if err != nil {
		return t, err
	}
	return withTargets(t, grids, targets, blanked)
}

// parseGrids reads the table of tasks from the sheets (the one opt names).
func parseGrids(grids []grid, opt Options) (Table, error) {
	if opt.Sheet != "" {
		for _, g := range grids {
			if g.sheet == opt.Sheet {
				return parseTable(g)
			}
		}
		return Table{}, &Error{Code: ErrNoSheet, Col: -1, Detail: opt.Sheet}
	}
	var found []Table
	var firstErr error
	var sheets []string
	for _, g := range grids {
		t, err := parseTable(g)
		var e *Error
		switch {
		case err == nil:
			found = append(found, t)
			sheets = append(sheets, g.sheet)
		case errors.As(err, &e) && e.Code == ErrHeader:
			// No table on this sheet.
		case firstErr == nil:
			firstErr, sheets = err, append(sheets, g.sheet)
		default:
			sheets = append(sheets, g.sheet)
		}
	}
	switch {
	case len(sheets) > 1:
		return Table{}, &Error{Code: ErrSheets, Col: -1, Sheets: sheets}
	case len(found) == 1:
		if len(grids) == 1 {
			found[0].Sheet = grids[0].sheet
		}
		return found[0], nil
	case firstErr != nil:
		return Table{}, firstErr
	}
	return Table{}, fileErr(ErrHeader)
}

// Cell reads an assignee cell with the parser seeding uses
// (agency.ParseAssignees): the agencies ix knows, the collective group, the
// rest; the text as given.
func Cell(text string, ix *agency.Index) domain.Cell {
	a := agency.ParseAssignees(text, ix)
	c := domain.Cell{Text: text, Agencies: ix.Keys(a), Group: a.Group, Rest: a.Rest}
	if c.Rest == nil {
		c.Rest = []string{}
	}
	return c
}

// DomainTasks returns the table's tasks ready to store in the plan planKey
// whose short code is code ("27": task codes "27-I.1"), cells read against
// ix, deadlines parsed.
func (t Table) DomainTasks(planKey, code string, ix *agency.Index) []domain.Task {
	out := make([]domain.Task, len(t.Tasks))
	for i, x := range t.Tasks {
		out[i] = domain.Task{
			Code: strings.ToUpper(code + "-" + x.Number), PlanKey: planKey, Section: x.Section, SectionTitle: x.SectionTitle,
			Number: x.Number, Title: x.Title, Lead: Cell(x.Lead, ix), Coordinating: Cell(x.Coordinating, ix),
			Deadline: deadline.Parse(x.Deadline), Output: x.Output, Note: x.Note, Seq: i,
		}
	}
	return out
}
