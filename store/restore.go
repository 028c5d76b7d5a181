package store

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// ErrNotEmpty means a restore found documents in the database and was not
// told to replace them.
var ErrNotEmpty = errors.New("the database is not empty")

// ErrBadBackup means an archive is not a backup or is damaged.
var ErrBadBackup = errors.New("not a valid agencybot backup")

// maxDocSize is MongoDB's document limit with room for the wire overhead.
const maxDocSize = 48 << 20

// readBackup reads an archive through: the manifest, then each collection's
// documents to doc (which must not keep the slice), checking every count and
// checksum against the manifest. done is called after each collection.
func readBackup(r io.Reader, doc func(coll string, d bson.Raw) error, done func(CollectionInfo) error) (BackupManifest, error) {
	var m BackupManifest
	zr, err := gzip.NewReader(r)
	if err != nil {
		return m, fmt.Errorf("%w: %v", ErrBadBackup, err)
	}
	tr := tar.NewReader(zr)
	h, err := tr.Next()
	if err != nil || h.Name != "manifest.json" {
		return m, fmt.Errorf("%w: manifest.json is not the first entry", ErrBadBackup)
	}
	if err := json.NewDecoder(io.LimitReader(tr, 16<<20)).Decode(&m); err != nil || m.Format != BackupFormat {
		return m, fmt.Errorf("%w: manifest.json: format %q, %v", ErrBadBackup, m.Format, err)
	}
	for _, c := range m.Collections {
		h, err := tr.Next()
		if err != nil || h.Name != c.Name+".bson" {
			return m, fmt.Errorf("%w: expected %s.bson next in the archive", ErrBadBackup, c.Name)
		}
		var d digest
		buf := make([]byte, 0, 4096)
		for {
			var size [4]byte
			if _, err := io.ReadFull(tr, size[:]); err == io.EOF {
				break
			} else if err != nil {
				return m, fmt.Errorf("%w: %s: %v", ErrBadBackup, c.Name, err)
			}
			n := int(binary.LittleEndian.Uint32(size[:]))
			if n < 5 || n > maxDocSize {
				return m, fmt.Errorf("%w: %s: a document of %d bytes", ErrBadBackup, c.Name, n)
			}
			buf = append(buf[:0], size[:]...)
			buf = append(buf, make([]byte, n-4)...)
			if _, err := io.ReadFull(tr, buf[4:]); err != nil {
				return m, fmt.Errorf("%w: %s: %v", ErrBadBackup, c.Name, err)
			}
			if err := bson.Raw(buf).Validate(); err != nil {
				return m, fmt.Errorf("%w: %s: %v", ErrBadBackup, c.Name, err)
			}
			d.add(buf)
			if doc != nil {
				if err := doc(c.Name, bson.Raw(buf)); err != nil {
					return m, err
				}
			}
		}
		if d.count != c.Count || d.String() != c.SHA256 {
			return m, fmt.Errorf("%w: %s holds %d documents (checksum %.12s…), the manifest says %d (%.12s…)",
				ErrBadBackup, c.Name, d.count, d.String(), c.Count, c.SHA256)
		}
		if done != nil {
			if err := done(c); err != nil {
				return m, err
			}
		}
	}
	if _, err := tr.Next(); err != io.EOF {
		return m, fmt.Errorf("%w: unexpected entries after the collections", ErrBadBackup)
	}
	return m, nil
}

// VerifyBackup reads an archive through and checks every collection's count
// and checksum against its manifest.
func VerifyBackup(r io.Reader) (BackupManifest, error) { return readBackup(r, nil, nil) }

// Restore loads a backup into the store's database. open is called twice:
// the archive is verified completely before anything is written. A database
// holding any document in a collection of the store's registry (or one the
// archive holds) is refused with ErrNotEmpty unless replace is set; then
// those collections are dropped first. Assignments behind their restored
// history are rolled forward before it returns. The bot must not run
// against the database meanwhile.
func (s *Store) Restore(ctx context.Context, open func() (io.ReadCloser, error), replace bool) (BackupManifest, error) {
	m, err := withReader(open, VerifyBackup)
	if err != nil {
		return m, err
	}
	// What a restore replaces: the store's collections and any other the
	// archive holds (a collection of another version is restored as it is).
	have, err := existing(ctx, s.db)
	if err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	names := slices.DeleteFunc(have, func(n string) bool {
		_, ours := s.reg.lookup(n)
		return !ours && !slices.ContainsFunc(m.Collections, func(c CollectionInfo) bool { return c.Name == n })
	})
	for _, n := range names {
		err := s.db.Collection(n).FindOne(ctx, bson.D{}).Err()
		if err == nil && !replace {
			return m, fmt.Errorf("%w (collection %s has documents)", ErrNotEmpty, n)
		}
		if err != nil && !isNoDocs(err) {
			return m, fmt.Errorf("restore: read %s: %w", n, err)
		}
	}
	if replace {
		for _, n := range names {
			if err := s.db.Collection(n).Drop(ctx); err != nil {
				return m, fmt.Errorf("restore: drop %s: %w", n, err)
			}
		}
	}
	var batch []any
	flush := func(coll string) error {
		if len(batch) == 0 {
			return nil
		}
		_, err := s.db.Collection(coll).InsertMany(ctx, batch)
		batch = batch[:0]
		if err != nil {
			return fmt.Errorf("restore %s: %w", coll, err)
		}
		return nil
	}
	_, err = withReader(open, func(r io.Reader) (BackupManifest, error) {
		return readBackup(r, func(coll string, d bson.Raw) error {
			batch = append(batch, bson.Raw(append([]byte(nil), d...)))
			if len(batch) >= 500 {
				return flush(coll)
			}
			return nil
		}, func(c CollectionInfo) error {
			if err := flush(c.Name); err != nil {
				return err
			}
			if c.Count == 0 {
				if err := s.db.CreateCollection(ctx, c.Name); err != nil && !isNamespaceExists(err) {
					return fmt.Errorf("restore: create %s: %w", c.Name, err)
				}
			}
			return createIndexes(ctx, s.db.Collection(c.Name), c.Indexes)
		})
	})
	if err != nil {
		return m, err
	}
	for _, c := range s.reg { // the summaries' snapshot described the data before
		if !c.derived {
			continue
		}
		if err := s.db.Collection(c.name).Drop(ctx); err != nil {
			return m, fmt.Errorf("restore: drop %s: %w", c.name, err)
		}
	}
	if err := s.prepare(ctx); err != nil { // the store's indexes, and the collections the archive lacks
		return m, fmt.Errorf("restore: %w", err)
	}
	s.cache.forgetAll()
	// An archive can hold an update whose assignment was not yet set to it
	// (a backup taken between the steps of Apply, or of passes that did not
	// agree): roll them forward now, so that any command run straight after
	// the restore (export, report) reads every assignment as its history says.
	n, err := s.Repair(ctx)
	m.RolledForward = n
	if err != nil {
		return m, fmt.Errorf("restore: roll assignments forward: %w", err)
	}
	return m, nil
}

func withReader(open func() (io.ReadCloser, error), fn func(io.Reader) (BackupManifest, error)) (BackupManifest, error) {
	r, err := open()
	if err != nil {
		return BackupManifest{}, err
	}
	defer r.Close()
	return fn(r)
}

func isNamespaceExists(err error) bool {
	var ce mongo.CommandError
	return errors.As(err, &ce) && (ce.Code == 48 || strings.Contains(ce.Message, "already exists"))
}
