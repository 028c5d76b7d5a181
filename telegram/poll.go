package telegram

// Long polling: gentle polling, Telegram's update-id reset, and a second
// poller with the same token (409 Conflict).

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/retry"
)

// ErrConflict is returned by Run when another process polls the same bot at
// start: two pollers would split the updates between two databases.
var ErrConflict = errors.New("another process is polling this bot (getUpdates: 409 Conflict); stop it or use a different bot token")

// Polling intervals.
const (
	// minEmptyPoll is the least time between polls that come back empty
	// (an endpoint that ignores timeout must not make the bot spin).
	minEmptyPoll = time.Second
	// ConflictPoll is the wait between polls while another poller holds the bot.
	ConflictPoll = 5 * time.Second
)

// markerAge is how long processed-update markers are kept.
const markerAge = 7 * 24 * time.Hour

// pollTimeout is the long-poll wait of getUpdates (50 s unless set).
func (rt *Runtime) pollTimeout() time.Duration {
	if rt.PollTimeout > 0 {
		return rt.PollTimeout
	}
	return 50 * time.Second
}

func (rt *Runtime) runPolling(ctx context.Context) error {
	offset, err := rt.Offsets.Offset(ctx)
	if err != nil {
		return err
	}
	// Markers older than Telegram keeps undelivered updates (24 h) are not
	// needed to recognise a replay; FerretDB has no TTL index to drop them.
	if n, err := rt.Markers.PruneProcessed(ctx, markerAge); err != nil {
		rt.log().Warn("prune processed markers", "err", err)
	} else if n > 0 {
		rt.log().Debug("pruned processed markers", "count", n)
	}
	seen, err := rt.Markers.ProcessedSince(ctx, offset)
	if err != nil {
		return err
	}
	rt.seenMu.Lock()
	rt.seen, rt.seenFrom = seen, offset
	rt.seenMu.Unlock()
	saved, savedAt := offset, time.Time{}
	defer func() {
		if offset > saved {
			if err := rt.Offsets.SaveOffset(context.WithoutCancel(ctx), offset); err != nil {
				rt.log().Error("save update offset", "err", err)
			}
		}
	}()
	workers := rt.workers()
	var fails int
	retry := time.NewTimer(0)
	<-retry.C
	defer retry.Stop()
	hookDeleted := false
	poll := newPoller(rt)
	for {
		if ctx.Err() != nil {
			return nil
		}
		var updates []tgbotapi.Update
		if !hookDeleted { // back from webhook mode: Telegram refuses getUpdates while a webhook is set
			_, err = rt.API.Request(tgbotapi.DeleteWebhookConfig{DropPendingUpdates: false})
			hookDeleted = err == nil
		}
		if hookDeleted {
			updates, err = poll.get(ctx)
			if errors.Is(err, ErrConflict) {
				return err
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			wait := pollBackoff(err, fails)
			fails++
			what := "getUpdates failed"
			if !hookDeleted {
				what = "deleteWebhook failed"
			}
			rt.log().Warn(what, "err", err, "retry_in", wait)
			retry.Reset(wait)
			select {
			case <-ctx.Done():
				return nil
			case <-retry.C:
			}
			continue
		}
		fails = 0
		if len(updates) == 0 {
			continue
		}
		// Handle the batch: chats in parallel, each chat's updates in order.
		// Handlers run on a context that is not cancelled by shutdown, so an
		// update in flight finishes.
		rt.handleBatch(context.WithoutCancel(ctx), updates, workers)
		offset = updates[len(updates)-1].UpdateID + 1
		// The offset is stored at most once a second (and at exit): updates
		// handled after it are recognised by their processed markers.
		if time.Since(savedAt) >= time.Second {
			if err := rt.Offsets.SaveOffset(context.WithoutCancel(ctx), offset); err != nil {
				rt.log().Error("save update offset", "err", err)
			} else {
				saved, savedAt = offset, time.Now()
			}
		}
	}
}

// pollBackoff is how long to wait after a failed poll: Telegram's
// retry_after for a 429 (as classify reads it), else exponential from 1 s
// to 1 min.
func pollBackoff(err error, fails int) time.Duration {
	if se, ok := domain.AsSendError(classify(err, "")); ok && se.RetryAfter > 0 {
		return se.RetryAfter
	}
	return pollRetry.Delay(fails + 1)
}

// pollRetry is the wait after failed polls in a row.
var pollRetry = retry.Backoff{Base: time.Second, Cap: time.Minute}

func (rt *Runtime) handleBatch(ctx context.Context, updates []tgbotapi.Update, workers int) {
	lanes := make([][]tgbotapi.Update, workers)
	for _, u := range updates {
		i := rt.laneOf(u, workers)
		lanes[i] = append(lanes[i], u)
	}
	var wg sync.WaitGroup
	for _, lane := range lanes {
		if len(lane) == 0 {
			continue
		}
		wg.Add(1)
		go func(lane []tgbotapi.Update) {
			defer wg.Done()
			for _, u := range lane {
				rt.HandleUpdate(ctx, u)
			}
		}(lane)
	}
	wg.Wait()
}

// poller fetches updates for Run.
//
// Offsets: Telegram forgets every update below the offset a poll passes, and
// after a week without updates it may restart update ids at a random, lower
// number. So the poller passes last+1 only to confirm a batch it handled;
// once a poll came back empty (everything before it confirmed) it polls with
// offset 0 — nothing confirmed comes back, and new updates are not dropped
// whatever their id. Replays after a crash are recognised by the processed
// markers (wasSeen), not by the offset.
type poller struct {
	rt      *Runtime
	next    int  // the offset to pass: 0, or last handled + 1 to confirm
	high    int  // the highest update id received in this run
	polled  bool // a getUpdates succeeded in this run
	clash   bool // a 409 is going on
	clashes int  // conflicts since start (keys the admins' notice)
	sleep   func(ctx context.Context, d time.Duration) bool
	now     func() time.Time
}

func newPoller(rt *Runtime) *poller {
	p := &poller{rt: rt, sleep: sleepCtx, now: time.Now}
	if rt.Sleep != nil { // tests: a fake clock
		p.sleep, p.now = rt.Sleep, rt.now
	}
	return p
}

// sleepCtx waits d or until ctx ends (false).
func sleepCtx(ctx context.Context, d time.Duration) bool { return retry.Sleep(ctx, d) == nil }

// get polls once. A 409 at the first poll is ErrConflict; later it pauses
// handling (nil updates) until a poll succeeds again. Other errors are
// returned for Run's backoff.
func (p *poller) get(ctx context.Context) ([]tgbotapi.Update, error) {
	start := p.now()
	ups, err := p.rt.API.Updates(ctx, p.next, p.rt.pollTimeout())
	if isConflict(err) {
		if !p.polled {
			return nil, ErrConflict
		}
		p.conflict(ctx)
		p.sleep(ctx, ConflictPoll)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p.polled = true
	if p.clash {
		p.clash = false
		p.rt.log().Info("getUpdates works again: this process polls the bot alone, handling resumes")
	}
	if len(ups) == 0 {
		p.next = 0 // everything before was confirmed by this poll
		// An empty answer long before the poll's timeout: the endpoint
		// ignores it. Wait the rest of a second before asking again.
		if d := minEmptyPoll - p.now().Sub(start); d > 0 {
			p.sleep(ctx, d)
		}
		return nil, nil
	}
	if first := ups[0].UpdateID; first < p.high || (p.high == 0 && first < p.rt.seenFrom) {
		// Below what this run or the last one saw: Telegram restarted its
		// ids, or (at start) a batch handled before a crash comes back.
		if done, _ := p.rt.Markers.Processed(ctx, first); !done {
			p.rt.log().Warn("Telegram restarted its update ids (after a week without updates): accepting the new ids; replays are still recognised by their processed markers",
				"first_id", first, "previous_high", max(p.high, p.rt.seenFrom-1))
		}
		p.rt.reloadSeen(ctx)
	}
	p.high = ups[len(ups)-1].UpdateID
	p.next = p.high + 1
	return ups, nil
}

// conflict logs a 409 during a run and tells Conflict, once per conflict.
func (p *poller) conflict(ctx context.Context) {
	if p.clash {
		return
	}
	p.clash = true
	p.clashes++
	p.rt.log().Error("getUpdates: 409 Conflict: another process polls this bot with the same token; handling paused until it stops")
	if p.rt.Conflict != nil {
		p.rt.Conflict(ctx, "conflict|"+strconv.FormatInt(p.now().Unix(), 10)+"-"+strconv.Itoa(p.clashes))
	}
}

func isConflict(err error) bool {
	var te *tgbotapi.Error
	return errors.As(err, &te) && te.Code == http.StatusConflict
}

// reloadSeen forgets the markers kept in memory: after an id restart,
// wasSeen asks the database (old markers were pruned; a replay's marker is
// found by its id).
func (rt *Runtime) reloadSeen(ctx context.Context) {
	if _, err := rt.Markers.PruneProcessed(ctx, markerAge); err != nil {
		rt.log().Warn("prune processed markers", "err", err)
	}
	rt.seenMu.Lock()
	rt.seen = nil
	rt.seenMu.Unlock()
}
