package store

// The summaries' snapshot (rollstate.go) on disk: a head naming its parts,
// each part gzip'd gob in documents of at most 4 MB read by _id. The
// catalog (plans, tasks, agencies) is one part; the assignments are split
// into buckets by agency, so that one agency's summary read cold reads the
// catalog and one bucket — a thirty-second of the assignments — instead of
// one lookup per task.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/domain"
)

// snapshotChunk is the size of one snapshot document's payload (MongoDB and
// FerretDB cap a document at 16 MB).
const snapshotChunk = 4 << 20

// snapshotBuckets is how many parts the assignments are split into.
const snapshotBuckets = 32

// snapshotVersion changes when the snapshot's encoding does; a snapshot of
// another version is not read (everything is read instead).
const snapshotVersion = 2

// snapshotHead names the current snapshot's parts.
type snapshotHead struct {
	ID      string         `bson:"_id"` // "head"
	Gen     string         `bson:"gen"`
	Parts   []snapshotPart `bson:"parts"`
	Upto    int64          `bson:"upto"`
	Count   int            `bson:"count"`
	SavedAt time.Time      `bson:"saved_at"`
	Version int            `bson:"version"`
}

// snapshotPart is one part: "catalog" or "a00" … "a31".
type snapshotPart struct {
	Name   string `bson:"name"`
	Chunks int    `bson:"chunks"`
}

type snapshotChunkDoc struct {
	ID   string `bson:"_id"` // "<gen>/<part>/<i>"
	Data []byte `bson:"data"`
}

// catalogPart is the catalog part's content.
type catalogPart struct {
	Plans    []domain.Plan
	Tasks    []domain.Task
	Agencies []domain.Agency
}

// bucketOf is the assignments part an agency's assignments are in.
func bucketOf(agencyKey string) string {
	h := fnv.New32a()
	h.Write([]byte(agencyKey))
	return fmt.Sprintf("a%02d", h.Sum32()%snapshotBuckets)
}

// readSnapshot reads the snapshot: everything, or (agencyKey not empty)
// the catalog and that agency's assignments. ok is false when there is no
// snapshot, it is of another version, or it was replaced while being read.
func (s *Store) readSnapshot(ctx context.Context, agencyKey string) (RollupState, bool, error) {
	head, err := one[snapshotHead](ctx, s.snapshots, bson.M{"_id": "head"})
	if errors.Is(err, ErrNotFound) {
		return RollupState{}, false, nil
	}
	if err != nil {
		return RollupState{}, false, fmt.Errorf("read the summaries' snapshot: %w", err)
	}
	if head.Version != snapshotVersion {
		return RollupState{}, false, nil
	}
	st := RollupState{Upto: head.Upto, From: "snapshot"}
	var parts []snapshotPart
	for _, p := range head.Parts {
		if p.Name == "catalog" || agencyKey == "" || p.Name == bucketOf(agencyKey) {
			parts = append(parts, p)
		}
	}
	// The parts are read one after the other (one connection) and decoded
	// on every core as they arrive.
	type decoded struct {
		catalog *catalogPart
		as      []domain.Assignment
		bad     bool
	}
	out := make([]decoded, len(parts))
	work := make(chan int, len(parts))
	datas := make([][]byte, len(parts))
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(parts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if parts[i].Name == "catalog" {
					var c catalogPart
					out[i] = decoded{catalog: &c, bad: gunzipGob(datas[i], &c) != nil}
				} else {
					out[i].bad = gunzipGob(datas[i], &out[i].as) != nil
				}
				datas[i] = nil
			}
		}()
	}
	var readErr error
	complete := true
	for i, p := range parts {
		data, ok, err := s.readPart(ctx, head.Gen, p)
		if err != nil || !ok {
			readErr, complete = err, false
			break
		}
		datas[i] = data
		work <- i
	}
	close(work)
	wg.Wait()
	if readErr != nil || !complete {
		return RollupState{}, false, readErr
	}
	n := 0
	for _, d := range out {
		if d.bad {
			return RollupState{}, false, nil // unreadable: read everything
		}
		n += len(d.as)
	}
	st.Assignments = make([]domain.Assignment, 0, n)
	for _, d := range out {
		if d.catalog != nil {
			st.Plans, st.Tasks, st.Agencies = d.catalog.Plans, d.catalog.Tasks, d.catalog.Agencies
		}
		for _, a := range d.as {
			if agencyKey == "" || a.AgencyKey == agencyKey {
				st.Assignments = append(st.Assignments, a)
			}
		}
	}
	return st, true, nil
}

// readPart reads one part's chunks; ok is false when one is missing.
func (s *Store) readPart(ctx context.Context, gen string, p snapshotPart) ([]byte, bool, error) {
	var buf bytes.Buffer
	for i := range p.Chunks {
		c, err := one[snapshotChunkDoc](ctx, s.snapshots, bson.M{"_id": gen + "/" + p.Name + "/" + strconv.Itoa(i)})
		if errors.Is(err, ErrNotFound) {
			return nil, false, nil // replaced meanwhile
		}
		if err != nil {
			return nil, false, fmt.Errorf("read the summaries' snapshot: %w", err)
		}
		buf.Write(c.Data)
	}
	return buf.Bytes(), true, nil
}

// SaveRollupState writes st as the snapshot, unless a newer one is saved
// already, then deletes the previous snapshot and the notes both it and
// the history archive include.
func (s *Store) SaveRollupState(ctx context.Context, st RollupState) error {
	old, err := one[snapshotHead](ctx, s.snapshots, bson.M{"_id": "head"})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("read the summaries' snapshot: %w", err)
	}
	if err == nil && old.Upto >= st.Upto && old.Version == snapshotVersion {
		return nil
	}
	head := snapshotHead{ID: "head", Gen: fmt.Sprintf("%019d-%08x", st.Upto, rand.Uint32()), Upto: st.Upto,
		Count: len(st.Assignments), SavedAt: s.wall().UTC().Truncate(time.Millisecond), Version: snapshotVersion}
	parts := map[string]any{"catalog": catalogPart{Plans: st.Plans, Tasks: st.Tasks, Agencies: st.Agencies}}
	buckets := map[string][]domain.Assignment{}
	for _, a := range st.Assignments {
		b := bucketOf(a.AgencyKey)
		buckets[b] = append(buckets[b], a)
	}
	for b, as := range buckets {
		parts[b] = as
	}
	for name, v := range parts {
		p, err := s.writePart(ctx, head.Gen, name, v)
		if err != nil {
			return err
		}
		head.Parts = append(head.Parts, p)
	}
	if _, err := s.snapshots.ReplaceOne(ctx, bson.M{"_id": "head"}, head, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("save the summaries' snapshot: %w", err)
	}
	for _, p := range old.Parts {
		for i := range p.Chunks {
			if _, err := s.snapshots.DeleteOne(ctx, bson.M{"_id": old.Gen + "/" + p.Name + "/" + strconv.Itoa(i)}); err != nil {
				return fmt.Errorf("delete the previous snapshot: %w", err)
			}
		}
	}
	return s.trimChangeLog(ctx, st.Upto)
}

// writePart encodes v and writes it in chunks.
func (s *Store) writePart(ctx context.Context, gen, name string, v any) (snapshotPart, error) {
	data, err := gzipGob(v)
	if err != nil {
		return snapshotPart{}, fmt.Errorf("encode the summaries' snapshot: %w", err)
	}
	p := snapshotPart{Name: name}
	for i := 0; i == 0 || i*snapshotChunk < len(data); i++ {
		chunk := data[i*snapshotChunk : min(len(data), (i+1)*snapshotChunk)]
		if _, err := s.snapshots.InsertOne(ctx, snapshotChunkDoc{ID: gen + "/" + name + "/" + strconv.Itoa(i), Data: chunk}); err != nil {
			return p, fmt.Errorf("save the summaries' snapshot: %w", err)
		}
		p.Chunks = i + 1
	}
	return p, nil
}

// trimChangeLog deletes the notes both the snapshot (saved up to upto) and
// the history archive (history.go) have.
func (s *Store) trimChangeLog(ctx context.Context, upto int64) error {
	cut := upto
	if au, err := s.archiveUpto(ctx, upto); err != nil {
		return err
	} else if au != 0 {
		cut = min(cut, au)
	}
	notes, err := s.changeNotes(ctx)
	if err != nil {
		return err
	}
	for _, n := range notes {
		if n.At < cut-int64(s.changeGrace) {
			if _, err := s.changeLog.DeleteOne(ctx, bson.M{"_id": n.ID}); err != nil {
				return fmt.Errorf("trim the change log: %w", err)
			}
		}
	}
	return nil
}

// loadAgencySnapshot is one agency's roll-up state read cold: the catalog
// and the agency's bucket from the snapshot, with the notes that concern
// them applied. ok is false when there is no usable snapshot or a note asks
// for everything to be read.
func (s *Store) loadAgencySnapshot(ctx context.Context, agencyKey string) (RollupState, bool, error) {
	notes, err := s.changeNotes(ctx)
	if err != nil {
		return RollupState{}, false, err
	}
	st, ok, err := s.readSnapshot(ctx, agencyKey)
	if err != nil || !ok {
		return st, false, err
	}
	var mine []changeNote
	for _, n := range notes {
		if n.Full {
			return st, false, nil
		}
		m := changeNote{Catalog: n.Catalog}
		for _, id := range n.Assignments {
			if strings.HasSuffix(id, "/"+agencyKey) {
				m.Assignments = append(m.Assignments, id)
			}
		}
		if n.Task != "" {
			m.Assignments = append(m.Assignments, domain.AssignmentID(n.Task, agencyKey))
		}
		if m.Catalog || len(m.Assignments) > 0 {
			mine = append(mine, m)
		}
	}
	st, err = s.applyNotes(ctx, st, mine)
	return st, err == nil, err
}

// gzipGob encodes v with gob, compressed.
func gzipGob(v any) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if err := gob.NewEncoder(zw).Encode(v); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// gunzipGob decodes what gzipGob encoded into v.
func gunzipGob(data []byte, v any) error {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return gob.NewDecoder(zr).Decode(v)
}
