package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/agency"
	"agencybot/domain"
)

// checkFree refuses a name or alias that an agency other than key answers to.
func (s *Store) checkFree(ctx context.Context, key string, names ...string) error {
	ix, err := s.AgencyIndex(ctx)
	if err != nil {
		return err
	}
	for _, n := range names {
		if agency.Normalize(n) == "" {
			return fmt.Errorf("%q is not a usable name", n)
		}
		if ex, ok := ix.Match(n); ok && ex.Key != key {
			return fmt.Errorf("%q is %s: %w", n, ex.Name, ErrAgencyExists)
		}
	}
	return nil
}

// AddAlias remembers another spelling of an agency, so that a plan naming it
// so matches it from now on (a coordinator mapping an unrecognised name in an
// import's preview to an agency). An alias it has already is no change.
func (s *Store) AddAlias(ctx context.Context, key, alias string) (domain.Agency, error) {
	alias = strings.Join(strings.Fields(alias), " ")
	a, err := s.Agency(ctx, key)
	if err != nil {
		return a, fmt.Errorf("agency %s: %w", key, err)
	}
	if err := s.checkFree(ctx, key, alias); err != nil {
		return a, err
	}
	if slices.Contains(a.Norms, agency.Normalize(alias)) {
		return a, nil
	}
	return s.saveNames(ctx, a, a.Name, append(a.Aliases, alias))
}

// RenameAgency gives an agency a new official name; the old one stays as an
// alias, so documents that use it still match.
func (s *Store) RenameAgency(ctx context.Context, key, name string) (domain.Agency, error) {
	name = strings.Join(strings.Fields(name), " ")
	a, err := s.Agency(ctx, key)
	if err != nil {
		return a, fmt.Errorf("agency %s: %w", key, err)
	}
	if err := s.checkFree(ctx, key, name); err != nil {
		return a, err
	}
	aliases := slices.DeleteFunc(slices.Clone(a.Aliases), func(x string) bool { return agency.Normalize(x) == agency.Normalize(name) })
	if agency.Normalize(a.Name) != agency.Normalize(name) {
		aliases = append(aliases, a.Name)
	}
	return s.saveNames(ctx, a, name, aliases)
}

func (s *Store) saveNames(ctx context.Context, a domain.Agency, name string, aliases []string) (domain.Agency, error) {
	d := agencyDoc(a.Key, name, a.Kind, aliases, a.Source)
	if err := s.noteCatalog(ctx); err != nil {
		return a, err
	}
	if _, err := s.agencies.UpdateOne(ctx, bson.M{"_id": a.Key}, bson.M{"$set": bson.M{
		"name": d.Name, "aliases": d.Aliases, "norm": d.Norm, "norms": d.Norms,
	}}); err != nil {
		if isDup(err) {
			return a, fmt.Errorf("%q: %w", name, ErrAgencyExists)
		}
		return a, fmt.Errorf("rename agency %s: %w", a.Key, err)
	}
	a.Name, a.Aliases, a.Norm, a.Norms = d.Name, d.Aliases, d.Norm, d.Norms
	return a, nil
}

// DeactivateAgency retires an agency (merged, dissolved): it is no longer
// matched, listed or assigned, its open assignments (not done) are withdrawn
// and its history is kept. It returns how many assignments it withdrew.
func (s *Store) DeactivateAgency(ctx context.Context, key string) (int, error) {
	a, err := s.Agency(ctx, key)
	if err != nil {
		return 0, fmt.Errorf("agency %s: %w", key, err)
	}
	if err := s.noteCatalog(ctx); err != nil {
		return 0, err
	}
	if _, err := s.agencies.UpdateOne(ctx, bson.M{"_id": a.Key}, bson.M{"$set": bson.M{"inactive": true}}); err != nil {
		return 0, fmt.Errorf("deactivate %s: %w", key, err)
	}
	list, err := all[domain.Assignment](ctx, s.assignments, bson.M{"agency": a.Key, "withdrawn": false})
	if err != nil {
		return 0, err
	}
	var ids []string
	for _, as := range list {
		if as.Status != domain.Done {
			ids = append(ids, as.ID)
		}
	}
	if err := s.noteAssignments(ctx, ids...); err != nil {
		return 0, err
	}
	n := 0
	for _, as := range list {
		if as.Status == domain.Done {
			continue
		}
		if _, err := s.assignments.UpdateOne(ctx, bson.M{"_id": as.ID}, bson.M{"$set": bson.M{"withdrawn": true}}); err != nil {
			return n, fmt.Errorf("withdraw %s: %w", as.ID, err)
		}
		n++
	}
	return n, nil
}
