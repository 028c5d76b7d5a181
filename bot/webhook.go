package bot

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Webhook mode: Telegram POSTs each update to TELEGRAM_WEBHOOK_URL, which a
// TLS reverse proxy forwards to WebhookHandler on HTTP_ADDR. Several
// instances may sit behind one load balancer on one database: each update is
// claimed by one of them, handled on the same path as a polled update
// (handleOne, then the processed marker), and only then answered 200, so an
// update acknowledged is an update handled.

// SecretHeader carries the webhook's secret_token on every request.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// WebhookState is what webhook mode keeps in the shared database: the
// secret every instance registers and checks, and the claims that let one
// instance among several handle an update (see store.ClaimUpdate).
type WebhookState interface {
	WebhookSecret(ctx context.Context) (string, error)
	ClaimUpdate(ctx context.Context, updateID int, owner string, lease time.Duration) (bool, error)
	ReleaseUpdate(ctx context.Context, updateID int, owner string) error
}

// webhookAPI is the Bot API methods webhook mode needs besides Telegram's.
type webhookAPI interface {
	SetWebhook(url, secret string) error
	WebhookInfo() (tgbotapi.WebhookInfo, error)
}

// WebhookInfo is getWebhookInfo: what Telegram knows of the webhook.
func (c *Client) WebhookInfo() (tgbotapi.WebhookInfo, error) {
	info, err := c.api.GetWebhookInfo()
	return info, redactErr(err, c.api.Token)
}

// SetWebhook registers url with secret, for the update types the poller
// asks for, keeping the updates Telegram holds (drop_pending_updates false).
func (c *Client) SetWebhook(url, secret string) error {
	p := tgbotapi.Params{"url": url, "secret_token": secret, "allowed_updates": allowedUpdates, "drop_pending_updates": "false"}
	_, err := c.api.MakeRequest("setWebhook", p)
	return redactErr(err, c.api.Token)
}

// Claims: an update's claim lasts claimLease (a holder that died is taken
// over after it); a duplicate waits at most dupWait for the holder.
const (
	claimLease = 5 * time.Minute
	dupWait    = 50 * time.Second
	maxBody    = 10 << 20
)

// errBusy: another instance holds the update; Telegram delivers it again.
var errBusy = errors.New("another instance is handling this update")

type webhook struct {
	secret atomic.Pointer[string] // nil until Run loaded it: requests wait for it
	owner  string
	lanes  []sync.Mutex
}

// WebhookPath is the path of a webhook URL, where the handler is mounted.
func WebhookPath(webhookURL string) string {
	u, err := url.Parse(webhookURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// runWebhook registers the webhook and serves until ctx ends. Stopping
// deletes nothing: Telegram keeps the updates for the next start or the
// other instances.
func (b *Bot) runWebhook(ctx context.Context) error {
	api, ok := b.API.(webhookAPI)
	if !ok || b.Hooks == nil {
		return errors.New("webhook mode needs the Bot API client and the webhook state")
	}
	secret, err := b.Hooks.WebhookSecret(ctx)
	if err != nil {
		return err
	}
	workers := b.Workers
	if workers <= 0 {
		workers = 8
	}
	owner := make([]byte, 8)
	_, _ = rand.Read(owner)
	b.hook.owner, b.hook.lanes = hex.EncodeToString(owner), make([]sync.Mutex, workers)
	b.hook.secret.Store(&secret)
	for fails := 0; ; fails++ {
		err := api.SetWebhook(b.WebhookURL, secret)
		if err == nil {
			break
		}
		wait := pollBackoff(err, fails)
		b.log().Warn("setWebhook failed", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
	b.log().Info("receiving updates by webhook", "path", WebhookPath(b.WebhookURL))
	b.watchWebhook(ctx, api)
	return nil
}

// watchInterval is how often webhook mode asks Telegram how delivery goes
// (which also keeps /readyz's "Telegram reached" fresh when nobody writes).
const watchInterval = time.Minute

// watchWebhook logs, until ctx ends, each new delivery error Telegram
// reports, and a webhook that is no longer ours.
func (b *Bot) watchWebhook(ctx context.Context, api webhookAPI) {
	t := time.NewTicker(watchInterval)
	defer t.Stop()
	var lastErr int
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		info, err := api.WebhookInfo()
		switch {
		case err != nil:
			b.log().Warn("getWebhookInfo failed", "err", err)
		case info.URL != b.WebhookURL:
			b.log().Error("the webhook registered at Telegram is not this one: is another bot polling or using the token?")
		case info.LastErrorDate != 0 && info.LastErrorDate != lastErr:
			lastErr = info.LastErrorDate
			b.log().Warn("Telegram could not deliver to the webhook", "error", info.LastErrorMessage, "pending", info.PendingUpdateCount)
		}
	}
}

// WebhookHandler serves Telegram's webhook requests (mount it on
// WebhookPath(WebhookURL)): 401 without the right secret, 200 once the
// update is handled and marked, 500 when the database failed (Telegram
// delivers the update again).
func (b *Bot) WebhookHandler() http.Handler { return http.HandlerFunc(b.serveWebhook) }

func (b *Bot) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	secret := b.hook.secret.Load()
	if secret == nil {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(SecretHeader)), []byte(*secret)) != 1 {
		b.log().Warn("webhook request without the right secret", "remote", r.RemoteAddr)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if b.Metrics != nil {
		b.Metrics.TelegramReached(b.now())
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var u tgbotapi.Update
	if err == nil {
		err = json.Unmarshal(body, &u)
	}
	if err != nil {
		b.log().Warn("unreadable webhook update", "err", err)
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	lane := &b.hook.lanes[laneOf(u, len(b.hook.lanes))]
	lane.Lock()
	err = b.handleDelivered(r.Context(), u)
	lane.Unlock()
	if err != nil {
		b.log().Error("webhook update not handled; Telegram will deliver it again", "update_id", u.UpdateID, "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// handleDelivered handles a delivered update once among every instance: it
// returns nil when the update was handled (here or by another instance) and
// marked, else the error to answer 500 with.
func (b *Bot) handleDelivered(reqCtx context.Context, u tgbotapi.Update) error {
	ctx := context.WithoutCancel(reqCtx) // once begun, handling finishes
	wctx, cancel := context.WithTimeout(reqCtx, dupWait)
	defer cancel()
	for wait := 20 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		done, err := b.Polls.Processed(ctx, u.UpdateID)
		if err != nil || done {
			return err
		}
		got, err := b.Hooks.ClaimUpdate(ctx, u.UpdateID, b.hook.owner, claimLease)
		if err != nil {
			return err
		}
		if got {
			break
		}
		select { // another instance handles it: answer when it is done
		case <-wctx.Done():
			return errBusy
		case <-time.After(wait):
		}
	}
	defer func() {
		if err := b.Hooks.ReleaseUpdate(ctx, u.UpdateID, b.hook.owner); err != nil {
			b.log().Warn("release update claim", "update_id", u.UpdateID, "err", err)
		}
	}()
	// The holder before us may have finished between our two reads.
	if done, err := b.Polls.Processed(ctx, u.UpdateID); err != nil || done {
		return err
	}
	if failed := b.handleOne(ctx, u); unreachable(failed) {
		return fmt.Errorf("handling: %w", failed) // not marked: handled again on the next delivery
	}
	return b.markHandled(ctx, u.UpdateID)
}
