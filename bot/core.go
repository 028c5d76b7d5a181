package bot

// What every feature shares: the configuration, the clock, the log, the
// outbox for what the bot sends on its own, the catalog cache and the
// summaries.

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"agencybot/config"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/summaries"
)

// officerFinder finds a linked person, to write to them in their language.
type officerFinder interface {
	Officer(ctx context.Context, telegramID int64) (domain.Officer, error)
}

// core is embedded in every feature.
type core struct {
	cfg     config.Config
	clock   func() time.Time
	log     *slog.Logger
	outbox  Outbox
	people  officerFinder
	catalog *catalog
	refs    *refCache
	sums    *summaries.Summaries
	botName func() string // the bot's @username, without the @
}

func (c *core) now() time.Time {
	if c.clock != nil {
		return c.clock()
	}
	return time.Now()
}

// local is now in the province's zone.
func (c *core) local() time.Time { return c.now().In(c.cfg.Location) }

// today is the date in the province.
func (c *core) today() deadline.Date { return deadline.DateOf(c.local()) }

// policy is the configured light thresholds.
func (c *core) policy() domain.Policy {
	return domain.PolicyFor(c.cfg.SoonDays, c.cfg.ReportPeriod).WithReportDay(c.cfg.Reminders.ReportDay)
}

// rollupInput is the roll-up input as of now: the open plans, or every plan
// when allPlans (the exports), from memory.
func (c *core) rollupInput(ctx context.Context, allPlans bool) (report.Input, error) {
	return c.sums.RollupInput(ctx, report.Base(c.cfg, c.now()), "", allPlans)
}

// agencyInput is the roll-up input of the open plans for one agency's
// assignments (agencyKey not empty) or for all: from memory once the whole
// input is there; before that one agency's is read by _id, so an officer's
// first /tasks does not wait for the province's.
func (c *core) agencyInput(ctx context.Context, agencyKey string) (report.Input, error) {
	return c.sums.RollupInput(ctx, report.Base(c.cfg, c.now()), agencyKey, false)
}

// push queues text for chat under key ("<cause>|<update id>|<chat>"): a
// replayed update queues nothing new, and the dispatcher sends it at once
// with retries. Messages the bot sends on its own — to someone other than
// the person who just wrote — all go this way.
func (c *core) push(ctx context.Context, key string, chat int64, text string) {
	c.pushWith(ctx, key, domain.Outgoing{ChatID: chat, Text: text})
}

// pushWith is push for a message with buttons.
func (c *core) pushWith(ctx context.Context, key string, out domain.Outgoing) {
	if _, err := c.outbox.Enqueue(ctx, key, out); err != nil {
		c.log.Error("queue a notice", "key", key, "chat", out.ChatID, "err", err)
	}
}

// notify queues a notice caused by w's update to a person who did not ask
// for it.
func (c *core) notify(ctx context.Context, w who, cause string, chat int64, text string) {
	c.push(ctx, pushKey(cause, w.Source, chat), chat, text)
}

// pushKey names a pushed message: its cause, the update that caused it (the
// source "tg:<update id>") and the recipient.
func pushKey(cause, source string, chat int64) string {
	return cause + "|" + strings.TrimPrefix(source, "tg:") + "|" + strconv.FormatInt(chat, 10)
}

// langOf is the language of a person the bot writes to on its own: their
// linked record's, else Vietnamese.
func (c *core) langOf(ctx context.Context, id int64) i18n.Lang {
	if o, err := c.people.Officer(ctx, id); err == nil {
		return i18n.For(o.Lang)
	}
	return i18n.VI
}

// textFor renders a text in another linked user's language.
func (c *core) textFor(ctx context.Context, id int64, key string, args ...any) string {
	return who{Lang: c.langOf(ctx, id)}.t(key, args...)
}

// roleText describes a link in l (HTML): "Cán bộ đầu mối của Sở Y tế" or
// "Lãnh đạo UBND tỉnh".
func (c *core) roleText(ctx context.Context, l i18n.Lang, role domain.OfficerRole, agencyKey string) string {
	if role == domain.RoleLeader {
		return i18n.T(l, "whoami.leader")
	}
	name := agencyKey
	if ag, err := c.catalog.store.Agency(ctx, agencyKey); err == nil {
		name = ag.Name
	}
	return i18n.T(l, "whoami.officer", escape(name))
}

func itoa(v int) string     { return strconv.Itoa(v) }
func itoa64(v int64) string { return strconv.FormatInt(v, 10) }
