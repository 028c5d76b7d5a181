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
)

// A backup is a gzip-compressed tar archive: manifest.json first, then one
// <collection>.bson per collection, each the collection's documents as
// concatenated BSON (the format of mongodump, so bsondump and mongorestore
// read it too).
//
// Consistency without transactions: the collections are read in passes until
// two consecutive passes find every collection unchanged (same count and
// checksum), at most maxBackupPasses times. Nothing in this database changes
// and changes back (versions only grow, logs are append-only, pruning never
// re-inserts), so two equal passes mean no write landed between the first
// pass's read of a collection and the second's: there is an instant at which
// the database held exactly what the archive holds. When the bot is too busy
// for that, the last pass is kept and the manifest says consistent: false; the
// copy order (in-place state before the append-only logs, see collection.inPlace)
// still lets Repair roll every assignment forward at start.

// BackupFormat names the archive layout in the manifest.
const BackupFormat = "agencybot-backup/1"

// maxBackupPasses bounds how often a busy database is re-read.
const maxBackupPasses = 5

// BackupManifest is manifest.json: what the archive holds.
type BackupManifest struct {
	Format      string           `json:"format"`
	Database    string           `json:"database"`
	Backend     string           `json:"backend"`
	CreatedAt   time.Time        `json:"created_at"`
	Passes      int              `json:"passes"`
	Consistent  bool             `json:"consistent"`
	Collections []CollectionInfo `json:"collections"`
}

// Documents is the number of documents in the backup.
func (m BackupManifest) Documents() int64 {
	var n int64
	for _, c := range m.Collections {
		n += c.Count
	}
	return n
}

// Backup writes a snapshot of every collection to w (see above). Each pass
// is staged in a temporary directory under tmpDir ("" = the system's).
func (s *Store) Backup(ctx context.Context, w io.Writer, tmpDir string) (BackupManifest, error) {
	m := BackupManifest{Format: BackupFormat, Database: s.db.Name(), Backend: s.Backend, CreatedAt: s.now().UTC()}
	var prev []CollectionInfo
	var dir string
	defer func() {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}()
	for pass := 1; pass <= maxBackupPasses; pass++ {
		d, err := os.MkdirTemp(tmpDir, "agencybot-backup-")
		if err != nil {
			return m, fmt.Errorf("backup: staging directory: %w", err)
		}
		cols, err := s.backupPass(ctx, d)
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

// backupPass writes every collection to dir, one file each.
func (s *Store) backupPass(ctx context.Context, dir string) ([]CollectionInfo, error) {
	names, err := s.reg.copied(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	var out []CollectionInfo
	for _, name := range names {
		c := s.db.Collection(name)
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
