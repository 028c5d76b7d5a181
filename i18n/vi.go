package i18n

// vi is the Vietnamese catalogue, the default for everyone.
var vi = map[string]string{
	// Statuses, lights, roles.
	"status.not_started": "Chưa triển khai",
	"status.in_progress": "Đang thực hiện",
	"status.done":        "Hoàn thành",
	"status.blocked":     "Gặp vướng mắc",
	"light.green":        "Xanh",
	"light.yellow":       "Vàng",
	"light.red":          "Đỏ",
	"role.lead":          "chủ trì",
	"role.coordinating":  "phối hợp",

	// ---- bot ----

	// ---- reminders ----
}
