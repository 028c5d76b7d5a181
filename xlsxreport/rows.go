package xlsxreport

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// rows are the rows of one streamed worksheet, written as SpreadsheetML
// exactly as excelize's StreamWriter.SetRow writes them (inline strings,
// one style per cell), but without its per-cell allocations, and deflated
// on a second goroutine, as they come, into a temporary file. assemble
// splices them into the worksheet excelize lays out (columns, panes,
// merged cells, page setup), so memory stays flat however long the sheet.
type rows struct {
	sheet string
	n     int // rows written; the next row is n+1

	file   *os.File
	buf    []byte      // the chunk being filled
	chunks chan []byte // filled chunks, to the deflater
	free   chan []byte // emptied chunks, back
	done   chan error
	failed atomic.Bool

	// Set by the deflater once chunks is closed (read after <-done).
	crc  uint32 // CRC-32 of the uncompressed rows
	size int64  // uncompressed bytes
}

const chunkSize = 256 << 10

// deflateLevel is the compression of the streamed sheets. On this XML,
// level 3 deflates about three times as fast as the default (6) for a file
// 8% larger (1,000,000 updates: 38 MB, under the Bot API's 50 MB for a
// document); level 1 is no faster and makes 48 MB.
var deflateLevel = 3

// value is one cell of a row: a string, or a number when num.
type value struct {
	style int
	num   bool
	n     int
	s     string
}

func str(style int, s string) value { return value{style: style, s: s} }
func num(style int, n int) value    { return value{style: style, num: true, n: n} }

func newRows(sheet string) (*rows, error) {
	f, err := os.CreateTemp("", "agencybot-xlsx-*")
	if err != nil {
		return nil, err
	}
	r := &rows{sheet: sheet, file: f, buf: make([]byte, 0, chunkSize+4096),
		chunks: make(chan []byte, 2), free: make(chan []byte, 3), done: make(chan error, 1)}
	for range 2 {
		r.free <- make([]byte, 0, chunkSize+4096)
	}
	go r.deflate(r.chunks, r.free, r.done)
	return r, nil
}

// deflate compresses the chunks into the file, ending with a sync flush
// (not a final block), so that the worksheet's head and tail can be
// deflated apart and the three concatenated.
func (r *rows) deflate(chunks <-chan []byte, free chan<- []byte, done chan<- error) {
	bw := bufio.NewWriterSize(r.file, 64<<10)
	fw, err := flate.NewWriter(bw, deflateLevel)
	for b := range chunks {
		if err == nil {
			r.crc = crc32.Update(r.crc, crc32.IEEETable, b)
			r.size += int64(len(b))
			if _, err = fw.Write(b); err != nil {
				r.failed.Store(true)
			}
		}
		free <- b[:0]
	}
	if err == nil {
		err = fw.Flush()
	}
	if err == nil {
		err = bw.Flush()
	}
	done <- err
}

// finish hands the last chunk to the deflater and waits for it.
func (r *rows) finish() error {
	if r.chunks == nil {
		return nil
	}
	if len(r.buf) > 0 {
		r.chunks <- r.buf
	}
	close(r.chunks)
	r.chunks, r.buf = nil, nil
	if err := <-r.done; err != nil {
		return fmt.Errorf("sheet %s: %w", r.sheet, err)
	}
	return nil
}

// close removes the temporary file.
func (r *rows) close() {
	if r.chunks != nil {
		close(r.chunks)
		<-r.done
		r.chunks = nil
	}
	r.file.Close()
	os.Remove(r.file.Name())
}

var errRowLimit = errors.New("more rows than a worksheet holds")

// row writes the next row; height is in points, 0 for the default.
func (r *rows) row(height float64, cells ...value) error {
	if r.n >= excelize.TotalRows {
		return fmt.Errorf("sheet %s: %w (%d)", r.sheet, errRowLimit, excelize.TotalRows)
	}
	r.n++
	b := append(r.buf, `<row r="`...)
	b = strconv.AppendInt(b, int64(r.n), 10)
	b = append(b, '"')
	if height > 0 {
		b = append(b, ` ht="`...)
		b = strconv.AppendFloat(b, min(height, excelize.MaxRowHeight), 'f', -1, 64)
		b = append(b, `" customHeight="1"`...)
	}
	b = append(b, '>')
	for i, c := range cells {
		b = append(b, `<c r="`...)
		b = append(b, columns[i]...)
		b = strconv.AppendInt(b, int64(r.n), 10)
		b = append(b, '"')
		if c.style != 0 {
			b = append(b, ` s="`...)
			b = strconv.AppendInt(b, int64(c.style), 10)
			b = append(b, '"')
		}
		if c.num {
			b = append(b, `><v>`...)
			b = strconv.AppendInt(b, int64(c.n), 10)
			b = append(b, `</v></c>`...)
			continue
		}
		b = appendInlineStr(b, c.s)
	}
	b = append(b, `</row>`...)
	r.buf = b
	if len(b) >= chunkSize {
		if r.failed.Load() {
			return fmt.Errorf("sheet %s: writing the temporary file failed", r.sheet)
		}
		r.chunks <- b
		r.buf = <-r.free
	}
	return nil
}

// columns are the column letters of the cells of a row.
var columns = func() []string {
	c := make([]string, 26)
	for i := range c {
		c[i] = string(rune('A' + i))
	}
	return c
}()

// appendInlineStr appends the rest of an inline string cell, after its
// reference and style, as excelize writes it: cut to the 32,767 UTF-16
// units a cell holds, xml:space="preserve" if it starts or ends with white
// space, XML-escaped (newlines kept, characters XML cannot hold replaced
// by U+FFFD) and "_xHHHH_" escaped as "_x005F_xHHHH_" so that readers do
// not decode it.
func appendInlineStr(b []byte, s string) []byte {
	if len(s) > excelize.TotalCellChars {
		s = truncateUTF16(s, excelize.TotalCellChars)
	}
	b = append(b, ` t="inlineStr"><is><t`...)
	if s != "" && (isSpace(s[0]) || isSpace(s[len(s)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	if plain(s) {
		b = append(b, s...)
	} else {
		var buf bytes.Buffer
		_ = xml.EscapeText(&buf, []byte(s))
		b = append(b, bstrMarshal(strings.ReplaceAll(buf.String(), "&#xA;", "\n"))...)
	}
	return append(b, `</t></is></c>`...)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// plain reports whether s goes into the XML as it is: valid UTF-8 of
// characters XML holds, none to escape, no "_x". Vietnamese letters are two
// and three bytes long; they are checked here rather than decoded.
func plain(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= 0x20 && c < utf8.RuneSelf:
			if c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || (c == '_' && i+1 < len(s) && s[i+1] == 'x') {
				return false
			}
			i++
		case c >= 0xC2 && c <= 0xDF:
			if i+1 >= len(s) || !cont(s[i+1]) {
				return false
			}
			i += 2
		case c >= 0xE1 && c <= 0xEC || c == 0xEE:
			if i+2 >= len(s) || !cont(s[i+1]) || !cont(s[i+2]) {
				return false
			}
			i += 3
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
				return false
			}
			i += n
		default: // a control character
			return false
		}
	}
	return true
}

func cont(c byte) bool { return c&0xC0 == 0x80 }

// truncateUTF16 cuts s to at most n UTF-16 code units.
func truncateUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		if units += utf16.RuneLen(r); units > n {
			return s[:i]
		}
	}
	return s
}

var (
	bstrExp       = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
	bstrEscapeExp = regexp.MustCompile(`x[a-fA-F\d]{4}_`)
)

// bstrMarshal escapes the "_xHHHH_" sequences of s that a reader would
// decode as a character, as excelize does (lib.go, bstrMarshal).
func bstrMarshal(s string) string {
	matches, l, cursor := bstrExp.FindAllStringSubmatchIndex(s, -1), len(s), 0
	var out strings.Builder
	for _, m := range matches {
		out.WriteString(s[cursor:m[0]])
		sub := s[m[0]:m[1]]
		if sub == "_x005F_" {
			cursor = m[1]
			if m[1]+6 <= l && bstrEscapeExp.MatchString(s[m[1]:m[1]+6]) {
				if _, err := strconv.Unquote(`"\u` + s[m[1]+1:m[1]+5] + `"`); err == nil {
					out.WriteString(sub + "x005F" + sub)
					continue
				}
			}
			out.WriteString(sub + "x005F_")
			continue
		}
		cursor = m[1]
		if _, err := strconv.Unquote(`"\u` + s[m[0]+2:m[1]-1] + `"`); err == nil {
			out.WriteString("_x005F" + sub)
			continue
		}
		out.WriteString(sub)
	}
	if cursor < l {
		out.WriteString(s[cursor:])
	}
	return out.String()
}

// rowHeight estimates the height (points) a row of wrapped cells needs, so
// that it prints whole: spreadsheet programs do not fit the height of
// streamed rows themselves. A column of width w holds about 1.2·w
// characters of 11 pt Times New Roman a line (measured in LibreOffice);
// lineH is the height of one line.
func rowHeight(cells []value, widths []float64, lineH float64) float64 {
	lines := 1
	for i, c := range cells {
		if c.num || i >= len(widths) {
			continue
		}
		per := max(1, int(widths[i]*1.2)-1)
		n := 0
		for t := c.s; ; {
			j := strings.IndexByte(t, '\n')
			if j < 0 {
				n += (utf8.RuneCountInString(t) + per - 1) / per
				break
			}
			n += (utf8.RuneCountInString(t[:j]) + per - 1) / per
			t = t[j+1:]
		}
		lines = max(lines, n)
	}
	return float64(lines)*lineH + 3
}
