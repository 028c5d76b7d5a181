package scheduler

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

var dueDec31 = []string{"25-10", "25-13", "25-19", "25-3", "25-4", "25-6"}

// The schedules come from the configuration and run in Asia/Ho_Chi_Minh.
func TestSchedulesFromConfigInProvinceTime(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := []struct {
		name  string
		next  func(time.Time) time.Time
		after time.Time
		want  time.Time
	}{
		{"reminders same day", e.s.reminderSched.Next, at(2025, 12, 24, 7, 0), at(2025, 12, 24, 8, 0)},
		{"reminders skip the weekend", e.s.reminderSched.Next, at(2025, 12, 26, 9, 0), at(2025, 12, 29, 8, 0)},
		{"digest on Monday", e.s.digestSched.Next, at(2025, 12, 24, 9, 0), at(2025, 12, 29, 7, 30)},
	}
	for _, c := range cases {
		got := c.next(c.after.In(e.s.loc))
		if !got.Equal(c.want) {
			t.Errorf("%s: next after %s = %s, want %s", c.name, c.after, got, c.want)
		}
	}
	if got := at(2025, 12, 24, 8, 0).UTC().Hour(); got != 1 {
		t.Errorf("08:00 in Đồng Tháp is %d:00 UTC, want 1:00", got)
	}
	if e.cfg.Reminders.Cron != "0 8 * * 1-5" || e.cfg.Reminders.DigestCron != "30 7 * * 1" {
		t.Errorf("default schedules %q %q", e.cfg.Reminders.Cron, e.cfg.Reminders.DigestCron)
	}
}

// The scheduler runs on the schedules config.Load parsed: other specs move
// the day's run and the digest; a configuration that was not loaded (no
// parsed schedules) is refused with a message that says so.
func TestSchedulesAreTheConfiguredOnes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "REMINDER_CRON", "30 9 * * 1-6", "DIGEST_CRON", "0 16 * * 5")
	if run, ok := e.s.RunOfDay(at(2025, 12, 27, 7, 0)); !ok || !run.Equal(at(2025, 12, 27, 9, 30)) { // a Saturday
		t.Errorf("Saturday's run: %s %v, want 09:30", run, ok)
	}
	if _, ok := e.s.RunOfDay(at(2025, 12, 28, 7, 0)); ok {
		t.Error("a run on Sunday")
	}
	if got := e.s.digestSched.Next(at(2025, 12, 24, 9, 0)); !got.Equal(at(2025, 12, 26, 16, 0)) {
		t.Errorf("digest after Wed 24/12: %s, want Fri 26/12 16:00", got)
	}
	cfg := e.cfg
	cfg.Reminders.Schedule, cfg.Reminders.DigestSchedule = nil, nil
	if _, err := New(Deps{Store: e.st, Sender: e.send, Clock: e.clock.Now, Config: cfg}); err == nil || !strings.Contains(err.Error(), "config.Load") {
		t.Errorf("a configuration without parsed schedules: err = %v", err)
	}
}

// At 08:00 on Wed 24 Dec 2025 the 7-day reminders of the tasks due
// 31/12/2025 go to the officers of lead and coordinating agencies, one
// message each, grouping their items, with a button per item.
func TestSevenDayRemindersOn24December(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.link(khcnVI, "so-khcn", "vi", "Nguyễn Văn A")
	e.link(khcnEN, "so-khcn", "en-US", "Tran B")
	e.link(taiChin, "so-tai-chinh", "vi", "Lê Thị C")

	sent := e.day(at(2025, 12, 24, 8, 0))

	for _, chat := range []int64{khcnVI, khcnEN, taiChin} {
		if n := len(ofChat(sent, chat)); n != 1 {
			t.Fatalf("chat %d got %d messages, want 1", chat, n)
		}
	}
	vi := ofChat(sent, khcnVI)[0]
	if got := codes(vi.Text); !slices.Equal(got, dueDec31) {
		t.Errorf("Sở KH&CN items %v, want the six tasks due 31/12/2025 %v", got, dueDec31)
	}
	for _, want := range []string{"🔔 <b>Nhắc việc</b> · 24/12/2025", "<i>Sở Khoa học và Công nghệ</i>",
		"⏰ <b>Sắp đến hạn</b>\n• <b>25-3</b>",
		"— Hạn: Trước 31/12/2025, còn 7 ngày\n", "— Hạn: Trong tháng 12/2025 (31/12/2025), còn 7 ngày\n", "báo cáo ngay"} {
		if !strings.Contains(vi.Text, want) {
			t.Errorf("Vietnamese reminder lacks %q:\n%s", want, vi.Text)
		}
	}
	if vi.Silent {
		t.Error("a reminder must notify")
	}
	if len(vi.Buttons) != 6 {
		t.Fatalf("buttons %v, want one per item", vi.Buttons)
	}
	a, err := e.st.Assignment(e.ctx, "25-3/so-khcn")
	if err != nil {
		t.Fatal(err)
	}
	want := domain.Callback{Verb: domain.VerbOpen, Ref: a.Ref}.Encode()
	found := false
	for _, row := range vi.Buttons {
		if len(row) != 1 {
			t.Errorf("row %v: one button per row", row)
		}
		found = found || row[0].Data == want
	}
	if !found {
		t.Errorf("no button %q for 25-3 in %v", want, vi.Buttons)
	}

	en := ofChat(sent, khcnEN)[0]
	if !strings.Contains(en.Text, "<b>Reminder</b>") || !strings.Contains(en.Text, "7 days left") || strings.Contains(en.Text, "còn 7 ngày") {
		t.Errorf("English reminder:\n%s", en.Text)
	}

	// Sở Tài chính coordinates 25-3, 25-4, 25-6 and 25-19 and leads 25-13:
	// reminded of all, and asked for its input where it coordinates.
	tc := ofChat(sent, taiChin)[0]
	if got := codes(tc.Text); !slices.Equal(got, []string{"25-13", "25-19", "25-3", "25-4", "25-6"}) {
		t.Errorf("Sở Tài chính items %v", got)
	}
	if n := strings.Count(tc.Text, "Đề nghị gửi ý kiến"); n != 4 {
		t.Errorf("coordination requests %d, want 4:\n%s", n, tc.Text)
	}

	// The admins hear, silently, which agencies had something due and
	// nobody to tell (Công an tỉnh, VP UBND tỉnh, …).
	notes := ofChat(sent, admin)
	if len(notes) != 1 || !notes[0].Silent || !strings.Contains(notes[0].Text, "Công an tỉnh: 25-3") ||
		!strings.Contains(notes[0].Text, "Văn phòng UBND tỉnh") || strings.Contains(notes[0].Text, "Sở Tài chính") {
		t.Errorf("admin notice %+v", notes)
	}
	if len(sent) != 4 {
		t.Errorf("%d messages, want 4", len(sent))
	}
}

// Nothing is sent on Saturday 27 December; on Monday 29 the 3-day reminder
// of Sunday 28 comes out once, in the same message as Monday's own (a 14-day
// reminder of a due date set by hand); the same slot again sends nothing.
func TestWeekendRemindersComeOnMondayOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.link(taiChin, "so-tai-chinh", "vi", "")
	if err := e.st.SetDue(e.ctx, "25-5", date(2026, 1, 12)); err != nil { // d14 = Mon 29 Dec
		t.Fatal(err)
	}
	if got := e.day(at(2025, 12, 24, 8, 0)); len(ofChat(got, taiChin)) != 1 {
		t.Fatalf("Wednesday: %v", got)
	}
	if got := e.day(at(2025, 12, 27, 8, 0)); len(got) != 0 {
		t.Fatalf("Saturday sent %d messages: %v", len(got), got)
	}
	if n, err := e.s.RunReminders(e.ctx, at(2025, 12, 28, 8, 0)); err != nil || n != 0 {
		t.Fatalf("Sunday planned %d, %v", n, err)
	}
	mon := e.day(at(2025, 12, 29, 8, 0))
	msgs := ofChat(mon, taiChin)
	if len(msgs) != 1 {
		t.Fatalf("Monday: %d messages to Sở Tài chính, want 1", len(msgs))
	}
	if got := codes(msgs[0].Text); !slices.Equal(got, []string{"25-13", "25-19", "25-3", "25-4", "25-5", "25-6"}) {
		t.Errorf("Monday items %v", got)
	}
	if !strings.Contains(msgs[0].Text, "còn 2 ngày") || !strings.Contains(msgs[0].Text, "còn 14 ngày") {
		t.Errorf("Monday text:\n%s", msgs[0].Text)
	}
	if strings.Contains(msgs[0].Text, "Đề nghị gửi ý kiến") {
		t.Error("the coordination request went out on Wednesday; not again")
	}
	// The same slot again, and a second slot the same morning: nothing new.
	if again := e.day(at(2025, 12, 29, 8, 0)); len(again) != 0 {
		t.Errorf("same slot again sent %d", len(again))
	}
	if later := e.day(at(2025, 12, 29, 10, 0)); len(later) != 0 {
		t.Errorf("a second run on Monday sent %d", len(later))
	}
}

// 31 December's tasks fall overdue on Thursday 1 January 2026, a public
// holiday, and so is Friday 2 January (the swapped day off of the 2026 New
// Year break in seeds/holidays.json): the first overdue reminder comes on
// Monday 5 January; then weekly; after 14 days the officers are told once,
// silently, that the task went to the leadership, and the digest lists it.
func TestOverdueAfterHolidayWeeklyAndEscalation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.link(khcnVI, "so-khcn", "vi", "")
	e.lead(leader, "vi")
	for _, d := range []int{1, 2} {
		if e.s.cal.working(date(2026, 1, d)) {
			t.Fatalf("seeds/holidays.json: %d January 2026 should be a day off", d)
		}
	}
	e.report("25-3/so-khcn", at(2025, 12, 30, 9, 0), domain.Done) // done: never overdue
	e.day(at(2025, 12, 31, 8, 0))

	type step struct {
		day   int
		codes []string
		text  string
		info  bool
	}
	overdue := []string{"25-10", "25-13", "25-19", "25-4", "25-6"}
	steps := []step{
		{day: 1}, {day: 2},
		{day: 5, codes: overdue, text: "quá hạn 5 ngày"},
		{day: 6}, {day: 7},
		{day: 8, codes: overdue, text: "quá hạn 8 ngày"},
		{day: 9}, {day: 12}, {day: 13},
		{day: 14, codes: overdue, text: "Đã quá hạn 14 ngày: nhiệm vụ được đưa vào báo cáo", info: true},
		{day: 15, codes: overdue, text: "quá hạn 15 ngày"},
		{day: 16},
	}
	for _, s := range steps {
		got := ofChat(e.day(at(2026, 1, s.day, 8, 0)), khcnVI)
		if s.codes == nil {
			if len(got) != 0 {
				t.Errorf("%d Jan: %d messages, want none:\n%s", s.day, len(got), got[0].Text)
			}
			continue
		}
		if len(got) != 1 {
			t.Fatalf("%d Jan: %d messages, want 1", s.day, len(got))
		}
		if c := codes(got[0].Text); !slices.Equal(c, s.codes) || !strings.Contains(got[0].Text, s.text) || got[0].Silent != s.info {
			t.Errorf("%d Jan: codes %v silent %v:\n%s", s.day, c, got[0].Silent, got[0].Text)
		}
	}
	if got := e.send.To(khcnVI); len(got) != 5 { // 31 Dec, 5, 8, 14, 15 Jan
		t.Errorf("%d messages in all", len(got))
	}

	e.clock.Set(at(2026, 1, 19, 7, 30))
	e.s.DigestJob().Run()
	if err := e.s.Dispatch(e.ctx); err != nil {
		t.Fatal(err)
	}
	// the digest text, then its chart (the text is too long for a caption)
	dg := e.send.To(leader)
	if len(dg) != 2 || dg[0].File != nil || dg[1].File == nil || dg[1].File.Kind != domain.AttachPhoto {
		t.Fatalf("digest messages %d, want the text and the chart", len(dg))
	}
	// 25-3 is done at Sở KH&CN but not at Công an tỉnh, its other lead.
	for _, want := range []string{"Tổng hợp tuần", "Quá hạn từ 14 ngày trở lên</b> (6 nhiệm vụ)", "<b>25-10</b>",
		"quá hạn 19 ngày — Sở Khoa học và Công nghệ", "<b>25-3</b>", "quá hạn 19 ngày — Công an tỉnh"} {
		if !strings.Contains(dg[0].Text, want) {
			t.Errorf("digest lacks %q:\n%s", want, dg[0].Text)
		}
	}
}

// Ongoing tasks ask for a report on the 20th of each month, unless one was
// made during the month.
func TestPeriodicReportMonthlySkippedWhenReported(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.link(khcnVI, "so-khcn", "vi", "")
	e.report("25-7/so-khcn", at(2026, 1, 5, 10, 0), domain.InProgress)   // this month: satisfied
	e.report("25-9/so-khcn", at(2025, 12, 28, 10, 0), domain.InProgress) // last month: asked again
	if got := e.day(at(2026, 1, 19, 8, 0)); len(got) != 0 {
		t.Fatalf("19 January sent %d", len(got))
	}
	msgs := ofChat(e.day(at(2026, 1, 20, 8, 0)), khcnVI)
	if len(msgs) != 1 {
		t.Fatalf("20 January: %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	got := codes(m.Text)
	if slices.Contains(got, "25-7") || !slices.Contains(got, "25-9") || !slices.Contains(got, "26-IV.5") || !slices.Contains(got, "25-1") {
		t.Errorf("periodic items %v", got)
	}
	if !strings.Contains(m.Text, "📝 <b>Đến kỳ báo cáo tháng 1/2026</b>") || !strings.Contains(m.Text, "— Hạn: Thường xuyên\n") {
		t.Errorf("text:\n%s", m.Text)
	}
	// More items than buttons: eight, then one to the task list.
	if len(got) <= maxItemButtons || len(m.Buttons) != maxItemButtons+1 ||
		m.Buttons[maxItemButtons][0].Data != (domain.Callback{Verb: domain.VerbList, Ref: "0"}).Encode() {
		t.Errorf("%d items, buttons %v", len(got), m.Buttons)
	}
	if n := i18n.UTF16Len(m.Text); n > 4096 {
		t.Errorf("text of %d UTF-16 units", n)
	}
	if got := e.day(at(2026, 1, 21, 8, 0)); len(got) != 0 {
		t.Errorf("21 January sent %d", len(got))
	}
}

// Annual tasks and multi-year periods ask once a year on ANNUAL_REPORT_DATE;
// quarterly reporting asks on the 20th of the quarter's last month.
func TestPeriodicAnnualAndQuarterly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "REPORT_PERIOD", "quarterly")
	e.link(khcnVI, "so-khcn", "vi", "")
	e.link(taiChin, "so-tai-chinh", "vi", "")
	if got := ofChat(e.day(at(2026, 1, 20, 8, 0)), khcnVI); len(got) != 0 {
		t.Errorf("quarterly: January 20 sent %v", codes(got[0].Text))
	}
	q := ofChat(e.day(at(2026, 3, 20, 8, 0)), khcnVI)
	if len(q) != 1 || !strings.Contains(q[0].Text, "Đến kỳ báo cáo quý I/2026") {
		t.Fatalf("20 March: %v", q)
	}

	e.report("26-III.2/so-khcn", at(2026, 6, 1, 9, 0), domain.InProgress) // reported this year
	y := ofChat(e.day(at(2026, 12, 1, 8, 0)), khcnVI)
	if len(y) != 1 {
		t.Fatalf("1 December: %d messages", len(y))
	}
	got := codes(y[0].Text)
	for _, want := range []string{"25-21", "26-III.1", "26-III.3", "26-V.2", "26-V.3"} {
		if !slices.Contains(got, want) {
			t.Errorf("annual items %v lack %s", got, want)
		}
	}
	if slices.Contains(got, "26-III.2") || !strings.Contains(y[0].Text, "Đến kỳ báo cáo năm 2026") {
		t.Errorf("annual: %v\n%s", got, y[0].Text)
	}
	// Sở Tài chính is in 26-V.3 (2026 - 2030) too; asked yearly from 2026.
	if tc := ofChat(e.send.Sent(), taiChin); len(tc) == 0 || !slices.Contains(codes(tc[len(tc)-1].Text), "26-V.3") {
		t.Errorf("Sở Tài chính on 1 December: %v", tc)
	}
}

// Tết 2026 (14–22 February) sends nothing; February's report request of the
// 20th comes on Monday 23.
func TestTetHolidaysAreSkipped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.link(khcnVI, "so-khcn", "vi", "")
	for d := 16; d <= 20; d++ {
		if got := e.day(at(2026, 2, d, 8, 0)); len(got) != 0 {
			t.Errorf("%d February (Tết) sent %d", d, len(got))
		}
	}
	from, to, ok := e.s.cal.window(date(2026, 2, 23))
	if !ok || from != date(2026, 2, 14) || to != date(2026, 2, 23) {
		t.Errorf("window of 23 Feb = %v..%v %v", from, to, ok)
	}
	got := ofChat(e.day(at(2026, 2, 23, 8, 0)), khcnVI)
	if len(got) != 1 || !strings.Contains(got[0].Text, "tháng 2/2026") {
		t.Fatalf("23 February: %v", got)
	}
}

// A paused officer's reminders go to their substitute; with the substitute
// paused too, to nobody, and the admins are told.
func TestPauseWithSubstitute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.link(khcnVI, "so-khcn", "vi", "Nguyễn Văn A")
	e.link(khcnEN, "so-khcn", "vi", "Trần Văn B")
	// B stands in for A; B is also an officer of the agency.
	if err := e.st.Pause(e.ctx, khcnVI, at(2026, 1, 10, 0, 0), khcnEN); err != nil {
		t.Fatal(err)
	}
	sent := e.day(at(2025, 12, 24, 8, 0))
	if n := len(ofChat(sent, khcnVI)); n != 0 {
		t.Errorf("paused officer got %d", n)
	}
	b := ofChat(sent, khcnEN)
	if len(b) != 1 || !strings.Contains(b[0].Text, "Bạn nhận thay cho Nguyễn Văn A") || !slices.Equal(codes(b[0].Text), dueDec31) {
		t.Fatalf("substitute got %v", b)
	}
	if strings.Contains(ofChat(sent, admin)[0].Text, "Sở Khoa học") {
		t.Error("Sở KH&CN had someone to tell")
	}
	// Both away: nobody, and the admins' notice lists the agency.
	if err := e.st.Pause(e.ctx, khcnEN, at(2026, 1, 10, 0, 0), 0); err != nil {
		t.Fatal(err)
	}
	sent = e.day(at(2025, 12, 29, 8, 0))
	if n := len(ofChat(sent, khcnVI)) + len(ofChat(sent, khcnEN)); n != 0 {
		t.Errorf("paused officers got %d", n)
	}
	notes := ofChat(sent, admin)
	if len(notes) != 1 || !strings.Contains(notes[0].Text, "Sở Khoa học và Công nghệ: 25-3") {
		t.Errorf("admin notice: %v", notes)
	}
	// Back from leave (weekly overdue reminder of 15 January): to A again.
	sent = e.day(at(2026, 1, 15, 8, 0))
	if len(ofChat(sent, khcnVI)) != 1 || len(ofChat(sent, khcnEN)) != 1 || strings.Contains(ofChat(sent, khcnEN)[0].Text, "thay cho") {
		t.Errorf("after the pause: %v", sent)
	}
}

// A 403 (the officer blocked the bot) gives the message up, marks the officer
// unreachable and tells the admins; later runs skip the officer.
func TestForbiddenMarksUnreachableAndTellsAdmins(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.link(taiChin, "so-tai-chinh", "vi", "Lê Thị <C>")
	e.link(khcnVI, "so-khcn", "vi", "")
	e.send.fail = func(m domain.Outgoing, _ int) error {
		if m.ChatID == taiChin {
			return &domain.SendError{Forbidden: true, Err: errString("Forbidden: bot was blocked by the user")}
		}
		return nil
	}
	sent := e.day(at(2025, 12, 24, 8, 0))
	if len(ofChat(sent, taiChin)) != 0 || len(ofChat(sent, khcnVI)) != 1 {
		t.Fatalf("sent %v", sent)
	}
	o, err := e.st.Officer(e.ctx, taiChin)
	if err != nil || !o.Unreachable {
		t.Fatalf("officer %+v, %v: want unreachable", o, err)
	}
	var blocked []domain.Outgoing
	for _, m := range ofChat(sent, admin) {
		if strings.Contains(m.Text, "Không gửi được nhắc việc") {
			blocked = append(blocked, m)
		}
	}
	if len(blocked) != 1 || !blocked[0].Silent || !strings.Contains(blocked[0].Text, "Lê Thị &lt;C&gt; (ID 201)") ||
		!strings.Contains(blocked[0].Text, "Sở Tài chính") {
		t.Fatalf("admins were told %v", blocked)
	}
	out, found, err := e.st.MessageOutcome(e.ctx, "rem|2025-12-24T08:00|201")
	if err != nil || !found || out.State != store.OutcomeFailed || !strings.Contains(out.Error, "blocked") {
		t.Errorf("outcome %+v %v %v", out, found, err)
	}
	// The next run skips the officer; the admins see the agency has nobody.
	sent = e.day(at(2025, 12, 29, 8, 0))
	if len(ofChat(sent, taiChin)) != 0 || e.send.calls[taiChin] != 1 {
		t.Errorf("unreachable officer was tried again (%d calls)", e.send.calls[taiChin])
	}
	if notes := ofChat(sent, admin); len(notes) != 1 || !strings.Contains(notes[0].Text, "Sở Tài chính") {
		t.Errorf("admin notice %v", notes)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// The digest goes to active leaders on Monday 07:30: counts by status and
// light, escalated tasks, tasks due within 7 days; English for English
// speakers; not to leaders who blocked the bot; once per slot.
func TestDigestToLeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.lead(leader, "vi")
	e.lead(leader+1, "en")
	e.lead(leader+2, "vi")
	if err := e.st.SetUnreachable(e.ctx, leader+2, true); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at(2025, 12, 29, 7, 30))
	e.s.DigestJob().Run()
	e.s.DigestJob().Run()
	if err := e.s.Dispatch(e.ctx); err != nil {
		t.Fatal(err)
	}
	// the digest text, then the chart (the text is too long for a caption)
	split := func(sent []domain.Outgoing) (texts, photos []domain.Outgoing) {
		for _, m := range sent {
			if m.File != nil && m.File.Kind == domain.AttachPhoto {
				photos = append(photos, m)
			} else {
				texts = append(texts, m)
			}
		}
		return texts, photos
	}
	vi, viPhotos := split(e.send.To(leader))
	en, enPhotos := split(e.send.To(leader + 1))
	if len(vi) != 1 || len(en) != 1 || len(viPhotos) != 1 || len(enPhotos) != 1 || len(e.send.To(leader+2)) != 0 {
		t.Fatalf("digests: vi %d+%d photos, en %d+%d photos, blocked %d", len(vi), len(viPhotos), len(en), len(enPhotos), len(e.send.To(leader+2)))
	}
	for _, want := range []string{"Tổng hợp tuần</b> · 29/12/2025", "Nhiệm vụ của các kế hoạch đang theo dõi: <b>40</b>",
		"Chưa triển khai 40", "Đến hạn trong 7 ngày tới</b> (6 nhiệm vụ)", "<b>25-3</b>", "Hạn: Trước 31/12/2025, còn 2 ngày",
		"Quá hạn từ 14 ngày trở lên</b> (0 nhiệm vụ):\nKhông có."} {
		if !strings.Contains(vi[0].Text, want) {
			t.Errorf("digest lacks %q:\n%s", want, vi[0].Text)
		}
	}
	if vi[0].Silent {
		t.Error("the digest notifies")
	}
	if !strings.Contains(en[0].Text, "Weekly digest") {
		t.Errorf("English digest:\n%s", en[0].Text)
	}
}

// Preview says what a run would send without sending or writing anything.
func TestPreviewWritesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.link(khcnVI, "so-khcn", "vi", "")
	e.link(khcnEN, "so-khcn", "en", "")
	e.lead(leader, "vi")
	lines, err := e.s.Preview(e.ctx, at(2025, 12, 24, 8, 0))
	if err != nil {
		t.Fatal(err)
	}
	find := func(kind, task, agency string) (PreviewLine, bool) {
		for _, l := range lines {
			if l.Kind == kind && l.Task == task && l.Agency == agency {
				return l, true
			}
		}
		return PreviewLine{}, false
	}
	if l, ok := find(KindPreDeadline, "25-3", "so-khcn"); !ok || l.Recipients != 2 || l.Days != 7 {
		t.Errorf("25-3 Sở KH&CN: %+v %v", l, ok)
	}
	if l, ok := find(KindCoordination, "25-4", "so-tai-chinh"); !ok || l.Recipients != 0 || l.Days != 7 {
		t.Errorf("25-4 Sở Tài chính coordination: %+v %v", l, ok)
	}
	var none []string
	for _, l := range lines {
		if l.Kind == KindNoOfficer {
			none = l.Agencies
		}
	}
	if !slices.Contains(none, "so-tai-chinh") || slices.Contains(none, "so-khcn") {
		t.Errorf("no officer: %v", none)
	}
	if started, _ := e.st.RunStarted(e.ctx, "reminders@2025-12-24T08:00"); started {
		t.Error("preview recorded a run")
	}
	if pending, _ := e.st.PendingMessages(e.ctx, 0); len(pending) != 0 {
		t.Errorf("preview queued %d messages", len(pending))
	}
	if marked, _ := e.st.ItemMarked(e.ctx, "pre_deadline|25-3/so-khcn|2025-12-31/d7|101"); marked {
		t.Error("preview marked an item")
	}
	var sb strings.Builder
	if err := WritePreview(&sb, lines); err != nil {
		t.Fatal(err)
	}
	out := strings.Split(strings.TrimSpace(sb.String()), "\n")
	if len(out) != len(lines) || !strings.Contains(sb.String(), `{"kind":"pre_deadline","task":"25-3","agency":"so-khcn","days":7,"recipients":2}`) {
		t.Errorf("JSON lines:\n%s", sb.String())
	}
	// After the run, the same preview has nothing left to send.
	e.day(at(2025, 12, 24, 8, 0))
	lines, _ = e.s.Preview(e.ctx, at(2025, 12, 24, 8, 0))
	if _, ok := find(KindPreDeadline, "25-3", "so-khcn"); ok {
		t.Error("planned items still previewed")
	}
	// Monday: the digest too; 31 Jan (Saturday): nothing at all.
	lines, _ = e.s.Preview(e.ctx, at(2025, 12, 29, 8, 0))
	if l, ok := find(KindDigest, "", ""); !ok || l.Recipients != 1 {
		t.Errorf("digest line %+v %v in %v", l, ok, lines)
	}
	if lines, _ = e.s.Preview(e.ctx, at(2026, 1, 31, 8, 0)); len(lines) != 0 {
		t.Errorf("Saturday preview %v", lines)
	}
}

// Run catches up the latest missed slot once when it starts, dispatches it,
// and stops when its context ends; a restart catches up nothing more.
func TestRunCatchesUpLatestMissedRunOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.link(khcnVI, "so-khcn", "vi", "")
	e.lead(leader, "vi")
	// Down since before Monday's 07:30 digest and the 08:00 runs of Monday
	// and Tuesday; back on Wednesday 24 Dec at 10:00.
	e.clock.Set(at(2025, 12, 24, 10, 0))
	got := make(chan int, 16)
	e.send.after = func(n int) { got <- n }
	run := func(want int) {
		ctx, cancel := context.WithCancel(e.ctx)
		done := make(chan error, 1)
		go func() { done <- e.s.Run(ctx) }()
		deadline := time.NewTimer(90 * time.Second) // a bound, not a speed check: the machine may be loaded
		defer deadline.Stop()
		for n := 0; n < want; {
			select {
			case n = <-got:
			case <-deadline.C:
				t.Fatalf("sent %d of %d", n, want)
			}
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	run(3) // Wednesday's reminder, its admin notice, Monday's digest (its chart attached)
	if n := len(e.send.To(khcnVI)); n != 1 {
		t.Errorf("officer got %d", n)
	}
	if ms := e.send.To(leader); len(ms) != 1 || !strings.Contains(ms[0].Text, "22/12/2025") || ms[0].File == nil || ms[0].File.Kind != domain.AttachPhoto {
		t.Errorf("leader got %v", ms)
	}
	for _, slot := range []string{"reminders@2025-12-22T08:00", "reminders@2025-12-23T08:00"} {
		if started, _ := e.st.RunStarted(e.ctx, slot); started {
			t.Errorf("%s was run: only the latest missed run is caught up", slot)
		}
	}
	e.s = e.newScheduler("B")
	run(0)
	if err := e.s.Dispatch(e.ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.send.Sent()); n != 3 {
		t.Errorf("after restart %d messages in all, want 3", n)
	}
}
