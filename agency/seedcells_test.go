package agency_test

import (
	"slices"
	"testing"

	"agencybot/agency"
	"agencybot/seeds"
)

func TestParseAssigneesReadsEverySeedCell(t *testing.T) {
	plans, _ := seeds.Plans()
	ags, _ := seeds.Agencies()
	var list []agency.Agency
	for _, a := range ags {
		list = append(list, agency.Agency{Key: a.Key, Name: a.Name, Kind: agency.Kind(a.Kind), Aliases: a.Aliases})
	}
	ix, err := agency.NewIndex(list)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		for _, tk := range p.Tasks {
			for _, c := range []seeds.Cell{tk.Lead, tk.Coordinating} {
				a := agency.ParseAssignees(c.Text, ix)
				var keys []string
				for _, n := range a.Names {
					g, _ := ix.Match(n)
					keys = append(keys, g.Key)
				}
				if !slices.Equal(keys, c.Agencies) && !(len(keys) == 0 && len(c.Agencies) == 0) || string(a.Group) != c.Group || !slices.Equal(a.Rest, c.Rest) && !(len(a.Rest)+len(c.Rest) == 0) {
					t.Errorf("%s %q: got %v %q %q; seed %v %q %q", tk.Number, c.Text, keys, a.Group, a.Rest, c.Agencies, c.Group, c.Rest)
				}
			}
		}
	}
}
