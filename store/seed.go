package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/planimport"
	"agencybot/seeds"
)

// Counts says what a seeding did to one kind of record.
type Counts struct {
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Withdrawn int `json:"withdrawn,omitempty"`
}

// Changed tells whether anything was written.
func (c Counts) Changed() bool { return c.Inserted+c.Updated+c.Withdrawn > 0 }

// SeedReport says what Seed did.
type SeedReport struct {
	Agencies    Counts `json:"agencies"`
	Plans       Counts `json:"plans"`
	Tasks       Counts `json:"tasks"`
	Assignments Counts `json:"assignments"`
	Targets     Counts `json:"targets"`
}

// Changed tells whether the seeding wrote anything.
func (r SeedReport) Changed() bool {
	return r.Agencies.Changed() || r.Plans.Changed() || r.Tasks.Changed() || r.Assignments.Changed() || r.Targets.Changed()
}

func hashOf(v any) string {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:12])
}

// Seed loads the plans and the agency registry from the seed files. It is
// idempotent: a second run writes nothing. A task edited in the file is
// updated in place, keeping its assignments' state and history (and a due
// date a coordinator set); an agency no longer named keeps its history, its
// assignment marked withdrawn.
func (s *Store) Seed(ctx context.Context, plans []seeds.Plan, agencies []seeds.Agency) (SeedReport, error) {
	var r SeedReport
	now := s.now().UTC().Truncate(time.Millisecond)

	for _, sa := range agencies {
		a := agencyDoc(sa.Key, sa.Name, agency.Kind(sa.Kind), sa.Aliases, sa.Source)
		a.SeedHash = hashOf(sa)
		a.CreatedAt = now
		if err := s.upsertSeeded(ctx, s.agencies, a.Key, a.SeedHash, a, bson.M{
			"name": a.Name, "kind": a.Kind, "aliases": a.Aliases, "norm": a.Norm, "norms": a.Norms,
			"source": a.Source, "seed_hash": a.SeedHash,
		}, &r.Agencies); err != nil {
			return r, fmt.Errorf("seed agency %s: %w", sa.Key, err)
		}
	}
	all, err := s.Agencies(ctx)
	if err != nil {
		return r, err
	}
	ix, err := agency.NewIndex(toIndexAgencies(all))
	if err != nil {
		return r, fmt.Errorf("index agencies: %w", err)
	}
	existing, err := s.AllAssignmentsEver(ctx)
	if err != nil {
		return r, err
	}
	byTask := map[string][]domain.Assignment{}
	for _, a := range existing {
		byTask[a.TaskCode] = append(byTask[a.TaskCode], a)
	}

	for i, sp := range plans {
		p := domain.Plan{
			Key: sp.Key, Code: sp.Code, Number: sp.Number, Date: sp.Date, Year: sp.Year, Title: sp.Title,
			AppendixTitle: sp.AppendixTitle, Reporting: sp.Reporting, Open: true, Seq: i, UpdatedAt: now,
		}
		head := sp
		head.Tasks = nil
		p.SeedHash = hashOf(struct {
			P   seeds.Plan
			Seq int
		}{head, i})
		if err := s.upsertSeeded(ctx, s.plans, p.Key, p.SeedHash, p, bson.M{
			"code": p.Code, "number": p.Number, "date": p.Date, "year": p.Year, "title": p.Title,
			"appendix_title": p.AppendixTitle, "reporting": p.Reporting, "seq": p.Seq, "seed_hash": p.SeedHash, "updated_at": now,
		}, &r.Plans); err != nil {
			return r, fmt.Errorf("seed plan %s: %w", sp.Key, err)
		}

		for j, st := range sp.Tasks {
			t := domain.Task{
				Code: st.Code(sp), PlanKey: sp.Key, Section: st.Section, SectionTitle: st.SectionTitle,
				Number: st.Number, Title: st.Title, Lead: planimport.Cell(st.Lead.Text, ix), Coordinating: planimport.Cell(st.Coordinating.Text, ix),
				Deadline: deadline.Parse(st.Deadline), Output: st.Output, Note: st.Note, Seq: j, UpdatedAt: now,
			}
			t.SeedHash = hashOf(struct {
				T    seeds.Task
				Plan string
				Seq  int
				D    deadline.Deadline
			}{st, sp.Key, j, t.Deadline})
			if err := s.upsertSeeded(ctx, s.tasks, t.Code, t.SeedHash, t, bson.M{
				"plan": t.PlanKey, "section": t.Section, "section_title": t.SectionTitle, "number": t.Number,
				"title": t.Title, "lead": t.Lead, "coordinating": t.Coordinating, "deadline": t.Deadline,
				"output": t.Output, "note": t.Note, "seq": t.Seq, "seed_hash": t.SeedHash, "updated_at": now,
			}, &r.Tasks); err != nil {
				return r, fmt.Errorf("seed task %s: %w", t.Code, err)
			}
			stored, err := s.Task(ctx, t.Code) // keeps a due date set by hand
			if err != nil {
				return r, err
			}
			if err := s.syncAssignments(ctx, stored, all, byTask[t.Code], &r.Assignments); err != nil {
				return r, fmt.Errorf("assignments of %s: %w", t.Code, err)
			}
		}
	}
	return r, nil
}

// upsertSeeded inserts doc, or sets fields when the stored seed hash differs.
func (s *Store) upsertSeeded(ctx context.Context, c *mongo.Collection, id any, hash string, doc any, set bson.M, n *Counts) error {
	var cur struct {
		Hash string `bson:"seed_hash"`
	}
	err := c.FindOne(ctx, bson.M{"_id": id}).Decode(&cur)
	switch {
	case isNoDocs(err):
		if err := s.noteCatalog(ctx); err != nil {
			return err
		}
		if _, err := c.InsertOne(ctx, doc); err != nil {
			return err
		}
		n.Inserted++
	case err != nil:
		return err
	case cur.Hash == hash:
		n.Unchanged++
	default:
		if err := s.noteCatalog(ctx); err != nil {
			return err
		}
		if _, err := c.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": set}); err != nil {
			return err
		}
		n.Updated++
	}
	return nil
}

// syncAssignments makes a task's assignments match its cells: explicit
// agencies with their role (an explicit role wins over a group's, lead over
// coordinating), then the members of its collective groups. Existing
// assignments keep their state; ones no longer wanted are withdrawn.
func (s *Store) syncAssignments(ctx context.Context, t domain.Task, agencies []domain.Agency, existing []domain.Assignment, n *Counts) error {
	type want struct {
		role       domain.Role
		collective bool
	}
	have := map[string]domain.Assignment{}
	for _, a := range existing {
		have[a.AgencyKey] = a
	}
	today := deadline.DateOf(s.now().In(s.zone()))
	pastDue := !t.Due().IsZero() && t.Due().Before(today)
	wanted := map[string]want{}
	for _, k := range t.Coordinating.Agencies {
		wanted[k] = want{domain.Coordinating, false}
	}
	for _, k := range t.Lead.Agencies {
		wanted[k] = want{domain.Lead, false}
	}
	for _, a := range agencies {
		if _, explicit := wanted[a.Key]; explicit {
			continue
		}
		if _, assigned := have[a.Key]; a.Source == "added" && pastDue && !assigned {
			continue // an agency added later is not handed tasks already past due
		}
		if role, ok := groupRole(t, a); ok {
			wanted[a.Key] = want{role, true}
		}
	}
	var fresh []domain.Assignment
	for key, w := range wanted {
		a, ok := have[key]
		if !ok {
			fresh = append(fresh, newAssignment(t, key, w.role, w.collective))
			continue
		}
		want := newAssignment(t, key, w.role, w.collective)
		due, dueField := a.Due, "due"
		if a.Extended() { // an extended part keeps its date; the plan's moves (extensions.go)
			due, dueField = a.DueOriginal, "due_original"
		}
		if a.Role == want.Role && a.Collective == want.Collective && due == want.Due && a.Kind == want.Kind &&
			a.Recurrence == want.Recurrence && !a.Withdrawn {
			n.Unchanged++
			continue
		}
		if err := s.noteAssignments(ctx, a.ID); err != nil {
			return err
		}
		if _, err := s.assignments.UpdateOne(ctx, bson.M{"_id": a.ID}, bson.M{"$set": bson.M{
			"role": want.Role, "collective": want.Collective, dueField: want.Due, "kind": want.Kind,
			"recurrence": want.Recurrence, "withdrawn": false,
		}}); err != nil {
			return err
		}
		n.Updated++
	}
	sort.Slice(fresh, func(i, j int) bool { return fresh[i].ID < fresh[j].ID })
	added, err := s.insertAssignments(ctx, fresh)
	if err != nil {
		return err
	}
	n.Inserted += added
	for key, a := range have {
		if _, ok := wanted[key]; ok || a.Withdrawn {
			continue
		}
		if err := s.noteAssignments(ctx, a.ID); err != nil {
			return err
		}
		if _, err := s.assignments.UpdateOne(ctx, bson.M{"_id": a.ID}, bson.M{"$set": bson.M{"withdrawn": true}}); err != nil {
			return err
		}
		n.Withdrawn++
	}
	return nil
}
