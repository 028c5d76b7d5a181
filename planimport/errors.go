package planimport

import (
	"strings"

	"agencybot/i18n"
)

// Codes of the errors a file can have. Each has the texts
// "import.err.<code>" in i18n.
const (
	ErrType      = "type"            // not an .xlsx or .csv file
	ErrSize      = "size"            // over MaxSize
	ErrPassword  = "password"        // a password-protected workbook
	ErrEncoding  = "encoding"        // text that is neither UTF-8 nor UTF-16
	ErrHeader    = "header"          // no row reads as the table's header
	ErrColumns   = "columns"         // the header lacks required columns (Detail lists them)
	ErrFormula   = "formula"         // a cell holds a formula
	ErrDuplicate = "duplicate"       // a task number used twice in a section (Detail: the number, Other: its first row)
	ErrSheets    = "sheets"          // several sheets hold a table (Sheets lists them): ask which
	ErrNoSheet   = "no_sheet"        // the sheet asked for does not exist
	ErrNumber    = "number"          // a number cell that is neither a task number nor a section numeral
	ErrNoTitle   = "no_title"        // a numbered task without its text
	ErrNoTasks   = "no_tasks"        // a header but no task under it
	ErrOrphan    = "orphan"          // text under the header before the first task number
	ErrCommunes  = "communes_header" // a list of communes without a name column
	ErrKind      = "kind"            // a commune's kind that is not xã, phường or đặc khu (Detail)
)

// Error is a problem with a file, naming where it is. Nothing is stored when
// a file has one.
type Error struct {
	Code   string
	Sheet  string   // the sheet, for workbooks with several
	Row    int      // 1-based row as the spreadsheet shows it; 0 when none
	Col    int      // 0-based column; -1 when none
	Header string   // the column's header text, when known
	Detail string   // what the message needs: missing columns, the number, …
	Other  int      // a second row the message names (the first use of a number)
	Sheets []string // the sheets to choose from (ErrSheets)
}

// ColName is the spreadsheet name of a 0-based column: 0 → "A", 27 → "AB".
func ColName(c int) string {
	s := ""
	for c >= 0 {
		s = string(rune('A'+c%26)) + s
		c = c/26 - 1
	}
	return s
}

// Message says the problem in l: what is wrong, at which row and column, and
// what to do. It is plain text; escape it for HTML.
func (e *Error) Message(l i18n.Lang) string {
	var where []string
	if e.Sheet != "" {
		where = append(where, i18n.T(l, "import.where_sheet", e.Sheet))
	}
	if e.Row > 0 {
		where = append(where, i18n.T(l, "import.where_row", e.Row))
	}
	if e.Col >= 0 {
		c := ColName(e.Col)
		if e.Header != "" {
			c += " (" + e.Header + ")"
		}
		where = append(where, i18n.T(l, "import.where_col", c))
	}
	var msg string
	switch e.Code {
	case ErrSize:
		msg = i18n.T(l, "import.err.size", MaxSize>>20)
	case ErrDuplicate, ErrTargetDuplicate:
		msg = i18n.T(l, "import.err."+e.Code, e.Detail, e.Other)
	case ErrSheets:
		msg = i18n.T(l, "import.err.sheets", strings.Join(e.Sheets, ", "))
	case ErrColumns, ErrNumber, ErrNoSheet, ErrKind, ErrTargetValue:
		msg = i18n.T(l, "import.err."+e.Code, e.Detail)
	default:
		msg = i18n.T(l, "import.err."+e.Code)
	}
	if len(where) == 0 {
		return msg
	}
	return strings.Join(where, ", ") + ": " + msg
}

// Error gives the English message.
func (e *Error) Error() string { return "import: " + e.Message(i18n.EN) }

// ErrorOf is an error of the whole file (no row or column) with the code.
func ErrorOf(code string) *Error { return &Error{Code: code, Col: -1} }

func fileErr(code string) *Error { return ErrorOf(code) }

func cellErr(code string, row, col int, header, detail string) *Error {
	return &Error{Code: code, Row: row, Col: col, Header: header, Detail: detail}
}
