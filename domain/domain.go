// Package domain holds the types the whole program speaks in: plans, tasks,
// agencies, assignments, the append-only updates officers report, officers and
// invites. It imports neither the database driver nor the Telegram library.
package domain

import (
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"
	"time"

	"agencybot/agency"
	"agencybot/deadline"
)

// Status is what an officer reports about an assignment.
type Status string

// The statuses an officer can report.
const (
	NotStarted Status = "not_started" // chưa triển khai
	InProgress Status = "in_progress" // đang thực hiện
	Done       Status = "done"        // hoàn thành
	Blocked    Status = "blocked"     // gặp vướng mắc
)

// Statuses lists the reportable statuses in the order they are shown.
var Statuses = []Status{NotStarted, InProgress, Done, Blocked}

// Valid tells whether s is one of the reportable statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Role is an agency's part in a task.
type Role string

// The roles of an assignment.
const (
	Lead         Role = "lead"         // chủ trì
	Coordinating Role = "coordinating" // phối hợp
)

// Plan is an official plan (kế hoạch) of the Provincial People's Committee.
type Plan struct {
	Key           string    `bson:"_id" json:"key"`
	Code          string    `bson:"code" json:"code"`
	Number        string    `bson:"number" json:"number"`
	Date          string    `bson:"date" json:"date"`
	Year          int       `bson:"year" json:"year"`
	Title         string    `bson:"title" json:"title"`
	AppendixTitle string    `bson:"appendix_title" json:"appendix_title"`
	Reporting     string    `bson:"reporting" json:"reporting"`
	Open          bool      `bson:"open" json:"open"`
	Seq           int       `bson:"seq" json:"seq"`
	SeedHash      string    `bson:"seed_hash" json:"-"`
	UpdatedAt     time.Time `bson:"updated_at" json:"-"`
}

// Label is how a plan is named to people: its number when it has a real one,
// otherwise its title.
func (p Plan) Label() string {
	n := strings.TrimSpace(p.Number)
	if n != "" && !strings.HasPrefix(n, "/") {
		return n
	}
	return p.Title
}

// Cell is one assignee cell of a plan's table: the text as written and what it
// resolves to.
type Cell struct {
	Text     string       `bson:"text" json:"text"`
	Agencies []string     `bson:"agencies" json:"agencies"`
	Group    agency.Group `bson:"group" json:"group"`
	Rest     []string     `bson:"rest" json:"rest"`
}

// Task is one row of a plan's appendix.
type Task struct {
	Code         string            `bson:"_id" json:"code"`
	PlanKey      string            `bson:"plan" json:"plan"`
	Section      string            `bson:"section" json:"section"`
	SectionTitle string            `bson:"section_title" json:"section_title"`
	Number       string            `bson:"number" json:"number"`
	Title        string            `bson:"title" json:"title"`
	Lead         Cell              `bson:"lead" json:"lead"`
	Coordinating Cell              `bson:"coordinating" json:"coordinating"`
	Deadline     deadline.Deadline `bson:"deadline" json:"deadline"`
	// DueSet is a due date a coordinator set by hand (for conditional or
	// unparsed deadlines); it wins over the parsed one.
	DueSet    deadline.Date `bson:"due_set" json:"due_set"`
	Output    string        `bson:"output" json:"output"`
	Note      string        `bson:"note" json:"note"`
	Seq       int           `bson:"seq" json:"seq"`
	SeedHash  string        `bson:"seed_hash" json:"-"`
	UpdatedAt time.Time     `bson:"updated_at" json:"-"`
}

// Due is the task's effective due date: the one a coordinator set, else the
// parsed one; zero when there is none.
func (t Task) Due() deadline.Date {
	if !t.DueSet.IsZero() {
		return t.DueSet
	}
	return t.Deadline.Due
}

// Agency is a department, office, police, university, organisation or commune.
type Agency struct {
	Key       string      `bson:"_id" json:"key"`
	Name      string      `bson:"name" json:"name"`
	Kind      agency.Kind `bson:"kind" json:"kind"`
	Aliases   []string    `bson:"aliases" json:"aliases"`
	Norm      string      `bson:"norm" json:"-"`        // normalized name, unique
	Norms     []string    `bson:"norms" json:"-"`       // normalized name and aliases
	Source    string      `bson:"source" json:"source"` // plan, registry (seeded) or added (by a coordinator)
	SeedHash  string      `bson:"seed_hash" json:"-"`
	CreatedAt time.Time   `bson:"created_at" json:"-"`
}

// State is the reportable state of an assignment.
type State struct {
	Status   Status `bson:"status" json:"status"`
	Progress int    `bson:"progress" json:"progress"`
	Note     string `bson:"note" json:"note"`
}

// Assignment is one task for one agency. Officers report on assignments.
type Assignment struct {
	ID         string `bson:"_id" json:"id"`
	Ref        string `bson:"ref" json:"ref"` // short handle for button data
	TaskCode   string `bson:"task" json:"task"`
	PlanKey    string `bson:"plan" json:"plan"`
	AgencyKey  string `bson:"agency" json:"agency"`
	Role       Role   `bson:"role" json:"role"`
	Collective bool   `bson:"collective" json:"collective"`
	State      `bson:",inline"`
	Due        deadline.Date `bson:"due" json:"due"`
	// DueOriginal is the plan's date of a part whose date was extended (gia
	// hạn), Due then being the extended one; zero when never extended.
	// Extensions counts its approved extensions. An update of the plan
	// moves DueOriginal and keeps Due.
	DueOriginal deadline.Date       `bson:"due_original" json:"due_original"`
	Extensions  int                 `bson:"extensions,omitempty" json:"extensions,omitempty"`
	Kind        deadline.Kind       `bson:"kind" json:"kind"`
	Recurrence  deadline.Recurrence `bson:"recurrence" json:"recurrence"`
	Withdrawn   bool                `bson:"withdrawn" json:"withdrawn"` // no longer in the plan; history kept
	Version     int                 `bson:"version" json:"version"`
	LastUpdate  string              `bson:"last_update" json:"last_update"`
	ReportedAt  time.Time           `bson:"reported_at" json:"reported_at"`
	DoneAt      time.Time           `bson:"done_at" json:"done_at"` // when it was last reported done (zero when not done)
	CreatedAt   time.Time           `bson:"created_at" json:"-"`
}

// Extended tells whether the part's date was extended (gia hạn).
func (a Assignment) Extended() bool { return a.Extensions > 0 }

// AssignmentID is the stable identity of a task × agency pair.
func AssignmentID(taskCode, agencyKey string) string { return taskCode + "/" + agencyKey }

// RefOf is the short, stable handle of an assignment id, used in button data
// (Telegram allows 64 bytes there; ids can be longer).
func RefOf(assignmentID string) string {
	h := sha256.Sum256([]byte(assignmentID))
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(h[:])[:12])
}

// UpdateKind says what an update changed.
type UpdateKind string

// The kinds of update.
const (
	SetStatus   UpdateKind = "status"
	SetProgress UpdateKind = "progress"
	AddNote     UpdateKind = "note"
	AddEvidence UpdateKind = "evidence"
	Correction  UpdateKind = "correction"
)

// Evidence is a file an officer sent as proof.
type Evidence struct {
	FileID       string `bson:"file_id" json:"file_id"`
	FileUniqueID string `bson:"file_unique_id" json:"file_unique_id"`
	Name         string `bson:"name" json:"name"`
	Mime         string `bson:"mime" json:"mime"`
	Size         int64  `bson:"size" json:"size"`
	Kind         string `bson:"kind" json:"kind"` // document or photo
}

// Update is one entry of an assignment's append-only history: who changed
// what, when, and the state before and after.
type Update struct {
	ID           string     `bson:"_id" json:"id"` // UpdateID(assignment, version)
	Source       string     `bson:"source" json:"source"`
	AssignmentID string     `bson:"assignment" json:"assignment"`
	TaskCode     string     `bson:"task" json:"task"`
	AgencyKey    string     `bson:"agency" json:"agency"`
	OfficerID    int64      `bson:"officer" json:"officer"`
	OfficerName  string     `bson:"officer_name" json:"officer_name"`
	At           time.Time  `bson:"at" json:"at"`
	Kind         UpdateKind `bson:"kind" json:"kind"`
	Status       Status     `bson:"status,omitempty" json:"status,omitempty"`
	Progress     *int       `bson:"progress,omitempty" json:"progress,omitempty"`
	Note         string     `bson:"note,omitempty" json:"note,omitempty"`
	Evidence     *Evidence  `bson:"evidence,omitempty" json:"evidence,omitempty"`
	Corrects     string     `bson:"corrects,omitempty" json:"corrects,omitempty"`
	Corrected    bool       `bson:"corrected" json:"corrected"`
	Version      int        `bson:"version" json:"version"`
	Before       State      `bson:"before" json:"before"`
	After        State      `bson:"after" json:"after"`
}

// UpdateID is the identity of an assignment's version-th update: versions
// are contiguous, so history is read by identity alone.
func UpdateID(assignmentID string, version int) string {
	return assignmentID + "#" + strconv.Itoa(version)
}

// OfficerRole is what a linked Telegram user may do.
type OfficerRole string

// The roles of a linked user.
const (
	RoleOfficer OfficerRole = "officer" // cán bộ đầu mối of one agency
	RoleLeader  OfficerRole = "leader"  // lãnh đạo UBND tỉnh
)

// Officer is a Telegram user linked to the bot: a focal officer of an agency or
// a leader.
type Officer struct {
	Key         string      `bson:"_id" json:"-"` // OfficerKey(TelegramID): a string, which the embedded backend finds without a scan
	TelegramID  int64       `bson:"telegram_id" json:"telegram_id"`
	Role        OfficerRole `bson:"role" json:"role"`
	AgencyKey   string      `bson:"agency" json:"agency"`
	Name        string      `bson:"name" json:"name"`
	Username    string      `bson:"username" json:"username"`
	Lang        string      `bson:"lang" json:"lang"`
	LinkedAt    time.Time   `bson:"linked_at" json:"linked_at"`
	Active      bool        `bson:"active" json:"active"`
	PausedUntil time.Time   `bson:"paused_until" json:"paused_until"`
	Substitute  int64       `bson:"substitute" json:"substitute"`
	Unreachable bool        `bson:"unreachable" json:"unreachable"`
}

// OfficerKey is the document identity of a Telegram user.
func OfficerKey(telegramID int64) string { return strconv.FormatInt(telegramID, 10) }

// Invite is a single-use code that links whoever opens it.
type Invite struct {
	Code      string      `bson:"_id" json:"code"`
	Role      OfficerRole `bson:"role" json:"role"`
	AgencyKey string      `bson:"agency" json:"agency"`
	CreatedBy int64       `bson:"created_by" json:"created_by"`
	CreatedAt time.Time   `bson:"created_at" json:"created_at"`
	ExpiresAt time.Time   `bson:"expires_at" json:"expires_at"`
	UsedBy    int64       `bson:"used_by" json:"used_by"`
	UsedAt    time.Time   `bson:"used_at" json:"used_at"`
}
