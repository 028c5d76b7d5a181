// Package ops serves what an operator watches: /healthz, /readyz and
// Prometheus /metrics on HTTP_ADDR, and runs the scheduled backup. The bot
// and the scheduler record into a *Metrics; the outbox and the planning runs
// are read from the database on each scrape, so every instance reports the
// same figures for the shared data.
package ops

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Send outcomes, the values of agencybot_sends_total's outcome label.
const (
	SendOK       = "ok"
	SendTooMany  = "429"
	SendServer   = "5xx"
	SendBlocked  = "403"
	SendRejected = "other" // any other error answer (400 and the like)
)

// Metrics holds the program's Prometheus metrics. Its methods may be called
// on a nil *Metrics (they do nothing), so parts built without it still work.
type Metrics struct {
	reg *prometheus.Registry

	updates       *prometheus.CounterVec
	updateSeconds *prometheus.HistogramVec
	sends         *prometheus.CounterVec
	apiCalls      *prometheus.CounterVec
	telegramLast  prometheus.Gauge
	runMessages   *prometheus.HistogramVec

	mu       sync.Mutex
	lastTG   time.Time
	jobsDone map[string]time.Time
}

// NewMetrics creates the metrics in a registry of their own, with the Go
// runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg:      prometheus.NewRegistry(),
		jobsDone: map[string]time.Time{},
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "agencybot_updates_handled_total",
			Help: "Telegram updates handled, by kind (message, command, callback, …) and result (ok, error).",
		}, []string{"kind", "result"}),
		updateSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "agencybot_update_duration_seconds",
			Help:    "Time from receiving a Telegram update to having handled it, by kind.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"kind"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "agencybot_sends_total",
			Help: "Messages and files sent to Telegram, by outcome (ok, 429, 5xx, 403, other); every attempt counts.",
		}, []string{"outcome"}),
		apiCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "agencybot_telegram_requests_total",
			Help: "Bot API requests, by method and HTTP status (\"error\" when no answer came).",
		}, []string{"method", "code"}),
		telegramLast: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "agencybot_telegram_last_success_timestamp_seconds",
			Help: "When the Bot API last answered (Unix time).",
		}),
		runMessages: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "agencybot_run_messages",
			Help:    "Messages queued per planning run, by job (reminders, digest), runs of this instance.",
			Buckets: []float64{0, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500},
		}, []string{"job"}),
	}
	for _, o := range []string{SendOK, SendTooMany, SendServer, SendBlocked, SendRejected} {
		m.sends.WithLabelValues(o) // present at 0 from the start
	}
	m.reg.MustRegister(m.updates, m.updateSeconds, m.sends, m.apiCalls, m.telegramLast, m.runMessages,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Register adds a collector (the store collector, say) to the registry.
func (m *Metrics) Register(c prometheus.Collector) error { return m.reg.Register(c) }

// UpdateHandled records one Telegram update: its kind (a small fixed set
// such as "message", "command", "callback", "file"), how long handling it
// took, and whether it failed.
func (m *Metrics) UpdateHandled(kind string, took time.Duration, err error) {
	if m == nil {
		return
	}
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.updates.WithLabelValues(kind, result).Inc()
	m.updateSeconds.WithLabelValues(kind).Observe(took.Seconds())
}

// RunPlanned records a planning run of a job ("reminders", "digest") that
// queued messages messages, and that the job succeeded at at.
func (m *Metrics) RunPlanned(job string, messages int, at time.Time) {
	if m == nil {
		return
	}
	m.runMessages.WithLabelValues(job).Observe(float64(messages))
	m.JobSucceeded(job, at)
}

// JobSucceeded records that a job finished without error at at.
func (m *Metrics) JobSucceeded(job string, at time.Time) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if at.After(m.jobsDone[job]) {
		m.jobsDone[job] = at
	}
}

// TelegramReached records that the Bot API answered at at.
func (m *Metrics) TelegramReached(at time.Time) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if at.After(m.lastTG) {
		m.lastTG = at
		m.telegramLast.Set(float64(at.UnixNano()) / 1e9)
	}
}

// LastTelegram is when the Bot API last answered (zero: never).
func (m *Metrics) LastTelegram() time.Time {
	if m == nil {
		return time.Time{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lastTG
}

// SendOutcome maps a Bot API answer's HTTP status (200 for success) to the
// outcome label of agencybot_sends_total.
func SendOutcome(status int) string {
	switch {
	case status >= 200 && status < 300:
		return SendOK
	case status == http.StatusTooManyRequests:
		return SendTooMany
	case status == http.StatusForbidden:
		return SendBlocked
	case status >= 500:
		return SendServer
	}
	return SendRejected
}

// Sent records one send attempt with its outcome (see SendOutcome).
func (m *Metrics) Sent(outcome string) {
	if m == nil {
		return
	}
	m.sends.WithLabelValues(outcome).Inc()
}

// apiCall records one Bot API request (code 0: no answer).
func (m *Metrics) apiCall(method string, code int) {
	c := "error"
	if code > 0 {
		c = strconv.Itoa(code)
	}
	m.apiCalls.WithLabelValues(method, c).Inc()
}

// jobs returns a copy of the in-process job successes.
func (m *Metrics) jobs() map[string]time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]time.Time, len(m.jobsDone))
	for k, v := range m.jobsDone {
		out[k] = v
	}
	return out
}

// scrapeTimeout bounds the database reads of one scrape.
const scrapeTimeout = 5 * time.Second

func scrapeContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), scrapeTimeout)
}
