package bot

// The poll side of Run: gentle polling, Telegram's update-id reset, and a
// second poller with the same token (409 Conflict).

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// ErrConflict is returned by Run when another process polls the same bot at
// start: two pollers would split the updates between two databases.
var ErrConflict = errors.New("another process is polling this bot (getUpdates: 409 Conflict); stop it or use a different bot token")

// Polling intervals.
const (
	// minEmptyPoll is the least time between polls that come back empty
	// (an endpoint that ignores timeout must not make the bot spin).
	minEmptyPoll = time.Second
	// conflictPoll is the wait between polls while another poller holds the bot.
	conflictPoll = 5 * time.Second
)

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
	b       *Bot
	next    int  // the offset to pass: 0, or last handled + 1 to confirm
	high    int  // the highest update id received in this run
	polled  bool // a getUpdates succeeded in this run
	clash   bool // a 409 is going on
	clashes int  // conflicts since start (keys the admins' notice)
	sleep   func(ctx context.Context, d time.Duration) bool
	now     func() time.Time
}

func newPoller(b *Bot) *poller {
	p := &poller{b: b, sleep: sleepCtx, now: time.Now}
	if b.sleep != nil { // tests: a fake clock
		p.sleep, p.now = b.sleep, b.now
	}
	return p
}

// sleepCtx waits d or until ctx ends (false).
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// get polls once. A 409 at the first poll is ErrConflict; later it pauses
// handling (nil updates) until a poll succeeds again. Other errors are
// returned for Run's backoff.
func (p *poller) get(ctx context.Context) ([]tgbotapi.Update, error) {
	start := p.now()
	ups, err := p.b.API.Updates(ctx, p.next, p.b.pollTimeout())
	if isConflict(err) {
		if !p.polled {
			return nil, ErrConflict
		}
		p.conflict(ctx)
		p.sleep(ctx, conflictPoll)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p.polled = true
	if p.clash {
		p.clash = false
		p.b.log().Info("getUpdates works again: this process polls the bot alone, handling resumes")
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
	if first := ups[0].UpdateID; first < p.high || (p.high == 0 && first < p.b.seenFrom) {
		// Below what this run or the last one saw: Telegram restarted its
		// ids, or (at start) a batch handled before a crash comes back.
		if done, _ := p.b.Polls.Processed(ctx, first); !done {
			p.b.log().Warn("Telegram restarted its update ids (after a week without updates): accepting the new ids; replays are still recognised by their processed markers",
				"first_id", first, "previous_high", max(p.high, p.b.seenFrom-1))
		}
		p.b.reloadSeen(ctx)
	}
	p.high = ups[len(ups)-1].UpdateID
	p.next = p.high + 1
	return ups, nil
}

// conflict logs a 409 during a run and tells the admins, once per conflict.
func (p *poller) conflict(ctx context.Context) {
	if p.clash {
		return
	}
	p.clash = true
	p.clashes++
	p.b.log().Error("getUpdates: 409 Conflict: another process polls this bot with the same token; handling paused until it stops")
	key := "conflict|" + strconv.FormatInt(p.now().Unix(), 10) + "-" + strconv.Itoa(p.clashes)
	for _, id := range p.b.Config.AdminIDs {
		p.b.push(ctx, key+"|"+strconv.FormatInt(id, 10), id, p.b.textFor(ctx, id, "admin.conflict"))
	}
}

func isConflict(err error) bool {
	var te *tgbotapi.Error
	return errors.As(err, &te) && te.Code == http.StatusConflict
}

// reloadSeen forgets the markers kept in memory: after an id restart,
// wasSeen asks the database (old markers were pruned; a replay's marker is
// found by its id).
func (b *Bot) reloadSeen(ctx context.Context) {
	if _, err := b.Polls.PruneProcessed(ctx, markerAge); err != nil {
		b.log().Warn("prune processed markers", "err", err)
	}
	b.seenMu.Lock()
	b.seen = nil
	b.seenMu.Unlock()
}
