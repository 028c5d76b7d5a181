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
)

// MaxSize is the largest file read (Telegram bots may download 20 MB).
const MaxSize = 20 << 20

// grid is one sheet's cells as text, rows as the spreadsheet numbers them
// (grid.rows[i] is row i+1); formulas lists the cells holding a formula.
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

// readXLSX reads every sheet of a workbook with its formulas.
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
				if fm, _ := f.GetCellFormula(sh, axis); fm != "" {
					g.formulas = append(g.formulas, [2]int{r + 1, c})
				}
			}
		}
		out = append(out, g)
	}
	return out, nil
}

// readCSV reads a CSV as Excel saves it: UTF-8 with or without a BOM, ',' or
// ';' separated, or UTF-16 "Unicode text" separated by tabs; quoted cells may
// hold line breaks. Rows are records, as a spreadsheet shows them.
func readCSV(data []byte) (grid, error) {
	text, err := decodeText(data)
	if err != nil {
		return grid{}, err
	}
	best, bestScore := [][]string(nil), -1
	for _, sep := range []rune{';', ',', '\t'} {
		r := csv.NewReader(strings.NewReader(text))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = sep, -1, true
		var rows [][]string
		score := 0
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				score = -1
				break
			}
			if len(rec) >= 3 {
				score += len(rec)
			}
			rows = append(rows, rec)
		}
		if score > bestScore {
			best, bestScore = rows, score
		}
	}
	g := grid{rows: best}
	for r, row := range best {
		for c, v := range row {
			if isFormula(v) {
				g.formulas = append(g.formulas, [2]int{r + 1, c})
			}
		}
	}
	return g, nil
}

// decodeText turns a text file into UTF-8: a UTF-8 BOM goes, UTF-16 (with a
// BOM, or without one when every other byte is zero) is decoded; anything
// else must be valid UTF-8.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data[2:], binary.LittleEndian)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data[2:], binary.BigEndian)
	case len(data) >= 4 && data[1] == 0 && data[3] == 0 && data[0] != 0:
		return decodeUTF16(data, binary.LittleEndian)
	case len(data) >= 4 && data[0] == 0 && data[2] == 0 && data[1] != 0:
		return decodeUTF16(data, binary.BigEndian)
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return "", fileErr(ErrEncoding)
	}
	return string(data), nil
}

func decodeUTF16(b []byte, order binary.ByteOrder) (string, error) {
	if len(b)%2 != 0 {
		return "", fileErr(ErrEncoding)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = order.Uint16(b[2*i:])
	}
	s := string(utf16.Decode(u))
	if strings.ContainsRune(s, utf8.RuneError) {
		return "", fileErr(ErrEncoding)
	}
	return s, nil
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
