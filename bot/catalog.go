package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/summaries"
)

// catalogStore is the plans' tasks and the agencies (*store.Store).
type catalogStore interface {
	Tasks(ctx context.Context, planKey string) ([]domain.Task, error)
	Task(ctx context.Context, code string) (domain.Task, error)
	Agencies(ctx context.Context) ([]domain.Agency, error)
	Agency(ctx context.Context, key string) (domain.Agency, error)
	AgencyIndex(ctx context.Context) (*agency.Index, error)
}

// catalogTTL is how long task and agency records are reused: they change
// only when a plan is seeded, a due date set or an agency added.
const catalogTTL = 10 * time.Second

// catalog keeps tasks and agencies for a few seconds, so that redrawing a
// card after each button press costs no database reads for them.
type catalog struct {
	store catalogStore
	sums  *summaries.Summaries
	log   *slog.Logger

	mu       sync.Mutex
	at       time.Time
	tasks    map[string]domain.Task
	agencies map[string]domain.Agency
}

func (c *catalog) load(ctx context.Context) (map[string]domain.Task, map[string]domain.Agency, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tasks != nil && time.Since(c.at) < catalogTTL {
		return c.tasks, c.agencies, nil
	}
	tasks, err := c.store.Tasks(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	agencies, err := c.store.Agencies(ctx)
	if err != nil {
		return nil, nil, err
	}
	c.tasks, c.agencies, c.at = map[string]domain.Task{}, map[string]domain.Agency{}, time.Now()
	for _, t := range tasks {
		c.tasks[t.Code] = t
	}
	for _, a := range agencies {
		c.agencies[a.Key] = a
	}
	return c.tasks, c.agencies, nil
}

// task and agency read through the cache, falling back to the store.
func (c *catalog) task(ctx context.Context, code string) (domain.Task, error) {
	if ts, _, err := c.load(ctx); err == nil {
		if t, ok := ts[code]; ok {
			return t, nil
		}
	}
	return c.store.Task(ctx, code)
}

func (c *catalog) agency(ctx context.Context, key string) domain.Agency {
	if _, as, err := c.load(ctx); err == nil {
		if a, ok := as[key]; ok {
			return a
		}
	}
	a, _ := c.store.Agency(ctx, key)
	return a
}

// changed is called after this bot changed plans, tasks or agencies: the
// cached tasks and agencies are dropped, and the summaries brought up to
// date before the coordinator is answered, so that every view agrees at once.
func (c *catalog) changed(ctx context.Context) {
	c.mu.Lock()
	c.tasks, c.agencies = nil, nil
	c.mu.Unlock()
	if err := c.sums.Changed(ctx); err != nil {
		c.log.Warn("bring the summaries up to date", "err", err)
	}
}

// refStore resolves the short refs buttons carry.
type refStore interface {
	AssignmentIDByRef(ctx context.Context, ref string) (string, error)
}

// refCache maps button refs to assignment ids; a ref never changes meaning,
// so the map only grows (by the assignments people actually press).
type refCache struct {
	store refStore

	mu  sync.Mutex
	ids map[string]string
}

func (r *refCache) remember(ref, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ids == nil {
		r.ids = map[string]string{}
	}
	r.ids[ref] = id
}

// id resolves a button ref to its assignment id.
func (r *refCache) id(ctx context.Context, ref string) (string, error) {
	r.mu.Lock()
	id, ok := r.ids[ref]
	r.mu.Unlock()
	if ok {
		return id, nil
	}
	id, err := r.store.AssignmentIDByRef(ctx, ref)
	if err != nil {
		return "", err
	}
	r.remember(ref, id)
	return id, nil
}
