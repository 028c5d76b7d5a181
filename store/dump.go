package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Shared by backup, restore and migrate: their indexes, and a checksum per
// collection that is the same on MongoDB and on the embedded FerretDB.
// Which collections there are, and in which order they are copied, is the
// registry's (collections.go).

// CollectionInfo describes one collection in a backup or a migration.
type CollectionInfo struct {
	Name    string      `json:"name"`
	Count   int64       `json:"count"`
	SHA256  string      `json:"sha256"` // see digest
	Indexes []IndexSpec `json:"indexes,omitempty"`
}

// IndexSpec is a secondary index (the _id index is implicit).
type IndexSpec struct {
	Name   string     `json:"name"`
	Keys   []IndexKey `json:"keys"`
	Unique bool       `json:"unique,omitempty"`
}

// IndexKey is one field of an index, 1 ascending or -1 descending.
type IndexKey struct {
	Field string `json:"field"`
	Order int    `json:"order"`
}

// listIndexes reads a collection's secondary indexes.
func listIndexes(ctx context.Context, c *mongo.Collection) ([]IndexSpec, error) {
	cur, err := c.Indexes().List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", c.Name(), err)
	}
	var raw []bson.Raw
	if err := cur.All(ctx, &raw); err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", c.Name(), err)
	}
	var out []IndexSpec
	for _, r := range raw {
		var ix struct {
			Name   string `bson:"name"`
			Key    bson.D `bson:"key"`
			Unique bool   `bson:"unique"`
		}
		if err := bson.Unmarshal(r, &ix); err != nil {
			return nil, fmt.Errorf("read index of %s: %w", c.Name(), err)
		}
		if ix.Name == "_id_" {
			continue
		}
		spec := IndexSpec{Name: ix.Name, Unique: ix.Unique}
		for _, k := range ix.Key {
			o := 1
			switch v := k.Value.(type) {
			case int32:
				o = int(v)
			case int64:
				o = int(v)
			case float64:
				o = int(v)
			default:
				return nil, fmt.Errorf("index %s of %s: key %s is %v, only 1 and -1 are supported", ix.Name, c.Name(), k.Key, k.Value)
			}
			spec.Keys = append(spec.Keys, IndexKey{Field: k.Key, Order: o})
		}
		out = append(out, spec)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// createIndexes creates indexes one per call (FerretDB v1 panics on a
// createIndexes naming several existing ones, see docs/ferretdb.md).
func createIndexes(ctx context.Context, c *mongo.Collection, specs []IndexSpec) error {
	for _, ix := range specs {
		keys := bson.D{}
		for _, k := range ix.Keys {
			keys = append(keys, bson.E{Key: k.Field, Value: k.Order})
		}
		o := options.Index().SetName(ix.Name)
		if ix.Unique {
			o.SetUnique(true)
		}
		if _, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: keys, Options: o}); err != nil {
			return fmt.Errorf("create index %s of %s: %w", ix.Name, c.Name(), err)
		}
	}
	return nil
}

// digest is an order-independent checksum of a collection's documents: the
// SHA-256 of the sorted SHA-256 sums of each document's BSON bytes. The
// backends return documents in different orders; their bytes are the same.
type digest struct {
	sums  [][sha256.Size]byte
	count int64
}

func (d *digest) add(doc []byte) {
	d.sums = append(d.sums, sha256.Sum256(doc))
	d.count++
}

func (d *digest) String() string {
	slices.SortFunc(d.sums, func(a, b [sha256.Size]byte) int { return strings.Compare(string(a[:]), string(b[:])) })
	h := sha256.New()
	for _, s := range d.sums {
		h.Write(s[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// idKey is a document's _id as a map key (its BSON type and bytes).
func idKey(doc bson.Raw) (string, error) {
	v, err := doc.LookupErr("_id")
	if err != nil {
		return "", fmt.Errorf("document without _id: %w", err)
	}
	return string(rune(v.Type)) + string(v.Value), nil
}

// eachDoc streams a collection's documents to fn.
func eachDoc(ctx context.Context, c *mongo.Collection, fn func(bson.Raw) error) error {
	cur, err := c.Find(ctx, bson.D{}, options.Find().SetBatchSize(500))
	if err != nil {
		return fmt.Errorf("read %s: %w", c.Name(), err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		if err := fn(cur.Current); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("read %s: %w", c.Name(), err)
	}
	return nil
}

// summarize counts and checksums a collection.
func summarize(ctx context.Context, c *mongo.Collection) (int64, string, error) {
	var d digest
	err := eachDoc(ctx, c, func(doc bson.Raw) error { d.add(doc); return nil })
	return d.count, d.String(), err
}
