package i18n

// en is the English catalogue, for users whose Telegram language is English.
var en = map[string]string{
	// Statuses, lights, roles.
	"status.not_started": "Not started",
	"status.in_progress": "In progress",
	"status.done":        "Done",
	"status.blocked":     "Blocked",
	"light.green":        "Green",
	"light.yellow":       "Yellow",
	"light.red":          "Red",
	"role.lead":          "lead",
	"role.coordinating":  "coordinating",

	// ---- bot ----

	// ---- reminders ----
}
