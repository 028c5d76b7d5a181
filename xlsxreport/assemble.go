package xlsxreport

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"
)

// assemble writes x to w with the streamed rows spliced into their sheets.
// excelize lays out the workbook with those sheets' <sheetData> empty
// (small, in memory); every part is copied to w as excelize compressed it,
// except these sheets, whose head and tail are deflated here around the
// rows deflated as they were written. Nothing the size of the history is
// held in memory (excelize's own WriteTo builds the whole file in a buffer).
func assemble(w io.Writer, x *excelize.File, sheets []*rows) error {
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		return err
	}
	paths, err := sheetPaths(zr)
	if err != nil {
		return err
	}
	byPath := make(map[string]*rows, len(sheets))
	for _, r := range sheets {
		p, ok := paths[r.sheet]
		if !ok {
			return fmt.Errorf("sheet %s is not in the workbook", r.sheet)
		}
		byPath[p] = r
	}
	zw := zip.NewWriter(w)
	for _, f := range zr.File {
		r := byPath[f.Name]
		if r == nil {
			if err := zw.Copy(f); err != nil {
				return err
			}
			continue
		}
		delete(byPath, f.Name)
		if err := splice(zw, f, r); err != nil {
			return fmt.Errorf("sheet %s: %w", r.sheet, err)
		}
	}
	if len(byPath) > 0 {
		return fmt.Errorf("%d streamed sheets are not in the package", len(byPath))
	}
	return zw.Close()
}

// splice writes sheet f with r's rows between <sheetData> and </sheetData>.
// The three pieces are deflated apart, the first two ending on a sync
// flush, so that their concatenation is one deflate stream; the CRC of the
// whole is combined from theirs.
func splice(zw *zip.Writer, f *zip.File, r *rows) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	sheet, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return err
	}
	const empty = "<sheetData></sheetData>"
	i := bytes.Index(sheet, []byte(empty))
	if i < 0 || bytes.Count(sheet, []byte("<sheetData")) != 1 {
		return fmt.Errorf("no empty <sheetData> to fill")
	}
	head, tail := sheet[:i+len("<sheetData>")], sheet[i+len("<sheetData>"):]
	zhead, err := deflateBytes(head, false)
	if err != nil {
		return err
	}
	ztail, err := deflateBytes(tail, true)
	if err != nil {
		return err
	}
	st, err := r.file.Stat()
	if err != nil {
		return err
	}
	crc := crc32Combine(crc32.ChecksumIEEE(head), r.crc, r.size)
	crc = crc32.Update(crc, crc32.IEEETable, tail)
	out, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64:   uint64(len(zhead)) + uint64(st.Size()) + uint64(len(ztail)),
		UncompressedSize64: uint64(len(head)) + uint64(r.size) + uint64(len(tail))})
	if err != nil {
		return err
	}
	if _, err := out.Write(zhead); err != nil {
		return err
	}
	if _, err := r.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if n, err := io.Copy(out, r.file); err != nil {
		return err
	} else if n != st.Size() {
		return fmt.Errorf("copied %d of %d bytes", n, st.Size())
	}
	_, err = out.Write(ztail)
	return err
}

// deflateBytes deflates b, ending on a final block if last, else on a sync
// flush.
func deflateBytes(b []byte, last bool) ([]byte, error) {
	var out bytes.Buffer
	fw, err := flate.NewWriter(&out, deflateLevel)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(b); err != nil {
		return nil, err
	}
	if last {
		err = fw.Close()
	} else {
		err = fw.Flush()
	}
	return out.Bytes(), err
}

// sheetPaths maps the sheets' names to their parts, from the workbook and
// its relationships.
func sheetPaths(zr *zip.Reader) (map[string]string, error) {
	read := func(name string, v any) error {
		f, err := zr.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		return xml.NewDecoder(f).Decode(v)
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := read("xl/workbook.xml", &wb); err != nil {
		return nil, err
	}
	if err := read("xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, err
	}
	target := map[string]string{}
	for _, r := range rels.Rels {
		if strings.HasPrefix(r.Target, "/") {
			target[r.ID] = strings.TrimPrefix(r.Target, "/")
		} else {
			target[r.ID] = path.Join("xl", r.Target)
		}
	}
	m := map[string]string{}
	for _, s := range wb.Sheets {
		if t, ok := target[s.ID]; ok {
			m[s.Name] = t
		}
	}
	return m, nil
}

// crc32Combine is the CRC-32 (IEEE) of a+b from crc1 of a, crc2 of b and
// the length of b (zlib's crc32_combine).
func crc32Combine(crc1, crc2 uint32, len2 int64) uint32 {
	if len2 <= 0 {
		return crc1
	}
	var even, odd [32]uint32
	odd[0] = 0xedb88320 // the reversed polynomial: the operator for one zero bit
	row := uint32(1)
	for n := 1; n < 32; n++ {
		odd[n] = row
		row <<= 1
	}
	gf2Square(&even, &odd) // two zero bits
	gf2Square(&odd, &even) // four
	for {
		gf2Square(&even, &odd) // apply len2 zero bytes to crc1, one bit of len2 at a time
		if len2&1 != 0 {
			crc1 = gf2Times(&even, crc1)
		}
		if len2 >>= 1; len2 == 0 {
			break
		}
		gf2Square(&odd, &even)
		if len2&1 != 0 {
			crc1 = gf2Times(&odd, crc1)
		}
		if len2 >>= 1; len2 == 0 {
			break
		}
	}
	return crc1 ^ crc2
}

func gf2Times(mat *[32]uint32, vec uint32) uint32 {
	var sum uint32
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat *[32]uint32) {
	for n := range 32 {
		square[n] = gf2Times(mat, mat[n])
	}
}
