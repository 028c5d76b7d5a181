package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/planimport"
	"agencybot/seeds"
)

// Targets (chỉ tiêu) keep the store's habits: a target is a document changed
// in place ("targets", like assignments); what officers report is an
// append-only history ("target_values", like updates) whose entries are
// identified by target and version, so every read is by _id; a replayed
// change is recognised by its source's marker in "applied_sources".

// ErrTargetWithdrawn means the target is no longer part of its plan: its
// values are kept, nothing more is recorded on it.
var ErrTargetWithdrawn = errors.New("target withdrawn from the plan")

// SeedTargets loads the seed plans' targets (seeds.Targets); the plans must
// be seeded. Idempotent, as Seed is: a target edited in the file is updated
// in place, keeping its values.
func (s *Store) SeedTargets(ctx context.Context, files []seeds.TargetFile) (Counts, error) {
	var n Counts
	ix, err := s.AgencyIndex(ctx)
	if err != nil {
		return n, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	for _, f := range files {
		p, err := one[domain.Plan](ctx, s.plans, bson.M{"_id": f.Plan})
		if err != nil {
			return n, fmt.Errorf("targets of plan %s: %w", f.Plan, err)
		}
		list := make([]domain.Target, 0, len(f.Targets))
		for i, st := range f.Targets {
			d, err := st.Domain(p.Key, p.Code)
			if err != nil {
				return n, fmt.Errorf("seed target %s-%s: %w", p.Code, st.Number, err)
			}
			d.Contributors = planimport.Cell(st.Contributors.Text, ix)
			d.Seq, d.UpdatedAt = i, now
			d.SeedHash = hashOf(struct {
				T   seeds.Target
				Seq int
				C   domain.Cell
			}{st, i, d.Contributors})
			list = append(list, d)
		}
		if err := s.syncTargets(ctx, p.Key, list, &n); err != nil {
			return n, err
		}
	}
	return n, nil
}

// syncTargets makes a plan's stored targets those of list: a stored target
// of the same name (NormName) keeps its identity and values and takes the
// list's definition; a new one takes its number's identity (or, when a
// target of another name holds it, one made unique); one no longer listed
// is withdrawn, its values kept. Every write is idempotent, so an import's
// repair can run it again.
func (s *Store) syncTargets(ctx context.Context, planKey string, list []domain.Target, n *Counts) error {
	stored, err := all[domain.Target](ctx, s.targets, bson.M{"plan": planKey})
	if err != nil {
		return fmt.Errorf("targets of %s: %w", planKey, err)
	}
	byNorm, ids := map[string]domain.Target{}, map[string]string{}
	for _, t := range stored {
		byNorm[t.Norm], ids[t.ID] = t, t.Norm
	}
	wanted := map[string]bool{}
	for _, t := range list {
		if t.Norm == "" {
			t.Norm = domain.NormName(t.Name)
		}
		if old, ok := byNorm[t.Norm]; ok {
			t.ID = old.ID
		} else if norm, taken := ids[t.ID]; taken && norm != t.Norm {
			t.ID += "-" + hashOf(t.Norm)[:4]
		}
		ids[t.ID], wanted[t.ID] = t.Norm, true
		if t.Milestones == nil {
			t.Milestones = []domain.Milestone{}
		}
		set := bson.M{
			"plan": t.PlanKey, "number": t.Number, "name": t.Name, "norm": t.Norm, "unit": t.Unit, "direction": t.Direction,
			"baseline": t.Baseline, "milestones": t.Milestones, "final": t.Final, "from": t.From, "agency": t.Agency,
			"agency_text": t.AgencyText, "contributors": t.Contributors, "task": t.Task, "source": t.Source, "seq": t.Seq,
			"withdrawn": false, "seed_hash": t.SeedHash, "updated_at": t.UpdatedAt,
		}
		if old, ok := byNorm[t.Norm]; ok && old.Withdrawn {
			// Back in the plan: the same definition as before is still a change.
			if _, err := s.targets.UpdateOne(ctx, bson.M{"_id": t.ID}, bson.M{"$set": set}); err != nil {
				return fmt.Errorf("restore target %s: %w", t.ID, err)
			}
			n.Updated++
			continue
		}
		if err := s.upsertSeeded(ctx, s.targets, t.ID, t.SeedHash, t, set, n); err != nil {
			return fmt.Errorf("store target %s: %w", t.ID, err)
		}
	}
	for _, t := range stored {
		if wanted[t.ID] || t.Withdrawn {
			continue
		}
		if _, err := s.targets.UpdateOne(ctx, bson.M{"_id": t.ID}, bson.M{"$set": bson.M{"withdrawn": true}}); err != nil {
			return fmt.Errorf("withdraw target %s: %w", t.ID, err)
		}
		n.Withdrawn++
	}
	return nil
}

// Target reads a target by its identity ("26-CT5", any case), its history
// rolled forward.
func (s *Store) Target(ctx context.Context, id string) (domain.Target, error) {
	id = strings.ToUpper(strings.TrimSpace(id))
	t, err := one[domain.Target](ctx, s.targets, bson.M{"_id": id})
	if err != nil {
		return t, fmt.Errorf("target %s: %w", id, err)
	}
	return s.settleTarget(ctx, t)
}

// Targets lists the targets of every plan but those withdrawn and those of
// a plan whose import is under way, in plan order (as Plans) and then in the
// plan's order.
func (s *Store) Targets(ctx context.Context) ([]domain.Target, error) {
	list, err := all[domain.Target](ctx, s.targets, bson.M{"withdrawn": false})
	if err != nil {
		return nil, fmt.Errorf("list targets: %w", err)
	}
	hide, err := s.pending(ctx)
	if err != nil {
		return nil, err
	}
	plans, err := s.Plans(ctx)
	if err != nil {
		return nil, err
	}
	order := map[string]int{}
	for i, p := range plans {
		order[p.Key] = i
	}
	list = slices.DeleteFunc(list, func(t domain.Target) bool {
		_, listed := order[t.PlanKey]
		return hide[t.PlanKey] || !listed
	})
	slices.SortFunc(list, func(a, b domain.Target) int {
		if d := order[a.PlanKey] - order[b.PlanKey]; d != 0 {
			return d
		}
		return a.Seq - b.Seq
	})
	for i := range list {
		if list[i], err = s.settleTarget(ctx, list[i]); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// TargetRecord is a target with its whole history, oldest first: what
// domain.JudgeTarget, the chart page and the export read.
type TargetRecord struct {
	Target  domain.Target
	History []domain.TargetValue
}

// Current is the record's values that stand (domain.CurrentValues).
func (r TargetRecord) Current() []domain.TargetValue { return domain.CurrentValues(r.History) }

// TargetRecords lists every target (as Targets) with its history.
func (s *Store) TargetRecords(ctx context.Context) ([]TargetRecord, error) {
	list, err := s.Targets(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]TargetRecord, len(list))
	for i, t := range list {
		h, err := s.targetHistory(ctx, t, 0)
		if err != nil {
			return nil, err
		}
		slices.Reverse(h)
		out[i] = TargetRecord{Target: t, History: h}
	}
	return out, nil
}

// TargetHistory lists the entries of a target's history, newest first, at
// most limit (0: all).
func (s *Store) TargetHistory(ctx context.Context, id string, limit int) ([]domain.TargetValue, error) {
	t, err := s.Target(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.targetHistory(ctx, t, limit)
}

func (s *Store) targetHistory(ctx context.Context, t domain.Target, limit int) ([]domain.TargetValue, error) {
	var out []domain.TargetValue
	for v := t.Version; v >= 1 && (limit <= 0 || len(out) < limit); v-- {
		e, err := one[domain.TargetValue](ctx, s.targetValues, bson.M{"_id": domain.TargetValueID(t.ID, v)})
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("history of %s: %w", t.ID, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// TargetChange is what an officer asks to record on a target: a value
// (Kind domain.ReportValue) or the correction of their latest one.
type TargetChange struct {
	// SourceID identifies where the change came from ("tg:<update_id>"); a
	// change whose source was applied to the target before is refused with
	// ErrDuplicate (and the entry it recorded). Empty: a fresh id.
	SourceID    string
	OfficerID   int64
	OfficerName string
	AgencyKey   string
	Kind        domain.TargetEntryKind
	Year        int
	Period      string
	Value       float64
	Text        string // the value as typed ("9,5")
	DataSource  string // "Cục Thống kê, số liệu 2026"
	Date        deadline.Date
}

// targetSource is the marker key of a source applied to a target.
func targetSource(id, source string) string { return sourceKey("target:"+id, source) }

// ApplyTarget records a change as the next entry of a target's history and
// moves the target's version with it; what the change may be is
// domain.NextTargetValue's (an invalid one returns domain.ErrInvalidChange,
// a repeated value domain.ErrNoChange, a correction not allowed
// domain.ErrNothingToCorrect; nothing is recorded then).
//
// The writes are those of Apply: the entry is inserted first under
// TargetValueID(target, version), which exists once (a second writer of the
// same version starts over); then the entry a correction withdraws is
// marked corrected, the source's marker is inserted, and the target is set
// to the new version, never back to an older one. A crash between them
// leaves the target behind its history; the next read or change rolls it
// forward, and RepairTargets at start.
func (s *Store) ApplyTarget(ctx context.Context, id string, ch TargetChange) (domain.Target, domain.TargetValue, error) {
	if ch.SourceID == "" {
		ch.SourceID = bson.NewObjectID().Hex()
	}
	id = strings.ToUpper(strings.TrimSpace(id))
	mu := stripe("target:" + id)
	mu.Lock()
	defer mu.Unlock()
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if err := contended.Sleep(ctx, attempt+1); err != nil {
				return domain.Target{}, domain.TargetValue{}, fmt.Errorf("report on %s: %w", id, err)
			}
		}
		t, err := s.Target(ctx, id)
		if err != nil {
			return t, domain.TargetValue{}, err
		}
		if t.Withdrawn {
			return t, domain.TargetValue{}, fmt.Errorf("%s: %w", t.ID, ErrTargetWithdrawn)
		}
		if e, done, err := s.appliedTarget(ctx, t.ID, ch.SourceID); err != nil || done {
			if err == nil {
				err = ErrDuplicate
			}
			return t, e, err
		}
		history, err := s.targetHistory(ctx, t, 0)
		if err != nil {
			return t, domain.TargetValue{}, err
		}
		var last *domain.TargetValue
		if len(history) > 0 {
			last = &history[0]
		}
		today := deadline.DateOf(s.now().In(s.zone()))
		e, err := domain.NextTargetValue(t, domain.TargetChange{Kind: ch.Kind, Year: ch.Year, Period: ch.Period, Value: ch.Value,
			Text: ch.Text, DataSource: ch.DataSource, Date: ch.Date}, ch.OfficerID, last, domain.CurrentValues(history), today)
		if err != nil {
			return t, e, err
		}
		e.ID, e.Source, e.Version = domain.TargetValueID(t.ID, t.Version+1), ch.SourceID, t.Version+1
		e.AgencyKey, e.OfficerID, e.OfficerName = ch.AgencyKey, ch.OfficerID, ch.OfficerName
		e.At = s.now().UTC().Truncate(time.Millisecond)
		if _, err := s.targetValues.InsertOne(ctx, e); err != nil {
			if isDup(err) {
				continue // another writer took this version: read again and retry
			}
			return t, e, fmt.Errorf("record value of %s: %w", t.ID, err)
		}
		t, err = s.rollTargetForward(ctx, t, e)
		return t, e, err
	}
}

// appliedTarget tells whether source was applied to the target before and
// returns the entry it recorded.
func (s *Store) appliedTarget(ctx context.Context, id, source string) (domain.TargetValue, bool, error) {
	var m struct {
		Entry string `bson:"update"`
	}
	err := s.sources.FindOne(ctx, bson.M{"_id": targetSource(id, source)}).Decode(&m)
	if isNoDocs(err) {
		return domain.TargetValue{}, false, nil
	}
	if err != nil {
		return domain.TargetValue{}, false, fmt.Errorf("look up source %s of %s: %w", source, id, err)
	}
	e, err := one[domain.TargetValue](ctx, s.targetValues, bson.M{"_id": m.Entry})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return e, true, err
	}
	return e, true, nil
}

// rollTargetForward finishes entry e (the version after t's) and sets the
// target to it.
func (s *Store) rollTargetForward(ctx context.Context, t domain.Target, e domain.TargetValue) (domain.Target, error) {
	if err := s.finishTarget(ctx, e); err != nil {
		return t, err
	}
	t.Version, t.LastValue, t.ReportedAt = e.Version, e.ID, e.At
	if _, err := s.targets.UpdateOne(ctx, bson.M{"_id": t.ID, "version": bson.M{"$lt": e.Version}},
		bson.M{"$set": bson.M{"version": e.Version, "last_value": e.ID, "reported_at": e.At}}); err != nil {
		return t, fmt.Errorf("move %s to version %d: %w", t.ID, e.Version, err)
	}
	return t, nil
}

// finishTarget makes the idempotent writes that go with a recorded entry.
func (s *Store) finishTarget(ctx context.Context, e domain.TargetValue) error {
	if e.Kind == domain.CorrectionValue && e.Corrects != "" {
		if _, err := s.targetValues.UpdateOne(ctx, bson.M{"_id": e.Corrects}, bson.M{"$set": bson.M{"corrected": true}}); err != nil {
			return fmt.Errorf("mark %s corrected: %w", e.Corrects, err)
		}
	}
	_, err := s.sources.InsertOne(ctx, bson.M{"_id": targetSource(e.TargetID, e.Source), "update": e.ID, "at": e.At})
	if err != nil && !isDup(err) {
		return fmt.Errorf("mark source %s of %s: %w", e.Source, e.TargetID, err)
	}
	return nil
}

// settleTarget rolls t forward over recorded entries beyond its version.
func (s *Store) settleTarget(ctx context.Context, t domain.Target) (domain.Target, error) {
	for {
		e, err := one[domain.TargetValue](ctx, s.targetValues, bson.M{"_id": domain.TargetValueID(t.ID, t.Version+1)})
		if errors.Is(err, ErrNotFound) {
			return t, nil
		}
		if err != nil {
			return t, err
		}
		if t, err = s.rollTargetForward(ctx, t, e); err != nil {
			return t, err
		}
	}
}

// RepairTargets finishes what a crash left half done, as Repair does for
// assignments: it rolls forward every target whose history is ahead of it
// and finishes its latest entry (a correction's withdrawn value marked, the
// source's marker). It returns how many targets it moved.
func (s *Store) RepairTargets(ctx context.Context) (int, error) {
	list, err := all[domain.Target](ctx, s.targets, bson.M{})
	if err != nil {
		return 0, fmt.Errorf("list targets: %w", err)
	}
	n := 0
	for _, t := range list {
		moved, err := s.settleTarget(ctx, t)
		if err != nil {
			return n, err
		}
		if moved.Version != t.Version {
			n++
			continue
		}
		if t.Version == 0 {
			continue
		}
		last, err := one[domain.TargetValue](ctx, s.targetValues, bson.M{"_id": domain.TargetValueID(t.ID, t.Version)})
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err == nil {
			err = s.finishTarget(ctx, last)
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
