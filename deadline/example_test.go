package deadline_test

import (
	"fmt"

	"agencybot/deadline"
)

func ExampleParse() {
	for _, text := range []string{
		"Trước \n31/12/2025",
		"Trong tháng \n12/2025",
		"Quý I/2026",
		"2026 - 2030",
		"Hằng năm",
		"Thường \nxuyên",
		"Khi Trung ương ban hành văn bản",
		"",
		"Trước 31/02/2026",
	} {
		d := deadline.Parse(text)
		fmt.Printf("%-12s due=%-10s from=%-10s recurrence=%q\n", d.Kind, d.Due, d.From, d.Recurrence)
	}
	// Output:
	// fixed        due=2025-12-31 from=           recurrence=""
	// fixed        due=2025-12-31 from=           recurrence=""
	// fixed        due=2026-03-31 from=           recurrence=""
	// fixed        due=2030-12-31 from=2026-01-01 recurrence="annual"
	// recurring    due=           from=           recurrence="annual"
	// recurring    due=           from=           recurrence="ongoing"
	// conditional  due=           from=           recurrence=""
	// none         due=           from=           recurrence=""
	// unparsed     due=           from=           recurrence=""
}
