package agency

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// entry is one agency of an Index with its precomputed keys.
type entry struct {
	ag   Agency
	norm string     // Normalize(ag.Name)
	keys []string   // normalized name and aliases, name first, no duplicates
	word [][]string // the words of each key
}

// Index is an in-memory, read-only lookup over a list of agencies. It is
// built once by NewIndex and is safe for concurrent use; its methods return
// copies, never its own memory. A nil *Index knows no agency.
type Index struct {
	entries  []entry        // sorted by key
	byNorm   map[string]int // normalized name or alias -> entries index
	byKey    map[string]int // Agency.Key -> entries index
	maxWords int            // most words in any normalized key
}

// NewIndex builds an index over list. It fails, naming both records, when
// two agencies share a key, a normalized name or a normalized alias (one
// record per real agency), and when a key or name is empty. Aliases that
// normalize to nothing are ignored.
func NewIndex(list []Agency) (*Index, error) {
	ix := &Index{byNorm: make(map[string]int), byKey: make(map[string]int)}
	var errs []error
	sorted := make([]Agency, 0, len(list))
	for _, a := range list {
		sorted = append(sorted, a.clone())
	}
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Key < sorted[j].Key })
	for _, a := range sorted {
		if strings.TrimSpace(a.Key) == "" {
			errs = append(errs, fmt.Errorf("agency %q has no key", a.Name))
			continue
		}
		n := Normalize(a.Name)
		if n == "" {
			errs = append(errs, fmt.Errorf("agency %q has no usable name (%q)", a.Key, a.Name))
			continue
		}
		if j, dup := ix.byKey[a.Key]; dup {
			errs = append(errs, fmt.Errorf("agencies %q and %q share the key %q",
				ix.entries[j].ag.Name, a.Name, a.Key))
			continue
		}
		e := entry{ag: a, norm: n}
		idx := len(ix.entries)
		for i, s := range append([]string{a.Name}, a.Aliases...) {
			k := n
			if i > 0 {
				k = Normalize(s)
			}
			if k == "" {
				continue
			}
			if j, dup := ix.byNorm[k]; dup {
				if j != idx {
					o := ix.entries[j].ag
					errs = append(errs, fmt.Errorf("agencies %q (key %s) and %q (key %s) both answer to %q (normalized %q): keep one record per agency",
						o.Name, o.Key, a.Name, a.Key, s, k))
				}
				continue
			}
			ix.byNorm[k] = idx
			e.keys = append(e.keys, k)
			w := strings.Fields(k)
			e.word = append(e.word, w)
			ix.maxWords = max(ix.maxWords, len(w))
		}
		ix.byKey[a.Key] = idx
		ix.entries = append(ix.entries, e)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return ix, nil
}

// Len returns the number of agencies in the index.
func (ix *Index) Len() int {
	if ix == nil {
		return 0
	}
	return len(ix.entries)
}

// All returns every agency of the index, sorted by key.
func (ix *Index) All() []Agency {
	if ix == nil {
		return nil
	}
	out := make([]Agency, len(ix.entries))
	for i, e := range ix.entries {
		out[i] = e.ag.clone()
	}
	return out
}

// Get returns the agency with the given key.
func (ix *Index) Get(key string) (Agency, bool) {
	if ix == nil {
		return Agency{}, false
	}
	i, ok := ix.byKey[key]
	if !ok {
		return Agency{}, false
	}
	return ix.entries[i].ag.clone(), true
}

// Match returns the agency whose name or one of whose aliases has the same
// normalized form as name.
func (ix *Index) Match(name string) (Agency, bool) {
	if ix == nil {
		return Agency{}, false
	}
	i, ok := ix.matchNorm(Normalize(name))
	if !ok {
		return Agency{}, false
	}
	return ix.entries[i].ag.clone(), true
}

// matchNorm looks up an already normalized name.
func (ix *Index) matchNorm(n string) (int, bool) {
	if ix == nil || n == "" {
		return 0, false
	}
	i, ok := ix.byNorm[n]
	return i, ok
}

// Match tiers used by Search, best first.
const (
	tierExact  = iota // the query is the name or an alias
	tierPhrase        // the query's words appear together, in order, as whole words
	tierWords         // every query word is a whole word of the name
	tierPrefix        // every query word starts a word of the name
	tierSubstr        // every query word occurs somewhere in the name
	tierNone
)

// score rates how well the query words qw (normalized q) match one key.
func score(q string, qw []string, k string, kw []string) int {
	switch {
	case k == q:
		return tierExact
	case strings.Contains(" "+k+" ", " "+q+" "):
		return tierPhrase
	}
	tier := tierWords
	for _, w := range qw {
		best := tierNone
		for _, x := range kw {
			switch {
			case x == w:
				best = min(best, tierWords)
			case strings.HasPrefix(x, w):
				best = min(best, tierPrefix)
			case strings.Contains(x, w):
				best = min(best, tierSubstr)
			}
		}
		tier = max(tier, best)
		if tier == tierNone {
			return tierNone
		}
	}
	return tier
}

// Search finds agencies for a typed query such as "/invite khoa hoc": first
// the exact matches (as Match), then the agencies whose normalized name or
// alias contains every word of the normalized query, so the query may be
// typed with or without diacritics, abbreviated ("KH&CN", "so khcn") or cut
// short ("tien gi"). Results are ordered by how well they match (exact, whole
// phrase, whole words, word prefixes, parts of words), then by fewer words,
// then by name. An empty query finds nothing.
func (ix *Index) Search(query string) []Agency {
	if ix == nil {
		return nil
	}
	q := Normalize(query)
	if q == "" {
		return nil
	}
	qw := strings.Fields(q)
	type hit struct {
		i, tier, words int
	}
	var hits []hit
	for i, e := range ix.entries {
		best := hit{i: i, tier: tierNone}
		for j, k := range e.keys {
			t := score(q, qw, k, e.word[j])
			if t < best.tier || (t == best.tier && len(e.word[j]) < best.words) {
				best.tier, best.words = t, len(e.word[j])
			}
		}
		if best.tier < tierNone {
			hits = append(hits, best)
		}
	}
	sort.Slice(hits, func(a, b int) bool {
		x, y := hits[a], hits[b]
		if x.tier != y.tier {
			return x.tier < y.tier
		}
		if x.words != y.words {
			return x.words < y.words
		}
		ex, ey := ix.entries[x.i], ix.entries[y.i]
		if ex.norm != ey.norm {
			return ex.norm < ey.norm
		}
		if ex.ag.Name != ey.ag.Name {
			return ex.ag.Name < ey.ag.Name
		}
		return ex.ag.Key < ey.ag.Key
	})
	out := make([]Agency, len(hits))
	for i, h := range hits {
		out[i] = ix.entries[h.i].ag.clone()
	}
	return out
}

// Resolve returns the agencies an understood cell assigns: its explicit names
// that the index knows, in order, then the members of its group, sorted by
// key; each agency once.
func (ix *Index) Resolve(a Assignees) []Agency {
	if ix == nil {
		return nil
	}
	var out []Agency
	seen := make(map[string]bool)
	for _, n := range a.Names {
		if ag, ok := ix.Match(n); ok && !seen[ag.Key] {
			seen[ag.Key] = true
			out = append(out, ag)
		}
	}
	for _, ag := range a.Group.Members(ix.All()) {
		if !seen[ag.Key] {
			seen[ag.Key] = true
			out = append(out, ag)
		}
	}
	return out
}

// Keys returns the keys of the explicit names of an understood cell that the
// index knows, in order, each once; never nil.
func (ix *Index) Keys(a Assignees) []string {
	out := []string{}
	seen := make(map[string]bool)
	for _, n := range a.Names {
		if ag, ok := ix.Match(n); ok && !seen[ag.Key] {
			seen[ag.Key] = true
			out = append(out, ag.Key)
		}
	}
	return out
}
