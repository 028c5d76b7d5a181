// Package tgserver is an in-process HTTP server that speaks the Telegram Bot
// API well enough for a real client (github.com/go-telegram-bot-api/
// telegram-bot-api/v5) to hold whole conversations against it.
//
// The "incoming" side (SendText, PressButton, SendDocument, …) simulates what
// users do: each call queues an update that the bot receives through
// getUpdates, or by POST to the webhook the bot registered with setWebhook
// (see Webhook). The "outgoing" side records what the bot did (Sent, Messages,
// Callbacks, Commands) and lets tests wait for it (WaitSent, WaitFor).
// Faults (FailNext, BlockUser) and Telegram-like rate limits can be injected.
//
// Texts are validated like Telegram does: the length limits (4096 for
// messages, 1024 for captions) are counted in UTF-16 code units after entity
// parsing, and parse_mode=HTML is parsed with Telegram's rules (see
// ParseHTML), so unescaped user text in HTML messages is rejected with
// "Bad Request: can't parse entities: …". Markdown and MarkdownV2 texts are
// accepted without validation.
//
// All methods are safe for concurrent use.
package tgserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Server.
type Options struct {
	// Token is the bot token the server accepts (required). Requests with
	// another token get 401 {"ok":false,"error_code":401,
	// "description":"Unauthorized"}.
	Token string
	// BotID is the bot's user id (default 1000000001).
	BotID int64
	// BotUsername is the bot's username without '@' (default "test_bot").
	BotUsername string
	// BotName is the bot's first name (default "Test Bot").
	BotName string

	// GlobalPerSecond limits message sends per second over all chats
	// (Telegram: about 30); 0 means unlimited.
	GlobalPerSecond float64
	// PerChatPerSecond limits message sends per second to one chat
	// (Telegram: about 1); 0 means unlimited.
	PerChatPerSecond float64

	// RequireKnownChats makes sends to chats the server has never seen
	// (through the incoming side or AddChat) fail with "Bad Request: chat
	// not found", as on Telegram. By default unknown numeric chat ids are
	// accepted and the chat is created on the fly.
	RequireKnownChats bool
	// ExclusivePolling makes a getUpdates request terminate a concurrent
	// long poll with 409 "Conflict: terminated by other getUpdates
	// request", as on Telegram. Off by default.
	ExclusivePolling bool
	// IgnorePollTimeout makes getUpdates answer at once, ignoring its
	// timeout, as some proxies and self-hosted servers do.
	IgnorePollTimeout bool
	// Clock returns the current time (default time.Now). It drives message
	// dates, Sent.At and the rate limiter's token buckets; long-poll
	// timeouts always use real time.
	Clock func() time.Time
}

// Server is a fake Telegram Bot API server. Create it with New.
type Server struct {
	token string
	bot   User
	clock func() time.Time
	opts  Options

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every recorded change
	updatesCh chan struct{} // closed and replaced when updates are queued
	done      chan struct{}
	closeOnce sync.Once
	httpSrv   *httptest.Server
	url       string

	nextUpdateID int
	updates      []storedUpdate
	history      []storedUpdate // every update ever queued, confirmed or not
	pollGen      uint64
	hook         webhookState

	chats       map[int64]*chatState
	chatByName  map[string]int64
	files       map[string]*StoredFile
	filesByPath map[string]*StoredFile
	nextFile    int

	sent         []Sent
	callbacks    []CallbackAnswer
	callbackIDs  map[string]bool // id -> answered
	nextCallback int
	commands     map[string][]BotCommand
	actions      []ChatAction
	calls        map[string]int
	stats        Stats
	faults       []fault
	blocked      map[int64]bool

	globalRate  float64
	perChatRate float64
	global      bucket
	perChat     map[int64]*bucket
}

type storedUpdate struct {
	id  int
	raw json.RawMessage
}

type chatState struct {
	chat      Chat
	nextMsgID int
	msgs      []*Message // ordered by message id
	byID      map[int]*Message
	keyboard  json.RawMessage
	rev       int // bumped on every change of the chat's messages
	forceMsg  int // the bot message whose ForceReply waits for an answer
	forceHint string
}

type fault struct {
	method     string
	n          int
	status     int
	retryAfter int
}

// apiError is an error response of the Bot API.
type apiError struct {
	code       int
	desc       string
	retryAfter int
}

// Error returns the description.
func (e *apiError) Error() string { return e.desc }

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: http.StatusBadRequest, desc: "Bad Request: " + fmt.Sprintf(format, args...)}
}

// New returns a server configured by opts. It panics if opts.Token is empty.
// The server can be used as an http.Handler right away; call Start to listen
// on a local port.
func New(opts Options) *Server {
	if opts.Token == "" {
		panic("tgserver: Options.Token is required")
	}
	if opts.BotID == 0 {
		opts.BotID = 1000000001
	}
	if opts.BotUsername == "" {
		opts.BotUsername = "test_bot"
	}
	if opts.BotName == "" {
		opts.BotName = "Test Bot"
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	s := &Server{
		token:        opts.Token,
		bot:          User{ID: opts.BotID, IsBot: true, FirstName: opts.BotName, Username: opts.BotUsername},
		clock:        opts.Clock,
		opts:         opts,
		changed:      make(chan struct{}),
		updatesCh:    make(chan struct{}),
		done:         make(chan struct{}),
		nextUpdateID: 1,
		chats:        map[int64]*chatState{},
		chatByName:   map[string]int64{},
		files:        map[string]*StoredFile{},
		filesByPath:  map[string]*StoredFile{},
		callbackIDs:  map[string]bool{},
		commands:     map[string][]BotCommand{},
		calls:        map[string]int{},
		blocked:      map[int64]bool{},
		perChat:      map[int64]*bucket{},
		globalRate:   opts.GlobalPerSecond,
		perChatRate:  opts.PerChatPerSecond,
	}
	return s
}

// Bot returns the bot's own user (what getMe reports).
func (s *Server) Bot() User { return s.bot }

// Token returns the token the server accepts.
func (s *Server) Token() string { return s.token }

// Start listens on 127.0.0.1 on a free port and serves the API there. It
// returns the base URL ("http://127.0.0.1:port"). Calling Start twice
// returns the same URL.
func (s *Server) Start() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.httpSrv != nil {
		return s.url, nil
	}
	select {
	case <-s.done:
		return "", errors.New("tgserver: server is closed")
	default:
	}
	srv := httptest.NewUnstartedServer(s)
	srv.Start()
	s.httpSrv = srv
	s.url = srv.URL
	return s.url, nil
}

// URL returns the base URL after Start ("http://127.0.0.1:port"), or "" if
// the server is not listening.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// APIEndpoint returns URL()+"/bot%s/%s", the format
// tgbotapi.NewBotAPIWithClient expects.
func (s *Server) APIEndpoint() string { return s.URL() + "/bot%s/%s" }

// FileEndpoint returns URL()+"/file/bot%s/%s", the local equivalent of
// tgbotapi.FileEndpoint.
func (s *Server) FileEndpoint() string { return s.URL() + "/file/bot%s/%s" }

// FileURL returns the download URL of a file_path reported by getFile.
func (s *Server) FileURL(filePath string) string {
	return fmt.Sprintf(s.FileEndpoint(), s.token, filePath)
}

// Close stops the listener (if started) and ends pending long polls. It is
// safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		close(s.done)
		srv := s.httpSrv
		s.mu.Unlock()
		if srv != nil {
			srv.Close()
		}
	})
}

// Changes returns a channel that is closed at the next change the server
// records (a sent message, an edit, a callback answer, a queued update, …).
// Call it again after it fires to wait for the following change.
func (s *Server) Changes() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// notifyLocked wakes everyone waiting in WaitFor/WaitSent/Changes.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// HTTPClient returns an http.Client whose requests to api.telegram.org go to
// this server instead, so that tgbotapi.File.Link (which always uses the
// real FileEndpoint) and even the default APIEndpoint work. Other hosts are
// reached normally. Start must have been called.
func (s *Server) HTTPClient() *http.Client {
	return &http.Client{Transport: &rewriteTransport{s: s, base: http.DefaultTransport}}
}

type rewriteTransport struct {
	s    *Server
	base http.RoundTripper
}

// RoundTrip sends api.telegram.org requests to the server.
func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.EqualFold(req.URL.Hostname(), "api.telegram.org") {
		return t.base.RoundTrip(req)
	}
	base := t.s.URL()
	if base == "" {
		return nil, errors.New("tgserver: server not started")
	}
	target, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	r2 := req.Clone(req.Context())
	r2.URL.Scheme = target.Scheme
	r2.URL.Host = target.Host
	r2.Host = target.Host
	return t.base.RoundTrip(r2)
}

// InProcessClient returns an http.Client that calls ServeHTTP directly,
// without sockets, for any URL (use it with any endpoint, e.g.
// tgbotapi.APIEndpoint). It works without Start. Long polls honour the
// request context.
func (s *Server) InProcessClient() *http.Client {
	return &http.Client{Transport: inProcessTransport{s}}
}

type inProcessTransport struct{ s *Server }

// RoundTrip serves req with Server.ServeHTTP.
func (t inProcessTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r2 := req.Clone(req.Context())
	if r2.Body == nil {
		r2.Body = http.NoBody
	}
	r2.RequestURI = req.URL.RequestURI()
	r2.RemoteAddr = "127.0.0.1:0"
	rec := httptest.NewRecorder()
	t.s.ServeHTTP(rec, r2)
	if req.Body != nil {
		req.Body.Close()
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// ---------------------------------------------------------------------------
// HTTP handling

type call struct {
	method string // canonical name, e.g. "sendMessage"
	params map[string]string
	files  map[string]upload
	ctx    context.Context
}

type upload struct {
	name        string
	contentType string
	data        []byte
}

type handlerFunc func(s *Server, c *call) (any, *apiError)

var handlers map[string]struct {
	name string
	h    handlerFunc
}

func init() {
	list := map[string]handlerFunc{
		"getMe":                  (*Server).handleGetMe,
		"getUpdates":             nil, // handled specially (long poll)
		"sendMessage":            (*Server).handleSendMessage,
		"editMessageText":        (*Server).handleEditMessageText,
		"editMessageReplyMarkup": (*Server).handleEditMessageReplyMarkup,
		"answerCallbackQuery":    (*Server).handleAnswerCallbackQuery,
		"sendDocument":           (*Server).handleSendDocument,
		"sendPhoto":              (*Server).handleSendPhoto,
		"getFile":                (*Server).handleGetFile,
		"setMyCommands":          (*Server).handleSetMyCommands,
		"deleteMyCommands":       (*Server).handleDeleteMyCommands,
		"getMyCommands":          (*Server).handleGetMyCommands,
		"deleteMessage":          (*Server).handleDeleteMessage,
		"setWebhook":             (*Server).handleSetWebhook,
		"deleteWebhook":          (*Server).handleDeleteWebhook,
		"getWebhookInfo":         (*Server).handleGetWebhookInfo,
		"sendChatAction":         (*Server).handleSendChatAction,
		"logOut":                 (*Server).handleTrue,
		"close":                  (*Server).handleTrue,
	}
	handlers = make(map[string]struct {
		name string
		h    handlerFunc
	}, len(list))
	for name, h := range list {
		handlers[strings.ToLower(name)] = struct {
			name string
			h    handlerFunc
		}{name, h}
	}
}

const maxUploadBytes = 50 << 20

// ServeHTTP serves the Bot API under /bot<token>/<method> and file downloads
// under /file/bot<token>/<file_path>. Method names are case-insensitive, as
// on Telegram.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/file/bot"); ok {
		s.serveFile(w, r, rest)
		return
	}
	rest, ok := strings.CutPrefix(path, "/bot")
	if !ok {
		s.countRequest()
		s.writeError(w, &apiError{code: http.StatusNotFound, desc: "Not Found"})
		return
	}
	token, methodName, _ := strings.Cut(rest, "/")
	s.countRequest()
	if token != s.token {
		s.writeError(w, &apiError{code: http.StatusUnauthorized, desc: "Unauthorized"})
		return
	}
	entry, ok := handlers[strings.ToLower(methodName)]
	if !ok {
		s.writeError(w, &apiError{code: http.StatusNotFound, desc: "Not Found"})
		return
	}
	s.mu.Lock()
	s.calls[entry.name]++
	injected := s.takeFaultLocked(entry.name)
	s.mu.Unlock()
	if injected != nil {
		s.writeError(w, injected)
		return
	}

	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes+(1<<20))
	params, files, perr := parseParams(r)
	if perr != nil {
		s.writeError(w, perr)
		return
	}
	c := &call{method: entry.name, params: params, files: files, ctx: r.Context()}
	if entry.name == "getUpdates" {
		if aerr := s.webhookConflict(); aerr != nil {
			s.writeError(w, aerr)
			return
		}
		result, aerr := s.getUpdates(c)
		if aerr != nil {
			s.writeError(w, aerr)
			return
		}
		if result == nil { // client went away
			return
		}
		s.writeResult(w, result)
		return
	}
	result, aerr := entry.h(s, c)
	if aerr != nil {
		s.writeError(w, aerr)
		return
	}
	s.writeResult(w, result)
}

func (s *Server) countRequest() {
	s.mu.Lock()
	s.stats.Requests++
	s.notifyLocked()
	s.mu.Unlock()
}

type responseParameters struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

type apiResponse struct {
	OK          bool                `json:"ok"`
	Result      any                 `json:"result,omitempty"`
	ErrorCode   int                 `json:"error_code,omitempty"`
	Description string              `json:"description,omitempty"`
	Parameters  *responseParameters `json:"parameters,omitempty"`
}

func (s *Server) writeResult(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, apiResponse{OK: true, Result: result})
}

func (s *Server) writeError(w http.ResponseWriter, e *apiError) {
	s.mu.Lock()
	s.stats.Errors++
	switch {
	case e.code == http.StatusTooManyRequests:
		s.stats.TooMany++
	case e.code == http.StatusForbidden:
		s.stats.Forbidden++
	}
	s.notifyLocked()
	s.mu.Unlock()
	resp := apiResponse{OK: false, ErrorCode: e.code, Description: e.desc}
	if e.code == http.StatusTooManyRequests {
		resp.Parameters = &responseParameters{RetryAfter: max(e.retryAfter, 1)}
		w.Header().Set("Retry-After", strconv.Itoa(resp.Parameters.RetryAfter))
	}
	writeJSON(w, e.code, resp)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"ok":false,"error_code":500,"description":"Internal Server Error: ` + strconv.Quote(err.Error()) + `"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// parseParams collects request parameters from the query string and from a
// form, multipart or JSON body. JSON values that are not strings are kept
// as their JSON text (numbers, booleans, objects).
func parseParams(r *http.Request) (map[string]string, map[string]upload, *apiError) {
	params := map[string]string{}
	files := map[string]upload{}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			params[k] = v[0]
		}
	}
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return params, files, nil
	}
	ct := r.Header.Get("Content-Type")
	mediaType, mparams, _ := mime.ParseMediaType(ct)
	switch mediaType {
	case "application/json":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, nil, bodyError(err)
		}
		if len(strings.TrimSpace(string(body))) == 0 {
			return params, files, nil
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, nil, badRequest("can't parse JSON request body")
		}
		for k, raw := range m {
			var str string
			if err := json.Unmarshal(raw, &str); err == nil {
				params[k] = str
				continue
			}
			if string(raw) == "null" {
				continue
			}
			params[k] = string(raw)
		}
	case "multipart/form-data":
		mr := multipart.NewReader(r.Body, mparams["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, nil, bodyError(err)
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return nil, nil, bodyError(err)
			}
			name := part.FormName()
			if part.FileName() != "" {
				files[name] = upload{name: part.FileName(), contentType: part.Header.Get("Content-Type"), data: data}
			} else {
				params[name] = string(data)
			}
		}
	default: // application/x-www-form-urlencoded and anything else
		if err := r.ParseForm(); err != nil {
			return nil, nil, bodyError(err)
		}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				params[k] = v[0]
			}
		}
	}
	return params, files, nil
}

func bodyError(err error) *apiError {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &apiError{code: http.StatusRequestEntityTooLarge, desc: "Request Entity Too Large"}
	}
	return badRequest("can't read request body: %v", err)
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, filePath, _ := strings.Cut(rest, "/")
	if token != s.token {
		http.Error(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`, http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	f := s.filesByPath[filePath]
	if f != nil {
		s.stats.FileDownloads++
		s.notifyLocked()
	}
	s.mu.Unlock()
	if f == nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"ok":false,"error_code":404,"description":"Not Found"}`)
		return
	}
	if f.MimeType != "" {
		w.Header().Set("Content-Type", f.MimeType)
	} else {
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(f.Content)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(f.Content)
	}
}

// ---------------------------------------------------------------------------
// Fault injection

// FailNext makes the next n calls of method ("" = any method) fail with the
// given HTTP status, used as error_code too. A 429 includes
// parameters.retry_after = retryAfter (at least 1). Rules queue up: each call
// consumes the first matching rule.
func (s *Server) FailNext(method string, n int, status int, retryAfter int) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, fault{method: method, n: n, status: status, retryAfter: retryAfter})
}

// ClearFaults drops all pending FailNext rules.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (s *Server) takeFaultLocked(method string) *apiError {
	for i := range s.faults {
		f := &s.faults[i]
		if f.method != "" && !strings.EqualFold(f.method, method) {
			continue
		}
		f.n--
		status, ra := f.status, f.retryAfter
		if f.n <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		if status >= 500 {
			s.stats.ServerErrors++
		}
		return faultError(status, ra)
	}
	return nil
}

func faultError(status, retryAfter int) *apiError {
	e := &apiError{code: status}
	switch status {
	case http.StatusTooManyRequests:
		e.retryAfter = max(retryAfter, 1)
		e.desc = fmt.Sprintf("Too Many Requests: retry after %d", e.retryAfter)
	case http.StatusBadRequest:
		e.desc = "Bad Request: injected failure"
	case http.StatusUnauthorized:
		e.desc = "Unauthorized"
	case http.StatusForbidden:
		e.desc = "Forbidden: injected failure"
	case http.StatusNotFound:
		e.desc = "Not Found"
	case http.StatusConflict:
		e.desc = "Conflict: injected failure"
	default:
		e.desc = http.StatusText(status)
		if e.desc == "" {
			e.desc = "Error " + strconv.Itoa(status)
		}
	}
	return e
}

// BlockUser makes every call targeting chatID (sends, edits, deletes, chat
// actions) fail with 403: "Forbidden: bot was blocked by the user" for
// private chats, "Forbidden: bot was kicked from the group chat" for groups
// and "Forbidden: bot is not a member of the channel chat" for channels.
func (s *Server) BlockUser(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

// UnblockUser undoes BlockUser.
func (s *Server) UnblockUser(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chatID)
}

func (s *Server) blockedErrorLocked(cs *chatState) *apiError {
	if !s.blocked[cs.chat.ID] {
		return nil
	}
	desc := "Forbidden: bot was blocked by the user"
	switch cs.chat.Type {
	case "group", "supergroup":
		desc = "Forbidden: bot was kicked from the group chat"
	case "channel":
		desc = "Forbidden: bot is not a member of the channel chat"
	}
	return &apiError{code: http.StatusForbidden, desc: desc}
}

// ---------------------------------------------------------------------------
// Rate limiting

// bucket is a token bucket holding up to one second's worth of tokens (at
// least one).
type bucket struct {
	tokens float64
	last   time.Time
	init   bool
}

func (b *bucket) refill(rate float64, now time.Time) {
	burst := math.Max(rate, 1)
	if !b.init {
		b.tokens, b.last, b.init = burst, now, true
		return
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = math.Min(burst, b.tokens+el*rate)
	}
	b.last = now
}

// wait returns how long until the bucket holds a whole token.
func (b *bucket) wait(rate float64) time.Duration {
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / rate * float64(time.Second))
}

// SetRateLimit changes the limits (messages per second, 0 = unlimited) and
// refills all buckets.
func (s *Server) SetRateLimit(global, perChat float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.globalRate, s.perChatRate = global, perChat
	s.global = bucket{}
	s.perChat = map[int64]*bucket{}
}

// rateLimitLocked takes a token from the global and per-chat buckets, or
// returns a 429 without taking anything.
func (s *Server) rateLimitLocked(chatID int64) *apiError {
	now := s.clock()
	var waitFor time.Duration
	var pc *bucket
	if s.globalRate > 0 {
		s.global.refill(s.globalRate, now)
		waitFor = s.global.wait(s.globalRate)
	}
	if s.perChatRate > 0 {
		pc = s.perChat[chatID]
		if pc == nil {
			pc = &bucket{}
			s.perChat[chatID] = pc
		}
		pc.refill(s.perChatRate, now)
		waitFor = max(waitFor, pc.wait(s.perChatRate))
	}
	if waitFor > 0 {
		ra := max(int(math.Ceil(waitFor.Seconds())), 1)
		return &apiError{code: http.StatusTooManyRequests, desc: fmt.Sprintf("Too Many Requests: retry after %d", ra), retryAfter: ra}
	}
	if s.globalRate > 0 {
		s.global.tokens--
	}
	if pc != nil {
		pc.tokens--
	}
	return nil
}
