package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds Debian's chromium (or another Chrome) on the PATH.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium on this machine: install it (apt-get install -y chromium) to run the browser test; CI does (.ci/run)")
	return ""
}

// A trainer's tour in a real browser: the coordinator invites Sở Y tế, the
// newcomer opens the link and reports a task in progress with a note, the
// leader's /summary shows it, and the reminders of 24/12/2025 08:00 reach an
// officer, whose chat shows them as unread until opened. Screenshots at
// desktop and phone widths go to the test's output directory (and to
// SANDBOX_SHOTS when set).
func TestBrowserTour(t *testing.T) {
	exe := chromium(t)
	s := startSandbox(t)

	actx, cancelA := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.UserDataDir(t.TempDir()),
	)
	defer cancelA()
	ctx, cancelC := chromedp.NewContext(actx)
	defer cancelC()
	ctx, cancelT := context.WithTimeout(ctx, 5*time.Minute)
	defer cancelT()

	shots := t.TempDir()
	if d := os.Getenv("SANDBOX_SHOTS"); d != "" {
		shots = d
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v\npage text:\n%s", what, err, pageText(ctx))
		}
	}
	// waitFor waits until a JavaScript condition holds on the page.
	waitFor := func(what, cond string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(90*time.Second), chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
			t.Fatalf("waiting for %s: %v\npage text:\n%s", what, err, pageText(ctx))
		}
	}
	count := func() int {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.msg').length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// say types a message as the persona on screen and waits for the bot's
	// answer containing want.
	say := func(text, want string) string {
		t.Helper()
		n := count()
		do("type "+text, chromedp.SendKeys(chromedp.ID("input"), text), chromedp.Click(chromedp.ID("send")))
		return waitBot(t, ctx, n, want)
	}
	// switchTo puts a persona on screen and waits for their chat.
	switchTo := func(id int64) {
		t.Helper()
		do("switch to "+strconv.FormatInt(id, 10), clickJS(fmt.Sprintf(`document.querySelector('.person[data-persona="%d"]')`, id)))
		waitFor("the chat of "+strconv.FormatInt(id, 10), fmt.Sprintf(`document.querySelector('#messages').dataset.persona === '%d'`, id))
	}
	press := func(label string) {
		t.Helper()
		do("press "+label, clickJS(lastButton(label)))
	}
	shot := func(name string, w, h int64, mobile bool) {
		t.Helper()
		var opts []chromedp.EmulateViewportOption
		if mobile {
			opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile)
		}
		do("viewport", chromedp.EmulateViewport(w, h, opts...), chromedp.Sleep(300*time.Millisecond))
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(shots, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s", p)
	}

	do("open the page", chromedp.EmulateViewport(1280, 820), chromedp.Navigate(s.url), chromedp.WaitVisible(chromedp.CSS(`.person[data-persona="7001"]`)))

	// The coordinator invites Sở Y tế; the answer carries the invite link.
	switchTo(7001)
	waitFor("the coordinator on screen", `document.querySelector('#chat-sub').textContent.includes('Điều phối')`)
	do("open the command menu", chromedp.Click(chromedp.ID("menu-btn")))
	waitFor("the admin command menu", `document.querySelectorAll('#menu button[data-command="invite"]').length > 0`)
	do("close the menu", chromedp.Click(chromedp.ID("menu-btn")))
	say("/invite Sở Y tế", "t.me/"+BotUsername+"?start=")

	// The newcomer opens it: the link asks who opens it and starts the bot
	// in the newcomer's chat.
	do("open the invite link", clickJS(`[...document.querySelectorAll('.msg.in a[href*="start="]')].pop()`),
		chromedp.WaitVisible(chromedp.ID("picker")))
	n := 0
	do("choose the newcomer", clickJS(`document.querySelector('.pick[data-persona="7009"]')`))
	waitFor("the newcomer's chat on screen", `document.querySelector('#messages').dataset.persona === '7009'`)
	waitBot(t, ctx, n, "Sở Y tế")

	// /tasks, open 25-3, mark it in progress: a pop-up answers and the card
	// is redrawn in place; then a note through the ForceReply prompt.
	say("/tasks", "25-3")
	n = count()
	press("25-3")
	waitBot(t, ctx, n, "Chưa triển khai")
	cardID := lastBotID(t, ctx)
	press("Đang thực hiện")
	waitFor("the pop-up answer", `!document.querySelector('#toast').hidden && document.querySelector('#toast').textContent.includes('Đang thực hiện')`)
	waitFor("the card redrawn in place", fmt.Sprintf(`(document.querySelector('.msg[data-id="%d"]')?.textContent || '').includes('Đang thực hiện · 0%%')`, cardID))
	n = count()
	press("Thêm ghi chú")
	waitBot(t, ctx, n, "")
	waitFor("the ForceReply prompt", `!document.querySelector('#replybar').hidden`)
	note := "Đã họp triển khai với các phòng <chuyên môn> & Trung tâm"
	say(note, note)
	shot("sandbox-officer-desktop.png", 1280, 820, false)

	// The leader's /summary shows the change.
	switchTo(7002)
	waitFor("the leader on screen", `document.querySelector('#chat-sub').textContent.includes('Lãnh đạo UBND')`)
	sum := say("/summary Sở Y tế", "Sở Y tế")
	if !strings.Contains(sum, "Đang thực hiện") {
		t.Errorf("the leader's summary does not show the task in progress:\n%s", sum)
	}

	// Time travel: the reminders of 24/12/2025 08:00 reach Sở KH&CN's
	// officer, shown unread until the chat is opened.
	do("open time travel", chromedp.Click(chromedp.CSS(`#tt summary`)),
		chromedp.SetValue(chromedp.ID("tt-at"), "2025-12-24T08:00"),
		chromedp.Click(chromedp.ID("run-reminders")))
	waitFor("the run's result", `document.querySelector('#toast').textContent.includes('24/12/2025 08:00')`)
	waitFor("an unread reminder for the officer", `Number(document.querySelector('.person[data-persona="7003"] .unread')?.textContent || 0) > 0`)
	do("close time travel", chromedp.Click(chromedp.CSS(`#tt summary`)))
	switchTo(7003)
	rem := waitBot(t, ctx, 0, "24/12/2025")
	for _, want := range []string{"Nhắc việc", "Sở Khoa học và Công nghệ", "25-3", "còn 7 ngày"} {
		if !strings.Contains(rem, want) {
			t.Errorf("the officer's reminder lacks %q:\n%s", want, rem)
		}
	}
	waitFor("the badge gone once read", `!document.querySelector('.person[data-persona="7003"] .unread')`)
	shot("sandbox-reminder-desktop.png", 1280, 820, false)
	shot("sandbox-reminder-phone.png", 390, 844, true)
	switchTo(7009)
	waitFor("the newcomer's history kept", fmt.Sprintf(`document.querySelector('#messages').textContent.includes(%s)`, strconv.Quote(note)))
	shot("sandbox-officer-phone.png", 390, 844, true)
}

// lastButton is the last inline button whose label contains label.
// clickJS waits until the element js evaluates to exists and clicks it in the
// same script: the page redraws lists on every event, so a node found by one
// call and clicked by the next may be gone in between.
func clickJS(js string) chromedp.Action[chromedp.Void] {
	poll := chromedp.Poll[bool](`(() => { const el = `+js+`; if (!el) return false; el.click(); return true; })()`,
		chromedp.WithPollingTimeout(90*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := poll(ctx, t)
		return err
	})
}

func lastButton(label string) string {
	return fmt.Sprintf(`[...document.querySelectorAll('.msg.in .kb-row button')].filter(b => b.textContent.includes(%s)).pop()`, strconv.Quote(label))
}

// waitBot waits until the chat on screen has more than n messages and its
// last bot message contains want, and returns that message's text.
func waitBot(t *testing.T, ctx context.Context, n int, want string) string {
	t.Helper()
	cond := fmt.Sprintf(`(() => { const all = document.querySelectorAll('.msg'); if (all.length <= %d) return false;
		const bots = document.querySelectorAll('.msg.in'); const last = bots[bots.length - 1];
		return !!last && last.textContent.includes(%s) && last.textContent; })()`, n, strconv.Quote(want))
	text, err := chromedp.Run(ctx, chromedp.Poll[string](cond, chromedp.WithPollingTimeout(90*time.Second), chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		t.Fatalf("waiting for the bot to say %q: %v\npage text:\n%s", want, err, pageText(ctx))
	}
	return text
}

func lastBotID(t *testing.T, ctx context.Context) int {
	t.Helper()
	id, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Number([...document.querySelectorAll('.msg.in')].pop().dataset.id)`))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func pageText(ctx context.Context) string {
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({cmds: S.commands.length, active: S.active, menu: document.querySelector('#menu').outerHTML.slice(0, 300), errors: window.__errors || []}) + '\n' + document.body.innerText`))
	if err != nil {
		return "(page text unavailable: " + err.Error() + ")"
	}
	if len(s) > 3000 {
		s = s[len(s)-3000:]
	}
	return s
}
