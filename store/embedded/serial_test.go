package embedded

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// BenchmarkSerializedRoundTrip measures what taking turns costs a lookup by
// _id (the bot's commonest command): straight to FerretDB's port, and
// through the serializer every client now goes through, one connection
// each as store.Connect makes them.
func BenchmarkSerializedRoundTrip(b *testing.B) {
	ctx := context.Background()
	e, err := Start(ctx, b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer e.Stop()
	for _, c := range []struct{ name, uri string }{
		{"direct", "mongodb://" + e.serial.upstream + "/"},
		{"serialized", e.URI},
	} {
		b.Run(c.name, func(b *testing.B) {
			cl, err := mongo.Connect(options.Client().ApplyURI(c.uri).SetMaxPoolSize(1))
			if err != nil {
				b.Fatal(err)
			}
			defer cl.Disconnect(ctx)
			coll := cl.Database("bench").Collection("docs")
			if _, err := coll.InsertOne(ctx, bson.M{"_id": c.name, "v": 1}); err != nil && !mongo.IsDuplicateKeyError(err) {
				b.Fatal(err)
			}
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if err := coll.FindOne(ctx, bson.M{"_id": c.name}).Err(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(time.Since(start).Microseconds())/float64(b.N), "µs/lookup")
		})
	}
}

// The serializer takes turns for exactly the commands that read then write
// a document, as the Go driver sends them.
func TestCommandName(t *testing.T) {
	ctx := context.Background()
	e, err := Start(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Stop()
	var mu sync.Mutex
	got := map[string]bool{}
	observe := func(name string, turn bool) {
		mu.Lock()
		defer mu.Unlock()
		got[fmt.Sprint(name, "/", turn)] = true
	}
	e.serial.observe.Store(&observe)
	cl, err := mongo.Connect(options.Client().ApplyURI(e.URI).SetMaxPoolSize(1))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Disconnect(ctx)
	c := cl.Database("names").Collection("docs")
	_, _ = c.InsertOne(ctx, bson.M{"_id": "a", "v": 1})
	_, _ = c.UpdateOne(ctx, bson.M{"_id": "a"}, bson.M{"$set": bson.M{"v": 2}})
	_ = c.FindOneAndUpdate(ctx, bson.M{"_id": "a"}, bson.M{"$inc": bson.M{"v": 1}}).Err()
	_, _ = c.InsertMany(ctx, []any{bson.M{"_id": "b"}, bson.M{"_id": "c"}}) // a document sequence
	_, _ = c.DeleteOne(ctx, bson.M{"_id": "b"})
	_ = c.FindOne(ctx, bson.M{"_id": "a"}).Err()
	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{"insert/false", "update/true", "findAndModify/true", "delete/true", "find/false"} {
		if !got[want] {
			t.Errorf("%s not seen (got %v)", want, got)
		}
	}
}
