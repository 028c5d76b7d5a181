package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// At a phone's width (390 px) in a browser whose zone is New York's: the
// "open the link as whom?" picker shows people's names, not only initials;
// nothing in the import preview is wider than the screen; a bubble's time
// is the bot's zone's (the sandbox's Location), as the bot's texts are; and
// the time-travel panel says that it runs with today's states, in the
// language of the person on screen. Screenshots go to SANDBOX_SHOTS (or
// the test's directory) as sandbox-phone-*.png.
func TestBrowserPhone(t *testing.T) {
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
	waitFor := func(what, cond string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(90*time.Second), chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
			t.Fatalf("waiting for %s: %v\npage text:\n%s", what, err, pageText(ctx))
		}
	}
	eval := func(js string, out any) {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(`+js+`)`))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		if err := json.Unmarshal([]byte(s), out); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	shot := func(name string) {
		t.Helper()
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
	count := func() int {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.msg').length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	switchTo := func(id int64) {
		t.Helper()
		do("switch to "+strconv.FormatInt(id, 10), clickJS(fmt.Sprintf(`document.querySelector('.person[data-persona="%d"]')`, id)))
		waitFor("the chat of "+strconv.FormatInt(id, 10), fmt.Sprintf(`document.querySelector('#messages').dataset.persona === '%d'`, id))
	}

	do("a phone in New York",
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/New_York"})
			return err
		}),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(s.url), chromedp.WaitVisible(chromedp.CSS(`.person[data-persona="7001"]`)))
	switchTo(CoordinatorID)

	// The bubble's time is the bot's zone's.
	n := count()
	do("type /invite", chromedp.SendKeys(chromedp.ID("input"), "/invite Sở Y tế"), chromedp.Click(chromedp.ID("send")))
	waitBot(t, ctx, n, "start=")
	var shown []struct {
		ID   int    `json:"id"`
		Meta string `json:"meta"`
	}
	eval(`[...document.querySelectorAll('.msg')].map(m => ({id: Number(m.dataset.id), meta: m.querySelector('.meta').firstChild.textContent}))`, &shown)
	var chat struct {
		Messages []struct {
			ID   int   `json:"id"`
			Date int64 `json:"date"`
		} `json:"messages"`
	}
	resp, err := http.Get(s.url + "/api/chat?id=" + strconv.FormatInt(CoordinatorID, 10))
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&chat)
	resp.Body.Close()
	if err != nil || len(chat.Messages) == 0 || len(shown) != len(chat.Messages) {
		t.Fatalf("chat %+v (%v), page %+v", chat, err, shown)
	}
	loc := s.sb.opts.Location
	for i, m := range chat.Messages {
		want := time.Unix(m.Date, 0).In(loc).Format("15:04")
		if got := strings.TrimSpace(strings.TrimPrefix(shown[i].Meta, "đã sửa")); got != want {
			t.Errorf("message %d sent at %s: the bubble says %q, want %s (%s)", m.ID, time.Unix(m.Date, 0).UTC().Format(time.RFC3339), got, want, loc)
		}
	}

	// The picker shows names.
	do("open the invite link", clickJS(`[...document.querySelectorAll('.msg.in a[href*="start="]')].pop()`),
		chromedp.WaitVisible(chromedp.ID("picker")))
	var picks []struct {
		Name  string  `json:"name"`
		Width float64 `json:"width"`
		Want  string  `json:"want"`
	}
	eval(`[...document.querySelectorAll('.pick')].map(b => { const n = b.querySelector('.person-name'); const p = S.personas.find(x => String(x.id) === b.dataset.persona);
		return {name: n ? n.innerText : '', width: n ? n.getBoundingClientRect().width : 0, want: p.first + ' ' + p.last}; })`, &picks)
	if len(picks) < 3 {
		t.Fatalf("picker: %+v", picks)
	}
	for _, p := range picks {
		if p.Width == 0 || strings.TrimSpace(p.Name) != p.Want {
			t.Errorf("picker shows %q (%.0f px wide) for %q", p.Name, p.Width, p.Want)
		}
	}
	shot("sandbox-phone-picker.png")
	do("cancel the picker", chromedp.Click(chromedp.ID("picker-cancel")))

	// The import preview fits the screen.
	file, err := filepath.Abs("testdata/plan-preview.csv")
	if err != nil {
		t.Fatal(err)
	}
	n = count()
	do("send the plan", chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}))
	waitBot(t, ctx, n, "12/KH-UBND")
	n = count()
	do("name the plan", chromedp.SendKeys(chromedp.ID("input"), "12/KH-UBND 15/01/2027 Kế hoạch chuyển đổi số năm 2027"), chromedp.Click(chromedp.ID("send")))
	waitBot(t, ctx, n, "Xem trước")
	waitFor("the preview's buttons", `[...document.querySelectorAll('.msg.in')].pop().querySelectorAll('.kb-row button').length > 0`)
	var wide []string
	eval(`[...document.querySelectorAll('#messages *')].filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > innerWidth + 0.5 || r.left < -0.5); })
		.map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().left) + '…' + Math.round(e.getBoundingClientRect().right) + ' (scroll ' + e.scrollWidth + '/' + e.clientWidth + '): ' + e.textContent.slice(0, 60))`, &wide)
	for _, w := range wide {
		t.Errorf("wider than the 390 px screen in the import preview: %s", w)
	}
	do("scroll to the preview's buttons", clickJS(`(() => { const b = [...document.querySelectorAll('.msg.in')].pop().querySelector('.kb'); b.scrollIntoView({block: 'end'}); return b; })()`))
	shot("sandbox-phone-import.png")

	// Time travel says it runs with today's states, in the person's language.
	do("open time travel", chromedp.Click(chromedp.CSS(`#tt summary`)))
	waitFor("the note on today's states", `(document.querySelector('#tt-note')?.innerText || '').includes('trạng thái hôm nay')`)
	shot("sandbox-phone-timetravel.png")
	do("close time travel", chromedp.Click(chromedp.CSS(`#tt summary`)))
	do("English", chromedp.SetValue(chromedp.ID("lang"), "en"), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`document.querySelector('#lang').dispatchEvent(new Event('change')), true`)(ctx, t)
		return err
	}))
	do("open time travel", chromedp.Click(chromedp.CSS(`#tt summary`)))
	waitFor("the note in English", `(document.querySelector('#tt-note')?.innerText || '').includes("today's states")`)
}
