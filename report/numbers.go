package report

import "agencybot/domain"

// The roll-up judges every assignment once and then counts it several times
// (its task, its agency), so what it keeps per assignment is small
// integers: agency keys and task codes are resolved to numbers once in
// newScope, statuses, lights and groups are numbered, and figures are
// counted in arrays. Hashing strings per assignment was half the time of a
// roll-up at 100,000 assignments, and made it grow faster than the data.

// statusNo is a domain.Status by its place in statuses; noStatus for
// anything else (a malformed record, counted under its own name).
type statusNo int8

const (
	stNotStarted statusNo = iota
	stInProgress
	stDone
	stBlocked
	noStatus statusNo = -1
)

var statuses = [...]domain.Status{domain.NotStarted, domain.InProgress, domain.Done, domain.Blocked}

func statusNoOf(s domain.Status) statusNo {
	switch s {
	case domain.NotStarted:
		return stNotStarted
	case domain.InProgress:
		return stInProgress
	case domain.Done:
		return stDone
	case domain.Blocked:
		return stBlocked
	}
	return noStatus
}

// lightNo is a domain.Light by its rank (domain.Light.Rank): green, yellow,
// red, so the worse of two is the larger.
type lightNo uint8

const (
	green lightNo = iota
	yellow
	red
)

var lights = [...]domain.Light{domain.Green, domain.Yellow, domain.Red}

func lightNoOf(l domain.Light) lightNo { return lightNo(l.Rank()) }

func (l lightNo) light() domain.Light { return lights[l] }

// groupNo is a Group by its place in Groups.
type groupNo uint8

const (
	doneOnTime groupNo = iota
	doneLate
	onTrack
	late
)

var groups = [...]Group{DoneOnTime, DoneLate, OnTrack, Late}

func (g groupNo) group() Group { return groups[g] }

// tally counts what Counts counts, in arrays.
type tally struct {
	n, unreported, waiting, extended, progressSum int
	status                                        [len(statuses)]int
	light                                         [len(lights)]int
	group                                         [len(groups)]int
	other                                         map[domain.Status]int // statuses outside statuses
}

// add counts one item; raw is the status as written, read when st is
// noStatus.
func (c *tally) add(st statusNo, raw domain.Status, l lightNo, g groupNo, progress int, unreported, waiting, extended bool) {
	c.n++
	if st == noStatus {
		if c.other == nil {
			c.other = map[domain.Status]int{}
		}
		c.other[raw]++
	} else {
		c.status[st]++
	}
	c.light[l]++
	c.group[g]++
	if unreported {
		c.unreported++
	}
	if extended {
		c.extended++
	}
	if waiting {
		c.waiting++
	}
	c.progressSum += progress
}

// counts is the tally as Counts: every status, light and group has an
// entry, zero included.
func (c *tally) counts() Counts {
	out := newCounts()
	out.Tasks, out.Unreported, out.Waiting, out.Extended, out.progressSum = c.n, c.unreported, c.waiting, c.extended, c.progressSum
	if c.n > 0 {
		out.Progress = (c.progressSum + c.n/2) / c.n
	}
	for i, n := range c.status {
		out.ByStatus[statuses[i]] += n
	}
	for s, n := range c.other {
		out.ByStatus[s] += n
	}
	for i, n := range c.light {
		out.ByLight[lights[i]] += n
	}
	for i, n := range c.group {
		out.ByGroup[groups[i]] += n
	}
	return out
}

// memo remembers the last key looked up in a map. The input comes grouped
// by task (the store reads assignments in _id order, "<task>/<agency>") or
// by agency (generated provinces), so most lookups of one of the two repeat
// the previous one and cost a string comparison instead of a hash.
type memo struct {
	key string
	n   int32
	ok  bool
	set bool
}

func (m *memo) get(index map[string]int32, key string) (int32, bool) {
	if !m.set || key != m.key {
		m.n, m.ok = index[key]
		m.key, m.set = key, true
	}
	return m.n, m.ok
}
