// Package planimport reads a plan's appendix table from a file as offices
// make it (.xlsx, or .csv as Excel saves it) into tasks ready to store, with
// a preview of what it understood and what it did not. It stores nothing.
package planimport

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxSize is the largest file read (Telegram bots may download 20 MB).
const MaxSize = 20 << 20

// grid is one sheet's cells as text, rows as the spreadsheet numbers them
// (grid.rows[i] is row i+1); formulas lists the cells holding a formula
// whose value the file does not keep (a CSV keeps none).
type grid struct {
	sheet    string
	rows     [][]string
	formulas [][2]int // row (1-based), column (0-based)
}

var (
	zipMagic = []byte("PK\x03\x04")
	cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// readGrids reads a file's sheets: every sheet of a workbook, or the one
// table of a CSV.
func readGrids(name string, data []byte) ([]grid, error) {
	if len(data) > MaxSize {
		return nil, fileErr(ErrSize)
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(data, cfbMagic):
		// An OLE container: an encrypted .xlsx keeps its package in an
		// "EncryptionInfo" stream; anything else is an old .xls.
		if bytes.Contains(data, utf16le("EncryptionInfo")) {
			return nil, fileErr(ErrPassword)
		}
		return nil, fileErr(ErrType)
	case bytes.HasPrefix(data, zipMagic):
		return readXLSX(data)
	case ext == ".csv" || ext == ".txt" || ext == ".tsv" || ext == "":
		g, err := readCSV(data)
		if err != nil {
			return nil, err
		}
		return []grid{g}, nil
	}
	return nil, fileErr(ErrType)
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, r)
	}
	return b
}

// readXLSX reads every sheet of a workbook. A formula cell reads as the
// value Excel and LibreOffice keep beside the formula (STT "=A12+1" is its
// number): reading it evaluates nothing. Only formulas without a kept value
// are listed.
func readXLSX(data []byte) ([]grid, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 10 * MaxSize, UnzipXMLSizeLimit: 5 * MaxSize})
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookPassword) {
			return nil, fileErr(ErrPassword)
		}
		return nil, fileErr(ErrType) // a .docx, a broken or foreign zip
	}
	defer f.Close()
	var out []grid
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: false})
		if err != nil {
			return nil, fileErr(ErrType)
		}
		g := grid{sheet: sh, rows: rows}
		for r, row := range rows {
			for c := range max(len(row), 12) {
				axis, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fm, _ := f.GetCellFormula(sh, axis); fm != "" && strings.TrimSpace(cell(row, c)) == "" {
					g.formulas = append(g.formulas, [2]int{r + 1, c})
				}
			}
		}
		out = append(out, g)
	}
	return out, nil
}

// readCSV reads a CSV as Excel saves it: UTF-8 with or without a BOM,
// UTF-16 "Unicode text" separated by tabs, or ANSI (Windows-1258 in a
// Vietnamese locale, Windows-1252 in a Western one); ',' or ';' separated;
// quoted cells may hold line breaks. Rows are records, as a spreadsheet
// shows them.
func readCSV(data []byte) (grid, error) {
	text, err := decodeText(data)
	if err != nil {
		return grid{}, err
	}
	rows := splitCSV(text)
	g := grid{rows: rows}
	for r, row := range rows {
		for c, v := range row {
			if isFormula(v) {
				g.formulas = append(g.formulas, [2]int{r + 1, c})
			}
		}
	}
	return g, nil
}

// splitCSV chooses the separator and splits text into rows. The separator
// is the one the table's header row is written with; counting cells would
// let the commas of long task texts outvote the semicolons between cells.
// Without a header, it is the one that gives the rows one shape (the most
// rows of one width, two cells or more).
func splitCSV(text string) [][]string {
	type choice struct {
		rows          [][]string
		header, shape int
	}
	var best *choice
	for _, sep := range []rune{';', ',', '\t'} {
		r := csv.NewReader(strings.NewReader(text))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = sep, -1, true
		var rows [][]string
		ok := true
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				ok = false
				break
			}
			rows = append(rows, rec)
		}
		if !ok {
			continue
		}
		c := &choice{rows: rows}
		if h, found := findHeader(rows); found {
			for _, col := range h.col {
				if col >= 0 {
					c.header++
				}
			}
			c.rows = rejoinBroken(rows, h)
		}
		widths := map[int]int{}
		for _, rec := range rows {
			if len(rec) >= 2 {
				widths[len(rec)]++
				c.shape = max(c.shape, widths[len(rec)])
			}
		}
		if best == nil || c.header > best.header || (c.header == best.header && c.shape > best.shape) {
			best = c
		}
	}
	if best == nil {
		return nil
	}
	return best.rows
}

// rejoinBroken mends the rows under the header that an unquoted line break
// cut in two (a hand-made file; Excel quotes such cells): a row shorter than
// the header, followed by rows shorter than the header that together with it
// make no more cells than the header, is one row whose cell at the cut goes
// on on the next line. A full-width row is never joined, so a short row of a
// ragged file stays as it is.
func rejoinBroken(rows [][]string, h header) [][]string {
	width := 0
	for r := h.row - 1; r < h.row-1+h.rows && r < len(rows); r++ {
		width = max(width, len(rows[r]))
	}
	out := append([][]string(nil), rows[:min(len(rows), h.row-1+h.rows)]...)
	for i := len(out); i < len(rows); i++ {
		cur := append([]string(nil), rows[i]...)
		for len(cur) < width && i+1 < len(rows) && len(rows[i+1]) < width && len(cur)+len(rows[i+1])-1 <= width && !blank(rows[i+1]) {
			next := rows[i+1]
			cur[len(cur)-1] += "\n" + next[0]
			cur = append(cur, next[1:]...)
			i++
		}
		out = append(out, cur)
	}
	return out
}

// decodeText turns a text file into UTF-8. A byte-order mark says the
// encoding (unicode.BOMOverride reads and drops it: UTF-8, UTF-16LE or
// UTF-16BE); without one, UTF-16 is told by every other byte being zero.
// Decoded UTF-16 that was not well formed (an odd length, a lone
// surrogate) comes out with U+FFFD and is refused, as is text that carries
// U+FFFD already (damaged by an earlier conversion). Text that is not valid
// UTF-8 is ANSI, as Excel's plain "CSV (Comma delimited)" saves it (see
// decodeANSI). Text with zero bytes is no text file.
func decodeText(data []byte) (string, error) {
	var fallback transform.Transformer = transform.Nop
	switch {
	case len(data) >= 4 && data[1] == 0 && data[3] == 0 && data[0] != 0:
		fallback = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
	case len(data) >= 4 && data[0] == 0 && data[2] == 0 && data[1] != 0:
		fallback = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
	}
	b, _, err := transform.Bytes(unicode.BOMOverride(fallback), data)
	switch {
	case err != nil, bytes.IndexByte(b, 0) >= 0:
		return "", fileErr(ErrEncoding)
	case !utf8.Valid(b):
		return decodeANSI(b)
	case bytes.ContainsRune(b, utf8.RuneError):
		return "", fileErr(ErrEncoding)
	}
	return string(b), nil
}

// decodeANSI reads Windows-1258 (a Vietnamese-locale Windows) or
// Windows-1252 (a Western one). The two share most bytes; 1258 puts
// combining tone marks where 1252 has Ì Ò Þ ì ò þ, and writes "ộ" as "ô"
// and a dot below. A tone mark follows a vowel; one after anything else
// means the file is 1252. The result is NFC, the form the rest of the bot
// compares.
func decodeANSI(data []byte) (string, error) {
	cm := charmap.Windows1258
	for i, c := range data {
		if isTone1258(c) && (i == 0 || !isVowel1258(data[i-1])) {
			cm = charmap.Windows1252
			break
		}
	}
	b, err := cm.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(b, utf8.RuneError) {
		return "", fileErr(ErrEncoding)
	}
	return norm.NFC.String(string(b)), nil
}

// isTone1258 tells the combining tone marks of Windows-1258 (grave, hook
// above, tilde, acute, dot below).
func isTone1258(c byte) bool {
	return c == 0xCC || c == 0xD2 || c == 0xDE || c == 0xEC || c == 0xF2
}

// isVowel1258 tells the bytes of Windows-1258 a tone mark may follow: the
// vowels, plain or with a circumflex, breve or horn, and the precomposed
// vowels a second mark cannot follow but a mistaken file may have.
func isVowel1258(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'A', 'E', 'I', 'O', 'U', 'Y',
		0xC2, 0xE2, 0xCA, 0xEA, 0xD4, 0xF4, 0xC3, 0xE3, 0xD5, 0xF5, 0xDD, 0xFD:
		return true
	}
	return false
}

// isFormula tells whether a CSV cell is a spreadsheet formula ("=SUM(A1:A3)",
// "=B2"): such a cell is refused, never evaluated.
func isFormula(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) < 2 || v[0] != '=' {
		return false
	}
	c := v[1]
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '(' || c == '$'
}
