package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/store/embedded"
)

// collection is one entry of the store's collection registry: everything
// the program knows about a collection is said here, once. New creates the
// collection and its indexes and sets the Store field that reaches it;
// backup, restore and migrate iterate the registry.
type collection struct {
	name string
	// field is the Store field that holds the collection.
	field func(*Store) **mongo.Collection
	// indexes are its secondary indexes (the _id index is implicit).
	indexes []mongo.IndexModel
	// inPlace collections hold state changed in place; backups and
	// migrations copy them before the append-only logs, so that a change
	// racing with the copy finds its log entry in the copy: an assignment
	// copied at version v with its update v+1 in the copied history is
	// rolled forward by Repair at start.
	inPlace bool
	// derived collections are rebuilt from the others (the summaries'
	// snapshot and its change log, rollstate.go; the history archive,
	// history.go): backups and migrations leave them out, a restore
	// empties them.
	derived bool
}

// carried tells whether backups and migrations carry the collection.
func (c collection) carried() bool { return !c.derived }

// collections is a registry.
type collections []collection

// Every query that runs per message or per reminder is a lookup by _id
// (identities are deterministic: see docs/ferretdb.md), which the _id index
// serves on both backends. Secondary indexes would only cost: the embedded
// backend cannot use them for queries, yet evaluates them on every write.
// The unique one enforces one agency per normalised name; the outbox's
// serve pruning by age.
var (
	uniqueNorm = mongo.IndexModel{Keys: bson.D{{Key: "norm", Value: 1}}, Options: options.Index().SetUnique(true)}
	byAge      = mongo.IndexModel{Keys: bson.D{{Key: "at", Value: 1}}}
	targetName = mongo.IndexModel{Keys: bson.D{{Key: "plan", Value: 1}, {Key: "norm", Value: 1}}, Options: options.Index().SetUnique(true)}
)

// oneUpdatePerSource lets a source into an assignment's history once: the
// insert of an update is then the proof that its source was not applied
// before (Apply). It is not in the registry's list because a history
// written before it may repeat a source, and then it cannot be built:
// ensureSourceIndex.
var oneUpdatePerSource = mongo.IndexModel{
	Keys:    bson.D{{Key: "assignment", Value: 1}, {Key: "source", Value: 1}},
	Options: options.Index().SetUnique(true).SetName("one_update_per_source"),
}

// prepare creates the registry's collections and indexes in the store's
// database, then the history's index of sources (which decides whether
// Apply marks sources).
func (s *Store) prepare(ctx context.Context) error {
	if err := s.reg.create(ctx, s.db); err != nil {
		return err
	}
	return s.ensureSourceIndex(ctx)
}

// ensureSourceIndex builds the history's unique index of sources. Where an
// older history repeats a source (two processes applied one before the
// index existed, or a restored archive of such a history) the index cannot
// be built: the store then marks sources in applied_sources as it did
// before, which is as safe and costs a command more per change.
func (s *Store) ensureSourceIndex(ctx context.Context) error {
	_, err := s.updates.Indexes().CreateOne(ctx, fresh(oneUpdatePerSource))
	switch {
	case err == nil:
		s.markSources = false
		return nil
	case repeatsAKey(err):
		s.markSources = true
		return nil
	default:
		return fmt.Errorf("create the index of sources of updates: %w", err)
	}
}

// repeatsAKey tells whether building a unique index failed because the
// documents repeat its key: MongoDB says DuplicateKey (11000); FerretDB v1
// passes SQLite's "UNIQUE constraint failed".
func repeatsAKey(err error) bool {
	return isDup(err) || strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// fresh is a copy of an index model whose options the driver may change:
// CreateOne appends the index's name to them (SetName), so two stores
// opened at once (tests in parallel, a second process's store in one
// program) must not hand it the registry's own.
func fresh(m mongo.IndexModel) mongo.IndexModel {
	if m.Options != nil {
		m.Options = &options.IndexOptionsBuilder{Opts: slices.Clone(m.Options.Opts)}
	}
	return m
}

// registry is every collection the store uses. The in-place state comes
// first, in the order backups copy it.
var registry = collections{
	{name: "bot_state", field: func(s *Store) **mongo.Collection { return &s.botState }, inPlace: true},
	{name: "officers", field: func(s *Store) **mongo.Collection { return &s.officers }, inPlace: true},
	{name: "invites", field: func(s *Store) **mongo.Collection { return &s.invites }, inPlace: true},
	{name: "sessions", field: func(s *Store) **mongo.Collection { return &s.sessions }, inPlace: true},
	{name: "assignments", field: func(s *Store) **mongo.Collection { return &s.assignments }, inPlace: true},
	{name: "assignment_refs", field: func(s *Store) **mongo.Collection { return &s.refs }, inPlace: true},
	{name: "agencies", field: func(s *Store) **mongo.Collection { return &s.agencies }, inPlace: true, indexes: []mongo.IndexModel{uniqueNorm}},
	{name: "plans", field: func(s *Store) **mongo.Collection { return &s.plans }, inPlace: true},
	{name: "tasks", field: func(s *Store) **mongo.Collection { return &s.tasks }, inPlace: true},
	// One target per name and plan (targets.go).
	{name: "targets", field: func(s *Store) **mongo.Collection { return &s.targets }, inPlace: true, indexes: []mongo.IndexModel{targetName}},

	{name: "updates", field: func(s *Store) **mongo.Collection { return &s.updates }},
	{name: "target_values", field: func(s *Store) **mongo.Collection { return &s.targetValues }}, // the targets' reported values, append-only
	{name: "applied_sources", field: func(s *Store) **mongo.Collection { return &s.sources }},    // one marker per source applied to an assignment
	{name: "processed_updates", field: func(s *Store) **mongo.Collection { return &s.processed }},
	{name: "instances", field: func(s *Store) **mongo.Collection { return &s.instances }},
	{name: "runs", field: func(s *Store) **mongo.Collection { return &s.runs }},
	{name: "outbox", field: func(s *Store) **mongo.Collection { return &s.outbox }},
	{name: "outbox_claims", field: func(s *Store) **mongo.Collection { return &s.outboxClaims }},
	{name: "outbox_done", field: func(s *Store) **mongo.Collection { return &s.outboxDone }, indexes: []mongo.IndexModel{byAge}},
	{name: "outbox_files", field: func(s *Store) **mongo.Collection { return &s.outboxFiles }},
	{name: "reminder_items", field: func(s *Store) **mongo.Collection { return &s.reminderItems }, indexes: []mongo.IndexModel{byAge}},
	{name: "message_about", field: func(s *Store) **mongo.Collection { return &s.abouts }},
	{name: "live_cards", field: func(s *Store) **mongo.Collection { return &s.liveCards }},
	{name: "drafts", field: func(s *Store) **mongo.Collection { return &s.drafts }},
	{name: "one_shot", field: func(s *Store) **mongo.Collection { return &s.once }},
	{name: "reviews", field: func(s *Store) **mongo.Collection { return &s.reviews }},
	{name: "task_edits", field: func(s *Store) **mongo.Collection { return &s.taskEdits }},
	{name: "extensions", field: func(s *Store) **mongo.Collection { return &s.extensions }}, // gia hạn (extensions.go)
	{name: "plan_imports", field: func(s *Store) **mongo.Collection { return &s.imports }},
	{name: "pending_imports", field: func(s *Store) **mongo.Collection { return &s.pendingImports }},
	{name: "report_jobs", field: func(s *Store) **mongo.Collection { return &s.reportJobs }},
	{name: "invite_tries", field: func(s *Store) **mongo.Collection { return &s.inviteTries }}, // wrong invite codes per user (invites.go)

	{name: "rollup_changes", field: func(s *Store) **mongo.Collection { return &s.changeLog }, derived: true},
	{name: "rollup_snapshot", field: func(s *Store) **mongo.Collection { return &s.snapshots }, derived: true},
	{name: "history_archive", field: func(s *Store) **mongo.Collection { return &s.archive }, derived: true},
	{name: "history_head", field: func(s *Store) **mongo.Collection { return &s.archiveHead }, derived: true},
}

// names lists the registry's collection names, in its order.
func (r collections) names() []string {
	out := make([]string, len(r))
	for i, c := range r {
		out[i] = c.name
	}
	return out
}

// lookup finds a collection by name.
func (r collections) lookup(name string) (collection, bool) {
	i := slices.IndexFunc(r, func(c collection) bool { return c.name == name })
	if i < 0 {
		return collection{}, false
	}
	return r[i], true
}

// copied lists the carried collections db has, in copy order: the in-place
// state first, in the registry's order, then the rest by name.
func (r collections) copied(ctx context.Context, db *mongo.Database) ([]string, error) {
	have, err := existing(ctx, db)
	if err != nil {
		return nil, err
	}
	var first, rest []string
	for _, c := range r {
		switch {
		case !c.carried() || !slices.Contains(have, c.name):
		case c.inPlace:
			first = append(first, c.name)
		default:
			rest = append(rest, c.name)
		}
	}
	sort.Strings(rest)
	return append(first, rest...), nil
}

// copiedNames lists the collections of db that backups and migrations
// carry, in copy order (the store's registry).
func copiedNames(ctx context.Context, db *mongo.Database) ([]string, error) {
	return registry.copied(ctx, db)
}

// existing lists db's collections (without the server's system.*).
func existing(ctx context.Context, db *mongo.Database) ([]string, error) {
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list collections: %w", err)
	}
	return slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "system.") }), nil
}

// open sets the Store's field of every collection of the registry.
func (r collections) open(s *Store) {
	for _, c := range r {
		if c.field != nil {
			*c.field(s) = s.db.Collection(c.name)
		}
	}
}

// create creates every collection of the registry that db lacks, then its
// indexes. When this process runs the embedded server, it also gives each
// collection the SQLite index its lookups by _id need (store/embedded/
// idindex.go: without it FerretDB v1.24 scans the whole table for every
// find, update and delete by _id); MongoDB has that index already.
func (r collections) create(ctx context.Context, db *mongo.Database) error {
	have, err := existing(ctx, db)
	if err != nil {
		return err
	}
	for _, c := range r {
		if slices.Contains(have, c.name) {
			continue
		}
		if err := db.CreateCollection(ctx, c.name); err != nil && !isNamespaceExists(err) {
			return fmt.Errorf("create collection %s: %w", c.name, err)
		}
	}
	if err := r.createIndexes(ctx, db); err != nil {
		return err
	}
	if !embedded.InProcess() {
		return nil
	}
	return embedded.IndexIDs(ctx, db.Name())
}

// createIndexes creates the registry's indexes, one per call: FerretDB
// v1.24 panics (and drops the connection) when createIndexes names several
// indexes that all exist already, as they do on every start after the
// first. See docs/ferretdb.md.
func (r collections) createIndexes(ctx context.Context, db *mongo.Database) error {
	for _, c := range r {
		for _, m := range c.indexes {
			if _, err := db.Collection(c.name).Indexes().CreateOne(ctx, fresh(m)); err != nil {
				return fmt.Errorf("create indexes of %s: %w", c.name, err)
			}
		}
	}
	return nil
}
