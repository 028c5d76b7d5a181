package telegram

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

	"agencybot/retry"
)

// Webhook mode: Telegram POSTs each update to TELEGRAM_WEBHOOK_URL, which a
// TLS reverse proxy forwards to WebhookHandler on HTTP_ADDR. Several
// instances may sit behind one load balancer on one database: each update is
// claimed by one of them, handled on the same path as a polled update
// (the middleware chain, then the processed marker), and only then answered
// 200, so an update acknowledged is an update handled.

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

// serveWebhook readies webhook mode with secret: this instance's claim
// owner and its lanes; requests are refused until it did.
func (rt *Runtime) serveWebhook(secret string) {
	owner := make([]byte, 8)
	_, _ = rand.Read(owner)
	rt.hook.owner, rt.hook.lanes = hex.EncodeToString(owner), make([]sync.Mutex, rt.workers())
	rt.hook.secret.Store(&secret)
}

// runWebhook registers the webhook and serves until ctx ends. Stopping
// deletes nothing: Telegram keeps the updates for the next start or the
// other instances.
func (rt *Runtime) runWebhook(ctx context.Context) error {
	if rt.Hooks == nil {
		return errors.New("webhook mode needs the webhook state")
	}
	secret, err := rt.Hooks.WebhookSecret(ctx)
	if err != nil {
		return err
	}
	rt.serveWebhook(secret)
	for fails := 0; ; fails++ {
		err := rt.API.SetWebhook(rt.WebhookURL, secret)
		if err == nil {
			break
		}
		wait := pollBackoff(err, fails)
		rt.log().Warn("setWebhook failed", "err", err, "retry_in", wait)
		if retry.Sleep(ctx, wait) != nil {
			return nil
		}
	}
	rt.log().Info("receiving updates by webhook", "path", WebhookPath(rt.WebhookURL))
	rt.watchWebhook(ctx)
	return nil
}

// watchInterval is how often webhook mode asks Telegram how delivery goes
// (which also keeps /readyz's "Telegram reached" fresh when nobody writes).
const watchInterval = time.Minute

// watchWebhook logs, until ctx ends, each new delivery error Telegram
// reports, and a webhook that is no longer ours.
func (rt *Runtime) watchWebhook(ctx context.Context) {
	t := time.NewTicker(watchInterval)
	defer t.Stop()
	var lastErr int
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		info, err := rt.API.WebhookInfo()
		switch {
		case err != nil:
			rt.log().Warn("getWebhookInfo failed", "err", err)
		case info.URL != rt.WebhookURL:
			rt.log().Error("the webhook registered at Telegram is not this one: is another bot polling or using the token?")
		case info.LastErrorDate != 0 && info.LastErrorDate != lastErr:
			lastErr = info.LastErrorDate
			rt.log().Warn("Telegram could not deliver to the webhook", "error", info.LastErrorMessage, "pending", info.PendingUpdateCount)
		}
	}
}

// WebhookHandler serves Telegram's webhook requests (mount it on
// WebhookPath(WebhookURL)): 401 without the right secret, 200 once the
// update is handled and marked, 500 when the database failed (Telegram
// delivers the update again).
func (rt *Runtime) WebhookHandler() http.Handler { return http.HandlerFunc(rt.serveHook) }

func (rt *Runtime) serveHook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	secret := rt.hook.secret.Load()
	if secret == nil {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(SecretHeader)), []byte(*secret)) != 1 {
		rt.log().Warn("webhook request without the right secret", "remote", r.RemoteAddr)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if rt.Metrics != nil {
		rt.Metrics.TelegramReached(rt.now())
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var u tgbotapi.Update
	if err == nil {
		err = json.Unmarshal(body, &u)
	}
	if err != nil {
		rt.log().Warn("unreadable webhook update", "err", err)
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	err = rt.guard(u.UpdateID, func() error {
		lane := &rt.hook.lanes[rt.laneOf(u, len(rt.hook.lanes))]
		lane.Lock()
		defer lane.Unlock()
		return rt.handleDelivered(r.Context(), u)
	})
	if err != nil {
		rt.log().Error("webhook update not handled; Telegram will deliver it again", "update_id", u.UpdateID, "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// handleDelivered handles a delivered update once among every instance: it
// returns nil when the update was handled (here or by another instance) and
// marked, else the error to answer 500 with.
func (rt *Runtime) handleDelivered(reqCtx context.Context, u tgbotapi.Update) error {
	ctx := context.WithoutCancel(reqCtx) // once begun, handling finishes
	wctx, cancel := context.WithTimeout(reqCtx, dupWait)
	defer cancel()
	for wait := 20 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		done, err := rt.Markers.Processed(ctx, u.UpdateID)
		if err != nil || done {
			return err
		}
		got, err := rt.Hooks.ClaimUpdate(ctx, u.UpdateID, rt.hook.owner, claimLease)
		if err != nil {
			return err
		}
		if got {
			break
		}
		if retry.Sleep(wctx, wait) != nil { // another instance handles it: answer when it is done
			return errBusy
		}
	}
	defer func() {
		if err := rt.Hooks.ReleaseUpdate(ctx, u.UpdateID, rt.hook.owner); err != nil {
			rt.log().Warn("release update claim", "update_id", u.UpdateID, "err", err)
		}
	}()
	// The holder before us may have finished between our two reads.
	if done, err := rt.Markers.Processed(ctx, u.UpdateID); err != nil || done {
		return err
	}
	if failed := rt.handle(ctx, u); Unreachable(failed) {
		return fmt.Errorf("handling: %w", failed) // not marked: handled again on the next delivery
	}
	return rt.markHandled(ctx, u.UpdateID)
}
