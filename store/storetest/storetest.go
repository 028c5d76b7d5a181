// Package storetest gives a test package one shared database server: the
// embedded FerretDB in a temporary directory, or MONGODB_URI when it is set,
// so that the same tests run against both backends. Each test then opens its
// own database on it.
package storetest

import (
	"context"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/store/embedded"
)

// Start connects to MONGODB_URI, or starts an embedded server; stop undoes it.
func Start(ctx context.Context) (client *mongo.Client, stop func(), err error) {
	uri, single := os.Getenv("MONGODB_URI"), false
	var undo []func()
	stop = func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	if uri == "" {
		dir, err := os.MkdirTemp("", "agencybot-test-")
		if err != nil {
			return nil, stop, err
		}
		undo = append(undo, func() { os.RemoveAll(dir) })
		emb, err := embedded.Start(ctx, dir, nil)
		if err != nil {
			stop()
			return nil, func() {}, err
		}
		undo = append(undo, func() { _ = emb.Stop() })
		uri, single = emb.URI, true
	}
	o := options.Client().ApplyURI(uri).SetServerSelectionTimeout(10 * time.Second).SetMonitor(Commands.monitor())
	if single {
		o.SetMaxPoolSize(1) // as store.Connect does for the embedded server
	}
	c, err := mongo.Connect(o)
	if err == nil {
		err = c.Ping(ctx, nil)
	}
	if err != nil {
		stop()
		return nil, func() {}, err
	}
	undo = append(undo, func() { _ = c.Disconnect(context.Background()) })
	return c, stop, nil
}

// Main runs a test package's tests with a shared server in *client.
func Main(run func() int, client **mongo.Client) int {
	c, stop, err := Start(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "start test database:", err)
		return 1
	}
	defer stop()
	*client = c
	return run()
}

var (
	counter  atomic.Int64
	nonAlnum = regexp.MustCompile(`[^A-Za-z0-9]+`)
)

// DBName is a fresh database name for a test.
func DBName(testName string) string {
	name := nonAlnum.ReplaceAllString(testName, "_")
	if len(name) > 40 {
		name = name[:40]
	}
	return fmt.Sprintf("t%d_%s", counter.Add(1), name)
}

// Commands counts the database commands the shared client sends, through
// the driver's command monitor: what a benchmark reports as commands/op.
// The count is of the whole process; a benchmark reads it around what it
// measures, with nothing else running.
var Commands commandCount

type commandCount struct {
	n     atomic.Int64
	mu    sync.Mutex
	names map[string]int // "find officers" → how many, while Record is on
	on    bool
}

func (c *commandCount) monitor() *event.CommandMonitor {
	return &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		switch e.CommandName {
		case "hello", "isMaster", "ismaster", "ping", "endSessions", "saslStart", "saslContinue", "buildInfo":
			return // the driver's own handshakes and heartbeats, not the program's
		}
		c.n.Add(1)
		c.mu.Lock()
		if c.on {
			name := e.CommandName
			if coll, ok := e.Command.Lookup(e.CommandName).StringValueOK(); ok {
				name += " " + coll
			}
			c.names[name]++
		}
		c.mu.Unlock()
	}}
}

// Count is how many commands were sent so far.
func (c *commandCount) Count() int64 { return c.n.Load() }

// Record starts naming the commands sent (command and collection); stop
// returns them with their counts.
func (c *commandCount) Record() (stop func() map[string]int) {
	c.mu.Lock()
	c.on, c.names = true, map[string]int{}
	c.mu.Unlock()
	return func() map[string]int {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.on = false
		return c.names
	}
}

// Template is the documents of a database read once into memory, for tests
// to copy into their own databases instead of building the same state each
// time (seeding the plans costs about fifteen times a copy). The copy is by
// documents, so it works on MongoDB as on the embedded server.
type Template struct {
	docs map[string][]any // collection → its documents, in the order read
}

// copyBatch is how many documents one InsertMany carries.
const copyBatch = 1000

// Capture reads every document of db's collections (only these, when named).
func Capture(ctx context.Context, db *mongo.Database, only ...string) (*Template, error) {
	names := only
	if len(names) == 0 {
		var err error
		if names, err = db.ListCollectionNames(ctx, bson.M{}); err != nil {
			return nil, fmt.Errorf("list collections of %s: %w", db.Name(), err)
		}
	}
	t := &Template{docs: map[string][]any{}}
	for _, c := range names {
		cur, err := db.Collection(c).Find(ctx, bson.M{})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", c, err)
		}
		var docs []bson.Raw
		if err := cur.All(ctx, &docs); err != nil {
			return nil, fmt.Errorf("read %s: %w", c, err)
		}
		for _, d := range docs {
			t.docs[c] = append(t.docs[c], d)
		}
	}
	return t, nil
}

// Collections names the collections that hold documents.
func (t *Template) Collections() []string {
	return slices.Sorted(maps.Keys(t.docs))
}

// CopyTo inserts the template's documents into db, in their order, in
// batches of copyBatch. db's collections are expected empty (a duplicate
// _id fails the copy).
func (t *Template) CopyTo(ctx context.Context, db *mongo.Database) error {
	for _, c := range t.Collections() {
		for batch := range slices.Chunk(t.docs[c], copyBatch) {
			if _, err := db.Collection(c).InsertMany(ctx, batch); err != nil {
				return fmt.Errorf("copy %s: %w", c, err)
			}
		}
	}
	return nil
}
