package tgserver

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ParseHTML parses text the way Telegram parses a message sent with
// parse_mode=HTML. It returns the plain text and the entities (offsets and
// lengths in UTF-16 code units, like Telegram), or an error whose message is
// the part after "Bad Request: can't parse entities: " in Telegram's reply.
//
// The parser follows Telegram's (tdlib's) rules: only the tags b, strong, i,
// em, u, ins, s, strike, del, a, code, pre, span class="tg-spoiler",
// tg-spoiler, tg-emoji and blockquote are allowed; tags must be properly
// nested and closed; a bare '<' is an error; the named entities &lt; &gt;
// &amp; &quot; and all numeric entities are decoded, and any other '&' is kept
// literally.
func ParseHTML(text string) (plain string, entities []MessageEntity, err error) {
	type open struct {
		tag       string
		arg       string
		start     int // UTF-16 offset in plain
		bytePos   int
		hasArg    bool
		entityIdx int
	}
	var (
		out    strings.Builder
		u16    int
		stack  []open
		result []MessageEntity
	)
	appendRune := func(r rune) {
		out.WriteRune(r)
		u16 += utf16.RuneLen(r)
	}
	n := len(text)
	at := func(i int) byte {
		if i < n {
			return text[i]
		}
		return 0
	}
	isSpace := func(c byte) bool {
		return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == 0
	}
	i := 0
	for i < n {
		c := text[i]
		if c == '&' {
			if r, l := decodeHTMLEntity(text[i:]); l > 0 {
				appendRune(r)
				i += l
				continue
			}
			appendRune('&')
			i++
			continue
		}
		if c != '<' {
			r, size := utf8.DecodeRuneInString(text[i:])
			appendRune(r)
			i += size
			continue
		}
		begin := i
		i++
		if at(i) != '/' {
			// Start tag.
			for i < n && !isSpace(text[i]) && text[i] != '>' {
				i++
			}
			if i >= n {
				return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
			}
			tag := strings.ToLower(text[begin+1 : i])
			switch tag {
			case "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
				"tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote":
			default:
				return "", nil, fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", tag, begin)
			}
			o := open{tag: tag, start: u16, bytePos: begin, entityIdx: -1}
			for at(i) != '>' {
				for i < n && isSpace(text[i]) {
					i++
				}
				if i >= n {
					return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
				}
				if text[i] == '>' {
					break
				}
				attrBegin := i
				for i < n && !isSpace(text[i]) && text[i] != '=' && text[i] != '>' {
					i++
				}
				attrName := strings.ToLower(text[attrBegin:i])
				if attrName == "" {
					return "", nil, fmt.Errorf("Empty attribute name in the tag \"%s\" at byte offset %d", tag, begin)
				}
				for i < n && isSpace(text[i]) {
					i++
				}
				if at(i) != '=' {
					if tag == "blockquote" && attrName == "expandable" {
						o.arg, o.hasArg = "expandable", true
						continue
					}
					if i >= n {
						return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
					}
					return "", nil, fmt.Errorf("Expected equal sign in declaration of an attribute of the tag \"%s\" at byte offset %d", tag, begin)
				}
				i++
				for i < n && isSpace(text[i]) {
					i++
				}
				if i >= n {
					return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
				}
				var value string
				if text[i] != '\'' && text[i] != '"' {
					tokBegin := i
					for i < n && (isAlnum(text[i]) || text[i] == '.' || text[i] == '-') {
						i++
					}
					value = strings.ToLower(text[tokBegin:i])
					if !isSpace(at(i)) && at(i) != '>' {
						return "", nil, fmt.Errorf("Unexpected end of name token at byte offset %d", tokBegin)
					}
				} else {
					quote := text[i]
					i++
					var vb strings.Builder
					for i < n && text[i] != quote {
						if text[i] == '&' {
							if r, l := decodeHTMLEntity(text[i:]); l > 0 {
								vb.WriteRune(r)
								i += l
								continue
							}
						}
						vb.WriteByte(text[i])
						i++
					}
					if i >= n {
						return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
					}
					i++ // closing quote
					value = vb.String()
				}
				switch {
				case tag == "a" && attrName == "href":
					o.arg, o.hasArg = value, true
				case tag == "code" && attrName == "class" && strings.HasPrefix(value, "language-"):
					o.arg, o.hasArg = strings.TrimPrefix(value, "language-"), true
				case tag == "span" && attrName == "class" && strings.HasPrefix(value, "tg-"):
					o.arg, o.hasArg = strings.TrimPrefix(value, "tg-"), true
				case tag == "tg-emoji" && attrName == "emoji-id":
					o.arg, o.hasArg = value, true
				}
			}
			if tag == "span" && o.arg != "spoiler" {
				return "", nil, fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
			}
			if tag == "tg-emoji" && o.arg == "" {
				return "", nil, fmt.Errorf("Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset %d", begin)
			}
			stack = append(stack, o)
			i++ // '>'
			continue
		}
		// End tag.
		if len(stack) == 0 {
			return "", nil, fmt.Errorf("Unexpected end tag at byte offset %d", begin)
		}
		i++ // '/'
		for i < n && !isSpace(text[i]) && text[i] != '>' {
			i++
		}
		endName := strings.ToLower(text[begin+2 : i])
		for i < n && isSpace(text[i]) {
			i++
		}
		if at(i) != '>' {
			return "", nil, fmt.Errorf("Unclosed end tag at byte offset %d", begin)
		}
		i++
		o := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if endName != "" && endName != o.tag {
			return "", nil, fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, o.tag, endName)
		}
		length := u16 - o.start
		if length <= 0 {
			continue
		}
		e := MessageEntity{Offset: o.start, Length: length}
		switch o.tag {
		case "b", "strong":
			e.Type = "bold"
		case "i", "em":
			e.Type = "italic"
		case "u", "ins":
			e.Type = "underline"
		case "s", "strike", "del":
			e.Type = "strikethrough"
		case "tg-spoiler", "span":
			e.Type = "spoiler"
		case "tg-emoji":
			e.Type = "custom_emoji"
			e.CustomEmojiID = o.arg
		case "blockquote":
			e.Type = "blockquote"
			if o.arg == "expandable" {
				e.Type = "expandable_blockquote"
			}
		case "code":
			e.Type = "code"
			e.Language = o.arg
		case "pre":
			e.Type = "pre"
			// <pre><code class="language-x">…</code></pre> becomes one pre
			// entity with a language.
			for k := len(result) - 1; k >= 0; k-- {
				r := result[k]
				if r.Type == "code" && r.Offset == e.Offset && r.Length == e.Length {
					e.Language = r.Language
					result = append(result[:k], result[k+1:]...)
					break
				}
			}
		case "a":
			url := o.arg
			if !o.hasArg {
				url = out.String()[len(out.String())-utf16Bytes(out.String(), length):]
			}
			if url == "" {
				continue
			}
			e.Type = "text_link"
			e.URL = url
		}
		result = append(result, e)
	}
	if len(stack) > 0 {
		return "", nil, fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].tag)
	}
	sort.SliceStable(result, func(a, b int) bool {
		if result[a].Offset != result[b].Offset {
			return result[a].Offset < result[b].Offset
		}
		return result[a].Length > result[b].Length
	})
	return out.String(), result, nil
}

// utf16Bytes returns how many bytes at the end of s make up the last n UTF-16
// code units.
func utf16Bytes(s string, n int) int {
	b := 0
	for n > 0 && b < len(s) {
		r, size := utf8.DecodeLastRuneInString(s[:len(s)-b])
		b += size
		n -= utf16.RuneLen(r)
	}
	return b
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// decodeHTMLEntity decodes an HTML entity at the start of s ("&lt;",
// "&#123;", "&#x1F600;"). It returns the rune and the number of bytes
// consumed, or 0 bytes when s does not start with an entity Telegram knows.
func decodeHTMLEntity(s string) (rune, int) {
	end := strings.IndexByte(s, ';')
	if len(s) < 3 || s[0] != '&' || end < 2 || end > 12 {
		return 0, 0
	}
	body := s[1:end]
	if body[0] == '#' {
		var v uint64
		var err error
		if len(body) > 1 && (body[1] == 'x' || body[1] == 'X') {
			v, err = strconv.ParseUint(body[2:], 16, 32)
		} else {
			v, err = strconv.ParseUint(body[1:], 10, 32)
		}
		if err != nil || v == 0 || v > utf8.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
			return 0, 0
		}
		return rune(v), end + 1
	}
	switch body {
	case "lt":
		return '<', end + 1
	case "gt":
		return '>', end + 1
	case "amp":
		return '&', end + 1
	case "quot":
		return '"', end + 1
	}
	return 0, 0
}

// commandEntities returns bot_command entities for every "/command" (with an
// optional "@botname") that starts the text or follows whitespace, as
// Telegram does for messages sent by users.
func commandEntities(text string) []MessageEntity {
	var ents []MessageEntity
	u16 := 0
	prevSpace := true
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '/' && prevSpace {
			j := i + 1
			for j < len(text) && (isAlnum(text[j]) || text[j] == '_') {
				j++
			}
			if j-i-1 >= 1 && j-i-1 <= 64 {
				if j < len(text) && text[j] == '@' {
					k := j + 1
					for k < len(text) && (isAlnum(text[k]) || text[k] == '_') {
						k++
					}
					if k-j-1 >= 3 {
						j = k
					}
				}
				if j == len(text) || !isCommandContinuation(text[j]) {
					ents = append(ents, MessageEntity{Type: "bot_command", Offset: u16, Length: j - i})
				}
				u16 += j - i
				i = j
				prevSpace = false
				continue
			}
		}
		prevSpace = r == ' ' || r == '\n' || r == '\t' || r == '\r'
		u16 += utf16.RuneLen(r)
		i += size
	}
	return ents
}

func isCommandContinuation(c byte) bool {
	return c == '/' || c == '@'
}
