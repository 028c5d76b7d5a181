package embedded

// FerretDB v1.24's SQLite backend looks documents up by _id with
//
//	WHERE _ferretdb_sjson->'$._id' = ?
//
// (finds, updates and deletes alike), but the unique index it creates for
// _id is on the expression _ferretdb_sjson->"_id". SQLite uses an index on
// an expression only for that same expression, so every lookup by _id
// scanned and parsed the whole table: 86 ms per lookup at 10,000
// assignments, growing with the collection (EXPLAIN: "SCAN assignments_…").
// IndexIDs adds, next to FerretDB's own, an index on exactly the expression
// the lookups use; it is not unique (FerretDB's index still enforces that)
// and changes no result, only the plan ("SEARCH … USING INDEX").

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// idExpr is the expression FerretDB v1.24 filters on (metadata.IDColumn).
const idExpr = `_ferretdb_sjson->'$._id'`

// running holds the servers this process started, by directory.
var running sync.Map // string → *Server

// InProcess tells whether this process runs an embedded server.
func InProcess() bool {
	found := false
	running.Range(func(_, _ any) bool { found = true; return false })
	return found
}

// IndexIDs gives every collection of the database named database, in every
// embedded server this process runs, the SQLite index its lookups by _id
// need (see the top of this file). Collections created later get theirs on
// the next call; a database a server does not have is skipped.
func IndexIDs(ctx context.Context, database string) error {
	var errs []error
	running.Range(func(_, v any) bool {
		errs = append(errs, v.(*Server).indexIDs(ctx, database))
		return true
	})
	return errors.Join(errs...)
}

func (e *Server) indexIDs(ctx context.Context, database string) error {
	path := filepath.Join(e.dir, database+".sqlite")
	if _, err := os.Stat(path); err != nil {
		return nil // not a database of this server (yet)
	}
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: path, RawQuery: "_pragma=busy_timeout(10000)"}).String())
	if err != nil {
		return fmt.Errorf("open %s for its _id indexes: %w", database, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return fmt.Errorf("list the collections of %s: %w", database, err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON %s (%s)`, quote(t+"_agencybot_id"), quote(t), idExpr)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index _id of %s.%s: %w", database, t, err)
		}
	}
	return nil
}

// quote quotes an SQLite identifier.
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
