package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/seeds"
)

// ErrAgencyExists means an agency with the same name (or alias) is registered.
var ErrAgencyExists = errors.New("agency already registered")

// Plans lists the plans by their date (year, then the ISO date of imported
// plans), then in the order they were loaded. A plan whose import is under
// way is not listed (its plan document is written last).
func (s *Store) Plans(ctx context.Context) ([]domain.Plan, error) {
	return s.plansWhere(ctx, bson.M{})
}

// OpenPlans lists the plans still tracked, by their date.
func (s *Store) OpenPlans(ctx context.Context) ([]domain.Plan, error) {
	return s.plansWhere(ctx, bson.M{"open": true})
}

func (s *Store) plansWhere(ctx context.Context, f bson.M) ([]domain.Plan, error) {
	list, err := all[domain.Plan](ctx, s.plans, f, options.Find().SetSort(bson.D{{Key: "seq", Value: 1}}))
	if err != nil {
		return nil, err
	}
	isoDate := func(p domain.Plan) string {
		if _, err := time.Parse(time.DateOnly, p.Date); err == nil {
			return p.Date
		}
		return ""
	}
	slices.SortStableFunc(list, func(a, b domain.Plan) int {
		if a.Year != b.Year {
			return a.Year - b.Year
		}
		return strings.Compare(isoDate(a), isoDate(b))
	})
	return list, nil
}

// Tasks lists the tasks of a plan ("" for all plans), in plan order, without
// those of a plan whose import is under way.
func (s *Store) Tasks(ctx context.Context, planKey string) ([]domain.Task, error) {
	f := bson.M{}
	if planKey != "" {
		f["plan"] = planKey
	}
	list, err := all[domain.Task](ctx, s.tasks, f, options.Find().SetSort(bson.D{{Key: "plan", Value: 1}, {Key: "seq", Value: 1}}))
	if err != nil {
		return nil, err
	}
	hide, err := s.pending(ctx)
	if err != nil || len(hide) == 0 {
		return list, err
	}
	return slices.DeleteFunc(list, func(t domain.Task) bool { return hide[t.PlanKey] }), nil
}

// visible drops the assignments of plans whose import is under way.
func (s *Store) visible(ctx context.Context) func([]domain.Assignment, error) ([]domain.Assignment, error) {
	return func(list []domain.Assignment, err error) ([]domain.Assignment, error) {
		if err != nil {
			return nil, err
		}
		return s.hidePending(ctx, list)
	}
}

func (s *Store) hidePending(ctx context.Context, list []domain.Assignment) ([]domain.Assignment, error) {
	hide, err := s.pending(ctx)
	if err != nil || len(hide) == 0 {
		return list, err
	}
	return slices.DeleteFunc(list, func(a domain.Assignment) bool { return hide[a.PlanKey] }), nil
}

// Task finds a task by its code, case-insensitively ("26-iv.5").
func (s *Store) Task(ctx context.Context, code string) (domain.Task, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	t, err := one[domain.Task](ctx, s.tasks, bson.M{"_id": code})
	if err != nil {
		return t, fmt.Errorf("task %s: %w", code, err)
	}
	return t, nil
}

// SetDue sets a task's due date by hand (for deadlines that depend on an
// outside event) and moves its assignments with it.
func (s *Store) SetDue(ctx context.Context, code string, due deadline.Date) error {
	t, err := s.Task(ctx, code)
	if err != nil {
		return err
	}
	if err := s.noteChange(ctx, changeNote{Catalog: true, Task: t.Code}); err != nil {
		return err
	}
	if _, err := s.tasks.UpdateOne(ctx, bson.M{"_id": t.Code}, bson.M{"$set": bson.M{"due_set": due, "updated_at": s.now().UTC()}}); err != nil {
		return fmt.Errorf("set due of %s: %w", t.Code, err)
	}
	t.DueSet = due
	// An extended part keeps its date (extensions.go); the plan's moves.
	if _, err = s.assignments.UpdateMany(ctx, bson.M{"task": t.Code, "extensions": bson.M{"$exists": false}}, bson.M{"$set": bson.M{"due": t.Due(), "kind": effectiveKind(t)}}); err != nil {
		return err
	}
	_, err = s.assignments.UpdateMany(ctx, bson.M{"task": t.Code, "extensions": bson.M{"$exists": true}}, bson.M{"$set": bson.M{"due_original": t.Due(), "kind": effectiveKind(t)}})
	return err
}

func effectiveKind(t domain.Task) deadline.Kind {
	if !t.DueSet.IsZero() {
		return deadline.Fixed
	}
	return t.Deadline.Kind
}

// Agencies lists every active agency by name (a deactivated one keeps its
// record and history but is no longer matched or assigned).
func (s *Store) Agencies(ctx context.Context) ([]domain.Agency, error) {
	return all[domain.Agency](ctx, s.agencies, bson.M{"inactive": bson.M{"$ne": true}}, options.Find().SetSort(bson.D{{Key: "name", Value: 1}}))
}

// Agency looks an agency up by key.
func (s *Store) Agency(ctx context.Context, key string) (domain.Agency, error) {
	return one[domain.Agency](ctx, s.agencies, bson.M{"_id": key})
}

// AgencyIndex builds a name index over the registered agencies.
func (s *Store) AgencyIndex(ctx context.Context) (*agency.Index, error) {
	list, err := s.Agencies(ctx)
	if err != nil {
		return nil, fmt.Errorf("load agencies: %w", err)
	}
	return agency.NewIndex(toIndexAgencies(list))
}

func toIndexAgencies(list []domain.Agency) []agency.Agency {
	out := make([]agency.Agency, len(list))
	for i, a := range list {
		out[i] = agency.Agency{Key: a.Key, Name: a.Name, Kind: a.Kind, Aliases: a.Aliases}
	}
	return out
}

func agencyDoc(key, name string, kind agency.Kind, aliases []string, source string) domain.Agency {
	if aliases == nil {
		aliases = []string{}
	}
	a := domain.Agency{Key: key, Name: name, Kind: kind, Aliases: aliases, Source: source, Norm: agency.Normalize(name)}
	seen := map[string]bool{}
	for _, n := range append([]string{name}, aliases...) {
		if k := agency.Normalize(n); k != "" && !seen[k] {
			seen[k] = true
			a.Norms = append(a.Norms, k)
		}
	}
	return a
}

// AddAgency registers an agency a coordinator names (a commune, say). It
// refuses a name that matches a registered agency, and gives the new agency
// its assignments for the open collective tasks its kind belongs to.
func (s *Store) AddAgency(ctx context.Context, name string, kind agency.Kind, aliases []string) (domain.Agency, int, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" || agency.Normalize(name) == "" {
		return domain.Agency{}, 0, errors.New("an agency needs a name")
	}
	if !kind.Valid() {
		return domain.Agency{}, 0, fmt.Errorf("kind %q is not one of %v", kind, agency.Kinds())
	}
	ix, err := s.AgencyIndex(ctx)
	if err != nil {
		return domain.Agency{}, 0, err
	}
	for _, n := range append([]string{name}, aliases...) {
		if ex, ok := ix.Match(n); ok {
			return domain.Agency{Key: ex.Key, Name: ex.Name, Kind: ex.Kind}, 0, fmt.Errorf("%q is %s: %w", n, ex.Name, ErrAgencyExists)
		}
	}
	base := agency.Slug(name)
	if len(base) > 40 { // keys travel in button data (64 bytes)
		base = strings.TrimRight(base[:40], "-")
	}
	key := base
	for i := 2; ; i++ {
		if _, ok := ix.Get(key); !ok {
			break
		}
		key = fmt.Sprintf("%s-%d", base, i)
	}
	a := agencyDoc(key, name, kind, aliases, "added")
	a.CreatedAt = s.now().UTC().Truncate(time.Millisecond)
	if err := s.noteCatalog(ctx); err != nil {
		return a, 0, err
	}
	if _, err := s.agencies.InsertOne(ctx, a); err != nil {
		if isDup(err) {
			return a, 0, fmt.Errorf("%q: %w", name, ErrAgencyExists)
		}
		return a, 0, fmt.Errorf("add agency %s: %w", name, err)
	}
	n, err := s.assignCollective(ctx, a)
	return a, n, err
}

// assignCollective gives an agency its assignments in the open plans' tasks
// whose collective group includes its kind and that are not past due.
func (s *Store) assignCollective(ctx context.Context, a domain.Agency) (int, error) {
	return s.eachCollective(ctx, a, func(t domain.Task, role domain.Role) (bool, error) {
		return s.insertAssignment(ctx, t, a.Key, role, true)
	})
}

// CollectiveTasks counts the open collective tasks a new agency of kind
// would join if it were created now (AddAgency gives it those), so that a
// coordinator is told before creating it.
func (s *Store) CollectiveTasks(ctx context.Context, kind agency.Kind) (int, error) {
	return s.eachCollective(ctx, domain.Agency{Kind: kind, Source: "added"}, func(domain.Task, domain.Role) (bool, error) {
		return true, nil
	})
}

// eachCollective calls f for each task of the open plans whose collective
// group gives a its role, not past due for an agency added later; it counts
// the calls that report true.
func (s *Store) eachCollective(ctx context.Context, a domain.Agency, f func(domain.Task, domain.Role) (bool, error)) (int, error) {
	plans, err := s.OpenPlans(ctx)
	if err != nil {
		return 0, err
	}
	today := deadline.DateOf(s.now().In(s.zone()))
	n := 0
	for _, p := range plans {
		tasks, err := s.Tasks(ctx, p.Key)
		if err != nil {
			return n, err
		}
		for _, t := range tasks {
			if due := t.Due(); !due.IsZero() && due.Before(today) && a.Source == "added" {
				continue // an agency added later is not handed tasks already past due
			}
			role, ok := groupRole(t, a)
			if !ok {
				continue
			}
			counted, err := f(t, role)
			if err != nil {
				return n, err
			}
			if counted {
				n++
			}
		}
	}
	return n, nil
}

// groupRole is the role a task's collective groups give an agency.
func groupRole(t domain.Task, a domain.Agency) (domain.Role, bool) {
	switch {
	case t.Lead.Group.Includes(a.Kind):
		return domain.Lead, true
	case t.Coordinating.Group.Includes(a.Kind):
		return domain.Coordinating, true
	}
	return "", false
}

func (s *Store) insertAssignment(ctx context.Context, t domain.Task, agencyKey string, role domain.Role, collective bool) (bool, error) {
	n, err := s.insertAssignments(ctx, []domain.Assignment{newAssignment(t, agencyKey, role, collective)})
	return n == 1, err
}

// insertAssignments inserts new assignments (an existing one is left as it
// is) with their button refs, and returns how many were new.
func (s *Store) insertAssignments(ctx context.Context, list []domain.Assignment) (int, error) {
	if len(list) == 0 {
		return 0, nil
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	docs := make([]any, len(list))
	refs := make([]any, len(list))
	for i := range list {
		list[i].CreatedAt = now
		docs[i] = list[i]
		refs[i] = bson.M{"_id": list[i].Ref, "assignment": list[i].ID}
	}
	ids := make([]string, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	if err := s.noteAssignments(ctx, ids...); err != nil {
		return 0, err
	}
	// Refs first: a ref without its assignment is harmless, the reverse is not.
	if _, err := s.refs.InsertMany(ctx, refs, options.InsertMany().SetOrdered(false)); err != nil && !allDup(err) {
		return 0, fmt.Errorf("save assignment refs: %w", err)
	}
	_, err := s.assignments.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err != nil && !allDup(err) {
		return 0, fmt.Errorf("save assignments: %w", err)
	}
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) {
		return len(list) - len(bwe.WriteErrors), nil
	}
	if err != nil {
		return 0, nil // the one document existed
	}
	return len(list), nil
}

// allDup tells whether every write error of a bulk insert is a duplicate key.
func allDup(err error) bool {
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) {
		for _, we := range bwe.WriteErrors {
			if we.Code != 11000 && we.Code != 11001 {
				return false
			}
		}
		return bwe.WriteConcernError == nil
	}
	return isDup(err)
}

func newAssignment(t domain.Task, agencyKey string, role domain.Role, collective bool) domain.Assignment {
	return domain.Assignment{
		ID: domain.AssignmentID(t.Code, agencyKey), Ref: domain.RefOf(domain.AssignmentID(t.Code, agencyKey)), TaskCode: t.Code, PlanKey: t.PlanKey, AgencyKey: agencyKey,
		Role: role, Collective: collective, State: domain.State{Status: domain.NotStarted},
		Due: t.Due(), Kind: effectiveKind(t), Recurrence: t.Deadline.Recurrence,
	}
}

// AssignmentByRef reads an assignment by the short handle buttons carry.
func (s *Store) AssignmentByRef(ctx context.Context, ref string) (domain.Assignment, error) {
	id, err := s.AssignmentIDByRef(ctx, ref)
	if err != nil {
		return domain.Assignment{}, err
	}
	return s.Assignment(ctx, id)
}

// AssignmentIDByRef resolves a button ref to its assignment's id.
func (s *Store) AssignmentIDByRef(ctx context.Context, ref string) (string, error) {
	var r struct {
		Assignment string `bson:"assignment"`
	}
	if err := s.refs.FindOne(ctx, bson.M{"_id": ref}).Decode(&r); err != nil {
		if isNoDocs(err) {
			return "", fmt.Errorf("assignment ref %s: %w", ref, ErrNotFound)
		}
		return "", err
	}
	return r.Assignment, nil
}

// AgencyAssignments lists an agency's current assignments (not withdrawn).
func (s *Store) AgencyAssignments(ctx context.Context, agencyKey string) ([]domain.Assignment, error) {
	ag, err := s.Agency(ctx, agencyKey)
	if err != nil {
		return nil, fmt.Errorf("agency %s: %w", agencyKey, err)
	}
	tasks, err := s.Tasks(ctx, "")
	if err != nil {
		return nil, err
	}
	return s.AssignmentsOf(ctx, ag, tasks)
}

// AssignmentsOf lists an agency's current assignments among tasks. The
// candidates come from the tasks (a task names the agency or a group of its
// kind), each then read by identity: the embedded backend scans a whole
// collection for any other query. Callers that hold the tasks already pass
// them, so they are not read again.
func (s *Store) AssignmentsOf(ctx context.Context, ag domain.Agency, tasks []domain.Task) ([]domain.Assignment, error) {
	var out []domain.Assignment
	for _, t := range tasks {
		if !slices.Contains(t.Lead.Agencies, ag.Key) && !slices.Contains(t.Coordinating.Agencies, ag.Key) {
			if _, ok := groupRole(t, ag); !ok {
				continue
			}
		}
		a, err := s.Assignment(ctx, domain.AssignmentID(t.Code, ag.Key))
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !a.Withdrawn {
			out = append(out, a)
		}
	}
	return out, nil
}

// TaskAssignments lists the current assignments of a task.
func (s *Store) TaskAssignments(ctx context.Context, code string) ([]domain.Assignment, error) {
	return s.visible(ctx)(all[domain.Assignment](ctx, s.assignments, bson.M{"task": code, "withdrawn": false}, options.Find().SetSort(bson.D{{Key: "role", Value: 1}, {Key: "agency", Value: 1}})))
}

// AllAssignmentsEver lists every assignment, withdrawn ones included.
func (s *Store) AllAssignmentsEver(ctx context.Context) ([]domain.Assignment, error) {
	return s.visible(ctx)(all[domain.Assignment](ctx, s.assignments, bson.M{}))
}

// AllAssignments lists every current assignment (roll-ups, reminders).
func (s *Store) AllAssignments(ctx context.Context) ([]domain.Assignment, error) {
	return s.visible(ctx)(all[domain.Assignment](ctx, s.assignments, bson.M{"withdrawn": false}))
}

// SeedDefault seeds the plans, agencies and targets embedded in the seeds
// package.
func (s *Store) SeedDefault(ctx context.Context) (SeedReport, error) {
	plans, err := seeds.Plans()
	if err != nil {
		return SeedReport{}, fmt.Errorf("read seed plans: %w", err)
	}
	agencies, err := seeds.Agencies()
	if err != nil {
		return SeedReport{}, fmt.Errorf("read seed agencies: %w", err)
	}
	r, err := s.Seed(ctx, plans, agencies)
	if err != nil {
		return r, err
	}
	targets, err := seeds.Targets()
	if err != nil {
		return r, fmt.Errorf("read seed targets: %w", err)
	}
	r.Targets, err = s.SeedTargets(ctx, targets)
	return r, err
}

// Empty tells whether no plan has been loaded yet (the first run seeds).
func (s *Store) Empty(ctx context.Context) (bool, error) {
	n, err := s.plans.CountDocuments(ctx, bson.M{}, options.Count().SetLimit(1))
	return n == 0, err
}
