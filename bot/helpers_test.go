package bot

import (
	"encoding/json"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
)

// replayable rebuilds, as tgbotapi updates, every update the users sent so far.
func replayable(t *testing.T, h *harness) []tgbotapi.Update {
	t.Helper()
	var out []tgbotapi.Update
	for _, raw := range h.srv.AllUpdates() {
		var u tgbotapi.Update
		if err := json.Unmarshal(raw, &u); err != nil {
			t.Fatal(err)
		}
		out = append(out, u)
	}
	if len(out) == 0 {
		t.Fatal("no updates to replay")
	}
	return out
}

func storeChange(kind domain.UpdateKind, p *int, source string) domain.Change {
	return domain.Change{SourceID: source, OfficerID: officer.ID, Kind: kind, Progress: p}
}
