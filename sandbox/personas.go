package sandbox

import (
	"context"
	"fmt"
	"time"

	"agencybot/domain"
	"agencybot/store"
	"agencybot/tgserver"
)

// Persona is someone the page lets you be.
type Persona struct {
	ID    int64  `json:"id"`
	First string `json:"first"`
	Last  string `json:"last"`
	// Role is what the persona is in the bot: admin, leader, officer or
	// newcomer.
	Role string `json:"role"`
	// Title says who they are, in Vietnamese.
	Title string `json:"title"`
	// Short is the label under the avatar on a phone.
	Short string `json:"short"`
	// Agency is the key of the agency an officer is linked to in advance.
	Agency string `json:"-"`
	// Lang is the Telegram language the persona's client reports.
	Lang string `json:"lang"`
}

// Name is the name shown in the chat list.
func (p Persona) Name() string {
	if p.Last == "" {
		return p.First
	}
	return p.First + " " + p.Last
}

func (p Persona) user() tgserver.User {
	return tgserver.User{ID: p.ID, FirstName: p.First, LastName: p.Last, LanguageCode: p.Lang}
}

// CoordinatorID is the coordinator's Telegram id; the bot of the sandbox
// counts it among ADMIN_TELEGRAM_IDS.
const CoordinatorID int64 = 7001

// personas are the people of the sandbox: the coordinator (admin, not
// linked to an agency), a leader and officers of three agencies (linked in
// advance through invites, as if they had opened them), and a newcomer who
// is not linked yet.
func defaultPersonas() []Persona {
	return []Persona{
		{ID: CoordinatorID, First: "Trần Minh", Last: "Điều phối", Role: "admin", Title: "Điều phối · Sở KH&CN (admin)", Short: "Điều phối", Lang: "vi"},
		{ID: 7002, First: "Phạm Văn", Last: "Lãnh đạo", Role: "leader", Title: "Lãnh đạo UBND tỉnh", Short: "Lãnh đạo", Lang: "vi"},
		{ID: 7003, First: "Nguyễn Thị", Last: "An", Role: "officer", Title: "Cán bộ đầu mối · Sở KH&CN", Short: "An · KH&CN", Agency: "so-khcn", Lang: "vi"},
		{ID: 7004, First: "Lê Văn", Last: "Bình", Role: "officer", Title: "Cán bộ đầu mối · Sở Tài chính", Short: "Bình · Tài chính", Agency: "so-tai-chinh", Lang: "vi"},
		{ID: 7005, First: "Võ Thị", Last: "Cúc", Role: "officer", Title: "Cán bộ đầu mối · Sở Tư pháp", Short: "Cúc · Tư pháp", Agency: "so-tu-phap", Lang: "en"},
		{ID: 7009, First: "Hoàng", Last: "Người mới", Role: "newcomer", Title: "Người mới · chưa liên kết", Short: "Người mới", Lang: "vi"},
	}
}

// linkDemoPeople links the leader and the officers through the store's own
// invites, exactly as if the coordinator had invited them and they had
// opened the links. People already linked are left alone.
func linkDemoPeople(ctx context.Context, st *store.Store, people []Persona) error {
	for _, p := range people {
		var role domain.OfficerRole
		switch p.Role {
		case "leader":
			role = domain.RoleLeader
		case "officer":
			role = domain.RoleOfficer
		default:
			continue
		}
		if _, err := st.Officer(ctx, p.ID); err == nil {
			continue
		}
		inv, err := st.CreateInvite(ctx, role, p.Agency, CoordinatorID, 24*time.Hour)
		if err != nil {
			return fmt.Errorf("invite %s: %w", p.Name(), err)
		}
		o := domain.Officer{TelegramID: p.ID, Name: p.Name(), Lang: p.Lang}
		if _, _, err := st.ClaimInvite(ctx, inv.Code, o); err != nil {
			return fmt.Errorf("link %s: %w", p.Name(), err)
		}
	}
	return nil
}
