package bot

import (
	"context"
	"sync"
	"time"

	"agencybot/domain"
)

// catalogTTL is how long task and agency records are reused: they change
// only when a plan is seeded, a due date set or an agency added.
const catalogTTL = 10 * time.Second

// catalogCache keeps tasks and agencies for a few seconds, so that redrawing
// a card after each button press costs no database reads for them.
type catalogCache struct {
	mu       sync.Mutex
	at       time.Time
	tasks    map[string]domain.Task
	agencies map[string]domain.Agency
}

func (b *Bot) catalog(ctx context.Context) (map[string]domain.Task, map[string]domain.Agency, error) {
	c := &b.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tasks != nil && time.Since(c.at) < catalogTTL {
		return c.tasks, c.agencies, nil
	}
	tasks, err := b.Catalog.Tasks(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	agencies, err := b.Catalog.Agencies(ctx)
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
func (b *Bot) task(ctx context.Context, code string) (domain.Task, error) {
	if ts, _, err := b.catalog(ctx); err == nil {
		if t, ok := ts[code]; ok {
			return t, nil
		}
	}
	return b.Catalog.Task(ctx, code)
}

func (b *Bot) agency(ctx context.Context, key string) domain.Agency {
	if _, as, err := b.catalog(ctx); err == nil {
		if a, ok := as[key]; ok {
			return a
		}
	}
	a, _ := b.Catalog.Agency(ctx, key)
	return a
}

// refs maps button refs to assignment ids; a ref never changes meaning, so
// the map only grows (by the assignments people actually press).
type refCache struct {
	mu  sync.Mutex
	ids map[string]string
}

func (b *Bot) rememberRef(ref, id string) {
	b.refs.mu.Lock()
	defer b.refs.mu.Unlock()
	if b.refs.ids == nil {
		b.refs.ids = map[string]string{}
	}
	b.refs.ids[ref] = id
}

// refID resolves a button ref to its assignment id.
func (b *Bot) refID(ctx context.Context, ref string) (string, error) {
	b.refs.mu.Lock()
	id, ok := b.refs.ids[ref]
	b.refs.mu.Unlock()
	if ok {
		return id, nil
	}
	id, err := b.Assignments.AssignmentIDByRef(ctx, ref)
	if err != nil {
		return "", err
	}
	b.rememberRef(ref, id)
	return id, nil
}
