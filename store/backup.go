package store

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"agencybot/store/embedded"
)

// A backup is a gzip-compressed tar archive: manifest.json first, then one
// <collection>.bson per collection, each the collection's documents as
// concatenated BSON (the format of mongodump, so bsondump and mongorestore
// read it too).
//
// Consistency without transactions. On the embedded backend (the bot's own
// server, or a command joining it through its socket) a backup is one
// instant of the database: SQLite copies its file inside one read
// transaction (VACUUM INTO, embedded/snapshot.go) while the bot goes on
// writing, and the collections are read out of that copy. consistent is then
// always true, in one pass.
//
// On MongoDB (and a FerretDB reached by MONGODB_URI, whose file this process
// cannot see) the collections are read in passes until two consecutive
// passes find every collection unchanged (same count and checksum), at most
// maxBackupPasses times. Nothing in this database changes and changes back
// (versions only grow, logs are append-only, pruning never re-inserts), so
// two equal passes mean no write landed between the first pass's read of a
// collection and the second's: there is an instant at which the database
// held exactly what the archive holds. When the bot is too busy for that,
// the last pass is kept and the manifest says consistent: false; the copy
// order (in-place state before the append-only logs, see collection.inPlace)
// lets Restore roll every assignment forward over its copied history. For an
// instant copy of a busy MongoDB, use mongodump --oplog on a replica set.

// BackupFormat names the archive layout in the manifest.
const BackupFormat = "agencybot-backup/1"

// maxBackupPasses bounds how often a busy database is re-read.
const maxBackupPasses = 5

// BackupManifest is manifest.json: what the archive holds.
type BackupManifest struct {
	Format     string    `json:"format"`
	Database   string    `json:"database"`
	Backend    string    `json:"backend"`
	CreatedAt  time.Time `json:"created_at"`
	Passes     int       `json:"passes"`
	Consistent bool      `json:"consistent"`
	// Method says how the archive is one instant: "sqlite-snapshot" (the
	// embedded backend) or "passes" (two equal passes, or none: consistent
	// false).
	Method      string           `json:"method,omitempty"`
	Collections []CollectionInfo `json:"collections"`
	// RolledForward is how many assignments Restore rolled forward over
	// their restored history (not part of the archive).
	RolledForward int `json:"-"`
}

// Documents is the number of documents in the backup.
func (m BackupManifest) Documents() int64 {
	var n int64
	for _, c := range m.Collections {
		n += c.Count
	}
	return n
}

// Backup writes a snapshot of every collection to w (see above). The copy
// is staged in a temporary directory under tmpDir ("" = the system's).
func (s *Store) Backup(ctx context.Context, w io.Writer, tmpDir string) (BackupManifest, error) {
	m := BackupManifest{Format: BackupFormat, Database: s.db.Name(), Backend: s.Backend, CreatedAt: s.now().UTC()}
	var dir string
	defer func() {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}()
	if data, ok := s.sqliteDir(); ok {
		d, err := os.MkdirTemp(tmpDir, "agencybot-backup-")
		if err != nil {
			return m, fmt.Errorf("backup: staging directory: %w", err)
		}
		dir = d
		cols, err := s.snapshotPass(ctx, data, d)
		if err != nil {
			return m, err
		}
		m.Passes, m.Collections, m.Consistent, m.Method = 1, cols, true, "sqlite-snapshot"
		return m, writeArchive(w, m, dir)
	}
	m.Method = "passes"
	var prev []CollectionInfo
	for pass := 1; pass <= maxBackupPasses; pass++ {
		d, err := os.MkdirTemp(tmpDir, "agencybot-backup-")
		if err != nil {
			return m, fmt.Errorf("backup: staging directory: %w", err)
		}
		cols, err := s.reg.pass(ctx, s.db, d)
		if dir != "" {
			os.RemoveAll(dir)
		}
		dir = d
		if err != nil {
			return m, err
		}
		m.Passes, m.Collections = pass, cols
		if prev != nil && sameCollections(prev, cols) {
			m.Consistent = true
			break
		}
		prev = cols
	}
	return m, writeArchive(w, m, dir)
}

// sqliteDir is the data directory holding this store's SQLite file, when
// the database is the embedded one (this process's or, through its socket,
// another's).
func (s *Store) sqliteDir() (string, bool) {
	if s.dataDir != "" && embedded.HasDatabase(s.dataDir, s.db.Name()) {
		return s.dataDir, true
	}
	if s.Backend == "mongodb" || s.Backend == "embedded" { // New (tests) or Open on this process's server
		return embedded.DirOf(s.db.Name())
	}
	return "", false
}

// snapshotPass copies the database's SQLite file at one instant into a
// directory under dir, serves the copy with a FerretDB of its own and writes
// its collections to dir.
func (s *Store) snapshotPass(ctx context.Context, data, dir string) ([]CollectionInfo, error) {
	snap := filepath.Join(dir, "snapshot")
	if err := os.Mkdir(snap, 0o700); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(snap)
	if err := embedded.Snapshot(ctx, data, s.db.Name(), snap); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	srv, err := embedded.ServeSnapshot(ctx, snap)
	if err != nil {
		return nil, fmt.Errorf("backup: serve the snapshot: %w", err)
	}
	defer srv.Stop()
	client, err := Connect(ctx, srv.URI, true)
	if err != nil {
		return nil, fmt.Errorf("backup: read the snapshot: %w", err)
	}
	defer client.Disconnect(context.WithoutCancel(ctx))
	return s.reg.pass(ctx, client.Database(s.db.Name()), dir)
}

// pass writes every carried collection of db to dir, one file each.
func (r collections) pass(ctx context.Context, db *mongo.Database, dir string) ([]CollectionInfo, error) {
	names, err := r.copied(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	var out []CollectionInfo
	for _, name := range names {
		c := db.Collection(name)
		ixs, err := listIndexes(ctx, c)
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		f, err := os.Create(filepath.Join(dir, name+".bson"))
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		bw := bufio.NewWriterSize(f, 1<<16)
		var d digest
		err = eachDoc(ctx, c, func(doc bson.Raw) error {
			d.add(doc)
			_, err := bw.Write(doc)
			return err
		})
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("backup %s: %w", name, err)
		}
		out = append(out, CollectionInfo{Name: name, Count: d.count, SHA256: d.String(), Indexes: ixs})
	}
	return out, nil
}

func sameCollections(a, b []CollectionInfo) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Count != b[i].Count || a[i].SHA256 != b[i].SHA256 {
			return false
		}
	}
	return true
}

// writeArchive packs the manifest and the staged collection files.
func writeArchive(w io.Writer, m BackupManifest, dir string) error {
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	mtime := m.CreatedAt
	if err := tw.WriteHeader(&tar.Header{Name: "manifest.json", Mode: 0o600, Size: int64(len(mj)), ModTime: mtime}); err != nil {
		return fmt.Errorf("backup: write: %w", err)
	}
	if _, err := tw.Write(mj); err != nil {
		return fmt.Errorf("backup: write: %w", err)
	}
	for _, c := range m.Collections {
		if err := addFile(tw, filepath.Join(dir, c.Name+".bson"), c.Name+".bson", mtime); err != nil {
			return fmt.Errorf("backup %s: %w", c.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("backup: write: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("backup: write: %w", err)
	}
	return nil
}

func addFile(tw *tar.Writer, path, name string, mtime time.Time) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: mtime}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}
