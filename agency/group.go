package agency

import (
	"slices"
	"sort"
	"strings"
)

// Group is a collective assignee named by a phrase instead of by agency
// names: a task assigned to a group is reported by each member on its own.
type Group string

// The collective groups the plans use.
const (
	NoGroup               Group = ""
	Departments           Group = "departments"            // "Các sở, ban, ngành", "Sở, ban, ngành", "các sở, ngành": kinds Department, Office, Police
	DepartmentsLocalities Group = "departments_localities" // "Các sở, ban, ngành, địa phương" and narrowed variants: Department, Office, Police, Commune
	Localities            Group = "localities"             // "các địa phương", "UBND các xã, phường": Commune
	Universities          Group = "universities"           // "các trường đại học", "các viện, trường": University
)

// A cell may name groups of different kinds ("Các viện, trường; sở, ban,
// ngành"): their union is written as the groups joined by "+", in the order
// below ("departments+universities"); departments and localities together
// are DepartmentsLocalities, as the plans say it.
const groupSep = "+"

// groupOrder is the order of the parts of a union.
var groupOrder = []Group{Departments, DepartmentsLocalities, Localities, Universities}

// parts returns the single groups a group is made of.
func (g Group) parts() []Group {
	if g == NoGroup {
		return nil
	}
	out := []Group{}
	for _, p := range strings.Split(string(g), groupSep) {
		out = append(out, Group(p))
	}
	return out
}

// Valid reports whether g is NoGroup, one of the groups above or a union of
// them as union writes it.
func (g Group) Valid() bool {
	if g == NoGroup {
		return true
	}
	canonical := NoGroup
	for _, p := range g.parts() {
		if !slices.Contains(groupOrder, p) {
			return false
		}
		canonical = canonical.union(p)
	}
	return canonical == g
}

// Includes reports whether agencies of kind k belong to the group.
func (g Group) Includes(k Kind) bool {
	for _, p := range g.parts() {
		switch p {
		case Departments:
			if k == Department || k == Office || k == Police {
				return true
			}
		case DepartmentsLocalities:
			if k == Department || k == Office || k == Police || k == Commune {
				return true
			}
		case Localities:
			if k == Commune {
				return true
			}
		case Universities:
			if k == University {
				return true
			}
		}
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
	var dep, loc, uni bool
	for _, p := range append(g.parts(), h.parts()...) {
		switch p {
		case Departments:
			dep = true
		case Localities:
			loc = true
		case DepartmentsLocalities:
			dep, loc = true, true
		case Universities:
			uni = true
		}
	}
	var out []string
	switch {
	case dep && loc:
		out = append(out, string(DepartmentsLocalities))
	case dep:
		out = append(out, string(Departments))
	case loc:
		out = append(out, string(Localities))
	}
	if uni {
		out = append(out, string(Universities))
	}
	return Group(strings.Join(out, groupSep))
}
