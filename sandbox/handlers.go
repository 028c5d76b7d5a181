package sandbox

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/tgserver"
)

//go:embed web
var webFiles embed.FS

const maxUpload = 20 << 20

// Handler serves the page, its JSON API and its event stream.
func (sb *Sandbox) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(webFiles, "web")
	files := http.FileServerFS(static)
	mux.Handle("GET /", files)
	mux.HandleFunc("GET /api/state", sb.serveState)
	mux.HandleFunc("GET /api/chat", sb.serveChat)
	mux.HandleFunc("GET /api/events", sb.serveEvents)
	mux.HandleFunc("GET /api/file/{id}", sb.serveFile)
	mux.HandleFunc("POST /api/send", sb.serveSend)
	mux.HandleFunc("POST /api/press", sb.servePress)
	mux.HandleFunc("POST /api/upload", sb.serveUpload)
	mux.HandleFunc("POST /api/lang", sb.serveLang)
	mux.HandleFunc("POST /api/run", sb.serveRun)
	mux.HandleFunc("POST /api/reset", sb.serveReset)
	return sb.guard(mux)
}

// guard keeps other web sites out: the page answers only to its own host
// names (no DNS rebinding) and every change needs a header that a foreign
// page cannot send without the browser asking first (which is refused).
func (sb *Sandbox) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !sb.opts.AllowRemote {
			host := r.Host
			if h, _, err := net.SplitHostPort(host); err == nil {
				host = h
			}
			ip := net.ParseIP(strings.Trim(host, "[]"))
			if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
				http.Error(w, "the sandbox answers on localhost only", http.StatusForbidden)
				return
			}
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Header.Get("X-Sandbox") != "1" {
			http.Error(w, "missing X-Sandbox header", http.StatusForbidden)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// live returns the running generation or answers 503 during a reset.
func (sb *Sandbox) live(w http.ResponseWriter) *generation {
	gen := sb.current()
	if gen == nil {
		fail(w, http.StatusServiceUnavailable, "Sandbox đang khởi động lại, thử lại sau giây lát.")
	}
	return gen
}

func (sb *Sandbox) personaParam(w http.ResponseWriter, raw string) (Persona, bool) {
	id, err := strconv.ParseInt(raw, 10, 64)
	p, ok := sb.persona(id)
	if err != nil || !ok {
		fail(w, http.StatusBadRequest, "unknown persona")
		return Persona{}, false
	}
	return p, true
}

func (sb *Sandbox) serveState(w http.ResponseWriter, r *http.Request) {
	gen := sb.live(w)
	if gen == nil {
		return
	}
	people := make([]Persona, 0, len(sb.personas))
	for _, p := range sb.personas {
		p, _ := sb.persona(p.ID)
		people = append(people, p)
	}
	bot := gen.tg.Bot()
	writeJSON(w, http.StatusOK, map[string]any{
		"bot":      map[string]string{"username": bot.Username, "name": bot.FirstName},
		"personas": people,
		"chats":    sb.summaries(gen),
		"tz":       sb.opts.Location.String(),
		// The page's own words that a person's language changes, from the
		// catalogues like every text of the bot.
		"texts": map[string]map[string]string{
			"vi": {"tt_states": i18n.T(i18n.VI, "sandbox.tt_states")},
			"en": {"tt_states": i18n.T(i18n.EN, "sandbox.tt_states")},
		},
	})
}

// serveChat returns a persona's chat and marks it read.
func (sb *Sandbox) serveChat(w http.ResponseWriter, r *http.Request) {
	gen := sb.live(w)
	if gen == nil {
		return
	}
	p, ok := sb.personaParam(w, r.URL.Query().Get("id"))
	if !ok {
		return
	}
	hist := gen.tg.History(p.ID)
	msgs := make([]msgView, 0, len(hist))
	last := 0
	for _, m := range hist {
		msgs = append(msgs, viewOf(m))
		last = max(last, m.MessageID)
	}
	sb.mu.Lock()
	sb.read[p.ID] = max(sb.read[p.ID], last)
	sb.mu.Unlock()
	cmds := gen.tg.CommandsFor(p.ID, p.Lang)
	if cmds == nil {
		cmds = []tgserver.BotCommand{}
	}
	out := map[string]any{"id": p.ID, "rev": gen.tg.ChatRevision(p.ID), "messages": msgs, "commands": cmds, "title": sb.titleOf(r.Context(), gen, p)}
	if id, hint, ok := gen.tg.ForceReply(p.ID); ok {
		out["force_reply"] = map[string]any{"id": id, "placeholder": hint}
	}
	writeJSON(w, http.StatusOK, out)
	sb.hub.publish(event{Type: "chats", Data: sb.summaries(gen)})
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(v); err != nil {
		fail(w, http.StatusBadRequest, "bad JSON body")
		return false
	}
	return true
}

func (sb *Sandbox) serveSend(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ID      int64  `json:"id"`
		Text    string `json:"text"`
		ReplyTo int    `json:"reply_to"`
	}
	if !decode(w, r, &req) {
		return
	}
	gen := sb.live(w)
	if gen == nil {
		return
	}
	p, ok := sb.personaParam(w, strconv.FormatInt(req.ID, 10))
	if !ok {
		return
	}
	text := strings.TrimSpace(req.Text)
	if text == "" || i18n.UTF16Len(text) > 4096 {
		fail(w, http.StatusBadRequest, "Tin nhắn trống hoặc dài quá 4096 ký tự.")
		return
	}
	var id int
	if req.ReplyTo > 0 {
		id = gen.tg.ReplyTo(p.user(), req.ReplyTo, text)
	} else {
		id = gen.tg.SendText(p.user(), text)
	}
	writeJSON(w, http.StatusOK, map[string]int{"update_id": id})
}

func (sb *Sandbox) servePress(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ID        int64  `json:"id"`
		MessageID int    `json:"message_id"`
		Data      string `json:"data"`
	}
	if !decode(w, r, &req) {
		return
	}
	gen := sb.live(w)
	if gen == nil {
		return
	}
	p, ok := sb.personaParam(w, strconv.FormatInt(req.ID, 10))
	if !ok {
		return
	}
	if _, ok := gen.tg.Message(p.ID, req.MessageID); !ok || req.Data == "" {
		fail(w, http.StatusBadRequest, "no such button")
		return
	}
	u := p.user()
	id, q := gen.tg.PressButtonQuery(tgserver.PrivateChat(u), u, req.MessageID, req.Data)
	sb.mu.Lock()
	gen.queries[q] = p.ID
	sb.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]int{"update_id": id})
}

// serveUpload sends a file from the page: an image as a photo, anything
// else as a document.
func (sb *Sandbox) serveUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		fail(w, http.StatusBadRequest, "Tệp quá lớn (tối đa 20 MB) hoặc không đọc được.")
		return
	}
	gen := sb.live(w)
	if gen == nil {
		return
	}
	p, ok := sb.personaParam(w, r.FormValue("id"))
	if !ok {
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		fail(w, http.StatusBadRequest, "no file")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		fail(w, http.StatusBadRequest, "cannot read the file")
		return
	}
	caption := strings.TrimSpace(r.FormValue("caption"))
	ct := hdr.Header.Get("Content-Type")
	if ct == "" || ct == "application/octet-stream" {
		if t := mime.TypeByExtension(path.Ext(hdr.Filename)); t != "" {
			ct = t
		}
	}
	var id int
	if r.FormValue("as") != "document" && (ct == "image/jpeg" || ct == "image/png" || ct == "image/gif") {
		id = gen.tg.SendPhoto(p.user(), data, caption)
	} else {
		id = gen.tg.SendDocument(p.user(), path.Base(hdr.Filename), ct, data, caption)
	}
	writeJSON(w, http.StatusOK, map[string]int{"update_id": id})
}

// serveFile serves a photo inline and anything else as a download.
func (sb *Sandbox) serveFile(w http.ResponseWriter, r *http.Request) {
	gen := sb.live(w)
	if gen == nil {
		return
	}
	f, ok := gen.tg.File(r.PathValue("id"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	ct := f.MimeType
	if ct == "" {
		ct = "application/octet-stream"
	}
	image := ct == "image/jpeg" || ct == "image/png" || ct == "image/gif"
	name := f.FileName
	if name == "" {
		name = path.Base(f.FilePath)
	}
	disp := "attachment"
	if image && r.URL.Query().Get("download") == "" {
		disp = "inline"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(f.Content)))
	_, _ = w.Write(f.Content)
}

func (sb *Sandbox) serveLang(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ID   int64  `json:"id"`
		Lang string `json:"lang"`
	}
	if !decode(w, r, &req) {
		return
	}
	if _, ok := sb.persona(req.ID); !ok || (req.Lang != "vi" && req.Lang != "en") {
		fail(w, http.StatusBadRequest, "language must be vi or en")
		return
	}
	sb.mu.Lock()
	sb.langs[req.ID] = req.Lang
	sb.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"lang": req.Lang})
}

// serveRun runs the reminders or the digest as of a local date and time.
func (sb *Sandbox) serveRun(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Kind string `json:"kind"`
		At   string `json:"at"` // 2025-12-24T08:00, local time
	}
	if !decode(w, r, &req) {
		return
	}
	at, err := time.ParseInLocation("2006-01-02T15:04", req.At, sb.opts.Location)
	if err != nil {
		fail(w, http.StatusBadRequest, "Ngày giờ phải có dạng 2025-12-24T08:00.")
		return
	}
	gen := sb.live(w)
	if gen == nil {
		return
	}
	run := gen.parts.Reminders
	if req.Kind == "digest" {
		run = gen.parts.Digest
	} else if req.Kind != "reminders" {
		fail(w, http.StatusBadRequest, "kind must be reminders or digest")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Minute)
	defer cancel()
	n, err := run(ctx, at)
	if err != nil {
		sb.opts.Log.Error("sandbox time travel", "kind", req.Kind, "at", at, "err", err)
		fail(w, http.StatusInternalServerError, "Không chạy được: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"queued": n, "at": at.Format("02/01/2006 15:04")})
}

func (sb *Sandbox) serveReset(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Minute)
	defer cancel()
	if err := sb.Reset(ctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			fail(w, http.StatusGatewayTimeout, "reset is taking too long")
			return
		}
		fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// titleOf says who a persona is now: the newcomer becomes an agency's
// officer (or a leader) once they opened an invite.
func (sb *Sandbox) titleOf(ctx context.Context, gen *generation, p Persona) string {
	if p.Role != "newcomer" {
		return p.Title
	}
	o, err := gen.st.Officer(ctx, p.ID)
	if err != nil || !o.Active {
		return p.Title
	}
	if o.Role == domain.RoleLeader {
		return "Lãnh đạo (đã liên kết qua lời mời)"
	}
	name := o.AgencyKey
	if a, err := gen.st.Agency(ctx, o.AgencyKey); err == nil {
		name = a.Name
	}
	return "Cán bộ đầu mối · " + name + " (đã liên kết qua lời mời)"
}
