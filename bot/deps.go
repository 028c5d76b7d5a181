package bot

import (
	"context"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/store"
)

// The bot's dependencies: small interfaces, each declared here where it is
// used. cmd/ wires *store.Store into the five data interfaces and *Client
// into Telegram; handler tests use small fakes (see fakes_test.go).

// Telegram is the Bot API. Errors it returns carry no token.
type Telegram interface {
	// Request performs one Bot API method call.
	Request(c tgbotapi.Chattable) (*tgbotapi.APIResponse, error)
	// Updates long-polls getUpdates from offset; cancelling ctx ends the poll.
	Updates(ctx context.Context, offset int, timeout time.Duration) ([]tgbotapi.Update, error)
	// Username is the bot's @username (commands addressed to others are ignored).
	Username() string
}

// PollState keeps the poller's place: the next update offset and which
// updates were handled completely.
type PollState interface {
	Offset(ctx context.Context) (int, error)
	SaveOffset(ctx context.Context, next int) error
	MarkProcessed(ctx context.Context, updateID int) (bool, error)
	Processed(ctx context.Context, updateID int) (bool, error)
	ProcessedSince(ctx context.Context, offset int) (map[int]bool, error)
	PruneProcessed(ctx context.Context, d time.Duration) (int64, error)
}

// People are the linked officers and leaders, and the invites that link them.
type People interface {
	Officer(ctx context.Context, telegramID int64) (domain.Officer, error)
	Officers(ctx context.Context, agencyKey string) ([]domain.Officer, error)
	Leaders(ctx context.Context) ([]domain.Officer, error)
	TouchOfficer(ctx context.Context, id int64, name, username, lang string) error
	SetUnreachable(ctx context.Context, id int64, v bool) error
	RevokeOfficer(ctx context.Context, id int64) (bool, error)
	Pause(ctx context.Context, id int64, until time.Time, substitute int64) error
	CreateInvite(ctx context.Context, role domain.OfficerRole, agencyKey string, by int64, ttl time.Duration) (domain.Invite, error)
	ClaimInvite(ctx context.Context, code string, o domain.Officer) (domain.Invite, domain.Officer, error)
	Invite(ctx context.Context, code string) (domain.Invite, error)
}

// Questions keep each person's conversation state: the task they opened and
// the question the bot waits for them to answer.
type Questions interface {
	Session(ctx context.Context, userID int64, maxAge time.Duration) (store.Session, bool, error)
	SaveSession(ctx context.Context, se store.Session) error
}

// Catalog is the plans, tasks and agencies.
type Catalog interface {
	OpenPlans(ctx context.Context) ([]domain.Plan, error)
	Tasks(ctx context.Context, planKey string) ([]domain.Task, error)
	Task(ctx context.Context, code string) (domain.Task, error)
	Agencies(ctx context.Context) ([]domain.Agency, error)
	Agency(ctx context.Context, key string) (domain.Agency, error)
	AgencyIndex(ctx context.Context) (*agency.Index, error)
}

// Assignments are the assignments, the changes officers make to them and
// their history.
type Assignments interface {
	Apply(ctx context.Context, assignmentID string, ch domain.Change) (domain.Assignment, domain.Update, error)
	Assignment(ctx context.Context, id string) (domain.Assignment, error)
	AssignmentByRef(ctx context.Context, ref string) (domain.Assignment, error)
	AssignmentIDByRef(ctx context.Context, ref string) (string, error)
	AssignmentsOf(ctx context.Context, ag domain.Agency, tasks []domain.Task) ([]domain.Assignment, error)
	AllAssignments(ctx context.Context) ([]domain.Assignment, error)
	AssignmentHistory(ctx context.Context, id string, limit int) ([]domain.Update, error)
	History(ctx context.Context, taskCode string, limit int) ([]domain.Update, error)
	LastUpdate(ctx context.Context, a domain.Assignment) (domain.Update, error)
	Repair(ctx context.Context) (int, error)
}

// Metrics records what operators watch (cmd/ wires *ops.Metrics): each
// handled update by kind (KindCommand, KindText, KindCallback, KindFile,
// KindOther), and each verified webhook request as a sign Telegram reaches us.
type Metrics interface {
	UpdateHandled(kind string, took time.Duration, err error)
	TelegramReached(at time.Time)
}

// Outbox queues what the bot sends on its own (alerts, notices to someone
// other than the person who just wrote): key names the cause and the
// recipient, so a replayed update queues nothing new. cmd/ wires
// *scheduler.Scheduler, whose dispatcher sends at once with the reminders'
// limits, retries and 403 handling.
type Outbox interface {
	Enqueue(ctx context.Context, key string, out domain.Outgoing) (bool, error)
}
