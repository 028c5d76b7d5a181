package upward

import (
	"regexp"
	"strings"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
)

// StatusWord is a status as the report writes it ("Gặp vướng mắc").
func StatusWord(l i18n.Lang, s domain.Status) string { return i18n.T(l, "upward.status."+string(s)) }

// GroupWord is a group in the official words ("Quá hạn chưa hoàn thành").
func GroupWord(l i18n.Lang, g report.Group) string { return i18n.T(l, "upward.group."+string(g)) }

// Standing is where a task stands, as the appendix's column says it:
// "Đang thực hiện, tiến độ 60%", and for a collective task the line of its
// agencies (see [Parts.Text]) under it, naming at most maxNames.
func Standing(v report.TaskView, l i18n.Lang, maxNames int) string {
	s := i18n.T(l, "upward.state", StatusWord(l, v.Status), v.Progress)
	if p, ok := PartsOf(v); ok {
		s += "\n" + p.Text(l, maxNames)
	}
	return s
}

// Assessment is a task's group in the official words, marked when its
// completion waits for review or its date was extended.
func Assessment(v report.TaskView, l i18n.Lang) string {
	g := GroupWord(l, v.Group)
	if v.Waiting {
		g += "\n" + i18n.T(l, "upward.waiting_mark")
	}
	if v.Extended {
		g += "\n" + i18n.T(l, "upward.extended_mark")
	}
	return g
}

var appendixPrefix = regexp.MustCompile(`(?i)^\s*(PHỤ LỤC|PHU LUC)[\sIVXLC\d]*[:.\-–]?\s*`)

// AppendixTitle is a plan's appendix title ("DANH MỤC CÁC NHIỆM VỤ TRỌNG
// TÂM") without a "PHỤ LỤC:" of its own, in capitals.
func AppendixTitle(t string, l i18n.Lang) string {
	t = strings.TrimSpace(appendixPrefix.ReplaceAllString(t, ""))
	if t == "" {
		t = i18n.T(l, "upward.appendix_default")
	}
	return strings.ToUpper(t)
}

// Roman writes 1–39 in Roman numerals: the appendices are Phụ lục I, II, …
// in plan order.
func Roman(n int) string {
	var b strings.Builder
	for _, s := range []struct {
		v int
		r string
	}{{10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for n >= s.v {
			b.WriteString(s.r)
			n -= s.v
		}
	}
	return b.String()
}
