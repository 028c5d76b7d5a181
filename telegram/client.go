package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/config"
)

// API is the Bot API as the runtime uses it (*Client; tests pass fakes).
// Errors it returns carry no token.
type API interface {
	// Request performs one Bot API method call.
	Request(c tgbotapi.Chattable) (*tgbotapi.APIResponse, error)
	// Updates long-polls getUpdates from offset; cancelling ctx ends the poll.
	Updates(ctx context.Context, offset int, timeout time.Duration) ([]tgbotapi.Update, error)
	// Username is the bot's @username (commands addressed to others are ignored).
	Username() string
	// SetWebhook registers url with secret (webhook mode).
	SetWebhook(url, secret string) error
	// WebhookInfo is getWebhookInfo: what Telegram knows of the webhook.
	WebhookInfo() (tgbotapi.WebhookInfo, error)
}

// Client is the real Telegram: the Bot API over HTTP through tgbotapi. Its
// errors never carry the token.
type Client struct {
	api      *tgbotapi.BotAPI
	endpoint string // "…/bot%s/%s"
}

// NewClient wraps a connected tgbotapi client (see NewAPI) whose endpoint
// format is endpoint.
func NewClient(api *tgbotapi.BotAPI, endpoint string) *Client {
	return &Client{api: api, endpoint: endpoint}
}

// Connect connects to the Bot API at endpoint (getMe) and wraps the client.
func Connect(token, endpoint string, client *http.Client) (*Client, error) {
	api, err := NewAPI(token, endpoint, client)
	if err != nil {
		return nil, err
	}
	return NewClient(api, endpoint), nil
}

// Request performs one Bot API method call.
func (c *Client) Request(ch tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	resp, err := c.api.Request(ch)
	return resp, redactErr(err, c.api.Token)
}

// Username is the bot's @username.
func (c *Client) Username() string { return c.api.Self.UserName }

// allowedUpdates are the update types the bot asks for, by polling or webhook.
const allowedUpdates = `["message","edited_message","callback_query","channel_post","my_chat_member"]`

// Updates long-polls getUpdates with ctx, so shutdown does not wait for the poll.
func (c *Client) Updates(ctx context.Context, offset int, timeout time.Duration) ([]tgbotapi.Update, error) {
	form := url.Values{}
	form.Set("offset", strconv.Itoa(offset))
	form.Set("limit", "100")
	form.Set("timeout", strconv.Itoa(int(timeout.Seconds())))
	form.Set("allowed_updates", allowedUpdates)
	endpoint := fmt.Sprintf(c.endpoint, c.api.Token, "getUpdates")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, redactErr(err, c.api.Token)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.api.Client.Do(req)
	if err != nil {
		return nil, redactErr(err, c.api.Token)
	}
	defer resp.Body.Close()
	var r tgbotapi.APIResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("getUpdates: HTTP %d: unreadable answer: %w", resp.StatusCode, err)
	}
	if !r.Ok {
		e := &tgbotapi.Error{Code: r.ErrorCode, Message: r.Description}
		if r.Parameters != nil {
			e.ResponseParameters = *r.Parameters
		}
		return nil, e
	}
	var ups []tgbotapi.Update
	if err := json.Unmarshal(r.Result, &ups); err != nil {
		return nil, fmt.Errorf("getUpdates: %w", err)
	}
	return ups, nil
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

// Download fetches a file by its file_id: getFile, then a GET of the file
// URL on the same server as the Bot API. A file over max bytes is refused.
// Errors never carry the token.
func (c *Client) Download(ctx context.Context, fileID string, max int64) ([]byte, error) {
	f, err := c.api.GetFile(tgbotapi.FileConfig{FileID: fileID})
	if err != nil {
		return nil, redactErr(err, c.api.Token)
	}
	if f.FileSize > 0 && int64(f.FileSize) > max {
		return nil, fmt.Errorf("file of %d bytes is over %d", f.FileSize, max)
	}
	fileEndpoint := strings.Replace(c.endpoint, "/bot%s/%s", "/file/bot%s/%s", 1)
	if fileEndpoint == c.endpoint {
		fileEndpoint = tgbotapi.FileEndpoint
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf(fileEndpoint, c.api.Token, f.FilePath), nil)
	if err != nil {
		return nil, redactErr(err, c.api.Token)
	}
	resp, err := c.api.Client.Do(req)
	if err != nil {
		return nil, redactErr(err, c.api.Token)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download file: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, redactErr(err, c.api.Token)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("file is over %d bytes", max)
	}
	return data, nil
}

// NewAPI connects a Bot API client (getMe) to endpoint ("…/bot%s/%s"),
// keeping the token out of any error it returns.
func NewAPI(token, endpoint string, client *http.Client) (*tgbotapi.BotAPI, error) {
	if client == nil {
		client = &http.Client{Timeout: 70 * time.Second}
	}
	api, err := tgbotapi.NewBotAPIWithClient(token, endpoint, client)
	if err != nil {
		return nil, redactErr(err, token)
	}
	return api, nil
}

// redactErr returns err with the token (plain or URL-escaped) and the user
// info of any URL in its text removed (a TELEGRAM_API_ENDPOINT may carry
// a proxy's credentials), keeping errors.As working on the original.
func redactErr(err error, token string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if token != "" {
		for _, v := range []string{token, url.PathEscape(token), url.QueryEscape(token)} {
			msg = strings.ReplaceAll(msg, v, "<token>")
		}
	}
	return config.WithText(err, config.Redact(msg))
}
