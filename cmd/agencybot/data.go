package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"sort"
	"strings"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/store"
)

func runSeed(ctx context.Context, args []string, w world) error {
	stdout, stderr := w.stdout, w.stderr
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	return withStore(ctx, w, false, func(s *store.Store) error {
		r, err := s.SeedDefault(ctx)
		if err != nil {
			return err
		}
		if _, err := s.Repair(ctx); err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	})
}

// resolved names the agencies holding a role in a task: those the cell names
// explicitly, in the cell's order, then the collective group's members by name.
func resolved(c domain.Cell, as []domain.Assignment, role domain.Role, names map[string]string) []string {
	out := []string{}
	seen := map[string]bool{}
	has := map[string]bool{}
	for _, a := range as {
		if a.Role == role {
			has[a.AgencyKey] = true
		}
	}
	for _, k := range c.Agencies {
		if has[k] && !seen[k] {
			seen[k] = true
			out = append(out, names[k])
		}
	}
	var group []string
	for _, a := range as {
		if a.Role == role && !seen[a.AgencyKey] {
			seen[a.AgencyKey] = true
			group = append(group, names[a.AgencyKey])
		}
	}
	sort.Slice(group, func(i, j int) bool { return strings.ToLower(group[i]) < strings.ToLower(group[j]) })
	return append(out, group...)
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runAgency(ctx context.Context, args []string, w world) error {
	stdout, stderr := w.stdout, w.stderr
	if len(args) == 0 || args[0] != "add" {
		return usageError{"usage: agencybot agency add --name <name> --kind <" + kindList() + "> [--alias <alias>]..."}
	}
	fs := flag.NewFlagSet("agency add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "the agency's full name, e.g. \"Xã Mỹ An\"")
	kind := fs.String("kind", "", "one of "+kindList())
	var aliases multiFlag
	fs.Var(&aliases, "alias", "another spelling (repeatable)")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	if strings.TrimSpace(*name) == "" || !agency.Kind(*kind).Valid() {
		return usageError{"agency add needs --name and --kind (one of " + kindList() + ")"}
	}
	return withStore(ctx, w, true, func(s *store.Store) error {
		a, n, err := s.AddAgency(ctx, *name, agency.Kind(*kind), aliases)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "added %s (%s, key %s): %d assignments in open collective tasks\n", a.Name, a.Kind, a.Key, n)
		return err
	})
}

func kindList() string {
	var ks []string
	for _, k := range agency.Kinds() {
		ks = append(ks, string(k))
	}
	return strings.Join(ks, ", ")
}
