package agency

import "sort"

// Group is a collective assignee named by a phrase instead of by agency
// names: a task assigned to a group is reported by each member on its own.
type Group string

// The collective groups the plans use.
const (
	NoGroup               Group = ""
	Departments           Group = "departments"            // "Các sở, ban, ngành", "Sở, ban, ngành", "các sở, ngành": kinds Department, Office, Police
	DepartmentsLocalities Group = "departments_localities" // "Các sở, ban, ngành, địa phương" and narrowed variants: Department, Office, Police, Commune
	Localities            Group = "localities"             // "các địa phương", "UBND các xã, phường": Commune
)

// Valid reports whether g is NoGroup or one of the groups above.
func (g Group) Valid() bool {
	switch g {
	case NoGroup, Departments, DepartmentsLocalities, Localities:
		return true
	}
	return false
}

// Includes reports whether agencies of kind k belong to the group.
func (g Group) Includes(k Kind) bool {
	switch g {
	case Departments:
		return k == Department || k == Office || k == Police
	case DepartmentsLocalities:
		return k == Department || k == Office || k == Police || k == Commune
	case Localities:
		return k == Commune
	}
	return false
}

// Members returns the agencies of list that belong to the group, sorted by
// key. The result shares no memory with list.
func (g Group) Members(list []Agency) []Agency {
	var out []Agency
	for _, a := range list {
		if g.Includes(a.Kind) {
			out = append(out, a.clone())
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// union returns the smallest group that covers both g and h.
func (g Group) union(h Group) Group {
	switch {
	case g == h || h == NoGroup:
		return g
	case g == NoGroup:
		return h
	}
	// Two different groups: any pair of them covers departments and
	// localities.
	return DepartmentsLocalities
}
