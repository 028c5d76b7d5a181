package store

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"path"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// The file of a photo or document message waits in the database, not on
// disk, so whichever instance claims the message can send it: several
// instances may share one MongoDB, each with its own DATA_DIR.
//
// A file is cut into chunks, each its own document in outbox_files under
// "<message key>#<i>", well under MongoDB's 16 MB document limit; a file
// may be as large as Telegram accepts (domain.MaxDocumentBytes). Chunks are
// written before the message, so a message in the outbox always has its
// file; they are removed with the message (PruneOutbox) once its outcome is
// recorded. See docs/outbox.md.

// ErrFileGone means a queued message's file cannot be put together again:
// a chunk is missing, empty or the wrong size. Retrying cannot help (unlike
// a database that does not answer).
var ErrFileGone = errors.New("the file's bytes are missing or damaged")

// fileChunk is the size of one outbox_files document's data (a variable
// for tests, which cut small files in many chunks).
var fileChunk = 4 << 20

type fileChunkDoc struct {
	ID   string `bson:"_id"`
	Msg  string `bson:"msg"`
	Part int    `bson:"part"`
	Data []byte `bson:"data"`
}

// prepareFile checks a message's attachment and stores its bytes apart; it
// returns the message to insert, whose attachment keeps only the name, type
// and size (the caller's message is left as it was).
func (s *Store) prepareFile(ctx context.Context, m OutboxMessage) (OutboxMessage, error) {
	if m.Out == nil || m.Out.File == nil {
		return m, nil
	}
	f := *m.Out.File
	if err := f.Check(); err != nil {
		return m, err
	}
	if path.Ext(f.Name) == "" && f.MIME != "" {
		if exts, _ := mime.ExtensionsByType(f.MIME); len(exts) > 0 {
			f.Name += exts[0]
		}
	}
	f.Size = len(f.Data)
	for i, off := 0, 0; off < len(f.Data); i, off = i+1, off+fileChunk {
		end := min(off+fileChunk, len(f.Data))
		doc := fileChunkDoc{ID: m.Key + "#" + strconv.Itoa(i), Msg: m.Key, Part: i, Data: f.Data[off:end]}
		if _, err := insert(ctx, s.outboxFiles, doc); err != nil { // a duplicate is the same file queued before
			return m, fmt.Errorf("store file %s part %d: %w", f.Name, i, err)
		}
	}
	f.Data = nil
	out := *m.Out
	out.File = &f
	m.Out = &out
	return m, nil
}

// LoadFile fills in the bytes of a message's attachment from outbox_files.
// A message without one is returned as it is.
func (s *Store) LoadFile(ctx context.Context, m OutboxMessage) (OutboxMessage, error) {
	if m.Out == nil || m.Out.File == nil || len(m.Out.File.Data) > 0 {
		return m, nil
	}
	f := *m.Out.File
	data := make([]byte, 0, f.Size)
	for i := 0; len(data) < f.Size; i++ {
		c, err := one[fileChunkDoc](ctx, s.outboxFiles, bson.M{"_id": m.Key + "#" + strconv.Itoa(i)})
		if errors.Is(err, ErrNotFound) {
			return m, fmt.Errorf("load file of %s: part %d: %w", m.Key, i, ErrFileGone)
		}
		if err != nil {
			return m, fmt.Errorf("load file of %s, part %d: %w", m.Key, i, err)
		}
		if len(c.Data) == 0 {
			return m, fmt.Errorf("load file of %s: part %d is empty: %w", m.Key, i, ErrFileGone)
		}
		data = append(data, c.Data...)
	}
	if len(data) != f.Size {
		return m, fmt.Errorf("load file of %s: %d bytes, want %d: %w", m.Key, len(data), f.Size, ErrFileGone)
	}
	f.Data = data
	out := *m.Out
	out.File = &f
	m.Out = &out
	return m, nil
}

// dropFiles removes the files of finished messages.
func (s *Store) dropFiles(ctx context.Context, keys []string) error {
	if _, err := s.outboxFiles.DeleteMany(ctx, bson.M{"msg": bson.M{"$in": keys}}); err != nil {
		return fmt.Errorf("drop outbox files: %w", err)
	}
	return nil
}
