package embedded

// A copy of one database at one instant, for backups (issue 24 point 4).
// FerretDB keeps each database in one SQLite file (<database>.sqlite, WAL
// mode). SQLite's VACUUM INTO, run on a connection of its own, reads the
// file inside one read transaction — the state of the last commit before it
// began, whatever the writers do meanwhile, and without stopping them (a
// WAL reader blocks no writer, in this process or in the one that runs the
// server) — and writes it to a new file. Reading the collections back out
// of that file, through a FerretDB of its own, gives every collection as it
// was at that one instant.

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// DirOf is the data directory of the embedded server this process runs
// that holds database.
func DirOf(database string) (string, bool) {
	var dir string
	running.Range(func(_, v any) bool {
		e := v.(*Server)
		if _, err := os.Stat(filepath.Join(e.dir, database+".sqlite")); err == nil {
			dir = e.dir
			return false
		}
		return true
	})
	return dir, dir != ""
}

// HasDatabase tells whether dataDir holds database's file.
func HasDatabase(dataDir, database string) bool {
	_, err := os.Stat(filepath.Join(dataDir, database+".sqlite"))
	return err == nil
}

// Snapshot writes database of the data directory dataDir, as it was at one
// instant, into the empty directory into (VACUUM INTO), where Start can serve
// it. The server of dataDir may run and write meanwhile, in this process or
// another.
func Snapshot(ctx context.Context, dataDir, database, into string) error {
	src := filepath.Join(dataDir, database+".sqlite")
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("snapshot of %s: %w", database, err)
	}
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: src, RawQuery: "_pragma=busy_timeout(10000)"}).String())
	if err != nil {
		return fmt.Errorf("snapshot of %s: %w", database, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, filepath.Join(into, database+".sqlite")); err != nil {
		return fmt.Errorf("snapshot of %s: %w", database, err)
	}
	return nil
}

// ServeSnapshot serves a directory Snapshot wrote, for reading it: a server
// like Start's that DirOf and IndexIDs do not see (it is not the database
// this process works on).
func ServeSnapshot(ctx context.Context, dir string) (*Server, error) {
	e, err := Start(ctx, dir, nil)
	if err != nil {
		return nil, err
	}
	running.Delete(e.dir)
	return e, nil
}
