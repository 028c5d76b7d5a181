package tgserver

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// A registered webhook receives every update in order with the secret; one
// it refuses is delivered again; getUpdates is refused meanwhile; after
// deleteWebhook the rest waits for getUpdates.
func TestWebhookDeliversWithSecretAndRetries(t *testing.T) {
	srv, bot := setup(t, Options{})
	var mu sync.Mutex
	var got []int
	var secrets []string
	refuse := 1 // the first delivery is answered 500
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var u struct {
			UpdateID int `json:"update_id"`
		}
		_ = json.Unmarshal(body, &u)
		mu.Lock()
		defer mu.Unlock()
		secrets = append(secrets, r.Header.Get(SecretHeader))
		if refuse > 0 {
			refuse--
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		got = append(got, u.UpdateID)
	}))
	defer hook.Close()

	p := tgbotapi.Params{}
	p.AddNonEmpty("url", hook.URL+"/tg")
	p.AddNonEmpty("secret_token", "s3cret_-X")
	p.AddNonEmpty("allowed_updates", `["message","callback_query"]`)
	if _, err := bot.MakeRequest("setWebhook", p); err != nil {
		t.Fatal(err)
	}
	if w := srv.Webhook(); w.URL != hook.URL+"/tg" || w.Secret != "s3cret_-X" || len(w.AllowedUpdates) != 2 || w.DropPendingUpdates {
		t.Fatalf("webhook kept as %+v", w)
	}
	a := srv.SendText(alice, "một")
	b := srv.SendText(alice, "hai")
	if err := srv.WaitConfirmed(safety(t), b); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(got) != 2 || got[0] != a || got[1] != b {
		t.Errorf("delivered %v, want [%d %d] (the refused one again, in order)", got, a, b)
	}
	for _, s := range secrets {
		if s != "s3cret_-X" {
			t.Errorf("delivery with secret %q", s)
		}
	}
	mu.Unlock()
	if w := srv.Webhook(); w.Delivered != 2 || w.Failed != 1 {
		t.Errorf("delivered %d, failed %d; want 2 and 1", w.Delivered, w.Failed)
	}

	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{}); apiErr(t, err).Code != http.StatusConflict {
		t.Errorf("getUpdates with a webhook set: %v, want 409", err)
	}
	info, err := bot.GetWebhookInfo()
	if err != nil || info.URL != hook.URL+"/tg" {
		t.Errorf("getWebhookInfo: %+v, %v", info, err)
	}
	if _, err := bot.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatal(err)
	}
	c := srv.SendText(alice, "ba")
	ups := fetch(t, bot, 0)
	if len(ups) != 1 || ups[0].UpdateID != c {
		t.Errorf("after deleteWebhook getUpdates gave %d updates, want update %d", len(ups), c)
	}
	mu.Lock()
	if len(got) != 2 {
		t.Errorf("the deleted webhook received %v", got)
	}
	mu.Unlock()
}
