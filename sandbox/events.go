package sandbox

import (
	"hash/fnv"
	"slices"

	"agencybot/tgserver"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// event is one server-sent event to the page.
type event struct {
	Type string `json:"type"` // chats, toast, reset
	Data any    `json:"data,omitempty"`
}

// chatSummary is what the chat list shows of one persona's chat.
type chatSummary struct {
	ID     int64  `json:"id"`
	Rev    int    `json:"rev"`
	Unread int    `json:"unread"`
	Last   string `json:"last"`
	Menu   uint32 `json:"menu"` // a hash of the command menu the chat shows
}

// toast is the pop-up answer (answerCallbackQuery) to a pressed button.
type toast struct {
	Persona int64  `json:"persona"`
	Text    string `json:"text"`
	Alert   bool   `json:"alert"`
}

// hub fans events out to the pages that listen.
type hub struct {
	mu     sync.Mutex
	subs   map[chan event]struct{}
	closed bool
}

func newHub() *hub { return &hub{subs: map[chan event]struct{}{}} }

func (h *hub) subscribe() chan event {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan event, 64)
	if h.closed {
		close(ch)
		return ch
	}
	h.subs[ch] = struct{}{}
	return ch
}

func (h *hub) unsubscribe(ch chan event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[ch]; ok {
		delete(h.subs, ch)
		close(ch)
	}
}

// publish sends an event to every listener; a listener too slow to take
// it misses it (the next "chats" event carries the whole state again).
func (h *hub) publish(e event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- e:
		default:
		}
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for ch := range h.subs {
		close(ch)
	}
	h.subs = map[chan event]struct{}{}
}

// watch turns the Bot API server's changes into events: the chats that
// changed, and the pop-up answers to buttons pressed on the page.
func (sb *Sandbox) watch(ctx context.Context, gen *generation) {
	var last []chatSummary
	seenCallbacks := 0
	for {
		changed := gen.tg.Changes()
		if sum := sb.summaries(gen); !slices.Equal(sum, last) {
			last = sum
			sb.hub.publish(event{Type: "chats", Data: sum})
		}
		cbs := gen.tg.Callbacks()
		for _, cb := range cbs[seenCallbacks:] {
			sb.mu.Lock()
			who := gen.queries[cb.ID]
			sb.mu.Unlock()
			if cb.Text != "" {
				sb.hub.publish(event{Type: "toast", Data: toast{Persona: who, Text: cb.Text, Alert: cb.ShowAlert}})
			}
		}
		seenCallbacks = len(cbs)
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}

func menuHash(cmds []tgserver.BotCommand) uint32 {
	h := fnv.New32a()
	for _, c := range cmds {
		h.Write([]byte(c.Command + "\x00" + c.Description + "\x00"))
	}
	return h.Sum32()
}

// summaries lists every persona's chat: revision, unread bot messages and
// the last message's first line.
func (sb *Sandbox) summaries(gen *generation) []chatSummary {
	out := make([]chatSummary, 0, len(sb.personas))
	for _, p := range sb.personas {
		hist := gen.tg.History(p.ID)
		sb.mu.Lock()
		read := sb.read[p.ID]
		sb.mu.Unlock()
		s := chatSummary{ID: p.ID, Rev: gen.tg.ChatRevision(p.ID), Menu: menuHash(gen.tg.CommandsFor(p.ID, sb.lang(p.ID)))}
		for _, m := range hist {
			if m.From != nil && m.From.IsBot && m.MessageID > read {
				s.Unread++
			}
		}
		if n := len(hist); n > 0 {
			s.Last = preview(hist[n-1])
		}
		out = append(out, s)
	}
	return out
}

// serveEvents streams events to one page (server-sent events).
func (sb *Sandbox) serveEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch := sb.hub.subscribe()
	defer sb.hub.unsubscribe(ch)
	send := func(e event) bool {
		b, err := json.Marshal(e)
		if err != nil {
			return false
		}
		if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
			return false
		}
		fl.Flush()
		return true
	}
	if gen := sb.current(); gen != nil {
		if !send(event{Type: "chats", Data: sb.summaries(gen)}) {
			return
		}
	}
	keep := time.NewTicker(25 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e, ok := <-ch:
			if !ok || !send(e) {
				return
			}
		case <-keep.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			fl.Flush()
		}
	}
}
