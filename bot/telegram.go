package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

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
