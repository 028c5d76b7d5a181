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
	"strings"
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
	// dataDir holds the embedded server's files when the store uses it (its
	// own or, through the socket, another process's): backups copy its
	// SQLite file (backup.go).
	dataDir string
	now     func() time.Time
	// wall stamps the derived collections' ids and the change log (an
	// order of writes across processes, never a decision by date): the
	// machine's clock, which only tests replace (wallClock).
	wall func() time.Time
	loc  *time.Location
	// Backend names the database in use for logs ("embedded", "embedded (shared)" or "mongodb").
	Backend string

	// reg is the collection registry (collections.go): it says which
	// collections there are and sets the fields below, one per collection.
	reg collections

	botState, officers, invites, sessions, assignments, refs, agencies, plans, tasks                                  *mongo.Collection
	updates, sources, processed, instances, runs                                                                      *mongo.Collection
	outbox, outboxClaims, outboxDone, outboxFiles, reminderItems                                                      *mongo.Collection
	abouts, liveCards, drafts, once, reviews, taskEdits, extensions, imports, pendingImports, reportJobs, inviteTries *mongo.Collection
	changeLog, snapshots, archive, archiveHead                                                                        *mongo.Collection
	targets, targetValues                                                                                             *mongo.Collection

	// changeGrace is how long a writer may take between noting a change for
	// the summaries and making it (rollstate.go).
	changeGrace time.Duration
	// markSources says the history lacks its unique index of sources, so
	// Apply marks each source in applied_sources (ensureSourceIndex).
	markSources bool
	// cache holds what a press would otherwise read again (cache.go).
	cache caches
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

// isFerretDB tells whether the server is FerretDB (its buildInfo says
// ferretdbVersion; MongoDB's does not).
func isFerretDB(ctx context.Context, c *mongo.Client) (bool, error) {
	var info bson.M
	if err := c.Database("admin").RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return false, fmt.Errorf("ask the database what it is: %w", err)
	}
	_, ok := info["ferretdbVersion"]
	return ok, nil
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
	if err == nil && o.URI != "" {
		// MONGODB_URI may name a FerretDB too: the embedded server of
		// another process through its socket, or one of its own. It needs
		// one connection per process as the embedded one does.
		var ferret bool
		if ferret, err = isFerretDB(ctx, client); err == nil && ferret {
			_ = client.Disconnect(context.WithoutCancel(ctx))
			client, err = Connect(ctx, uri, true)
			backend = "ferretdb"
			if strings.Contains(uri, embedded.SocketName) {
				backend = "embedded (shared)"
			}
		}
	}
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
	if o.URI == "" {
		s.dataDir = o.DataDir
	}
	return s, nil
}

// New wraps an open client: it prepares the collections of database name and
// their indexes. Tests share one client and give each test its own database.
func New(ctx context.Context, client *mongo.Client, name string, clock func() time.Time) (*Store, error) {
	return newStore(ctx, client, name, clock, registry)
}

// newStore is New with a registry of the caller's (tests add a collection).
func newStore(ctx context.Context, client *mongo.Client, name string, clock func() time.Time, reg collections) (*Store, error) {
	if clock == nil {
		clock = time.Now
	}
	db := client.Database(name)
	s := &Store{client: client, db: db, now: clock, wall: time.Now, Backend: "mongodb", changeGrace: ChangeGrace, reg: reg}
	reg.open(s)
	if err := s.prepare(ctx); err != nil {
		return nil, err
	}
	return s, nil
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
	for try := 0; ; try++ {
		cur, err := c.Find(ctx, filter, opts...)
		if err != nil {
			return nil, err
		}
		var out []T
		err = cur.All(ctx, &out)
		if err == nil {
			return out, nil
		}
		if try > 0 || !cursorLostWithItsConnection(err) {
			return nil, err
		}
	}
}

// cursorLostWithItsConnection tells a getMore that FerretDB v1 failed
// because the connection that opened the cursor is gone: its cursors live
// with the connection that made them, while the driver sends a getMore on
// whichever connection it holds — after an operation whose context was
// cancelled, the driver closes the process's one connection and the next
// getMore goes on a new one. MongoDB keeps cursors for the server, so this
// never happens there. A read is safe to do again, once.
func cursorLostWithItsConnection(err error) bool {
	var se mongo.ServerError
	return errors.As(err, &se) && strings.Contains(err.Error(), "MsgGetMore") && strings.Contains(err.Error(), "run exits")
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
