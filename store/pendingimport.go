package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// PendingImport is a file an admin sent to import (a plan or a list of
// communes) and the answers given so far, kept in the database between the
// messages of the exchange so that a restart loses nothing. The file itself
// stays on Telegram: it is downloaded again by its file_id when needed.
type PendingImport struct {
	Key      string    `bson:"_id"` // the admin's Telegram id as a string
	AdminID  int64     `bson:"admin"`
	Kind     string    `bson:"kind"` // "plan" or "communes"
	FileID   string    `bson:"file_id"`
	FileName string    `bson:"file_name"`
	FileSize int64     `bson:"file_size"`
	Sheet    string    `bson:"sheet"`
	Sheets   []string  `bson:"sheets"` // the sheets to choose from, when the file has several tables
	Number   string    `bson:"number"`
	Date     string    `bson:"date"` // YYYY-MM-DD
	Title    string    `bson:"title"`
	Awaiting string    `bson:"awaiting"` // "file", "meta", "map:<n>" or "" (preview shown)
	Update   bool      `bson:"update"`   // the admin chose to update an existing plan
	At       time.Time `bson:"at"`
}

// SavePendingImport stores an admin's pending import, stamped with the clock.
func (s *Store) SavePendingImport(ctx context.Context, p PendingImport) error {
	p.Key = strconv.FormatInt(p.AdminID, 10)
	p.At = s.now().UTC().Truncate(time.Millisecond)
	if _, err := s.pendingImports.ReplaceOne(ctx, bson.M{"_id": p.Key}, p, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("save pending import of %d: %w", p.AdminID, err)
	}
	return nil
}

// PendingImportOf reads an admin's pending import; one older than maxAge
// counts as none.
func (s *Store) PendingImportOf(ctx context.Context, adminID int64, maxAge time.Duration) (PendingImport, bool, error) {
	p, err := one[PendingImport](ctx, s.pendingImports, bson.M{"_id": strconv.FormatInt(adminID, 10)})
	if errors.Is(err, ErrNotFound) {
		return PendingImport{}, false, nil
	}
	if err != nil {
		return PendingImport{}, false, err
	}
	if s.now().Sub(p.At) > maxAge {
		return PendingImport{}, false, nil
	}
	return p, true, nil
}

// DropPendingImport forgets an admin's pending import (done or cancelled).
func (s *Store) DropPendingImport(ctx context.Context, adminID int64) error {
	if _, err := s.pendingImports.DeleteOne(ctx, bson.M{"_id": strconv.FormatInt(adminID, 10)}); err != nil {
		return fmt.Errorf("drop pending import of %d: %w", adminID, err)
	}
	return nil
}
