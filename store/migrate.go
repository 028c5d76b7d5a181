package store

import (
	"context"
	"crypto/sha256"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// MigrateResult is what a migration did to one collection.
type MigrateResult struct {
	Name     string `json:"name"`
	Source   int64  `json:"source"`   // documents in the source
	Copied   int    `json:"copied"`   // inserted into the target by this run
	Present  int    `json:"present"`  // already in the target (an earlier run), left as they were
	Replaced int    `json:"replaced"` // in the target with other contents (the source changed since), overwritten
	Removed  int    `json:"removed"`  // in the target but no longer in the source, deleted
	SHA256   string `json:"sha256"`   // checksum, equal on both sides after the run
}

// MigrateTo copies every collection of s that its registry carries (all but
// the derived ones) into target's database, creates the
// indexes (the store's own, and every other index the source has), and
// verifies that each collection has the same count and checksum on both
// sides. It can be run again: documents already in the target are skipped
// by _id, so nothing is copied twice; a document that changed in the source
// since the last run is overwritten and one that left it is deleted, so a
// second run after the bot stopped brings the target to the source's state.
// target must have been opened with New (which creates the store's indexes).
func (s *Store) MigrateTo(ctx context.Context, target *Store) ([]MigrateResult, error) {
	names, err := s.reg.copied(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var out []MigrateResult
	for _, name := range names {
		r, err := migrateCollection(ctx, s.db.Collection(name), target.db.Collection(name))
		if err != nil {
			return out, fmt.Errorf("migrate %s: %w", name, err)
		}
		out = append(out, r)
	}
	if err := target.reg.createIndexes(ctx, target.db); err != nil {
		return out, fmt.Errorf("migrate: %w", err)
	}
	if err := target.ensureSourceIndex(ctx); err != nil {
		return out, fmt.Errorf("migrate: %w", err)
	}
	target.cache.forgetAll()
	return out, nil
}

func migrateCollection(ctx context.Context, src, dst *mongo.Collection) (MigrateResult, error) {
	r := MigrateResult{Name: src.Name()}
	ixs, err := listIndexes(ctx, src)
	if err != nil {
		return r, err
	}
	if err := createIndexes(ctx, dst, ixs); err != nil {
		return r, err
	}
	// What the target holds already: _id → checksum of the document.
	have := map[string][32]byte{}
	err = eachDoc(ctx, dst, func(d bson.Raw) error {
		k, err := idKey(d)
		if err == nil {
			have[k] = sumOf(d)
		}
		return err
	})
	if err != nil {
		return r, err
	}
	var batch []any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := dst.InsertMany(ctx, batch)
		batch = batch[:0]
		return err
	}
	var d digest
	seen := map[string]bool{}
	err = eachDoc(ctx, src, func(doc bson.Raw) error {
		d.add(doc)
		k, err := idKey(doc)
		if err != nil {
			return err
		}
		seen[k] = true
		sum, ok := have[k]
		switch {
		case !ok:
			batch = append(batch, bson.Raw(append([]byte(nil), doc...)))
			r.Copied++
			if len(batch) >= 500 {
				return flush()
			}
		case sum == sumOf(doc):
			r.Present++
		default:
			id := doc.Lookup("_id")
			if _, err := dst.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.Raw(append([]byte(nil), doc...))); err != nil {
				return fmt.Errorf("overwrite a changed document: %w", err)
			}
			r.Replaced++
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return r, err
	}
	r.Source, r.SHA256 = d.count, d.String()
	// Documents the source no longer has (pruned since an earlier run).
	var gone []bson.RawValue
	err = eachDoc(ctx, dst, func(doc bson.Raw) error {
		k, err := idKey(doc)
		if err == nil && !seen[k] {
			gone = append(gone, bson.RawValue{Type: doc.Lookup("_id").Type, Value: append([]byte(nil), doc.Lookup("_id").Value...)})
		}
		return err
	})
	if err != nil {
		return r, err
	}
	for _, id := range gone {
		if _, err := dst.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
			return r, fmt.Errorf("delete a document the source no longer has: %w", err)
		}
		r.Removed++
	}
	if r.Source == 0 {
		if err := dst.Database().CreateCollection(ctx, dst.Name()); err != nil && !isNamespaceExists(err) {
			return r, fmt.Errorf("create: %w", err)
		}
	}
	// Verify: read the target back.
	n, sum, err := summarize(ctx, dst)
	if err != nil {
		return r, err
	}
	if n != r.Source || sum != r.SHA256 {
		return r, fmt.Errorf("verification failed: the source has %d documents (checksum %.12s…), the target %d (%.12s…); was the bot writing meanwhile? Run migrate again", r.Source, r.SHA256, n, sum)
	}
	return r, nil
}

func sumOf(doc bson.Raw) [32]byte { return sha256.Sum256(doc) }
