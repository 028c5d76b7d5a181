package scheduler

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"agencybot/deadline"
	"agencybot/store"
)

// PreviewLine is one thing a run would send: an item kind for one task and
// agency, and how many people would get it. The last line of a preview may
// be of kind "no_officer", listing in Agencies the agencies nobody would be
// told about (the admins get that list in a notice during real runs).
type PreviewLine struct {
	Kind       string   `json:"kind"`       // pre_deadline, coordination, overdue, periodic, target, escalation, digest, no_officer
	Task       string   `json:"task"`       // task code ("" for the digest itself)
	Agency     string   `json:"agency"`     // agency key ("" for the digest itself)
	Days       int      `json:"days"`       // days before the due date, negative when overdue; 0 for periodic
	Recipients int      `json:"recipients"` // linked officers (or leaders, for the digest) who would receive it
	Agencies   []string `json:"agencies,omitempty"`
}

// Preview computes what the reminder run at instant at would send, as if it
// ran then, and the digest if DIGEST_CRON fires that day; it sends and
// writes nothing. Items planned before (marked in the database) are left
// out, as the run would leave them out. Lines come in plan order.
func (s *Scheduler) Preview(ctx context.Context, at time.Time) ([]PreviewLine, error) {
	p, err := s.buildPlan(ctx, at)
	if err != nil {
		return nil, err
	}
	type key struct{ kind, task, agency string }
	index := map[key]int{}
	var lines []PreviewLine
	line := func(kind, task, agency string, days int) *PreviewLine {
		k := key{kind, task, agency}
		i, ok := index[k]
		if !ok {
			i = len(lines)
			index[k] = i
			lines = append(lines, PreviewLine{Kind: kind, Task: task, Agency: agency, Days: days})
		}
		return &lines[i]
	}
	for _, m := range p.msgs {
		for _, it := range m.items {
			marked, err := s.st.ItemMarked(ctx, it.ID)
			if err != nil {
				return nil, fmt.Errorf("preview: %w", err)
			}
			if !marked {
				line(it.Kind, it.Task, it.Agency, it.Days).Recipients++
			}
		}
	}
	var orphans []store.OutboxItem
	for _, it := range p.orphans {
		marked, err := s.st.ItemMarked(ctx, it.ID)
		if err != nil {
			return nil, fmt.Errorf("preview: %w", err)
		}
		if !marked {
			line(it.Kind, it.Task, it.Agency, it.Days)
			orphans = append(orphans, it)
		}
	}
	slices.SortStableFunc(lines, func(a, b PreviewLine) int {
		return cmp.Or(cmpOrder(p.order[a.Task], p.order[b.Task]), cmp.Compare(a.Agency, b.Agency),
			cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)))
	})

	if s.digestFires(p.day) {
		readers := len(digestReaders(p, at.In(s.loc)))
		in, err := s.digestInput(ctx, at.In(s.loc))
		if err != nil {
			return nil, fmt.Errorf("preview: %w", err)
		}
		d, _ := s.computeDigest(p, in)
		lines = append(lines, PreviewLine{Kind: KindDigest, Recipients: readers})
		for _, t := range d.escalated {
			for _, a := range t.agencies {
				lines = append(lines, PreviewLine{Kind: KindDigest, Task: t.code, Agency: a, Days: -t.days, Recipients: readers})
			}
		}
	}
	if none := agencyKeys(orphans); len(none) > 0 {
		lines = append(lines, PreviewLine{Kind: KindNoOfficer, Agencies: none})
	}
	return lines, nil
}

// digestFires tells whether DIGEST_CRON has a slot on day.
func (s *Scheduler) digestFires(day deadline.Date) bool {
	t := s.digestSched.Next(day.In(s.loc).Add(-time.Second))
	return !t.IsZero() && deadline.DateOf(t.In(s.loc)) == day
}

// WritePreview writes the lines as JSON, one object per line.
func WritePreview(w io.Writer, lines []PreviewLine) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			return fmt.Errorf("write preview: %w", err)
		}
	}
	return nil
}
