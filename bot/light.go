package bot

import (
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
)

// whyYellow says on a card why an assignment is yellow: due soon (with the
// days left), or far from its deadline but not reported this period (since
// when). Empty for any other light.
func (b *Bot) whyYellow(w who, a domain.Assignment, light domain.Light) string {
	if light != domain.Yellow {
		return ""
	}
	p, today := b.policy(), b.today()
	if !a.Due.IsZero() && !a.Due.Before(today) && deadline.DaysBetween(today, a.Due) <= p.SoonDays {
		return w.t("card.yellow_soon", deadline.DaysBetween(today, a.Due))
	}
	return w.t("card.yellow_unreported", i18n.Date(p.PeriodStart(today)))
}
