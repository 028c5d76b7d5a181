package bot

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/planimport"
	"agencybot/store"
)

// PlanAdmin is what coordinators run from the chat: plans imported from a
// file, agencies created or given an alias, the import in progress of each
// admin (kept in the database so that a restart loses nothing), and the
// completions waiting for review with their proof.
type PlanAdmin interface {
	ImportPlan(ctx context.Context, meta planimport.Meta, t planimport.Table, update bool) (store.ImportResult, error)
	AddAgency(ctx context.Context, name string, kind agency.Kind, aliases []string) (domain.Agency, int, error)
	// CollectiveTasks counts the open collective tasks AddAgency would give
	// a new agency of kind.
	CollectiveTasks(ctx context.Context, kind agency.Kind) (int, error)
	AddAlias(ctx context.Context, key, alias string) (domain.Agency, error)
	RenameAgency(ctx context.Context, key, name string) (domain.Agency, error)
	DeactivateAgency(ctx context.Context, key string) (int, error)
	SavePendingImport(ctx context.Context, p store.PendingImport) error
	PendingImportOf(ctx context.Context, adminID int64, maxAge time.Duration) (store.PendingImport, bool, error)
	DropPendingImport(ctx context.Context, adminID int64) error

	// Completions waiting for review, with their proof.
	OpenReview(ctx context.Context, a domain.Assignment, officerID int64, officerName string) error
	AddProof(ctx context.Context, assignmentID, output string, file bool) error
	DropReview(ctx context.Context, assignmentID string) error
	WaitingReviews(ctx context.Context) ([]store.Review, error)
	Waiting(ctx context.Context) (map[string]bool, error)
	DecideReview(ctx context.Context, assignmentID string, accept bool, by int64, byName, comment string) (store.Review, error)

	// Due dates set by hand and edits of tasks, each recorded.
	SetDueBy(ctx context.Context, code string, due deadline.Date, by int64, byName string) (domain.Task, error)
	EditTask(ctx context.Context, code, field, value string, by int64, byName string) (domain.Task, store.Counts, error)
	TaskEdits(ctx context.Context, code string) ([]store.TaskEdit, error)
}

// Downloader fetches a file a user sent (getFile, then the file URL). The
// real Client implements it; a Telegram without it cannot import files.
type Downloader interface {
	Download(ctx context.Context, fileID string, max int64) ([]byte, error)
}

// Download fetches a file by its file_id: getFile, then a GET of the file
// URL on the same server as the Bot API. A file over max bytes is refused.
// Errors never carry the token.
func (c *Client) Download(ctx context.Context, fileID string, max int64) ([]byte, error) {
	f, err := c.api.GetFile(tgbotapi.FileConfig{FileID: fileID})
	if err != nil {
		return nil, redactErr(err, c.api.Token)
	}
	if f.FileSize > 0 && int64(f.FileSize) > max {
		return nil, fmt.Errorf("file of %d bytes is over %d", f.FileSize, max)
	}
	fileEndpoint := strings.Replace(c.endpoint, "/bot%s/%s", "/file/bot%s/%s", 1)
	if fileEndpoint == c.endpoint {
		fileEndpoint = tgbotapi.FileEndpoint
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf(fileEndpoint, c.api.Token, f.FilePath), nil)
	if err != nil {
		return nil, redactErr(err, c.api.Token)
	}
	resp, err := c.api.Client.Do(req)
	if err != nil {
		return nil, redactErr(err, c.api.Token)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download file: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, redactErr(err, c.api.Token)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("file is over %d bytes", max)
	}
	return data, nil
}
