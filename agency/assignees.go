package agency

import (
	"strings"
	"unicode"
)

// Assignees is one table cell ("Cơ quan chủ trì" or "Cơ quan phối hợp")
// understood.
type Assignees struct {
	Text   string   // the cell as written (whitespace collapsed)
	Names  []string // explicit agency names found, as written, in order
	Group  Group    // a collective group the cell names, if any
	Phrase string   // the collective phrase as written, incl. its narrowing words (kept beside the resolved set)
	Rest   []string // parts that are neither a known agency nor a group ("tổ chức, cá nhân liên quan", "các đơn vị ký kết hợp tác", "Các doanh nghiệp viễn thông"), as written
}

// Empty reports whether the cell assigns nobody and says nothing.
func (a Assignees) Empty() bool {
	return len(a.Names) == 0 && a.Group == NoGroup && len(a.Rest) == 0
}

// token is one word or separator of a cell.
type token struct {
	start, end int      // byte offsets in the collapsed cell text
	words      []string // the folded words of the token (see foldWords)
	fold       string   // the folded words joined ("" for a separator or a word of symbols)
	punct      byte     // ',', ';', ':', '(' or ')' for a separator, 0 for a word
	upper      bool     // the word's first letter is upper case
}

// tokenize splits the collapsed cell text into words and the separators
// ',', ';', ':', '(' and ')' (full-width forms included).
func tokenize(s string) []token {
	var ts []token
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := foldWords(s[start:end])
		t := token{start: start, end: end, words: w, fold: strings.Join(w, "")}
		for _, r := range s[start:end] {
			if unicode.IsLetter(r) {
				t.upper = unicode.IsUpper(r) || unicode.IsTitle(r)
				break
			}
		}
		ts = append(ts, t)
		start = -1
	}
	for i, r := range s {
		var p byte
		switch r {
		case ',', '，', '、':
			p = ','
		case ';', '；':
			p = ';'
		case ':', '：':
			p = ':'
		case '(', '（':
			p = '('
		case ')', '）':
			p = ')'
		}
		switch {
		case p != 0:
			flush(i)
			ts = append(ts, token{start: i, end: i + len(string(r)), punct: p})
		case unicode.IsSpace(r):
			flush(i)
		case start < 0:
			start = i
		}
	}
	flush(len(s))
	return ts
}

// collective lists the folded first words that make a part a collective or
// generic phrase rather than the name of one agency ("các Trường đại học").
var collective = map[string]bool{
	"cac": true, "nhung": true, "tat": true, "mot": true,
}

// heads lists, as folded words, how the names of agencies begin. They tell a
// new name from the continuation of a name that contains a comma or "và"
// ("Sở Văn hóa, Thể thao và Du lịch", "Sở Giáo dục và Đào tạo").
var heads = func() [][]string {
	var out [][]string
	for _, h := range []string{
		"so", "van phong", "vp", "vpub", "cong an", "thanh tra", "dai hoc", "dh", "truong",
		"hoc vien", "vien", "doan", "dtn", "hoi", "hiep hoi", "lien minh", "lien doan",
		"lien hiep", "mat tran", "uy ban", "ubnd", "hdnd", "hoi dong", "ban", "tinh uy",
		"dang uy", "xa", "phuong", "dac khu", "bao", "dai phat thanh", "trung tam",
		"kho bac", "bo", "bo chi huy", "ngan hang", "cuc", "chi cuc", "bao hiem",
		"cong ty", "tong cong ty", "buu dien", "toa an", "vien kiem sat", "tinh doan",
	} {
		out = append(out, strings.Fields(h))
	}
	return out
}()

// isHead reports whether the words from ts[i] begin the name of an agency.
func isHead(ts []token, i int) bool {
	if i >= len(ts) || ts[i].punct != 0 {
		return false
	}
	if ts[i].fold == "xa" && i+1 < len(ts) && ts[i+1].fold == "hoi" {
		return false // "Xã hội" as in "Lao động, Thương binh và Xã hội"
	}
	for _, h := range heads {
		if i+len(h) > len(ts) {
			continue
		}
		ok := true
		for j, w := range h {
			if ts[i+j].punct != 0 || ts[i+j].fold != w {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// NameLike reports whether a part of a cell reads like the name of one agency:
// it begins with a capital letter and not with a collective word ("các",
// "những", …). ParseAssignees uses it to tell names from other words when the
// index does not know them.
func NameLike(part string) bool {
	ts := tokenize(strings.Join(strings.Fields(part), " "))
	for len(ts) > 0 && ts[0].punct != 0 {
		ts = ts[1:]
	}
	return len(ts) > 0 && ts[0].upper && !collective[ts[0].fold]
}

// Item classes found while parsing a cell.
const (
	itemName    = iota // an agency the index knows
	itemUnknown        // a name-like part the index does not know (or no index)
	itemRest           // neither a name nor a group
	itemGroup          // a collective phrase
)

// item is one part of a cell, in order.
type item struct {
	class      int
	text       string
	start, end int // byte span in the cell text; start < 0 for a composed name ("Sở Y tế")
	group      Group
	seg        int // index of the ';'-separated segment
}

// parser reads one segment of a cell at a time.
type parser struct {
	text  string
	ix    *Index
	ts    []token // the current segment
	seg   int
	items []item
}

// w returns the folded word at i, or "" for a separator or past the end.
func (p *parser) w(i int) string {
	if i < 0 || i >= len(p.ts) || p.ts[i].punct != 0 {
		return ""
	}
	return p.ts[i].fold
}

// skipCommas returns the first index from i that is not a comma.
func (p *parser) skipCommas(i int) int {
	for i < len(p.ts) && p.ts[i].punct == ',' {
		i++
	}
	return i
}

// skipSeparators skips commas, colons, stray closing parentheses, "và" and
// words made of symbols only.
func (p *parser) skipSeparators(i int) int {
	for i < len(p.ts) && p.ts[i].punct != '(' &&
		(p.ts[i].punct != 0 || p.ts[i].fold == "" || p.ts[i].fold == "va") {
		i++
	}
	return i
}

// span returns the cell text from token i to token j-1.
func (p *parser) span(i, j int) string {
	return p.text[p.ts[i].start:p.ts[j-1].end]
}

// matchGroup recognises a collective phrase starting at token i and returns
// its group and the end of its core (narrowing words not included).
func (p *parser) matchGroup(i int) (Group, int, bool) {
	w := p.w
	// Departments, optionally with localities: "(Các) sở, (ban,) ngành
	// (tỉnh)(, | và) (địa phương)".
	j := i
	if w(j) == "cac" {
		j++
	}
	if w(j) == "so" {
		k := p.skipCommas(j + 1)
		end := -1
		switch w(k) {
		case "ban":
			if k2 := p.skipCommas(k + 1); w(k2) == "nganh" {
				end = k2 + 1
			}
		case "nganh":
			end = k + 1
		}
		if end >= 0 {
			g := Departments
			if w(end) == "tinh" {
				end++
			}
			k = p.skipCommas(end)
			if w(k) == "va" {
				k = p.skipCommas(k + 1)
			}
			if w(k) == "dia" && w(k+1) == "phuong" {
				g, end = DepartmentsLocalities, k+2
			}
			return g, end, true
		}
	}
	// Universities and institutes: "các trường đại học", "các Trường đại
	// học, cao đẳng", "các đại học", "các viện, trường", "các viện",
	// "các cơ sở giáo dục đại học". Without "các" the words begin one name
	// ("Trường Đại học Đồng Tháp").
	if w(i) == "cac" {
		j := i + 1
		end := -1
		switch {
		case w(j) == "truong" || w(j) == "vien":
			end = j + 1
			if w(end) == "dai" && w(end+1) == "hoc" {
				end += 2
			}
			if k := p.skipCommas(end); w(k) == "cao" && w(k+1) == "dang" {
				end = k + 2
			}
			if k := p.skipCommas(end); (w(k) == "truong" || w(k) == "vien") && w(k) != w(j) {
				end = k + 1
			}
		case w(j) == "dai" && w(j+1) == "hoc":
			end = j + 2
		case w(j) == "co" && w(j+1) == "so" && w(j+2) == "giao" && w(j+3) == "duc" && w(j+4) == "dai" && w(j+5) == "hoc":
			end = j + 6
		}
		if end >= 0 {
			return Universities, end, true
		}
	}
	// Localities: "UBND các xã, phường", "UBND cấp xã", "các xã, phường",
	// "các địa phương".
	j = i
	ub := false
	switch {
	case w(j) == "uy" && w(j+1) == "ban" && w(j+2) == "nhan" && w(j+3) == "dan":
		j, ub = j+4, true
	case w(j) == "ubnd":
		j, ub = j+1, true
	}
	cac := false
	if w(j) == "cac" {
		j, cac = j+1, true
	}
	switch {
	case w(j) == "cap" && w(j+1) == "xa" && (ub || cac):
		return Localities, j + 2, true
	case w(j) == "xa":
		if k := p.skipCommas(j + 1); w(k) == "phuong" {
			return Localities, k + 1, true
		}
		if cac {
			return Localities, j + 1, true
		}
	case w(j) == "phuong" && cac:
		if k := p.skipCommas(j + 1); w(k) == "xa" {
			return Localities, k + 1, true
		}
		return Localities, j + 1, true
	case w(j) == "dia" && w(j+1) == "phuong" && cac:
		return Localities, j + 2, true
	}
	return NoGroup, 0, false
}

// matchListHead recognises "Các sở:" (a list of departments by their short
// names follows) at token i and returns the index after the colon.
func (p *parser) matchListHead(i int) (int, bool) {
	j := i
	if p.w(j) == "cac" {
		j++
	}
	if p.w(j) == "so" && j+1 < len(p.ts) && p.ts[j+1].punct == ':' {
		return j + 2, true
	}
	return 0, false
}

// matchKnown returns the end of the longest run of tokens from i that the
// index knows as a name or alias. The run may hold commas ("Sở Văn hóa, Thể
// thao và Du lịch") but no parenthesis, and ends on a word. Its key is built
// from the tokens' folded words, which gives Normalize of the run's text
// without folding it again.
func (p *parser) matchKnown(i int) (int, bool) {
	if p.ix == nil || i >= len(p.ts) || p.ts[i].punct != 0 || p.ts[i].fold == "" {
		return 0, false
	}
	// Abbreviations make a written name shorter than its key; a province
	// qualifier makes it longer by up to three words.
	limit := p.ix.maxWords + 3
	var words []string
	best := 0
	for end := i + 1; end <= len(p.ts); end++ {
		t := p.ts[end-1]
		if t.punct == '(' || t.punct == ')' {
			break
		}
		words = append(words, t.words...)
		if len(words) > limit {
			break
		}
		if t.punct != 0 || t.fold == "" {
			continue
		}
		if _, ok := p.ix.matchNorm(strings.Join(dropProvince(expand(words)), " ")); ok {
			best = end
		}
	}
	return best, best > 0
}

// known reports whether the index knows name.
func (p *parser) known(name string) bool {
	_, ok := p.ix.Match(name)
	return ok
}

// last returns the previous item of the current segment, if any.
func (p *parser) last() *item {
	if n := len(p.items); n > 0 && p.items[n-1].seg == p.seg {
		return &p.items[n-1]
	}
	return nil
}

// extend makes it reach to the end of token j-1.
func (p *parser) extend(it *item, j int) {
	it.end = p.ts[j-1].end
	it.text = p.text[it.start:it.end]
}

// add appends the part of tokens i..j-1 as an item of the given class,
// joining it to the previous item when they are one thing written in pieces.
func (p *parser) add(class int, i, j int, g Group) {
	if prev := p.last(); prev != nil && prev.start >= 0 {
		switch {
		case class == itemGroup && prev.class == itemGroup:
			prev.group = prev.group.union(g)
			p.extend(prev, j)
			return
		case class == itemRest && prev.class == itemRest:
			p.extend(prev, j)
			return
		case class == itemUnknown && prev.class == itemUnknown && !isHead(p.ts, i):
			// "Sở Văn hóa" + ", Thể thao" + " và Du lịch".
			p.extend(prev, j)
			return
		}
	}
	s, e := p.ts[i].start, p.ts[j-1].end
	p.items = append(p.items, item{class: class, text: p.text[s:e], start: s, end: e, group: g, seg: p.seg})
}

// addComposed appends a name composed from a list ("Sở " + "Y tế").
func (p *parser) addComposed(name string) {
	class := itemUnknown
	if p.known(name) {
		class = itemName
	}
	p.items = append(p.items, item{class: class, text: name, start: -1, end: -1, seg: p.seg})
}

// parseList reads the short department names after "Các sở:" from token i
// and returns where the general reading resumes: at the end of the segment,
// or at the first part that is not a department ("và các đơn vị …").
func (p *parser) parseList(i int) int {
	n := len(p.ts)
	for {
		for i < n && (p.ts[i].punct != 0 || p.ts[i].fold == "") {
			if p.ts[i].punct == '(' {
				i = p.paren(i)
				continue
			}
			i++
		}
		if i >= n {
			return i
		}
		first := p.ts[i].fold
		if collective[first] || first == "va" {
			return i
		}
		if _, _, ok := p.matchGroup(i); ok {
			return i
		}
		end := i
		for end < n && p.ts[end].punct == 0 {
			end++
		}
		if p.known("Sở " + p.span(i, end)) {
			p.addComposed("Sở " + p.span(i, end))
			i = end
			continue
		}
		// "Nội vụ và các đơn vị ký kết hợp tác": a known department, then
		// something else.
		for v := i + 1; v < end-1; v++ {
			if p.ts[v].fold == "va" && p.known("Sở "+p.span(i, v)) {
				p.addComposed("Sở " + p.span(i, v))
				return v + 1
			}
		}
		// Unknown to the index: split before "và" when what follows does not
		// continue the name (lower case, a collective word or a new name).
		for v := i + 1; v < end-1; v++ {
			if p.ts[v].fold != "va" {
				continue
			}
			next := p.ts[v+1]
			if !next.upper || collective[next.fold] || isHead(p.ts, v+1) {
				p.addComposed("Sở " + p.span(i, v))
				return v + 1
			}
		}
		p.addComposed("Sở " + p.span(i, end))
		i = end
	}
}

// paren keeps a note in parentheses that opens at token i ("(chủ trì)")
// whole, as rest, and returns the index after it.
func (p *parser) paren(i int) int {
	end := i + 1
	for end < len(p.ts) && p.ts[end].punct != ')' {
		end++
	}
	end = min(end+1, len(p.ts))
	p.add(itemRest, i, end, NoGroup)
	return end
}

// unknownEnd returns the end of a part that starts at token i and is neither
// a group nor a known name: the next separator (a comma, colon, parenthesis or
// a dash standing alone), "và", a group phrase or (with an index) a known name
// that begins with a capital letter.
func (p *parser) unknownEnd(i int) int {
	j := i + 1
	for ; j < len(p.ts); j++ {
		t := p.ts[j]
		if t.punct != 0 || t.fold == "" || t.fold == "va" {
			break
		}
		if _, _, ok := p.matchGroup(j); ok {
			break
		}
		if t.upper && isHead(p.ts, j) {
			if _, ok := p.matchKnown(j); ok {
				break
			}
		}
	}
	return j
}

// segment reads the tokens of one ';'-separated segment.
func (p *parser) segment() {
	n := len(p.ts)
	i := 0
	for {
		i = p.skipSeparators(i)
		if i >= n {
			return
		}
		if g, end, ok := p.matchGroup(i); ok {
			if end < n && p.ts[end].punct == 0 && p.ts[end].fold != "" && p.ts[end].fold != "va" {
				// Narrowing words ("… được giao tài khoản báo cáo") belong
				// to the phrase up to the end of the segment.
				end = n
				for end > i+1 && p.ts[end-1].punct != 0 {
					end--
				}
				p.add(itemGroup, i, end, g)
				return
			}
			p.add(itemGroup, i, end, g)
			i = end
			continue
		}
		if p.ts[i].punct == '(' {
			i = p.paren(i)
			continue
		}
		if next, ok := p.matchListHead(i); ok {
			i = p.parseList(next)
			continue
		}
		if end, ok := p.matchKnown(i); ok {
			p.add(itemName, i, end, NoGroup)
			i = end
			continue
		}
		end := p.unknownEnd(i)
		class := itemRest
		if p.ts[i].upper && !collective[p.ts[i].fold] {
			class = itemUnknown
		}
		p.add(class, i, end, NoGroup)
		i = end
	}
}

// clean trims separators and a final full stop from a part as written.
func clean(s string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(s), ",;:.，；：、"))
}

// ParseAssignees reads one "Cơ quan chủ trì" or "Cơ quan phối hợp" cell:
// it splits the cell at ';', ',' and "và" into explicit agency names, a
// collective group with its phrase as written (narrowing words included) and
// the rest. Names the index knows are recognised before splitting, so names
// that contain a comma or "và" ("Sở Văn hóa, Thể thao và Du lịch") stay whole;
// "Các sở: Y tế, Tài chính" gives "Sở Y tế" and "Sở Tài chính". With an
// index, name-like parts it does not know go to Rest (see NameLike); with a
// nil index every name-like part goes to Names.
func ParseAssignees(cell string, ix *Index) Assignees {
	text := strings.Join(strings.Fields(cell), " ")
	a := Assignees{Text: text}
	if text == "" {
		return a
	}
	p := &parser{text: text, ix: ix}
	all := tokenize(text)
	for start := 0; start <= len(all); {
		end := start
		for end < len(all) && all[end].punct != ';' {
			end++
		}
		p.ts = all[start:end]
		p.segment()
		p.seg++
		start = end + 1
	}
	seen := make(map[string]bool)
	addName := func(s string) {
		k := Normalize(s)
		if s == "" || seen[k] {
			return
		}
		seen[k] = true
		a.Names = append(a.Names, s)
	}
	var phrases []string
	for _, it := range p.items {
		s := clean(it.text)
		if s == "" {
			continue
		}
		switch {
		case it.class == itemName || (it.class == itemUnknown && ix == nil):
			addName(s)
		case it.class == itemGroup:
			a.Group = a.Group.union(it.group)
			phrases = append(phrases, s)
		default:
			a.Rest = append(a.Rest, s)
		}
	}
	a.Phrase = strings.Join(phrases, "; ")
	return a
}
