package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/planimport"
)

// ErrPlanExists means the plan being imported is stored already (same number
// and date, or the same table): offer to update it.
var ErrPlanExists = errors.New("plan already imported")

// PlanExistsError names the stored plan an import matches.
type PlanExistsError struct{ Plan domain.Plan }

func (e *PlanExistsError) Error() string {
	return fmt.Sprintf("plan %s of %s: %v", e.Plan.Number, e.Plan.Date, ErrPlanExists)
}

func (e *PlanExistsError) Unwrap() error { return ErrPlanExists }

// ImportResult says what an import stored.
type ImportResult struct {
	Plan        domain.Plan
	Updated     bool // an existing plan was updated
	Tasks       Counts
	Assignments Counts
	Targets     Counts // the plan's targets (chỉ tiêu), when its file has a table of them
}

// journal is the intent of an import, written as one document before
// anything else (one insert is atomic): the plan and its tasks. While it
// exists the plan is being written; readers hide the tasks and assignments of
// a plan whose creation is journaled; RepairImports finishes or undoes it.
type journal struct {
	Key    string        `bson:"_id"` // the plan key
	Update bool          `bson:"update"`
	Plan   domain.Plan   `bson:"plan"`
	Tasks  []domain.Task `bson:"tasks"`
	// Targets are the plan's targets, when the file has a table of them;
	// HasTargets tells an update whether to bring the stored ones in line
	// (a file without a targets table says nothing about them).
	Targets    []domain.Target `bson:"targets,omitempty"`
	HasTargets bool            `bson:"has_targets,omitempty"`
	At         time.Time       `bson:"at"`
}

// importFault, when set (by tests), is called before each write of an
// import; an error it returns fails the import there. errKilled stops the
// import without undoing anything, as a killed process would.
var importFault func(step int) error

var errKilled = errors.New("killed")

// ImportPlan stores a plan read from a file: the plan, its tasks and their
// assignments (explicit agencies and the members of collective groups), the
// assignee cells read against the agencies registered now. It stores all of
// it or, on any error, nothing (see docs/import.md). A plan with the same
// number and date, or the same table, is not stored twice: without update it
// returns a *PlanExistsError; with update the stored plan is brought in line
// with the table, every assignment keeping its state and history (as
// seeding does).
func (s *Store) ImportPlan(ctx context.Context, meta planimport.Meta, t planimport.Table, update bool) (ImportResult, error) {
	date, err := time.Parse(time.DateOnly, meta.Date)
	if err != nil {
		return ImportResult{}, fmt.Errorf("plan date %q must be YYYY-MM-DD", meta.Date)
	}
	if strings.TrimSpace(meta.Title) == "" {
		return ImportResult{}, errors.New("a plan needs a title")
	}
	plans, err := s.Plans(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	key := planKey(meta, t.Hash)
	var existing *domain.Plan
	codes := map[string]bool{}
	for i, p := range plans {
		codes[p.Code] = true
		if p.Key == key || (p.SeedHash == "import:"+t.Hash) {
			existing = &plans[i]
		}
	}
	if existing != nil && !update {
		return ImportResult{Plan: *existing}, &PlanExistsError{Plan: *existing}
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	p := domain.Plan{Key: key, Number: strings.TrimSpace(meta.Number), Date: meta.Date, Year: date.Year(),
		Title: strings.TrimSpace(meta.Title), Open: true, Seq: len(plans), SeedHash: "import:" + t.Hash, UpdatedAt: now}
	if existing != nil {
		p.Key, p.Code, p.Seq, p.AppendixTitle, p.Reporting = existing.Key, existing.Code, existing.Seq, existing.AppendixTitle, existing.Reporting
	} else {
		p.Code = freeCode(date.Year(), codes)
	}
	ix, err := s.AgencyIndex(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	j := journal{Key: p.Key, Update: existing != nil, Plan: p, Tasks: t.DomainTasks(p.Key, p.Code, ix), At: now}
	for i := range j.Tasks {
		j.Tasks[i].UpdatedAt = now
		j.Tasks[i].SeedHash = hashOf(j.Tasks[i])
	}
	if len(t.Targets) > 0 {
		j.Targets, j.HasTargets = t.DomainTargets(p.Key, p.Code, ix), true
		for i := range j.Targets {
			j.Targets[i].SeedHash = "import:" + hashOf(j.Targets[i])
			j.Targets[i].UpdatedAt = now
		}
	}
	if _, err := s.imports.InsertOne(ctx, j); err != nil {
		if isDup(err) {
			return ImportResult{}, fmt.Errorf("plan %s: another import of it is under way", p.Key)
		}
		return ImportResult{}, fmt.Errorf("journal import of %s: %w", p.Key, err)
	}
	r, err := s.apply(ctx, j)
	if errors.Is(err, errKilled) {
		return r, err
	}
	if err != nil && !j.Update {
		if rerr := s.rollback(ctx, j); rerr != nil {
			return r, errors.Join(err, fmt.Errorf("undo import (RepairImports will finish it): %w", rerr))
		}
		return ImportResult{}, err
	}
	if err != nil {
		return r, fmt.Errorf("update of %s interrupted (RepairImports finishes it): %w", p.Key, err)
	}
	if _, err := s.imports.DeleteOne(ctx, bson.M{"_id": j.Key}); err != nil {
		return r, fmt.Errorf("close import journal: %w", err)
	}
	return r, nil
}

// apply writes a journaled import: tasks, assignments, the plan document
// last. Every step is idempotent, so a repair can run it again.
func (s *Store) apply(ctx context.Context, j journal) (ImportResult, error) {
	r := ImportResult{Plan: j.Plan, Updated: j.Update}
	if err := s.noteChange(ctx, changeNote{Full: true}); err != nil { // a whole plan: the summaries read everything again
		return r, err
	}
	step := 0
	fault := func() error {
		step++
		if importFault != nil {
			return importFault(step)
		}
		return nil
	}
	agencies, err := s.Agencies(ctx)
	if err != nil {
		return r, err
	}
	existing, err := s.planAssignments(ctx, j.Plan.Key)
	if err != nil {
		return r, err
	}
	wanted := map[string]bool{}
	for _, t := range j.Tasks {
		wanted[t.Code] = true
		if err := fault(); err != nil {
			return r, err
		}
		if err := s.upsertSeeded(ctx, s.tasks, t.Code, t.SeedHash, t, bson.M{
			"plan": t.PlanKey, "section": t.Section, "section_title": t.SectionTitle, "number": t.Number,
			"title": t.Title, "lead": t.Lead, "coordinating": t.Coordinating, "deadline": t.Deadline,
			"output": t.Output, "note": t.Note, "seq": t.Seq, "seed_hash": t.SeedHash, "updated_at": t.UpdatedAt,
		}, &r.Tasks); err != nil {
			return r, fmt.Errorf("store task %s: %w", t.Code, err)
		}
		stored, err := s.Task(ctx, t.Code) // keeps a due date set by hand
		if err != nil {
			return r, err
		}
		if err := fault(); err != nil {
			return r, err
		}
		if err := s.syncAssignments(ctx, stored, agencies, existing[t.Code], &r.Assignments); err != nil {
			return r, fmt.Errorf("assignments of %s: %w", t.Code, err)
		}
	}
	// Tasks the table no longer has: their assignments are withdrawn, their
	// history kept.
	for code, list := range existing {
		if wanted[code] {
			continue
		}
		for _, a := range list {
			if a.Withdrawn {
				continue
			}
			if _, err := s.assignments.UpdateOne(ctx, bson.M{"_id": a.ID}, bson.M{"$set": bson.M{"withdrawn": true}}); err != nil {
				return r, err
			}
			r.Assignments.Withdrawn++
		}
	}
	if j.HasTargets {
		if err := fault(); err != nil {
			return r, err
		}
		if err := s.syncTargets(ctx, j.Plan.Key, j.Targets, &r.Targets); err != nil {
			return r, err
		}
	}
	if err := fault(); err != nil {
		return r, err
	}
	p := j.Plan
	if _, err := s.plans.ReplaceOne(ctx, bson.M{"_id": p.Key}, p, options.Replace().SetUpsert(true)); err != nil {
		return r, fmt.Errorf("store plan %s: %w", p.Key, err)
	}
	return r, nil
}

// planAssignments lists every assignment of a plan (withdrawn included), by
// task.
func (s *Store) planAssignments(ctx context.Context, planKey string) (map[string][]domain.Assignment, error) {
	list, err := all[domain.Assignment](ctx, s.assignments, bson.M{"plan": planKey})
	if err != nil {
		return nil, err
	}
	out := map[string][]domain.Assignment{}
	for _, a := range list {
		out[a.TaskCode] = append(out[a.TaskCode], a)
	}
	return out, nil
}

// rollback undoes a journaled creation that did not reach its plan
// document: its tasks, assignments and their refs go, then the journal.
func (s *Store) rollback(ctx context.Context, j journal) error {
	if err := s.noteChange(ctx, changeNote{Full: true}); err != nil {
		return err
	}
	if _, err := s.plans.DeleteOne(ctx, bson.M{"_id": j.Key, "seed_hash": j.Plan.SeedHash, "updated_at": j.Plan.UpdatedAt}); err != nil {
		return err
	}
	byTask, err := s.planAssignments(ctx, j.Key)
	if err != nil {
		return err
	}
	for _, list := range byTask {
		for _, a := range list {
			if _, err := s.refs.DeleteOne(ctx, bson.M{"_id": a.Ref}); err != nil {
				return err
			}
			if _, err := s.assignments.DeleteOne(ctx, bson.M{"_id": a.ID}); err != nil {
				return err
			}
		}
	}
	for _, t := range j.Tasks {
		if _, err := s.tasks.DeleteOne(ctx, bson.M{"_id": t.Code, "plan": j.Key}); err != nil {
			return err
		}
	}
	if j.HasTargets { // a plan not yet created: its targets have no values
		if _, err := s.targets.DeleteMany(ctx, bson.M{"plan": j.Key, "version": 0}); err != nil {
			return err
		}
	}
	_, err = s.imports.DeleteOne(ctx, bson.M{"_id": j.Key})
	return err
}

// RepairImports finishes what an import stopped in the middle (the process killed)
// left: a creation whose plan document was written is complete and only its
// journal goes; one whose plan document was not written is undone; an update
// is applied again (every step is idempotent). Run it at start, before
// serving. It returns how many imports it repaired.
func (s *Store) RepairImports(ctx context.Context) (int, error) {
	list, err := all[journal](ctx, s.imports, bson.M{})
	if err != nil {
		return 0, fmt.Errorf("read import journal: %w", err)
	}
	for _, j := range list {
		switch {
		case j.Update:
			if _, err := s.apply(ctx, j); err != nil {
				return 0, fmt.Errorf("finish update of %s: %w", j.Key, err)
			}
			_, err = s.imports.DeleteOne(ctx, bson.M{"_id": j.Key})
		default:
			var p domain.Plan
			p, err = one[domain.Plan](ctx, s.plans, bson.M{"_id": j.Key})
			switch {
			case err == nil && p.SeedHash == j.Plan.SeedHash:
				_, err = s.imports.DeleteOne(ctx, bson.M{"_id": j.Key})
			case err == nil || errors.Is(err, ErrNotFound) || isNoDocs(err):
				err = s.rollback(ctx, j)
			}
		}
		if err != nil {
			return 0, fmt.Errorf("repair import of %s: %w", j.Key, err)
		}
	}
	return len(list), nil
}

// pending returns the keys of plans whose creation is under way: readers hide
// their tasks and assignments.
func (s *Store) pending(ctx context.Context) (map[string]bool, error) {
	list, err := all[journal](ctx, s.imports, bson.M{"update": false})
	if err != nil {
		return nil, fmt.Errorf("read import journal: %w", err)
	}
	out := map[string]bool{}
	for _, j := range list {
		out[j.Key] = true
	}
	return out, nil
}

// planKey is the stable key of an imported plan: from its number and date
// ("kh-12-kh-ubnd-2027-01-15"), or from its table when it has no number yet.
func planKey(m planimport.Meta, hash string) string {
	n := strings.TrimSpace(m.Number)
	if n == "" || strings.HasPrefix(n, "/") {
		return "kh-" + m.Date + "-" + hash[:min(8, len(hash))]
	}
	return "kh-" + agency.Slug(n) + "-" + m.Date
}

// freeCode is the short code for a new plan of year y ("27", then "27b" …).
func freeCode(y int, taken map[string]bool) string {
	base := fmt.Sprintf("%02d", y%100)
	if !taken[base] {
		return base
	}
	for c := 'b'; c <= 'z'; c++ {
		if code := base + string(c); !taken[code] {
			return code
		}
	}
	return fmt.Sprintf("%d", y)
}
