package tgserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/testkit"
)

const testToken = "123456:TEST-token_abc"

var alice = User{ID: 501, FirstName: "Lan", LastName: "Nguyễn", Username: "lan_ng", LanguageCode: "vi"}
var bob = User{ID: 502, FirstName: "Minh", LanguageCode: "en"}

// safety is the context deadline used as a safety net for waits; tests never
// assert durations.
func safety(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newServer(t *testing.T, opts Options) *Server {
	t.Helper()
	if opts.Token == "" {
		opts.Token = testToken
	}
	srv := New(opts)
	if _, err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func newBot(t *testing.T, srv *Server) *tgbotapi.BotAPI {
	t.Helper()
	bot, err := tgbotapi.NewBotAPIWithClient(testToken, srv.APIEndpoint(), &http.Client{Timeout: 20 * time.Second})
	if err != nil {
		t.Fatalf("NewBotAPIWithClient: %v", err)
	}
	return bot
}

func setup(t *testing.T, opts Options) (*Server, *tgbotapi.BotAPI) {
	srv := newServer(t, opts)
	return srv, newBot(t, srv)
}

func apiErr(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error, got nil")
	}
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("expected *tgbotapi.Error, got %T: %v", err, err)
	}
	return e
}

// fetch reads all pending updates without confirming them.
func fetch(t *testing.T, bot *tgbotapi.BotAPI, offset int) []tgbotapi.Update {
	t.Helper()
	u := tgbotapi.NewUpdate(offset)
	ups, err := bot.GetUpdates(u)
	if err != nil {
		t.Fatalf("GetUpdates: %v", err)
	}
	return ups
}

// next fetches exactly one update and confirms it.
func next(t *testing.T, bot *tgbotapi.BotAPI, id int) tgbotapi.Update {
	t.Helper()
	ups := fetch(t, bot, id)
	if len(ups) == 0 || ups[0].UpdateID != id {
		t.Fatalf("expected update %d first, got %+v", id, ups)
	}
	fetch(t, bot, id+1)
	return ups[0]
}

func TestGetMe(t *testing.T) {
	srv, bot := setup(t, Options{BotID: 777, BotUsername: "agency_bot", BotName: "Agency"})
	if bot.Self.ID != 777 || bot.Self.UserName != "agency_bot" || bot.Self.FirstName != "Agency" || !bot.Self.IsBot {
		t.Fatalf("unexpected self: %+v", bot.Self)
	}
	if srv.Calls("getMe") != 1 || srv.Calls("GETME") != 1 {
		t.Fatalf("getMe calls = %d", srv.Calls("getMe"))
	}
	if !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") || srv.APIEndpoint() != srv.URL()+"/bot%s/%s" {
		t.Fatalf("URL %q endpoint %q", srv.URL(), srv.APIEndpoint())
	}
}

func TestUnauthorizedAndUnknownMethod(t *testing.T) {
	srv, bot := setup(t, Options{})
	_, err := tgbotapi.NewBotAPIWithClient("999:wrong", srv.APIEndpoint(), &http.Client{})
	if e := apiErr(t, err); e.Code != 401 || e.Message != "Unauthorized" {
		t.Fatalf("wrong token: %+v", e)
	}
	_, err = bot.MakeRequest("noSuchMethod", nil)
	if e := apiErr(t, err); e.Code != 404 || e.Message != "Not Found" {
		t.Fatalf("unknown method: %+v", e)
	}
	resp, err := http.Get(srv.URL() + "/bot999:wrong/getMe")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 401 || string(body) != `{"ok":false,"error_code":401,"description":"Unauthorized"}` {
		t.Fatalf("raw 401: %d %s", resp.StatusCode, body)
	}
}

func TestGetUpdatesOffsetSemantics(t *testing.T) {
	srv, bot := setup(t, Options{})
	id1 := srv.SendText(alice, "one")
	id2 := srv.SendText(alice, "two")
	id3 := srv.SendText(bob, "three")
	if id1 != 1 || id2 != 2 || id3 != 3 {
		t.Fatalf("update ids %d %d %d", id1, id2, id3)
	}

	// Without an offset nothing is confirmed.
	if ups := fetch(t, bot, 0); len(ups) != 3 {
		t.Fatalf("want 3 updates, got %d", len(ups))
	}
	if ups := fetch(t, bot, 0); len(ups) != 3 || ups[0].Message.Text != "one" {
		t.Fatalf("updates must stay until confirmed: %+v", ups)
	}
	// limit
	u := tgbotapi.NewUpdate(0)
	u.Limit = 2
	if ups, err := bot.GetUpdates(u); err != nil || len(ups) != 2 {
		t.Fatalf("limit 2: %d %v", len(ups), err)
	}
	// offset=id2 confirms id1 for good.
	ups := fetch(t, bot, id2)
	if len(ups) != 2 || ups[0].UpdateID != id2 || ups[1].UpdateID != id3 {
		t.Fatalf("offset %d: %+v", id2, ups)
	}
	if ups := fetch(t, bot, 0); len(ups) != 2 || ups[0].UpdateID != id2 {
		t.Fatalf("confirmed update came back: %+v", ups)
	}
	if srv.PendingUpdates() != 2 {
		t.Fatalf("pending = %d", srv.PendingUpdates())
	}

	// A negative offset returns the last ones and forgets the rest.
	id4 := srv.SendText(bob, "four")
	ups = fetch(t, bot, -1)
	if len(ups) != 1 || ups[0].UpdateID != id4 || ups[0].Message.Text != "four" {
		t.Fatalf("offset -1: %+v", ups)
	}
	if ups := fetch(t, bot, 0); len(ups) != 1 || ups[0].UpdateID != id4 {
		t.Fatalf("after offset -1: %+v", ups)
	}
	if ups := fetch(t, bot, id4+1); len(ups) != 0 {
		t.Fatalf("after confirming all: %+v", ups)
	}

	srv.SetUpdateID(1000)
	if id := srv.SendText(alice, "x"); id != 1000 {
		t.Fatalf("SetUpdateID: got %d", id)
	}
}

func TestLongPollReturnsWhenUpdatePushed(t *testing.T) {
	srv, bot := setup(t, Options{})
	ctx := safety(t)
	type result struct {
		ups []tgbotapi.Update
		err error
	}
	done := make(chan result, 1)
	go func() {
		u := tgbotapi.NewUpdate(0)
		u.Timeout = 15
		ups, err := bot.GetUpdates(u)
		done <- result{ups, err}
	}()
	// Push only once the poll is really waiting, so the wake-up path is
	// what gets tested.
	if err := srv.WaitStats(ctx, func(st Stats) bool { return st.ActivePolls == 1 }); err != nil {
		t.Fatal(err)
	}
	id := srv.SendText(alice, "hello")
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		if len(r.ups) != 1 || r.ups[0].UpdateID != id || r.ups[0].Message.Text != "hello" {
			t.Fatalf("long poll got %+v", r.ups)
		}
	case <-ctx.Done():
		t.Fatal("long poll did not return")
	}
}

func TestLongPollTimeoutReturnsEmpty(t *testing.T) {
	_, bot := setup(t, Options{})
	u := tgbotapi.NewUpdate(0)
	u.Timeout = 1
	ups, err := bot.GetUpdates(u)
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 0 {
		t.Fatalf("want no updates, got %+v", ups)
	}
}

func TestLongPollEndsWhenClientDisconnects(t *testing.T) {
	srv := newServer(t, Options{})
	ctx := safety(t)
	reqCtx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(reqCtx, http.MethodGet, srv.URL()+"/bot"+testToken+"/getUpdates?timeout=30", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	if err := srv.WaitStats(ctx, func(st Stats) bool { return st.ActivePolls == 1 }); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("expected the cancelled request to fail")
	}
	if err := srv.WaitStats(ctx, func(st Stats) bool { return st.ActivePolls == 0 }); err != nil {
		t.Fatal("server kept the abandoned long poll:", err)
	}
}

func TestExclusivePolling(t *testing.T) {
	srv, bot := setup(t, Options{ExclusivePolling: true})
	ctx := safety(t)
	errc := make(chan error, 1)
	go func() {
		u := tgbotapi.NewUpdate(0)
		u.Timeout = 15
		_, err := bot.GetUpdates(u)
		errc <- err
	}()
	if err := srv.WaitStats(ctx, func(st Stats) bool { return st.ActivePolls == 1 }); err != nil {
		t.Fatal(err)
	}
	fetch(t, bot, 0) // a second poller
	if e := apiErr(t, <-errc); e.Code != 409 || !strings.HasPrefix(e.Message, "Conflict: terminated by other getUpdates request") {
		t.Fatalf("got %+v", e)
	}
}

func inlineKB() tgbotapi.InlineKeyboardMarkup {
	return tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData("Có", "yes"),
			tgbotapi.NewInlineKeyboardButtonData("Không", "no"),
		),
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL("Web", "https://example.org")),
	)
}

func TestCommandAndKeyboardRoundTrip(t *testing.T) {
	srv, bot := setup(t, Options{BotUsername: "agency_bot"})
	id := srv.SendText(alice, "/start ref_42")
	up := next(t, bot, id)
	m := up.Message
	if m == nil || !m.IsCommand() || m.Command() != "start" || m.CommandArguments() != "ref_42" {
		t.Fatalf("command not recognised: %+v", m)
	}
	if m.Chat.ID != alice.ID || m.Chat.Type != "private" || m.From.ID != alice.ID || m.From.UserName != "lan_ng" || m.From.LanguageCode != "vi" {
		t.Fatalf("chat/from: %+v %+v", m.Chat, m.From)
	}

	msg := tgbotapi.NewMessage(m.Chat.ID, "Bạn có đồng ý không?")
	msg.ReplyMarkup = inlineKB()
	msg.ReplyToMessageID = m.MessageID
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	if sent.MessageID != m.MessageID+1 || sent.From.ID != bot.Self.ID || sent.Chat.ID != alice.ID || sent.Text != "Bạn có đồng ý không?" || sent.Date == 0 {
		t.Fatalf("returned message: %+v", sent)
	}
	if sent.ReplyMarkup == nil || len(sent.ReplyMarkup.InlineKeyboard) != 2 || *sent.ReplyMarkup.InlineKeyboard[0][1].CallbackData != "no" {
		t.Fatalf("returned markup: %+v", sent.ReplyMarkup)
	}
	if sent.ReplyToMessage == nil || sent.ReplyToMessage.Text != "/start ref_42" {
		t.Fatalf("reply_to_message: %+v", sent.ReplyToMessage)
	}

	recs := srv.SentTo(alice.ID)
	if len(recs) != 1 || recs[0].Method != "sendMessage" || recs[0].MessageID != sent.MessageID || recs[0].ReplyToMessageID != m.MessageID {
		t.Fatalf("Sent: %+v", recs)
	}
	var kb tgbotapi.InlineKeyboardMarkup
	if err := json.Unmarshal(recs[0].ReplyMarkup, &kb); err != nil || kb.InlineKeyboard[0][0].Text != "Có" {
		t.Fatalf("recorded markup %s: %v", recs[0].ReplyMarkup, err)
	}
	if recs[0].Params["chat_id"] != fmt.Sprint(alice.ID) {
		t.Fatalf("params: %v", recs[0].Params)
	}
	msgs := srv.Messages(alice.ID)
	if len(msgs) != 1 || msgs[0].Text != "Bạn có đồng ý không?" || len(msgs[0].ReplyMarkup) == 0 {
		t.Fatalf("Messages: %+v", msgs)
	}
	if h := srv.History(alice.ID); len(h) != 2 || h[0].From.ID != alice.ID {
		t.Fatalf("History: %+v", h)
	}

	// Replying to a message that does not exist fails like on Telegram.
	bad := tgbotapi.NewMessage(alice.ID, "x")
	bad.ReplyToMessageID = 999
	if _, err := bot.Send(bad); !strings.Contains(apiErr(t, err).Message, "message to be replied not found") {
		t.Fatalf("got %v", err)
	}

	// A reply keyboard is tracked per chat, not attached to the message.
	rk := tgbotapi.NewMessage(alice.ID, "Chọn")
	rk.ReplyMarkup = tgbotapi.NewReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButton("Hà Giang")))
	if _, err := bot.Send(rk); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(srv.Keyboard(alice.ID)), "Hà Giang") {
		t.Fatalf("keyboard: %s", srv.Keyboard(alice.ID))
	}
	rm := tgbotapi.NewMessage(alice.ID, "OK")
	rm.ReplyMarkup = tgbotapi.NewRemoveKeyboard(false)
	if _, err := bot.Send(rm); err != nil {
		t.Fatal(err)
	}
	if srv.Keyboard(alice.ID) != nil {
		t.Fatalf("keyboard not removed: %s", srv.Keyboard(alice.ID))
	}
}

func TestPressButtonEditAndDelete(t *testing.T) {
	srv, bot := setup(t, Options{})
	msg := tgbotapi.NewMessage(alice.ID, "<b>Xác nhận</b> lịch hẹn?")
	msg.ParseMode = tgbotapi.ModeHTML
	msg.ReplyMarkup = inlineKB()
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}

	id := srv.PressButton(alice, sent.MessageID, "yes")
	up := next(t, bot, id)
	q := up.CallbackQuery
	if q == nil || q.ID == "" || q.Data != "yes" || q.From.ID != alice.ID || q.ChatInstance == "" {
		t.Fatalf("callback: %+v", q)
	}
	if q.Message == nil || q.Message.MessageID != sent.MessageID || q.Message.Chat.ID != alice.ID || q.Message.Text != "Xác nhận lịch hẹn?" {
		t.Fatalf("callback message: %+v", q.Message)
	}
	if len(q.Message.Entities) != 1 || q.Message.Entities[0].Type != "bold" || q.Message.Entities[0].Length != 8 {
		t.Fatalf("entities: %+v", q.Message.Entities)
	}
	if q.Message.ReplyMarkup == nil || q.Message.ReplyMarkup.InlineKeyboard[0][0].Text != "Có" {
		t.Fatalf("callback markup: %+v", q.Message.ReplyMarkup)
	}

	if _, err := bot.Request(tgbotapi.NewCallbackWithAlert(q.ID, "Đã xác nhận")); err != nil {
		t.Fatal(err)
	}
	cbs := srv.Callbacks()
	if len(cbs) != 1 || cbs[0].ID != q.ID || cbs[0].Text != "Đã xác nhận" || !cbs[0].ShowAlert {
		t.Fatalf("Callbacks: %+v", cbs)
	}
	if _, err := bot.Request(tgbotapi.NewCallback(q.ID, "")); !strings.Contains(apiErr(t, err).Message, "query ID is invalid") {
		t.Fatalf("second answer: %v", err)
	}
	if _, err := bot.Request(tgbotapi.NewCallback("nope", "")); apiErr(t, err).Code != 400 {
		t.Fatal("unknown callback id accepted")
	}

	// PressButtonText finds the data by the label.
	id, err = srv.PressButtonText(alice, sent.MessageID, "Không")
	if err != nil {
		t.Fatal(err)
	}
	if up := next(t, bot, id); up.CallbackQuery.Data != "no" {
		t.Fatalf("PressButtonText data %q", up.CallbackQuery.Data)
	}

	// Edit text keeping the keyboard.
	edit := tgbotapi.NewEditMessageTextAndMarkup(alice.ID, sent.MessageID, "Đã xác nhận ✅", inlineKB())
	edited, err := bot.Send(edit)
	if err != nil {
		t.Fatal(err)
	}
	if edited.Text != "Đã xác nhận ✅" || edited.EditDate == 0 || edited.ReplyMarkup == nil {
		t.Fatalf("edited: %+v", edited)
	}
	if _, err := bot.Send(edit); !strings.HasPrefix(apiErr(t, err).Message, "Bad Request: message is not modified") {
		t.Fatalf("identical edit: %v", err)
	}
	// Same text without markup removes the keyboard (a modification).
	if _, err := bot.Send(tgbotapi.NewEditMessageText(alice.ID, sent.MessageID, "Đã xác nhận ✅")); err != nil {
		t.Fatal(err)
	}
	if m := srv.Messages(alice.ID); len(m) != 1 || m[0].ReplyMarkup != nil || m[0].Text != "Đã xác nhận ✅" {
		t.Fatalf("after edit: %+v", m)
	}
	if _, err := bot.Send(tgbotapi.NewEditMessageReplyMarkup(alice.ID, sent.MessageID, inlineKB())); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Send(tgbotapi.NewEditMessageText(alice.ID, 4242, "x")); apiErr(t, err).Message != "Bad Request: message to edit not found" {
		t.Fatalf("unknown edit: %v", err)
	}

	// Delete.
	if _, err := bot.Request(tgbotapi.NewDeleteMessage(alice.ID, sent.MessageID)); err != nil {
		t.Fatal(err)
	}
	if m := srv.Messages(alice.ID); len(m) != 0 {
		t.Fatalf("deleted message still there: %+v", m)
	}
	if _, err := bot.Request(tgbotapi.NewDeleteMessage(alice.ID, sent.MessageID)); apiErr(t, err).Code != 400 {
		t.Fatal("deleting twice succeeded")
	}

	var methods []string
	for _, r := range srv.Sent() {
		methods = append(methods, r.Method)
	}
	want := "sendMessage editMessageText editMessageText editMessageReplyMarkup deleteMessage"
	if strings.Join(methods, " ") != want {
		t.Fatalf("Sent methods: %v", methods)
	}
	st := srv.Stats()
	if st.Sends != 1 || st.Edits != 3 || st.Deletes != 1 {
		t.Fatalf("stats: %+v", st)
	}
}

func TestDocumentUploadAndDownload(t *testing.T) {
	srv, bot := setup(t, Options{})
	content := []byte("%PDF-1.4\nbáo cáo tháng 5\x00\x01\x02")
	id := srv.SendDocument(alice, "bao-cao.pdf", "application/pdf", content, "/upload tháng 5")
	up := next(t, bot, id)
	doc := up.Message.Document
	if doc == nil || doc.FileName != "bao-cao.pdf" || doc.MimeType != "application/pdf" || doc.FileSize != len(content) || doc.FileUniqueID == "" {
		t.Fatalf("document: %+v", doc)
	}
	if up.Message.Caption != "/upload tháng 5" {
		t.Fatalf("caption %q", up.Message.Caption)
	}

	// getFile + the client's own file URL (tgbotapi.FileEndpoint points to
	// api.telegram.org; HTTPClient routes it here).
	f, err := bot.GetFile(tgbotapi.FileConfig{FileID: doc.FileID})
	if err != nil {
		t.Fatal(err)
	}
	link := f.Link(bot.Token)
	if !strings.HasPrefix(link, "https://api.telegram.org/file/bot"+testToken+"/") {
		t.Fatalf("link %q", link)
	}
	got := download(t, srv.HTTPClient(), link)
	if !bytes.Equal(got, content) {
		t.Fatalf("downloaded %q, want %q", got, content)
	}
	direct, err := bot.GetFileDirectURL(doc.FileID)
	if err != nil || direct != link {
		t.Fatalf("GetFileDirectURL %q %v", direct, err)
	}
	if !bytes.Equal(download(t, http.DefaultClient, srv.FileURL(f.FilePath)), content) {
		t.Fatal("FileURL download differs")
	}

	// The bot uploads a document (multipart).
	upload := bytes.Repeat([]byte("Hà Giang;"), 1000)
	cfg := tgbotapi.NewDocument(alice.ID, tgbotapi.FileBytes{Name: "danh-sach.csv", Bytes: upload})
	cfg.Caption = "<i>Danh sách</i>"
	cfg.ParseMode = tgbotapi.ModeHTML
	sent, err := bot.Send(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if sent.Document == nil || sent.Document.FileName != "danh-sach.csv" || sent.Caption != "Danh sách" {
		t.Fatalf("sent document: %+v", sent)
	}
	recs := srv.SentTo(alice.ID)
	if len(recs) != 1 || recs[0].Method != "sendDocument" || recs[0].FileName != "danh-sach.csv" || recs[0].Caption != "<i>Danh sách</i>" || recs[0].FileID != sent.Document.FileID {
		t.Fatalf("Sent: %+v", recs)
	}
	f2, err := bot.GetFile(tgbotapi.FileConfig{FileID: sent.Document.FileID})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(download(t, srv.HTTPClient(), f2.Link(bot.Token)), upload) {
		t.Fatal("bot upload round trip differs")
	}
	// Re-sending by file_id reuses the file.
	again, err := bot.Send(tgbotapi.NewDocument(bob.ID, tgbotapi.FileID(sent.Document.FileID)))
	if err != nil || again.Document.FileID != sent.Document.FileID {
		t.Fatalf("resend by id: %+v %v", again.Document, err)
	}
	if _, err := bot.GetFile(tgbotapi.FileConfig{FileID: "nope"}); apiErr(t, err).Code != 400 {
		t.Fatal("unknown file id accepted")
	}
}

func download(t *testing.T, c *http.Client, url string) []byte {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPhotosStickersEditsChannelsGroups(t *testing.T) {
	srv, bot := setup(t, Options{})
	img := image.NewRGBA(image.Rect(0, 0, 400, 200))
	for x := 0; x < 400; x++ {
		img.Set(x, x%200, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	first := srv.SendPhoto(alice, buf.Bytes(), "ảnh hiện trường")
	srv.SendSticker(alice)
	textID := srv.SendText(alice, "sai chính tả")
	srv.EditText(alice, 3, "đúng chính tả")
	group := Chat{ID: -1001234567890, Type: "supergroup", Title: "Cán bộ xã"}
	srv.SendTextIn(group, bob, "/report@test_bot hôm nay")
	srv.ChannelPost(Chat{ID: -1009876543210, Title: "Thông báo", Username: "thongbao"}, "Tin mới")
	srv.PushRaw(json.RawMessage(`{"message":{"message_id":77,"date":1,"chat":{"id":503,"type":"private"},"from":{"id":503,"is_bot":false,"first_name":"Raw"},"text":"raw text"}}`))

	ups := fetch(t, bot, first)
	if len(ups) != 7 {
		t.Fatalf("want 7 updates, got %d", len(ups))
	}
	photo := ups[0].Message.Photo
	if len(photo) != 3 || photo[2].Width != 400 || photo[2].Height != 200 || photo[0].Width != 90 || photo[1].Width != 320 {
		t.Fatalf("photo sizes: %+v", photo)
	}
	if ups[0].Message.Caption != "ảnh hiện trường" {
		t.Fatalf("photo caption %q", ups[0].Message.Caption)
	}
	f, err := bot.GetFile(tgbotapi.FileConfig{FileID: photo[2].FileID})
	if err != nil || !bytes.Equal(download(t, srv.HTTPClient(), f.Link(bot.Token)), buf.Bytes()) {
		t.Fatalf("photo download: %v", err)
	}
	f0, err := bot.GetFile(tgbotapi.FileConfig{FileID: photo[0].FileID})
	if err != nil {
		t.Fatal(err)
	}
	thumb, _, err := image.DecodeConfig(bytes.NewReader(download(t, srv.HTTPClient(), f0.Link(bot.Token))))
	if err != nil || thumb.Width != 90 || thumb.Height != 45 {
		t.Fatalf("thumbnail %+v %v", thumb, err)
	}
	if st := ups[1].Message.Sticker; st == nil || st.FileID == "" || st.Width != 512 {
		t.Fatalf("sticker: %+v", st)
	}
	if ups[2].UpdateID != textID || ups[2].Message.Text != "sai chính tả" {
		t.Fatalf("text: %+v", ups[2].Message)
	}
	if e := ups[3].EditedMessage; e == nil || e.MessageID != 3 || e.Text != "đúng chính tả" || e.EditDate == 0 {
		t.Fatalf("edited: %+v", e)
	}
	g := ups[4].Message
	if g.Chat.ID != group.ID || g.Chat.Type != "supergroup" || g.Chat.Title != "Cán bộ xã" || g.Command() != "report" || g.CommandArguments() != "hôm nay" {
		t.Fatalf("group message: %+v", g)
	}
	if cp := ups[5].ChannelPost; cp == nil || cp.Chat.Type != "channel" || cp.SenderChat == nil || cp.From != nil || cp.Text != "Tin mới" {
		t.Fatalf("channel post: %+v", cp)
	}
	if r := ups[6].Message; r == nil || r.MessageID != 77 || r.Text != "raw text" || ups[6].UpdateID != ups[5].UpdateID+1 {
		t.Fatalf("raw: %+v", ups[6])
	}
	// The bot can reply to the raw message, and address the channel by
	// username.
	reply := tgbotapi.NewMessage(503, "ok")
	reply.ReplyToMessageID = 77
	if _, err := bot.Send(reply); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Send(tgbotapi.NewMessageToChannel("@thongbao", "Đã nhận")); err != nil {
		t.Fatal(err)
	}
	if m := srv.Messages(-1009876543210); len(m) != 1 || m[0].Text != "Đã nhận" {
		t.Fatalf("channel messages: %+v", m)
	}

	// ReplyTo embeds the stored bot message.
	sent, err := bot.Send(tgbotapi.NewMessage(alice.ID, "Nhập địa chỉ:"))
	if err != nil {
		t.Fatal(err)
	}
	id := srv.ReplyTo(alice, sent.MessageID, "Thôn 3")
	up := next(t, bot, id)
	if rt := up.Message.ReplyToMessage; rt == nil || rt.MessageID != sent.MessageID || rt.Text != "Nhập địa chỉ:" || rt.From.ID != bot.Self.ID {
		t.Fatalf("reply_to_message: %+v", up.Message.ReplyToMessage)
	}

	// The bot sends a photo.
	p, err := bot.Send(tgbotapi.NewPhoto(alice.ID, tgbotapi.FileBytes{Name: "map.png", Bytes: buf.Bytes()}))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Photo) != 3 || p.Photo[2].Width != 400 {
		t.Fatalf("bot photo: %+v", p.Photo)
	}
	last := srv.SentTo(alice.ID)
	if r := last[len(last)-1]; r.Method != "sendPhoto" || r.FileName != "map.png" {
		t.Fatalf("photo record: %+v", r)
	}
}

func TestHTMLValidation(t *testing.T) {
	_, bot := setup(t, Options{})
	send := func(text string) (tgbotapi.Message, error) {
		m := tgbotapi.NewMessage(alice.ID, text)
		m.ParseMode = tgbotapi.ModeHTML
		return bot.Send(m)
	}
	for _, bad := range []string{"<b>x", "a < b", "<b>x</i>", "<br>", "Tên: <script>", "</b>"} {
		_, err := send(bad)
		e := apiErr(t, err)
		if e.Code != 400 || !strings.HasPrefix(e.Message, "Bad Request: can't parse entities: ") {
			t.Errorf("%q: got %+v", bad, e)
		}
	}
	m, err := send("a &lt; b &amp;&amp; c &gt; d &quot;x&quot; &#8364; &copy;")
	if err != nil {
		t.Fatal(err)
	}
	if m.Text != `a < b && c > d "x" € &copy;` {
		t.Fatalf("decoded text %q", m.Text)
	}
	m, err = send(`<b>Đậm</b> <a href="https://t.me/x?a=1&amp;b=2">link</a> <span class="tg-spoiler">bí mật</span> <pre><code class="language-go">x := 1</code></pre>`)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Entities) != 4 || m.Entities[1].Type != "text_link" || m.Entities[1].URL != "https://t.me/x?a=1&b=2" || m.Entities[3].Type != "pre" || m.Entities[3].Language != "go" {
		t.Fatalf("entities: %+v", m.Entities)
	}
	// Plain text (no parse_mode) may contain anything.
	if _, err := bot.Send(tgbotapi.NewMessage(alice.ID, "a < b <b>")); err != nil {
		t.Fatal(err)
	}
	if _, err := send("<b></b>"); apiErr(t, err).Message != "Bad Request: message text is empty" {
		t.Fatalf("empty after parsing: %v", err)
	}
}

func TestTextLimits(t *testing.T) {
	_, bot := setup(t, Options{})
	if _, err := bot.Send(tgbotapi.NewMessage(alice.ID, strings.Repeat("ă", 4096))); err != nil {
		t.Fatalf("4096 chars rejected: %v", err)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(alice.ID, strings.Repeat("ă", 4097))); apiErr(t, err).Message != "Bad Request: message is too long" {
		t.Fatalf("4097: %v", err)
	}
	// Limits count UTF-16 code units: an emoji outside the BMP counts 2.
	if _, err := bot.Send(tgbotapi.NewMessage(alice.ID, strings.Repeat("😀", 2049))); apiErr(t, err).Message != "Bad Request: message is too long" {
		t.Fatalf("emoji: %v", err)
	}
	// HTML tags do not count.
	m := tgbotapi.NewMessage(alice.ID, "<b>"+strings.Repeat("x", 4096)+"</b>")
	m.ParseMode = tgbotapi.ModeHTML
	if _, err := bot.Send(m); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(alice.ID, "")); apiErr(t, err).Message != "Bad Request: message text is empty" {
		t.Fatalf("empty: %v", err)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(0, "x")); apiErr(t, err).Message != "Bad Request: chat_id is empty" {
		t.Fatalf("no chat: %v", err)
	}
	long := tgbotapi.NewMessage(alice.ID, "x")
	long.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("x", strings.Repeat("d", 65))))
	if _, err := bot.Send(long); apiErr(t, err).Message != "Bad Request: BUTTON_DATA_INVALID" {
		t.Fatalf("65-byte callback data: %v", err)
	}
}

func TestFailNext429(t *testing.T) {
	srv, bot := setup(t, Options{})
	srv.FailNext("sendMessage", 1, http.StatusTooManyRequests, 7)
	_, err := bot.Send(tgbotapi.NewMessage(alice.ID, "xin chào"))
	e := apiErr(t, err)
	if e.Code != 429 || e.RetryAfter != 7 || e.Message != "Too Many Requests: retry after 7" {
		t.Fatalf("got %+v", e)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(alice.ID, "xin chào")); err != nil {
		t.Fatalf("second send: %v", err)
	}
	// Multipart uploads go through the client's other code path.
	srv.FailNext("sendDocument", 1, 429, 0)
	_, err = bot.Send(tgbotapi.NewDocument(alice.ID, tgbotapi.FileBytes{Name: "a.txt", Bytes: []byte("a")}))
	if e := apiErr(t, err); e.RetryAfter != 1 {
		t.Fatalf("upload 429: %+v", e)
	}
	st := srv.Stats()
	if st.TooMany != 2 || st.Sends != 1 || len(srv.Sent()) != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestFailNextServerErrors(t *testing.T) {
	srv, bot := setup(t, Options{})
	srv.FailNext("", 2, http.StatusBadGateway, 0)
	if _, err := bot.GetMe(); apiErr(t, err).Code != 502 {
		t.Fatal("first call did not fail")
	}
	if _, err := bot.Send(tgbotapi.NewMessage(alice.ID, "x")); apiErr(t, err).Message != "Bad Gateway" {
		t.Fatal("second call did not fail")
	}
	if _, err := bot.Send(tgbotapi.NewMessage(alice.ID, "x")); err != nil {
		t.Fatal(err)
	}
	srv.FailNext("getUpdates", 1, 500, 0)
	if _, err := bot.GetUpdates(tgbotapi.NewUpdate(0)); apiErr(t, err).Code != 500 {
		t.Fatal("getUpdates did not fail")
	}
	if st := srv.Stats(); st.ServerErrors != 3 || st.Sends != 1 {
		t.Fatalf("stats %+v", st)
	}
	if srv.Calls("sendMessage") != 2 {
		t.Fatalf("calls %d", srv.Calls("sendMessage"))
	}
}

func TestRateLimitExceeded(t *testing.T) {
	clk := testkit.NewManual(time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC))
	srv, bot := setup(t, Options{GlobalPerSecond: 5, Clock: clk.Now})
	ok, limited := 0, 0
	for i := 0; i < 12; i++ {
		_, err := bot.Send(tgbotapi.NewMessage(int64(1000+i), "nhắc lịch"))
		if err == nil {
			ok++
			continue
		}
		e := apiErr(t, err)
		if e.Code != 429 || e.RetryAfter < 1 {
			t.Fatalf("got %+v", e)
		}
		limited++
	}
	if ok != 5 || limited != 7 {
		t.Fatalf("ok=%d limited=%d", ok, limited)
	}
	if st := srv.Stats(); st.TooMany != 7 || st.Sends != 5 {
		t.Fatalf("stats %+v", st)
	}
	// After waiting retry_after the bucket has refilled.
	clk.Advance(time.Second)
	if _, err := bot.Send(tgbotapi.NewMessage(1, "x")); err != nil {
		t.Fatal(err)
	}

	// Per chat: 1 msg/s to a chat, other chats unaffected; non-sending
	// methods never count.
	srv.SetRateLimit(0, 1)
	if _, err := bot.Send(tgbotapi.NewMessage(alice.ID, "1")); err != nil {
		t.Fatal(err)
	}
	_, err := bot.Send(tgbotapi.NewMessage(alice.ID, "2"))
	if e := apiErr(t, err); e.Code != 429 || e.RetryAfter != 1 {
		t.Fatalf("per chat: %+v", e)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(bob.ID, "1")); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := bot.Request(tgbotapi.NewChatAction(alice.ID, tgbotapi.ChatTyping)); err != nil {
			t.Fatal(err)
		}
	}
	// A slow limit gives a longer retry_after.
	srv.SetRateLimit(0.25, 0)
	if _, err := bot.Send(tgbotapi.NewMessage(1, "a")); err != nil {
		t.Fatal(err)
	}
	_, err = bot.Send(tgbotapi.NewMessage(1, "b"))
	if e := apiErr(t, err); e.RetryAfter != 4 {
		t.Fatalf("0.25/s: %+v", e)
	}
}

func TestRateLimitPacedClientNeverLimited(t *testing.T) {
	clk := testkit.NewManual(time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC))
	srv, bot := setup(t, Options{GlobalPerSecond: 30, PerChatPerSecond: 1, Clock: clk.Now})
	// 25 msg/s overall, each chat once per 1.2 s.
	for i := 0; i < 300; i++ {
		chat := int64(2000 + i%30)
		if _, err := bot.Send(tgbotapi.NewMessage(chat, fmt.Sprintf("nhắc %d", i))); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		clk.Advance(40 * time.Millisecond)
	}
	if st := srv.Stats(); st.TooMany != 0 || st.Sends != 300 {
		t.Fatalf("stats %+v", st)
	}
}

func TestBlockUser(t *testing.T) {
	srv, bot := setup(t, Options{})
	sent, err := bot.Send(tgbotapi.NewMessage(alice.ID, "trước"))
	if err != nil {
		t.Fatal(err)
	}
	srv.BlockUser(alice.ID)
	_, err = bot.Send(tgbotapi.NewMessage(alice.ID, "x"))
	if e := apiErr(t, err); e.Code != 403 || e.Message != "Forbidden: bot was blocked by the user" {
		t.Fatalf("got %+v", e)
	}
	if _, err := bot.Send(tgbotapi.NewEditMessageText(alice.ID, sent.MessageID, "y")); apiErr(t, err).Code != 403 {
		t.Fatal("edit in blocked chat succeeded")
	}
	if _, err := bot.Send(tgbotapi.NewMessage(bob.ID, "x")); err != nil {
		t.Fatal(err)
	}
	srv.UnblockUser(alice.ID)
	if _, err := bot.Send(tgbotapi.NewMessage(alice.ID, "sau")); err != nil {
		t.Fatal(err)
	}
	if st := srv.Stats(); st.Forbidden != 2 || st.Sends != 3 {
		t.Fatalf("stats %+v", st)
	}
}

func TestSetMyCommandsPerLanguage(t *testing.T) {
	srv, bot := setup(t, Options{})
	vi := []tgbotapi.BotCommand{{Command: "start", Description: "Bắt đầu"}, {Command: "lich_hen", Description: "Lịch hẹn"}}
	en := []tgbotapi.BotCommand{{Command: "start", Description: "Start"}}
	if _, err := bot.Request(tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "vi", vi...)); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Request(tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "en", en...)); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Request(tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeChat(123), "en", en...)); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Request(tgbotapi.NewSetMyCommands(en...)); err != nil {
		t.Fatal(err)
	}
	cmds := srv.Commands()
	if len(cmds) != 4 || len(cmds["default/vi"]) != 2 || cmds["default/vi"][1].Description != "Lịch hẹn" ||
		cmds["default/en"][0].Description != "Start" || len(cmds["chat:123/en"]) != 1 || len(cmds["default/"]) != 1 {
		t.Fatalf("Commands: %+v", cmds)
	}
	got, err := bot.GetMyCommandsWithConfig(tgbotapi.NewGetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "vi"))
	if err != nil || len(got) != 2 || got[0].Command != "start" {
		t.Fatalf("getMyCommands: %+v %v", got, err)
	}
	if _, err := bot.Request(tgbotapi.NewDeleteMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "en")); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.Commands()["default/en"]; ok {
		t.Fatal("deleteMyCommands did not delete")
	}
	_, err = bot.Request(tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "Start", Description: "x"}))
	if apiErr(t, err).Message != "Bad Request: BOT_COMMAND_INVALID" {
		t.Fatalf("uppercase command: %v", err)
	}
}

func TestJSONAndQueryParameters(t *testing.T) {
	srv := newServer(t, Options{})
	body := `{"chat_id":501,"text":"<b>JSON</b>","parse_mode":"HTML","reply_markup":{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]},"disable_notification":true}`
	resp, err := http.Post(srv.URL()+"/bot"+testToken+"/sendMessage", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		OK     bool    `json:"ok"`
		Result Message `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !out.OK || out.Result.Text != "JSON" || out.Result.Chat.ID != 501 || len(out.Result.ReplyMarkup) == 0 {
		t.Fatalf("JSON send: %+v", out)
	}
	rec := srv.Sent()[0]
	if !rec.DisableNotification || rec.ParseMode != "HTML" || rec.Text != "<b>JSON</b>" {
		t.Fatalf("record %+v", rec)
	}
	resp, err = http.Get(srv.URL() + "/bot" + testToken + "/sendMessage?chat_id=502&text=query")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(srv.SentTo(502)) != 1 {
		t.Fatalf("query send: %d", resp.StatusCode)
	}
}

// TestConversationWithUpdatesChan runs the client's own polling loop against
// the server, from several simulated users at once.
func TestConversationWithUpdatesChan(t *testing.T) {
	srv, bot := setup(t, Options{})
	ctx := safety(t)
	u := tgbotapi.NewUpdate(0)
	u.Timeout = 10
	updates := bot.GetUpdatesChan(u)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for up := range updates {
			switch {
			case up.Message != nil && up.Message.IsCommand():
				m := tgbotapi.NewMessage(up.Message.Chat.ID, "Chọn:")
				m.ReplyMarkup = inlineKB()
				bot.Send(m)
			case up.Message != nil:
				bot.Send(tgbotapi.NewMessage(up.Message.Chat.ID, "echo: "+up.Message.Text))
			case up.CallbackQuery != nil:
				bot.Request(tgbotapi.NewCallback(up.CallbackQuery.ID, "ok"))
				bot.Send(tgbotapi.NewEditMessageText(up.CallbackQuery.Message.Chat.ID, up.CallbackQuery.Message.MessageID, "Bạn chọn "+up.CallbackQuery.Data))
			}
		}
	}()
	t.Cleanup(func() {
		bot.StopReceivingUpdates()
		srv.Close()
		wg.Wait()
	})

	const users = 20
	var uw sync.WaitGroup
	for i := 0; i < users; i++ {
		uw.Add(1)
		go func(i int) {
			defer uw.Done()
			user := User{ID: int64(10000 + i), FirstName: fmt.Sprintf("U%d", i)}
			srv.SendText(user, "/start")
			srv.SendText(user, fmt.Sprintf("tin %d", i))
		}(i)
	}
	uw.Wait()
	if _, err := srv.WaitSent(ctx, 2*users); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < users; i++ {
		chat := int64(10000 + i)
		var kbMsg int
		for _, m := range srv.Messages(chat) {
			if m.Text == "Chọn:" {
				kbMsg = m.MessageID
			}
		}
		if kbMsg == 0 {
			t.Fatalf("chat %d: no keyboard message in %+v", chat, srv.Messages(chat))
		}
		if _, err := srv.PressButtonText(User{ID: chat, FirstName: "U"}, kbMsg, "Có"); err != nil {
			t.Fatal(err)
		}
	}
	err := srv.WaitFor(ctx, func(s []Sent) bool {
		edits := 0
		for _, r := range s {
			if r.Method == "editMessageText" {
				edits++
			}
		}
		return edits == users
	})
	if err != nil {
		t.Fatal(err)
	}
	if cbs, err := srv.WaitCallbacks(ctx, users); err != nil || len(cbs) != users {
		t.Fatalf("callbacks: %d %v", len(cbs), err)
	}
	for i := 0; i < users; i++ {
		chat := int64(10000 + i)
		texts := map[string]bool{}
		for _, m := range srv.Messages(chat) {
			texts[m.Text] = true
		}
		if !texts["Bạn chọn yes"] || !texts[fmt.Sprintf("echo: tin %d", i)] {
			t.Fatalf("chat %d: %v", chat, texts)
		}
	}
}

func TestInProcessClientWithDefaultEndpoint(t *testing.T) {
	srv := New(Options{Token: testToken, BotUsername: "inproc_bot"})
	defer srv.Close()
	bot, err := tgbotapi.NewBotAPIWithClient(testToken, tgbotapi.APIEndpoint, srv.InProcessClient())
	if err != nil {
		t.Fatal(err)
	}
	if bot.Self.UserName != "inproc_bot" {
		t.Fatalf("self %+v", bot.Self)
	}
	id := srv.SendDocument(alice, "a.txt", "", []byte("nội dung"), "")
	up := next(t, bot, id)
	f, err := bot.GetFile(tgbotapi.FileConfig{FileID: up.Message.Document.FileID})
	if err != nil {
		t.Fatal(err)
	}
	if got := download(t, srv.InProcessClient(), f.Link(bot.Token)); string(got) != "nội dung" {
		t.Fatalf("download %q", got)
	}
	if _, err := bot.Send(tgbotapi.NewDocument(alice.ID, tgbotapi.FileBytes{Name: "b.txt", Bytes: []byte("b")})); err != nil {
		t.Fatal(err)
	}
	if len(srv.Sent()) != 1 {
		t.Fatalf("sent %+v", srv.Sent())
	}
}

func TestRequireKnownChats(t *testing.T) {
	srv, bot := setup(t, Options{RequireKnownChats: true})
	if _, err := bot.Send(tgbotapi.NewMessage(9999, "x")); apiErr(t, err).Message != "Bad Request: chat not found" {
		t.Fatalf("unknown chat: %v", err)
	}
	srv.AddChat(Chat{ID: 9999})
	if _, err := bot.Send(tgbotapi.NewMessage(9999, "x")); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkSendMessage measures sendMessage round trips through the real
// client over the in-process transport.
func BenchmarkSendMessage(b *testing.B) {
	srv := New(Options{Token: testToken})
	defer srv.Close()
	bot, err := tgbotapi.NewBotAPIWithClient(testToken, tgbotapi.APIEndpoint, srv.InProcessClient())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := tgbotapi.NewMessage(int64(1+i%1000), "<b>Nhắc lịch</b> họp lúc 8:00")
		m.ParseMode = tgbotapi.ModeHTML
		if _, err := bot.Send(m); err != nil {
			b.Fatal(err)
		}
	}
}
