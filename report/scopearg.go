package report

import (
	"strconv"
	"strings"

	"agencybot/agency"
	"agencybot/domain"
)

// ParseScope reads what a leader types after /summary, /chart or /export,
// or the CLI's --scope: empty is everything; a plan by its code, key, year,
// "kh 2025", "kế hoạch 2025" or its number ("45/KH-UBND"); else the agency
// the index finds best (by name, alias or part of it). ok is false when
// nothing matches.
func ParseScope(plans []domain.Plan, ix *agency.Index, arg string) (f Filter, ok bool) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return Filter{}, true
	}
	la := strings.ToLower(strings.Join(strings.Fields(arg), " "))
	// as the bot labels a plan: "Kế hoạch năm 2026", "Plan 2026"
	for _, pre := range []string{"kế hoạch năm ", "ke hoach nam ", "plan "} {
		if rest, ok := strings.CutPrefix(la, pre); ok {
			la = "kế hoạch " + rest
		}
	}
	for _, p := range plans {
		y := strconv.Itoa(p.Year)
		num := strings.ToLower(strings.TrimSpace(p.Number))
		if la == strings.ToLower(p.Code) || la == strings.ToLower(p.Key) || la == y || la == "kh"+strings.ToLower(p.Code) ||
			la == "kh "+y || la == "kh"+y || la == "kế hoạch "+y || la == "ke hoach "+y || (num != "" && !strings.HasPrefix(num, "/") && la == num) {
			return Filter{PlanKey: p.Key}, true
		}
	}
	if ix != nil {
		if hits := ix.Search(arg); len(hits) > 0 {
			return Filter{AgencyKey: hits[0].Key}, true
		}
	}
	return Filter{}, false
}
