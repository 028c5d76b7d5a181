package planimport

import (
	"encoding/binary"
	"errors"
	"testing"
	"unicode/utf16"
)

// utf16be is utf16le's big-endian twin (test helper).
func utf16be(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = binary.BigEndian.AppendUint16(b, r)
	}
	return b
}

// Every way Excel and hand-made files write a CSV's text turns into the
// same UTF-8; what is no text is refused as an encoding error.
func TestDecodeTextSniffsTheEncoding(t *testing.T) {
	const want = "STT;Tên nhiệm vụ;Cơ quan chủ trì\n1;Xây dựng đề án 𝔸;Sở Khoa học và Công nghệ\n"
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	for name, data := range map[string][]byte{
		"UTF-8":                  []byte(want),
		"UTF-8 with a BOM":       cat([]byte{0xEF, 0xBB, 0xBF}, []byte(want)),
		"UTF-16LE with a BOM":    cat([]byte{0xFF, 0xFE}, utf16le(want)),
		"UTF-16BE with a BOM":    cat([]byte{0xFE, 0xFF}, utf16be(want)),
		"UTF-16LE without a BOM": utf16le(want),
		"UTF-16BE without a BOM": utf16be(want),
	} {
		got, err := decodeText(data)
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", name, got, err, want)
		}
	}
	// Windows-1258, as Excel's "CSV (Comma delimited)" saves in a
	// Vietnamese locale: "Sở" is S, o with a horn (0xF5), hook above (0xD2).
	if got, err := decodeText([]byte("1;S\xf5\xd2 T\xe0i chi\xecnh")); err != nil || got != "1;Sở Tài chính" {
		t.Errorf("Windows-1258: %q, %v", got, err)
	}
	for name, data := range map[string][]byte{
		"UTF-16LE of an odd length":              cat([]byte{0xFF, 0xFE}, utf16le("Sở"), []byte{'x'}),
		"UTF-16BE of an odd length":              cat([]byte{0xFE, 0xFF}, utf16be("Sở"), []byte{0}),
		"UTF-16LE with a lone surrogate":         cat([]byte{0xFF, 0xFE}, utf16le("Sở"), []byte{0x00, 0xD8}, utf16le("x")),
		"zero bytes in 8-bit text":               []byte("STT;T\x00n\x00\x00;x\n"),
		"UTF-8 damaged by an earlier conversion": []byte("1;S\uFFFD T\uFFFDi ch\uFFFDnh"),
		"a binary file":                          {0x00, 0x00, 0x01, 0x02, 0xFE, 0x00},
	} {
		_, err := decodeText(data)
		var e *Error
		if !errors.As(err, &e) || e.Code != ErrEncoding {
			t.Errorf("%s: err = %v, want %s", name, err, ErrEncoding)
		}
	}
}
