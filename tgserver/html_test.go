package tgserver

import (
	"reflect"
	"testing"
)

func TestParseHTMLEntities(t *testing.T) {
	cases := []struct {
		in    string
		plain string
		ents  []MessageEntity
	}{
		{"plain", "plain", nil},
		{"<b>a</b><i>b</i>", "ab", []MessageEntity{{Type: "bold", Offset: 0, Length: 1}, {Type: "italic", Offset: 1, Length: 1}}},
		// Offsets are UTF-16 code units: 😀 counts 2, "ế" counts 1.
		{"😀 <u>Huế</u>", "😀 Huế", []MessageEntity{{Type: "underline", Offset: 3, Length: 3}}},
		{"<b>x <i>y</i></b>", "x y", []MessageEntity{{Type: "bold", Offset: 0, Length: 3}, {Type: "italic", Offset: 2, Length: 1}}},
		{"<strong>s</strong><em>e</em><ins>i</ins><del>d</del><strike>k</strike><s>s</s>", "seidks", []MessageEntity{
			{Type: "bold", Offset: 0, Length: 1}, {Type: "italic", Offset: 1, Length: 1}, {Type: "underline", Offset: 2, Length: 1},
			{Type: "strikethrough", Offset: 3, Length: 1}, {Type: "strikethrough", Offset: 4, Length: 1}, {Type: "strikethrough", Offset: 5, Length: 1}}},
		{"<tg-spoiler>x</tg-spoiler>", "x", []MessageEntity{{Type: "spoiler", Offset: 0, Length: 1}}},
		{"<code>a&lt;b</code>", "a<b", []MessageEntity{{Type: "code", Offset: 0, Length: 3}}},
		{"<pre>p</pre>", "p", []MessageEntity{{Type: "pre", Offset: 0, Length: 1}}},
		{"<blockquote expandable>q</blockquote>", "q", []MessageEntity{{Type: "expandable_blockquote", Offset: 0, Length: 1}}},
		{"<blockquote>q</blockquote>", "q", []MessageEntity{{Type: "blockquote", Offset: 0, Length: 1}}},
		{"<a href='https://x.vn'>x</a>", "x", []MessageEntity{{Type: "text_link", Offset: 0, Length: 1, URL: "https://x.vn"}}},
		{"<a>https://y.vn</a>", "https://y.vn", []MessageEntity{{Type: "text_link", Offset: 0, Length: 12, URL: "https://y.vn"}}},
		{`<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, "👍", []MessageEntity{{Type: "custom_emoji", Offset: 0, Length: 2, CustomEmojiID: "5368324170671202286"}}},
		{"<B>upper</B>", "upper", []MessageEntity{{Type: "bold", Offset: 0, Length: 5}}},
		{"<b>x</>", "x", []MessageEntity{{Type: "bold", Offset: 0, Length: 1}}},
		{"<b></b>empty", "empty", nil},
		{"&#65;&#x42; &nbsp; & &amp", "AB &nbsp; & &amp", nil},
		{"a > b", "a > b", nil},
	}
	for _, c := range cases {
		plain, ents, err := ParseHTML(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if plain != c.plain || !reflect.DeepEqual(ents, c.ents) {
			t.Errorf("%q: got %q %+v, want %q %+v", c.in, plain, ents, c.plain, c.ents)
		}
	}
}

func TestParseHTMLErrors(t *testing.T) {
	cases := map[string]string{
		"<b>x":                         `Can't find end tag corresponding to start tag "b"`,
		"a < b":                        `Unsupported start tag "" at byte offset 2`,
		"a <b":                         `Unclosed start tag at byte offset 2`,
		"<br>":                         `Unsupported start tag "br" at byte offset 0`,
		"<b>x</i>":                     `Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`,
		"x</b>":                        `Unexpected end tag at byte offset 1`,
		"<span>x</span>":               `Tag "span" must have class "tg-spoiler" at byte offset 0`,
		`<a href="x>y</a>`:             `Unclosed start tag at byte offset 0`,
		"<b x>y</b>":                   `Expected equal sign in declaration of an attribute of the tag "b" at byte offset 0`,
		"<b>x</b":                      `Unclosed end tag at byte offset 4`,
		"Tên: <Nguyễn Văn A>":          `Unsupported start tag "nguyễn" at byte offset 6`,
		"<tg-emoji>x</tg-emoji>":       `Tag "tg-emoji" must have attribute "emoji-id" at byte offset 0`,
		"<a href=a/b>x</a>":            `Unexpected end of name token at byte offset 8`,
		"<i><b>x</i></b>":              `Unmatched end tag at byte offset 7, expected "</b>", found "</i>"`,
		"<code class=\"language-go\">": `Can't find end tag corresponding to start tag "code"`,
	}
	for in, want := range cases {
		_, _, err := ParseHTML(in)
		if err == nil || err.Error() != want {
			t.Errorf("%q: got %v, want %q", in, err, want)
		}
	}
}

func TestCommandEntities(t *testing.T) {
	cases := map[string][]MessageEntity{
		"/start":               {{Type: "bot_command", Offset: 0, Length: 6}},
		"/help@agency_bot now": {{Type: "bot_command", Offset: 0, Length: 16}},
		"xin chào /menu":       {{Type: "bot_command", Offset: 9, Length: 5}},
		"a/b":                  nil,
		"/":                    nil,
		"https://x.vn/a":       nil,
	}
	for in, want := range cases {
		if got := commandEntities(in); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %+v, want %+v", in, got, want)
		}
	}
}
