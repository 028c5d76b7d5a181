// Package sandbox lets a person try agencybot without Telegram: the real bot
// talks to the in-process Bot API server (tgserver), and a web page shows the
// chats of a few demo people, lets you write, press buttons and send files
// as any of them, runs the reminders and the digest as of a chosen time, and
// resets everything to the seeded state.
//
// The sandbox owns the page (embedded files, JSON API, server-sent events),
// the personas and the life cycle of one "generation" (a Bot API server, the
// sandbox database, the bot and the scheduler); cmd/agencybot supplies how
// the database is opened and how the bot and scheduler are built, so that the
// bot is the very code that talks to Telegram.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"agencybot/store"
	"agencybot/tgserver"
)

// Token is the bot token of the sandbox's Bot API server; it is not a real
// token and reaches nothing outside this process.
const Token = "1000000001:SANDBOX-not-a-real-token-000000"

// BotUsername is the sandbox bot's username (invite links point to it).
const BotUsername = "agencybot_sandbox_bot"

// Parts are the running bot and scheduler of one generation.
type Parts struct {
	// Run runs the bot and the scheduler until ctx ends.
	Run func(ctx context.Context) error
	// Reminders plans the reminder run of an instant and wakes the sender;
	// it returns how many messages were queued.
	Reminders func(ctx context.Context, at time.Time) (int, error)
	// Digest plans the leadership digest of an instant.
	Digest func(ctx context.Context, at time.Time) (int, error)
}

// Options configure a Sandbox.
type Options struct {
	// Addr is where the page listens, e.g. 127.0.0.1:8080.
	Addr string
	// AllowRemote permits an Addr that is not a loopback address.
	AllowRemote bool
	// Open opens the sandbox database (never the real one).
	Open func(ctx context.Context) (*store.Store, error)
	// Seed loads the plans into an empty database.
	Seed func(ctx context.Context, st *store.Store) error
	// Start builds the bot and the scheduler against the Bot API endpoint
	// ("…/bot%s/%s") with the given token.
	Start func(ctx context.Context, st *store.Store, endpoint, token string) (Parts, error)
	// Location is the time zone of the time-travel field.
	Location *time.Location
	// Clock is the current time of the built-in Bot API server's messages
	// (default time.Now); the bot gets the same one through Start.
	Clock func() time.Time
	// Log receives the sandbox's lines.
	Log *slog.Logger
	// Ready is called with the page's URL once it listens (optional).
	Ready func(url string)
}

// Sandbox is the page and the bot behind it; create it with New.
type Sandbox struct {
	opts     Options
	personas []Persona
	hub      *hub

	mu     sync.Mutex
	gen    *generation
	langs  map[int64]string
	read   map[int64]int // the last message id a persona has seen
	resets chan chan error
}

// generation is one life of the sandbox between resets.
type generation struct {
	tg    *tgserver.Server
	st    *store.Store
	parts Parts
	// queries maps callback query ids to the persona who pressed.
	queries map[string]int64
}

// New checks the options and builds a Sandbox.
func New(opts Options) (*Sandbox, error) {
	if opts.Open == nil || opts.Start == nil || opts.Seed == nil {
		return nil, errors.New("sandbox: Open, Seed and Start are required")
	}
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:8080"
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	sb := &Sandbox{opts: opts, personas: defaultPersonas(), hub: newHub(), langs: map[int64]string{},
		read: map[int64]int{}, resets: make(chan chan error)}
	for _, p := range sb.personas {
		sb.langs[p.ID] = p.Lang
	}
	return sb, nil
}

// CheckAddr refuses a non-loopback address unless allowed; it returns
// whether the address is reachable from other machines.
func CheckAddr(addr string, allowRemote bool) (remote bool, err error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("SANDBOX_ADDR %q must be host:port, e.g. 127.0.0.1:8080", addr)
	}
	if host == "localhost" {
		return false, nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return false, nil
	}
	if !allowRemote {
		return true, fmt.Errorf("SANDBOX_ADDR %q is not a loopback address; the sandbox has no login, so set SANDBOX_ALLOW_REMOTE=1 to serve it there anyway", addr)
	}
	return true, nil
}

// Run serves the page and runs the bot until ctx ends.
func (sb *Sandbox) Run(ctx context.Context) error {
	remote, err := CheckAddr(sb.opts.Addr, sb.opts.AllowRemote)
	if err != nil {
		return err
	}
	if remote {
		sb.opts.Log.Warn("the sandbox page is reachable from other machines: anyone who can reach it can act as any demo person", "addr", sb.opts.Addr)
	}
	ln, err := net.Listen("tcp", sb.opts.Addr)
	if err != nil {
		return fmt.Errorf("sandbox page on %s: %w", sb.opts.Addr, err)
	}
	srv := &http.Server{Handler: sb.Handler(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		sb.hub.close()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()

	first := true
	var waiting chan error // a Reset waiting for the new generation
	for {
		gen, err := sb.startGeneration(ctx)
		if waiting != nil {
			waiting <- err
			waiting = nil
			sb.hub.publish(event{Type: "reset"})
		}
		if err != nil {
			return err
		}
		if first {
			first = false
			if sb.opts.Ready != nil {
				sb.opts.Ready("http://" + ln.Addr().String())
			}
		}
		gctx, cancel := context.WithCancel(ctx)
		ran := make(chan error, 1)
		go func() { ran <- gen.parts.Run(gctx) }()
		go sb.watch(gctx, gen)
		var reply chan error
		select {
		case <-ctx.Done():
		case err := <-served:
			cancel()
			<-ran
			_ = sb.stopGeneration(gen, false)
			return fmt.Errorf("sandbox page: %w", err)
		case err := <-ran:
			cancel()
			_ = sb.stopGeneration(gen, false)
			if err == nil {
				err = errors.New("the sandbox bot stopped")
			}
			return err
		case reply = <-sb.resets:
		}
		cancel()
		runErr := <-ran
		if reply == nil {
			_ = sb.stopGeneration(gen, false)
			if ctx.Err() != nil {
				return nil // stopping: a part cut short by the cancellation is no failure
			}
			return runErr
		}
		if err := sb.stopGeneration(gen, true); err != nil {
			reply <- err
			return err
		}
		sb.opts.Log.Info("sandbox reset to the seeded state")
		waiting = reply
	}
}

// startGeneration opens and seeds the database, links the demo people,
// starts a Bot API server and builds the bot on it.
func (sb *Sandbox) startGeneration(ctx context.Context) (*generation, error) {
	st, err := sb.opts.Open(ctx)
	if err != nil {
		return nil, err
	}
	if err := sb.opts.Seed(ctx, st); err != nil {
		_ = st.Close(context.Background())
		return nil, err
	}
	if err := linkDemoPeople(ctx, st, sb.personas); err != nil {
		_ = st.Close(context.Background())
		return nil, fmt.Errorf("sandbox people: %w", err)
	}
	tg := tgserver.New(tgserver.Options{Token: Token, BotUsername: BotUsername, BotName: "agencybot (sandbox)", Clock: sb.opts.Clock})
	if _, err := tg.Start(); err != nil {
		_ = st.Close(context.Background())
		return nil, fmt.Errorf("sandbox Bot API server: %w", err)
	}
	for _, p := range sb.personas {
		tg.AddChat(tgserver.PrivateChat(p.user()))
	}
	parts, err := sb.opts.Start(ctx, st, tg.APIEndpoint(), Token)
	if err != nil {
		tg.Close()
		_ = st.Close(context.Background())
		return nil, err
	}
	gen := &generation{tg: tg, st: st, parts: parts, queries: map[string]int64{}}
	sb.mu.Lock()
	sb.gen = gen
	sb.read = map[int64]int{}
	sb.mu.Unlock()
	return gen, nil
}

// stopGeneration closes a generation, dropping its database when asked.
func (sb *Sandbox) stopGeneration(gen *generation, drop bool) error {
	sb.mu.Lock()
	if sb.gen == gen {
		sb.gen = nil
	}
	sb.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var err error
	if drop {
		if e := gen.st.Drop(ctx); e != nil {
			err = fmt.Errorf("reset the sandbox database: %w", e)
		}
	}
	if e := gen.st.Close(ctx); e != nil && err == nil {
		err = fmt.Errorf("close the sandbox database: %w", e)
	}
	gen.tg.Close()
	return err
}

// Reset throws the sandbox's data and chats away and starts again from the
// seeded state. It returns when the new bot runs.
func (sb *Sandbox) Reset(ctx context.Context) error {
	reply := make(chan error, 1)
	select {
	case sb.resets <- reply:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// current returns the running generation, or nil during a reset.
func (sb *Sandbox) current() *generation {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return sb.gen
}

func (sb *Sandbox) persona(id int64) (Persona, bool) {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	for _, p := range sb.personas {
		if p.ID == id {
			p.Lang = sb.langs[id]
			return p, true
		}
	}
	return Persona{}, false
}

func (sb *Sandbox) lang(id int64) string {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return sb.langs[id]
}
