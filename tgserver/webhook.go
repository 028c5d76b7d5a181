package tgserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"agencybot/retry"
)

// SecretHeader is the header Telegram sends the webhook's secret_token in.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// WebhookInfo is the webhook the bot registered with setWebhook, as the
// server keeps it (URL "" when none).
type WebhookInfo struct {
	URL                string
	Secret             string
	AllowedUpdates     []string
	MaxConnections     int
	DropPendingUpdates bool // as asked by the last setWebhook or deleteWebhook
	// Delivered counts updates the webhook answered with 2xx; Failed counts
	// deliveries answered otherwise (or not at all), each retried later.
	Delivered, Failed int
	LastError         string
}

type webhookState struct {
	info WebhookInfo
	gen  uint64 // bumped on every setWebhook/deleteWebhook: stops the old deliverer
}

// Webhook returns the registered webhook (URL "" when none).
func (s *Server) Webhook() WebhookInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.hook.info
	w.AllowedUpdates = append([]string(nil), w.AllowedUpdates...)
	return w
}

// handleSetWebhook registers url: queued updates are then POSTed to it, in
// order, one at a time, with the secret in SecretHeader; an update is
// confirmed (removed from the queue) when the webhook answers 2xx and sent
// again otherwise. getUpdates answers 409 while a webhook is set. http URLs
// are accepted (tests listen on loopback without TLS).
func (s *Server) handleSetWebhook(c *call) (any, *apiError) {
	u := strings.TrimSpace(c.params["url"])
	if u == "" { // Telegram: an empty url removes the webhook
		return s.handleDeleteWebhook(c)
	}
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := c.params["secret_token"]
	if len(secret) > 256 || strings.IndexFunc(secret, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	}) >= 0 {
		return nil, badRequest("bad webhook: secret token contains unallowed characters")
	}
	var allowed []string
	if v := c.params["allowed_updates"]; v != "" {
		if err := json.Unmarshal([]byte(v), &allowed); err != nil {
			return nil, badRequest("can't parse allowed updates JSON")
		}
	}
	maxConn, err := intParam(c.params, "max_connections", 40)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	drop := c.params["drop_pending_updates"] == "true"
	s.mu.Lock()
	defer s.mu.Unlock()
	if drop {
		s.updates = nil
	}
	s.hook.gen++
	s.hook.info = WebhookInfo{URL: u, Secret: secret, AllowedUpdates: allowed, MaxConnections: maxConn, DropPendingUpdates: drop,
		Delivered: s.hook.info.Delivered, Failed: s.hook.info.Failed}
	go s.deliver(u, secret, s.hook.gen)
	s.notifyLocked()
	return true, nil
}

// handleDeleteWebhook removes the webhook; pending updates stay queued for
// getUpdates unless drop_pending_updates is true.
func (s *Server) handleDeleteWebhook(c *call) (any, *apiError) {
	drop := c.params["drop_pending_updates"] == "true"
	s.mu.Lock()
	defer s.mu.Unlock()
	if drop {
		s.updates = nil
	}
	s.hook.gen++
	s.hook.info = WebhookInfo{DropPendingUpdates: drop, Delivered: s.hook.info.Delivered, Failed: s.hook.info.Failed}
	close(s.updatesCh) // wake the old deliverer so that it stops
	s.updatesCh = make(chan struct{})
	s.notifyLocked()
	return true, nil
}

func (s *Server) handleGetWebhookInfo(*call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := map[string]any{"url": s.hook.info.URL, "has_custom_certificate": false, "pending_update_count": len(s.updates)}
	if s.hook.info.URL != "" {
		info["max_connections"] = s.hook.info.MaxConnections
		if len(s.hook.info.AllowedUpdates) > 0 {
			info["allowed_updates"] = s.hook.info.AllowedUpdates
		}
		if s.hook.info.LastError != "" {
			info["last_error_message"] = s.hook.info.LastError
		}
	}
	return info, nil
}

// webhookConflict is getUpdates' answer while a webhook is set.
func (s *Server) webhookConflict() *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hook.info.URL == "" {
		return nil
	}
	return &apiError{code: http.StatusConflict, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
}

// deliveryBackoff is the pause after the n-th failed delivery in a row:
// 10 ms, doubling up to a second.
var deliveryBackoff = retry.Backoff{Base: 10 * time.Millisecond, Cap: time.Second}

// deliver POSTs the queued updates to url until the webhook changes (gen)
// or the server closes.
func (s *Server) deliver(url, secret string, gen uint64) {
	client := &http.Client{Timeout: 60 * time.Second}
	ctx, cancel := context.WithCancel(context.Background()) // ends when the server closes
	defer cancel()
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	failures := 0 // in a row
	for {
		s.mu.Lock()
		if s.hook.gen != gen {
			s.mu.Unlock()
			return
		}
		if len(s.updates) == 0 {
			ch := s.updatesCh
			s.mu.Unlock()
			select {
			case <-ch:
			case <-s.done:
				return
			}
			continue
		}
		next := s.updates[0]
		s.mu.Unlock()
		err := post(ctx, client, url, secret, next.raw)
		s.mu.Lock()
		if s.hook.gen != gen {
			s.mu.Unlock()
			return
		}
		if err == nil {
			if len(s.updates) > 0 && s.updates[0].id == next.id {
				s.updates = append([]storedUpdate(nil), s.updates[1:]...)
			}
			s.hook.info.Delivered++
			failures = 0
		} else {
			s.hook.info.Failed++
			failures++
			s.hook.info.LastError = err.Error()
		}
		s.notifyLocked()
		s.mu.Unlock()
		if err != nil { // Telegram retries a failed update later, with a growing pause
			if retry.Sleep(ctx, deliveryBackoff.Delay(failures)) != nil {
				return
			}
		}
	}
}

// post delivers one update; a non-2xx answer is an error.
func post(ctx context.Context, client *http.Client, url, secret string, raw json.RawMessage) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(SecretHeader, secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		return errors.New("Connection refused") // what getWebhookInfo shows, without the URL
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("Wrong response from the webhook: %s", resp.Status)
	}
	return nil
}
