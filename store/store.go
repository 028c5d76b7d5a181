// Package store keeps the bot's data in MongoDB, or in an embedded
// MongoDB-compatible server (FerretDB with SQLite) when no MONGODB_URI is set.
// The same code runs on both: only single-document atomic updates, unique
// indexes and simple queries are used, and roll-ups are computed in Go.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/config"
	"agencybot/store/embedded"
)

// ErrDataDirBusy means another process holds DATA_DIR.
var ErrDataDirBusy = embedded.ErrDataDirBusy

// ErrNotFound is returned when a looked-up record does not exist.
var ErrNotFound = errors.New("not found")

// Options say where the data lives.
type Options struct {
	URI      string       // MONGODB_URI; empty starts (or joins) the embedded server in DataDir
	Database string       // database name
	DataDir  string       // where the embedded server keeps its files
	Logger   *slog.Logger // for the embedded server's own log; quiet when nil
	Clock    func() time.Time
	// Location is the configured time zone (TZ): "today" and due dates are
	// judged in it. Nil: Asia/Ho_Chi_Minh.
	Location *time.Location
	// Join allows connecting to the embedded server of another process that
	// holds DataDir (for CLI commands run while the bot runs).
	Join bool
}

// Store is the data access of the program.
type Store struct {
	client   *mongo.Client
	db       *mongo.Database
	embedded *embedded.Server
	now      func() time.Time
	// wall stamps the derived collections' ids and the change log (an
	// order of writes across processes, never a decision by date): the
	// machine's clock, which only tests replace (wallClock).
	wall func() time.Time
	loc  *time.Location
	// Backend names the database in use for logs ("embedded", "embedded (shared)" or "mongodb").
	Backend string

	plans, tasks, agencies, assignments, updates   *mongo.Collection
	officers, invites, botState, processed, outbox *mongo.Collection
	sources                                        *mongo.Collection // one marker per source applied to an assignment

	// changeGrace is how long a writer may take between noting a change for
	// the summaries and making it (rollstate.go).
	changeGrace time.Duration
}

// Connect opens a client. single limits the pool to one connection, which
// the embedded FerretDB needs for conditional updates to be atomic.
func Connect(ctx context.Context, uri string, single bool) (*mongo.Client, error) {
	o := options.Client().ApplyURI(uri).SetServerSelectionTimeout(10 * time.Second).SetAppName("agencybot")
	if single {
		o.SetMaxPoolSize(1).SetMaxConnecting(1)
	}
	c, err := mongo.Connect(o)
	if err != nil { // the driver may quote the URI, credentials and all
		return nil, fmt.Errorf("connect: %w", config.RedactError(err, config.URLSecrets(uri)...))
	}
	if err := c.Ping(ctx, nil); err != nil {
		_ = c.Disconnect(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("ping database: %w", config.RedactError(err, config.URLSecrets(uri)...))
	}
	return c, nil
}

// Open connects as the options say, creates the indexes and returns the store.
func Open(ctx context.Context, o Options) (*Store, error) {
	var (
		emb     *embedded.Server
		uri     = o.URI
		backend = "mongodb"
		err     error
	)
	if uri == "" {
		emb, err = embedded.Start(ctx, o.DataDir, o.Logger)
		switch {
		case err == nil:
			uri, backend = emb.URI, "embedded"
		case errors.Is(err, ErrDataDirBusy) && o.Join:
			if uri, err = embedded.SocketURI(o.DataDir); err != nil {
				return nil, err
			}
			backend = "embedded (shared)"
		default:
			return nil, err
		}
	}
	client, err := Connect(ctx, uri, o.URI == "")
	if err != nil {
		if emb != nil {
			_ = emb.Stop()
		}
		return nil, err
	}
	s, err := New(ctx, client, o.Database, o.Clock)
	if err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		if emb != nil {
			_ = emb.Stop()
		}
		return nil, err
	}
	s.embedded, s.Backend, s.loc = emb, backend, o.Location
	return s, nil
}

// New wraps an open client: it prepares the collections of database name and
// their indexes. Tests share one client and give each test its own database.
func New(ctx context.Context, client *mongo.Client, name string, clock func() time.Time) (*Store, error) {
	if clock == nil {
		clock = time.Now
	}
	db := client.Database(name)
	s := &Store{
		client: client, db: db, now: clock, wall: time.Now, Backend: "mongodb", changeGrace: ChangeGrace,
		plans:       db.Collection("plans"),
		tasks:       db.Collection("tasks"),
		agencies:    db.Collection("agencies"),
		assignments: db.Collection("assignments"),
		updates:     db.Collection("updates"),
		officers:    db.Collection("officers"),
		invites:     db.Collection("invites"),
		botState:    db.Collection("bot_state"),
		processed:   db.Collection("processed_updates"),
		outbox:      db.Collection("outbox"),
		sources:     db.Collection("applied_sources"),
	}
	if err := s.ensureIndexes(ctx); err != nil {
		return nil, err
	}
	if err := s.indexIDs(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// storeCollections lists every collection the store uses.
var storeCollections = []string{
	"plans", "tasks", "agencies", "assignments", "assignment_refs", "updates", "applied_sources",
	"officers", "invites", "sessions", "bot_state", "processed_updates", "instances", "runs",
	"outbox", "outbox_claims", "outbox_done", "outbox_files", "reminder_items",
	"message_about", "live_cards", "drafts", "one_shot",
	"reviews", "task_edits", "plan_imports", "pending_imports",
	"rollup_changes", "rollup_snapshot", "history_archive", "history_head", "report_jobs",
}

// indexIDs, when this process runs the embedded server, creates every
// collection up front and gives each the SQLite index its lookups by _id
// need (store/embedded/idindex.go: without it FerretDB v1.24 scans the
// whole table for every find, update and delete by _id). MongoDB has that
// index already.
func (s *Store) indexIDs(ctx context.Context) error {
	if !embedded.InProcess() {
		return nil
	}
	have, err := s.db.ListCollectionNames(ctx, bson.M{})
	if err != nil {
		return fmt.Errorf("list collections: %w", err)
	}
	for _, n := range storeCollections {
		if slices.Contains(have, n) {
			continue
		}
		if err := s.db.CreateCollection(ctx, n); err != nil && !isNamespaceExists(err) {
			return fmt.Errorf("create collection %s: %w", n, err)
		}
	}
	return embedded.IndexIDs(ctx, s.db.Name())
}

func (s *Store) ensureIndexes(ctx context.Context) error {
	// Every query that runs per message or per reminder is a lookup by _id
	// (identities are deterministic: see docs/ferretdb.md), which the _id
	// index serves on both backends. Secondary indexes would only cost: the
	// embedded backend cannot use them for queries, yet evaluates them on
	// every write. The unique ones below enforce one record per real thing.
	idx := map[*mongo.Collection][]mongo.IndexModel{
		s.agencies: {
			{Keys: bson.D{{Key: "norm", Value: 1}}, Options: options.Index().SetUnique(true)},
		},
	}
	// One index per call: FerretDB v1.24 panics (and drops the connection)
	// when createIndexes names several indexes that all exist already, as
	// they do on every start after the first. See docs/ferretdb.md.
	for coll, models := range idx {
		for _, m := range models {
			if _, err := coll.Indexes().CreateOne(ctx, m); err != nil {
				return fmt.Errorf("create indexes of %s: %w", coll.Name(), err)
			}
		}
	}
	return s.ensureOutboxIndexes(ctx)
}

// Close disconnects and stops the embedded server if this store started it.
func (s *Store) Close(ctx context.Context) error {
	err := s.client.Disconnect(ctx)
	if s.embedded != nil {
		err = errors.Join(err, s.embedded.Stop())
	}
	return err
}

// Drop deletes the whole database (tests).
func (s *Store) Drop(ctx context.Context) error { return s.db.Drop(ctx) }

// isDup tells whether err is a unique-index violation.
func isDup(err error) bool { return mongo.IsDuplicateKeyError(err) }

// all decodes every document a query returns.
func all[T any](ctx context.Context, c *mongo.Collection, filter any, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := c.Find(ctx, filter, opts...)
	if err != nil {
		return nil, err
	}
	var out []T
	if err := cur.All(ctx, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// one decodes one document, mapping "no documents" to ErrNotFound.
func one[T any](ctx context.Context, c *mongo.Collection, filter any, opts ...options.Lister[options.FindOneOptions]) (T, error) {
	var v T
	err := c.FindOne(ctx, filter, opts...).Decode(&v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return v, ErrNotFound
	}
	return v, err
}

func isNoDocs(err error) bool { return errors.Is(err, mongo.ErrNoDocuments) }
